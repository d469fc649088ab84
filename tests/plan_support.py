"""The plan's tasks are reference data, kept between tests: a test that edits a target puts them back."""

from __future__ import annotations

from cases.db import db
from cases.geography import reference
from cases.models import PlanTask


def restore_plan_tasks() -> None:
    """Put every task's row back as the reference file has it (and commit)."""
    db.session.rollback()
    for row in reference.plan_task_rows():
        task = db.session.get(PlanTask, row["code"])
        for name, value in row.items():
            setattr(task, name, value)
    db.session.commit()
