"""Sessions that end when they should (issue 15 item 1; docs/security.md, "Sessions").

Each test plays the attack: a session cookie copied from the victim's browser (a shared computer, a
stolen backup, malware), then the victim signs out, changes the password, is signed out by an
administrator... and the copy must stop working. A browser restart is a new client that keeps only the
cookies with an expiry date (a browser drops the others when it closes).
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, update

from cases.accounts import sessions
from cases.db import db
from cases.models import SecurityEvent, User, UserSession
from tests.conftest import TEST_PASSWORD
from tests.security_support import age_session, session_token
from tests.sql_statements import recorded_statements

ENDED = "Phiên đăng nhập của bạn đã kết thúc"
NEW_PASSWORD = "Moi-Matkhau-2027"


def _copy(app, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of every cookie of ``client`` (same User-Agent)."""
    thief = app.test_client()
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def _kept(client: FlaskClient) -> dict[str, str]:
    """The cookies a browser keeps when it is closed: those with an expiry date."""
    kept = {}
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name)
        if cookie is not None and cookie.expires is not None:
            kept[name] = cookie.value
    return kept


def _reopened(app, kept: dict[str, str]) -> FlaskClient:
    browser = app.test_client()
    for name, value in kept.items():
        browser.set_cookie(name, value)
    return browser


def _restarted(app, client: FlaskClient) -> FlaskClient:
    """The same browser after it was closed and opened again: only cookies with an expiry survive."""
    return _reopened(app, _kept(client))


def _signed_in(client: FlaskClient) -> bool:
    resp = client.get("/cases/")
    return resp.status_code == 200


def _refused_with_message(client: FlaskClient) -> None:
    resp = client.get("/cases/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert ENDED in page
    assert client.get("/cases/").status_code == 302  # not signed in again by a second try


def _change_password(client: FlaskClient, current: str = TEST_PASSWORD):
    return client.post(
        "/account",
        data={"current_password": current, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )


# --- the attacks of the issue ---------------------------------------------------------------------------


def test_a_copied_session_cookie_is_refused_after_logout(app, client, make_user, login):
    login(make_user("thanhtra1"))
    thief = _copy(app, client)
    assert _signed_in(thief)  # the copy works while the session is open
    client.post("/logout")
    _refused_with_message(thief)


def test_a_copied_session_cookie_is_refused_after_a_password_change(app, client, make_user, login):
    login(make_user("thanhtra1"))
    thief = _copy(app, client)
    assert _signed_in(thief)
    resp = _change_password(client)
    assert resp.status_code == 302
    assert _signed_in(client)  # the browser that changed it carries on, in a new session
    _refused_with_message(thief)


def test_a_remembered_browser_is_refused_after_logout_elsewhere(app, client, make_user):
    make_user("thanhtra1")
    client.post("/login", data={"username": "thanhtra1", "password": TEST_PASSWORD, "remember": "y"})
    stolen = _kept(client)  # the "keep me signed in" cookie, copied
    assert _signed_in(_reopened(app, stolen))
    client.post("/logout")  # the cookie dies with its session
    _refused_with_message(_reopened(app, stolen))


def test_a_remembered_browser_is_refused_after_a_password_change(app, client, make_user, login):
    make_user("thanhtra1")
    laptop = app.test_client()
    laptop.post("/login", data={"username": "thanhtra1", "password": TEST_PASSWORD, "remember": "y"})
    stolen = _kept(laptop)
    login("thanhtra1")  # on another device
    assert _change_password(client).status_code == 302
    _refused_with_message(_reopened(app, stolen))
    _refused_with_message(laptop)


def test_an_old_style_remember_cookie_is_no_key_at_all(app, client, make_user):
    """The cookie Flask-Login wrote before (the account's id and an HMAC of it, the same for every
    sign-in) is not accepted any more, and the browser is told to delete it."""
    user = make_user("thanhtra1")
    from flask_login.utils import encode_cookie

    with app.test_request_context():
        old = encode_cookie(str(user.id))
    client.set_cookie("remember_token", old)
    resp = client.get("/cases/")
    assert resp.status_code == 302
    assert any(c.startswith("remember_token=;") for c in resp.headers.getlist("Set-Cookie"))


# --- "keep me signed in" works --------------------------------------------------------------------------


def test_keep_me_signed_in_survives_a_browser_restart(app, client, make_user):
    make_user("thanhtra1")
    resp = client.post("/login", data={"username": "thanhtra1", "password": TEST_PASSWORD, "remember": "y"})
    assert resp.status_code == 302
    restored = _restarted(app, client)
    for path in ("/", "/cases/", "/establishments/", "/account", "/cases/", "/"):
        assert restored.get(path).status_code == 200, path


def test_without_keep_me_signed_in_a_restart_signs_out(app, client, make_user, login):
    login(make_user("thanhtra1"))
    assert _signed_in(client)
    assert not _signed_in(_restarted(app, client))


def test_a_remembered_session_still_ends_when_idle(app, client, make_user):
    make_user("thanhtra1")
    client.post("/login", data={"username": "thanhtra1", "password": TEST_PASSWORD, "remember": "y"})
    age_session(app, client, 61)
    restored = _restarted(app, client)
    resp = restored.get("/cases/")
    assert resp.status_code == 302
    assert "sau 60 phút không hoạt động" in restored.get(resp.headers["Location"]).get_data(as_text=True)


def test_a_remembered_session_ends_after_its_lifetime(app, client, make_user):
    make_user("thanhtra1")
    client.post("/login", data={"username": "thanhtra1", "password": TEST_PASSWORD, "remember": "y"})
    token = session_token(client)
    with app.app_context():
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == sessions.hash_token(token))
            .values(created_at=sessions.utcnow() - dt.timedelta(days=31))
        )
        db.session.commit()
    assert client.get("/cases/").status_code == 302


