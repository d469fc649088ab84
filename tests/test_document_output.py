"""The official documents as PDF (WeasyPrint; text read back with pdftotext, the first page kept as PNG in
test-artifacts/documents/) and as Word files (python-docx, read back): a realistic case with instruments,
prepackaged lots, goods, samples and a confirmed finding with a decided fine; each type prints every
element it must (issue 17, LEGAL-2025.md §1.2–1.7), a draft is marked DỰ THẢO and has no number, an issued
document prints its number and frozen content."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from cases.db import db
from cases.documents import register
from cases.documents.view import document_view, draft_view, split_title, vnd_in_words
from cases.enums import DocumentType
from cases.models import (
    Finding,
    User,
    Violation,
)
from inspect_app.document_output import (
    document_docx,
    document_html,
    document_pdf,
    legal_reference_text,
    money,
    where,
)
from tests import factories
from tests.document_support import ON, confirmed_finding, realistic_case

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "documents"


@pytest.fixture
def people(app_ctx, make_user):
    made = {
        "leader": make_user("truongdoan.in", "inspector", full_name="Nguyễn Văn Kiểm"),
        "member": make_user("thanhvien.in", "inspector", full_name="Trần Thị Đo"),
        "manager": make_user("giamdoc.in", "manager", full_name="Lê Văn Trưởng"),
    }
    return {key: db.session.get(User, user.id) for key, user in made.items()}


@pytest.fixture
def case(people):
    return realistic_case(people["leader"], people["member"])


@pytest.fixture
def finding(case):
    return confirmed_finding(case)


def _pdf_text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(ARTIFACTS / name)],
        check=True,
        timeout=60,
    )
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return _flat(text)


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.sections[0].header.paragraphs]

    def walk(container) -> None:
        for paragraph in container.paragraphs:
            parts.append(paragraph.text)
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    walk(cell)

    walk(document)
    return _flat("\n".join(parts))


def _flat(text: str) -> str:
    """Lines joined, spaces collapsed (pdftotext breaks lines where the page does)."""
    text = re.sub(r"(?<=\w)-\n(?=\w)", "-", text.replace("\u00a0", " "))  # a line broken after a hyphen
    return re.sub(r"\s+", " ", text)


def _both(view, tmp_path: Path, name: str) -> list[str]:
    return [_pdf_text(document_pdf(view), tmp_path, name), _docx_text(document_docx(view))]


HEADING = (
    "UBND TỈNH AN GIANG",
    "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
)


def _assert_all(texts: list[str], expected: tuple[str, ...] | list[str]) -> None:
    """Each item in each text, as written or with the spaces left out (a narrow table cell wraps a value:
    "QCVN 1:2022/" above "BKHCN")."""
    for text in texts:
        missing = [item for item in expected if _flat(item) not in text and not _in_a_cell(item, text)]
        assert missing == [], missing


def _in_a_cell(item: str, text: str) -> bool:
    return re.sub(r"\s", "", _flat(item)) in re.sub(r"\s", "", text)


# --- plain helpers -----------------------------------------------------------------------------------


def test_amounts_in_words_read_millions_and_thousands():
    assert vnd_in_words(15_000_000) == "Mười lăm triệu đồng"
    assert vnd_in_words(1_500_000) == "Một triệu năm trăm nghìn đồng"
    assert vnd_in_words(7_500_000) == "Bảy triệu năm trăm nghìn đồng"
    assert vnd_in_words(21_000_000) == "Hai mươi mốt triệu đồng"
    assert vnd_in_words(1_050_000) == "Một triệu không trăm năm mươi nghìn đồng"
    assert vnd_in_words(105_000_000) == "Một trăm lẻ năm triệu đồng"
    assert vnd_in_words(1_000_000_000) == "Một tỷ đồng"
    assert vnd_in_words(None) is None
    assert money(1_500_000) == "1.500.000\u00a0đồng"


def test_an_address_names_its_commune_once():
    assert where("45 Lê Lợi", "Phường Rạch Giá") == "45 Lê Lợi, Phường Rạch Giá"
    assert where("Số 76 Tôn Đức Thắng, Phường Long Xuyên", "Phường Long Xuyên") == (
        "Số 76 Tôn Đức Thắng, Phường Long Xuyên"
    )
    assert where(None, "Phường Rạch Giá") == "Phường Rạch Giá" and where(None, None) == ""


def test_titles_split_into_the_title_and_its_summary():
    assert split_title("QUYẾT ĐỊNH Về việc kiểm tra") == ("QUYẾT ĐỊNH", "Về việc kiểm tra")
    assert split_title("BIÊN BẢN VI PHẠM HÀNH CHÍNH") == ("BIÊN BẢN VI PHẠM HÀNH CHÍNH", "")


def test_the_catalog_reference_reads_point_clause_and_article():
    ref = {
        "article": "9",
        "clause": "2",
        "point": "a",
        "text": "NĐ 119/2017 (sđ NĐ 126/2021) Điều 9 khoản 2 điểm a",
    }
    assert legal_reference_text(ref) == (
        "điểm a khoản 2 Điều 9 Nghị định số 119/2017/NĐ-CP "
        "(được sửa đổi, bổ sung bởi Nghị định số 126/2021/NĐ-CP)"
    )
    assert legal_reference_text({"article": None, "clause": None, "point": None, "text": "TT 15/2015"}) == (
        "TT 15/2015"
    )


# --- each type ---------------------------------------------------------------------------------------


def test_a_draft_decision_to_inspect(case, finding, tmp_path):
    view = draft_view(case, "decision", on=ON)
    assert view["draft"] and view["number"] is None and view["legal_bases"]
    texts = _both(view, tmp_path, "decision-draft")
    _assert_all(
        texts,
        [
            *HEADING,
            "DỰ THẢO",
            "Số: ……/QĐ-SKHCN",
            "QUYẾT ĐỊNH",
            "Về việc kiểm tra",
            "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            *(f"Căn cứ {line}" for line in view["legal_bases"]),
            "Căn cứ Kế hoạch kiểm tra năm 2026",
            "Điều 1.",
            "Công ty TNHH Xăng dầu Kiên Lương",
            "1700123456",
            "Xăng RON 95, gas đóng bình, mũ bảo hiểm",
            "từ ngày 12/11/2026 đến ngày 13/11/2026",
            "Điều 2.",
            "Nguyễn Văn Kiểm",
            "Trần Thị Đo",
            "lấy mẫu trước khi xuất trình quyết định kiểm tra",
            "Điều 3.",
            "Nơi nhận:",
            "An Giang, ngày …… tháng …… năm ……",
        ],
    )


def test_a_draft_inspection_record_shows_every_item(case, finding, tmp_path):
    view = draft_view(case, "inspection-record", on=ON, texts={"statement": "Cơ sở xin khắc phục ngay."})
    texts = _both(view, tmp_path, "inspection-record-draft")
    _assert_all(
        texts,
        [
            *HEADING,
            "DỰ THẢO",
            "Số: ……/BB-KT",
            "BIÊN BẢN KIỂM TRA",
            *(f"Căn cứ {line}" for line in view["legal_bases"]),
            "Quyết định kiểm tra số 123/QĐ-SKHCN ngày 10/11/2026",
            "Công ty TNHH Xăng dầu Kiên Lương",
            "Phạm Văn Đại",
            # instruments
            "Cột đo Tatsuno 2 vòi",
            "TS-88123",
            "KĐ-2025-0456",
            "01/10/2026 (đã hết hạn)",
            "0,62 / 0,5 %",
            # lots
            "Gas Petrolimex bình 12 kg",
            "11,85 kg",
            # goods
            "Mũ bảo hiểm Sơn Hà",
            "4.000.000 đồng",
            "Thiếu ngày sản xuất",
            "Không có dấu CR",
            "8934567000123",
            # samples
            "M-2026-017",
            "QCVN 1:2022/BKHCN",
            # findings, statement, conclusion
            "Bán phương tiện đo nhóm 2 chưa kiểm định hoặc hiệu chuẩn",
            "điểm a khoản 2 Điều 9 Nghị định số 119/2017/NĐ-CP",
            "Cơ sở xin khắc phục ngay.",
            "Cơ sở vi phạm về kiểm định phương tiện đo.",
            "ĐẠI DIỆN CƠ SỞ ĐƯỢC KIỂM TRA",
            "TRƯỞNG ĐOÀN KIỂM TRA",
            "CÁC THÀNH VIÊN ĐOÀN KIỂM TRA",
        ],
    )


def test_a_draft_sampling_record_leaves_blanks_for_what_the_data_lacks(case, finding, tmp_path):
    view = draft_view(case, "sampling-record", on=ON)
    texts = _both(view, tmp_path, "sampling-record-draft")
    _assert_all(
        texts,
        [
            *HEADING,
            "DỰ THẢO",
            "Số: ……/BB-LM",
            "BIÊN BẢN LẤY MẪU",
            "Xăng RON 95-III",
            "M-2026-017",
            "QCVN 1:2022/BKHCN",
            "Trung tâm Kỹ thuật TĐC 3, 13/11/2026",
            "Niêm phong bằng tem của Đoàn",
            "Số niêm phong",
            "Lượng hàng tồn khi lấy mẫu",
            "Hóa đơn, chứng từ",
            "ĐẠI DIỆN CƠ SỞ ĐƯỢC LẤY MẪU",
            "TRƯỞNG ĐOÀN KIỂM TRA",
        ],
    )
    for text in texts:
        assert "……………………" in text  # the seal number, the stock and the invoices: to fill by hand


def test_a_draft_violation_record_has_every_element_of_article_58(case, finding, tmp_path):
    view = draft_view(
        case,
        "violation-record",
        finding,
        on=ON,
        texts={
            "witnesses": "Ông Võ Văn Chứng, cán bộ UBND phường",
            "statement": "Tôi xin chấp hành.",
            "copies": 2,
        },
    )
    texts = _both(view, tmp_path, "violation-record-draft")
    _assert_all(
        texts,
        [
            *HEADING,
            "Mẫu MBB01",
            "DỰ THẢO",
            "Số: ……/BB-VPHC",
            "BIÊN BẢN VI PHẠM HÀNH CHÍNH",
            "Hôm nay, hồi",
            "45 Lê Lợi",
            *(f"Căn cứ {line}" for line in view["legal_bases"]),
            "Người có thẩm quyền lập biên bản",
            "Nguyễn Văn Kiểm",
            "Ông Võ Văn Chứng, cán bộ UBND phường",
            "Tiến hành lập biên bản vi phạm hành chính đối với tổ chức",
            "Công ty TNHH Xăng dầu Kiên Lương",
            "1700123456",
            "Người đại diện theo pháp luật: Phạm Văn Đại",
            "Bán phương tiện đo nhóm 2 chưa kiểm định hoặc hiệu chuẩn",
            "Quy định tại: điểm a khoản 2 Điều 9 Nghị định số 119/2017/NĐ-CP",
            "Tôi xin chấp hành.",
            "biện pháp ngăn chặn",
            "quyền giải trình",
            "05 ngày làm việc",
            "được lập thành 2 bản",
            "không ký biên bản",
            "ĐẠI DIỆN TỔ CHỨC VI PHẠM",
            "NGƯỜI LẬP BIÊN BẢN",
            "NGƯỜI CHỨNG KIẾN",
            "ĐẠI DIỆN CHÍNH QUYỀN CẤP XÃ",
        ],
    )


def test_a_draft_sanction_decision_writes_the_fine_in_figures_and_words(case, finding, tmp_path):
    view = draft_view(case, "sanction-decision", finding, on=ON)
    assert view["fine_words"] == "Bảy triệu năm trăm nghìn đồng"
    texts = _both(view, tmp_path, "sanction-decision-draft")
    _assert_all(
        texts,
        [
            *HEADING,
            "Mẫu MQĐ02",
            "DỰ THẢO",
            "Số: ……/QĐ-XPHC",
            "QUYẾT ĐỊNH",
            "Xử phạt vi phạm hành chính",
            *(f"Căn cứ {line}" for line in view["legal_bases"]),
            "Căn cứ Biên bản vi phạm hành chính số ……/BB-VPHC",
            "Điều 1.",
            "Công ty TNHH Xăng dầu Kiên Lương",
            "Bán phương tiện đo nhóm 2 chưa kiểm định hoặc hiệu chuẩn",
            "Quy định tại: điểm a khoản 2 Điều 9 Nghị định số 119/2017/NĐ-CP",
            "tình tiết tăng nặng",
            "tình tiết giảm nhẹ",
            "7.500.000 đồng",
            "Bảy triệu năm trăm nghìn đồng",
            "Buộc kiểm định lại cột đo trước khi sử dụng",
            "20/12/2026",
            "Điều 2.",
            "Điều 3.",
            "Trong thời hạn 10 ngày",
            "khiếu nại hoặc khởi kiện",
            "Nơi nhận:",
            "NGƯỜI NHẬN QUYẾT ĐỊNH",
        ],
    )
    for text in texts:  # no treasury account is configured: a dotted line, never an invented account
        assert "nộp tiền phạt vào tài khoản số ……………………" in text


# --- issued documents --------------------------------------------------------------------------------


def _issued(case, people, doc_type, finding=None, texts=None):
    doc = register.start_draft(case, doc_type, people["manager"], finding, today=ON)
    if texts:
        register.update_draft_text(doc, people["manager"], texts, doc.version)
    return register.issue(doc, people["manager"], "Lê Văn Trưởng", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", on=ON)


def test_an_issued_document_prints_its_number_and_date_and_no_draft_mark(case, finding, people, tmp_path):
    record = _issued(case, people, "violation-record", finding, {"copies": 3})
    decision = _issued(case, people, "sanction-decision", finding)
    view = document_view(decision)
    assert not view["draft"] and view["number"] == decision.number
    texts = _both(view, tmp_path, "sanction-decision-issued")
    _assert_all(
        texts,
        [
            *HEADING,
            f"Số: {decision.number}",
            "An Giang, ngày 13 tháng 11 năm 2026",
            "KT. GIÁM ĐỐC",
            "PHÓ GIÁM ĐỐC",
            "Lê Văn Trưởng",
            "7.500.000 đồng",
            "Bảy triệu năm trăm nghìn đồng",
            f"Căn cứ Biên bản vi phạm hành chính số {record.number} lập ngày 13/11/2026",
        ],
    )
    for text in texts:
        assert "DỰ THẢO" not in text
    record_texts = _both(document_view(record), tmp_path, "violation-record-issued")
    _assert_all(record_texts, [f"Số: {record.number}", "được lập thành 3 bản"])
    for text in record_texts:
        assert "DỰ THẢO" not in text


def test_an_issued_document_prints_the_same_after_its_case_is_edited(case, finding, people):
    doc = _issued(case, people, "inspection-record")
    before = document_html(document_view(doc))
    pdf_before = document_pdf(document_view(doc))
    case.establishment.name = "Tên đã đổi"
    case.goods[0].name = "Hàng khác"
    db.session.flush()
    after = document_html(document_view(doc))
    assert after == before and "Tên đã đổi" not in after and "Mũ bảo hiểm Sơn Hà" in after
    assert document_pdf(document_view(doc)) == pdf_before  # printing it again gives the same file
    assert "Tên đã đổi" in document_html(draft_view(case, "inspection-record", on=ON))


def test_a_draft_without_a_template_in_force_still_renders(case, finding, tmp_path):
    view = draft_view(case, "sanction-decision", finding, on=dt.date(2025, 1, 1))
    assert view["legal_bases"] == [] and view["title_main"] == "QUYẾT ĐỊNH"
    texts = _both(view, tmp_path, "sanction-decision-no-template")
    _assert_all(texts, ["QUYẾT ĐỊNH", "Xử phạt vi phạm hành chính", "Số: ……/QĐ-XPHC", "DỰ THẢO"])


def test_every_type_renders_a_pdf_of_a_case_with_nothing_recorded(people, tmp_path):
    """A bare case: every part the data lacks is a dotted blank, nothing fails."""
    bare = factories.case(people["leader"], "inspection")
    violation = db.session.scalar(select(Violation).where(Violation.code == "CL-LT-01"))
    found = Finding(
        case_id=bare.id, violation_id=violation.id, offender_type="individual", status="confirmed"
    )
    db.session.add(found)
    db.session.flush()
    db.session.refresh(bare)
    for kind in DocumentType:
        view = draft_view(bare, kind, found if kind.per_finding else None, on=ON)
        pdf = document_pdf(view)
        assert pdf.startswith(b"%PDF")
        text = _docx_text(document_docx(view))
        assert "……………………" in text
        if kind == DocumentType.VIOLATION_RECORD:  # an individual offender, not an organisation
            assert "vi phạm hành chính đối với ông (bà) có tên sau đây" in text
            assert "Số định danh cá nhân" in text and "Tên tổ chức" not in text
    assert shutil.which("pdftotext")
