"""The review workflow: every transition by role, what submission needs, notes and reasons, the audit."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db import db
from cases.errors import PermissionDenied, ValidationFailed
from cases.inspection import items
from cases.inspection.items import SampleInput
from cases.models import Case
from cases.recording import service as case_service
from cases.review import workflow
from tests import factories

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def people(app_ctx, make_user):
    return {
        role: db.session.merge(
            make_user(f"wf-{role}", role, communes=("30742",) if role == "liaison" else ())
        )
        for role in ("inspector", "liaison", "manager", "admin")
    } | {"other": db.session.merge(make_user("wf-other", "inspector"))}


def _complete_inspection(author) -> Case:
    return factories.case(
        author,
        "inspection",
        decision_number="15/QĐ-SKHCN",
        decision_date=dt.date(2026, 3, 1),
        start_date=dt.date(2026, 3, 10),
        end_date=dt.date(2026, 3, 12),
        conclusion="Cơ sở chấp hành tốt.",
    )


def _status_events(case: Case) -> list[tuple[str, str, str, str | None]]:
    return [
        (e.action, e.changes[0]["from"], e.changes[0]["to"], e.reason)
        for e in reversed(audit.case_timeline(case.id))
        if e.changes and e.changes[0]["field"] == "status"
    ]


def test_the_whole_way_with_a_return_and_an_amendment(people):
    inspector, manager = people["inspector"], people["manager"]
    case = _complete_inspection(inspector)
    workflow.submit(case, inspector)
    assert case.status == "submitted" and case.submitted_at is not None
    workflow.return_to_inspector(case, manager, "  Thiếu biên bản niêm phong.  ")
    assert case.status == "returned" and case.return_note == "Thiếu biên bản niêm phong."
    assert permissions.can_edit_case(inspector, case)
    workflow.submit(case, inspector)
    assert case.return_note is None
    workflow.approve(case, manager)
    assert not permissions.can_edit_case(inspector, case) and not permissions.can_edit_case(manager, case)
    workflow.close(case, manager, today=TODAY)
    assert case.status == "closed" and case.closed_on == TODAY
    workflow.reopen(case, manager, "Sai số quyết định")
    assert case.status == "returned" and case.return_note == "Sai số quyết định"
    db.session.commit()

    assert _status_events(case) == [
        ("submit", "draft", "submitted", None),
        ("return", "submitted", "returned", "Thiếu biên bản niêm phong."),
        ("submit", "returned", "submitted", None),
        ("approve", "submitted", "approved", None),
        ("close", "approved", "closed", None),
        ("reopen", "closed", "returned", "Sai số quyết định"),
    ]
    assert all(e.actor_id for e in audit.case_timeline(case.id))


@pytest.mark.parametrize("kind", ["inspection", "ecommerce", "survey"])
def test_submission_lists_the_missing_fields(people, kind):
    case = factories.case(people["inspector"], kind)
    with pytest.raises(ValidationFailed) as caught:
        workflow.submit(case, people["inspector"])
    assert caught.value.code == "missing_for_submission"
    expected = {
        "inspection": ["decision_number", "decision_date", "start_date", "end_date", "conclusion"],
        "ecommerce": ["action"],
        "survey": ["samples"],
    }[kind]
    assert caught.value.params["fields"] == expected
    assert case.status == "draft"


def test_a_survey_needs_a_sample_with_a_result(people):
    inspector = people["inspector"]
    case = factories.case(inspector, "survey")
    items.add_item(
        case=case, actor=inspector, data=SampleInput(name="Xăng RON 95", result="pending"), today=TODAY
    )
    assert workflow.missing_for_submission(case) == ["samples"]
    items.add_item(case=case, actor=inspector, data=SampleInput(name="Dầu DO", result="pass"), today=TODAY)
    assert workflow.missing_for_submission(case) == []
    workflow.submit(case, inspector)
    assert case.status == "submitted"


def test_an_ecommerce_check_needs_its_action(people):
    case = factories.case(people["inspector"], "ecommerce", action="warning")
    assert workflow.missing_for_submission(case) == []


def _case_in(status: str, people) -> Case:
    case = _complete_inspection(people["inspector"])
    manager = people["manager"]
    path = {
        "draft": [],
        "submitted": ["submit"],
        "returned": ["submit", "return"],
        "approved": ["submit", "approve"],
        "closed": ["submit", "approve", "close"],
        "cancelled": ["submit", "cancel"],
    }[status]
    for step in path:
        if step == "submit":
            workflow.submit(case, people["inspector"])
        elif step == "return":
            workflow.return_to_inspector(case, manager, "ghi chú")
        elif step == "approve":
            workflow.approve(case, manager)
        elif step == "close":
            workflow.close(case, manager)
        elif step == "cancel":
            workflow.cancel(case, manager, "trùng hồ sơ")
    assert case.status == status
    return case


def _do(action: str, case: Case, user) -> None:
    if action == "submit":
        workflow.submit(case, user)
    elif action == "return":
        workflow.return_to_inspector(case, user, "ghi chú")
    elif action == "approve":
        workflow.approve(case, user)
    elif action == "close":
        workflow.close(case, user)
    elif action == "reopen":
        workflow.reopen(case, user, "lý do")
    elif action == "cancel":
        workflow.cancel(case, user, "lý do")


ALLOWED = {
    # (action, from status): the roles allowed ("inspector" is the author)
    ("submit", "draft"): {"inspector", "manager"},
    ("submit", "returned"): {"inspector", "manager"},
    ("return", "submitted"): {"manager"},
    ("approve", "submitted"): {"manager"},
    ("close", "approved"): {"manager"},
    ("reopen", "approved"): {"manager"},
    ("reopen", "closed"): {"manager"},
    ("cancel", "submitted"): {"manager"},
    ("cancel", "returned"): {"manager"},
    ("cancel", "approved"): {"manager"},
}
STATUSES = ["draft", "submitted", "returned", "approved", "closed", "cancelled"]
ACTIONS = ["submit", "return", "approve", "close", "reopen", "cancel"]
ROLES = ["inspector", "other", "liaison", "manager", "admin"]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_transition_by_role(people, action, status):
    for role in ROLES:
        case = _case_in(status, people)
        allowed = role in ALLOWED.get((action, status), set())
        if allowed:
            _do(action, case, people[role])
            assert case.status != status or action == "submit"
        else:
            with pytest.raises(PermissionDenied):
                _do(action, case, people[role])
            assert case.status == status, (action, status, role)
        db.session.rollback()


def test_notes_and_reasons_are_required(people):
    manager = people["manager"]
    case = _case_in("submitted", people)
    with pytest.raises(ValidationFailed) as caught:
        workflow.return_to_inspector(case, manager, "   ")
    assert (caught.value.code, caught.value.field) == ("required", "note")
    workflow.approve(case, manager)
    for action in (workflow.reopen, workflow.cancel):
        with pytest.raises(ValidationFailed) as caught:
            action(case, manager, None)
        assert (caught.value.code, caught.value.field) == ("required", "reason")
    assert case.status == "approved"


def test_cancelling_keeps_the_case(people):
    case = _case_in("approved", people)
    case_id = case.id
    workflow.cancel(case, people["manager"], "Hồ sơ trùng với KT-2026-0003")
    db.session.commit()
    found = db.session.get(Case, case_id)
    assert found is not None and found.status == "cancelled"
    assert found.cancel_reason == "Hồ sơ trùng với KT-2026-0003"
    assert not permissions.can_delete_case(people["inspector"], found)
    with pytest.raises(PermissionDenied):
        case_service.delete_draft(case=found, actor=people["inspector"])


def test_an_approved_case_is_read_only(people):
    case = _case_in("approved", people)
    data = case_service.case_to_input(case)
    with pytest.raises(PermissionDenied):
        case_service.update_case(case=case, actor=people["inspector"], data=data, expected_version=None)
    with pytest.raises(PermissionDenied):
        items.add_item(case=case, actor=people["manager"], data=SampleInput(name="x", result="pass"))


def test_closing_with_a_sanction_outstanding_needs_a_reason(people):
    from sqlalchemy import select

    from cases.models import Finding, Violation

    case = _case_in("approved", people)
    violation = db.session.scalar(select(Violation).order_by(Violation.code).limit(1))
    finding = Finding(
        case_id=case.id,
        violation_id=violation.id,
        offender_type="individual",
        status="confirmed",
        decided_fine_vnd=3_000_000,
        remedies_decided="Buộc tiêu hủy",
    )
    db.session.add(finding)
    db.session.flush()
    db.session.refresh(case)
    assert [(u.code, u.fine_unpaid_vnd, u.remedy_pending) for u in workflow.unsettled_sanctions(case)] == [
        (violation.code, 3_000_000, "Buộc tiêu hủy")
    ]
    with pytest.raises(ValidationFailed) as refused:
        workflow.close(case, people["manager"], reason="   ")
    assert (refused.value.code, refused.value.field) == ("close_unsettled", "reason")
    assert case.status == "approved"

    finding.fine_paid_on = TODAY  # the fine paid, the remedy still pending: still asks
    db.session.flush()
    with pytest.raises(ValidationFailed):
        workflow.close(case, people["manager"])
    workflow.close(case, people["manager"], today=TODAY, reason="Cơ sở đã ngừng kinh doanh.")
    assert case.status == "closed"
    assert _status_events(case)[-1][3] == "Cơ sở đã ngừng kinh doanh."
