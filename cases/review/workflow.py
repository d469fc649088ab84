"""The review workflow of a case: the one place where a case changes state.

::

    draft ──submit──▶ submitted ──approve──▶ approved ──close──▶ closed
                        │   ▲                   │                  │
                 return │   │ submit            └──── reopen ──────┘
                        ▼   │                     (with a reason)  │
                      returned ◀───────────────────────────────────┘

- An inspector (the case's author or a team member; a manager too) submits a draft or a returned case,
  once the fields the kind needs for review are filled in (:func:`missing_for_submission`).
- Only a manager returns (with a note the inspector sees), approves, closes, reopens and cancels. Closing a
  case with a fine unpaid or a remedy not done asks for a reason, kept in the audit trail.
  Administrators run the system; they do not review cases. A manager does not approve a case they wrote
  or whose team they are in: another manager does, unless self-approval is allowed (a department with one
  manager), and then the history records a ``self_approve``.
- Approved and closed cases are read-only (``permissions.can_edit_case`` allows draft and returned only).
  An amendment is a reopen: the manager states why, the case goes back to ``returned`` with that reason as
  its note, the author corrects it (every edit is in the audit trail) and submits it again.
- A draft is deleted (by its creator, ``case_service.delete_draft``); anything past draft is never deleted,
  only cancelled with a reason (from submitted, returned or approved; a closed case stays closed).

Every transition writes an audit entry (``status`` from → to, and the note or reason). Flushes, never commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db import db
from cases.enums import CaseKind, CaseStatus, FindingStatus, ItemResult
from cases.errors import PermissionDenied, ValidationFailed
from cases.models import Case, User
from cases.review.decisions import undecided_codes
from cases.text import clean_text

#: The fields each kind needs before review, in the order the message lists them.
REQUIRED_FOR_SUBMISSION: dict[str, tuple[str, ...]] = {
    CaseKind.INSPECTION.value: (
        "establishment_id",
        "decision_number",
        "decision_date",
        "start_date",
        "end_date",
        "conclusion",
    ),
    CaseKind.ECOMMERCE.value: ("action",),
    CaseKind.SURVEY.value: ("establishment_id",),
}

REASON_MAX = 5000


def missing_for_submission(case: Case) -> list[str]:
    """The codes of the fields still empty that review needs (``samples``: a survey's tested sample)."""
    missing = [
        name for name in REQUIRED_FOR_SUBMISSION.get(case.kind, ()) if getattr(case, name) in (None, "")
    ]
    if case.kind == CaseKind.SURVEY and not any(
        s.result in (ItemResult.PASS, ItemResult.FAIL) for s in case.samples
    ):
        missing.append("samples")
    return missing


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _move(case: Case, actor: User, action: str, to_status: CaseStatus, reason: str | None = None) -> Case:
    from_status = case.status
    case.status = to_status.value
    db.session.flush()
    audit.record(
        actor,
        action,
        case=case,
        changes=[{"field": "status", "from": from_status, "to": to_status.value}],
        reason=reason,
    )
    return case


def submit(case: Case, actor: User) -> Case:
    """Draft or returned → submitted, once complete (``missing_fields`` lists what is not)."""
    if not permissions.can_submit(actor, case):
        raise PermissionDenied()
    missing = missing_for_submission(case)
    if missing:
        raise ValidationFailed("missing_for_submission", fields=missing)
    case.submitted_at = _now()
    case.return_note = None
    return _move(case, actor, "submit", CaseStatus.SUBMITTED)


def return_to_inspector(case: Case, actor: User, note: str | None) -> Case:
    """Submitted → returned, with the note the inspector sees on the case and in their list."""
    if not permissions.can_return(actor, case):
        raise PermissionDenied()
    note = clean_text(note, "note", REASON_MAX, required=True, multiline=True)
    case.return_note = note
    case.returned_at = _now()
    return _move(case, actor, "return", CaseStatus.RETURNED, note)


def approve(case: Case, actor: User, *, self_approval: bool = False) -> Case:
    """Submitted → approved, by a manager who neither wrote the case nor is in its team, unless
    ``self_approval`` is allowed: such an approval is recorded as ``self_approve``."""
    if permissions.needs_another_manager(actor, case, self_approval=self_approval):
        raise ValidationFailed("approval_needs_another_manager")
    if not permissions.can_approve(actor, case, self_approval=self_approval):
        raise PermissionDenied()
    undecided = undecided_codes(case.id)
    if undecided:
        raise ValidationFailed("findings_undecided", codes=undecided)
    action = "self_approve" if permissions.is_self_approval(actor, case) else "approve"
    return _move(case, actor, action, CaseStatus.APPROVED)


@dataclass(frozen=True)
class Unsettled:
    """A confirmed finding whose fine is not paid or whose remedy is not done yet."""

    finding_id: int
    code: str
    fine_unpaid_vnd: int | None  # the decided fine, when it is not paid
    remedy_pending: str | None  # the remedies decided, when they are not done


def unsettled_sanctions(case: Case) -> list[Unsettled]:
    """The confirmed findings of ``case`` with a fine unpaid or a remedy not done (closing asks why)."""
    found = []
    for f in case.findings:
        if f.status != FindingStatus.CONFIRMED.value:
            continue
        unpaid = f.decided_fine_vnd if f.decided_fine_vnd and f.fine_paid_on is None else None
        pending = f.remedies_decided if f.remedies_decided and f.remedy_done_on is None else None
        if unpaid or pending:
            found.append(Unsettled(f.id, f.violation.code if f.violation else "", unpaid, pending))
    return found


def close(case: Case, actor: User, today: dt.date | None = None, reason: str | None = None) -> Case:
    """Approved → closed; the closing date is today unless one was recorded.

    A case whose sanctions are not all settled (:func:`unsettled_sanctions`) closes only with a reason
    (``close_unsettled`` on the field ``reason`` otherwise), recorded with the transition in the audit
    trail; a settled case closes in one step, a reason given then is recorded too.
    """
    if not permissions.can_close(actor, case):
        raise PermissionDenied()
    unsettled = unsettled_sanctions(case)
    reason = clean_text(reason, "reason", REASON_MAX, multiline=True)
    if unsettled and reason is None:
        raise ValidationFailed("close_unsettled", field="reason", codes=[u.code for u in unsettled])
    if case.closed_on is None:
        case.closed_on = today or dt.date.today()
    return _move(case, actor, "close", CaseStatus.CLOSED, reason)


def reopen(case: Case, actor: User, reason: str | None) -> Case:
    """Approved or closed → returned for an amendment; the reason is recorded and shown as the note."""
    if not permissions.can_reopen(actor, case):
        raise PermissionDenied()
    reason = clean_text(reason, "reason", REASON_MAX, required=True, multiline=True)
    case.return_note = reason
    case.returned_at = _now()
    return _move(case, actor, "reopen", CaseStatus.RETURNED, reason)


def cancel(case: Case, actor: User, reason: str | None) -> Case:
    """Submitted, returned or approved → cancelled, with a reason. Nothing is deleted."""
    if not permissions.can_cancel(actor, case):
        raise PermissionDenied()
    reason = clean_text(reason, "reason", REASON_MAX, required=True, multiline=True)
    case.cancel_reason = reason
    return _move(case, actor, "cancel", CaseStatus.CANCELLED, reason)
