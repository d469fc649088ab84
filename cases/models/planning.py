"""Planning (issue 18): the risk score's weights (dated versions, reference data an administrator corrects),
tips and complaints (tin báo, phản ánh), and the checks of other agencies that count for the once-a-year
rule.

A weights version is never edited: an administrator's save makes a new version (``number`` + 1) from its
``effective_from`` date, so a plan (next increment) records the ``risk_weight_version.id`` that ranked it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases.db import Model
from cases.enums import TipStatus
from cases.models.establishment import Establishment
from cases.models.geo import Commune
from cases.models.user import User


class RiskWeightVersion(Model):
    """One version of the weights: all its rows (``RiskWeight``) are read together."""

    __tablename__ = "risk_weight_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    weights: Mapped[list[RiskWeight]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="RiskWeight.id"
    )

    def __repr__(self) -> str:
        return f"<RiskWeightVersion {self.number} from {self.effective_from}>"


class RiskWeight(Model):
    """A weight: ``component`` (violations, hazard, …), ``item`` (per_recent_finding, fuel, ceiling, …) and
    its ``points`` (whole points; a threshold for the few items whose name says so)."""

    __tablename__ = "risk_weight"
    __table_args__ = (UniqueConstraint("version_id", "component", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("risk_weight_version.id", ondelete="CASCADE"), index=True
    )
    component: Mapped[str] = mapped_column(String(30))
    item: Mapped[str] = mapped_column(String(40))
    points: Mapped[int] = mapped_column(Integer)

    version: Mapped[RiskWeightVersion] = relationship(back_populates="weights")


class Tip(Model):
    """A tip or complaint: about an establishment, or a listing / seller online; in a commune."""

    __tablename__ = "tip"
    __table_args__ = (Index("ix_tip_establishment_received", "establishment_id", "received_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))  # enums.TipSource
    received_on: Mapped[dt.date] = mapped_column(Date, index=True)
    content: Mapped[str] = mapped_column(Text)
    establishment_id: Mapped[int | None] = mapped_column(ForeignKey("establishment.id"))  # indexed above
    listing_url: Mapped[str | None] = mapped_column(Text)
    seller_name: Mapped[str | None] = mapped_column(String(300))
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("commune.code"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=TipStatus.OPEN.value)  # enums.TipStatus
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    establishment: Mapped[Establishment | None] = relationship()
    commune: Mapped[Commune | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Tip {self.id} {self.status}>"


class AgencyCheck(Model):
    """An inspection or check of an establishment by another agency (QLTT, health, agriculture…), imported
    from a CSV (``flask import-agency-checks``): it counts for the once-a-year rule and the risk score's
    time since the last check."""

    __tablename__ = "agency_check"
    __table_args__ = (Index("ix_agency_check_establishment_on", "establishment_id", "checked_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))  # indexed above
    agency: Mapped[str] = mapped_column(String(255))
    checked_on: Mapped[dt.date] = mapped_column(Date)
    content: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    establishment: Mapped[Establishment] = relationship()

    def __repr__(self) -> str:
        return f"<AgencyCheck {self.agency} {self.checked_on}>"
