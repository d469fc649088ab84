"""Activities: record, edit and delete the plan's work that is not a case, with evidence files; list and
total them. Flushes, never commits.

An activity counts towards one task of Plan 345 by its ``quantity`` (1 broadcast, 12 enterprises
supported). Task 5.2 is reported from the cases, and objective II.1.a counts the conferences and training
classes of every task, so neither can be chosen. Every problem of an activity is reported at once
(:class:`ActivityInvalid`, one :class:`Problem` per field), like a case's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVarTuple

from sqlalchemy import Select, extract, func, select
from sqlalchemy.orm import joinedload

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db import db
from cases.enums import ActivityType, ActualSource
from cases.errors import PermissionDenied, ValidationFailed
from cases.models import Activity, ActivityFile, Commune, PlanTask, User
from cases.plan.activity_tasks import CASE_TASKS, defaults_for, task_label
from cases.recording import evidence
from cases.recording.rules import Problem
from cases.text import clean_text, fold

#: the columns of a select that a filter passes through unchanged
_Columns = TypeVarTuple("_Columns")

#: The plan runs from 2025: nothing earlier counts.
FIRST_DAY = dt.date(2025, 1, 1)
MAX_TITLE = 300
MAX_UNIT = 100
MAX_RESPONSIBLE_UNIT = 300
MAX_LOCATION = 300
MAX_DESCRIPTION = 5000
MAX_QUANTITY = 100_000
MAX_PARTICIPANTS = 1_000_000
MAX_QUERY = 200

#: ActivityInput attributes copied onto the Activity as they are.
_PLAIN = (
    "task_code",
    "activity_type",
    "held_on",
    "end_on",
    "title",
    "quantity",
    "unit",
    "participants",
    "responsible_unit",
    "commune_code",
    "location",
    "description",
)


@dataclass
class ActivityInput:
    """The values of an activity as typed (before checking)."""

    task_code: str | None = None
    activity_type: str | None = None
    held_on: dt.date | None = None
    end_on: dt.date | None = None
    title: str | None = None
    quantity: int | None = 1
    unit: str | None = None
    participants: int | None = None
    responsible_unit: str | None = None
    commune_code: str | None = None
    location: str | None = None
    description: str | None = None


class ActivityInvalid(ValidationFailed):
    """Raised with every problem of an activity at once."""

    code = "activity_invalid"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("activity_invalid", problems=len(problems))
        self.problems = problems
        self.all_problems = [p.as_error() for p in problems]  # a form shows each beside its field


class StaleActivity(ValidationFailed):
    """Somebody else saved the activity after this user opened it."""

    code = "stale_activity"


@dataclass
class TaskTotal:
    """The activities of one task within a filter: how many, and their quantities added up."""

    task_code: str
    label: str
    activities: int
    quantity: int
    unit: str | None
    target_text: str | None


# --- checking ---------------------------------------------------------------------------------------


def _clean(data: ActivityInput) -> ActivityInput:
    for name in (
        "task_code",
        "activity_type",
        "title",
        "unit",
        "responsible_unit",
        "commune_code",
        "location",
    ):
        setattr(data, name, clean_text(getattr(data, name)))
    data.description = clean_text(data.description, multiline=True)
    if data.unit is None and (default := defaults_for(data.task_code)) is not None:
        data.unit = default.unit
    return data


def selectable_task(code: str | None) -> PlanTask | None:
    """The task an activity may be linked to, or ``None``."""
    task = db.session.get(PlanTask, code) if code else None
    if task is None or task.code in CASE_TASKS or task.actual_source != ActualSource.ACTIVITIES:
        return None
    return task if task.task_group != "objective" else None


def check_activity(data: ActivityInput, *, today: dt.date | None = None) -> list[Problem]:
    """Every problem of the (cleaned) values, one per field at most."""
    today = today or dt.date.today()
    problems: list[Problem] = []

    if not data.task_code:
        problems.append(Problem("task_code", "required"))
    elif selectable_task(data.task_code) is None:
        task = db.session.get(PlanTask, data.task_code)
        if task is None:
            problems.append(Problem("task_code", "unknown_task"))
        elif task.code in CASE_TASKS or task.actual_source == ActualSource.CASES:
            problems.append(Problem("task_code", "task_from_cases", {"task": task.code}))
        else:
            problems.append(Problem("task_code", "task_is_objective", {"task": task.code}))

    if not data.activity_type:
        problems.append(Problem("activity_type", "required"))
    elif data.activity_type not in {t.value for t in ActivityType}:
        problems.append(Problem("activity_type", "unknown_activity_type"))

    if data.held_on is None:
        problems.append(Problem("held_on", "required"))
    elif data.held_on > today:
        problems.append(Problem("held_on", "date_in_future"))
    elif data.held_on < FIRST_DAY:
        problems.append(Problem("held_on", "before_plan", {"date": FIRST_DAY}))
    if data.end_on is not None:
        if data.held_on is not None and data.end_on < data.held_on:
            problems.append(Problem("end_on", "end_before_start"))
        elif data.end_on > today:
            problems.append(Problem("end_on", "date_in_future"))

    if not data.title:
        problems.append(Problem("title", "required"))
    elif len(data.title) > MAX_TITLE:
        problems.append(Problem("title", "too_long"))

    if data.quantity is None:
        problems.append(Problem("quantity", "required"))
    elif not isinstance(data.quantity, int) or isinstance(data.quantity, bool):
        problems.append(Problem("quantity", "not_an_integer"))
    elif data.quantity < 1:
        problems.append(Problem("quantity", "below_minimum", {"min": 1}))
    elif data.quantity > MAX_QUANTITY:
        problems.append(Problem("quantity", "above_maximum", {"max": MAX_QUANTITY}))

    if data.participants is not None:
        if not isinstance(data.participants, int) or isinstance(data.participants, bool):
            problems.append(Problem("participants", "not_an_integer"))
        elif data.participants < 0:
            problems.append(Problem("participants", "negative"))
        elif data.participants > MAX_PARTICIPANTS:
            problems.append(Problem("participants", "above_maximum", {"max": MAX_PARTICIPANTS}))

    for name, limit in (
        ("unit", MAX_UNIT),
        ("responsible_unit", MAX_RESPONSIBLE_UNIT),
        ("location", MAX_LOCATION),
        ("description", MAX_DESCRIPTION),
    ):
        value = getattr(data, name)
        if value is not None and len(value) > limit:
            problems.append(Problem(name, "too_long"))

    if data.commune_code is not None and db.session.get(Commune, data.commune_code) is None:
        problems.append(Problem("commune_code", "unknown_commune", {"codes": data.commune_code}))
    return problems


def problems_of(data: ActivityInput, *, today: dt.date | None = None) -> list[Problem]:
    """Clean and check values without saving (a form that failed its own checks shows these too)."""
    return check_activity(_clean(data), today=today)


# --- writing ----------------------------------------------------------------------------------------


def build_search_key(activity: Activity) -> str:
    """The folded text a search matches: title, unit, responsible unit, location, description."""
    parts = [
        activity.title,
        activity.unit,
        activity.responsible_unit,
        activity.location,
        activity.description,
    ]
    return " | ".join(fold(p) for p in parts if p)


def _apply(activity: Activity, data: ActivityInput) -> None:
    with db.session.no_autoflush:  # one UPDATE per save, so the version moves by one
        for name in _PLAIN:
            setattr(activity, name, getattr(data, name))
        activity.search_key = build_search_key(activity)


def create_activity(*, actor: User, data: ActivityInput, today: dt.date | None = None) -> Activity:
    """Record an activity. Raises ``PermissionDenied`` or :class:`ActivityInvalid`."""
    if not permissions.can_record_activity(actor):
        raise PermissionDenied()
    data = _clean(data)
    problems = check_activity(data, today=today)
    if problems:
        raise ActivityInvalid(problems)
    activity = Activity(created_by_id=actor.id)
    _apply(activity, data)
    db.session.add(activity)
    db.session.flush()
    audit.record(actor, "create", entity=activity, changes=audit.diff({}, audit.snapshot(activity)))
    return activity


def update_activity(
    *,
    activity: Activity,
    actor: User,
    data: ActivityInput,
    expected_version: int | None,
    today: dt.date | None = None,
) -> Activity:
    """Save an edit. ``expected_version`` is the version the user opened; a newer one means a lost update."""
    if not permissions.can_edit_activity(actor, activity):
        raise PermissionDenied()
    if expected_version is not None and expected_version != activity.version:
        raise StaleActivity(field="version")
    data = _clean(data)
    problems = check_activity(data, today=today)
    if problems:
        raise ActivityInvalid(problems)
    before = audit.snapshot(activity)
    _apply(activity, data)
    db.session.flush()
    changes = audit.diff(before, audit.snapshot(activity))
    if changes:
        audit.record(actor, "update", entity=activity, changes=changes)
    return activity


def delete_activity(*, activity: Activity, actor: User, upload_folder: str | Path) -> list[Path]:
    """Delete an activity and its evidence rows; returns the files to remove once that is committed."""
    if not permissions.can_delete_activity(actor, activity):
        raise PermissionDenied()
    paths = [path for f in activity.files for path in evidence.files_of(f, upload_folder)]
    for f in activity.files:
        audit.record(actor, "delete", entity=f, changes=audit.diff(audit.snapshot(f), {}))
    audit.record(actor, "delete", entity=activity, changes=audit.diff(audit.snapshot(activity), {}))
    db.session.delete(activity)
    db.session.flush()
    return paths


def activity_to_input(activity: Activity) -> ActivityInput:
    """The editable values of an activity, to fill a form."""
    return ActivityInput(**{name: getattr(activity, name) for name in _PLAIN})


def new_input(task_code: str | None = None, *, today: dt.date | None = None) -> ActivityInput:
    """The values a new form starts with: today, quantity 1, and the task's usual type and unit."""
    data = ActivityInput(task_code=task_code, held_on=today or dt.date.today(), quantity=1)
    default = defaults_for(task_code)
    if default is not None and selectable_task(task_code) is not None:
        data.activity_type = default.activity_type.value
        data.unit = default.unit
    return data


