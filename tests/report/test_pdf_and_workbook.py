"""The annual report as PDF (text extracted with pdftotext, pages rendered to PNG) and as a workbook."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cases.db import db
from cases.reporting import annual_report as ar
from inspect_app import report_output
from tests import report_support as rs

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"


@pytest.fixture
def finalised(app_ctx, make_user):
    rs.build(make_user(role="inspector"))
    manager = make_user("quanly", role="manager", full_name="Trần Thị Quản Lý")
    report = ar.start_draft(2026, manager, today=dt.date(2026, 11, 24))
    text = ar.ReportText.of(report)
    text.number_symbol = "12/BC-SKHCN"
    text.report_date = dt.date(2026, 11, 5)
    text.signer_name = "Nguyễn Văn Giám Đốc"
    text.overall_assessment = (
        "Năm 2026, Sở Khoa học và Công nghệ đã triển khai đầy đủ các nhiệm vụ của Kế hoạch."
    )
    text.group_results = {
        "5": "Thanh tra, kiểm tra tập trung vào xăng dầu, nhãn hàng hóa và thương mại điện tử."
    }
    text.limitations = "Lực lượng thanh tra còn mỏng."
    text.directions = "Tiếp tục kiểm tra xăng dầu, vàng trang sức."
    text.recommendations = "Đề nghị Bộ hỗ trợ trang thiết bị thử nghiệm nhanh."
    ar.save_text(report, rs.complete_narrative(text), manager)
    ar.finalise(report, manager)
    db.session.commit()
    return report


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_pdf_has_the_decree_heading_figures_and_every_task(finalised, tmp_path):
    pdf = report_output.annual_pdf(ar.document(2026, finalised))
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, tmp_path)
    flat = re.sub(r"\s+", " ", text)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH AN GIANG",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "Số: 12/BC-SKHCN",
        "An Giang, ngày 05 tháng 11 năm 2026",
        "BÁO CÁO",
        "Kết quả thực hiện Kế hoạch số 345/KH-UBND năm 2026",
        "Kính gửi:",
        "Bộ Khoa học và Công nghệ",
        "Nơi nhận:",
        "KT. GIÁM ĐỐC",
        "Nguyễn Văn Giám Đốc",
        "Lực lượng thanh tra còn mỏng.",
        "PHỤ LỤC",
    ):
        assert expected in flat, expected
    # figures of task 5.2
    assert "20.000.000 ₫" in flat  # fines decided
    assert "15.000.000 ₫" in flat  # fines collected
    assert "Phường Long Xuyên" in flat and "Thành phố Long Xuyên" in flat
    # the appendix: all 14 tasks and II.1.a with their targets
    appendix = flat[flat.index("PHỤ LỤC") :]
    for code in rs.EXPECTED_TASKS_2026:
        assert re.search(rf"(^| ){re.escape(code)} ", appendix), code
    for target in ("02 lượt/năm", "10 doanh nghiệp/năm", "Ít nhất 01 lớp/năm", "02 lĩnh vực"):
        assert target.replace(" ", "") in appendix.replace(" ", ""), target  # cells wrap
    assert "DỰ THẢO" not in flat


def test_pdf_pages_render_and_number_from_page_two(finalised, tmp_path):
    pdf = report_output.annual_pdf(ar.document(2026, finalised))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "annual-2026.pdf").write_bytes(pdf)
    for old in ARTIFACTS.glob("annual-2026-page*.png"):
        old.unlink()
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "60",
            "-png",
            str(ARTIFACTS / "annual-2026.pdf"),
            str(ARTIFACTS / "annual-2026-page"),
        ],
        check=True,
    )
    pages = sorted(ARTIFACTS.glob("annual-2026-page*.png"))
    assert len(pages) >= 3
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True
    ).stdout
    second = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert second.strip().splitlines()[0].strip() == "2"
    assert first.strip().splitlines()[0].strip() != "1"


def test_a_draft_pdf_says_it_is_a_draft(app_ctx, make_user, tmp_path):
    rs.build(make_user(role="inspector"))
    text = _pdf_text(report_output.annual_pdf(ar.document(2026)), tmp_path)
    assert "DỰ THẢO" in text


def test_workbook_has_one_sheet_per_table_with_numbers(finalised):
    data = report_output.annual_workbook(ar.document(2026, finalised))
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "KiemTra",
        "LinhVuc",
        "ViPham",
        "XuPhat",
        "XaPhuong",
        "HuyenCu",
        "KhaoSat",
        "KeHoach",
    ]
    summary = book["KiemTra"]
    assert summary["A3"].value == "Chỉ tiêu"
    rows = {row[0]: row[1:] for row in summary.iter_rows(min_row=4, values_only=True) if row[0]}
    assert rows["Số vụ việc được tính (đã duyệt hoặc đã đóng)"][:2] == (3, 7)
    assert rows["Tiền phạt đã quyết định"][1] == 20_000_000
    assert rows["Tiền phạt đã thu"][1] == 15_000_000
    plan = book["KeHoach"]
    codes = [row[0] for row in plan.iter_rows(min_row=4, values_only=True) if row[0]]
    assert codes[:15] == list(rs.EXPECTED_TASKS_2026)
    by_code = {row[0]: row for row in plan.iter_rows(min_row=4, values_only=True) if row[0]}
    assert by_code["2.2"][5] == 6 and by_code["2.2"][7] == "Chưa đạt"
    assert by_code["2.3"][6] == 2 and by_code["2.3"][7] == "Đạt"
    communes = {row[0]: row for row in book["XaPhuong"].iter_rows(min_row=4, values_only=True) if row[0]}
    assert communes["Phường Long Xuyên"][2] == 3


def test_a_finalised_pdf_has_no_placeholder_and_says_nothing_to_report_in_words(app_ctx, make_user, tmp_path):
    """Issue 14, item 4: what the Department sends has a number, every heading has text under it, and a
    section marked "nothing to report" says so in an official report's words."""
    rs.build(make_user(role="inspector"))
    manager = make_user("quanly", role="manager", full_name="Trần Thị Quản Lý")
    report = ar.start_draft(2026, manager, today=dt.date(2026, 11, 24))
    text = ar.ReportText.of(report)
    text.number_symbol, text.report_date, text.signer_name = "12/BC-SKHCN", dt.date(2026, 11, 5), "Nguyễn C"
    text.overall_assessment = "Năm 2026, Sở đã triển khai đầy đủ các nhiệm vụ."
    text.group_results = {g: f"Kết quả nhóm {g}." for g in ("1", "2", "3", "5")}
    text.directions = "Tiếp tục kiểm tra xăng dầu."
    text.limitations = "Lực lượng còn mỏng."
    text.nothing_to_report = ["group_4", "group_6", "recommendations"]
    ar.save_text(report, text, manager)
    draft = re.sub(r"\s+", " ", _pdf_text(report_output.annual_pdf(ar.document(2026, report)), tmp_path))
    ar.finalise(report, manager)
    db.session.commit()
    pdf = report_output.annual_pdf(ar.document(2026, report))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "annual-2026-nothing-to-report.pdf").write_bytes(pdf)
    flat = re.sub(r"\s+", " ", _pdf_text(pdf, tmp_path))
    assert "…/BC-SKHCN" not in flat and "(chưa viết)" not in flat and "Số: 12/BC-SKHCN" in flat
    group_words = "Trong năm 2026, nhóm nhiệm vụ này không có nội dung cần báo cáo."
    assert flat.count(group_words) == 2  # under 2.4 and 2.6
    between = flat[flat.index("2.4. Tăng cường đầu tư") : flat.index("2.5. Tăng cường công tác")]
    assert group_words in between
    assert flat[flat.index("2.6. Đẩy mạnh hội nhập") :].find(group_words) >= 0
    recommendations = flat[flat.index("IV. ") : flat.index("Nơi nhận")]
    assert "Không có kiến nghị, đề xuất." in recommendations
    # the draft was the same, before: the words where a section is marked, no "(chưa viết)" anywhere
    assert draft.count(group_words) == 2 and "(chưa viết)" not in draft


