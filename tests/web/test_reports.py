"""The annual report's pages, downloads and CLI: who may do what, errors beside the field, revisions."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from cases.db import db
from cases.reporting import annual_report as ar
from tests import report_support as rs


@pytest.fixture
def data(app, make_user):
    with app.app_context():
        return rs.build(make_user(role="inspector")).inspector.id


@pytest.fixture
def manager(make_user):
    return make_user("quanly", role="manager", full_name="Trần Thị Quản Lý")


def _text(**overrides):
    values = {
        "number_symbol": "12/BC-SKHCN",
        "report_date": "05/11/2026",
        "signer_authority": "KT. GIÁM ĐỐC",
        "signer_title": "PHÓ GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn Giám Đốc",
        "recipients": "Bộ Khoa học và Công nghệ;\nLưu: VT, TĐC.",
        "overall_assessment": "Đánh giá chung năm 2026.",
        "group_1": "Hai chương trình truyền thông.",
        "group_2": "Hỗ trợ 10 doanh nghiệp.",
        "group_3": "Một lớp tập huấn.",
        "group_4": "",
        "group_4_none": "y",
        "group_5": "Kiểm tra xăng dầu.",
        "group_6": "",
        "group_6_none": "y",
        "limitations": "Lực lượng còn mỏng.",
        "directions": "Tiếp tục kiểm tra xăng dầu.",
        "recommendations": "",
        "recommendations_none": "y",
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    ("role", "page", "write"),
    [("inspector", 403, 403), ("liaison", 403, 403), ("admin", 200, 403), ("manager", 200, 302)],
)
def test_who_may_read_and_write(client, make_user, login, role, page, write):
    user = make_user(f"nguoi-{role}", role=role, communes=("30742",) if role == "liaison" else ())
    login(user)
    assert client.get("/reports/annual/2026").status_code == page
    assert client.get("/reports/annual/2026/report.xlsx").status_code == page
    assert client.post("/reports/annual/2026/text", data=_text()).status_code == write
    assert client.post("/reports/annual/2026/finalise").status_code in ({403} if write == 403 else {302})


def test_anonymous_is_sent_to_login(client):
    response = client.get("/reports/annual/2026")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_years_and_revisions_that_do_not_exist(client, manager, login):
    login(manager)
    assert client.get("/reports/annual/1999").status_code == 404
    assert client.get("/reports/annual/2099/report.pdf").status_code == 404
    assert client.get("/reports/annual/2026?revision=7").status_code == 404


def test_a_bad_field_comes_back_beside_it_with_the_rest_kept(client, data, manager, login):
    login(manager)
    response = client.post(
        "/reports/annual/2026/text", data=_text(number_symbol="số mười hai", report_date="31/02/2026")
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="number_symbol-error"[^>]*>[^<]*Nghị định 30/2020', html) or re.search(
        r'id="report_date-error"', html
    )
    assert "Đánh giá chung năm 2026." in html  # what was typed is still there
    assert "Nguyễn Văn Giám Đốc" in html
    response = client.post("/reports/annual/2026/text", data=_text(number_symbol="số mười hai"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="number_symbol-error"[^>]*>[^<]*Nghị định 30/2020', html)
    assert 'value="số mười hai"' in html


def test_save_finalise_revise_supersede(app, client, data, manager, login):
    login(manager)
    response = client.post("/reports/annual/2026/text", data=_text())
    assert response.status_code == 302
    page = client.get("/reports/annual/2026").get_data(as_text=True)
    assert "Bản lần 1, đang soạn" in page
    with app.app_context():
        version = ar.draft_of(2026).version
    assert client.post("/reports/annual/2026/finalise", data={"version": version}).status_code == 302
    page = client.get("/reports/annual/2026").get_data(as_text=True)
    assert "Đã chốt" in page and 'data-testid="report-text-form"' not in page
    # a finalised report cannot be written to
    client.post("/reports/annual/2026/text", data=_text(overall_assessment="Sửa lén"))
    with app.app_context():
        assert ar.final_of(2026).overall_assessment == "Đánh giá chung năm 2026."
    # a new revision needs a reason, then supersedes the first once finalised
    client.post("/reports/annual/2026/revise", data={"reason": ""})
    with app.app_context():
        assert ar.draft_of(2026) is None
    client.post("/reports/annual/2026/revise", data={"reason": "Bổ sung số liệu tháng 11"})
    with app.app_context():
        draft = ar.draft_of(2026)
        assert draft.revision == 2
    client.post("/reports/annual/2026/text", data=_text(number_symbol="15/BC-SKHCN", version=draft.version))
    with app.app_context():
        version = ar.draft_of(2026).version
    client.post("/reports/annual/2026/finalise", data={"version": version})
    with app.app_context():
        assert [(r.revision, r.status) for r in ar.revisions(2026)] == [(2, "final"), (1, "superseded")]
    first = client.get("/reports/annual/2026/report.xlsx?revision=1")
    assert 'filename="bao-cao-ke-hoach-345-nam-2026-lan-1.xlsx"' in first.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(first.data))
    assert "lần 1" in book["KiemTra"]["A2"].value


def test_a_finalised_download_keeps_its_figures_after_a_case_changes(app, client, data, manager, login):
    login(manager)
    client.post("/reports/annual/2026/text", data=_text())
    with app.app_context():
        version = ar.draft_of(2026).version
    client.post("/reports/annual/2026/finalise", data={"version": version})
    before = load_workbook(io.BytesIO(client.get("/reports/annual/2026/report.xlsx").data))
    with app.app_context():
        from cases.models import Case

        for case in db.session.query(Case).filter(Case.status == "approved"):
            case.status = "cancelled"
        db.session.commit()
    after = load_workbook(io.BytesIO(client.get("/reports/annual/2026/report.xlsx").data))
    rows = lambda book: [r for r in book["KiemTra"].iter_rows(min_row=3, values_only=True)]  # noqa: E731
    assert rows(after) == rows(before)


def test_cli_writes_the_final_report_or_says_it_is_live(app, runner, data, manager, tmp_path):
    out = tmp_path / "bc.xlsx"
    result = runner.invoke(args=["report", "annual", "--year", "2026", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "live figures" in result.output and "not finalised" in result.output
    assert load_workbook(out).sheetnames[0] == "KiemTra"
    with app.app_context():
        from cases.models import User

        report = ar.start_draft(2026, db.session.get(User, manager.id))
        text = ar.ReportText.of(report)
        text.report_date = __import__("datetime").date(2026, 11, 5)
        text.number_symbol, text.signer_name, text.overall_assessment = "12/BC-SKHCN", "Nguyễn Văn A", "Tốt."
        ar.save_text(report, rs.complete_narrative(text), db.session.get(User, manager.id))
        ar.finalise(report, db.session.get(User, manager.id))
        db.session.commit()
    pdf = tmp_path / "bc.pdf"
    result = runner.invoke(args=["report", "annual", "--year", "2026", "--output", str(pdf)])
    assert result.exit_code == 0, result.output
    assert "finalised report, revision 1" in result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    bad = runner.invoke(args=["report", "annual", "--year", "2026", "--output", str(tmp_path / "x.doc")])
    assert bad.exit_code != 0 and ".pdf or .xlsx" in bad.output


def _finalise(app, client):
    with app.app_context():
        version = ar.draft_of(2026).version
    return client.post("/reports/annual/2026/finalise", data={"version": version}, follow_redirects=True)


def test_finalising_an_unfinished_report_is_refused_naming_everything_missing(
    app, client, data, manager, login
):
    """Issue 14, item 4: the draft keeps its placeholder number and leaves sections blank; the page lists
    each missing thing, and finalising is refused with all of them named at once."""
    login(manager)
    blank = {"group_1": "", "group_2": "", "group_3": "", "limitations": "", "directions": ""}
    client.post("/reports/annual/2026/text", data=_text(number_symbol="…/BC-SKHCN", **blank))
    page = client.get("/reports/annual/2026").get_data(as_text=True)
    card = page[page.index('data-testid="finalise-missing"') : page.index('data-testid="finalise"')]
    for words in (
        "số của báo cáo (“…/BC-SKHCN” chưa có số)",
        "mục 2.1 (Nhóm nhiệm vụ 1: nâng cao nhận thức)",
        "mục 2.2 (Nhóm nhiệm vụ 2: cơ chế, chính sách, hỗ trợ doanh nghiệp)",
        "mục 2.3 (Nhóm nhiệm vụ 3: tổ chức, nguồn nhân lực)",
        "mục II (Tồn tại, hạn chế và nguyên nhân)",
        "mục III (Phương hướng, nhiệm vụ năm sau)",
    ):
        assert words in card, words
    for written in ("2.4", "2.5", "2.6", "mục IV", "mục I.1"):  # written or marked "nothing to report"
        assert written not in card, written
    response = _finalise(app, client)
    html = response.get_data(as_text=True)
    assert "Trước khi chốt báo cáo, cần điền: số của báo cáo" in html
    for section in ("mục 2.1", "mục 2.2", "mục 2.3", "mục II (", "mục III ("):
        assert section in html.split("Trước khi chốt báo cáo, cần điền:")[1].split("</div>")[0], section
    with app.app_context():
        assert ar.final_of(2026) is None and ar.draft_of(2026).snapshot is None


def test_a_complete_report_with_sections_marked_nothing_to_report_is_finalised(
    app, client, data, manager, login
):
    login(manager)
    client.post("/reports/annual/2026/text", data=_text())
    page = client.get("/reports/annual/2026").get_data(as_text=True)
    assert 'data-testid="finalise-missing"' not in page
    assert re.search(
        r'<input[^>]*checked[^>]*id="group_6_none"|<input[^>]*id="group_6_none"[^>]*checked', page
    )
    html = _finalise(app, client).get_data(as_text=True)
    assert "Đã chốt" in html
    # the finalised page says it in words, as the PDF does
    assert "Trong năm 2026, nhóm nhiệm vụ này không có nội dung cần báo cáo." in html
    assert "Không có kiến nghị, đề xuất." in html
    with app.app_context():
        assert ar.final_of(2026).snapshot["text"]["nothing_to_report"] == [
            "group_4",
            "group_6",
            "recommendations",
        ]


def test_a_section_written_and_marked_is_refused_beside_each_tick(app, client, data, manager, login):
    login(manager)
    response = client.post(
        "/reports/annual/2026/text",
        data=_text(
            group_4="Đã đầu tư 2 tỷ đồng.", recommendations="Đề nghị hỗ trợ.", report_date="31/02/2026"
        ),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for tick in ("group_4_none", "recommendations_none"):
        assert re.search(rf'id="{tick}-error"[^>]*>[^<]*Mục này đã có nội dung', html), tick
    assert re.search(r'id="report_date-error"', html)  # every error at once
    assert "Đã đầu tư 2 tỷ đồng." in html and "Đề nghị hỗ trợ." in html  # what was typed is kept
    with app.app_context():
        assert ar.draft_of(2026) is None


def test_cli_finalise_refuses_like_the_page_then_finalises(app, runner, data, manager, tmp_path):
    with app.app_context():
        from cases.models import User

        report = ar.start_draft(2026, db.session.get(User, manager.id))
        db.session.commit()
    out = tmp_path / "draft.pdf"
    result = runner.invoke(args=["report", "annual", "--year", "2026", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "DRAFT revision 1" in result.output
    assert "the report's number (…/BC-SKHCN is not numbered yet)" in result.output
    assert "section 2.6 (Task group 6: international integration)" in result.output
    result = runner.invoke(args=["report", "finalise", "--year", "2026", "--as", "quanly"])
    assert result.exit_code == 1
    for words in ("the report's number", "date of the report", "signer's name", "section I.1", "section IV"):
        assert words in result.output, words
    with app.app_context():
        report = ar.draft_of(2026)
        text = ar.ReportText.of(report)
        text.number_symbol, text.signer_name = "12/BC-SKHCN", "Nguyễn Văn A"
        text.report_date = __import__("datetime").date(2026, 11, 5)
        ar.save_text(report, rs.complete_narrative(text), db.session.get(User, manager.id))
        db.session.commit()
    result = runner.invoke(args=["report", "finalise", "--year", "2026", "--as", "quanly"])
    assert result.exit_code == 0, result.output
    assert "is finalised" in result.output
    with app.app_context():
        assert ar.final_of(2026).revision == 1
    inspector = runner.invoke(args=["report", "finalise", "--year", "2026", "--as", "nobody"])
    assert inspector.exit_code != 0 and "No active account" in inspector.output
