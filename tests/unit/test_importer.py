"""Importing cases from CSV and Excel: every row checked, all errors at once, one transaction."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from sqlalchemy import func, insert, select

from cases.db import db
from cases.errors import ValidationFailed
from cases.models import AuditEvent, Case, Establishment, Finding, Sample, SurveyCampaign, User
from cases.recording.rules import CaseInvalid, Problem
from cases.transfer import importer
from cases.transfer import writer as import_writer
from cases.transfer.importer import COLUMNS, import_cases, parse_vnd
from tests.transfer_helpers import csv_bytes, sample_as_xlsx, sample_bytes, xlsx_bytes

GOOD = {
    "case_type": "inspection",
    "field": "quality",
    "mode": "planned",
    "opened_on": "2026-03-02",
    "status": "submitted",
    "establishment": "Công ty TNHH Thử Nghiệm",
    "tax_code": "1665423511",
    "commune_code": "30341",
    "product": "Mũ bảo hiểm",
}
ECOMMERCE = {
    "case_type": "ecommerce",
    "opened_on": "2026-02-10",
    "status": "draft",
    "commune_code": "30341",
    "platform": "shopee",
    "listing_url": "https://shopee.vn/p/123",
    "seller": "shop_abc",
}


@pytest.fixture
def admin(app_ctx, make_user) -> User:
    user = make_user("quantri", "admin")
    return db.session.get(User, user.id)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _case(ref: str) -> Case:
    return db.session.scalar(select(Case).where(Case.import_ref == ref))


def _row(ref: str, base: dict | None = None, **changes: str) -> dict[str, str]:
    return {**(base or GOOD), "ref": ref, **changes}


def _pairs(report: importer.ImportReport) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in report.errors}


# --- the sample ------------------------------------------------------------------------------------


def test_the_sample_imports_twelve_cases(admin):
    report = import_cases(sample_bytes(), filename="import-sample.csv", actor=admin)
    db.session.commit()

    assert report.errors == [] and report.imported
    assert report.total_rows == 12 and report.created == 12 and report.already_imported == []
    kinds = dict(db.session.execute(select(Case.kind, func.count()).group_by(Case.kind)).all())
    assert kinds == {"inspection": 9, "survey": 2, "ecommerce": 1}
    statuses = dict(db.session.execute(select(Case.status, func.count()).group_by(Case.status)).all())
    assert statuses == {"submitted": 3, "closed": 5, "draft": 1, "approved": 3}
    assert all(c.created_by_id == admin.id for c in db.session.scalars(select(Case)))

    # communes: from old-format Kiên Giang and An Giang addresses, from a 2025 address, from GPS, given
    assert _case("AG-42-00002").commune_code == "30856"  # Xã Tân Thành, Huyện Tân Hiệp, Kiên Giang
    assert _case("AG-42-00010").commune_code == "30886"  # Xã Mong Thọ, Huyện Châu Thành, Kiên Giang
    assert _case("AG-42-00006").commune_code == "30385"  # Xã Vĩnh Hòa, Thị xã Tân Châu (old An Giang)
    assert _case("AG-42-00001").commune_code == "30547"  # Xã Ba Chúc, Tỉnh An Giang (2025 format)
    assert _case("AG-42-00004").commune_code == "30292"  # lat/lon only
    assert _case("AG-42-00007").commune_code == "30341"  # commune_code
    # opened after the reform: no former ward even for an old-format address
    assert _case("AG-42-00002").former_ward_code is None

    # kind-specific values
    shop = _case("AG-42-00000")
    assert (shop.kind, shop.platform, shop.seller_name) == ("ecommerce", "zalo", "shop_1520")
    assert shop.listing_url == "https://zalo.example.vn/p/8078673" and shop.establishment_id is None
    gold = _case("AG-42-00001")
    assert (gold.fields, gold.mode, gold.status) == (["gold"], "planned", "closed")
    assert gold.opened_on == dt.date(2025, 9, 16) and gold.closed_on == dt.date(2025, 10, 20)
    assert gold.establishment.name == "Công ty TNHH An Thịnh 1"
    assert gold.establishment.tax_code == "1665423511"
    assert _case("AG-42-00002").opened_on == dt.date(2025, 12, 27)  # DD/MM/YYYY

    # surveys go into "Khảo sát <field> <year>"
    survey = _case("AG-42-00002")
    assert survey.campaign.name == "Khảo sát mã số mã vạch 2025"
    assert _case("AG-42-00003").campaign_id == survey.campaign_id
    assert _count(SurveyCampaign) == 1

    # samples: as many as tested, the first ones failed
    results = [s.result for s in survey.samples]
    assert results == ["fail"] * 5 + ["pass"] * 4
    assert {s.name for s in survey.samples} == {"Đường thốt nốt"}
    assert all(s.establishment_id == survey.establishment_id for s in survey.samples)
    assert _count(Sample) == 5 + 9 + 8 + 8 + 1

    # findings and fines
    closed = _case("AG-42-00007")
    [finding] = closed.findings
    assert finding.violation.code == "MV-03" and finding.status == "confirmed"
    assert finding.decided_fine_vnd == 3_500_000 and finding.offender_type == "organisation"
    approved = _case("AG-42-00010")  # "7.500.000", no tax code
    [finding] = approved.findings
    assert (finding.violation.code, finding.status) == ("CL-MBH-01", "confirmed")
    assert finding.decided_fine_vnd == 7_500_000 and finding.offender_type == "individual"
    assert _case("AG-42-00009").findings[0].decided_fine_vnd == 500_000
    assert _count(Finding) == 3
    assert _count(Establishment) == 11


def test_importing_the_same_file_again_creates_nothing(admin):
    import_cases(sample_bytes(), filename="s.csv", actor=admin)
    db.session.commit()
    before = (_count(Case), _count(Establishment), _count(Sample), _count(Finding), _count(SurveyCampaign))

    report = import_cases(sample_bytes(), filename="s.csv", actor=admin)
    db.session.commit()

    assert report.imported and report.errors == [] and report.created == 0
    assert sorted(report.already_imported) == [f"AG-42-{n:05d}" for n in range(12)]
    after = (_count(Case), _count(Establishment), _count(Sample), _count(Finding), _count(SurveyCampaign))
    assert after == before


def test_an_xlsx_copy_of_the_sample_imports_the_same(admin):
    report = import_cases(sample_as_xlsx(), filename="mau.xlsx", actor=admin)
    assert report.errors == [] and report.created == 12
    assert _case("AG-42-00010").commune_code == "30886"
    assert _case("AG-42-00007").findings[0].decided_fine_vnd == 3_500_000
    assert _case("AG-42-00002").opened_on == dt.date(2025, 12, 27)
    assert _case("AG-42-00004").latitude == pytest.approx(10.3966)


def test_a_case_before_the_reform_keeps_its_former_ward(admin):
    row = _row(
        "OLD-1",
        address="Ấp 3, Xã Tân Thành, Huyện Tân Hiệp, Tỉnh Kiên Giang",
        commune_code="",
        opened_on="15/03/2025",
        closed_on="20/03/2025",
        status="closed",
    )
    report = import_cases(csv_bytes([row]), filename="f.csv", actor=admin)
    assert report.errors == [], report.errors
    case = _case("OLD-1")
    assert case.commune_code == "30856"
    assert case.former_ward_code == "30856" and case.former_district_code is not None


# --- every kind of bad row -------------------------------------------------------------------------

BAD_ROWS: list[tuple[dict[str, str], set[str]]] = [
    (_row("G-1"), set()),
    (_row("B-01", opened_on="31/02/2026"), {"opened_on"}),
    (_row("B-02", opened_on="2026-13-01"), {"opened_on"}),
    (_row("B-03", opened_on="2026-03-02", closed_on="2026-03-01"), {"closed_on"}),
    (_row("B-04", opened_on="2099-01-01"), {"opened_on"}),
    (_row("B-05", case_type="audit"), {"case_type"}),
    (_row("B-06", field="weather"), {"field"}),
    (_row("B-07", mode="sometimes"), {"mode"}),
    (_row("B-08", status="returned"), {"status"}),
    (_row("B-09", ECOMMERCE, platform="myspace"), {"platform"}),
    (_row("B-10", mode=""), {"mode"}),
    (_row("B-11", establishment=""), {"establishment"}),
    (_row("B-12", ECOMMERCE, listing_url="", seller=""), {"listing_url", "seller"}),
    (_row("B-13", tax_code="1665423512"), {"tax_code"}),
    (_row("B-14", commune_code=""), {"commune_code"}),
    (_row("B-15", commune_code="", address="Số 1 Lê Lợi, Phường Bến Nghé, Quận 1, TP HCM"), {"address"}),
    (_row("B-16", commune_code="99999"), {"commune_code"}),
    (_row("B-17", lat="10.38"), {"lon"}),
    (_row("B-18", lat="21.0285", lon="105.8542"), {"lat"}),
    (_row("B-19", ECOMMERCE, listing_url="ftp://shopee.vn/p/1"), {"listing_url"}),
    (_row("B-20", samples_tested="2", samples_failed="3"), {"samples_failed"}),
    (_row("B-21", samples_tested="-1"), {"samples_tested"}),
    (_row("B-22", violations="MV-03;XX-99"), {"violations"}),
    (_row("B-23", status="approved", violations="MV-03", fine_vnd="1.5"), {"fine_vnd"}),
    (_row("B-24", status="approved", violations="MV-03", fine_vnd="abc"), {"fine_vnd"}),
    (_row("G-1", product="Trùng mã"), {"ref"}),
    (_row("B-26", case_type="survey", mode="planned"), {"mode"}),
    (_row("B-27", notes="x" * 100_000), {"notes"}),
    (_row("B-28", fine_vnd="500000"), {"fine_vnd"}),
    (_row("B-29", status="closed", violations="MV-03", fine_vnd="-500.000"), {"fine_vnd"}),
    (_row("", product="Không mã"), {"ref"}),
    (_row("B-31", opened_on=""), {"opened_on"}),
    (_row("B-32", opened_on="1999-12-31"), {"opened_on"}),
    (_row("B-33", case_type="survey", mode="", field="quality;fuel"), {"field"}),
    (_row("B-34", ECOMMERCE, field="quality", samples_tested="2"), {"field", "samples_tested"}),
    (_row("B-35", lat="10,38", lon="abc"), {"lon"}),
    (_row("B-36", establishment="Cơ sở \x00 lạ"), {"establishment"}),
    (_row("G-2", product="=1+1", notes="@lưu ý", tax_code="", establishment="'=Cơ sở công thức"), set()),
]


def _bad_file() -> bytes:
    return csv_bytes([row for row, _ in BAD_ROWS])


def _expected_pairs() -> set[tuple[int, str]]:
    return {(number, column) for number, (_, columns) in enumerate(BAD_ROWS, start=2) for column in columns}


def test_a_file_with_bad_rows_imports_nothing_and_names_every_row_and_column(admin):
    report = import_cases(_bad_file(), filename="bad.csv", actor=admin)

    assert not report.imported and report.created == 0 and _count(Case) == 0
    assert report.total_rows == len(BAD_ROWS)
    assert _pairs(report) == _expected_pairs()
    assert len(report.errors) == len(_expected_pairs())  # one error per bad cell, no echoes
    codes = {(e.row, e.column): e.code for e in report.errors}
    assert codes[(3, "opened_on")] == "invalid_date"  # 31/02/2026 does not exist
    assert codes[(5, "closed_on")] == "closed_before_opened"
    assert codes[(6, "opened_on")] == "date_in_future"
    assert codes[(7, "case_type")] == "invalid_choice"
    assert codes[(10, "status")] == "invalid_choice"
    assert codes[(12, "mode")] == "required"
    assert codes[(15, "tax_code")] == "tax_code_check_digit"
    assert codes[(16, "commune_code")] == "unlocatable"
    assert codes[(17, "address")] == "address_not_found"
    assert codes[(18, "commune_code")] == "unknown_commune"
    assert codes[(19, "lon")] == "coordinates_pair"
    assert codes[(20, "lat")] == "outside_province"
    assert codes[(21, "listing_url")] == "url_not_http"
    assert codes[(22, "samples_failed")] == "failed_more_than_tested"
    assert codes[(23, "samples_tested")] == "negative"
    assert codes[(24, "violations")] == "unknown_violation"
    assert [e.params for e in report.errors if e.row == 24] == [{"codes": "XX-99"}]
    assert codes[(25, "fine_vnd")] == "invalid_amount"
    assert codes[(27, "ref")] == "duplicate_ref"
    assert [e.params for e in report.errors if e.row == 27] == [{"first_row": 2}]
    assert codes[(28, "mode")] == "not_for_kind"
    assert codes[(29, "notes")] == "too_long"
    assert codes[(30, "fine_vnd")] == "fine_without_confirmed_violation"
    assert codes[(31, "fine_vnd")] == "negative"
    assert codes[(34, "opened_on")] == "date_too_old"
    assert codes[(38, "establishment")] == "control_characters"
    # sorted by row, then in the format's column order
    assert [(e.row, e.column) for e in report.errors] == sorted(
        _pairs(report), key=lambda p: (p[0], COLUMNS.index(p[1]))
    )


def test_valid_only_imports_the_good_rows_and_reports_the_others(admin):
    report = import_cases(_bad_file(), filename="bad.csv", actor=admin, valid_only=True)
    db.session.commit()

    assert report.imported and report.created == 2
    assert _pairs(report) == _expected_pairs()
    assert sorted(db.session.scalars(select(Case.import_ref))) == ["G-1", "G-2"]
    # formula-looking text is kept as text; the export's protective apostrophe is removed
    formula = _case("G-2")
    assert formula.product == "=1+1" and formula.notes == "@lưu ý"
    assert formula.establishment.name == "=Cơ sở công thức"


def test_the_good_rows_of_a_file_can_be_imported_after_correction(admin):
    import_cases(_bad_file(), filename="bad.csv", actor=admin, valid_only=True)
    db.session.commit()
    report = import_cases(_bad_file(), filename="bad.csv", actor=admin, valid_only=True)
    assert report.created == 0 and sorted(report.already_imported) == ["G-1", "G-2"]


# --- the file itself -------------------------------------------------------------------------------


def test_csv_with_a_bom_semicolons_and_headers_in_any_order_and_case(admin):
    columns = ["Status", "REF", "opened_on", "Case_Type", "field", "mode", "establishment", "commune_code"]
    rows = [{"Status": "draft", "REF": "S-1", "opened_on": "02/03/2026", "Case_Type": "inspection",
             "field": "fuel", "mode": "unscheduled", "establishment": "Cửa hàng xăng dầu Số 5",
             "commune_code": "30341"}]  # fmt: skip
    data = csv_bytes(rows, columns, delimiter=";", bom=True)
    assert data.startswith(b"\xef\xbb\xbf")

    report = import_cases(data, filename="ho-so.csv", actor=admin)

    assert report.errors == [] and report.created == 1
    case = _case("S-1")
    assert (case.kind, case.status, case.fields, case.opened_on) == (
        "inspection",
        "draft",
        ["fuel"],
        dt.date(2026, 3, 2),
    )


def test_an_unknown_column_is_an_error_on_the_header(admin):
    data = csv_bytes([_row("U-1", colour="đỏ")], [*COLUMNS, "colour"])
    report = import_cases(data, filename="f.csv", actor=admin)
    assert [(e.row, e.column, e.code) for e in report.errors] == [(1, "colour", "unknown_column")]
    assert not report.imported and _count(Case) == 0


def test_missing_required_columns_are_named(admin):
    data = csv_bytes([_row("M-1")], [c for c in COLUMNS if c not in {"status", "opened_on"}])
    report = import_cases(data, filename="f.csv", actor=admin)
    assert {(e.row, e.column, e.code) for e in report.errors} == {
        (1, "status", "missing_column"),
        (1, "opened_on", "missing_column"),
    }


def test_a_value_under_no_column_is_an_error(admin):
    data = csv_bytes([_row("X-1")]) + b"X-2,inspection,quality,planned,2026-03-02,,draft,A,,,30341"
    data += b",," * 11 + b",surplus\r\n"
    report = import_cases(data, filename="f.csv", actor=admin)
    assert [(e.row, e.code) for e in report.errors] == [(3, "cell_outside_header")]


def test_a_header_only_file_and_an_empty_file(admin):
    report = import_cases(csv_bytes([]), filename="f.csv", actor=admin)
    assert [(e.row, e.code) for e in report.errors] == [(2, "no_rows")]
    report = import_cases(b"", filename="f.csv", actor=admin)
    assert [(e.row, e.code) for e in report.errors] == [(1, "no_header")]


def test_an_xlsx_with_an_empty_sheet_is_a_clear_error(admin):
    report = import_cases(xlsx_bytes([]), filename="empty.xlsx", actor=admin)
    assert [(e.row, e.column, e.code) for e in report.errors] == [(1, "", "no_header")]
    assert not report.imported


@pytest.mark.parametrize("filename", ["garbage.csv", "garbage.xlsx"])
def test_random_bytes_are_a_clear_error(admin, filename):
    data = os.urandom(4096)
    report = import_cases(data, filename=filename, actor=admin)
    assert report.errors and not report.imported
    assert report.errors[0].code in {"not_utf8", "bad_csv", "bad_xlsx", "unknown_column", "missing_column"}
    if filename.endswith(".xlsx"):
        assert [e.code for e in report.errors] == ["bad_xlsx"]


def test_a_zip_that_is_not_a_workbook_and_a_latin1_csv(admin):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    report = import_cases(buffer.getvalue(), filename="x.xlsx", actor=admin)
    assert [e.code for e in report.errors] == ["bad_xlsx"]

    latin1 = csv_bytes([]) + "L-1,inspection,quality,planned,2026-03-02,,draft,Café".encode("latin-1")
    report = import_cases(latin1, filename="x.csv", actor=admin)
    assert [(e.row, e.code) for e in report.errors] == [(2, "not_utf8")]


def test_other_file_types_are_refused(admin):
    report = import_cases(b"ref\n1\n", filename="ho-so.xls", actor=admin)
    assert [e.code for e in report.errors] == ["unsupported_format"]


@pytest.mark.parametrize("column", ["case_type", "establishment", "ref", "tax_code"])
def test_a_huge_cell_is_an_error_not_a_crash(admin, column):
    row = {**_row("H-1"), column: "Đ" * 100_000}
    report = import_cases(csv_bytes([row]), filename="f.csv", actor=admin)
    assert [(e.row, e.column, e.code) for e in report.errors] == [(2, column, "too_long")]


def test_a_huge_cell_in_a_workbook(admin):
    table = [list(COLUMNS), [_row("H-2", notes="n" * 100_000).get(c, "") for c in COLUMNS]]
    report = import_cases(xlsx_bytes(table), filename="f.xlsx", actor=admin)
    assert [(e.row, e.column, e.code) for e in report.errors] == [(2, "notes", "too_long")]


# --- values ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["1500000", "1.500.000", "1,500,000"])
def test_fines_in_every_accepted_form(text):
    assert parse_vnd(text) == 1_500_000


@pytest.mark.parametrize("text", ["1.5", "abc", "1,5", "1.500,000", "1.50.000", "", "1 500 000", "1e6"])
def test_fines_that_are_refused(text):
    assert parse_vnd(text) is None


@pytest.mark.parametrize("fine", ["2500000", "2.500.000", "2,500,000"])
def test_a_fine_lands_on_the_first_confirmed_finding(admin, fine):
    row = _row("F-1", status="closed", closed_on="2026-03-20", violations="NH-01; MV-03", fine_vnd=fine)
    report = import_cases(csv_bytes([row]), filename="f.csv", actor=admin)
    assert report.errors == []
    findings = _case("F-1").findings
    assert [f.violation.code for f in findings] == ["NH-01", "MV-03"]
    assert [f.decided_fine_vnd for f in findings] == [2_500_000, None]
    assert {f.status for f in findings} == {"confirmed"}


def test_findings_of_a_case_not_yet_approved_are_proposed(admin):
    report = import_cases(csv_bytes([_row("P-1", violations="NH-01")]), filename="f.csv", actor=admin)
    assert report.errors == []
    [finding] = _case("P-1").findings
    assert finding.status == "proposed" and finding.decided_fine_vnd is None


def test_establishments_are_found_by_tax_code_then_by_name_in_the_commune(admin):
    rows = [
        _row("E-1"),
        _row("E-2", establishment="Tên khác của cùng công ty"),  # same tax code
        _row("E-3", establishment="Tiệm tạp hóa Bà Tư", tax_code=""),
        _row("E-4", establishment="TIỆM TẠP HÓA BÀ TƯ", tax_code=""),  # same folded name, same commune
        _row("E-5", establishment="Tiệm tạp hóa Bà Tư", tax_code="", commune_code="30385"),  # elsewhere
    ]
    report = import_cases(csv_bytes(rows), filename="f.csv", actor=admin)
    assert report.errors == []
    ids = {ref: _case(ref).establishment_id for ref in ("E-1", "E-2", "E-3", "E-4", "E-5")}
    assert ids["E-1"] == ids["E-2"] and ids["E-3"] == ids["E-4"]
    assert len(set(ids.values())) == 3
    assert _case("E-2").establishment.name == "Công ty TNHH Thử Nghiệm"


def test_an_existing_establishment_is_reused(admin):
    existing = Establishment(name="Công ty TNHH Thử Nghiệm", tax_code="1665423511", commune_code="30341")
    db.session.add(existing)
    db.session.flush()
    report = import_cases(csv_bytes([_row("R-1")]), filename="f.csv", actor=admin)
    assert report.errors == [] and _case("R-1").establishment_id == existing.id
    assert _count(Establishment) == 1


def test_the_commune_code_wins_over_the_address(admin):
    row = _row("W-1", address="Số 23 Quốc lộ 91, Xã Ba Chúc, Tỉnh An Giang", commune_code="30341")
    report = import_cases(csv_bytes([row]), filename="f.csv", actor=admin)
    assert report.errors == [] and _case("W-1").commune_code == "30341"


# --- the transaction and the caller -----------------------------------------------------------------


def test_a_failure_midway_leaves_nothing(admin, monkeypatch):
    real_plan = import_writer.ImportWriter._plan
    calls = []

    def failing_plan(self, row, *args):
        calls.append(row.ref)
        if len(calls) == 3:
            raise CaseInvalid([Problem("opened_on", "date_in_future")])
        return real_plan(self, row, *args)

    monkeypatch.setattr(import_writer.ImportWriter, "_plan", failing_plan)
    report = import_cases(sample_bytes(), filename="s.csv", actor=admin)
    db.session.commit()  # what a careless caller would do: there is nothing left to commit

    assert not report.imported and report.created == 0
    assert [(e.row, e.column, e.code) for e in report.errors] == [(4, "opened_on", "date_in_future")]
    assert _count(Case) == 0 and _count(Establishment) == 0 and _count(Sample) == 0


def test_a_database_error_after_the_cases_are_written_leaves_nothing(admin, monkeypatch):
    real_insert = import_writer._insert_plain

    def failing_insert(table, params):
        if table.name == "finding":  # the cases, their fields and samples are in by now
            db.session.execute(insert(Case.__table__), [{"number": "KT-2026-0001", "kind": "inspection"}])
        return real_insert(table, params)

    monkeypatch.setattr(import_writer, "_insert_plain", failing_insert)
    report = import_cases(sample_bytes(), filename="s.csv", actor=admin)
    db.session.commit()

    assert not report.imported and report.created == 0 and report.created_numbers == []
    assert [(e.row, e.code) for e in report.errors] == [(2, "conflict")]
    assert _count(Case) == 0 and _count(Establishment) == 0 and _count(Sample) == 0
    # nothing of the import (the administrator's own account creation is the one entry)
    assert db.session.scalar(select(func.count()).where(AuditEvent.entity_type != "account")) == 0


def test_progress_is_reported_per_row(admin):
    calls: list[tuple[int, int]] = []
    import_cases(sample_bytes(), filename="s.csv", actor=admin, progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (1, 24) and calls[-1] == (24, 24)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_only_managers_and_admins_import(app_ctx, make_user):
    inspector = db.session.get(User, make_user("thanhtra1", "inspector").id)
    with pytest.raises(ValidationFailed):
        import_cases(sample_bytes(), filename="s.csv", actor=inspector)
    manager = db.session.get(User, make_user("lanhdao1", "manager").id)
    assert import_cases(sample_bytes(), filename="s.csv", actor=manager).created == 12


def test_an_import_racing_another_reports_a_conflict_and_creates_nothing(admin, monkeypatch):
    import_cases(sample_bytes(), filename="s.csv", actor=admin)
    db.session.commit()
    # the second import checked its refs before the first one committed
    monkeypatch.setattr(importer, "_already_imported", lambda refs: set())
    report = import_cases(sample_bytes(), filename="s.csv", actor=admin)
    db.session.commit()
    assert not report.imported and [(e.row, e.code) for e in report.errors] == [(2, "conflict")]
    assert _count(Case) == 12
