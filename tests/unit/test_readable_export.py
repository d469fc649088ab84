"""The readable spreadsheet of the case list (issue 14, item 5): read back with openpyxl as a user would
read it in Excel — Vietnamese headers and labels, names, real dates shown DD/MM/YYYY, amounts as numbers
shown as VND, one row per case with every field, and the optional sheets of items and findings."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from cases.db import db
from cases.models import Finding, GoodsItem, InstrumentCheck, Sample, User, Violation
from cases.recording.queries import CaseFilters
from inspect_app import spreadsheet
from tests import factories
from tests.sql_statements import recorded_statements


@pytest.fixture
def admin(app_ctx, make_user) -> User:
    return db.session.get(User, make_user("quantri", "admin", full_name="Lê Văn Quản Trị").id)


@pytest.fixture
def cases(admin):
    """An inspection of three fields at a fuel station in Phường Long Xuyên (opened before the reform, in
    the former ward Mỹ Bình of the former Long Xuyên city), with items, a confirmed and fined finding and a
    dismissed one; an e-commerce check in Rạch Giá; a survey."""
    shop = factories.establishment("Cửa hàng xăng dầu Mỹ Bình", commune_code="30307", tax_code="1600123456")
    inspection = factories.case(
        admin,
        "inspection",
        opened_on=dt.date(2025, 3, 4),
        closed_on=dt.date(2025, 4, 20),
        commune_code="30307",
        former_ward_code="30280",
        establishment_id=shop.id,
        fields=["fuel", "label", "quality"],
        mode="unscheduled",
        decision_number="12/QĐ-SKHCN",
        decision_date=dt.date(2025, 3, 1),
    )
    inspection.status = "closed"
    inspection.instruments.append(
        InstrumentCheck(
            instrument_type="fuel_pump", serial_number="CD-01", result="fail", measured_error=0.75
        )
    )
    inspection.goods.append(
        GoodsItem(name="Xăng RON 95-III", quantity=1250.0, unit="lít", value_vnd=31_250_000)
    )
    inspection.samples.append(Sample(name="Xăng RON 95", result="fail", tested_on=dt.date(2025, 3, 20)))
    code = db.session.scalars(select(Violation).where(Violation.code == "MV-03")).one()
    other = db.session.scalars(select(Violation).where(Violation.code == "NH-01")).one()
    inspection.findings.append(
        Finding(
            violation_id=code.id,
            offender_type="organisation",
            status="confirmed",
            decided_fine_vnd=1_500_000,
            sanction_form="fine",
            decision_date=dt.date(2025, 4, 2),
            fine_paid_on=dt.date(2025, 4, 15),
        )
    )
    inspection.findings.append(
        Finding(violation_id=other.id, offender_type="organisation", status="dismissed")
    )
    ecommerce = factories.case(admin, "ecommerce", opened_on=dt.date(2026, 2, 3), commune_code="30742")
    survey = factories.case(admin, "survey", opened_on=dt.date(2026, 1, 9), commune_code="30742")
    db.session.commit()
    return inspection, ecommerce, survey


def _book(admin, filters: CaseFilters | None = None, *, details: bool = False):
    out = io.BytesIO()
    spreadsheet.write_workbook(filters or CaseFilters(), admin, out, details=details)
    return load_workbook(io.BytesIO(out.getvalue()))


def _rows(sheet) -> dict[str, dict[str, object]]:
    header = [c.value for c in sheet[1]]
    return {row[0].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)}


def test_one_row_per_case_in_words_with_names_real_dates_and_amounts(admin, cases):
    inspection, ecommerce, _survey = cases
    book = _book(admin)
    assert book.sheetnames == ["Hồ sơ"]
    sheet = book["Hồ sơ"]
    header = [c.value for c in sheet[1]]
    assert header[:8] == [
        "Số hồ sơ", "Mã tham chiếu khi nhập", "Loại hồ sơ", "Trạng thái", "Lĩnh vực kiểm tra",
        "Hình thức", "Ngày mở hồ sơ", "Ngày kết thúc hồ sơ",
    ]  # fmt: skip
    assert all(not h.isascii() for h in header), header  # Vietnamese, none in English
    rows = _rows(sheet)
    assert len(rows) == 3  # one row per case
    row = rows[inspection.number]
    assert row["Loại hồ sơ"].value == "Kiểm tra"
    assert row["Trạng thái"].value == "Đã kết thúc"
    assert row["Lĩnh vực kiểm tra"].value == "Kinh doanh xăng dầu; Nhãn hàng hóa; Chất lượng hàng hóa"
    assert row["Hình thức"].value == "Đột xuất"
    assert row["Xã, phường, đặc khu"].value == "Phường Long Xuyên"
    assert row["Phường, xã cũ"].value == "Phường Mỹ Bình"
    assert row["Huyện/thị xã/thành phố cũ"].value == "Thành phố Long Xuyên"
    assert row["Cơ sở"].value == "Cửa hàng xăng dầu Mỹ Bình" and row["Mã số thuế"].value == "1600123456"
    opened = row["Ngày mở hồ sơ"]
    assert opened.value == dt.datetime(2025, 3, 4) and opened.number_format == "dd/mm/yyyy"
    assert opened.is_date
    assert row["Ngày quyết định"].value == dt.datetime(2025, 3, 1)
    fine = row["Tiền phạt đã quyết định (đồng)"]
    assert fine.value == 1_500_000 and fine.data_type == "n" and fine.number_format == spreadsheet.VND_FORMAT
    assert row["Tiền phạt đã nộp (đồng)"].value == 1_500_000
    assert row["Số hành vi vi phạm được xác nhận"].value == 1
    assert row["Mã hành vi vi phạm"].value == "MV-03"  # the dismissed one left out
    assert (row["Số mẫu đã lấy"].value, row["Số mẫu không đạt"].value) == (1, 1)
    assert row["Người ghi nhận"].value == "Lê Văn Quản Trị"
    shop = rows[ecommerce.number]
    assert shop["Loại hồ sơ"].value == "Kiểm soát thương mại điện tử"
    assert shop["Nền tảng"].value == "Shopee" and shop["Người bán"].value == "Shop Hàng Hiệu"
    assert shop["Xã, phường, đặc khu"].value == "Phường Rạch Giá"
    # a case after the reform has no former district of its own: the report's attribution, said so
    assert shop["Huyện/thị xã/thành phố cũ"].value == "Thành phố Rạch Giá"
    assert shop["Nguồn huyện cũ"].value == "Suy ra từ xã, phường hiện nay (như báo cáo năm)"
    assert row["Nguồn huyện cũ"].value == "Ghi nhận theo hồ sơ"
    # no code, no ISO date, no English anywhere in the cells
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                assert cell.value not in {"inspection", "closed", "fuel", "shopee", "unscheduled", "30307"}
                assert not cell.value[:4].isdigit() or "-" not in cell.value[4:5], cell.value


def test_the_list_filters_apply(admin, cases):
    inspection, *_ = cases
    rows = _rows(_book(admin, CaseFilters(field="label"))["Hồ sơ"])
    assert list(rows) == [inspection.number]


def test_optional_sheets_of_items_and_findings(admin, cases):
    inspection, *_ = cases
    book = _book(admin, details=True)
    assert book.sheetnames == ["Hồ sơ", "Phương tiện đo", "Hàng đóng gói sẵn", "Hàng hóa", "Mẫu", "Vi phạm"]
    [pump] = _rows(book["Phương tiện đo"]).values()
    assert pump["Số hồ sơ"].value == inspection.number
    assert pump["Loại phương tiện đo"].value == "Cột đo xăng dầu" and pump["Kết quả"].value == "Không đạt"
    assert pump["Sai số đo được"].value == 0.75
    [goods] = _rows(book["Hàng hóa"]).values()
    assert goods["Số lượng"].value == 1250 and goods["Giá trị (đồng)"].value == 31_250_000
    assert goods["Giá trị (đồng)"].number_format == spreadsheet.VND_FORMAT
    findings = list(book["Vi phạm"].iter_rows(min_row=2, values_only=True))
    header = [c.value for c in book["Vi phạm"][1]]
    by_code = {r[header.index("Mã hành vi")]: dict(zip(header, r, strict=True)) for r in findings}
    assert by_code["MV-03"]["Kết quả xem xét"] == "Đã xác nhận"
    assert by_code["MV-03"]["Hình thức xử phạt"] == "Phạt tiền"
    assert by_code["MV-03"]["Ngày nộp phạt"] == dt.datetime(2025, 4, 15)
    assert by_code["NH-01"]["Kết quả xem xét"] == "Đã bác bỏ"
    assert by_code["MV-03"]["Đối tượng vi phạm"] == "Tổ chức"


def test_a_fixed_number_of_queries_whatever_the_number_of_cases(admin, cases):
    with recorded_statements() as few:
        _book(admin, details=True)
    for i in range(20):
        factories.case(
            admin, "ecommerce", opened_on=dt.date(2026, 1, 1 + i), listing_url=f"https://shopee.vn/p/{i}"
        )
    db.session.commit()
    with recorded_statements() as many:
        book = _book(admin, details=True)
    assert len(_rows(book["Hồ sơ"])) == 23
    assert len(many) == len(few) <= 10


def test_counts_that_do_not_apply_are_blank_and_none_found_is_zero(admin, cases):
    _inspection, ecommerce, survey = cases
    rows = _rows(_book(admin)["Hồ sơ"])
    assert rows[ecommerce.number]["Số mẫu đã lấy"].value is None  # an e-commerce check takes no sample
    assert rows[ecommerce.number]["Số hành vi vi phạm được xác nhận"].value == 0
    assert rows[survey.number]["Số hành vi vi phạm được xác nhận"].value is None  # a survey does not sanction
    assert rows[survey.number]["Số mẫu đã lấy"].value == 0
