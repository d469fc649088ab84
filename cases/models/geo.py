"""Administrative units: today's communes (since 1 July 2025) and the former districts and wards."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases.db import Model

REFORM_DATE = dt.date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = dt.date(2025, 6, 30)


class Commune(Model):
    """A commune-level unit of today's An Giang (xã, phường or đặc khu)."""

    __tablename__ = "commune"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))  # "Phường Long Xuyên"
    short_name: Mapped[str] = mapped_column(String(120))  # "Long Xuyên"
    unit_type: Mapped[str] = mapped_column(String(20))  # enums.CommuneType
    search_key: Mapped[str] = mapped_column(String(120), index=True)  # lower case, no diacritics
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    area_km2: Mapped[float | None] = mapped_column(Float)
    valid_from: Mapped[dt.date] = mapped_column(Date, default=REFORM_DATE)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)

    former_wards: Mapped[list[FormerWardCommune]] = relationship(back_populates="commune")

    def __repr__(self) -> str:
        return f"<Commune {self.code} {self.name}>"


class FormerDistrict(Model):
    """A district-level unit (huyện, thị xã, thành phố) that existed until 30 June 2025."""

    __tablename__ = "former_district"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))  # "Thành phố Long Xuyên"
    short_name: Mapped[str] = mapped_column(String(120))
    unit_type: Mapped[str] = mapped_column(String(20))  # enums.FormerDistrictType
    province_code: Mapped[str] = mapped_column(String(10))  # former province: 89 An Giang, 91 Kiên Giang
    province_name: Mapped[str] = mapped_column(String(120))
    search_key: Mapped[str] = mapped_column(String(120), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, default=LAST_DAY_BEFORE_REFORM)

    wards: Mapped[list[FormerWard]] = relationship(back_populates="district", order_by="FormerWard.code")


class FormerWard(Model):
    """A commune-level unit (xã, phường, thị trấn) that existed until 30 June 2025."""

    __tablename__ = "former_ward"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    short_name: Mapped[str] = mapped_column(String(120))
    unit_type: Mapped[str] = mapped_column(String(20))  # enums.FormerWardType
    district_code: Mapped[str] = mapped_column(ForeignKey("former_district.code"), index=True)
    search_key: Mapped[str] = mapped_column(String(120), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, default=LAST_DAY_BEFORE_REFORM)

    district: Mapped[FormerDistrict] = relationship(back_populates="wards")
    communes: Mapped[list[FormerWardCommune]] = relationship(back_populates="former_ward")


class FormerWardCommune(Model):
    """Which of today's communes a former ward became part of.

    Most former wards went wholly into one commune (one row, ``is_default``). A few were split
    between several communes: every candidate is kept, and one of them is the default.
    """

    __tablename__ = "former_ward_commune"

    former_ward_code: Mapped[str] = mapped_column(ForeignKey("former_ward.code"), primary_key=True)
    commune_code: Mapped[str] = mapped_column(ForeignKey("commune.code"), primary_key=True, index=True)
    is_default: Mapped[bool] = mapped_column(Boolean, default=True)
    is_split: Mapped[bool] = mapped_column(Boolean, default=False)

    former_ward: Mapped[FormerWard] = relationship(back_populates="communes")
    commune: Mapped[Commune] = relationship(back_populates="former_wards")
