"""Targets against actuals: every task of the plan for a year, met or not.

The actual of a task comes from the activities linked to it (the sum of their quantities) — plus, for a
task with ``counts_activity_types`` (II.1.a), every activity of those types wherever it is linked — or, for
task 5.2, from the cases counted for the year (approved or closed, see ``cases.reporting.figures``).

A per-year target is met when the year's actual reaches it. A cumulative target (2.3, 4.2, II.1.a) counts
from ``cumulative_from`` (2025) to the report's year; below the target it is "in progress" until its last
year and "not met" after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from cases.db import db
from cases.enums import ActualSource, TargetMeasure, TargetStatus
from cases.models import Activity, Case, PlanTask
from cases.reporting.figures import Scope, counted


class _Quantities:
    """Activity quantities of a span of years, grouped by (task, activity type): a few dozen rows at most."""

    def __init__(self, first_year: int, last_year: int) -> None:
        rows = db.session.execute(
            select(Activity.task_code, Activity.activity_type, func.sum(Activity.quantity), func.count())
            .where(
                Activity.held_on >= dt.date(first_year, 1, 1), Activity.held_on < dt.date(last_year + 1, 1, 1)
            )
            .group_by(Activity.task_code, Activity.activity_type)
        ).all()
        self.rows = [(task, kind, int(q or 0), int(n)) for task, kind, q, n in rows]

    def actual(self, task: PlanTask) -> int:
        """Linked to the task, or (for a task counting activity types) of one of those types anywhere."""
        types = set(_types(task))
        return sum(q for code, kind, q, _ in self.rows if code == task.code or kind in types)

    def count(self, task: PlanTask) -> int:
        return sum(n for code, _, _, n in self.rows if code == task.code)


def _counted_cases(year: int) -> int:
    return int(db.session.scalar(select(func.count(Case.id)).where(counted(Scope.of(year)))) or 0)


def _types(task: PlanTask) -> list[str]:
    return [t.strip() for t in (task.counts_activity_types or "").split(",") if t.strip()]


def status_of(task: PlanTask | dict[str, Any], year: int, actual: int | None) -> str:
    """met / not_met / in_progress / no_target for a task's actual in a year."""
    get: Callable[[str], Any] = task.get if isinstance(task, dict) else lambda k: getattr(task, k)
    target, measure = get("target_value"), get("target_measure")
    if target is None or measure == TargetMeasure.NONE.value or actual is None:
        return TargetStatus.NO_TARGET.value
    if actual >= target:
        return TargetStatus.MET.value
    if measure == TargetMeasure.CUMULATIVE.value and get("cumulative_to") and year < get("cumulative_to"):
        return TargetStatus.IN_PROGRESS.value
    return TargetStatus.NOT_MET.value


def task_results(year: int, *, counted_cases: int | None = None) -> list[dict[str, Any]]:
    """Every task of the plan, in the plan's order, with target, actuals and status for ``year``.

    ``counted_cases``: the year's counted cases when the caller has them already (the dashboard's and
    the report's status counts), which spares a pass over the year's cases.
    """
    tasks = list(db.session.scalars(select(PlanTask).order_by(PlanTask.sort_order)))
    this_year = _Quantities(year, year)
    spans: dict[tuple[int, int], _Quantities] = {}
    cases_counted = counted_cases
    rows = []
    for task in tasks:
        row: dict[str, Any] = {
            "code": task.code,
            "task_group": task.task_group,
            "content": task.content,
            "lead_unit": task.lead_unit,
            "coordinating_units": task.coordinating_units,
            "timing": task.timing,
            "target_text": task.target_text,
            "target_value": task.target_value,
            "target_unit": task.target_unit,
            "target_measure": task.target_measure,
            "cumulative_from": task.cumulative_from,
            "cumulative_to": task.cumulative_to,
            "actual_source": task.actual_source,
            "activities": 0,
            "actual_year": None,
            "actual_cumulative": None,
        }
        if task.actual_source == ActualSource.CASES.value:
            if cases_counted is None:
                cases_counted = _counted_cases(year)
            row["actual_year"] = compared = cases_counted
        else:
            row["actual_year"] = compared = this_year.actual(task)
            row["activities"] = this_year.count(task)
            if task.target_measure == TargetMeasure.CUMULATIVE.value and task.cumulative_from:
                first = task.cumulative_from
                last = min(year, task.cumulative_to or year)
                if first <= last:
                    span = spans.get((first, last)) or spans.setdefault(
                        (first, last), _Quantities(first, last)
                    )
                    row["actual_cumulative"] = span.actual(task)
                else:
                    row["actual_cumulative"] = 0
                compared = row["actual_cumulative"]
        row["status"] = status_of(task, year, compared)
        rows.append(row)
    return rows


def activities_by_task(year: int) -> dict[str, list[dict[str, Any]]]:
    """The year's activities per task (date, title, quantity, unit), for the report's appendix."""
    rows = db.session.execute(
        select(Activity.task_code, Activity.held_on, Activity.title, Activity.quantity, Activity.unit)
        .where(Activity.held_on >= dt.date(year, 1, 1), Activity.held_on < dt.date(year + 1, 1, 1))
        .order_by(Activity.task_code, Activity.held_on, Activity.id)
    ).all()
    result: dict[str, list[dict[str, Any]]] = {}
    for code, held_on, title, quantity, unit in rows:
        result.setdefault(code, []).append(
            {"date": held_on.isoformat(), "title": title, "quantity": int(quantity), "unit": unit}
        )
    return result
