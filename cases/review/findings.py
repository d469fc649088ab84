"""Proposed findings (violations) on an inspection or an e-commerce check, and the catalog they cite.

A survey never carries a sanction, so it never carries a finding. The catalog's fines are for an individual;
an organisation pays double; unknown amounts stay ``None``. A proposed fine outside the catalog's range is
allowed (review comes later) but flagged. Flushes, never commits.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import select

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db import db
from cases.db.ids import get_row
from cases.enums import CaseKind, DocumentStatus, FindingStatus, OffenderType
from cases.errors import PermissionDenied, Problems, ValidationFailed, all_problems
from cases.models import Case, Finding, OfficialDocument, User, Violation
from cases.text import clean_text, fold

FINDING_CASE_KINDS = (CaseKind.INSPECTION.value, CaseKind.ECOMMERCE.value)


@dataclass
class FindingInput:
    violation_id: int | None
    offender_type: str | None
    goods_description: str | None = None
    goods_quantity: float | None = None
    goods_unit: str | None = None
    goods_value_vnd: int | None = None
    proposed_fine_vnd: int | None = None
    proposed_remedies: str | None = None
    notes: str | None = None


_FIELDS = (
    "violation_id",
    "offender_type",
    "goods_description",
    "goods_quantity",
    "goods_unit",
    "goods_value_vnd",
    "proposed_fine_vnd",
    "proposed_remedies",
    "notes",
)


# --- fine ranges -------------------------------------------------------------------------------------


def fine_range(violation: Violation, offender_type: str) -> tuple[int | None, int | None] | None:
    """``(min, max)`` in VND for this offender type; an organisation pays twice an individual's amounts.

    ``None`` when neither amount is known; one side stays ``None`` when only the other is known (e.g. a
    tiered violation whose lowest tier is known).
    """
    low, high = violation.fine_individual_min, violation.fine_individual_max
    if low is None and high is None:
        return None
    factor = 2 if offender_type == OffenderType.ORGANISATION else 1
    return (None if low is None else factor * low, None if high is None else factor * high)


def fine_warning(violation: Violation | None, offender_type: str | None, fine: int | None) -> str | None:
    """``"below_range"`` or ``"above_range"`` when a proposed fine is outside the known catalog range
    (``"below_verified_range"``, ``"above_verified_range"`` where the range is verified from the legal text:
    the review will refuse it)."""
    if violation is None or fine is None or not offender_type:
        return None
    bounds = fine_range(violation, offender_type)
    if bounds is None:
        return None
    low, high = bounds
    suffix = "_verified_range" if violation.fine_verified else "_range"
    if low is not None and fine < low:
        return "below" + suffix
    if high is not None and fine > high:
        return "above" + suffix
    return None


def finding_fine_warning(finding: Finding) -> str | None:
    return fine_warning(finding.violation, finding.offender_type, finding.proposed_fine_vnd)


# --- the catalog -------------------------------------------------------------------------------------


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_violations(q: str | None, field: str | None = None, limit: int = 20) -> list[Violation]:
    """Catalog entries (not retired) matching every word of ``q`` in their code, group or description,
    with or without diacritics ("nhan hang hoa" finds "Nhãn hàng hóa"). An exact code comes first, then
    the entries holding the words as one phrase, then the others, each in code order."""
    stmt = select(Violation).where(Violation.retired.is_(False))
    if field:
        stmt = stmt.where(Violation.field == field)
    folded = fold(q)
    for word in folded.split():
        stmt = stmt.where(Violation.search_key.like(f"%{_like_escape(word)}%", escape="\\"))
    rank = sql_case(
        (Violation.code == (q or "").strip().upper(), 0),
        (Violation.search_key.like(f"%{_like_escape(folded)}%", escape="\\"), 1),
        else_=2,
    )
    stmt = stmt.order_by(rank, Violation.code).limit(max(1, min(limit, 100)))
    return list(db.session.scalars(stmt))


def active_violations_by_group() -> list[tuple[str, list[Violation]]]:
    """Every non-retired entry, grouped by catalog group in code order (for a plain ``<select>``)."""
    groups: dict[str, list[Violation]] = {}
    for v in db.session.scalars(
        select(Violation).where(Violation.retired.is_(False)).order_by(Violation.code)
    ):
        groups.setdefault(v.group_name, []).append(v)
    return list(groups.items())


def violation_as_dict(violation: Violation) -> dict[str, Any]:
    def _range(offender_type: str) -> dict[str, int | None] | None:
        bounds = fine_range(violation, offender_type)
        return None if bounds is None else {"min": bounds[0], "max": bounds[1]}

    return {
        "id": violation.id,
        "code": violation.code,
        "group": violation.group_name,
        "field": violation.field,
        "description": violation.description,
        "legal_basis": violation.legal_basis,
        "fine_individual": _range(OffenderType.INDIVIDUAL),
        "fine_organisation": _range(OffenderType.ORGANISATION),
        "tiered_by": violation.tiered_by,
        "remedies": violation.remedies,
        "confidence": violation.confidence,
        "fine_verified": violation.fine_verified,
    }


# --- findings ----------------------------------------------------------------------------------------


def _check_case(actor: User, case: Case) -> None:
    if not permissions.can_edit_case(actor, case):
        raise PermissionDenied()
    if case.kind == CaseKind.SURVEY:
        raise ValidationFailed("survey_no_findings")
    if case.kind not in FINDING_CASE_KINDS:
        raise ValidationFailed("item_not_for_kind", item_kind="findings", kind=case.kind)


def _clean(data: FindingInput, current: Finding | None, actor: User) -> tuple[FindingInput, Violation]:
    """Clean and check a finding; raises every problem at once (``errors.Problems``)."""
    p = Problems()
    violation = get_row(Violation, data.violation_id) if data.violation_id else None
    if violation is not None and not permissions.can_use_violation(actor, violation):
        violation = None  # told apart from an unknown entry by nobody
    if violation is None:
        p.add("required" if not data.violation_id else "unknown_violation", field="violation_id")
    elif violation.retired and (current is None or current.violation_id != violation.id):
        p.add("violation_retired", field="violation_id", violation_code=violation.code)
    if data.offender_type not in {o.value for o in OffenderType}:
        p.add("required" if not data.offender_type else "invalid_choice", field="offender_type")
    data.goods_description = p.check(
        clean_text, data.goods_description, "goods_description", 5000, multiline=True
    )
    data.goods_unit = p.check(clean_text, data.goods_unit, "goods_unit", 30)
    data.proposed_remedies = p.check(
        clean_text, data.proposed_remedies, "proposed_remedies", 5000, multiline=True
    )
    data.notes = p.check(clean_text, data.notes, "notes", 5000, multiline=True)
    for name in ("goods_quantity", "goods_value_vnd", "proposed_fine_vnd"):
        value = getattr(data, name)
        if value is not None and value < 0:
            p.add("negative", field=name)
    p.raise_any()
    assert violation is not None
    if data.proposed_remedies is None and current is None:
        data.proposed_remedies = violation.remedies  # prefilled from the catalog
    return data, violation


def problems_of(data: FindingInput, current: Finding | None = None, *, actor: User) -> list[ValidationFailed]:
    """Every rule problem of a finding's values, without saving (shown with the form's own errors)."""
    try:
        _clean(copy.copy(data), current, actor)
    except ValidationFailed as exc:
        return all_problems(exc)
    return []


def add_finding(*, case: Case, actor: User, data: FindingInput) -> Finding:
    """Propose a finding. Left empty, the remedies are the catalog's usual ones."""
    _check_case(actor, case)
    data, violation = _clean(data, None, actor)
    finding = Finding(case=case, status=FindingStatus.PROPOSED.value, created_by_id=actor.id)
    for name in _FIELDS:
        setattr(finding, name, getattr(data, name))
    finding.violation = violation
    db.session.add(finding)
    db.session.flush()
    audit.record(actor, "create", case=case, entity=finding, changes=audit.diff({}, audit.snapshot(finding)))
    return finding


