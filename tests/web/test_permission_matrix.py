"""Every role × every workflow action and case URL: allowed means done, refused means 403/404 (or the
login page for an anonymous visitor) with nothing changed — never a 500, never a silent success."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from cases.db import db
from cases.models import Case, User
from tests import factories

ROLES = ["owner", "other_inspector", "liaison_here", "liaison_elsewhere", "manager", "admin", "anonymous"]
CASE_COMMUNE = "30742"

#: action → (status the case is in, form data, status after success, roles allowed)
TRANSITIONS = {
    "submit": ("draft", {}, "submitted", {"owner", "manager"}),
    "return": ("submitted", {"note": "Bổ sung biên bản"}, "returned", {"manager"}),
    "approve": ("submitted", {}, "approved", {"manager"}),
    "close": ("approved", {}, "closed", {"manager"}),
    "reopen": ("approved", {"reason": "Sửa số quyết định"}, "returned", {"manager"}),
    "cancel": ("submitted", {"reason": "Trùng hồ sơ"}, "cancelled", {"manager"}),
}


@pytest.fixture
def people(make_user):
    return {
        "owner": make_user("chuhoso", "inspector"),
        "other_inspector": make_user("kiemtrakhac", "inspector"),
        "liaison_here": make_user("daumoi.day", "liaison", communes=(CASE_COMMUNE,)),
        "liaison_elsewhere": make_user("daumoi.kia", "liaison", communes=("30307",)),
        "manager": make_user("lanhdao", "manager"),
        "admin": make_user("quantri", "admin"),
    }


def _case(app, owner: User, status: str) -> int:
    with app.app_context():
        case = factories.case(
            db.session.get(User, owner.id),
            "inspection",
            commune_code=CASE_COMMUNE,
            decision_number="07/QĐ-SKHCN",
            decision_date=dt.date(2026, 3, 1),
            start_date=dt.date(2026, 3, 10),
            end_date=dt.date(2026, 3, 11),
            conclusion="Cơ sở chấp hành tốt.",
        )
        case.status = status
        db.session.commit()
        return case.id


def _status(app, case_id: int) -> str | None:
    with app.app_context():
        return db.session.scalar(select(Case.status).where(Case.id == case_id))


def _as(client, login, people, role):
    if role != "anonymous":
        assert login(people[role]).status_code == 302


def _refused(resp, role: str) -> bool:
    if role == "anonymous":
        return resp.status_code == 302 and "/login" in resp.headers["Location"]
    return resp.status_code in {403, 404}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_workflow_actions(app, client, login, people, role, action):
    start, data, after, allowed = TRANSITIONS[action]
    case_id = _case(app, people["owner"], start)
    _as(client, login, people, role)
    resp = client.post(f"/cases/{case_id}/{action}", data=data)
    assert resp.status_code != 500
    if role in allowed:
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        assert _status(app, case_id) == after
    else:
        assert _refused(resp, role), (resp.status_code, resp.headers.get("Location"))
        assert _status(app, case_id) == start


#: URL → (method, case status, roles allowed)
URLS = {
    "show": ("GET", "/cases/{id}", "draft", {"owner", "other_inspector", "liaison_here", "manager", "admin"}),
    "edit_form": ("GET", "/cases/{id}/edit", "draft", {"owner", "manager", "admin"}),
    "edit_approved": ("GET", "/cases/{id}/edit", "approved", set()),
    "delete": ("POST", "/cases/{id}/delete", "draft", {"owner"}),
    "delete_submitted": ("POST", "/cases/{id}/delete", "submitted", set()),
    "add_instrument": ("GET", "/cases/{id}/instruments/new", "draft", {"owner", "manager", "admin"}),
    "add_instrument_approved": ("GET", "/cases/{id}/instruments/new", "approved", set()),
    "review_page": ("GET", "/review/{id}", "submitted", {"manager"}),
    "review_queue": ("GET", "/review/", "submitted", {"manager"}),
    "overdue": ("GET", "/review/overdue", "submitted", {"manager"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(URLS))
def test_case_urls(app, client, login, people, role, name):
    method, template, status, allowed = URLS[name]
    case_id = _case(app, people["owner"], status)
    _as(client, login, people, role)
    url = template.format(id=case_id)
    resp = client.get(url) if method == "GET" else client.post(url)
    assert resp.status_code != 500
    if role in allowed:
        assert resp.status_code in {200, 302}
        if resp.status_code == 302:
            assert "/login" not in resp.headers["Location"]
        if name == "delete":
            assert _status(app, case_id) is None
    else:
        assert _refused(resp, role), (resp.status_code, resp.headers.get("Location"))
        assert _status(app, case_id) == status
