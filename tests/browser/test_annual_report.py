"""The annual report in a desktop browser: a manager records an activity (it completes task 2.2), writes the
narrative (quoting a figure), previews the PDF, finalises, downloads the PDF and the workbook; the finalised
page no longer offers the editor."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests import report_support as rs
from tests.conftest import TEST_PASSWORD


def _sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Xin chào")


def test_manager_writes_previews_finalises_and_downloads(app, page: Page, make_user, artifacts_dir, tmp_path):
    with app.app_context():
        rs.build(make_user(role="inspector"))
    make_user("quanly", role="manager", full_name="Trần Thị Quản Lý")
    _sign_in(page, "quanly")

    # the manager records the activity that completes task 2.2 (6 enterprises supported so far, target 10)
    page.goto("/activities/")
    page.get_by_test_id("new-activity").click()
    page.wait_for_url("**/activities/new**")
    page.wait_for_load_state("load")  # the form's script must be listening before the task is chosen
    page.locator("#task_code").select_option("2.2")
    page.locator("#activity_type").select_option("enterprise_support")
    page.locator("#title").fill("Hỗ trợ 4 doanh nghiệp áp dụng ISO 9001")
    page.locator("#held_on").fill("01/10/2026")
    page.locator("#quantity").fill("4")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_contain_text("Hỗ trợ 4 doanh nghiệp")

    page.get_by_role("link", name="Báo cáo năm").click()
    page.goto(re.sub(r"/reports/annual/\d+", "/reports/annual/2026", page.url))
    expect(page.locator("h1")).to_contain_text("2026")
    expect(page.get_by_test_id("report-status")).to_contain_text("Chưa lập")
    task_22 = page.locator(
        "#tab-plan tr", has_text="Tiếp tục triển khai các Chương trình hỗ trợ doanh nghiệp"
    )
    expect(task_22).to_contain_text("10")
    expect(task_22).to_contain_text("Đạt")
    page.get_by_role("tab", name="Thanh tra, kiểm tra (5.2)").click()
    expect(page.get_by_test_id("not-reviewed")).to_contain_text("3 vụ việc")
    expect(page.locator("#tab-cases")).to_have_class(re.compile(r"\bshow\b"))
    page.wait_for_timeout(300)  # the tab's fade-in, for the screenshot
    page.screenshot(path=str(artifacts_dir / "annual-report-figures.png"), full_page=True)

    # the narrative, with a figure quoted from the side panel
    page.get_by_test_id("tab-narrative").click()
    page.fill("#number_symbol", "12/BC-SKHCN")
    page.fill("#report_date", "05/11/2026")
    page.fill("#signer_name", "Nguyễn Văn Giám Đốc")
    page.fill("#overall_assessment", "Năm 2026, Sở đã triển khai đầy đủ các nhiệm vụ; ")
    page.locator("#overall_assessment").click()
    page.locator("[data-quote]").first.click()
    expect(page.locator("#overall_assessment")).to_have_value(re.compile(r"7 vụ việc được tính"))
    page.fill("#group_5", "Tập trung kiểm tra xăng dầu và thương mại điện tử.")
    page.get_by_test_id("save-text").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu")
    expect(page.get_by_test_id("report-status")).to_contain_text("Bản lần 1, đang soạn")

    # preview: a PDF that says it is a draft
    preview = page.request.get(page.get_by_test_id("preview-pdf").get_attribute("href"))
    assert preview.headers["content-type"] == "application/pdf"
    draft_pdf = tmp_path / "draft.pdf"
    draft_pdf.write_bytes(preview.body())
    draft_text = subprocess.run(["pdftotext", str(draft_pdf), "-"], capture_output=True, text=True).stdout
    assert "DỰ THẢO" in draft_text and "7 vụ việc được tính" in draft_text

    # not finalisable yet: the page names what is missing, the button is disabled (issue 14, item 4)
    page.get_by_test_id("tab-narrative").click()
    missing = page.get_by_test_id("finalise-missing")
    for words in ("mục 2.1", "mục 2.6", "mục II (", "mục III (", "mục IV ("):
        expect(missing).to_contain_text(words)
    expect(missing).not_to_contain_text("mục 2.5")
    expect(page.get_by_test_id("finalise")).to_be_disabled()
    missing.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "annual-report-missing.png"))
    for section, words in (
        ("1", "Hai chương trình truyền thông."),
        ("2", "Hỗ trợ 4 doanh nghiệp áp dụng ISO 9001."),
        ("3", "Một lớp tập huấn đo lường."),
    ):
        page.get_by_label(re.compile(rf"^Nhóm nhiệm vụ {section}:")).fill(words)
    for section in ("4", "6"):
        page.get_by_test_id(f"section-group_{section}").get_by_label("Không có nội dung cần báo cáo").check()
    page.get_by_label("Tồn tại, hạn chế và nguyên nhân").fill("Lực lượng kiểm tra còn mỏng.")
    page.get_by_label("Phương hướng, nhiệm vụ năm sau").fill("Tiếp tục kiểm tra xăng dầu.")
    page.get_by_test_id("section-recommendations").get_by_label("Không có nội dung cần báo cáo").check()
    page.get_by_test_id("save-text").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu")
    page.get_by_test_id("tab-narrative").click()
    expect(page.get_by_test_id("finalise-missing")).to_have_count(0)
    expect(page.get_by_test_id("finalise")).to_be_enabled()

    # finalise (the page asks for confirmation)
    page.screenshot(path=str(artifacts_dir / "annual-report-narrative.png"), full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("finalise").click()
    expect(page.locator(".alert-success")).to_contain_text("đã được chốt")
    expect(page.get_by_test_id("report-status")).to_contain_text("Đã chốt")
    page.get_by_test_id("tab-narrative").click()
    expect(page.get_by_test_id("report-text-form")).to_have_count(0)

    # making a PDF takes seconds on a busy machine: do not let the click's own timeout decide
    with page.expect_download(timeout=120_000) as info:
        page.get_by_test_id("download-pdf").click(no_wait_after=True)
    download = info.value
    assert download.suggested_filename == "bao-cao-ke-hoach-345-nam-2026-lan-1.pdf"
    final_pdf = tmp_path / "final.pdf"
    download.save_as(final_pdf)
    text = subprocess.run(["pdftotext", str(final_pdf), "-"], capture_output=True, text=True).stdout
    assert "Số: 12/BC-SKHCN" in text and "DỰ THẢO" not in text and "Nguyễn Văn Giám Đốc" in text
    assert "(chưa viết)" not in text and "Không có kiến nghị, đề xuất." in text

    with page.expect_download(timeout=60_000) as info:
        page.get_by_test_id("download-xlsx").click(no_wait_after=True)
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert "KeHoach" in book.sheetnames
    page.screenshot(path=str(artifacts_dir / "annual-report-final.png"), full_page=True)