def update_finding(
    *, finding: Finding, actor: User, data: FindingInput, expected_version: int | None = None
) -> Finding:
    """Edit a proposed finding; ``expected_version`` guards against a lost update (``stale_finding``)."""
    _check_case(actor, finding.case)
    if finding.status != FindingStatus.PROPOSED:
        raise ValidationFailed("finding_reviewed")
    if expected_version is not None and expected_version != finding.version:
        raise ValidationFailed("stale_finding", field="version")
    before = audit.snapshot(finding)
    data, violation = _clean(data, finding, actor)
    for name in _FIELDS:
        setattr(finding, name, getattr(data, name))
    finding.violation = violation
    db.session.flush()
    changes = audit.diff(before, audit.snapshot(finding))
    if changes:
        audit.record(actor, "update", case=finding.case, entity=finding, changes=changes)
    return finding


def delete_finding(*, finding: Finding, actor: User) -> None:
    case = finding.case
    _check_case(actor, case)
    if finding.status != FindingStatus.PROPOSED:
        raise ValidationFailed("finding_reviewed")
    named = select(OfficialDocument).where(OfficialDocument.finding_id == finding.id)
    documents = list(db.session.scalars(named))
    if any(doc.status != DocumentStatus.DRAFT for doc in documents):
        raise ValidationFailed("finding_has_documents")
    for draft in documents:  # a draft of a record of this finding goes with it
        changes = [{"field": "doc_type", "from": draft.doc_type, "to": None}]
        audit.record(actor, "delete", case=case, entity=draft, changes=changes)
        db.session.delete(draft)
    audit.record(actor, "delete", case=case, entity=finding, changes=audit.diff(audit.snapshot(finding), {}))
    case.findings.remove(finding)
    db.session.flush()


def finding_to_input(finding: Finding) -> FindingInput:
    return FindingInput(**{name: getattr(finding, name) for name in _FIELDS})