# --- evidence files ---------------------------------------------------------------------------------


def store_files(
    *,
    activity: Activity,
    actor: User | None,
    files: Sequence[tuple[str | None, BinaryIO | bytes]],
    upload_folder: str | Path,
    max_bytes: int,
    max_pixels: int = evidence.MAX_PIXELS,
) -> list[ActivityFile]:
    """Check every file, then store them all beside the cases' evidence; if one is refused, none is
    (:func:`cases.recording.evidence.store_files`)."""
    owner = evidence.Owner(ActivityFile, {"activity": activity}, audited=("activity_id", "original_name"))
    return evidence.store_files(
        owner,
        actor=actor,
        files=files,
        upload_folder=upload_folder,
        max_bytes=max_bytes,
        max_pixels=max_pixels,
    )


def delete_file(f: ActivityFile, upload_folder: str | Path, *, actor: User) -> list[Path]:
    """Delete one evidence file of an activity; returns its files, to remove once that is committed."""
    if not permissions.can_edit_activity(actor, f.activity):
        raise PermissionDenied()
    return evidence.delete_stored(f, upload_folder, actor=actor)


# --- lists and totals -------------------------------------------------------------------------------


@dataclass
class ActivityFilters:
    year: int | None = None
    task_code: str | None = None
    activity_type: str | None = None
    commune_code: str | None = None
    responsible_unit: str | None = None
    q: str | None = None


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(stmt: Select[*_Columns], filters: ActivityFilters) -> Select[*_Columns]:
    if filters.year is not None:
        stmt = stmt.where(
            Activity.held_on >= dt.date(filters.year, 1, 1), Activity.held_on <= dt.date(filters.year, 12, 31)
        )
    if filters.task_code:
        stmt = stmt.where(Activity.task_code == filters.task_code)
    if filters.activity_type:
        stmt = stmt.where(Activity.activity_type == filters.activity_type)
    if filters.commune_code:
        stmt = stmt.where(Activity.commune_code == filters.commune_code)
    if filters.responsible_unit and (unit := fold(filters.responsible_unit)):
        stmt = stmt.where(Activity.search_key.like(f"%{_like_escape(unit)}%", escape="\\"))
    for word in fold(filters.q or "").split():
        stmt = stmt.where(Activity.search_key.like(f"%{_like_escape(word)}%", escape="\\"))
    return stmt


