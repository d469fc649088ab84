"""The annual plan report: the narrative a manager writes per year, and the frozen snapshot once finalised.

One row per version. A year has at most one draft at a time; finalising stores the figures and the text
as JSON (``snapshot``) with its SHA-256, and the PDF and workbook of a finalised version are made from
that snapshot only. A new version of a finalised year starts as a draft copied from it; finalising it
marks the earlier one superseded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases.db import Model
from cases.enums import ReportStatus
from cases.models.user import User


class AnnualReport(Model):
    __tablename__ = "annual_report"
    __table_args__ = (UniqueConstraint("year", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)  # 1, 2, … per year
    status: Mapped[str] = mapped_column(  # enums.ReportStatus
        String(20), default=ReportStatus.DRAFT.value, index=True
    )

    # the document's heading and signature (ND 30/2020)
    number_symbol: Mapped[str | None] = mapped_column(String(60))  # "05/BC-SKHCN"
    report_date: Mapped[dt.date | None] = mapped_column(Date)
    signer_authority: Mapped[str | None] = mapped_column(String(30))  # "KT. GIÁM ĐỐC"
    signer_title: Mapped[str | None] = mapped_column(String(100))  # "PHÓ GIÁM ĐỐC"
    signer_name: Mapped[str | None] = mapped_column(String(120))
    recipients: Mapped[str | None] = mapped_column(Text)  # "Nơi nhận", one per line

    # the narrative
    overall_assessment: Mapped[str | None] = mapped_column(Text)
    group_results: Mapped[dict[str, str] | None] = mapped_column(JSON)  # task group "1" … "6" → text
    limitations: Mapped[str | None] = mapped_column(Text)
    directions: Mapped[str | None] = mapped_column(Text)
    recommendations: Mapped[str | None] = mapped_column(Text)
    # the sections the manager marked "nothing to report" ("group_6", "limitations", …), so that finalising
    # tells a section left blank from one with nothing to say (cases.reporting.annual_report.MAY_BE_EMPTY)
    nothing_to_report: Mapped[list[str] | None] = mapped_column(JSON)

    # the frozen report
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    snapshot_sha256: Mapped[str | None] = mapped_column(String(64))
    finalised_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    superseded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    supersede_reason: Mapped[str | None] = mapped_column(Text)  # why this revision replaces the previous one

    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    finalised_by: Mapped[User | None] = relationship(foreign_keys=[finalised_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    def __repr__(self) -> str:
        return f"<AnnualReport {self.year} r{self.revision} {self.status}>"
