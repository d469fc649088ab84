"""A manager's review of the findings on a submitted case, the sanction decided, and its follow-up.

- Each proposed finding is confirmed (with the sanction decided) or dismissed, with a reason, while the
  case is submitted. An e-commerce finding may instead be referred to another agency (confirmed, no
  sanction of ours: the agency, the date and their reference are recorded).
- The fine is checked against the catalog's range for the offender type (an organisation pays double,
  ``findings.fine_range``); outside it, an explicit override reason is required. Where the catalog has no
  amount, any fine is accepted.
- Payment of the fine and completion of the remedy are recorded later, also on approved or closed cases.
- Every save carries the version the user loaded (``expected_version``); a stale one is refused with
  ``stale_finding`` so two managers editing at once never lose an update.
- Case totals (fines decided, fines collected) are derived in SQL, never typed.

Every action writes an audit entry with the field diff. Flushes, never commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case as sql_case
from sqlalchemy import func, select

from cases import audit, permissions
from cases.db import db
from cases.enums import CaseKind, CaseStatus, FindingStatus, OffenderType, SanctionForm
from cases.errors import PermissionDenied, ValidationFailed
from cases.findings import fine_range
from cases.models import Finding, User, Violation

TEXT_MAX = 5000
SHORT_MAX = 100
AGENCY_MAX = 255

#: Where payment and remedy dates may be recorded.
FOLLOW_UP_STATUSES = (CaseStatus.SUBMITTED.value, CaseStatus.APPROVED.value, CaseStatus.CLOSED.value)


@dataclass
class Totals:
    fines_decided_vnd: int
    fines_collected_vnd: int
    seized_goods_value_vnd: int
    confirmed: int
    dismissed: int
    undecided: int


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _text(value: str | None, field: str, max_length: int, *, required: bool = False) -> str | None:
    if isinstance(value, str):
        value = value.strip() or None
    if value is None and required:
        raise ValidationFailed("required", field=field)
    if value is not None and len(value) > max_length:
        raise ValidationFailed("too_long", field=field, max=max_length)
    return value


def _past_date(
    value: dt.date | None, field: str, today: dt.date, *, required: bool = False
) -> dt.date | None:
    if value is None:
        if required:
            raise ValidationFailed("required", field=field)
        return None
    if value > today:
        raise ValidationFailed("date_in_future", field=field)
    return value


def _amount(value: int | None, field: str) -> int | None:
    if value is not None and value < 0:
        raise ValidationFailed("negative", field=field)
    return value


def _check(finding: Finding, actor: User, expected_version: int | None, statuses: tuple[str, ...]) -> None:
    if not permissions.can_review(actor) or not permissions.can_view_case(actor, finding.case):
        raise PermissionDenied()
    if finding.case.status not in statuses:
        raise ValidationFailed("case_not_under_review", status=finding.case.status)
    if expected_version is not None and expected_version != finding.version:
        raise ValidationFailed("stale_finding", field="version")


def _audit(finding: Finding, actor: User, action: str, before: dict, reason: str | None) -> None:
    db.session.flush()
    changes = audit.diff(before, audit.snapshot(finding))
    audit.record(actor, action, case=finding.case, entity=finding, changes=changes, reason=reason)


_SANCTION_FIELDS = (
    "sanction_form",
    "decision_number",
    "decision_date",
    "decided_fine_vnd",
    "fine_override_reason",
    "additional_penalties",
    "remedies_decided",
    "deadline",
    "seized_goods_value_vnd",
    "fine_paid_on",
    "remedy_done_on",
    "referral_agency",
    "referral_on",
    "referral_reference",
)


def _clear_decision(finding: Finding) -> None:
    for name in _SANCTION_FIELDS:
        setattr(finding, name, None)


def confirm_finding(
    finding: Finding,
    actor: User,
    *,
    reason: str | None,
    offender_type: str | None,
    sanction_form: str | None,
    decision_number: str | None,
    decision_date: dt.date | None,
    fine_vnd: int | None,
    override_reason: str | None = None,
    additional_penalties: str | None = None,
    remedies: str | None = None,
    deadline: dt.date | None = None,
    seized_goods_value_vnd: int | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Finding:
    """Confirm a finding with the sanction decided. A fine outside the catalog range for the offender type
    needs ``override_reason`` (``fine_outside_range`` with the bounds otherwise)."""
    today = today or dt.date.today()
    _check(finding, actor, expected_version, (CaseStatus.SUBMITTED.value,))
    reason = _text(reason, "reason", TEXT_MAX)
    if offender_type not in {o.value for o in OffenderType}:
        raise ValidationFailed("required" if not offender_type else "invalid_choice", field="offender_type")
    if sanction_form not in {s.value for s in SanctionForm}:
        raise ValidationFailed("required" if not sanction_form else "invalid_choice", field="sanction_form")
    decision_number = _text(decision_number, "decision_number", SHORT_MAX, required=True)
    decision_date = _past_date(decision_date, "decision_date", today, required=True)
    fine_vnd = _amount(fine_vnd, "fine_vnd")
    if sanction_form == SanctionForm.FINE and not fine_vnd:
        raise ValidationFailed("required", field="fine_vnd")
    override_reason = _text(override_reason, "override_reason", TEXT_MAX)
    if fine_vnd is not None:
        bounds = fine_range(finding.violation, offender_type)
        if bounds is not None:
            low, high = bounds
            outside = (low is not None and fine_vnd < low) or (high is not None and fine_vnd > high)
            if outside and override_reason is None:
                raise ValidationFailed("fine_outside_range", field="fine_vnd", min=low, max=high)
            if not outside:
                override_reason = None
    else:
        override_reason = None
    if deadline is not None and decision_date is not None and deadline < decision_date:
        raise ValidationFailed("deadline_before_decision", field="deadline")
    before = audit.snapshot(finding)
    _clear_decision(finding)
    finding.status = FindingStatus.CONFIRMED.value
    finding.review_reason = reason
    finding.offender_type = offender_type
    finding.sanction_form = sanction_form
    finding.decision_number = decision_number
    finding.decision_date = decision_date
    finding.decided_fine_vnd = fine_vnd
    finding.fine_override_reason = override_reason
    finding.additional_penalties = _text(additional_penalties, "additional_penalties", TEXT_MAX)
    finding.remedies_decided = _text(remedies, "remedies", TEXT_MAX)
    finding.deadline = deadline
    finding.seized_goods_value_vnd = _amount(seized_goods_value_vnd, "seized_goods_value_vnd")
    finding.reviewed_by_id = actor.id
    finding.reviewed_at = _now()
    _audit(finding, actor, "confirm", before, reason)
    return finding


def dismiss_finding(
    finding: Finding, actor: User, reason: str | None, expected_version: int | None = None
) -> Finding:
    """Dismiss a finding; the reason is required."""
    _check(finding, actor, expected_version, (CaseStatus.SUBMITTED.value,))
    reason = _text(reason, "reason", TEXT_MAX, required=True)
    before = audit.snapshot(finding)
    _clear_decision(finding)
    finding.status = FindingStatus.DISMISSED.value
    finding.review_reason = reason
    finding.reviewed_by_id = actor.id
    finding.reviewed_at = _now()
    _audit(finding, actor, "dismiss", before, reason)
    return finding


def refer_finding(
    finding: Finding,
    actor: User,
    *,
    agency: str | None,
    referred_on: dt.date | None,
    reference: str | None = None,
    reason: str | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Finding:
    """E-commerce only: the violation is confirmed and handed to another agency (no sanction of ours)."""
    today = today or dt.date.today()
    _check(finding, actor, expected_version, (CaseStatus.SUBMITTED.value,))
    if finding.case.kind != CaseKind.ECOMMERCE:
        raise ValidationFailed("referral_ecommerce_only")
    agency = _text(agency, "referral_agency", AGENCY_MAX, required=True)
    referred_on = _past_date(referred_on, "referral_on", today, required=True)
    reference = _text(reference, "referral_reference", SHORT_MAX)
    reason = _text(reason, "reason", TEXT_MAX)
    before = audit.snapshot(finding)
    _clear_decision(finding)
    finding.status = FindingStatus.CONFIRMED.value
    finding.review_reason = reason
    finding.referral_agency = agency
    finding.referral_on = referred_on
    finding.referral_reference = reference
    finding.reviewed_by_id = actor.id
    finding.reviewed_at = _now()
    _audit(finding, actor, "refer", before, reason)
    return finding


def record_payment(
    finding: Finding,
    actor: User,
    *,
    paid_on: dt.date | None,
    remedy_done_on: dt.date | None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Finding:
    """Record (or correct) when the fine was paid and the remedy done, on a confirmed, decided finding."""
    today = today or dt.date.today()
    _check(finding, actor, expected_version, FOLLOW_UP_STATUSES)
    if finding.status != FindingStatus.CONFIRMED or finding.decision_date is None:
        raise ValidationFailed("finding_not_sanctioned")
    paid_on = _past_date(paid_on, "fine_paid_on", today)
    remedy_done_on = _past_date(remedy_done_on, "remedy_done_on", today)
    if paid_on is not None and not finding.decided_fine_vnd:
        raise ValidationFailed("no_fine_to_pay", field="fine_paid_on")
    for name, value in (("fine_paid_on", paid_on), ("remedy_done_on", remedy_done_on)):
        if value is not None and value < finding.decision_date:
            raise ValidationFailed("before_decision", field=name)
    before = audit.snapshot(finding)
    finding.fine_paid_on = paid_on
    finding.remedy_done_on = remedy_done_on
    db.session.flush()
    changes = audit.diff(before, audit.snapshot(finding))
    if changes:
        audit.record(actor, "payment", case=finding.case, entity=finding, changes=changes)
    return finding


def undecided_codes(case_id: int) -> list[str]:
    """The catalog codes of the findings still proposed on a case (what blocks approval)."""
    stmt = (
        select(Violation.code)
        .join(Finding, Finding.violation_id == Violation.id)
        .where(Finding.case_id == case_id, Finding.status == FindingStatus.PROPOSED.value)
        .order_by(Finding.id)
    )
    return list(db.session.scalars(stmt))


def case_totals(case_id: int) -> Totals:
    """Fines decided and collected (paid), the value of goods seized, and the count per review state of a
    case's findings, in one SQL aggregate."""
    confirmed = Finding.status == FindingStatus.CONFIRMED.value
    stmt = select(
        func.coalesce(func.sum(sql_case((confirmed, Finding.decided_fine_vnd), else_=0)), 0),
        func.coalesce(
            func.sum(
                sql_case((confirmed & Finding.fine_paid_on.is_not(None), Finding.decided_fine_vnd), else_=0)
            ),
            0,
        ),
        func.coalesce(func.sum(sql_case((confirmed, Finding.seized_goods_value_vnd), else_=0)), 0),
        func.count(sql_case((confirmed, 1))),
        func.count(sql_case((Finding.status == FindingStatus.DISMISSED.value, 1))),
        func.count(sql_case((Finding.status == FindingStatus.PROPOSED.value, 1))),
    ).where(Finding.case_id == case_id)
    row = db.session.execute(stmt).one()
    return Totals(*(int(v or 0) for v in row))
