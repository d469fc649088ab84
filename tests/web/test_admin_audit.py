"""The administrators in the audit trail, and the security log (issue 15 item 6).

The attack of the issue: an administrator makes an inspector a manager, lets them approve their own case,
and changes the role back. Each step must now be in the hash-chained audit trail (never a password), and
sign-ins, failures, refusals and sign-outs in the security log an administrator reads.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from cases.accounts import security_log
from cases.db import db
from cases.models import AuditEvent, SecurityEvent, User
from tests.conftest import TEST_PASSWORD

LONG_XUYEN = "30307"


@pytest.fixture
def admin_client(app, make_user) -> FlaskClient:
    make_user("quantri", "admin", full_name="Quản Trị")
    client = app.test_client()
    assert client.post("/login", data={"username": "quantri", "password": TEST_PASSWORD}).status_code == 302
    return client


def _entries(app, entity_type: str) -> list[AuditEvent]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.entity_type == entity_type).order_by(AuditEvent.id)
            )
        )
        for row in rows:
            db.session.expunge(row)
        return rows


def _admin_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == "quantri"))


def test_account_changes_are_in_the_audit_trail_without_any_password(app, admin_client, runner):
    resp = admin_client.post(
        "/admin/users/new", data={"username": "kt4", "full_name": "Kiểm Tra Bốn", "role": "inspector"}
    )
    password = resp.get_data(as_text=True).split('data-testid="new-password">')[1].split("<")[0]
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "kt4"))
    edit = {"full_name": "Kiểm Tra Bốn", "role": "manager", "active": "y"}
    assert admin_client.post(f"/admin/users/{user_id}/edit", data=edit).status_code == 302
    edit = {"full_name": "Kiểm Tra Bốn", "role": "liaison", "communes": [LONG_XUYEN], "active": "y"}
    assert admin_client.post(f"/admin/users/{user_id}/edit", data=edit).status_code == 302
    admin_client.post(f"/admin/users/{user_id}/password", data={"password": "Dat-Lai-2026-x"})
    admin_client.post(f"/admin/users/{user_id}/active", data={"active": "0"})

    entries = [e for e in _entries(app, "account") if e.entity_id == user_id]
    assert [e.action for e in entries] == ["create", "update", "update", "password_reset", "update"]
    assert {e.actor_id for e in entries} == {_admin_id(app)}
    changed = [{c["field"]: (c["from"], c["to"]) for c in e.changes or []} for e in entries]
    assert changed[0]["role"] == (None, "inspector") and changed[0]["must_change_password"] == (None, True)
    assert changed[1] == {"role": ("inspector", "manager")}
    assert changed[2] == {"role": ("manager", "liaison"), "communes": ([], [LONG_XUYEN])}
    assert changed[4] == {"active": (True, False)}
    everything = json.dumps([[e.changes, e.reason] for e in entries], ensure_ascii=False)
    with app.app_context():
        password_hash = db.session.get(User, user_id).password_hash
    for secret in (password, "Dat-Lai-2026-x", password_hash, "password_hash"):
        assert secret not in everything
    # the administrator reads it on the account's page, in Vietnamese
    page = admin_client.get(f"/admin/users/{user_id}/edit").get_data(as_text=True)
    history = page.split('data-testid="account-history"')[1]
    assert history.count('data-testid="account-history-entry"') == 5
    assert "Vai trò</span>: Kiểm tra viên → Lãnh đạo" in history and "Đặt lại mật khẩu" in history
    assert "Quản Trị —" in history
    # in the same hash chain as the cases: intact
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "OK:" in result.output, result.output


def test_establishment_edits_and_new_campaigns_are_audited(app, client, make_user, login):
    user = make_user("thanhtra1", "inspector")
    login(user)
    form = {"name": "Cửa hàng Mỹ Thới", "business_type": "enterprise", "commune_code": LONG_XUYEN}
    resp = client.post("/establishments/new", data=form)
    assert resp.status_code == 302
    establishment_id = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    form |= {"name": "Cửa hàng xăng dầu Mỹ Thới", "phone": "0912345678"}
    assert client.post(f"/establishments/{establishment_id}/edit", data=form).status_code == 302
    entries = _entries(app, "establishment")
    assert [(e.action, e.entity_id, e.actor_id) for e in entries] == [
        ("create", establishment_id, user.id),
        ("update", establishment_id, user.id),
    ]
    assert {c["field"]: c["to"] for c in entries[1].changes} == {
        "name": "Cửa hàng xăng dầu Mỹ Thới",
        "phone": "0912345678",
    }
    # a survey with a new campaign
    survey = {
        "opened_on": "10/03/2026",
        "commune_code": LONG_XUYEN,
        "establishment_id": str(establishment_id),
        "field": "fuel",
        "new_campaign": "Khảo sát xăng dầu 2026",
    }
    assert client.post("/cases/new/survey", data=survey).status_code == 302
    campaigns = _entries(app, "campaign")
    assert [(e.action, e.actor_id) for e in campaigns] == [("create", user.id)]
    assert {c["field"]: c["to"] for c in campaigns[0].changes}["name"] == "Khảo sát xăng dầu 2026"


def test_the_security_log_records_sign_ins_and_refusals(app, admin_client, make_user, login, client):
    make_user("nannhan", full_name="Nạn Nhân")
    login("nannhan", password="doan-mo-12345")
    login("khongtontai", password="doan-mo-12345")
    login("nannhan")
    client.post("/logout")
    with app.app_context():
        rows = db.session.execute(
            select(SecurityEvent.kind, SecurityEvent.username, SecurityEvent.detail, SecurityEvent.user_id)
            .where(SecurityEvent.username != "quantri")
            .order_by(SecurityEvent.id)
        ).all()
    kinds = [(r.kind, r.username, r.detail) for r in rows]
    assert kinds == [
        ("sign_in_failed", "nannhan", "wrong_password"),
        ("sign_in_failed", "khongtontai", "unknown"),
        ("sign_in", "nannhan", None),
        ("sign_out", "nannhan", None),
    ]
    assert rows[0].user_id is not None and rows[1].user_id is None
    page = admin_client.get("/admin/security-log").get_data(as_text=True)
    assert "Nhật ký bảo mật" in page
    assert page.count('data-testid="security-event"') == 5  # the administrator's own sign-in too
    for label in (
        "Đăng nhập thất bại",
        "sai mật khẩu",
        "không có tên đăng nhập này",
        "Đăng xuất",
        "127.0.0.1",
    ):
        assert label in page, label
    today = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d/%m/%Y")
    assert today in page  # DD/MM/YYYY HH:MM, Vietnam's time
    failed = admin_client.get("/admin/security-log?kind=sign_in_failed").get_data(as_text=True)
    assert failed.count('data-testid="security-event"') == 2
    named = admin_client.get("/admin/security-log?q=nạn nhân").get_data(as_text=True)
    assert named.count('data-testid="security-event"') == 3  # by the account's name
    typed = admin_client.get("/admin/security-log?q=khongton").get_data(as_text=True)
    assert typed.count('data-testid="security-event"') == 1  # by the user name as typed
    later = admin_client.get("/admin/security-log?date_from=01/01/2099").get_data(as_text=True)
    assert "Không có sự kiện nào khớp" in later
    # a malformed filter is ignored, never an error
    assert admin_client.get("/admin/security-log?kind=x&date_from=99/99/9999&page=abc").status_code == 200


def test_a_rate_limited_attempt_is_logged_and_not_counted(app, client, make_user, login):
    make_user("nannhan")
    for _ in range(11):
        login("nannhan", password="doan-mo-12345")
    with app.app_context():
        kinds = list(db.session.scalars(select(SecurityEvent.kind).order_by(SecurityEvent.id)))
        now = dt.datetime.now(dt.UTC)
        assert security_log.recent_failures("127.0.0.1", "NanNhan", now=now) == (10, 10)
    assert kinds == ["sign_in_failed"] * 10 + ["rate_limited"]


def test_the_security_log_is_paginated_and_for_administrators_only(
    app, admin_client, make_user, login, client
):
    with app.app_context():
        for i in range(30):
            security_log.record("sign_in_failed", username=f"thu{i}", address="203.0.113.9", detail="unknown")
        db.session.commit()
    first = admin_client.get("/admin/security-log?address=203.0.113.9").get_data(as_text=True)
    second = admin_client.get("/admin/security-log?address=203.0.113.9&page=2").get_data(as_text=True)
    assert "30 kết quả" in first
    assert (
        first.count('data-testid="security-event"') == 25
        and second.count('data-testid="security-event"') == 5
    )
    login(make_user("thanhtra1"))
    assert client.get("/admin/security-log").status_code == 403
