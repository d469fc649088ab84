"""The plan's targets: list them, and let an administrator change them when a new plan does. Flushes,
never commits.

A target is measured per year, cumulatively over a span of years (2.3, 4.2 and II.1.a: 2025–2030), or not
numerically at all. Each change is audited (entity ``plan_task``; the task's code is the first entry of
the changes, since a task has no numeric id).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db import db
from cases.enums import ActivityType, TargetMeasure
from cases.errors import PermissionDenied, ValidationFailed
from cases.models import PlanTask, User
from cases.recording.rules import Problem
from cases.text import clean_text

MAX_TARGET_TEXT = 300
MAX_TARGET_UNIT = 100
MAX_TARGET_VALUE = 1_000_000
MAX_REASON = 300
FIRST_YEAR = 2000
LAST_YEAR = 2100


@dataclass
class TargetInput:
    target_text: str | None = None
    target_value: int | None = None
    target_unit: str | None = None
    target_measure: str | None = None
    cumulative_from: int | None = None
    cumulative_to: int | None = None
    counts_activity_types: list[str] = field(default_factory=list)


class TargetInvalid(ValidationFailed):
    """Raised with every problem of a target at once."""

    code = "target_invalid"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("target_invalid", problems=len(problems))
        self.problems = problems
        self.all_problems = [p.as_error() for p in problems]  # a form shows each beside its field


def list_tasks() -> list[PlanTask]:
    """The 14 tasks and the objective, in the plan's order."""
    return list(db.session.scalars(select(PlanTask).order_by(PlanTask.sort_order)))


def target_to_input(task: PlanTask) -> TargetInput:
    return TargetInput(
        target_text=task.target_text,
        target_value=task.target_value,
        target_unit=task.target_unit,
        target_measure=task.target_measure,
        cumulative_from=task.cumulative_from,
        cumulative_to=task.cumulative_to,
        counts_activity_types=split_types(task.counts_activity_types),
    )


def split_types(value: str | None) -> list[str]:
    return [t for t in (value or "").split(",") if t]


def _year_problem(name: str, year: int | None, problems: list[Problem]) -> None:
    if year is None:
        problems.append(Problem(name, "required"))
    elif not FIRST_YEAR <= year <= LAST_YEAR:
        problems.append(Problem(name, "year_out_of_range", {"min": FIRST_YEAR, "max": LAST_YEAR}))


def check_target(data: TargetInput) -> list[Problem]:
    """Every problem of the (cleaned) values, one per field at most."""
    problems: list[Problem] = []
    measures = {m.value for m in TargetMeasure}
    if not data.target_measure:
        problems.append(Problem("target_measure", "required"))
    elif data.target_measure not in measures:
        problems.append(Problem("target_measure", "invalid_choice"))

    if data.target_measure in {TargetMeasure.PER_YEAR, TargetMeasure.CUMULATIVE}:
        if data.target_value is None:
            problems.append(Problem("target_value", "target_value_required"))
        elif data.target_value < 0:
            problems.append(Problem("target_value", "negative"))
        elif data.target_value > MAX_TARGET_VALUE:
            problems.append(Problem("target_value", "above_maximum", {"max": MAX_TARGET_VALUE}))
    if data.target_measure == TargetMeasure.CUMULATIVE:
        _year_problem("cumulative_from", data.cumulative_from, problems)
        _year_problem("cumulative_to", data.cumulative_to, problems)
        if (
            data.cumulative_from is not None
            and data.cumulative_to is not None
            and not any(p.field.startswith("cumulative_") for p in problems)
            and data.cumulative_from > data.cumulative_to
        ):
            problems.append(Problem("cumulative_to", "years_reversed"))

    if data.target_text is not None and len(data.target_text) > MAX_TARGET_TEXT:
        problems.append(Problem("target_text", "too_long"))
    if data.target_unit is not None and len(data.target_unit) > MAX_TARGET_UNIT:
        problems.append(Problem("target_unit", "too_long"))
    known = {t.value for t in ActivityType}
    if any(t not in known for t in data.counts_activity_types):
        problems.append(Problem("counts_activity_types", "unknown_activity_type"))
    return problems


def update_target(*, task: PlanTask, actor: User, data: TargetInput, reason: str | None = None) -> PlanTask:
    """Change a task's target. ``none`` clears the value and the years; ``per_year`` clears the years.

    Raises ``PermissionDenied``, :class:`TargetInvalid`, or ``ValidationFailed("too_long", field="reason")``.
    """
    if not permissions.can_manage_targets(actor):
        raise PermissionDenied()
    data.target_text = clean_text(data.target_text)
    data.target_unit = clean_text(data.target_unit)
    data.counts_activity_types = sorted(set(data.counts_activity_types or []))
    problems = check_target(data)
    reason = clean_text(reason)
    if reason is not None and len(reason) > MAX_REASON:
        problems.append(Problem("reason", "too_long"))
    if problems:
        raise TargetInvalid(problems)
    assert data.target_measure is not None  # check_target refused an empty measure
    if data.target_measure == TargetMeasure.NONE:
        data.target_value = None
    if data.target_measure != TargetMeasure.CUMULATIVE:
        data.cumulative_from = data.cumulative_to = None

    before = audit.snapshot(task)
    task.target_text = data.target_text
    task.target_value = data.target_value
    task.target_unit = data.target_unit
    task.target_measure = data.target_measure
    task.cumulative_from = data.cumulative_from
    task.cumulative_to = data.cumulative_to
    task.counts_activity_types = ",".join(data.counts_activity_types) or None
    db.session.flush()
    changes = audit.diff(before, audit.snapshot(task))
    if changes:
        changes.insert(0, {"field": "code", "from": task.code, "to": task.code})
        audit.record(actor, "update", entity=task, changes=changes, reason=reason)
    return task
