"""What the commune page shows: a commune's cases, establishments, confirmed findings and its former units.

Plain data from a handful of queries (the counts are SQL aggregates); the year's figures come from
``cases.reporting.figures`` so that they match the dashboard and the annual report.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from cases.db import db
from cases.enums import FindingStatus
from cases.models import (
    Case,
    Commune,
    Establishment,
    Finding,
    FormerDistrict,
    FormerWard,
    FormerWardCommune,
    Violation,
)
from cases.reporting import figures as rf

RECENT_CASES = 10
ESTABLISHMENTS_SHOWN = 15
FINDINGS_SHOWN = 10


def get_commune(code: str) -> Commune | None:
    return db.session.get(Commune, code)


def former_units(code: str) -> list[dict[str, Any]]:
    """The former wards (and their districts and provinces) the commune was formed from."""
    rows = db.session.execute(
        select(
            FormerWard.code,
            FormerWard.name,
            FormerDistrict.name,
            FormerDistrict.province_name,
            FormerWardCommune.is_split,
            FormerWardCommune.is_default,
        )
        .join(FormerWard, FormerWard.code == FormerWardCommune.former_ward_code)
        .join(FormerDistrict, FormerDistrict.code == FormerWard.district_code)
        .where(FormerWardCommune.commune_code == code)
        .order_by(FormerDistrict.name, FormerWard.name)
    ).all()
    return [
        {
            "code": ward_code,
            "name": ward,
            "district": district,
            "province": province,
            "split": bool(split),
            "default": bool(default),
        }
        for ward_code, ward, district, province, split, default in rows
    ]


def recent_cases(code: str, *, limit: int = RECENT_CASES) -> list[Case]:
    return list(
        db.session.scalars(
            select(Case)
            .where(Case.commune_code == code)
            .options(joinedload(Case.establishment))
            .order_by(Case.opened_on.desc(), Case.id.desc())
            .limit(limit)
        )
    )


def case_counts(code: str) -> dict[str, int]:
    """The commune's cases by status, all years (and their total)."""
    rows = db.session.execute(
        select(Case.status, func.count()).where(Case.commune_code == code).group_by(Case.status)
    ).all()
    counts = {status: int(n) for status, n in rows}
    counts["total"] = sum(counts.values())
    return counts


def establishments(code: str, *, limit: int = ESTABLISHMENTS_SHOWN) -> dict[str, Any]:
    """Establishments located in the commune, those with the most cases first, with their confirmed ones."""
    confirmed_cases = (
        select(Finding.case_id).where(Finding.status == FindingStatus.CONFIRMED.value).scalar_subquery()
    )
    per_case = (
        select(
            Case.establishment_id.label("establishment_id"),
            func.count(Case.id).label("cases"),
            func.count().filter(Case.id.in_(confirmed_cases)).label("with_violations"),
        )
        .where(Case.establishment_id.is_not(None))
        .group_by(Case.establishment_id)
        .subquery()
    )
    cases_col = func.coalesce(per_case.c.cases, 0)
    rows = db.session.execute(
        select(
            Establishment.id,
            Establishment.name,
            Establishment.tax_code,
            cases_col,
            func.coalesce(per_case.c.with_violations, 0),
            func.count().over(),
        )
        .outerjoin(per_case, per_case.c.establishment_id == Establishment.id)
        .where(Establishment.commune_code == code)
        .order_by(cases_col.desc(), Establishment.name_key, Establishment.id)
        .limit(limit)
    ).all()
    return {
        "total": int(rows[0][5]) if rows else 0,
        "rows": [
            {"id": i, "name": name, "tax_code": tax, "cases": int(n), "with_violations": int(v)}
            for i, name, tax, n, v, _total in rows
        ],
    }


def confirmed_findings(code: str, *, limit: int = FINDINGS_SHOWN) -> dict[str, Any]:
    """The latest confirmed findings on the commune's cases, with the violation and the sanction."""
    rows = db.session.execute(
        select(
            Case.id,
            Case.number,
            Case.opened_on,
            Violation.code,
            Violation.group_name,
            Finding.sanction_form,
            Finding.decided_fine_vnd,
            func.count().over(),
        )
        .join(Case, Case.id == Finding.case_id)
        .join(Violation, Violation.id == Finding.violation_id)
        .where(Case.commune_code == code, Finding.status == FindingStatus.CONFIRMED.value)
        .order_by(Case.opened_on.desc(), Finding.id.desc())
        .limit(limit)
    ).all()
    return {
        "total": int(rows[0][7]) if rows else 0,
        "rows": [
            {
                "case_id": case_id,
                "number": number,
                "opened_on": opened_on,
                "violation": violation,
                "group": group,
                "sanction_form": form,
                "fine_vnd": fine,
            }
            for case_id, number, opened_on, violation, group, form, fine, _total in rows
        ],
    }


def overview(code: str, year: int) -> dict[str, Any]:
    """Everything the commune page shows, for the commune ``code`` and the year's figures."""
    scope = rf.Scope.of(year, communes=[code])
    return {
        "year": year,
        "year_status": rf.status_summary(scope),
        "year_sanctions": rf.sanctions(scope),
        "counts": case_counts(code),
        "recent": recent_cases(code),
        "establishments": establishments(code),
        "findings": confirmed_findings(code),
        "former": former_units(code),
    }
