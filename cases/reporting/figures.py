"""The figures of task 5.2 (inspection, checking and survey), aggregated in SQL from the recorded cases.

Rules (issue 5, PRODUCT.md):

- a case belongs to the year it was **opened** in;
- it **counts** when it is approved or closed; draft, submitted and returned cases of the year are reported
  separately as "not yet reviewed"; cancelled cases are left out;
- findings count when **confirmed**, on counted cases; fines decided are the decided fines of those
  findings, fines collected those with a payment date;
- every function takes a :class:`Scope` (the year, and optionally communes, a kind and a field), so that the
  dashboard (a liaison's own communes) and the report (the whole province) compute each figure in one place.

Each function runs one or two grouped queries and returns plain data (ints, strings, dicts, lists), ready
for a template, a workbook or the JSON snapshot of a finalised report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, select
from sqlalchemy.orm import aliased

from cases.db import db
from cases.db.sql_functions import month_of, unindexed
from cases.enums import (
    COUNTED_STATUSES,
    CaseKind,
    CaseStatus,
    DocumentStatus,
    DocumentType,
    EcommerceAction,
    FindingStatus,
    InspectionMode,
    ItemResult,
    SanctionForm,
)
from cases.models import (
    Case,
    CaseField,
    Commune,
    Finding,
    FormerDistrict,
    FormerWard,
    FormerWardCommune,
    OfficialDocument,
    Sample,
    SurveyCampaign,
    Violation,
)

NOT_REVIEWED_STATUSES = (CaseStatus.DRAFT.value, CaseStatus.SUBMITTED.value, CaseStatus.RETURNED.value)
REFERRAL_ACTIONS = (EcommerceAction.REFERRAL_QLTT.value, EcommerceAction.REFERRAL_POLICE.value)


@dataclass(frozen=True)
class Scope:
    """Which cases a figure covers: those opened in ``year``, optionally narrowed."""

    year: int
    communes: frozenset[str] | None = None  # None: the whole province
    kind: str | None = None
    field: str | None = None

    @classmethod
    def of(
        cls,
        year: int,
        *,
        communes: Iterable[str] | None = None,
        kind: str | None = None,
        field: str | None = None,
    ) -> Scope:
        return cls(year, frozenset(communes) if communes is not None else None, kind or None, field or None)

    def previous(self) -> Scope:
        return Scope(self.year - 1, self.communes, self.kind, self.field)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:  # exclusive
        return dt.date(self.year + 1, 1, 1)


def in_scope(scope: Scope) -> ColumnElement[bool]:
    """The condition "opened in the scope's year, in its communes, of its kind and field"."""
    conditions: list[ColumnElement[bool]] = [Case.opened_on >= scope.start, Case.opened_on < scope.end]
    if scope.communes is not None:
        conditions.append(Case.commune_code.in_(sorted(scope.communes)))
    if scope.kind:
        conditions.append(unindexed(Case.kind) == scope.kind)
    if scope.field:
        checked = aliased(CaseField)
        conditions.append(Case.id.in_(select(checked.case_id).where(checked.field == scope.field)))
    return and_(*conditions)


def counted(scope: Scope) -> ColumnElement[bool]:
    """In scope and approved or closed: the cases the report counts."""
    return and_(in_scope(scope), unindexed(Case.status).in_(COUNTED_STATUSES))


def _confirmed() -> ColumnElement[bool]:
    return Finding.status == FindingStatus.CONFIRMED.value


def _int(value: Any) -> int:
    return int(value or 0)


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


# --- the cases ------------------------------------------------------------------------------------


def _sum_if(condition: ColumnElement[bool]) -> Any:
    """The number of rows meeting ``condition``: ``count(*) FILTER (WHERE …)``, which SQLite evaluates
    2–3 times faster than ``sum(CASE WHEN … THEN 1 ELSE 0 END)`` (PostgreSQL has it too)."""
    return func.count().filter(condition)


def case_counts(scope: Scope) -> dict[str, int]:
    """One pass over the scope's cases: statuses, and the counted cases by kind, mode and e-commerce action.

    :func:`status_summary`, :func:`cases_by_kind`, :func:`inspections_by_mode` and :func:`ecommerce`
    read their figures from here, so a report runs this query once.
    """
    is_counted = Case.status.in_(COUNTED_STATUSES)
    inspection = and_(is_counted, Case.kind == CaseKind.INSPECTION.value)
    ecom = and_(is_counted, Case.kind == CaseKind.ECOMMERCE.value)
    columns = {f"status_{s.value}": _sum_if(Case.status == s.value) for s in CaseStatus}
    columns |= {f"kind_{k.value}": _sum_if(and_(is_counted, Case.kind == k.value)) for k in CaseKind}
    columns |= {
        "mode_planned": _sum_if(and_(inspection, Case.mode == InspectionMode.PLANNED.value)),
        "mode_unscheduled": _sum_if(and_(inspection, Case.mode == InspectionMode.UNSCHEDULED.value)),
        "mode_unknown": _sum_if(and_(inspection, Case.mode.is_(None))),
        "takedowns_requested": _sum_if(and_(ecom, Case.action == EcommerceAction.TAKEDOWN_REQUEST.value)),
        "takedowns_done": _sum_if(and_(ecom, Case.taken_down_on.is_not(None))),
        "referrals": _sum_if(and_(ecom, Case.action.in_(REFERRAL_ACTIONS))),
        "warnings": _sum_if(and_(ecom, Case.action == EcommerceAction.WARNING.value)),
    }
    row = db.session.execute(select(*(c.label(k) for k, c in columns.items())).where(in_scope(scope))).one()
    return {k: _int(v) for k, v in row._mapping.items()}


def status_summary(scope: Scope, counts: dict[str, int] | None = None) -> dict[str, int]:
    """How many of the year's cases count, are not yet reviewed, or were cancelled."""
    c = counts or case_counts(scope)
    by_status = {s.value: c[f"status_{s.value}"] for s in CaseStatus}
    return {
        "counted": sum(by_status[s] for s in COUNTED_STATUSES),
        "not_reviewed": sum(by_status[s] for s in NOT_REVIEWED_STATUSES),
        "cancelled": by_status[CaseStatus.CANCELLED.value],
        **{
            s.value: by_status[s.value]
            for s in (
                CaseStatus.DRAFT,
                CaseStatus.SUBMITTED,
                CaseStatus.RETURNED,
                CaseStatus.APPROVED,
                CaseStatus.CLOSED,
            )
        },
    }


