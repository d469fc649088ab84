"""The whole review loop in a desktop browser: an inspector submits, a manager returns it with a note, the
inspector corrects and resubmits, the manager decides both findings, approves, records the fine paid and
closes; the case page's history shows every step, and the case page prints to a PDF with the case number and
the closed status."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

from playwright.sync_api import Page, expect

from cases.db import db
from cases.models import Finding, User
from tests import factories
from tests.case_items_support import violation
from tests.conftest import TEST_PASSWORD

RETURN_NOTE = "Bổ sung số lượng hàng vi phạm vào kết luận."
DISMISS_REASON = "Nhãn phụ đã được bổ sung trước khi lưu thông."


def _sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Xin chào")


def _sign_out(page: Page) -> None:
    page.get_by_test_id("current-user").click()  # signing out is in the user menu
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/login"))


def _draft_inspection(app, inspector_id: int) -> tuple[int, str, int, int]:
    with app.app_context():
        inspector = db.session.get(User, inspector_id)
        case = factories.case(
            inspector,
            "inspection",
            decision_number="15/QĐ-SKHCN",
            decision_date=dt.date(2026, 3, 1),
            start_date=dt.date(2026, 3, 10),
            end_date=dt.date(2026, 3, 12),
            conclusion="Cơ sở dùng mã số mã vạch chưa được cấp; hàng thiếu nhãn.",
        )
        found = []
        for code, fine in (("MV-02", 15_000_000), ("NH-01", 2_000_000)):
            finding = Finding(
                case_id=case.id,
                violation_id=violation(code).id,
                offender_type="organisation",
                status="proposed",
                proposed_fine_vnd=fine,
                created_by_id=inspector_id,
            )
            db.session.add(finding)
            found.append(finding)
        db.session.commit()
        return case.id, case.number, found[0].id, found[1].id


def test_inspection_goes_through_review_and_prints(app, page: Page, make_user, artifacts_dir):
    inspector = make_user("kiemtra1", "inspector")
    make_user("lanhdao1", "manager")
    case_id, number, mv02, nh01 = _draft_inspection(app, inspector.id)
    yesterday = (dt.date.today() - dt.timedelta(days=1)).strftime("%d/%m/%Y")

    # the inspector submits
    _sign_in(page, "kiemtra1")
    page.goto(f"/cases/{case_id}")
    expect(page.locator("[data-testid=missing-fields]")).to_have_count(0)
    page.locator("[data-testid=submit-case]").click()
    expect(page.locator("[data-testid=case-status]")).to_have_text("Đã gửi duyệt")
    _sign_out(page)

    # the manager finds it in the queue and returns it with a note
    _sign_in(page, "lanhdao1")
    page.goto("/review/")
    row = page.locator("[data-testid=queue-row]", has_text=number)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=number).click()
    expect(page.locator("[data-testid=case-number]")).to_have_text(number)
    expect(page.locator("[data-testid=review-finding]")).to_have_count(2)
    page.get_by_label("Ghi chú cho cán bộ kiểm tra (cần sửa gì)").fill(RETURN_NOTE)
    page.get_by_role("button", name="Trả lại cán bộ kiểm tra").click()
    expect(page.locator("[data-testid=review-queue]")).to_have_count(0)
    _sign_out(page)

    # the inspector sees the note on the home page and on the case, corrects the conclusion, resubmits
    _sign_in(page, "kiemtra1")
    expect(page.locator("[data-testid=my-open-cases] [data-testid=return-note]")).to_contain_text(RETURN_NOTE)
    page.locator("[data-testid=my-open-cases]").get_by_role("link", name=number).click()
    expect(page.locator("[data-testid=case-status]")).to_have_text("Bị trả lại")
    expect(page.locator("[data-testid=return-note]")).to_contain_text(RETURN_NOTE)
    page.locator(f"a[href='/cases/{case_id}/edit']").click()
    corrected = "Cơ sở dùng mã số mã vạch chưa được cấp cho 120 sản phẩm; 40 sản phẩm thiếu nhãn."
    page.fill("#conclusion", corrected)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("[data-testid=case-number]")).to_have_text(number)
    expect(page.locator("main")).to_contain_text("120 sản phẩm")
    page.locator("[data-testid=submit-case]").click()
    expect(page.locator("[data-testid=case-status]")).to_have_text("Đã gửi duyệt")
    _sign_out(page)

    # the manager confirms MV-02 with a fine, dismisses NH-01, approves and closes
    _sign_in(page, "lanhdao1")
    page.goto("/review/")
    page.locator("[data-testid=queue-row]", has_text=number).get_by_role("link", name=number).click()
    first = page.locator(f"#finding-{mv02}")
    expect(first.locator("[data-testid=catalog-range]")).to_contain_text("12.000.000")
    page.select_option(f"#d{mv02}-sanction_form", "fine")
    page.fill(f"#d{mv02}-decision_number", "12/QĐ-XPHC")
    page.fill(f"#d{mv02}-decision_date", yesterday)
    page.fill(f"#d{mv02}-fine_vnd", "15.000.000")
    first.get_by_role("button", name="Xác nhận với hình thức xử phạt này").click()
    expect(first.locator("[data-testid=decided-fine]")).to_contain_text("15.000.000")
    second = page.locator(f"#finding-{nh01}")
    page.fill(f"#d{nh01}-reason", DISMISS_REASON)
    second.get_by_role("button", name="Bác bỏ", exact=True).click()
    expect(second.locator("[data-testid=finding-decision]")).to_contain_text(DISMISS_REASON)
    page.locator("[data-testid=approve-case]").click()
    expect(page.locator("[data-testid=review-queue], [data-testid=empty-state]").first).to_be_visible()
    # the fine is paid: the case closes in one click (an unpaid fine would ask why it is closed)
    page.goto(f"/review/{case_id}")
    page.fill(f"#p{mv02}-fine_paid_on", dt.date.today().strftime("%d/%m/%Y"))
    page.locator(f"#finding-{mv02}").get_by_role("button", name="Lưu các ngày").click()
    expect(page.locator(f"#p{mv02}-fine_paid_on")).to_have_value(dt.date.today().strftime("%d/%m/%Y"))
    page.goto(f"/cases/{case_id}")
    expect(page.locator("[data-testid=case-status]")).to_have_text("Đã duyệt")
    expect(page.get_by_test_id("unsettled")).to_have_count(0)
    page.locator("[data-testid=close-case]").click()
    expect(page.locator("[data-testid=case-status]")).to_have_text("Đã kết thúc")

    # the history, newest first: every step, with the note and the dismissal reason
    entries = page.locator("[data-testid=timeline-entry]")
    headings = [t.strip() for t in entries.locator("strong").all_inner_texts()]
    steps = [
        "Gửi duyệt",  # submitted
        "Trả lại cán bộ kiểm tra",  # returned
        "Chỉnh sửa",  # the conclusion corrected
        "Gửi duyệt",  # resubmitted
        "Đã xác nhận vi phạm",
        "Đã bác bỏ vi phạm",
        "Đã duyệt",
        "Đã kết thúc",
    ]
    in_order = [h for h in reversed(headings) if h in steps]
    assert in_order == steps, headings
    returned = entries.filter(has_text="Trả lại cán bộ kiểm tra")
    expect(returned).to_contain_text(RETURN_NOTE)
    expect(entries.filter(has_text="Đã bác bỏ vi phạm")).to_contain_text(DISMISS_REASON)
    page.screenshot(path=str(artifacts_dir / "review-loop-closed.png"), full_page=True)

    # the record printed to PDF, then to PNG pages
    pdf = artifacts_dir / "inspection-record.pdf"
    for old in artifacts_dir.glob("inspection-record-*.png"):
        old.unlink()
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4", print_background=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(artifacts_dir / "inspection-record")],
        check=True,
        timeout=60,
    )
    pages = sorted(artifacts_dir.glob("inspection-record-*.png"))
    assert pages, "pdftoppm produced no page"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    assert number in text
    assert "Đã kết thúc" in text
