"""The report figures' main aggregates as one hand-written SQL statement, to compare with
``cases.reporting.figures``.

:func:`orm_figures` calls the functions of ``cases/reporting/figures.py`` that produce the same numbers;
:func:`hand_figures` computes them in one statement. ``make bench`` times both and prints the ratio.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import text

from cases.db import db
from cases.reporting import figures as rf

_COUNTED = "status IN ('approved', 'closed')"


def _sum(condition: str) -> str:
    return f"COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)"


def _statement() -> str:
    statuses = ("draft", "submitted", "returned", "approved", "closed", "cancelled")
    kinds = ("inspection", "ecommerce", "survey")
    case_columns = [f"{_sum(f'status = {s!r}')} AS st_{s}" for s in statuses]
    case_columns += [f"{_sum(f'{_COUNTED} AND kind = {k!r}')} AS kind_{k}" for k in kinds]
    case_columns += [
        f"{_sum(f'{_COUNTED} AND kind = ' + repr('inspection') + f' AND mode = {m!r}')} AS mode_{m}"
        for m in ("planned", "unscheduled")
    ]
    case_columns += [
        f"{_sum(f'{_COUNTED} AND opened_on >= :m{i} AND opened_on < :m{i + 1}')} AS month_{i}"
        for i in range(12)
    ]
    case_columns += [
        f"{_sum(f'{_COUNTED} AND kind = ' + repr('ecommerce'))} AS ec_checked",
        f"{_sum(f'{_COUNTED} AND kind = ' + repr('ecommerce') + ' AND action = ' + repr('takedown_request'))}"
        " AS ec_requested",
        f"{_sum(f'{_COUNTED} AND kind = ' + repr('ecommerce') + ' AND taken_down_on IS NOT NULL')}"
        " AS ec_done",
        f"COUNT(DISTINCT CASE WHEN {_COUNTED} THEN establishment_id END) AS est_inspected",
    ]
    return f"""
WITH y AS (SELECT * FROM case_record WHERE opened_on >= :start AND opened_on < :end),
counted AS (SELECT id, establishment_id FROM y WHERE {_COUNTED}),
cf AS (SELECT f.* , counted.establishment_id AS est FROM finding f JOIN counted ON counted.id = f.case_id
       WHERE f.status = 'confirmed'),
cs AS (SELECT s.result FROM sample s JOIN counted ON counted.id = s.case_id)
SELECT c.*, f.*, s.* FROM
 (SELECT {", ".join(case_columns)} FROM y) AS c,
 (SELECT COUNT(*) AS confirmed, COUNT(DISTINCT case_id) AS cases_with,
         COALESCE(SUM(decided_fine_vnd), 0) AS decided,
         COALESCE(SUM(CASE WHEN fine_paid_on IS NOT NULL THEN decided_fine_vnd ELSE 0 END), 0) AS collected,
         COALESCE(SUM(seized_goods_value_vnd), 0) AS seized, COUNT(DISTINCT est) AS est_violating,
         {_sum("sanction_form = 'fine'")} AS form_fine, {_sum("sanction_form = 'warning'")} AS form_warning
  FROM cf) AS f,
 (SELECT COUNT(*) AS taken, {_sum("result = 'fail'")} AS failed, {_sum("result = 'pass'")} AS passed
  FROM cs) AS s
"""


def hand_figures(year: int) -> dict[str, Any]:
    params: dict[str, Any] = {"start": dt.date(year, 1, 1), "end": dt.date(year + 1, 1, 1)}
    for i in range(13):
        params[f"m{i}"] = dt.date(year + (i // 12), i % 12 + 1, 1)
    row = db.session.execute(text(_statement()), params).mappings().one()
    return dict(row)


def orm_figures(year: int) -> dict[str, Any]:
    scope = rf.Scope.of(year)
    return {
        "status": rf.status_summary(scope),
        "by_kind": rf.cases_by_kind(scope),
        "by_mode": rf.inspections_by_mode(scope),
        "by_month": rf.cases_by_month(scope),
        "establishments": rf.establishments(scope),
        "sanctions": rf.sanctions(scope),
        "samples": rf.samples(scope),
        "ecommerce": rf.ecommerce(scope),
    }


def same_numbers(orm: dict[str, Any], hand: dict[str, Any]) -> bool:
    """Whether both give the same figures (a check that the comparison is fair)."""
    return (
        orm["status"]["closed"] == hand["st_closed"]
        and orm["by_kind"]["inspection"] == hand["kind_inspection"]
        and orm["by_month"] == [hand[f"month_{i}"] for i in range(12)]
        and orm["sanctions"]["fines_decided_vnd"] == hand["decided"]
        and orm["sanctions"]["confirmed_findings"] == hand["confirmed"]
        and orm["samples"]["taken"] == hand["taken"]
        and orm["establishments"]["inspected"] == hand["est_inspected"]
        and orm["establishments"]["with_violations"] == hand["est_violating"]
        and orm["ecommerce"]["takedowns_done"] == hand["ec_done"]
    )
