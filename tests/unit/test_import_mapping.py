"""Sheets in their own shape (issue 21): title rows above the header, Vietnamese headers in another order,
extra columns, constants for a field the sheet lacks — read as the project's own format would be."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from cases.db import db
from cases.models import Case, User
from cases.transfer.importer import COLUMNS, import_cases
from cases.transfer.mapping import ColumnMapping, propose, recognise
from inspect_app.labels.transfer import value_words
from tests.transfer_helpers import csv_bytes, xlsx_bytes


@pytest.fixture
def admin(app_ctx, make_user) -> User:
    user = make_user("quantri", "admin")
    return db.session.get(User, user.id)


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Tên cơ sở", "establishment"),
        ("TEN CO SO", "establishment"),
        ("Mã số thuế", "tax_code"),
        ("MST", "tax_code"),
        ("Mã số DN", "tax_code"),
        ("Mã số thuế (MST)", "tax_code"),
        ("Địa chỉ", "address"),
        ("Ngày kiểm tra", "opened_on"),
        ("Ngày kiểm tra (dd/mm/yyyy)", "opened_on"),
        ("Lĩnh vực", "field"),
        ("Số tiền phạt", "fine_vnd"),
        ("Số tiền phạt (đồng)", "fine_vnd"),
        ("Hình thức kiểm tra", "mode"),
        ("opened_on", "opened_on"),  # the project's own codes too
        ("Ghi chú", "notes"),
    ],
)
def test_headers_are_recognised(header, column):
    assert recognise(header) == column


@pytest.mark.parametrize("header", ["STT", "Người ký", "", "Cột 7", "Hành vi vi phạm"])
def test_other_headers_are_not_guessed(header):
    assert recognise(header) is None


#: A team's register, as an office keeps it: two title rows, its own headers in its own order, an STT
#: column and a signature column the import does not need, the tax code and dates as Excel holds them.
OFFICE_SHEET = [
    ["SỞ KHOA HỌC VÀ CÔNG NGHỆ AN GIANG", None, None, None, None, None, None, None, None],
    ["SỔ THEO DÕI KIỂM TRA NĂM 2024", None, None, None, None, None, None, None, None],
    [None] * 9,
    ["STT", "Mã hồ sơ", "Tên cơ sở", "Mã số thuế", "Ngày kiểm tra", "Lĩnh vực", "Hình thức", "Mã xã",
     "Người ký"],
    [1, "TT-2024-01", "Cửa hàng xăng dầu Số 9", 100109106, dt.datetime(2024, 5, 7), "Kinh doanh xăng dầu",
     "Theo kế hoạch", 30341, "Nguyễn Văn A"],
    [2, "TT-2024-02", "Tiệm vàng Kim Hoa", None, "8/5/24", "Kinh doanh vàng trang sức, mỹ nghệ",
     "Đột xuất", "30341", "Trần B"],
]  # fmt: skip


def test_the_header_row_is_found_below_the_title_rows():
    table = [(n, ["" if c is None else str(c) for c in row]) for n, row in enumerate(OFFICE_SHEET, start=1)]
    table = [(n, cells) for n, cells in table if any(cells)]
    proposal = propose(table)
    assert proposal.mapping.header_row == 4
    assert proposal.mapping.columns == {
        1: "ref", 2: "establishment", 3: "tax_code", 4: "opened_on", 5: "field", 6: "mode", 7: "commune_code",
    }  # fmt: skip
    assert proposal.ignored == ["STT", "Người ký"]
    assert proposal.samples[2] == ["Cửa hàng xăng dầu Số 9", "Tiệm vàng Kim Hoa"]


def _own_format() -> bytes:
    rows = [
        {"ref": "TT-2024-01", "case_type": "inspection", "field": "fuel", "mode": "planned",
         "opened_on": "2024-05-07", "status": "draft", "establishment": "Cửa hàng xăng dầu Số 9",
         "tax_code": "0100109106", "commune_code": "30341"},
        {"ref": "TT-2024-02", "case_type": "inspection", "field": "gold", "mode": "unscheduled",
         "opened_on": "2024-05-08", "status": "draft", "establishment": "Tiệm vàng Kim Hoa",
         "commune_code": "30341"},
    ]  # fmt: skip
    return csv_bytes(rows, COLUMNS)


def _cases() -> list[tuple]:
    found = db.session.scalars(select(Case).order_by(Case.import_ref))
    return [
        (c.import_ref, c.kind, c.fields, c.mode, c.opened_on, c.status, c.establishment.name,
         c.establishment.tax_code, c.commune_code)
        for c in found
    ]  # fmt: skip


def test_an_office_sheet_gives_the_same_cases_as_the_project_format(admin):
    report = import_cases(
        xlsx_bytes(OFFICE_SHEET),
        filename="so-theo-doi-2024.xlsx",
        actor=admin,
        words=value_words(),
        recognise=True,
        constants={"case_type": "inspection", "status": "draft"},
    )
    assert report.errors == [], report.errors
    assert report.created == 2
    office = _cases()
    db.session.rollback()
    own = import_cases(_own_format(), filename="own.csv", actor=admin, words=value_words())
    assert own.errors == [] and own.created == 2
    assert _cases() == office


def test_a_sheet_lacking_a_required_field_names_it_at_its_header_row(admin):
    report = import_cases(
        xlsx_bytes(OFFICE_SHEET), filename="s.xlsx", actor=admin, words=value_words(), recognise=True
    )
    assert report.created == 0
    assert {(e.row, e.column, e.code) for e in report.errors} == {
        (4, "case_type", "missing_column"),
        (4, "status", "missing_column"),
    }


def test_bad_rows_of_an_office_sheet_are_named_by_their_sheet_row(admin):
    sheet = [
        *OFFICE_SHEET,
        [3, "TT-2024-03", "Cơ sở C", "123", "31/2/24", "Lĩnh vực lạ", "Đột xuất", 30341, ""],
    ]
    report = import_cases(
        xlsx_bytes(sheet),
        filename="s.xlsx",
        actor=admin,
        words=value_words(),
        recognise=True,
        constants={"case_type": "inspection", "status": "draft"},
    )
    assert report.created == 0  # nothing half-imported
    assert {(e.row, e.column) for e in report.errors} == {(7, "tax_code"), (7, "opened_on"), (7, "field")}


def test_a_given_mapping_reads_the_columns_it_names_and_ignores_the_others(admin):
    mapping = ColumnMapping(
        header_row=4,
        columns={1: "ref", 2: "establishment", 4: "opened_on", 5: "field", 7: "commune_code"},
        constants={"case_type": "inspection", "status": "draft", "mode": "planned"},
    )
    report = import_cases(
        xlsx_bytes(OFFICE_SHEET), filename="s.xlsx", actor=admin, words=value_words(), mapping=mapping
    )
    assert report.errors == [], report.errors
    # the sheet's mode and tax code columns are not read: the constant gives every row its mode
    cases = db.session.scalars(select(Case)).all()
    assert {c.mode for c in cases} == {"planned"} and len(cases) == 2
    assert {c.establishment.tax_code for c in cases} == {None}


def test_a_constant_fills_only_the_rows_that_leave_the_column_empty(admin):
    sheet = [list(row) for row in OFFICE_SHEET]
    sheet[5][6] = None  # the second row says no mode
    report = import_cases(
        xlsx_bytes(sheet),
        filename="s.xlsx",
        actor=admin,
        words=value_words(),
        recognise=True,
        constants={"case_type": "inspection", "status": "draft", "mode": "unscheduled"},
    )
    assert report.errors == [], report.errors
    modes = dict(db.session.execute(select(Case.import_ref, Case.mode)).all())
    assert modes == {"TT-2024-01": "planned", "TT-2024-02": "unscheduled"}


def test_a_mapping_that_names_a_column_twice_is_refused(admin):
    mapping = ColumnMapping(header_row=4, columns={1: "ref", 2: "ref"}, constants={"case_type": "inspection"})
    report = import_cases(xlsx_bytes(OFFICE_SHEET), filename="s.xlsx", actor=admin, mapping=mapping)
    assert (4, "ref", "duplicate_column") in {(e.row, e.column, e.code) for e in report.errors}
    assert report.created == 0


def _table(sheet) -> list[tuple[int, list[str]]]:
    rows = [(n, ["" if c is None else str(c) for c in row]) for n, row in enumerate(sheet, start=1)]
    return [(n, cells) for n, cells in rows if any(cells)]


def test_every_fault_of_a_mapping_at_once():
    from cases.transfer.importer import REQUIRED_COLUMNS
    from cases.transfer.mapping import MappingProblem, mapping_problems

    mapping = ColumnMapping(
        4, {1: "ref", 2: "establishment", 3: "establishment", 5: "colour"}, {"status": " "}
    )
    assert set(mapping_problems(mapping, REQUIRED_COLUMNS)) == {
        MappingProblem(2, "duplicate_column", "establishment"),
        MappingProblem(3, "duplicate_column", "establishment"),
        MappingProblem(5, "unknown_column", "colour"),
        MappingProblem("case_type", "missing_column", "case_type"),
        MappingProblem("opened_on", "missing_column", "opened_on"),
        MappingProblem("status", "missing_column", "status"),  # a blank constant is no value
    }


def test_a_mapping_by_headers_finds_them_in_another_order_and_names_those_not_found():
    from cases.transfer.mapping import HeaderMapping

    shape = HeaderMapping(
        (
            ("Mã hồ sơ", "ref"),
            ("Tên cơ sở", "establishment"),
            ("Mã số thuế", "tax_code"),
            ("Địa bàn", "commune_code"),
        ),
        {"case_type": "inspection"},
    )
    sheet = [
        ["SỔ THEO DÕI 2025", None, None, None],
        ["Địa bàn", "TÊN CƠ SỞ", "STT", "Mã hồ sơ"],
        [30341, "Cơ sở A", 1, "A-1"],
    ]
    mapping, headers, missing = shape.resolve(_table(sheet))
    assert mapping.header_row == 2
    assert mapping.columns == {0: "commune_code", 1: "establishment", 3: "ref"}
    assert mapping.constants == {"case_type": "inspection"}
    assert headers == ["Địa bàn", "TÊN CƠ SỞ", "STT", "Mã hồ sơ"]
    assert missing == ["Mã số thuế"]


def test_a_preview_checks_the_first_rows_and_writes_nothing(admin):
    sheet = [
        *OFFICE_SHEET,
        [3, "TT-2024-03", "Cơ sở C", "123", "31/2/24", "Lĩnh vực lạ", "Đột xuất", 30341, ""],
    ]
    mapping = ColumnMapping(
        header_row=4,
        columns={1: "ref", 2: "establishment", 3: "tax_code", 4: "opened_on", 5: "field", 7: "commune_code"},
        constants={"case_type": "inspection", "status": "draft", "mode": "planned"},
    )
    report = import_cases(
        xlsx_bytes(sheet), filename="s.xlsx", actor=admin, words=value_words(), mapping=mapping, preview=2
    )
    assert [n for n, _values in report.preview_rows] == [5, 6]
    assert report.preview_rows[0][1]["establishment"] == "Cửa hàng xăng dầu Số 9"
    assert report.preview_rows[0][1]["mode"] == "planned"
    assert report.errors == [] and report.total_rows == 3  # row 7 is beyond the preview
    assert not report.imported and db.session.scalars(select(Case)).all() == []


def test_the_mapping_page_offers_the_columns_up_to_the_last_one_used_and_at_most_a_hundred():
    from cases.transfer.mapping import MAX_COLUMNS, columns_at

    headers, samples = columns_at([(1, ["Mã hồ sơ", "Tên cơ sở", "", ""]), (2, ["A-1", "", "x", ""])], 1)
    assert headers == ["Mã hồ sơ", "Tên cơ sở", ""] and samples[2] == ["x"]
    wide = [(1, [f"Cột {i}" for i in range(16_384)])]
    headers, samples = columns_at(wide, 1)
    assert len(headers) == len(samples) == MAX_COLUMNS
