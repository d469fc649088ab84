"""Four eyes on approval (issue 15 item 9): a manager does not approve a case they wrote or whose team
they are in; another manager does. ``ALLOW_SELF_APPROVAL`` (a department with a single manager) allows it,
and the case's history then marks the approval as self-approved."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient

from cases.db import db
from cases.errors import ValidationFailed
from cases.models import Case, User
from cases.review import workflow
from inspect_app.config import load_config
from tests import factories
from tests.conftest import TEST_PASSWORD
from tests.security_support import production_like_app

SUBMITTABLE = {
    "decision_number": "15/QĐ-SKHCN",
    "decision_date": dt.date(2026, 3, 1),
    "start_date": dt.date(2026, 3, 10),
    "end_date": dt.date(2026, 3, 12),
    "conclusion": "Vi phạm ghi nhãn.",
}
REFUSED = "Bạn là người lập hồ sơ này hoặc thuộc đoàn kiểm tra: một lãnh đạo khác phải phê duyệt."


def _client(app, username: str) -> FlaskClient:
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": TEST_PASSWORD}).status_code == 302
    return client


@pytest.fixture
def people(make_user):
    return {
        "author": make_user("ld-viet", "manager", full_name="Lãnh Đạo Viết"),
        "other": make_user("ld-khac", "manager", full_name="Lãnh Đạo Khác"),
        "inspector": make_user("kt-doan", "inspector"),
    }


def _submitted(app, author: User, team: list[User] | None = None) -> int:
    with app.app_context():
        actor = db.session.get(User, author.id)
        case = factories.case(actor, "inspection", team_ids=[u.id for u in team or []], **SUBMITTABLE)
        workflow.submit(case, actor)
        db.session.commit()
        return case.id


def _status(app, case_id: int) -> str:
    with app.app_context():
        return db.session.get(Case, case_id).status


@pytest.mark.parametrize("how", ["author", "team member"])
def test_a_manager_cannot_approve_their_own_case(app, people, how):
    if how == "author":
        case_id = _submitted(app, people["author"])
    else:
        case_id = _submitted(app, people["inspector"], team=[people["author"]])
    client = _client(app, "ld-viet")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'data-testid="approve-case"' not in page  # the button is not offered
    assert REFUSED in page
    assert 'data-testid="form-return"' in page  # returning it stays possible
    resp = client.post(f"/cases/{case_id}/approve")
    assert resp.status_code == 400 and REFUSED in resp.get_data(as_text=True)
    assert _status(app, case_id) == "submitted"
    # another manager approves it
    other = _client(app, "ld-khac")
    assert 'data-testid="approve-case"' in other.get(f"/cases/{case_id}").get_data(as_text=True)
    assert other.post(f"/cases/{case_id}/approve").status_code == 302
    assert _status(app, case_id) == "approved"
    history = other.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Tự phê duyệt" not in history


def test_the_rule_lives_in_the_domain(app_ctx, people):
    case_id = _submitted(app_ctx, people["author"])
    case = db.session.get(Case, case_id)
    author = db.session.get(User, people["author"].id)
    with pytest.raises(ValidationFailed) as refused:
        workflow.approve(case, author)
    assert refused.value.code == "approval_needs_another_manager"
    workflow.approve(case, author, self_approval=True)
    assert case.status == "approved"


def test_self_approval_when_allowed_is_marked_in_the_history(app, make_app, people):
    case_id = _submitted(app, people["author"])
    single = production_like_app(make_app, app, WTF_CSRF_ENABLED=False, ALLOW_SELF_APPROVAL=True)
    client = _client(single, "ld-viet")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'data-testid="approve-case"' in page and "lịch sử sẽ ghi lần phê duyệt này là tự phê duyệt" in page
    assert client.post(f"/cases/{case_id}/approve").status_code == 302
    assert _status(single, case_id) == "approved"
    history = client.get(f"/cases/{case_id}").get_data(as_text=True).split('data-testid="timeline"')[1]
    assert "Tự phê duyệt: người lập hồ sơ hoặc thành viên đoàn phê duyệt" in history


def test_allow_self_approval_is_read_from_the_environment(tmp_path):
    assert load_config(tmp_path, {"SECRET_KEY": "x"})["ALLOW_SELF_APPROVAL"] is False
    assert (
        load_config(tmp_path, {"SECRET_KEY": "x", "ALLOW_SELF_APPROVAL": "1"})["ALLOW_SELF_APPROVAL"] is True
    )
    assert (
        load_config(tmp_path, {"SECRET_KEY": "x", "ALLOW_SELF_APPROVAL": "no"})["ALLOW_SELF_APPROVAL"]
        is False
    )
