"""From a case to an issued, signed document, through the pages (issue 17).

On site, the team leader opens the case, starts the inspection record, writes the establishment's
statement and the number of copies (a wrong number first: the message beside the field, the texts kept),
previews it (a PDF marked DỰ THẢO, without a number), issues it (a number from the register), prints it
(the number, no DỰ THẢO) and attaches the photo of the copy the representative signed. At the office the
manager drafts the sanction decision of the confirmed finding, issues it under the Director's name, and
finds both in the register, filtered by type, and in its Excel export.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path

import openpyxl
from playwright.sync_api import expect

from cases.db import db
from cases.models import User
from tests import document_support
from tests.browser.journeys import people
from tests.browser.journeys import support as s

LEADER = ("truongdoan.nam", "Võ Hoài Nam")
MEMBER = ("kiemtra.thu", "Đặng Minh Thư")
MANAGER = ("lanhdao.an", "Huỳnh Văn An")


def _prepare(app, make_user) -> str:
    leader = people.person(make_user, LEADER[0], "inspector", LEADER[1])
    member = people.person(make_user, MEMBER[0], "inspector", MEMBER[1])
    people.person(make_user, MANAGER[0], "manager", MANAGER[1])
    with app.app_context():
        team = [db.session.get(User, leader.id), db.session.get(User, member.id)]
        case = document_support.realistic_case(*team)
        document_support.confirmed_finding(case)
        db.session.commit()
        return case.number


def _pdf_text(user: s.UserBrowser, link: str) -> str:
    """The text of the PDF a link of the page gives (fetched with the user's own session)."""
    href = user.page.get_by_role("link", name=link).get_attribute("href")
    assert href
    response = user.context.request.get(href, timeout=60_000)  # the first PDF loads WeasyPrint
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(response.body())
        fh.flush()
        return subprocess.run(
            ["pdftotext", "-layout", fh.name, "-"], check=True, capture_output=True, text=True, timeout=60
        ).stdout


def _open_case(user: s.UserBrowser, number: str) -> None:
    page = user.page
    user.nav("Hồ sơ")
    user.see("case list")
    user.tap(page.get_by_role("link", name=number).first)
    expect(page.get_by_test_id("case-number")).to_have_text(number)
    user.see("case page")


def test_from_a_case_to_an_issued_signed_record(journey, app, make_user, artifacts):
    number = _prepare(app, make_user)

    # --- on site: the team leader's inspection record ----------------------------------------------------
    leader = journey.sign_in("leader", LEADER[0])
    page = leader.page
    _open_case(leader, number)
    documents = page.get_by_test_id("case-documents")
    documents.get_by_label("Văn bản cần lập").select_option(label="Biên bản kiểm tra")
    leader.tap(documents.get_by_role("button", name="Lập dự thảo"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Biên bản kiểm tra")
    expect(page.get_by_test_id("document-status")).to_have_text("Dự thảo")
    leader.see("draft inspection record")

    statement = "Cơ sở thống nhất với kết quả kiểm tra, cam kết kiểm định lại cột đo trong 10 ngày."
    page.get_by_label("Ý kiến của người đại diện cơ sở").fill(statement)
    page.get_by_label("Số bản").fill("0")
    with leader.answer_expected(400):
        leader.tap(page.get_by_role("button", name="Lưu nội dung"))
        expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.get_by_label("Ý kiến của người đại diện cơ sở")).to_have_value(statement)
    expect(page.locator("#copies-error")).to_be_visible()
    leader.see("copies refused, texts kept")
    page.get_by_label("Số bản").fill("2")
    page.get_by_label("Thời điểm bắt đầu lập").fill("8h30")
    page.get_by_label("Thời điểm lập xong").fill("10:15")
    leader.tap(page.get_by_role("button", name="Lưu nội dung"))
    expect(page.get_by_text("Đã lưu nội dung dự thảo.")).to_be_visible()
    leader.see("texts saved")

    preview = _pdf_text(leader, "Xem trước (PDF)")
    assert "DỰ THẢO" in preview and "BIÊN BẢN KIỂM TRA" in preview
    assert "Công ty TNHH Xăng dầu Kiên Lương" in preview and "TS-88123" in preview
    assert "cam kết kiểm định lại cột đo" in preview
    assert "8 giờ 30 phút" in preview and "10 giờ 15 phút" in preview

    issue = s.section(page, "Ban hành")
    issue.get_by_label("Ngày văn bản").fill(s.vn_date(document_support.ON))
    expect(issue.get_by_label("Người ký").first).to_have_value(LEADER[1])
    leader.tap(issue.get_by_role("button", name="Ban hành văn bản"))
    expect(page.get_by_test_id("document-status")).to_have_text("Đã ban hành")
    record_number = page.get_by_test_id("document-number").inner_text().removeprefix("Số ").strip()
    assert re.fullmatch(r"\d+/BB-KT", record_number), record_number
    leader.see("record issued")

    printed = _pdf_text(leader, "In (PDF)")
    assert "DỰ THẢO" not in printed and record_number in printed and LEADER[1] in printed

    paper = s.section(page, "Bản giấy đã ký")
    paper.get_by_label("Bản quét hoặc ảnh chụp bản đã ký").set_input_files(
        s.photo("Biên bản kiểm tra đã ký", colour=(235, 235, 225))
    )
    leader.tap(paper.get_by_role("button", name="Đính kèm bản đã ký"))
    expect(page.get_by_test_id("document-signature")).to_have_text("Đã ký")
    leader.see("signed copy attached")

    # --- at the office: the manager's sanction decision --------------------------------------------------
    manager = journey.sign_in("manager", MANAGER[0])
    page = manager.page
    _open_case(manager, number)
    documents = page.get_by_test_id("case-documents")
    expect(documents.get_by_role("link", name="Biên bản kiểm tra")).to_be_visible()
    s.choose(documents.get_by_label("Văn bản cần lập"), "Quyết định xử phạt vi phạm hành chính")
    manager.tap(documents.get_by_role("button", name="Lập dự thảo"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Quyết định xử phạt vi phạm hành chính")
    manager.see("draft sanction decision")
    decision_text = _pdf_text(manager, "Xem trước (PDF)")
    assert "DỰ THẢO" in decision_text and "7.500.000" in decision_text

    issue = s.section(page, "Ban hành")
    issue.get_by_label("Người ký").first.fill("Nguyễn Thanh Bình")
    issue.get_by_label("Chức vụ người ký").fill("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC")
    manager.tap(issue.get_by_role("button", name="Ban hành văn bản"))
    expect(page.get_by_test_id("document-status")).to_have_text("Đã ban hành")
    decision_number = page.get_by_test_id("document-number").inner_text().removeprefix("Số ").strip()
    assert decision_number.endswith("/QĐ-XPHC"), decision_number
    manager.see("sanction decision issued")

    # --- the register ------------------------------------------------------------------------------------
    manager.nav("Văn bản")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sổ theo dõi văn bản")
    rows = page.get_by_test_id("register-row")
    expect(rows).to_have_count(2)
    manager.see("register")
    filters = page.get_by_test_id("register-filters")
    filters.get_by_label("Loại văn bản").select_option(label="Biên bản kiểm tra")
    manager.tap(filters.get_by_role("button", name="Lọc"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(record_number)
    expect(rows.first).to_contain_text("Đã ký")
    manager.see("register filtered")

    with page.expect_download() as info:
        manager.tap(page.get_by_role("link", name="Xuất Excel"))
    workbook_path = Path(artifacts) / "register.xlsx"
    info.value.save_as(workbook_path)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_path.read_bytes())).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Số văn bản"
    assert [row[0] for row in values[1:]] == [record_number]
