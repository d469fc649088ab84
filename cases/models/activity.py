"""Activities: the plan's work that is not a case (a broadcast, a conference, a training class...)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases.db import Model
from cases.models.files import StoredFile
from cases.models.geo import Commune
from cases.models.plan import PlanTask
from cases.models.user import User


class Activity(Model):
    """One activity, counted towards a task of the plan by its ``quantity`` (1 broadcast, 12 enterprises)."""

    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_code: Mapped[str] = mapped_column(ForeignKey("plan_task.code"), index=True)
    activity_type: Mapped[str] = mapped_column(String(30), index=True)  # enums.ActivityType
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    unit: Mapped[str | None] = mapped_column(String(100))  # as the task counts it: lượt, lớp, doanh nghiệp
    participants: Mapped[int | None] = mapped_column(Integer)
    responsible_unit: Mapped[str | None] = mapped_column(String(300))
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("commune.code"), index=True)
    location: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(Text, default="")  # folded title, unit and description
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    task: Mapped[PlanTask] = relationship()
    commune: Mapped[Commune | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    files: Mapped[list[ActivityFile]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", order_by="ActivityFile.id"
    )

    def __repr__(self) -> str:
        return f"<Activity {self.task_code} {self.held_on} {self.title!r}>"


class ActivityFile(StoredFile, Model):
    """Evidence of an activity (invitation, photo, attendance list), stored like a case's evidence (the
    stored file's columns: ``StoredFile``)."""

    __tablename__ = "activity_file"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))

    activity: Mapped[Activity] = relationship(back_populates="files")
