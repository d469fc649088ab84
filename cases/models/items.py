"""What an inspection or a survey checked: measuring instruments, prepackaged lots, goods and samples."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases.db import Model
from cases.enums import ItemResult
from cases.models.case import Case
from cases.models.establishment import Establishment


class InstrumentCheck(Model):
    """A measuring instrument checked during an inspection."""

    __tablename__ = "instrument_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"), index=True)
    instrument_type: Mapped[str] = mapped_column(String(30))  # enums.InstrumentType
    description: Mapped[str | None] = mapped_column(String(300))  # name, model, maker
    serial_number: Mapped[str | None] = mapped_column(String(100))
    certificate_number: Mapped[str | None] = mapped_column(String(100))  # verification stamp/certificate
    certificate_expiry: Mapped[dt.date | None] = mapped_column(Date)
    seal_condition: Mapped[str | None] = mapped_column(String(20))  # enums.SealCondition
    measured_error: Mapped[float | None] = mapped_column(Float)
    error_limit: Mapped[float | None] = mapped_column(Float)
    error_unit: Mapped[str | None] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(String(20), default=ItemResult.PASS.value)  # enums.ItemResult
    notes: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="instruments")


class PrepackagedLot(Model):
    """A lot of prepackaged goods whose quantity was checked (TT 21/2014)."""

    __tablename__ = "prepackaged_lot"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"), index=True)
    product: Mapped[str] = mapped_column(String(300))
    nominal_quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(10))  # g, kg, mL, L
    sample_size: Mapped[int] = mapped_column(Integer)
    mean_measured: Mapped[float] = mapped_column(Float)
    count_short_over_t: Mapped[int | None] = mapped_column(Integer)  # units short by more than T
    count_short_over_2t: Mapped[int | None] = mapped_column(Integer)  # units short by more than 2T
    result: Mapped[str] = mapped_column(String(20))  # enums.ItemResult, computed by the rule
    notes: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="prepackaged_lots")


class GoodsItem(Model):
    """Goods checked for quality, label, CR mark or barcode."""

    __tablename__ = "goods_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    product_group: Mapped[str | None] = mapped_column(String(100))
    origin: Mapped[str | None] = mapped_column(String(200))
    quantity: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(30))
    value_vnd: Mapped[int | None] = mapped_column(BigInteger)
    label_observation: Mapped[str | None] = mapped_column(Text)
    cr_mark_observation: Mapped[str | None] = mapped_column(Text)
    barcode: Mapped[str | None] = mapped_column(String(20))
    barcode_observation: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str] = mapped_column(String(20), default=ItemResult.PASS.value)  # enums.ItemResult

    case: Mapped[Case] = relationship(back_populates="goods")


class Sample(Model):
    """A sample taken (inspection or survey), with its lab test against a named standard."""

    __tablename__ = "sample"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"), index=True)
    establishment_id: Mapped[int | None] = mapped_column(ForeignKey("establishment.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    code: Mapped[str | None] = mapped_column(String(50))
    standard: Mapped[str | None] = mapped_column(String(100))  # TCVN / QCVN
    lab: Mapped[str | None] = mapped_column(String(200))
    sent_on: Mapped[dt.date | None] = mapped_column(Date)
    tested_on: Mapped[dt.date | None] = mapped_column(Date)
    nominal_value: Mapped[float | None] = mapped_column(Float)
    measured_value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(30))
    result: Mapped[str] = mapped_column(String(20), default=ItemResult.PENDING.value)  # enums.ItemResult
    notes: Mapped[str | None] = mapped_column(Text)
    # what the sampling record states (TT 01/2024): how much was taken, under which seal, and how much of
    # the goods the establishment held when it was taken
    quantity: Mapped[float | None] = mapped_column(Float)
    quantity_unit: Mapped[str | None] = mapped_column(String(30))
    seal_number: Mapped[str | None] = mapped_column(String(60))
    stock_quantity: Mapped[str | None] = mapped_column(String(100))

    case: Mapped[Case] = relationship(back_populates="samples")
    establishment: Mapped[Establishment | None] = relationship()
