from __future__ import annotations

import datetime as dt

from cases.rendering.formatting import format_date, format_datetime, format_number, format_vnd
from cases.text import fold


def test_money_in_vietnamese_format():
    assert format_vnd(1_500_000) == "1.500.000\u00a0₫"
    assert format_vnd(0) == "0\u00a0₫"
    assert format_vnd(None) == ""


def test_numbers_and_dates():
    assert format_number(1234567) == "1.234.567"
    assert format_number(12.5, digits=1) == "12,5"
    assert format_date(dt.date(2025, 7, 1)) == "01/07/2025"
    # 20:30 UTC is 03:30 the next day in Việt Nam
    assert format_datetime(dt.datetime(2025, 6, 30, 20, 30, tzinfo=dt.UTC)) == "01/07/2025 03:30"
    assert format_date(dt.datetime(2025, 6, 30, 20, 30)) == "01/07/2025"  # naive values are UTC


def test_fold_removes_diacritics():
    assert fold("Rạch Giá") == "rach gia"
    assert fold("  Đặc khu  PHÚ QUỐC ") == "dac khu phu quoc"
    assert fold(None) == ""
