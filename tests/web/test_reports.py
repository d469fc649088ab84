"""The annual report's pages, downloads and CLI: who may do what, errors beside the field, revisions."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from cases import annual_report as ar
from cases.db import db
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
        "group_5": "Kiểm tra xăng dầu.",
        "limitations": "",
        "directions": "",
        "recommendations": "",
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
        ar.save_text(report, text, db.session.get(User, manager.id))
        ar.finalise(report, db.session.get(User, manager.id))
        db.session.commit()
    pdf = tmp_path / "bc.pdf"
    result = runner.invoke(args=["report", "annual", "--year", "2026", "--output", str(pdf)])
    assert result.exit_code == 0, result.output
    assert "finalised report, revision 1" in result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    bad = runner.invoke(args=["report", "annual", "--year", "2026", "--output", str(tmp_path / "x.doc")])
    assert bad.exit_code != 0 and ".pdf or .xlsx" in bad.output