def cases_by_kind(scope: Scope, counts: dict[str, int] | None = None) -> dict[str, int]:
    c = counts or case_counts(scope)
    return {kind.value: c[f"kind_{kind.value}"] for kind in CaseKind}


def cases_by_field(scope: Scope) -> dict[str, int]:
    """Counted cases per field of inspection (a case checking two fields counts in both)."""
    rows = db.session.execute(
        select(CaseField.field, func.count(distinct(CaseField.case_id)))
        .join(Case, Case.id == CaseField.case_id)
        .where(counted(scope))
        .group_by(CaseField.field)
    ).all()
    return {f: int(n) for f, n in sorted(rows, key=lambda r: (-r[1], r[0]))}


def inspections_by_mode(scope: Scope, counts: dict[str, int] | None = None) -> dict[str, int]:
    """Counted inspections: planned vs unscheduled."""
    c = counts or case_counts(scope)
    return {
        "planned": c["mode_planned"],
        "unscheduled": c["mode_unscheduled"],
        **({"unknown": c["mode_unknown"]} if c["mode_unknown"] else {}),
    }


def cases_by_month(scope: Scope) -> list[int]:
    """Counted cases per month of opening, January to December (from :func:`months_and_kinds`)."""
    return months_and_kinds(scope)["by_month"]


def months_and_kinds(scope: Scope) -> dict[str, Any]:
    """Counted cases per month of opening and per kind, in one pass over the scope's year.

    ``{"by_month": [January … December], "by_kind": {kind: n}}``: the months are :func:`cases_by_month`'s,
    the kinds the same figures as :func:`cases_by_kind`. The database counts each month's cases of each
    kind (12 rows); the months' and the kinds' totals are the sums of those rows. The dashboard's
    comparison with last year took a pass over last year's months and another over all its cases before.
    """
    month = month_of(Case.opened_on)
    kinds = [kind.value for kind in CaseKind]
    rows = db.session.execute(
        select(month, *(_sum_if(Case.kind == kind) for kind in kinds)).where(counted(scope)).group_by(month)
    ).all()
    by_month = [0] * 12
    by_kind = dict.fromkeys(kinds, 0)
    for m, *per_kind in rows:
        by_month[int(m) - 1] = sum(int(n) for n in per_kind)
        for kind, n in zip(kinds, per_kind, strict=True):
            by_kind[kind] += int(n)
    return {"by_month": by_month, "by_kind": by_kind}


