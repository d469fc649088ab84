"""A saved way of reading a sheet in its own shape (issue 21): which header is which import column, and
the constants for the columns the sheet lacks, under a name, to reuse for the next file of the same shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases.db import Model
from cases.models.user import User


class ImportMapping(Model):
    """``columns``: ``[{"header": "Tên cơ sở", "column": "establishment"}, …]`` in the sheet's order;
    ``constants``: ``{"case_type": "inspection", …}`` for the rows that leave a column empty."""

    __tablename__ = "import_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    columns: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    constants: Mapped[dict[str, str]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    created_by: Mapped[User | None] = relationship()