@pytest.mark.parametrize("remember", [False, True])
def test_a_session_cookie_brought_by_another_browser_is_refused_and_ended(app, client, make_user, remember):
    make_user("thanhtra1")
    data = {"username": "thanhtra1", "password": TEST_PASSWORD} | ({"remember": "y"} if remember else {})
    client.post("/login", data=data)
    thief = _copy(app, client)
    thief.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
    assert thief.get("/cases/").status_code == 302
    assert not _signed_in(client)  # the session is ended: its cookie was seen elsewhere
    with app.app_context():
        kinds = list(db.session.scalars(select(SecurityEvent.kind)))
    assert "session_refused" in kinds


def test_a_remembered_phone_moving_to_another_network_stays_signed_in(app, client, make_user):
    """Phones change address (Wi-Fi, 4G) all day: a remembered session is bound to its browser, not to
    its address. (A browser session without "keep me signed in" is bound to both, as before.)"""
    make_user("thanhtra1")
    client.post("/login", data={"username": "thanhtra1", "password": TEST_PASSWORD, "remember": "y"})
    client.environ_base["REMOTE_ADDR"] = "10.20.30.40"
    assert _signed_in(client)


# --- changes of the account end its sessions -----------------------------------------------------------


@pytest.fixture
def admin_client(app, make_user):
    make_user("quantri", "admin", full_name="Quản Trị")
    admin = app.test_client()
    assert admin.post("/login", data={"username": "quantri", "password": TEST_PASSWORD}).status_code == 302
    return admin


def _two_devices(app, username: str) -> tuple[FlaskClient, FlaskClient]:
    phone, laptop = app.test_client(), app.test_client()
    phone.post("/login", data={"username": username, "password": TEST_PASSWORD, "remember": "y"})
    laptop.post("/login", data={"username": username, "password": TEST_PASSWORD})
    assert _signed_in(phone) and _signed_in(laptop)
    return _restarted(app, phone), laptop


