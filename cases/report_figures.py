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

from sqlalchemy import ColumnElement, and_, case, distinct, extract, func, select
from sqlalchemy.orm import aliased

from cases.db import db
from cases.enums import CaseKind, CaseStatus, EcommerceAction, FindingStatus, ItemResult
from cases.models import (
    Case,
    CaseField,
    Commune,
    Finding,
    FormerDistrict,
    FormerWard,
    FormerWardCommune,
    Sample,
    SurveyCampaign,
    Violation,
)

COUNTED_STATUSES = (CaseStatus.APPROVED.value, CaseStatus.CLOSED.value)
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
        conditions.append(Case.kind == scope.kind)
    if scope.field:
        checked = aliased(CaseField)
        conditions.append(Case.id.in_(select(checked.case_id).where(checked.field == scope.field)))
    return and_(*conditions)


def counted(scope: Scope) -> ColumnElement[bool]:
    """In scope and approved or closed: the cases the report counts."""
    return and_(in_scope(scope), Case.status.in_(COUNTED_STATUSES))


def _confirmed() -> ColumnElement[bool]:
    return Finding.status == FindingStatus.CONFIRMED.value


def _int(value: Any) -> int:
    return int(value or 0)


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


# --- the cases ------------------------------------------------------------------------------------


def status_summary(scope: Scope) -> dict[str, int]:
    """How many of the year's cases count, are not yet reviewed, or were cancelled."""
    rows = db.session.execute(
        select(Case.status, func.count()).where(in_scope(scope)).group_by(Case.status)
    ).all()
    by_status = {status: int(n) for status, n in rows}
    return {
        "counted": sum(by_status.get(s, 0) for s in COUNTED_STATUSES),
        "not_reviewed": sum(by_status.get(s, 0) for s in NOT_REVIEWED_STATUSES),
        "cancelled": by_status.get(CaseStatus.CANCELLED.value, 0),
        "draft": by_status.get(CaseStatus.DRAFT.value, 0),
        "submitted": by_status.get(CaseStatus.SUBMITTED.value, 0),
        "returned": by_status.get(CaseStatus.RETURNED.value, 0),
        "approved": by_status.get(CaseStatus.APPROVED.value, 0),
        "closed": by_status.get(CaseStatus.CLOSED.value, 0),
    }


def cases_by_kind(scope: Scope) -> dict[str, int]:
    rows = db.session.execute(select(Case.kind, func.count()).where(counted(scope)).group_by(Case.kind)).all()
    found = {kind: int(n) for kind, n in rows}
    return {kind.value: found.get(kind.value, 0) for kind in CaseKind}


def cases_by_field(scope: Scope) -> dict[str, int]:
    """Counted cases per field of inspection (a case checking two fields counts in both)."""
    rows = db.session.execute(
        select(CaseField.field, func.count(distinct(CaseField.case_id)))
        .join(Case, Case.id == CaseField.case_id)
        .where(counted(scope))
        .group_by(CaseField.field)
    ).all()
    return {f: int(n) for f, n in sorted(rows, key=lambda r: (-r[1], r[0]))}


def inspections_by_mode(scope: Scope) -> dict[str, int]:
    """Counted inspections: planned vs unscheduled."""
    rows = db.session.execute(
        select(Case.mode, func.count())
        .where(counted(scope), Case.kind == CaseKind.INSPECTION.value)
        .group_by(Case.mode)
    ).all()
    found = {mode or "unknown": int(n) for mode, n in rows}
    return {
        "planned": found.get("planned", 0),
        "unscheduled": found.get("unscheduled", 0),
        **({"unknown": found["unknown"]} if found.get("unknown") else {}),
    }


def cases_by_month(scope: Scope) -> list[int]:
    """Counted cases per month of opening, January to December."""
    month = extract("month", Case.opened_on)
    rows = db.session.execute(select(month, func.count()).where(counted(scope)).group_by(month)).all()
    months = [0] * 12
    for m, n in rows:
        months[int(m) - 1] = int(n)
    return months


