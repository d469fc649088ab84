"""A bounded import (issue 15, item 3).

The attack: a 148 KB workbook whose sheet holds 1,000,000 empty rows held a worker 31 s and 1.25 GB (gunicorn
killed it); a 48 KB file gave a 67 MB error page. Now: at most ``IMPORT_MAX_ROWS`` case rows (10,000),
refused at once beyond; a sheet is read row by row without believing its declared size and never past
twice the limit; a workbook's parts are measured by inflating them (a zip bomb, a huge table of shared
strings); the report keeps the first 200 errors and counts the others. The last test posts the hostile
files to the real import page in a fresh interpreter and reads its peak memory.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cases.db import db
from cases.models import Case, User
from cases.transfer import importer
from cases.transfer.importer import RowError, import_cases
from tests import hostile_files as hostile


@pytest.fixture
def admin(app_ctx, make_user) -> User:
    return db.session.get(User, make_user("quantri.gioihan", "admin").id)


def _cases() -> int:
    return db.session.scalar(select(func.count()).select_from(Case)) or 0


def _csv(rows: int, *, blank_between: int = 0) -> bytes:
    lines = ["ref,case_type,opened_on,status,commune_code,platform,listing_url,seller"]
    for n in range(rows):
        lines.append(f"G{n},ecommerce,2026-02-10,draft,30341,shopee,https://shopee.vn/p/{n},shop{n}")
        lines.extend([",,,,,,,"] * blank_between)
    return ("\n".join(lines) + "\n").encode()


def test_a_sheet_of_a_million_empty_rows_is_refused_at_once(admin):
    report = import_cases(hostile.a_million_empty_rows(), filename="trong.xlsx", actor=admin)
    assert list(report.errors) == [RowError(0, "", "too_many_rows", {"max": 10_000, "scanned": 20_001})]
    assert report.total_rows == 0 and not report.imported and _cases() == 0


def test_the_declared_size_of_a_sheet_is_not_believed(admin):
    table = importer.read_table(hostile.claims_a_million_rows(), "kich-thuoc.xlsx")
    assert table == [(1, hostile.HEADER)]
    report = import_cases(hostile.claims_a_million_rows(), filename="kich-thuoc.xlsx", actor=admin)
    assert [e.code for e in report.errors] == ["no_rows"]


def test_more_case_rows_than_the_limit_are_refused_and_blank_rows_do_not_count(admin):
    # five rows with blank rows between and after them: within a limit of five
    report = import_cases(_csv(5, blank_between=3), filename="nam.csv", actor=admin, max_rows=5)
    assert report.imported and report.created == 5, list(report.errors)
    db.session.rollback()
    report = import_cases(_csv(6), filename="sau.csv", actor=admin, max_rows=5)
    assert [(e.code, e.params) for e in report.errors] == [("too_many_rows", {"max": 5, "scanned": 1006})]
    assert not report.imported and report.total_rows == 0
    # as a workbook too
    report = import_cases(hostile.many_data_rows(6), filename="sau.xlsx", actor=admin, max_rows=5)
    assert [e.code for e in report.errors] == ["too_many_rows"]


def test_a_zip_bomb_of_shared_strings_is_refused(admin):
    bomb = hostile.huge_shared_strings()  # 50 MB of text in a 200 KB file
    assert len(bomb) < 300 * 1024
    report = import_cases(bomb, filename="bom.xlsx", actor=admin)
    assert list(report.errors) == [RowError(0, "", "xlsx_too_large")]


def test_more_shared_strings_than_a_file_of_the_limit_can_use_are_refused(admin):
    # 5 rows × 22 columns use at most 110 distinct strings
    fine = import_cases(hostile.huge_shared_strings(100, 1), filename="it.xlsx", actor=admin, max_rows=5)
    assert [e.code for e in fine.errors] == ["no_rows"]
    many = import_cases(hostile.huge_shared_strings(111, 1), filename="nhieu.xlsx", actor=admin, max_rows=5)
    assert [e.code for e in many.errors] == ["xlsx_too_large"]


def test_the_error_report_keeps_the_first_errors_and_counts_the_others(admin):
    report = import_cases(hostile.error_rows_csv(300), filename="loi.csv", actor=admin)
    assert len(report.errors) == importer.MAX_REPORTED_ERRORS == 200
    assert report.errors.total >= 4 * 300 and report.errors.not_shown == report.errors.total - 200
    assert report.error_rows == list(range(2, 302))  # every row with an error is known
    assert [e.row for e in report.errors] == sorted(e.row for e in report.errors)  # the first ones, in order
    assert report.errors[0].row == 2


def test_the_hostile_files_cost_a_bounded_time_and_memory_on_the_import_page(app, make_user, tmp_path):
    """Each posted to /cases/import in a fresh interpreter (benchmarks/hostile_inputs.py), on the test
    database: the worker's peak stays under 300 MB and the page under 100 KB. Before the fix the first
    took 1.25 GB and 31 s."""
    from benchmarks.hostile_inputs import measure_import
    from tests.conftest import TEST_PASSWORD

    manager = make_user("lanhdao.gioihan", "manager")
    files = {
        "trong.xlsx": hostile.a_million_empty_rows(),
        "bom.xlsx": hostile.huge_shared_strings(),
        "loi.csv": hostile.error_rows_csv(3_000),
    }
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    measured = measure_import(database, tmp_path, files, manager.username, TEST_PASSWORD)
    assert len(measured) == len(files)
    for name, figures in zip(files, measured, strict=True):
        assert figures["status"] == 200, (name, figures)
        assert figures["peak_mb"] < 300 and figures["page_kb"] < 100, (name, figures)
    assert [f["codes"] for f in measured][:2] == [["too_many_rows"], ["xlsx_too_large"]]
