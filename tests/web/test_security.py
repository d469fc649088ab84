"""Web security controls (docs/security.md): CSRF on every state-changing route, security headers, session
cookies, idle sign-out, login rate limit, and error pages that never show a stack trace or SQL."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from cases.db import db
from cases.models import User
from tests import factories
from tests.conftest import TEST_PASSWORD
from tests.security_support import (
    age_session,
    csrf_token,
    production_like_app,
    sample_url,
    sign_in,
    state_changing_rules,
)

ROOT = Path(__file__).resolve().parents[2]
CSRF_REFUSED = "Biểu mẫu đã hết hạn"


@pytest.fixture
def csrf_app(app, make_app):
    return production_like_app(make_app, app)


# --- CSRF ---------------------------------------------------------------------------------------------


def test_every_state_changing_route_refuses_a_request_without_a_csrf_token(csrf_app, make_user):
    admin = make_user("quantri", "admin")
    rules = state_changing_rules(csrf_app)
    assert len(rules) >= 30  # the walk really covers the app (37 POST routes when written)
    anonymous, signed_in = csrf_app.test_client(), csrf_app.test_client()
    sign_in(signed_in, admin.username, TEST_PASSWORD)
    for rule, method in rules:
        url = sample_url(csrf_app, rule)
        for who, client in (("anonymous", anonymous), ("admin", signed_in)):
            resp = client.open(url, method=method, data={"next": "/"})
            assert resp.status_code == 400, (who, method, url, resp.status_code)
            assert CSRF_REFUSED in resp.get_data(as_text=True), (who, method, url)
    # the admin is still signed in (the refusals changed nothing) and a request with the token passes
    home = signed_in.get("/")
    assert home.status_code == 200
    resp = signed_in.post("/language/en", data={"csrf_token": csrf_token(home.get_data(as_text=True))})
    assert resp.status_code == 302


def test_a_token_from_another_session_is_refused(csrf_app, make_user):
    make_user("nguoidung1")
    other = csrf_app.test_client()
    stolen = csrf_token(other.get("/login").get_data(as_text=True))
    victim = csrf_app.test_client()
    victim.get("/login")
    resp = victim.post(
        "/login", data={"username": "nguoidung1", "password": TEST_PASSWORD, "csrf_token": stolen}
    )
    assert resp.status_code == 400 and CSRF_REFUSED in resp.get_data(as_text=True)


def test_a_csrf_token_planted_before_sign_in_is_refused_after_it(csrf_app, make_user):
    """Session fixation of the CSRF token: an attacker takes a cookie and its token from the login page
    and plants the cookie in the victim's browser; the victim signs in; the attacker's forged form, with
    the token they know, must then be refused."""
    make_user("nannhan")
    attacker = csrf_app.test_client()
    planted_token = csrf_token(attacker.get("/login").get_data(as_text=True))
    victim = csrf_app.test_client()
    victim.set_cookie("session", attacker.get_cookie("session").value)
    login_page = victim.get("/login").get_data(as_text=True)
    resp = victim.post(
        "/login",
        data={"username": "nannhan", "password": TEST_PASSWORD, "csrf_token": csrf_token(login_page)},
    )
    assert resp.status_code == 302
    forged = victim.post("/logout", data={"csrf_token": planted_token})
    assert forged.status_code == 400 and CSRF_REFUSED in forged.get_data(as_text=True)
    home = victim.get("/")
    assert home.status_code == 200  # still signed in: the forged sign-out did nothing
    own = victim.post("/logout", data={"csrf_token": csrf_token(home.get_data(as_text=True))})
    assert own.status_code == 302


def test_the_language_chosen_before_sign_in_is_kept(client, make_user, login):
    client.post("/language/en", data={"next": "/login"})
    login(make_user("thanhtra1"))
    assert "Sign out" in client.get("/").get_data(as_text=True)


# --- security headers ----------------------------------------------------------------------------------


def _csp(resp) -> dict[str, str]:
    policy = resp.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/login", "/", "/static/css/app.css", "/no-such-page", "/api/v1/communes"])
def test_security_headers_on_every_response(client, make_user, login, path):
    login(make_user("thanhtra1"))
    resp = client.get(path)
    resp.close()
    csp = _csp(resp)
    assert csp["default-src"] == "'self'"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["img-src"] == "'self' data:"
    assert csp["frame-ancestors"] == "'none'" and csp["form-action"] == "'self'"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in resp.headers  # plain HTTP in development


def test_signed_in_pages_are_not_cached(client, make_user, login):
    login(make_user("thanhtra1"))
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_hsts_and_secure_cookies_in_production(app, make_app, make_user):
    make_user("thanhtra1")
    secure = production_like_app(make_app, app, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    client = secure.test_client()
    page = client.get("/login", base_url="https://localhost")
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    token = csrf_token(page.get_data(as_text=True))
    resp = client.post(
        "/login",
        data={"username": "thanhtra1", "password": TEST_PASSWORD, "remember": "y", "csrf_token": token},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},  # Flask-WTF checks it on HTTPS
    )
    assert resp.status_code == 302
    cookies = resp.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in c and "HttpOnly" in c for c in cookies), cookies


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user, login):
    resp = login(make_user("thanhtra1"))
    cookie = next(c for c in resp.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # only when SESSION_COOKIE_SECURE is set


def test_templates_have_no_inline_scripts_styles_or_handlers():
    """The CSP forbids them; a template that used one would silently break in the browser."""
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if path.name.startswith("print_"):
            continue  # rendered only into PDFs by WeasyPrint (inspect_app/pdf.py), never served as a page
        text = path.read_text(encoding="utf-8")
        for pattern, what in (
            (r"<script(?![^>]*\bsrc=)[^>]*>", "inline <script>"),
            (r"<style\b", "<style> element"),
            (r"\sstyle\s*=", "style= attribute"),
            (r"\son[a-z]+\s*=", "on…= event handler"),
            (r"javascript:", "javascript: URL"),
        ):
            problems += [f"{path.relative_to(ROOT)}: {what}" for _ in re.finditer(pattern, text, re.I)]
    assert problems == []


def test_scripts_do_not_set_style_attributes_or_eval():
    for path in (ROOT / "inspect_app" / "static" / "js").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert 'setAttribute("style"' not in text and "setAttribute('style'" not in text, path
        assert not re.search(r"\beval\(|new Function\(|innerHTML\s*=", text), path


# --- idle sign-out -------------------------------------------------------------------------------------


def test_an_idle_session_is_signed_out_with_a_message(app, client, make_user, login):
    login(make_user("thanhtra1"))
    age_session(app, client, 59)
    assert client.get("/cases/").status_code == 200  # still within the hour
    age_session(app, client, 61)
    resp = client.get("/cases/?q=abc")
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/login?next=")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Bạn đã được đăng xuất sau 60 phút không hoạt động" in page
    assert client.get("/").status_code == 302  # really signed out, not only redirected once


def test_an_idle_session_gets_json_401_from_the_api(app, client, make_user, login):
    login(make_user("thanhtra1"))
    age_session(app, client, 90)
    resp = client.get("/api/v1/communes")
    assert resp.status_code == 401 and "60 phút" in resp.get_json()["error"]


def test_signing_in_again_restarts_the_idle_clock(app, client, make_user, login):
    user = make_user("thanhtra1")
    login(user)
    age_session(app, client, 120)
    client.post("/logout")
    login(user)
    assert client.get("/").status_code == 200


# --- login rate limit ----------------------------------------------------------------------------------


def test_login_attempts_are_limited_with_a_vietnamese_message(client, make_user, login):
    make_user("nannhan")
    make_user("nguoikhac")
    for _ in range(10):
        assert login("nannhan", password="doan-mo-12345").status_code == 400
    resp = login("nannhan", password="doan-mo-12345")
    assert resp.status_code == 429
    html = resp.get_data(as_text=True)
    assert "Đăng nhập sai quá nhiều lần" in html and 'value="nannhan"' in html
    assert "Traceback" not in html
    # even the right password waits now; another account from the same address is not locked out
    assert login("nannhan").status_code == 429
    assert login("nguoikhac").status_code == 302


def test_successful_sign_ins_do_not_count(client, make_user, login):
    user = make_user("thanhtra1")
    for _ in range(12):
        assert login(user).status_code == 302
        client.post("/logout")


# --- no stack trace, no SQL ----------------------------------------------------------------------------


@pytest.fixture
def failing_app(app, make_app):
    failing = production_like_app(make_app, app, PROPAGATE_EXCEPTIONS=False, WTF_CSRF_ENABLED=False)

    def boom():
        raise OperationalError("SELECT password_hash FROM app_user WHERE id = 1", {}, Exception("db down"))

    failing.add_url_rule("/boom", "boom", boom)
    failing.add_url_rule("/api/v1/boom", "api_boom", boom)
    return failing


def test_an_unexpected_error_shows_the_vietnamese_page_without_details(failing_app):
    resp = failing_app.test_client().get("/boom")
    assert resp.status_code == 500
    html = resp.get_data(as_text=True)
    assert "Đã xảy ra lỗi ngoài dự kiến" in html
    for leak in ("Traceback", "SELECT", "password_hash", "OperationalError", "db down"):
        assert leak not in html


def test_an_unexpected_api_error_is_json_without_details(failing_app):
    resp = failing_app.test_client().get("/api/v1/boom")
    assert resp.status_code == 500 and resp.is_json
    body = resp.get_data(as_text=True)
    assert resp.get_json()["status"] == 500
    for leak in ("Traceback", "SELECT", "password_hash", "OperationalError", "db down"):
        assert leak not in body


def test_debug_mode_is_off(app):
    assert not app.debug and not app.config.get("DEBUG")


def test_a_request_over_the_size_limit_gets_the_413_page(app, make_app, make_user):
    owner = make_user("thanhtra1")
    with app.app_context():
        case_id = factories.case(db.session.get(User, owner.id)).id
        db.session.commit()
    small = production_like_app(make_app, app, WTF_CSRF_ENABLED=False, MAX_CONTENT_LENGTH=1024)
    client = small.test_client()
    client.post("/login", data={"username": owner.username, "password": TEST_PASSWORD})
    resp = client.post(
        f"/evidence/case/{case_id}", data={"files": (io.BytesIO(b"\xff\xd8\xff" + b"0" * 4096), "anh.jpg")}
    )
    assert resp.status_code == 413
    html = resp.get_data(as_text=True)
    assert "Tệp quá lớn" in html and "Traceback" not in html


def test_behind_a_trusted_proxy_each_client_is_limited_on_its_own(app, make_app, make_user):
    make_user("nannhan")
    proxied = production_like_app(make_app, app, WTF_CSRF_ENABLED=False, TRUSTED_PROXY_COUNT=1)
    client = proxied.test_client()

    def attempt(address: str) -> int:
        data = {"username": "nannhan", "password": "doan-mo-12345"}
        return client.post("/login", data=data, headers={"X-Forwarded-For": address}).status_code

    assert [attempt("203.0.113.7") for _ in range(11)][-1] == 429
    assert attempt("198.51.100.20") == 400  # another client behind the same proxy is not locked out


def test_an_unknown_user_name_costs_a_password_hash_too(client, make_user, login, monkeypatch):
    """Otherwise the answer's speed would tell which user names exist."""
    import cases.models.user as user_module

    hashed: list[str] = []
    real = user_module.generate_password_hash
    monkeypatch.setattr(
        user_module, "generate_password_hash", lambda pw, **kw: hashed.append(pw) or real(pw, **kw)
    )
    assert login("khongtontai", password="doan-mo-12345").status_code == 400
    assert hashed == ["doan-mo-12345"]


