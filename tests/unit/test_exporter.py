"""Exporting cases in the import format: what re-imports the same, in a bounded number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from cases.db import db
from cases.models import Case, Finding, Sample, User, Violation
from cases.recording.queries import CaseFilters
from cases.recording.rules import CaseInput
from cases.recording.service import create_case
from cases.transfer.exporter import export_rows, write_csv, write_xlsx
from cases.transfer.importer import COLUMNS, import_cases
from tests.sql_statements import recorded_statements
from tests.transfer_helpers import csv_bytes, sample_bytes, sample_rows, wipe_cases


@pytest.fixture
def admin(app_ctx, make_user) -> User:
    return db.session.get(User, make_user("quantri", "admin").id)


def _import(data: bytes, actor: User, filename: str = "f.csv") -> None:
    report = import_cases(data, filename=filename, actor=actor)
    assert report.errors == [] and report.imported, report.errors
    db.session.commit()


def _csv(actor, filters: CaseFilters | None = None) -> bytes:
    out = io.StringIO(newline="")
    write_csv(export_rows(filters or CaseFilters(), actor), out)
    return out.getvalue().encode("utf-8")


def _xlsx(actor) -> bytes:
    out = io.BytesIO()
    write_xlsx(export_rows(CaseFilters(), actor), out)
    return out.getvalue()


def _read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_rows_have_exactly_the_import_columns(admin):
    _import(sample_bytes(), admin)
    rows = list(export_rows(CaseFilters(), admin))
    assert len(rows) == 12
    assert all(tuple(row) == COLUMNS for row in rows)


def test_values_follow_the_import_format(admin):
    _import(sample_bytes(), admin)
    rows = {row["ref"]: row for row in _read_csv(_csv(admin))}

    closed = rows["AG-42-00007"]
    assert closed["violations"] == "MV-03" and closed["fine_vnd"] == "3500000"
    assert (closed["samples_tested"], closed["samples_failed"]) == ("1", "0")
    assert closed["opened_on"] == "2026-04-19" and closed["closed_on"] == "2026-05-01"
    survey = rows["AG-42-00002"]
    assert survey["opened_on"] == "2025-12-27"  # written DD/MM/YYYY in the source, ISO in the export
    assert survey["commune_code"] == "30856"  # resolved from the address, always written
    assert (survey["samples_tested"], survey["samples_failed"]) == ("9", "5")
    assert survey["field"] == "barcode" and survey["mode"] == ""
    assert rows["AG-42-00010"]["fine_vnd"] == "7500000"
    shop = rows["AG-42-00000"]
    assert (shop["platform"], shop["seller"], shop["establishment"]) == ("zalo", "shop_1520", "")
    gps = rows["AG-42-00004"]
    assert (gps["lat"], gps["lon"], gps["commune_code"]) == ("10.3966", "105.399", "30292")
    # every source value survives, apart from the commune filled in and the canonical forms
    source = {row["ref"]: row for row in sample_rows()}
    for ref, row in rows.items():
        for column in ("case_type", "field", "mode", "status", "establishment", "tax_code", "address",
                       "platform", "listing_url", "seller", "product", "violations", "notes"):  # fmt: skip
            assert row[column] == source[ref][column], (ref, column)


def test_the_csv_has_a_bom_and_the_header_first(admin):
    data = _csv(admin)
    assert data.startswith(b"\xef\xbb\xbf" + ",".join(COLUMNS).encode())
    assert data.count(b"\r\n") == 1  # no cases: the header alone


def test_the_ref_of_a_case_recorded_in_the_app_is_its_number(admin):
    data = CaseInput(
        kind="ecommerce",
        opened_on=dt.date(2026, 1, 5),
        commune_code="30341",
        platform="shopee",
        listing_url="https://shopee.vn/p/9",
        seller_name="shop_9",
    )
    created = create_case(actor=admin, data=data)
    db.session.commit()
    [row] = list(export_rows(CaseFilters(), admin))
    assert row["ref"] == created.number and row["status"] == "draft"

    # re-importing the export into the same database creates nothing
    report = import_cases(_csv(admin), filename="f.csv", actor=admin)
    assert report.created == 0 and report.already_imported == [created.number]


def test_dismissed_findings_and_pending_samples_are_left_out(admin):
    _import(sample_bytes(), admin)
    case = db.session.scalar(select(Case).where(Case.import_ref == "AG-42-00007"))
    other = db.session.scalar(select(Violation).where(Violation.code == "NH-01"))
    case.findings.append(
        Finding(violation_id=other.id, offender_type="individual", status="dismissed", decided_fine_vnd=9)
    )
    case.samples.append(Sample(name="Chờ kết quả", result="pending"))
    db.session.commit()
    [row] = [r for r in export_rows(CaseFilters(), admin) if r["ref"] == "AG-42-00007"]
    assert (row["violations"], row["fine_vnd"], row["samples_tested"]) == ("MV-03", 3_500_000, 1)


def test_export_then_reimport_into_an_empty_database_gives_the_same_export(admin):
    _import(sample_bytes(), admin)
    first = _csv(admin)

    wipe_cases()
    assert db.session.scalar(select(db.func.count(Case.id))) == 0
    _import(first, admin, "ho-so.csv")
    second = _csv(admin)

    assert second == first  # byte for byte
    assert len(_read_csv(second)) == 12


def test_the_excel_export_round_trips_too(admin):
    _import(sample_bytes(), admin)
    csv_before = _csv(admin)
    workbook = _xlsx(admin)

    wipe_cases()
    _import(workbook, admin, "ho-so.xlsx")
    assert _csv(admin) == csv_before


def test_the_excel_export_has_typed_cells(admin):
    _import(sample_bytes(), admin)
    sheet = load_workbook(io.BytesIO(_xlsx(admin)), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS and len(rows) == 13
    by_ref = {r[0]: dict(zip(COLUMNS, r + (None,) * len(COLUMNS), strict=False)) for r in rows[1:]}
    closed = by_ref["AG-42-00007"]
    assert closed["fine_vnd"] == 3_500_000 and closed["samples_tested"] == 1
    assert closed["commune_code"] == "30341" and closed["tax_code"] == "1613315096"  # text, not numbers
    assert closed["opened_on"] == "2026-04-19" and closed["notes"] is None


FORMULAS = {
    "establishment": '=HYPERLINK("http://evil.example","bấm")',
    "product": "+84 912 345 678",
    "notes": "-5 kg so với nhãn",
    "address": "@SUM(1+1)*cmd|' /C calc'!A0, Xã Ba Chúc, Tỉnh An Giang",
}


#: The same, typed with full-width and other compatibility forms of = + - @ (NFKC gives the ASCII sign):
#: an Excel with an East Asian input method reads "＝…" as a formula too (issue 15).
FULL_WIDTH = {
    "establishment": '＝HYPERLINK("http://evil.example","bấm")',
    "product": "﹢84 912 345 678",
    "notes": "－5 kg so với nhãn",
    "address": "＠SUM(1+1)*cmd|' /C calc'!A0, Xã Ba Chúc, Tỉnh An Giang",
}


def _formula_case(admin: User, formulas: dict[str, str] = FORMULAS) -> None:
    row = {
        "ref": "CT-1",
        "case_type": "inspection",
        "field": "label",
        "mode": "planned",
        "opened_on": "2026-02-02",
        "status": "submitted",
        "commune_code": "30547",
        **formulas,
    }
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    _import(buffer.getvalue().encode(), admin)


@pytest.mark.parametrize("formulas", [FORMULAS, FULL_WIDTH], ids=["ascii", "full-width"])
def test_formula_injection_is_neutralised_in_csv_and_round_trips(admin, formulas):
    _formula_case(admin, formulas)
    data = _csv(admin)
    [row] = _read_csv(data)
    for column, value in formulas.items():
        assert row[column] == "'" + value
    assert row["ref"] == "CT-1"

    wipe_cases()
    _import(data, admin)
    case = db.session.scalar(select(Case))
    assert case.establishment.name == formulas["establishment"]
    assert (case.product, case.notes, case.address) == (
        formulas["product"],
        formulas["notes"],
        formulas["address"],
    )
    assert _csv(admin) == data


@pytest.mark.parametrize("formulas", [FORMULAS, FULL_WIDTH], ids=["ascii", "full-width"])
def test_formula_injection_is_neutralised_in_xlsx_and_round_trips(admin, formulas):
    _formula_case(admin, formulas)
    workbook = _xlsx(admin)
    sheet = load_workbook(io.BytesIO(workbook)).worksheets[0]
    header = [c.value for c in sheet[1]]
    cells = {header[i]: cell for i, cell in enumerate(sheet[2])}
    for column, value in formulas.items():
        assert cells[column].data_type == "s" and cells[column].value == "'" + value

    wipe_cases()
    _import(workbook, admin, "f.xlsx")
    case = db.session.scalar(select(Case))
    assert case.establishment.name == formulas["establishment"] and case.notes == formulas["notes"]


@pytest.mark.parametrize("sign", ["＝", "﹦", "₌", "⁼", "＋", "﹢", "⁺", "－", "﹣", "＠", "﹫"])
def test_every_compatibility_form_of_a_formula_sign_is_neutralised(sign):
    from cases.transfer.exporter import neutralise

    assert neutralise(sign + "1+1") == "'" + sign + "1+1"
    assert neutralise("'" + sign + "1") == "''" + sign + "1"  # typed apostrophes stay told apart
    assert neutralise("＇" + sign + "1") == "'＇" + sign + "1"  # a full-width apostrophe before it too
    assert neutralise("a" + sign) == "a" + sign


def test_a_liaison_exports_only_the_cases_of_their_communes(admin, make_user):
    _import(sample_bytes(), admin)
    liaison = db.session.get(User, make_user("xa1", "liaison", communes=("30341", "30385")).id)
    refs = sorted(row["ref"] for row in export_rows(CaseFilters(), liaison))
    assert refs == ["AG-42-00005", "AG-42-00006", "AG-42-00007"]
    assert {row["commune_code"] for row in export_rows(CaseFilters(), liaison)} == {"30341", "30385"}


def test_the_list_filters_apply(admin):
    _import(sample_bytes(), admin)
    surveys = list(export_rows(CaseFilters(kind="survey"), admin))
    assert sorted(r["ref"] for r in surveys) == ["AG-42-00002", "AG-42-00003"]
    dated = list(export_rows(CaseFilters(date_from=dt.date(2026, 5, 1), status="approved"), admin))
    assert [r["ref"] for r in dated] == ["AG-42-00004", "AG-42-00011"]
    assert [r["ref"] for r in export_rows(CaseFilters(q="thot not", field="barcode"), admin)] == [
        "AG-42-00011",
        "AG-42-00002",
        "AG-42-00003",
    ]


def test_the_export_runs_a_bounded_number_of_queries(admin):
    _import(sample_bytes(), admin)

    def queries_for_export() -> int:
        with recorded_statements() as statements:
            db.session.expire_all()
            rows = list(export_rows(CaseFilters(), admin))
        return len(rows), len(statements)

    rows_before, queries_before = queries_for_export()
    # twice the cases (the same file under other refs)
    text = sample_bytes().decode("utf-8-sig").replace("AG-42-", "AG-43-")
    _import(text.encode(), admin)
    rows_after, queries_after = queries_for_export()

    assert (rows_before, rows_after) == (12, 24)
    assert queries_after == queries_before <= 3


def test_an_export_stopped_early_releases_its_cursor(admin):
    _import(sample_bytes(), admin)
    rows = export_rows(CaseFilters(), admin)
    assert next(rows)["ref"] == "AG-42-00004"
    rows.close()  # a download cut short (PostgreSQL: a server-side cursor)
    assert len(list(export_rows(CaseFilters(), admin))) == 12


def test_a_case_with_several_fields_exports_and_reimports_all_of_them(admin):
    """Issue 14, item 5: an inspection of fuel, labels and quality was exported as "fuel" only."""
    from cases.models import Establishment

    shop = Establishment(name="Cửa hàng xăng dầu Số 5", commune_code="30341", business_type="household")
    db.session.add(shop)
    db.session.flush()
    data = CaseInput(
        kind="inspection",
        opened_on=dt.date(2026, 3, 2),
        commune_code="30341",
        establishment_id=shop.id,
        mode="planned",
        fields=["quality", "fuel", "label"],
    )
    create_case(actor=admin, data=data)
    db.session.commit()
    first, book = _csv(admin), _xlsx(admin)
    [row] = _read_csv(first)
    assert row["field"] == "fuel;label;quality"
    assert load_workbook(io.BytesIO(book))["ho_so"]["C2"].value == "fuel;label;quality"

    wipe_cases()
    _import(first, admin, "ho-so.csv")
    [case] = db.session.scalars(select(Case)).all()
    assert sorted(case.fields) == ["fuel", "label", "quality"]
    assert _csv(admin) == first  # the round trip stays exact
    wipe_cases()
    _import(book, admin, "ho-so.xlsx")
    assert sorted(db.session.scalars(select(Case)).one().fields) == ["fuel", "label", "quality"]


def test_the_field_column_takes_several_fields_and_names_a_wrong_one(admin):
    rows = [
        {"ref": "A-1", "case_type": "inspection", "field": "Fuel; label", "mode": "planned",
         "opened_on": "2026-01-05", "status": "draft", "establishment": "Cơ sở A", "commune_code": "30341"},
        {"ref": "A-2", "case_type": "inspection", "field": "fuel;coconut", "mode": "planned",
         "opened_on": "2026-01-05", "status": "draft", "establishment": "Cơ sở B", "commune_code": "30341"},
        {"ref": "A-3", "case_type": "survey", "field": "fuel;label",
         "opened_on": "2026-01-05", "status": "draft", "establishment": "Cơ sở C", "commune_code": "30341"},
    ]  # fmt: skip
    report = import_cases(csv_bytes(rows), filename="f.csv", actor=admin)
    errors = {(e.row, e.column): e for e in report.errors}
    assert set(errors) == {(3, "field"), (4, "field")}
    assert errors[(3, "field")].code == "invalid_choice" and errors[(3, "field")].params["value"] == "coconut"
    assert errors[(4, "field")].code == "survey_one_field"
    report = import_cases(csv_bytes(rows[:1]), filename="f.csv", actor=admin)
    assert report.created == 1
    assert sorted(db.session.scalars(select(Case)).one().fields) == ["fuel", "label"]
