"""The import reads values the way offices type them and Excel stores them (issue 21 item 2): tax codes
that lost their leading zero, dates day first or as Excel serials, amounts with spaces and a currency, and
the words of the choices in Vietnamese (with or without diacritics) as well as their codes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from cases.db import db
from cases.models import Case, User
from cases.recording.taxcode import tax_code_problem
from cases.transfer.importer import (
    COLUMNS,
    import_cases,
    parse_typed_amount,
    parse_typed_date,
    typed_tax_code,
)
from inspect_app.labels.transfer import value_words
from tests.transfer_helpers import csv_bytes, xlsx_bytes

TODAY = dt.date(2026, 12, 3)


@pytest.fixture
def admin(app_ctx, make_user) -> User:
    user = make_user("quantri", "admin")
    return db.session.get(User, user.id)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.500.000 đ", 1_500_000),
        ("1.500.000đ", 1_500_000),
        ("1 500 000 ₫", 1_500_000),
        ("1\u00a0500\u00a0000₫", 1_500_000),
        ("1.500.000 VNĐ", 1_500_000),
        ("1,500,000 VND", 1_500_000),
        ("2500000 đồng", 2_500_000),
        ("2500000", 2_500_000),
    ],
)
def test_amounts_as_typed(text, amount):
    assert parse_typed_amount(text) == amount


@pytest.mark.parametrize("text", ["1,5 đ", "đ", "abc VNĐ", "1 50 000", "1.500.000 USD", "1 500.000"])
def test_amounts_that_stay_refused(text):
    assert parse_typed_amount(text) is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-03-05", dt.date(2026, 3, 5)),
        ("05/03/2026", dt.date(2026, 3, 5)),
        ("5/3/2026", dt.date(2026, 3, 5)),
        ("5/3/26", dt.date(2026, 3, 5)),
        ("5-3-2026", dt.date(2026, 3, 5)),
        ("5.3.2026", dt.date(2026, 3, 5)),
        ("31/12/99", dt.date(1999, 12, 31)),  # a two-digit year after this one is the last century's
        ("46086", dt.date(2026, 3, 5)),  # Excel's serial of 5 March 2026
    ],
)
def test_dates_as_typed(text, day):
    assert parse_typed_date(text, TODAY) == day


@pytest.mark.parametrize("text", ["31/2/2026", "13/13/2026", "5/3", "123", "2026/03/05/1", "tomorrow"])
def test_dates_that_stay_refused(text):
    assert parse_typed_date(text, TODAY) is None


def test_a_tax_code_stored_as_a_number_gets_its_leading_zero_back():
    assert tax_code_problem("0100109106") is None  # the check digit confirms it
    assert typed_tax_code("100109106") == "0100109106"
    assert typed_tax_code("100109106001") == "0100109106-001"  # with its branch, typed as a number
    assert typed_tax_code("1665423511") == "1665423511"  # a valid code is left alone
    # a zero in front that the check digit does not confirm is not added: the code stays refused
    assert typed_tax_code("100109107") == "100109107"
    assert tax_code_problem(typed_tax_code("100109107")) is not None


def _office_row(ref: str, **changes: str) -> dict[str, str]:
    """A row as a team's own sheet says it: words for the choices, dates day first, the fine with a
    currency, the tax code as Excel left it."""
    return {
        "ref": ref,
        "case_type": "Kiểm tra",
        "field": "Kinh doanh xang dau",  # typed without diacritics
        "mode": "Đột xuất",
        "opened_on": "2/3/26",
        "closed_on": "20/03/2026",
        "status": "Đã kết thúc",
        "establishment": "Cửa hàng xăng dầu Số 9",
        "tax_code": "100109106",
        "commune_code": "30341",
        "violations": "",
        "fine_vnd": "",
        **changes,
    }


def _code_row(ref: str) -> dict[str, str]:
    """The same case in the project's own format."""
    return {
        "ref": ref,
        "case_type": "inspection",
        "field": "fuel",
        "mode": "unscheduled",
        "opened_on": "2026-03-02",
        "closed_on": "2026-03-20",
        "status": "closed",
        "establishment": "Cửa hàng xăng dầu Số 9",
        "tax_code": "0100109106",
        "commune_code": "30341",
        "violations": "",
        "fine_vnd": "",
    }


def _shape(case: Case) -> tuple:
    return (
        case.kind,
        list(case.fields),
        case.mode,
        case.opened_on,
        case.closed_on,
        case.status,
        case.establishment.name,
        case.establishment.tax_code,
        case.commune_code,
    )


def test_an_office_sheet_imports_the_same_case_as_the_project_format(admin):
    own = import_cases(csv_bytes([_code_row("OWN-1")]), filename="own.csv", actor=admin, words=value_words())
    assert own.errors == [] and own.imported == 1
    office = import_cases(
        csv_bytes([_office_row("OFFICE-1")]), filename="office.csv", actor=admin, words=value_words()
    )
    assert office.errors == [], office.errors
    assert office.imported == 1
    first = db.session.scalar(select(Case).where(Case.import_ref == "OWN-1"))
    second = db.session.scalar(select(Case).where(Case.import_ref == "OFFICE-1"))
    assert _shape(second) == _shape(first)
    assert second.establishment_id == first.establishment_id  # found again by its restored tax code


def test_an_excel_sheet_with_numbers_and_dates_as_excel_keeps_them(admin):
    """Typed in Excel: the tax code a number (its zero dropped), the dates Excel dates, the commune code a
    number; the words in English this time."""
    row = _office_row(
        "XL-1", case_type="Inspection", mode="Unscheduled", status="Closed", field="Fuel retail"
    )
    table = [list(COLUMNS)] + [[row.get(c, "") for c in COLUMNS]]
    cells = table[1]
    cells[list(COLUMNS).index("tax_code")] = 100109106
    cells[list(COLUMNS).index("commune_code")] = 30341
    cells[list(COLUMNS).index("opened_on")] = dt.datetime(2026, 3, 2)
    cells[list(COLUMNS).index("closed_on")] = dt.date(2026, 3, 20)
    report = import_cases(xlsx_bytes(table), filename="office.xlsx", actor=admin, words=value_words())
    assert report.errors == [], report.errors
    case = db.session.scalar(select(Case).where(Case.import_ref == "XL-1"))
    assert (case.mode, case.status, case.opened_on) == ("unscheduled", "closed", dt.date(2026, 3, 2))
    assert case.establishment.tax_code == "0100109106"


def test_words_that_are_no_choice_are_reported_with_the_codes(admin):
    report = import_cases(
        csv_bytes([_office_row("BAD-1", mode="Thỉnh thoảng", opened_on="31/2/26", fine_vnd="nhiều tiền đ")]),
        filename="bad.csv",
        actor=admin,
        words=value_words(),
    )
    assert report.imported == 0
    assert {(e.column, e.code) for e in report.errors} >= {
        ("mode", "invalid_choice"),
        ("opened_on", "invalid_date"),
        ("fine_vnd", "invalid_amount"),
    }


def test_without_the_words_the_codes_alone_are_accepted(admin):
    """The domain alone knows only the codes; the words come from the web layer (both the page and the CLI
    give them)."""
    report = import_cases(csv_bytes([_office_row("NOWORDS-1")]), filename="w.csv", actor=admin)
    assert ("mode", "invalid_choice") in {(e.column, e.code) for e in report.errors}
