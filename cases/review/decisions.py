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

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db import db
from cases.enums import CaseKind, CaseStatus, FindingStatus, OffenderType, SanctionForm
from cases.errors import PermissionDenied, Problems, ValidationFailed, all_problems
from cases.models import Finding, User, Violation
from cases.review.findings import fine_range
from cases.text import clean_text

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


@dataclass
class Decision:
    """What a manager decided on a finding, as typed (``confirm_finding``'s input)."""

    reason: str | None = None
    offender_type: str | None = None
    sanction_form: str | None = None
    decision_number: str | None = None
    decision_date: dt.date | None = None
    fine_vnd: int | None = None
    override_reason: str | None = None
    additional_penalties: str | None = None
    remedies: str | None = None
    deadline: dt.date | None = None
    seized_goods_value_vnd: int | None = None


@dataclass
class Referral:
    """An e-commerce finding handed to another agency, as typed (``refer_finding``'s input)."""

    agency: str | None = None
    referred_on: dt.date | None = None
    reference: str | None = None


def fine_band_problem(violation: Violation, offender_type: str | None, fine_vnd: int | None, override: bool):
    """The problem of a fine outside the catalog's band for the offender type, or ``None``.

    Where the band is verified from the legal text (``Violation.fine_verified``) a fine outside it is
    refused (``fine_outside_verified_range``); where it is not, a manager may go outside it with a reason
    (``fine_outside_range`` when the reason is missing). Where the catalog has no amount, any fine passes.
    """
    if fine_vnd is None or offender_type not in {o.value for o in OffenderType}:
        return None
    bounds = fine_range(violation, offender_type)
    if bounds is None:
        return None
    low, high = bounds
    if not ((low is not None and fine_vnd < low) or (high is not None and fine_vnd > high)):
        return None
    if violation.fine_verified:
        return ValidationFailed("fine_outside_verified_range", field="fine_vnd", min=low, max=high)
    if not override:
        return ValidationFailed("fine_outside_range", field="fine_vnd", min=low, max=high)
    return None