def establishments(scope: Scope) -> dict[str, Any]:
    """Establishments inspected (on counted cases) and those with a confirmed violation."""
    inspected = db.session.scalar(
        select(func.count(distinct(Case.establishment_id))).where(
            counted(scope), Case.establishment_id.is_not(None)
        )
    )
    violating = db.session.scalar(
        select(func.count(distinct(Case.establishment_id)))
        .join(Finding, Finding.case_id == Case.id)
        .where(counted(scope), Case.establishment_id.is_not(None), _confirmed())
    )
    inspected, violating = _int(inspected), _int(violating)
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
    """Confirmed findings, cases with one, sanctions by form, fines decided and collected, goods seized."""
    paid = Finding.fine_paid_on.is_not(None)
    row = db.session.execute(
        select(
            func.count(Finding.id),
            func.count(distinct(Finding.case_id)),
            func.sum(Finding.decided_fine_vnd),
            func.sum(case((paid, Finding.decided_fine_vnd), else_=0)),
            func.sum(case((Finding.decided_fine_vnd > 0, 1), else_=0)),
            func.sum(case((and_(paid, Finding.decided_fine_vnd > 0), 1), else_=0)),
            func.sum(Finding.seized_goods_value_vnd),
            func.sum(case((Finding.referral_agency.is_not(None), 1), else_=0)),
        )
        .join(Case, Case.id == Finding.case_id)
        .where(counted(scope), _confirmed())
    ).one()
    forms = db.session.execute(
        select(Finding.sanction_form, func.count())
        .join(Case, Case.id == Finding.case_id)
        .where(counted(scope), _confirmed(), Finding.sanction_form.is_not(None))
        .group_by(Finding.sanction_form)
    ).all()
    decided, collected = _int(row[2]), _int(row[3])
    return {
        "confirmed_findings": _int(row[0]),
        "cases_with_violations": _int(row[1]),
        "fines_decided_vnd": decided,
        "fines_collected_vnd": collected,
        "fines_outstanding_vnd": decided - collected,
        "fined_findings": _int(row[4]),
        "paid_findings": _int(row[5]),
        "collection_rate": _rate(collected, decided),
        "seized_goods_vnd": _int(row[6]),
        "referred_findings": _int(row[7]),
        "by_form": {form: int(n) for form, n in sorted(forms)},
    }