def establishments(scope: Scope) -> dict[str, Any]:
    """Establishments inspected (on counted cases) and those with a confirmed violation."""
    row = db.session.execute(
        select(
            func.count(distinct(Case.establishment_id)),
            func.count(distinct(Case.establishment_id)).filter(Case.has_violation),
        ).where(counted(scope), Case.establishment_id.is_not(None))
    ).one()
    inspected, violating = _int(row[0]), _int(row[1])
    return {
        "inspected": inspected,
        "with_violations": violating,
        "violation_rate": _rate(violating, inspected),
    }


def findings_by_group(scope: Scope) -> list[dict[str, Any]]:
    """Confirmed findings per catalog group, the largest first, with the fines decided."""
    rows = db.session.execute(
        select(Violation.group_name, func.count(Finding.id), func.sum(Finding.decided_fine_vnd))
        .join(Finding, Finding.violation_id == Violation.id)
        .join(Case, Case.id == Finding.case_id)
        .where(counted(scope), _confirmed())
        .group_by(Violation.group_name)
        .order_by(func.count(Finding.id).desc(), Violation.group_name)
    ).all()
    return [{"group": g, "findings": int(n), "fines_vnd": _int(f)} for g, n, f in rows]


def sanctions(scope: Scope) -> dict[str, Any]:
    """Confirmed findings, cases with one, sanctions by form, fines decided and collected, goods seized.

    One pass over the year's confirmed findings (a column per sanction form, not a group per form, so that
    the cases with a finding are counted in the same statement).
    """
    paid = Finding.fine_paid_on.is_not(None)
    forms = sorted(form.value for form in SanctionForm)
    row = db.session.execute(
        select(
            func.count(Finding.id),
            func.count(distinct(Finding.case_id)),
            func.sum(Finding.decided_fine_vnd),
            func.sum(Finding.decided_fine_vnd).filter(paid),
            _sum_if(Finding.decided_fine_vnd > 0),
            _sum_if(and_(paid, Finding.decided_fine_vnd > 0)),
            func.sum(Finding.seized_goods_value_vnd),
            _sum_if(Finding.referral_agency.is_not(None)),
            *(_sum_if(Finding.sanction_form == form) for form in forms),
        )
        .join(Case, Case.id == Finding.case_id)
        .where(counted(scope), _confirmed())
    ).one()
    confirmed, cases_with, decided, collected, fined, paid_findings, seized, referred = (
        _int(v) for v in row[:8]
    )
    return {
        "confirmed_findings": confirmed,
        "cases_with_violations": cases_with,
        "fines_decided_vnd": decided,
        "fines_collected_vnd": collected,
        "fines_outstanding_vnd": decided - collected,
        "fined_findings": fined,
        "paid_findings": paid_findings,
        "collection_rate": _rate(collected, decided),
        "seized_goods_vnd": seized,
        "referred_findings": referred,
        "by_form": {form: _int(n) for form, n in zip(forms, row[8:], strict=True) if n},
    }


def samples(scope: Scope) -> dict[str, Any]:
    """Samples of counted cases: taken, tested (a result), failed, pending; the failure rate."""
    row = db.session.execute(
        select(
            func.count(Sample.id),
            _sum_if(Sample.result == ItemResult.FAIL.value),
            _sum_if(Sample.result == ItemResult.PASS.value),
            _sum_if(Sample.result == ItemResult.PENDING.value),
        )
        .join(Case, Case.id == Sample.case_id)
        .where(counted(scope))
    ).one()
    taken, failed, passed, pending = (_int(v) for v in row)
    tested = failed + passed
    return {
        "taken": taken,
        "tested": tested,
        "failed": failed,
        "pending": pending,
        "failure_rate": _rate(failed, tested),
    }


