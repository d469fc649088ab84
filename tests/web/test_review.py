"""The review workflow on the web: the buttons on a case, notes and reasons, read-only approved cases,
the managers' queue and review page, the counts in the navigation, the timeline."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask.testing import FlaskClient

from cases.db import db
from cases.models import Case, User
from cases.review import findings, workflow
from cases.review.findings import FindingInput
from tests import factories
from tests.case_items_support import violation
from tests.conftest import TEST_PASSWORD


def _client(app, user: User) -> FlaskClient:
    client = app.test_client()
    resp = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert resp.status_code == 302
    return client


@pytest.fixture
def people(make_user):
    return {
        "inspector": make_user("kt-review", "inspector", full_name="Trần Kiểm Tra"),
        "other": make_user("kt-khac", "inspector"),
        "manager": make_user("ld-review", "manager", full_name="Lê Lãnh Đạo"),
        "admin": make_user("qt-review", "admin"),
        "liaison": make_user("lh-review", "liaison", communes=("30742",)),
    }


def _make(app, people, status: str = "draft", **overrides) -> int:
    with app.app_context():
        inspector = db.session.get(User, people["inspector"].id)
        manager = db.session.get(User, people["manager"].id)
        values = {
            "decision_number": "15/QĐ-SKHCN",
            "decision_date": dt.date(2026, 3, 1),
            "start_date": dt.date(2026, 3, 10),
            "end_date": dt.date(2026, 3, 12),
            "conclusion": "Vi phạm ghi nhãn.",
        }
        values.update(overrides)
        case = factories.case(inspector, "inspection", **values)
        if status != "draft":
            workflow.submit(case, inspector)
        if status == "returned":
            workflow.return_to_inspector(case, manager, "Bổ sung ảnh tem kiểm định.")
        if status in {"approved", "closed"}:
            workflow.approve(case, manager)
        if status == "closed":
            workflow.close(case, manager)
        db.session.commit()
        return case.id


def _status(app, case_id: int) -> str | None:
    with app.app_context():
        case = db.session.get(Case, case_id)
        return case.status if case else None


def test_inspector_submits_and_sees_the_missing_fields_first(app, people):
    case_id = _make(app, people, decision_number=None, conclusion=None)
    client = _client(app, people["inspector"])
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'data-testid="missing-fields"' in page
    resp = client.post(f"/cases/{case_id}/submit")
    assert resp.status_code == 400
    text = resp.get_data(as_text=True)
    assert "Chưa thể gửi duyệt" in text and "số quyết định" in text and "kết luận" in text
    assert _status(app, case_id) == "draft"

    complete = _make(app, people)
    resp = client.post(f"/cases/{complete}/submit")
    assert resp.status_code == 302 and _status(app, complete) == "submitted"


def test_manager_returns_with_a_note_the_inspector_sees(app, people):
    case_id = _make(app, people, "submitted")
    manager = _client(app, people["manager"])
    resp = manager.post(f"/cases/{case_id}/return", data={"note": "  "})
    assert resp.status_code == 400
    assert 'data-testid="workflow-error"' in resp.get_data(as_text=True)
    assert _status(app, case_id) == "submitted"
    resp = manager.post(f"/cases/{case_id}/return", data={"note": "Thiếu biên bản lấy mẫu."})
    assert resp.status_code == 302 and _status(app, case_id) == "returned"

    inspector = _client(app, people["inspector"])
    page = inspector.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'data-testid="return-note"' in page and "Thiếu biên bản lấy mẫu." in page
    home = inspector.get("/").get_data(as_text=True)
    assert "Thiếu biên bản lấy mẫu." in home
    assert re.search(r'data-testid="nav-returned-count"[^>]*>1<', home)


@pytest.mark.parametrize(
    ("status", "action", "allowed"),
    [
        ("draft", "submit", {"inspector", "manager"}),
        ("submitted", "approve", {"manager"}),
        ("submitted", "return", {"manager"}),
        ("approved", "close", {"manager"}),
        ("approved", "reopen", {"manager"}),
        ("approved", "cancel", {"manager"}),
        ("closed", "cancel", set()),
        ("draft", "approve", set()),
    ],
)
def test_who_may_do_what_by_url(app, people, status, action, allowed):
    for role in ("inspector", "other", "liaison", "admin", "manager"):
        case_id = _make(app, people, status)
        resp = _client(app, people[role]).post(
            f"/cases/{case_id}/{action}", data={"note": "x", "reason": "y"}
        )
        if role in allowed:
            assert resp.status_code == 302, (role, action)
            assert _status(app, case_id) != status
        else:
            assert resp.status_code == 403, (role, action)
            assert _status(app, case_id) == status


def test_an_approved_case_is_read_only(app, people):
    case_id = _make(app, people, "approved")
    for role in ("inspector", "manager"):
        client = _client(app, people[role])
        assert client.get(f"/cases/{case_id}/edit").status_code == 403
        page = client.get(f"/cases/{case_id}").get_data(as_text=True)
        assert f'href="/cases/{case_id}/edit"' not in page
    inspector = _client(app, people["inspector"])
    assert inspector.post(f"/cases/{case_id}/goods/new", data={"name": "x"}).status_code in {403, 404}


def test_reopen_and_cancel_need_a_reason_and_cancel_never_deletes(app, people):
    case_id = _make(app, people, "closed")
    manager = _client(app, people["manager"])
    resp = manager.post(f"/cases/{case_id}/reopen", data={"reason": ""})
    assert resp.status_code == 400 and _status(app, case_id) == "closed"
    resp = manager.post(f"/cases/{case_id}/reopen", data={"reason": "Sai ngày quyết định"})
    assert resp.status_code == 302 and _status(app, case_id) == "returned"

    other = _make(app, people, "approved")
    resp = manager.post(f"/cases/{other}/cancel", data={"reason": ""})
    assert resp.status_code == 400 and _status(app, other) == "approved"
    resp = manager.post(f"/cases/{other}/cancel", data={"reason": "Trùng hồ sơ"})
    assert resp.status_code == 302 and _status(app, other) == "cancelled"
    page = manager.get(f"/cases/{other}").get_data(as_text=True)
    assert 'data-testid="cancel-reason"' in page and "Trùng hồ sơ" in page
    inspector = _client(app, people["inspector"])
    assert inspector.post(f"/cases/{other}/delete").status_code == 403
    assert _status(app, other) == "cancelled"


def test_the_timeline_shows_who_what_and_why(app, people):
    case_id = _make(app, people, "returned")
    page = _client(app, people["inspector"]).get(f"/cases/{case_id}").get_data(as_text=True)
    timeline = page[page.index('data-testid="timeline"') :]
    assert timeline.count('data-testid="timeline-entry"') == 3  # create, submit, return
    assert "Lê Lãnh Đạo" in timeline and "Trần Kiểm Tra" in timeline
    assert "Bổ sung ảnh tem kiểm định." in timeline
    assert re.search(r"\d\d/\d\d/\d{4}", timeline)


def test_the_queue_lists_submitted_cases_oldest_first_with_filters(app, people):
    first = _make(app, people, "submitted", product="Xăng RON 95")
    second = _make(app, people, "submitted", product="Mũ bảo hiểm")
    _make(app, people, "draft")
    _make(app, people, "approved")
    with app.app_context():  # the first one was submitted later: it moves after the second
        case = db.session.get(Case, first)
        case.submitted_at = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
        db.session.commit()
    manager = _client(app, people["manager"])
    page = manager.get("/review/").get_data(as_text=True)
    numbers = re.findall(r'href="/review/(\d+)" class="fw-semibold', page)
    assert numbers == [str(second), str(first)]
    filtered = manager.get("/review/?q=xang").get_data(as_text=True)
    assert re.findall(r'href="/review/(\d+)" class="fw-semibold', filtered) == [str(first)]
    assert re.search(r'data-testid="nav-review-count"[^>]*>2<', page)


@pytest.mark.parametrize("role", ["inspector", "liaison", "admin"])
def test_only_managers_review(app, people, role):
    case_id = _make(app, people, "submitted")
    client = _client(app, people[role])
    assert client.get("/review/").status_code == 403
    assert client.get(f"/review/{case_id}").status_code == 403
    assert 'data-testid="nav-review-count"' not in client.get("/").get_data(as_text=True)


def test_the_review_page_puts_findings_beside_the_catalog(app, people):
    case_id = _make(app, people)
    with app.app_context():
        case = db.session.get(Case, case_id)
        inspector = db.session.get(User, people["inspector"].id)
        entry = violation(_a_code_with_a_range())
        findings.add_finding(
            case=case,
            actor=inspector,
            data=FindingInput(
                violation_id=entry.id, offender_type="organisation", proposed_fine_vnd=1_000_000
            ),
        )
        workflow.submit(case, inspector)
        db.session.commit()
        legal_basis, low = entry.legal_basis, entry.fine_individual_min
    page = _client(app, people["manager"]).get(f"/review/{case_id}").get_data(as_text=True)
    assert 'data-testid="review-finding"' in page and 'data-testid="catalog-entry"' in page
    assert legal_basis in page
    doubled = f"{2 * low:,}".replace(",", ".")
    assert doubled in page[page.index('data-testid="catalog-range"') :][:200]
    assert 'data-testid="evidence-section"' in page and 'name="files"' not in page
    assert 'data-testid="approve-case"' in page


def _a_code_with_a_range() -> str:
    from sqlalchemy import select

    from cases.models import Violation

    return db.session.scalar(
        select(Violation.code)
        .where(Violation.retired.is_(False), Violation.fine_individual_min > 0)
        .order_by(Violation.id)
    )


def test_nav_counts_are_zero_free_and_absent_when_signed_out(app, people, client):
    _make(app, people, "submitted")
    assert "nav-review-count" not in client.get("/login").get_data(as_text=True)
    page = _client(app, people["inspector"]).get("/").get_data(as_text=True)
    assert "nav-returned-count" not in page  # nothing returned: no badge


def test_the_timeline_names_changed_fields_by_their_form_labels(app, people):
    case_id = _make(app, people)
    inspector = _client(app, people["inspector"])
    with app.app_context():
        from cases.recording import service as case_service

        case = db.session.get(Case, case_id)
        data = case_service.case_to_input(case)
        data.conclusion = "Kết luận mới"
        case_service.update_case(
            case=case,
            actor=db.session.get(User, people["inspector"].id),
            data=data,
            expected_version=None,
            today=dt.date(2026, 11, 24),
        )
        db.session.commit()
    page = inspector.get(f"/cases/{case_id}").get_data(as_text=True)
    timeline = page[page.index('data-testid="timeline"') :]
    assert '<span class="fw-semibold">Kết luận</span>' in timeline
    assert 'title="conclusion"' not in timeline  # no column name, not even in a hover title
    assert "Vi phạm ghi nhãn. → Kết luận mới" in timeline