def samples(scope: Scope) -> dict[str, Any]:
    """Samples of counted cases: taken, tested (a result), failed, pending; the failure rate."""
    row = db.session.execute(
        select(
            func.count(Sample.id),
            func.sum(case((Sample.result == ItemResult.FAIL.value, 1), else_=0)),
            func.sum(case((Sample.result == ItemResult.PASS.value, 1), else_=0)),
            func.sum(case((Sample.result == ItemResult.PENDING.value, 1), else_=0)),
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


def ecommerce(scope: Scope) -> dict[str, int]:
    """E-commerce checks counted: listings checked, takedowns requested and done, referrals."""
    row = db.session.execute(
        select(
            func.count(Case.id),
            func.sum(case((Case.action == EcommerceAction.TAKEDOWN_REQUEST.value, 1), else_=0)),
            func.sum(case((Case.taken_down_on.is_not(None), 1), else_=0)),
            func.sum(case((Case.action.in_(REFERRAL_ACTIONS), 1), else_=0)),
            func.sum(case((Case.action == EcommerceAction.WARNING.value, 1), else_=0)),
        ).where(counted(scope), Case.kind == CaseKind.ECOMMERCE.value)
    ).one()
    checked, requested, done, referred, warned = (_int(v) for v in row)
    return {
        "listings_checked": checked,
        "takedowns_requested": requested,
        "takedowns_done": done,
        "takedowns_open": max(requested - done, 0),
        "referrals": referred,
        "warnings": warned,
    }


def surveys_by_campaign(scope: Scope) -> list[dict[str, Any]]:
    """Counted surveys per campaign, with their samples and failures."""
    sample_counts = (
        select(
            Sample.case_id.label("case_id"),
            func.count(Sample.id).label("taken"),
            func.sum(case((Sample.result == ItemResult.FAIL.value, 1), else_=0)).label("failed"),
        )
        .group_by(Sample.case_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            func.coalesce(SurveyCampaign.name, ""),
            func.count(Case.id),
            func.sum(sample_counts.c.taken),
            func.sum(sample_counts.c.failed),
        )
        .select_from(Case)
        .outerjoin(SurveyCampaign, SurveyCampaign.id == Case.campaign_id)
        .outerjoin(sample_counts, sample_counts.c.case_id == Case.id)
        .where(counted(scope), Case.kind == CaseKind.SURVEY.value)
        .group_by(SurveyCampaign.name)
        .order_by(func.count(Case.id).desc(), func.coalesce(SurveyCampaign.name, ""))
    ).all()
    return [
        {"campaign": name or None, "surveys": int(n), "samples": _int(t), "failed": _int(f)}
        for name, n, t, f in rows
    ]


# --- by place -------------------------------------------------------------------------------------


def _place_columns() -> list[Any]:
    """Per group of cases: counted cases, those with a confirmed finding, confirmed findings, fines."""
    confirmed = (
        select(
            Finding.case_id.label("case_id"),
            func.count(Finding.id).label("findings"),
            func.sum(Finding.decided_fine_vnd).label("fines"),
        )
        .where(_confirmed())
        .group_by(Finding.case_id)
        .subquery()
    )
    columns = [
        func.count(Case.id).label("cases"),
        func.count(confirmed.c.case_id).label("with_violations"),
        func.sum(confirmed.c.findings).label("findings"),
        func.sum(confirmed.c.fines).label("fines"),
    ]
    return [confirmed, *columns]


def _place_rows(group_by: Any, where: ColumnElement[bool]) -> dict[str, dict[str, int]]:
    confirmed, *columns = _place_columns()
    rows = db.session.execute(
        select(group_by, *columns)
        .select_from(Case)
        .outerjoin(confirmed, confirmed.c.case_id == Case.id)
        .where(where)
        .group_by(group_by)
    ).all()
    return {
        code: {"cases": int(n), "with_violations": int(v), "findings": _int(f), "fines_vnd": _int(fi)}
        for code, n, v, f, fi in rows
    }


def by_commune(scope: Scope) -> list[dict[str, Any]]:
    """Counted cases per today's commune, with the share with confirmed violations; busiest first."""
    figures = _place_rows(Case.commune_code, counted(scope))
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


def by_former_district(scope: Scope) -> list[dict[str, Any]]:
    """Counted cases per former district (before 1 July 2025).

    A case keeps the former district recorded with it (cases dated before the reform, or recorded with a
    former ward). A later case without one is attributed to the former district its commune was mostly
    formed from; those are counted in ``derived_cases`` so the report can say so.
    """
    recorded = _place_rows(
        Case.former_district_code, and_(counted(scope), Case.former_district_code.is_not(None))
    )
    later = _place_rows(Case.commune_code, and_(counted(scope), Case.former_district_code.is_(None)))
    mapping = commune_former_districts() if later else {}
    totals: dict[str | None, dict[str, int]] = {}
    for code, f in recorded.items():
        totals[code] = {**f, "derived_cases": 0}
    for commune, f in later.items():
        district = mapping.get(commune)
        t = totals.setdefault(
            district, {"cases": 0, "with_violations": 0, "findings": 0, "fines_vnd": 0, "derived_cases": 0}
        )
        for key in ("cases", "with_violations", "findings", "fines_vnd"):
            t[key] += f[key]
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


# --- the whole section ----------------------------------------------------------------------------


def task_52(scope: Scope, *, places: bool = True) -> dict[str, Any]:
    """All figures of task 5.2 for a scope, as plain data."""
    data: dict[str, Any] = {
        "year": scope.year,
        "status": status_summary(scope),
        "by_kind": cases_by_kind(scope),
        "by_field": cases_by_field(scope),
        "by_mode": inspections_by_mode(scope),
        "by_month": cases_by_month(scope),
        "establishments": establishments(scope),
        "findings_by_group": findings_by_group(scope),
        "sanctions": sanctions(scope),
        "samples": samples(scope),
        "ecommerce": ecommerce(scope),
        "surveys": surveys_by_campaign(scope),
    }
    if places:
        data["by_commune"] = by_commune(scope)
        data["by_former_district"] = by_former_district(scope)
    return data
