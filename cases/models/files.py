"""The columns of every stored evidence file, a case's (``EvidenceFile``) or an activity's (``ActivityFile``).

Two tables (a case's files may name a finding, keep the time a photo was taken and a note; an activity's
do not), one description of what is stored: ``cases.recording.evidence`` writes, serves and deletes the
rows of both through these columns.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

if TYPE_CHECKING:
    from cases.models.user import User


class StoredFile:
    """A photo or PDF kept outside the static folder under a random name (``<32 hex>.<ext>``)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    original_name: Mapped[str] = mapped_column(String(255))  # as the browser sent it, made safe to show
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)  # random, no user input
    content_type: Mapped[str] = mapped_column(String(50))  # sniffed from the content
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    has_thumbnail: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    @declared_attr
    def uploaded_by(cls) -> Mapped[User | None]:  # noqa: N805 - SQLAlchemy passes the mapped class
        return relationship("User")