def test_the_remember_cookie_is_lax_httponly_and_lasts_a_month(client, make_user):
    """ "Keep me signed in" makes the session cookie itself outlive the browser (the session it names is on
    the server); without it the cookie ends with the browser."""
    make_user("thanhtra1")
    resp = client.post("/login", data={"username": "thanhtra1", "password": TEST_PASSWORD, "remember": "y"})
    cookie = next(c for c in resp.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    expires = re.search(r"Expires=([^;]+)", cookie)
    assert expires is not None
    import email.utils

    days = (email.utils.parsedate_to_datetime(expires.group(1)).timestamp() - time.time()) / 86400
    assert 29 < days <= 30
    client.post("/logout")
    resp = client.post("/login", data={"username": "thanhtra1", "password": TEST_PASSWORD})
    cookie = next(c for c in resp.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Expires=" not in cookie


@pytest.mark.parametrize(
    "url", ["/api/v1/ecommerce/earlier?seller=%00", "/cases/?q=a%00b", "/establishments/?q=%00"]
)
def test_a_nul_character_in_a_query_never_reaches_the_database(client, make_user, login, url):
    login(make_user())
    assert client.get(url).status_code == 200


def test_a_nul_character_in_a_form_is_dropped(app, client, make_user, login):
    user = make_user(full_name="Cán bộ Một")
    login(user)
    client.post("/account", data={"full_name": "Cán bộ\x00 Hai", "email": "", "phone": ""})
    with app.app_context():
        from cases.db import db
        from cases.models import User

        assert "\x00" not in db.session.get(User, user.id).full_name