def activity_list_query(filters: ActivityFilters) -> Select[Activity]:
    """The activities matching ``filters``, newest first (for ``db.paginate``).

    ``q`` matches every word, with or without diacritics, in the title, unit, responsible unit, location
    and description; ``responsible_unit`` matches the same folded text as one phrase.
    """
    stmt = select(Activity).options(
        joinedload(Activity.task), joinedload(Activity.commune), joinedload(Activity.created_by)
    )
    return _filtered(stmt, filters).order_by(Activity.held_on.desc(), Activity.id.desc())


def task_totals(filters: ActivityFilters) -> list[TaskTotal]:
    """Per task, the number of activities matching ``filters`` and their quantities added up (in SQL).

    The unit is the one the activities share; when they use several, the most recent one.
    """
    base = _filtered(
        select(
            Activity.task_code.label("task_code"),
            func.count(Activity.id).label("activities"),
            func.coalesce(func.sum(Activity.quantity), 0).label("quantity"),
            func.max(Activity.held_on).label("latest"),
        ),
        filters,
    ).group_by(Activity.task_code)
    totals = base.subquery()
    stmt = (
        select(
            PlanTask.code,
            PlanTask.content,
            PlanTask.target_text,
            PlanTask.target_unit,
            totals.c.activities,
            totals.c.quantity,
        )
        .join(totals, totals.c.task_code == PlanTask.code)
        .order_by(PlanTask.sort_order)
    )
    units = _units(filters)
    return [
        TaskTotal(
            task_code=row.code,
            label=task_label(row.code, row.content),
            activities=int(row.activities),
            quantity=int(row.quantity),
            unit=units.get(row.code) or row.target_unit,
            target_text=row.target_text,
        )
        for row in db.session.execute(stmt)
    ]