def test_an_administrator_signs_a_user_out_everywhere(app, admin_client, make_user):
    user = make_user("thanhtra1", full_name="Cán Bộ Một")
    phone, laptop = _two_devices(app, "thanhtra1")
    page = admin_client.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    assert page.count('data-testid="open-session"') == 2
    assert "Đăng xuất khỏi mọi nơi" in page
    resp = admin_client.post(f"/admin/users/{user.id}/sessions/end", follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "thanhtra1 đã được đăng xuất khỏi mọi nơi (2 phiên đã kết thúc)" in html
    assert "Không đăng nhập ở đâu" in html
    _refused_with_message(phone)
    _refused_with_message(laptop)
    log = admin_client.get("/admin/security-log?kind=sign_out_everywhere").get_data(as_text=True)
    assert "Bị quản trị viên đăng xuất khỏi mọi nơi" in log and "bởi Quản Trị" in log
    # the user signs in again as usual
    again = app.test_client()
    assert again.post("/login", data={"username": "thanhtra1", "password": TEST_PASSWORD}).status_code == 302


def test_signing_out_everywhere_is_for_administrators_only(app, client, make_user, login):
    victim = make_user("thanhtra2")
    _, laptop = _two_devices(app, "thanhtra2")
    login(make_user("thanhtra1"))
    assert client.post(f"/admin/users/{victim.id}/sessions/end").status_code == 403
    assert _signed_in(laptop)


@pytest.mark.parametrize(
    ("change", "data"),
    [
        ("password reset", None),
        ("role", {"full_name": "Cán bộ thanhtra1", "role": "manager", "active": "y"}),
        (
            "communes",
            {"full_name": "Cán bộ thanhtra1", "role": "liaison", "communes": ["30307"], "active": "y"},
        ),
        ("deactivation", {"full_name": "Cán bộ thanhtra1", "role": "liaison", "communes": ["30742"]}),
    ],
)
def test_a_change_of_the_account_ends_its_sessions(app, admin_client, make_user, change, data):
    user = make_user("thanhtra1", "liaison", communes=("30742",))
    phone, laptop = _two_devices(app, "thanhtra1")
    if data is None:
        resp = admin_client.post(f"/admin/users/{user.id}/password", data={"password": ""})
        assert resp.status_code == 200
    else:
        assert admin_client.post(f"/admin/users/{user.id}/edit", data=data).status_code == 302
    for device in (phone, laptop):
        assert device.get("/cases/").status_code == 302, change
    assert _signed_in(admin_client)  # the administrator's own session is untouched


def test_an_edit_that_changes_no_right_keeps_the_sessions(app, admin_client, make_user):
    user = make_user("thanhtra1")
    _, laptop = _two_devices(app, "thanhtra1")
    data = {"full_name": "Tên Mới", "role": "inspector", "phone": "0901234567", "active": "y"}
    assert admin_client.post(f"/admin/users/{user.id}/edit", data=data).status_code == 302
    assert _signed_in(laptop)


# --- the cost per request ------------------------------------------------------------------------------


def test_each_request_loads_the_session_and_the_user_in_one_query(app, client, make_user, login):
    login(make_user("thanhtra1"))
    client.get("/account")
    with app.app_context(), recorded_statements() as statements:
        assert client.get("/account").status_code == 200
    about_session = [s for s in statements if "user_session" in s]
    assert len(about_session) == 1 and "user_account" in about_session[0], statements
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE")], statements


def test_the_last_use_is_written_at_most_once_a_minute(app, client, make_user, login):
    login(make_user("thanhtra1"))
    token = session_token(client)

    def last_seen() -> dt.datetime:
        with app.app_context():
            record = db.session.scalar(
                select(UserSession).where(UserSession.token_hash == sessions.hash_token(token))
            )
            return record.last_seen_at

    age_session(app, client, 0.5)
    before = last_seen()
    client.get("/cases/")
    assert last_seen() == before  # half a minute: not written
    age_session(app, client, 2)
    before = last_seen()
    client.get("/cases/")
    assert last_seen() > before


def test_the_session_token_is_stored_hashed(app, client, make_user, login):
    user = make_user("thanhtra1")
    login(user)
    token = session_token(client)
    with app.app_context():
        record = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
        assert record.token_hash == sessions.hash_token(token) and token not in record.token_hash
        assert str(user.id) != token and len(token) >= 40
        assert db.session.get(User, user.id) is not None
