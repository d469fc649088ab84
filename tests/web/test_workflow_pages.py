"""The workflow's actions with a text, on the pages they are on.

* A refused action (a "return to inspector" without a note, a cancel or reopen without a reason, a close
  without a reason while a sanction is outstanding) shows the page the user was on again — the review page
  or the case page — with the message beside the text field and what was typed kept. Before the fix a
  return refused on the review page answered with the case page.
* Closing a case with a fine unpaid or a remedy not done asks for a reason, kept in the history; a case
  whose sanctions are settled closes in one click.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from cases.db import db
from cases.models import AuditEvent, Case, Finding, User, Violation
from tests import factories
from tests.page_forms import fill

VI = {"Accept-Language": "vi"}
REVIEW_PAGE = 'data-testid="case-number">'  # the review page's heading links to the case


@pytest.fixture
def people(make_user):
    return make_user("kiemtra1", "inspector"), make_user("lanhdao", "manager")


def _case(app, inspector, status: str, **finding) -> int:
    with app.app_context():
        case = factories.case(db.session.get(User, inspector.id), "inspection")
        case.status = status
        if finding:
            violation = db.session.scalar(select(Violation).order_by(Violation.code).limit(1))
            db.session.add(
                Finding(
                    case_id=case.id,
                    violation_id=violation.id,
                    offender_type="organisation",
                    status="confirmed",
                    decision_number="12/QĐ-XPHC",
                    decision_date=dt.date.today() - dt.timedelta(days=10),
                    **finding,
                )
            )
        db.session.commit()
        return case.id


def _status(app, case_id: int) -> str:
    with app.app_context():
        return db.session.get(Case, case_id).status


def _is_review_page(html: str) -> bool:
    return "Quay lại danh sách chờ duyệt" in html  # "Back to the queue", only on the review page


def test_a_return_without_a_note_shows_the_review_page_again_with_the_error_beside_the_note(
    app, client, login, people
):
    inspector, manager = people
    case_id = _case(app, inspector, "submitted")
    login(manager)
    review = client.get(f"/review/{case_id}", headers=VI).get_data(as_text=True)
    action = f"/cases/{case_id}/return"
    resp = client.post(action, data=fill(review, {}, action=action), headers=VI)
    assert resp.status_code == 400
    body = resp.get_data(as_text=True)
    assert _is_review_page(body), "the review page, where the user was"
    assert re.search(r'id="return-note-error"[^>]*>[^<]+<', body)
    assert 'aria-describedby="return-note-error"' in body
    assert _status(app, case_id) == "submitted"

    too_long = "Bổ sung biên bản. " * 300  # over 5,000 characters: refused, and kept to be shortened
    data = fill(review, {"Ghi chú cho cán bộ kiểm tra (cần sửa gì)": too_long}, action=action)
    body = client.post(action, data=data, headers=VI).get_data(as_text=True)
    assert _is_review_page(body) and re.search(r'id="return-note-error"', body)
    assert too_long.strip() in body

    data = fill(
        review, {"Ghi chú cho cán bộ kiểm tra (cần sửa gì)": "Bổ sung biên bản lấy mẫu."}, action=action
    )
    assert client.post(action, data=data).status_code == 302
    assert _status(app, case_id) == "returned"


@pytest.mark.parametrize(("page", "status"), [("review", "submitted"), ("case", "approved")])
def test_a_cancel_without_a_reason_shows_the_page_it_was_on(app, client, login, people, page, status):
    inspector, manager = people
    case_id = _case(app, inspector, status)
    login(manager)
    url = f"/review/{case_id}" if page == "review" else f"/cases/{case_id}"
    html = client.get(url, headers=VI).get_data(as_text=True)
    action = f"/cases/{case_id}/cancel"
    resp = client.post(action, data=fill(html, {}, action=action), headers=VI)
    assert resp.status_code == 400
    body = resp.get_data(as_text=True)
    assert _is_review_page(body) == (page == "review")
    assert re.search(r'id="cancel-reason-error"', body)
    assert _status(app, case_id) == status


def test_a_reopen_without_a_reason_shows_the_case_page_with_the_error(app, client, login, people):
    inspector, manager = people
    case_id = _case(app, inspector, "closed")
    login(manager)
    html = client.get(f"/cases/{case_id}", headers=VI).get_data(as_text=True)
    action = f"/cases/{case_id}/reopen"
    resp = client.post(action, data=fill(html, {}, action=action), headers=VI)
    assert resp.status_code == 400
    body = resp.get_data(as_text=True)
    assert not _is_review_page(body) and re.search(r'id="reopen-reason-error"', body)


@pytest.mark.parametrize("page", ["review", "case"])
def test_closing_with_a_fine_unpaid_asks_for_a_reason_kept_in_the_history(app, client, login, people, page):
    inspector, manager = people
    case_id = _case(app, inspector, "approved", decided_fine_vnd=7_500_000, sanction_form="fine")
    login(manager)
    url = f"/review/{case_id}" if page == "review" else f"/cases/{case_id}"
    html = client.get(url, headers=VI).get_data(as_text=True)
    assert 'data-testid="unsettled"' in html and "7.500.000" in html
    action = f"/cases/{case_id}/close"
    resp = client.post(action, data=fill(html, {}, action=action), headers=VI)
    assert resp.status_code == 400
    body = resp.get_data(as_text=True)
    assert _is_review_page(body) == (page == "review")
    assert re.search(r'id="close-reason-error"[^>]*>[^<]+<', body)
    assert _status(app, case_id) == "approved"

    reason = "Cơ sở đã giải thể; chuyển hồ sơ cưỡng chế cho cơ quan thuế."
    data = fill(body, {"Lý do vẫn kết thúc hồ sơ": reason}, action=action)
    assert client.post(action, data=data).status_code == 302
    assert _status(app, case_id) == "closed"
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEvent).where(AuditEvent.case_id == case_id, AuditEvent.action == "close")
        )
        assert entry.reason == reason
    assert reason in client.get(f"/cases/{case_id}", headers=VI).get_data(as_text=True)  # the history


def test_a_remedy_not_done_also_asks_for_a_reason(app, client, login, people):
    inspector, manager = people
    case_id = _case(
        app, inspector, "approved", remedies_decided="Buộc thu hồi hàng hóa", sanction_form="warning"
    )
    login(manager)
    html = client.get(f"/cases/{case_id}", headers=VI).get_data(as_text=True)
    assert "Buộc thu hồi hàng hóa" in html and 'id="close-reason"' in html
    assert client.post(f"/cases/{case_id}/close").status_code == 400
    assert _status(app, case_id) == "approved"


def test_a_settled_case_closes_in_one_click(app, client, login, people):
    inspector, manager = people
    paid = dt.date.today() - dt.timedelta(days=2)
    case_id = _case(
        app,
        inspector,
        "approved",
        decided_fine_vnd=7_500_000,
        fine_paid_on=paid,
        remedies_decided="Buộc thu hồi",
        remedy_done_on=paid,
        sanction_form="fine",
    )
    login(manager)
    html = client.get(f"/cases/{case_id}", headers=VI).get_data(as_text=True)
    assert 'data-testid="unsettled"' not in html and 'id="close-reason"' not in html
    action = f"/cases/{case_id}/close"
    assert client.post(action, data=fill(html, {}, action=action)).status_code == 302
    assert _status(app, case_id) == "closed"
