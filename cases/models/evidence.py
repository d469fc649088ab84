"""Evidence files: photos and PDFs attached to a case or one of its findings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases.db import Model
from cases.models.case import Case
from cases.models.files import StoredFile
from cases.models.finding import Finding


class EvidenceFile(StoredFile, Model):
    """A photo or PDF attached to a case or one of its findings (the file's columns: ``StoredFile``)."""

    __tablename__ = "evidence_file"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"), index=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("finding.id", ondelete="SET NULL"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    captured_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(String(300))

    case: Mapped[Case] = relationship(back_populates="evidence")
    finding: Mapped[Finding | None] = relationship(back_populates="evidence")
