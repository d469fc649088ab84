"""Constants shared by models, forms and templates (cheap to import)."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    INSPECTOR = "inspector"
    LIAISON = "liaison"
    MANAGER = "manager"
    ADMIN = "admin"


class CommuneType(enum.StrEnum):
    """Commune-level unit types since 1 July 2025."""

    WARD = "phuong"  # phường
    COMMUNE = "xa"  # xã
    SPECIAL_ZONE = "dac_khu"  # đặc khu


class FormerDistrictType(enum.StrEnum):
    CITY = "thanh_pho"  # thành phố thuộc tỉnh
    TOWN = "thi_xa"  # thị xã
    DISTRICT = "huyen"  # huyện


class FormerWardType(enum.StrEnum):
    WARD = "phuong"
    TOWNSHIP = "thi_tran"
    COMMUNE = "xa"


class TargetMeasure(enum.StrEnum):
    PER_YEAR = "per_year"
    CUMULATIVE = "cumulative"
    NONE = "none"


class ActualSource(enum.StrEnum):
    CASES = "cases"
    ACTIVITIES = "activities"


class Confidence(enum.StrEnum):
    LEGAL_TEXT = "legal-text"
    SECONDARY = "secondary"
    UNCERTAIN = "uncertain"


class InspectionField(enum.StrEnum):
    """Fields of inspection (lĩnh vực kiểm tra), as used by the violation catalog."""

    INSTRUMENTS = "instruments"
    PREPACKAGED = "prepackaged"
    QUALITY = "quality"
    LABEL = "label"
    BARCODE = "barcode"
    FUEL = "fuel"
    GOLD = "gold"
    STANDARDS = "standards"
    ECOMMERCE = "ecommerce"
