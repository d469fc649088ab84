"""Vietnamese presentation of values: dates DD/MM/YYYY, money ``1.500.000 ₫``, numbers ``1.234,5``.

Plain functions, used by templates, the PDF report and the Excel export alike.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_local(value).date()
    return value.strftime("%d/%m/%Y")


def to_local(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:  # SQLite returns naive datetimes, stored in UTC
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(LOCAL_TZ)


def format_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return to_local(value).strftime("%d/%m/%Y %H:%M")


def format_number(value: int | float | Decimal | None, digits: int = 0) -> str:
    if value is None:
        return ""
    if type(value) is int and not digits:  # the common case, without Babel's pattern machinery
        return f"{value:,}".replace(",", ".")
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale="vi")


def format_vnd(value: int | Decimal | None) -> str:
    """``1500000`` → ``"1.500.000 ₫"`` (with a non-breaking space, so it never wraps)."""
    if value is None:
        return ""
    return f"{format_number(value)}\u00a0₫"


def parse_date(text: str | None) -> dt.date | None:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY`` → a date; ``None`` for empty text or an impossible date."""
    text = (text or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def decree_place_date(place: str, value: dt.date) -> str:
    """ "An Giang, ngày 05 tháng 01 năm 2026" as Decree 30/2020 writes it: a day below 10 and the months
    January and February with a leading zero, other months without."""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{place}, ngày {value.day:02d} tháng {month} năm {value.year}"
