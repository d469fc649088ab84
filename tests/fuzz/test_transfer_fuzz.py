"""Property tests of the importer and the exporter: whatever the file, the importer answers with its report
of errors (no exception) and writes nothing unless it imports everything; whatever the text, an export never
holds a cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import func, select

from cases.db import db
from cases.models import Case, Establishment, User
from cases.transfer import exporter, importer
from cases.transfer.importer import COLUMNS, FORMULA_STARTS, ImportReport, RowError

SAMPLE_ROW = next(
    csv.reader(
        [
            "AG-FUZZ-1,inspection,gold,planned,2025-09-16,2025-10-20,closed,"
            "Công ty TNHH An Thịnh 1,1665423511,"
            '"Số 23 Quốc lộ 91, Xã Ba Chúc, Tỉnh An Giang",,,,,,,Dây chuyền vàng 24K,5,0,,,'
        ]
    )
)
formula = st.sampled_from(FORMULA_STARTS).flatmap(
    lambda start: st.text(max_size=20).map(lambda rest: start + rest)
)
cell = st.one_of(
    st.text(max_size=30),
    formula,
    st.sampled_from(["", "2025-09-16", "16/09/2025", "1.500.000", "30742", "inspection", "gold", "'=1+1"]),
    st.integers(1, 70_000).map(lambda n: "Ư" * n),  # a huge cell
)


@pytest.fixture
def manager(app_ctx, make_user):
    return db.session.get(User, make_user("lanhdao.fuzz", "manager").id)


def _import(data: bytes, manager: User, filename: str = "ho-so.csv") -> ImportReport:
    try:
        report = importer.import_cases(data, filename=filename, actor=manager, valid_only=False)
        assert isinstance(report, ImportReport)
        assert all(isinstance(e, RowError) and isinstance(e.code, str) for e in report.errors)
        cases = db.session.scalar(select(func.count(Case.id)))
        if report.imported:
            assert not report.errors and cases == report.created
        else:
            # nothing half-written: not one case, establishment or audit entry waits in the session
            assert report.errors and cases == 0
            assert db.session.scalar(select(func.count(Establishment.id))) == 0
        return report
    finally:
        db.session.rollback()


def _csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@given(st.binary(max_size=3000), st.sampled_from(["ho-so.csv", "ho-so.xlsx", "ho-so.txt", ""]))
def test_random_bytes_get_a_report(manager, data, filename):
    _import(data, manager, filename)


@given(st.binary(max_size=2000))
def test_a_damaged_workbook_gets_a_report(manager, tail):
    _import(b"PK\x03\x04" + tail, manager, "ho-so.xlsx")


@given(st.lists(st.lists(cell, max_size=len(COLUMNS) + 3), max_size=6), st.sampled_from([",", ";"]))
@example([["\x00"]], ",")  # a NUL in the ref once reached a PostgreSQL query (DataError, a 500)
def test_random_csv_under_the_real_header_gets_a_report(manager, rows, delimiter):
    _import(_csv([list(COLUMNS), *rows], delimiter), manager)


@given(st.dictionaries(st.sampled_from(COLUMNS), cell, max_size=6))
def test_a_mostly_valid_row_with_random_cells_imports_whole_or_not_at_all(manager, changes):
    row = dict(zip(COLUMNS, SAMPLE_ROW, strict=True))
    row.update(changes)
    _import(_csv([list(COLUMNS), [row[c] for c in COLUMNS]]), manager)


@given(formula, formula)
def test_formula_cells_are_stored_as_text_and_exported_harmless(manager, product, establishment):
    row = dict(zip(COLUMNS, SAMPLE_ROW, strict=True))
    row.update(product=product.replace("\x00", ""), establishment=establishment.replace("\x00", ""))
    try:
        report = importer.import_cases(_csv([list(COLUMNS), [row[c] for c in COLUMNS]]), actor=manager)
        if not report.imported:
            return  # refused with a report (e.g. a name made only of spaces): nothing to export
        exported = "".join(exporter.csv_chunks(exporter.export_rows(_no_filters(), manager)))
        for record in list(csv.reader(io.StringIO(exported.lstrip("\ufeff"), newline="")))[1:]:
            assert not any(value.startswith(FORMULA_STARTS) for value in record), record
    finally:
        db.session.rollback()


def _no_filters():
    from forms.case_filters import parse_case_filters

    return parse_case_filters({})


# --- the exporter on its own ---------------------------------------------------------------------------

rows = st.lists(
    st.fixed_dictionaries({c: st.one_of(st.none(), cell) for c in COLUMNS}), min_size=1, max_size=3
)


@given(rows)
def test_no_csv_cell_starts_like_a_formula_and_the_importer_reads_them_back(rows):
    text = "".join(exporter.csv_chunks(rows))
    records = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert records[0] == list(COLUMNS)
    for record, row in zip(records[1:], rows, strict=True):
        assert not any(value.startswith(FORMULA_STARTS) for value in record)
        # the importer takes the apostrophe off again: the text survives the round trip
        read_back = importer.read_table(text.encode("utf-8"), "ho-so.csv")
        assert read_back  # readable
        for column, value in zip(COLUMNS, record, strict=True):
            original = row[column] or ""
            assert importer._unescape(value) == original


@given(rows)
def test_no_xlsx_cell_is_a_formula_or_starts_like_one(rows):
    out = io.BytesIO()
    exporter.write_xlsx(rows, out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    for line in sheet.iter_rows(min_row=2):
        for xl_cell in line:
            assert xl_cell.data_type != "f"
            if isinstance(xl_cell.value, str):
                assert not xl_cell.value.startswith(FORMULA_STARTS), xl_cell.value