def _clean_decision(finding: Finding, d: Decision, today: dt.date) -> Decision:
    """Clean and check a confirmation; raises every problem at once (``errors.Problems``)."""
    p = Problems()
    reason = p.check(clean_text, d.reason, "reason", TEXT_MAX, multiline=True)
    if d.offender_type not in {o.value for o in OffenderType}:
        p.add("required" if not d.offender_type else "invalid_choice", field="offender_type")
    if d.sanction_form not in {s.value for s in SanctionForm}:
        p.add("required" if not d.sanction_form else "invalid_choice", field="sanction_form")
    decision_number = p.check(clean_text, d.decision_number, "decision_number", SHORT_MAX, required=True)
    decision_date = p.check(_past_date, d.decision_date, "decision_date", today, required=True)
    fine_vnd = p.check(_amount, d.fine_vnd, "fine_vnd")
    if d.sanction_form == SanctionForm.FINE and not fine_vnd and not p.on("fine_vnd"):
        p.add("required", field="fine_vnd")
    override_reason = p.check(clean_text, d.override_reason, "override_reason", TEXT_MAX, multiline=True)
    band = fine_band_problem(finding.violation, d.offender_type, fine_vnd, override_reason is not None)
    if band is not None:
        p.found.append(band)
    elif fine_band_problem(finding.violation, d.offender_type, fine_vnd, False) is None:
        override_reason = None  # inside the band (or no fine, or no band): no override to keep
    if d.deadline is not None and decision_date is not None and d.deadline < decision_date:
        p.add("deadline_before_decision", field="deadline")
    additional = p.check(clean_text, d.additional_penalties, "additional_penalties", TEXT_MAX, multiline=True)
    remedies = p.check(clean_text, d.remedies, "remedies", TEXT_MAX, multiline=True)
    seized = p.check(_amount, d.seized_goods_value_vnd, "seized_goods_value_vnd")
    p.raise_any()
    return Decision(
        reason=reason,
        offender_type=d.offender_type,
        sanction_form=d.sanction_form,
        decision_number=decision_number,
        decision_date=decision_date,
        fine_vnd=fine_vnd,
        override_reason=override_reason,
        additional_penalties=additional,
        remedies=remedies,
        deadline=d.deadline,
        seized_goods_value_vnd=seized,
    )


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
    is refused where the range is verified from the legal text (``fine_outside_verified_range``), and
    otherwise needs ``override_reason`` (``fine_outside_range`` with the bounds)."""
    today = today or dt.date.today()
    _check(finding, actor, expected_version, (CaseStatus.SUBMITTED.value,))
    d = _clean_decision(
        finding,
        Decision(
            reason=reason,
            offender_type=offender_type,
            sanction_form=sanction_form,
            decision_number=decision_number,
            decision_date=decision_date,
            fine_vnd=fine_vnd,
            override_reason=override_reason,
            additional_penalties=additional_penalties,
            remedies=remedies,
            deadline=deadline,
            seized_goods_value_vnd=seized_goods_value_vnd,
        ),
        today,
    )
    assert d.offender_type is not None  # _clean_decision refused any value but an OffenderType's
    before = audit.snapshot(finding)
    _clear_decision(finding)
    finding.status = FindingStatus.CONFIRMED.value
    finding.review_reason = d.reason
    finding.offender_type = d.offender_type
    finding.sanction_form = d.sanction_form
    finding.decision_number = d.decision_number
    finding.decision_date = d.decision_date
    finding.decided_fine_vnd = d.fine_vnd
    finding.fine_override_reason = d.override_reason
    finding.additional_penalties = d.additional_penalties
    finding.remedies_decided = d.remedies
    finding.deadline = d.deadline
    finding.seized_goods_value_vnd = d.seized_goods_value_vnd
    finding.reviewed_by_id = actor.id
    finding.reviewed_at = _now()
    _audit(finding, actor, "confirm", before, d.reason)
    return finding


def dismiss_finding(
    finding: Finding, actor: User, reason: str | None, expected_version: int | None = None
) -> Finding:
    """Dismiss a finding; the reason is required."""
    _check(finding, actor, expected_version, (CaseStatus.SUBMITTED.value,))
    reason = clean_text(reason, "reason", TEXT_MAX, required=True, multiline=True)
    before = audit.snapshot(finding)
    _clear_decision(finding)
    finding.status = FindingStatus.DISMISSED.value
    finding.review_reason = reason
    finding.reviewed_by_id = actor.id
    finding.reviewed_at = _now()
    _audit(finding, actor, "dismiss", before, reason)
    return finding


def _clean_referral(
    agency: str | None, referred_on: dt.date | None, reference: str | None, reason: str | None, today: dt.date
) -> tuple[str | None, dt.date | None, str | None, str | None]:
    p = Problems()
    agency = p.check(clean_text, agency, "referral_agency", AGENCY_MAX, required=True)
    referred_on = p.check(_past_date, referred_on, "referral_on", today, required=True)
    reference = p.check(clean_text, reference, "referral_reference", SHORT_MAX)
    reason = p.check(clean_text, reason, "reason", TEXT_MAX, multiline=True)
    p.raise_any()
    return agency, referred_on, reference, reason


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
    agency, referred_on, reference, reason = _clean_referral(agency, referred_on, reference, reason, today)
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


def _clean_payment(
    finding: Finding, paid_on: dt.date | None, remedy_done_on: dt.date | None, today: dt.date
) -> tuple[dt.date | None, dt.date | None]:
    p = Problems()
    paid_on = p.check(_past_date, paid_on, "fine_paid_on", today)
    remedy_done_on = p.check(_past_date, remedy_done_on, "remedy_done_on", today)
    if paid_on is not None and not finding.decided_fine_vnd:
        p.add("no_fine_to_pay", field="fine_paid_on")
    decided = finding.decision_date
    for name, value in (("fine_paid_on", paid_on), ("remedy_done_on", remedy_done_on)):
        if value is not None and decided is not None and value < decided and not p.on(name):
            p.add("before_decision", field=name)
    p.raise_any()
    return paid_on, remedy_done_on


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
    paid_on, remedy_done_on = _clean_payment(finding, paid_on, remedy_done_on, today)
    before = audit.snapshot(finding)
    finding.fine_paid_on = paid_on
    finding.remedy_done_on = remedy_done_on
    db.session.flush()
    changes = audit.diff(before, audit.snapshot(finding))
    if changes:
        audit.record(actor, "payment", case=finding.case, entity=finding, changes=changes)
    return finding


def decision_problems(
    finding: Finding,
    decision: str,
    values: Decision,
    *,
    referral: Referral | None = None,
    today: dt.date | None = None,
) -> list[ValidationFailed]:
    """Every rule problem of a decision (``confirm``, ``dismiss`` or ``refer``) without saving, for a form
    that failed its own checks to show with them."""
    today = today or dt.date.today()
    try:
        if decision == "confirm":
            _clean_decision(finding, values, today)
        elif decision == "dismiss":
            clean_text(values.reason, "reason", TEXT_MAX, required=True, multiline=True)
        elif decision == "refer":
            r = referral or Referral()
            _clean_referral(r.agency, r.referred_on, r.reference, values.reason, today)
    except ValidationFailed as exc:
        return all_problems(exc)
    return []


def payment_problems(
    finding: Finding, *, paid_on: dt.date | None, remedy_done_on: dt.date | None, today: dt.date | None = None
) -> list[ValidationFailed]:
    """Every rule problem of payment and remedy dates, without saving."""
    if finding.status != FindingStatus.CONFIRMED or finding.decision_date is None:
        return [ValidationFailed("finding_not_sanctioned")]
    try:
        _clean_payment(finding, paid_on, remedy_done_on, today or dt.date.today())
    except ValidationFailed as exc:
        return all_problems(exc)
    return []


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