def ecommerce(scope: Scope, counts: dict[str, int] | None = None) -> dict[str, int]:
    """E-commerce checks counted: listings checked, takedowns requested and done, referrals."""
    c = counts or case_counts(scope)
    return {
        "listings_checked": c["kind_ecommerce"],
        "takedowns_requested": c["takedowns_requested"],
        "takedowns_done": c["takedowns_done"],
        "takedowns_open": max(c["takedowns_requested"] - c["takedowns_done"], 0),
        "referrals": c["referrals"],
        "warnings": c["warnings"],
    }


def surveys_by_campaign(scope: Scope) -> list[dict[str, Any]]:
    """Counted surveys per campaign, with their samples and failures."""
    name = func.coalesce(SurveyCampaign.name, "")
    rows = db.session.execute(
        select(
            name,
            func.count(distinct(Case.id)),
            func.count(Sample.id),
            _sum_if(Sample.result == ItemResult.FAIL.value),
        )
        .select_from(Case)
        .outerjoin(SurveyCampaign, SurveyCampaign.id == Case.campaign_id)
        .outerjoin(Sample, Sample.case_id == Case.id)
        .where(counted(scope), unindexed(Case.kind) == CaseKind.SURVEY.value)
        .group_by(name)
        .order_by(func.count(distinct(Case.id)).desc(), name)
    ).all()
    return [
        {"campaign": n or None, "surveys": int(c), "samples": _int(t), "failed": _int(f)}
        for n, c, t, f in rows
    ]


# --- by place -------------------------------------------------------------------------------------


_PLACE_KEYS = ("cases", "with_violations", "findings", "fines_vnd")


def place_counts(scope: Scope) -> list[tuple[str, str | None, dict[str, int]]]:
    """Counted cases per (today's commune, recorded former district), with confirmed findings and fines:
    one grouped query, from which :func:`by_commune` and :func:`by_former_district` both add up."""
    confirmed = and_(Finding.case_id == Case.id, _confirmed())
    rows = db.session.execute(
        select(
            Case.commune_code,
            Case.former_district_code,
            func.count(distinct(Case.id)),
            func.count(distinct(case((Finding.id.is_not(None), Case.id)))),
            func.count(Finding.id),
            func.sum(Finding.decided_fine_vnd),
        )
        .select_from(Case)
        .outerjoin(Finding, confirmed)
        .where(counted(scope))
        .group_by(Case.commune_code, Case.former_district_code)
    ).all()
    return [(c, d, dict(zip(_PLACE_KEYS, map(_int, values), strict=True))) for c, d, *values in rows]


def _add(into: dict[str, int], figures: dict[str, int]) -> None:
    for key in _PLACE_KEYS:
        into[key] = into.get(key, 0) + figures[key]


def by_commune(
    scope: Scope, places: list[tuple[str, str | None, dict[str, int]]] | None = None
) -> list[dict[str, Any]]:
    """Counted cases per today's commune, with the share with confirmed violations; busiest first."""
    figures: dict[str, dict[str, int]] = {}
    for commune, _district, f in places if places is not None else place_counts(scope):
        _add(figures.setdefault(commune, {}), f)
    if not figures:
        return []
    names = dict(
        db.session.execute(select(Commune.code, Commune.name).where(Commune.code.in_(figures))).all()
    )
    rows = [
        {
            "code": code,
            "name": names.get(code, code),
            **f,
            "violation_share": _rate(f["with_violations"], f["cases"]),
        }
        for code, f in figures.items()
    ]
    return sorted(rows, key=lambda r: (-r["cases"], r["name"]))


def commune_former_districts() -> dict[str, str]:
    """Today's commune → the former district most of its former wards belonged to (reference data only)."""
    rows = db.session.execute(
        select(FormerWardCommune.commune_code, FormerWard.district_code, func.count())
        .join(FormerWard, FormerWard.code == FormerWardCommune.former_ward_code)
        .where(FormerWardCommune.is_default.is_(True))
        .group_by(FormerWardCommune.commune_code, FormerWard.district_code)
    ).all()
    mapping: dict[str, str] = {}
    # the most former wards first, the lower district code on a tie
    for commune, district, _n in sorted(rows, key=lambda r: (r[0], -r[2], r[1])):
        mapping.setdefault(commune, district)
    return mapping


