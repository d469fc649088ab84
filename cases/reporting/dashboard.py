"""The dashboard's figures: the report's figures for a year and a scope, plus what only the dashboard shows.

Every figure the annual report also has (cases by kind and month, fines decided and collected, findings by
catalog group, cases per commune with the share with confirmed violations, the plan's tasks) comes from
``cases.reporting.figures`` / ``cases.reporting.plan_results``: one place computes each figure, with the
report's rule (a case counts when approved or closed, in the year it was opened).

Only the dashboard's own figures are computed here, all as SQL aggregates: the review queue (submitted,
returned), sanctions past their deadline, repeat-offender establishments, e-commerce takedowns still open,
an inspector's own work, the GPS grid of the map. They are live states ("now"), not bound to the year.

The number of queries does not depend on the amount of data (tests/unit/test_dashboard.py counts them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Numeric, and_, cast, distinct, func, select, true

from cases.db import db
from cases.enums import COUNTED_STATUSES, CaseStatus, TargetStatus
from cases.models import Case, Commune, Establishment, Finding
from cases.recording.queries import overdue_condition, own_case_ids, takedown_open_condition
from cases.rendering.commune_map import CommuneFigure, GpsCell
from cases.reporting import figures as rf
from cases.reporting import plan_results

REPEAT_OFFENDERS_SHOWN = 8
TAKEDOWNS_SHOWN = 5
VIOLATION_GROUPS_SHOWN = 8
GPS_CELL_DEGREES = 2  # decimals kept: 0.01° ≈ 1.1 km
GPS_CELLS_MAX = 3000


def _communes(communes: Iterable[str] | None) -> list[str] | None:
    return None if communes is None else sorted(communes)


def _in_communes(communes: list[str] | None) -> ColumnElement[bool]:
    return Case.commune_code.in_(communes) if communes is not None else true()


# --- the province (or a liaison's communes) ---------------------------------------------------------


def review_queue(communes: Iterable[str] | None = None) -> dict[str, int]:
    """Cases waiting for review (submitted) and returned to their authors, whatever their year."""
    wanted = _communes(communes)
    rows = db.session.execute(
        select(Case.status, func.count())
        .where(Case.status.in_([CaseStatus.SUBMITTED.value, CaseStatus.RETURNED.value]), _in_communes(wanted))
        .group_by(Case.status)
    ).all()
    found = {status: int(n) for status, n in rows}
    return {s: found.get(s, 0) for s in (CaseStatus.SUBMITTED.value, CaseStatus.RETURNED.value)}


def overdue_sanctions(today: dt.date, communes: Iterable[str] | None = None) -> dict[str, int]:
    """Confirmed findings past their deadline with the fine unpaid or the remedy not done, and their cases."""
    wanted = _communes(communes)
    row = db.session.execute(
        select(func.count(Finding.id), func.count(distinct(Finding.case_id)))
        .join(Case, Case.id == Finding.case_id)
        .where(overdue_condition(today), _in_communes(wanted))
    ).one()
    return {"findings": int(row[0] or 0), "cases": int(row[1] or 0)}


def repeat_offenders(scope: rf.Scope, *, limit: int = REPEAT_OFFENDERS_SHOWN) -> dict[str, Any]:
    """Repeat offenders active in the scope's year: establishments with a confirmed violation on a counted
    case of the year, and confirmed violations in more than one case in all
    (``cases.recording.establishments``' rule).

    Counted on the cases of the scope's communes when given. Returns how many there are and the ones with
    the most such cases (then the most recent), each with its number of cases and the date of the latest.
    """
    wanted = _communes(scope.communes)
    confirmed_case = Case.has_violation  # kept from the findings by the database (migration 0010)
    active = (
        select(Case.establishment_id)
        .where(rf.counted(scope), Case.establishment_id.is_not(None), confirmed_case)
        .distinct()
    )
    per_establishment = (
        select(
            Case.establishment_id.label("establishment_id"),
            func.count(Case.id).label("cases"),
            func.max(Case.opened_on).label("latest"),
        )
        .where(Case.establishment_id.in_(active), confirmed_case, _in_communes(wanted))
        .group_by(Case.establishment_id)
        .having(func.count(Case.id) > 1)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Establishment.id,
            Establishment.name,
            Establishment.tax_code,
            per_establishment.c.cases,
            per_establishment.c.latest,
            func.count().over(),
        )
        .join(per_establishment, per_establishment.c.establishment_id == Establishment.id)
        .order_by(per_establishment.c.cases.desc(), per_establishment.c.latest.desc(), Establishment.id)
        .limit(limit)
    ).all()
    return {
        "total": int(rows[0][5]) if rows else 0,
        "rows": [
            {"id": i, "name": name, "tax_code": tax, "cases": int(n), "latest": latest}
            for i, name, tax, n, latest, _total in rows
        ],
    }


def open_takedowns(communes: Iterable[str] | None = None, *, limit: int = TAKEDOWNS_SHOWN) -> dict[str, Any]:
    """E-commerce checks with a takedown requested and not yet done (any year, not cancelled).

    The total and the longest-waiting few (by the date the takedown was requested, else the case's date).
    """
    rows = db.session.execute(open_takedowns_query(communes, limit=limit)).all()
    return {
        "total": int(rows[0][5]) if rows else 0,
        "rows": [
            {"id": i, "number": number, "platform": platform, "seller": seller, "since": since}
            for i, number, platform, seller, since, _total in rows
        ],
    }


def open_takedowns_query(communes: Iterable[str] | None = None, *, limit: int = TAKEDOWNS_SHOWN) -> Any:
    """The longest-waiting open takedowns and how many there are (a window count): answered from the
    partial index ``ix_case_record_open_takedown`` alone, which holds every column read here."""
    waiting_since = func.coalesce(Case.action_on, Case.opened_on)
    return (
        select(Case.id, Case.number, Case.platform, Case.seller_name, waiting_since, func.count().over())
        .where(takedown_open_condition(), _in_communes(_communes(communes)))
        .order_by(waiting_since, Case.id)
        .limit(limit)
    )


def plan_summary(year: int, *, counted_cases: int | None = None) -> dict[str, Any]:
    """The plan's tasks for the year (``cases.reporting.plan_results``): met, not met, in progress, no
    target."""
    tasks = plan_results.task_results(year, counted_cases=counted_cases)
    counts = {status.value: 0 for status in TargetStatus}
    for task in tasks:
        counts[task["status"]] = counts.get(task["status"], 0) + 1
    return {"counts": counts, "tasks": tasks}


def available_years(today: dt.date) -> list[int]:
    """The years that have cases, and the current one; newest first."""
    # two scalar subqueries, not min() and max() in one select: each is then read off the index's ends
    first, last = db.session.execute(
        select(
            select(func.min(Case.opened_on)).scalar_subquery(),
            select(func.max(Case.opened_on)).scalar_subquery(),
        )
    ).one()
    low = min(first.year if first else today.year, today.year)
    high = max(last.year if last else today.year, today.year)
    return list(range(high, low - 1, -1))


# --- the map --------------------------------------------------------------------------------------


def commune_positions() -> list[tuple[str, str, float, float]]:
    """(code, name, latitude, longitude) of every commune of today's province (reference data)."""
    rows = db.session.execute(
        select(Commune.code, Commune.name, Commune.latitude, Commune.longitude).order_by(Commune.code)
    ).all()
    return [(code, name, lat, lon) for code, name, lat, lon in rows]


def figures_from_rows(
    rows: Iterable[dict[str, Any]],
    positions: Iterable[tuple[str, str, float, float]],
    communes: Iterable[str] | None = None,
) -> list[CommuneFigure]:
    """Every commune placed, with the figures of ``rows`` (``report_figures.by_commune``'s, live or from a
    finalised report's snapshot); communes outside ``communes`` are marked ``in_scope=False``."""
    counts = {row["code"]: row for row in rows}
    wanted = None if communes is None else set(communes)
    return [
        CommuneFigure(
            code=code,
            name=name,
            latitude=lat,
            longitude=lon,
            cases=int(counts.get(code, {}).get("cases", 0)),
            confirmed=int(counts.get(code, {}).get("with_violations", 0)),
            in_scope=wanted is None or code in wanted,
        )
        for code, name, lat, lon in positions
    ]


def map_figures(scope: rf.Scope) -> list[CommuneFigure]:
    """Every commune of today's province with its counted cases in ``scope`` (``report_figures.by_commune``).

    Communes outside the scope's communes are marked ``in_scope=False`` (drawn only as context).
    """
    return figures_from_rows(rf.by_commune(scope), commune_positions(), scope.communes)


def busiest(figures: list[CommuneFigure], limit: int = 10) -> list[CommuneFigure]:
    """The communes with the most cases (of ``map_figures``' 102 rows), then by name."""
    return sorted((f for f in figures if f.in_scope and f.cases), key=lambda f: (-f.cases, f.name))[:limit]


def gps_cells(scope: rf.Scope, *, limit: int = GPS_CELLS_MAX) -> list[GpsCell]:
    """Counted cases with a GPS point, grouped in cells of 0.01° (about 1 km), the fullest ``limit`` cells."""
    lat = func.round(cast(Case.latitude, Numeric(9, 6)), GPS_CELL_DEGREES)
    lon = func.round(cast(Case.longitude, Numeric(9, 6)), GPS_CELL_DEGREES)
    rows = db.session.execute(
        select(lat, lon, func.count())
        .where(rf.counted(scope), Case.latitude.is_not(None), Case.longitude.is_not(None))
        .group_by(lat, lon)
        .order_by(func.count().desc(), lat, lon)
        .limit(limit)
    ).all()
    return [GpsCell(float(a), float(b), int(n)) for a, b, n in rows]


# --- an inspector's own work ----------------------------------------------------------------------


def own_work(user_id: int, year: int) -> dict[str, int]:
    """Cases the user created or is on the team of: drafts, returned, waiting for review (any year), and
    those opened in ``year`` that were approved or closed."""
    mine = Case.id.in_(own_case_ids(user_id))
    in_year = and_(Case.opened_on >= dt.date(year, 1, 1), Case.opened_on < dt.date(year + 1, 1, 1))
    row = db.session.execute(
        select(
            func.count().filter(Case.status == CaseStatus.DRAFT.value),
            func.count().filter(Case.status == CaseStatus.RETURNED.value),
            func.count().filter(Case.status == CaseStatus.SUBMITTED.value),
            func.count().filter(and_(in_year, Case.status.in_(COUNTED_STATUSES))),
        ).where(mine)
    ).one()
    draft, returned, submitted, counted = (int(v or 0) for v in row)
    return {"draft": draft, "returned": returned, "submitted": submitted, "counted": counted}


# --- everything a manager's (or a liaison's) dashboard shows -------------------------------------


def overview(year: int, *, today: dt.date, communes: Iterable[str] | None = None) -> dict[str, Any]:
    """All figures of the dashboard for ``year`` (whole province, or ``communes`` for a liaison)."""
    scope = rf.Scope.of(year, communes=communes)
    counts = rf.case_counts(scope)  # one pass over the year: statuses and kinds
    months = rf.months_and_kinds(scope)
    last_year = rf.months_and_kinds(scope.previous())  # one pass: last year's months and kinds
    groups = rf.findings_by_group(scope)
    status = rf.status_summary(scope, counts)
    data: dict[str, Any] = {
        "year": year,
        "communes_only": communes is not None,
        "status": status,
        "queue": review_queue(communes),
        "overdue": overdue_sanctions(today, communes),
        "by_kind": rf.cases_by_kind(scope, counts),
        "by_kind_previous": last_year["by_kind"],
        "by_month": months["by_month"],
        "by_month_previous": last_year["by_month"],
        "sanctions": rf.sanctions(scope),
        "documents": rf.documents_issued(scope),
        "groups": groups[:VIOLATION_GROUPS_SHOWN],
        "groups_total": len(groups),
        "repeat_offenders": repeat_offenders(scope),
        "takedowns": open_takedowns(communes),
        "plan": plan_summary(year, counted_cases=status["counted"]) if communes is None else None,
    }
    return data