def _units(filters: ActivityFilters) -> dict[str, str]:
    """Task code → the unit of its latest activity within ``filters`` (one row per task, in SQL)."""
    ranked = _filtered(
        select(
            Activity.task_code,
            Activity.unit,
            func.row_number()
            .over(partition_by=Activity.task_code, order_by=(Activity.held_on.desc(), Activity.id.desc()))
            .label("rank"),
        ),
        filters,
    ).subquery()
    stmt = select(ranked.c.task_code, ranked.c.unit).where(ranked.c.rank == 1)
    return {code: unit for code, unit in db.session.execute(stmt) if unit}


def activity_years() -> list[int]:
    """The years that have activities, newest first (for the year filter)."""
    year = extract("year", Activity.held_on)
    return [int(y) for y in db.session.scalars(select(year).distinct().order_by(year.desc())) if y]


def task_choices() -> list[tuple[str, str, str]]:
    """``(group, code, label)`` of the tasks an activity may be linked to, in the plan's order."""
    stmt = select(PlanTask).where(PlanTask.actual_source == ActualSource.ACTIVITIES.value)
    stmt = stmt.where(PlanTask.task_group != "objective", PlanTask.code.notin_(CASE_TASKS))
    return [
        (t.task_group, t.code, task_label(t.code, t.content))
        for t in db.session.scalars(stmt.order_by(PlanTask.sort_order))
    ]


def any_recorded() -> bool:
    return db.session.scalar(select(Activity.id).limit(1)) is not None