def by_former_district(
    scope: Scope, places: list[tuple[str, str | None, dict[str, int]]] | None = None
) -> list[dict[str, Any]]:
    """Counted cases per former district (before 1 July 2025).

    A case keeps the former district recorded with it (cases dated before the reform, or recorded with a
    former ward). A later case without one is attributed to the former district its commune was mostly
    formed from; those are counted in ``derived_cases`` so the report can say so.
    """
    places = places if places is not None else place_counts(scope)
    mapping = commune_former_districts() if any(d is None for _, d, _ in places) else {}
    totals: dict[str | None, dict[str, int]] = {}
    for commune, recorded, f in places:
        district = recorded if recorded is not None else mapping.get(commune)
        t = totals.setdefault(district, {"derived_cases": 0})
        _add(t, f)
        if recorded is None:
            t["derived_cases"] += f["cases"]
    codes = [c for c in totals if c is not None]
    districts = {
        d.code: d for d in db.session.scalars(select(FormerDistrict).where(FormerDistrict.code.in_(codes)))
    }
    rows = []
    for code, f in totals.items():
        d = districts.get(code) if code else None
        rows.append(
            {
                "code": code,
                "name": d.name if d else None,
                "province": d.province_name if d else None,
                **f,
                "violation_share": _rate(f["with_violations"], f["cases"]),
            }
        )
    return sorted(rows, key=lambda r: (r["code"] is None, -r["cases"], r["name"] or ""))


# --- the official documents ----------------------------------------------------------------------


def documents_issued(scope: Scope) -> dict[str, int]:
    """Official documents issued in the scope's year (by their date of issue), on the cases of its communes,
    kind and field: decisions to inspect, violation records and sanction decisions, and the fines by decision
    (the sum of the issued sanction decisions' fines, frozen at issue). Only documents in force count: a
    voided one does not, and a corrected one counts once (its correction). One query."""
    conditions: list[ColumnElement[bool]] = [
        OfficialDocument.status == DocumentStatus.ISSUED.value,
        OfficialDocument.issued_on >= scope.start,
        OfficialDocument.issued_on < scope.end,
    ]
    if scope.communes is not None:
        conditions.append(Case.commune_code.in_(sorted(scope.communes)))
    if scope.kind:
        conditions.append(Case.kind == scope.kind)
    if scope.field:
        checked = aliased(CaseField)
        conditions.append(Case.id.in_(select(checked.case_id).where(checked.field == scope.field)))
    of_type = OfficialDocument.doc_type.__eq__
    row = db.session.execute(
        select(
            _sum_if(of_type(DocumentType.DECISION.value)),
            _sum_if(of_type(DocumentType.VIOLATION_RECORD.value)),
            _sum_if(of_type(DocumentType.SANCTION_DECISION.value)),
            func.sum(OfficialDocument.fine_vnd).filter(of_type(DocumentType.SANCTION_DECISION.value)),
        )
        .join(Case, Case.id == OfficialDocument.case_id)
        .where(*conditions)
    ).one()
    decisions, records, sanction_decisions, fines = (_int(v) for v in row)
    return {
        "decisions": decisions,
        "violation_records": records,
        "sanction_decisions": sanction_decisions,
        "fines_by_decision_vnd": fines,
    }


# --- the whole section ----------------------------------------------------------------------------


def task_52(scope: Scope, *, places: bool = True) -> dict[str, Any]:
    """All figures of task 5.2 for a scope, as plain data (about ten grouped queries)."""
    counts = case_counts(scope)
    data: dict[str, Any] = {
        "year": scope.year,
        "status": status_summary(scope, counts),
        "by_kind": cases_by_kind(scope, counts),
        "by_field": cases_by_field(scope),
        "by_mode": inspections_by_mode(scope, counts),
        "by_month": cases_by_month(scope),
        "establishments": establishments(scope),
        "findings_by_group": findings_by_group(scope),
        "sanctions": sanctions(scope),
        "samples": samples(scope),
        "ecommerce": ecommerce(scope, counts),
        "surveys": surveys_by_campaign(scope),
        "documents": documents_issued(scope),
    }
    if places:
        rows = place_counts(scope)
        data["by_commune"] = by_commune(scope, rows)
        data["by_former_district"] = by_former_district(scope, rows)
    return data