def test_a_draft_pdf_shows_each_unwritten_section(app_ctx, make_user, tmp_path):
    rs.build(make_user(role="inspector"))
    flat = re.sub(r"\s+", " ", _pdf_text(report_output.annual_pdf(ar.document(2026)), tmp_path))
    # overall assessment, 2.1–2.6, II, III, IV
    assert flat.count("(chưa viết)") == 10


# A number written as text: 7, -3, 1.500.000, 20.000.000 ₫, 0,43, 12,5 %, 1,500,000, 2.5 (but not a task
# code such as 5.2 or II.1.a, which are identifiers: see IDENTIFIER_COLUMNS)
NUMBER_AS_TEXT = re.compile(
    r"^[-+−]?(\d{1,3}(\.\d{3})+|\d{1,3}(,\d{3})+|\d+)([.,]\d+)?\s*(₫|đ|VND|%|triệu đồng)?$", re.IGNORECASE
)
IDENTIFIER_COLUMNS = {("KeHoach", "Số")}  # the plan's task codes (1.1 … 6.2, II.1.a)


def test_every_number_of_every_sheet_is_stored_as_a_number(finalised):
    """Issue 14, item 6: a figure stored as text cannot be summed or charted in Excel (the sanctions sheet
    stored "3", "20.000.000 ₫")."""
    book = load_workbook(io.BytesIO(report_output.annual_workbook(ar.document(2026, finalised))))
    as_text = []
    for sheet in book.worksheets:
        headers = [c.value for c in sheet[3]]
        for row in sheet.iter_rows():  # the title and the status line too; the headers ("2025") are labels
            for cell in row:
                if cell.row == 3:
                    continue
                header = headers[cell.column - 1] if cell.column <= len(headers) else None
                if (sheet.title, header) in IDENTIFIER_COLUMNS:
                    continue
                if isinstance(cell.value, str) and NUMBER_AS_TEXT.match(cell.value.strip()):
                    as_text.append(f"{sheet.title}!{cell.coordinate} = {cell.value!r}")
    assert as_text == [], "\n".join(as_text)
    sanctions = {row[0]: row[1] for row in book["XuPhat"].iter_rows(min_row=4, values_only=True) if row[0]}
    assert sanctions["Tiền phạt đã quyết định"] == 20_000_000
    assert book["XuPhat"]["B9"].number_format == '#,##0 "₫"'
    assert all(isinstance(v, int) for v in sanctions.values())
