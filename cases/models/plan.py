"""The tasks of Plan 345/KH-UBND and their targets."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cases.db import Model


class PlanTask(Model):
    """A task of the plan's appendix (1.1 … 6.2) or an objective (II.1.a)."""

    __tablename__ = "plan_task"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    task_group: Mapped[str] = mapped_column(String(20))  # "1" … "6", or "objective"
    sort_order: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    lead_unit: Mapped[str] = mapped_column(String(300))
    coordinating_units: Mapped[str | None] = mapped_column(Text)
    timing: Mapped[str] = mapped_column(String(100))
    target_text: Mapped[str | None] = mapped_column(String(300))  # as the plan words it
    target_following_years: Mapped[str | None] = mapped_column(String(300))
    target_value: Mapped[int | None] = mapped_column(Integer)  # numeric target, if any
    target_unit: Mapped[str | None] = mapped_column(String(100))
    target_measure: Mapped[str] = mapped_column(String(20))  # enums.TargetMeasure
    cumulative_from: Mapped[int | None] = mapped_column(Integer)  # first year counted (2025)
    cumulative_to: Mapped[int | None] = mapped_column(Integer)
    actual_source: Mapped[str] = mapped_column(String(20))  # enums.ActualSource
    # activities of these types count towards the task whatever task they are linked to (II.1.a counts
    # every conference and training class); comma-separated enums.ActivityType values
    counts_activity_types: Mapped[str | None] = mapped_column(String(200))
