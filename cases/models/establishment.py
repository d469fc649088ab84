"""Establishments (cơ sở / doanh nghiệp) that are inspected, surveyed or sell online."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Float, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from cases.db import Model
from cases.enums import BusinessType
from cases.models.geo import Commune
from cases.text import fold


class Establishment(Model):
    __tablename__ = "establishment"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True, default="")  # folded, for search
    tax_code: Mapped[str | None] = mapped_column(String(14), unique=True)  # 10 digits or 10-3
    business_type: Mapped[str] = mapped_column(  # enums.BusinessType
        String(20), default=BusinessType.ENTERPRISE.value
    )
    address: Mapped[str | None] = mapped_column(Text)
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("commune.code"), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    representative: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    commune: Mapped[Commune | None] = relationship()

    @validates("name")
    def _keep_name_key(self, _key: str, value: str) -> str:
        self.name_key = fold(value)
        return value

    def __repr__(self) -> str:
        return f"<Establishment {self.id} {self.name}>"
