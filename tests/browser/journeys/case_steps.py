"""The steps the three case journeys share: the location, the evidence, submitting, the manager's return
and the inspector's correction, the review decisions, approval, payment, closing — and the figures read
before and after (dashboard, case list, annual report page, its PDF and its workbook)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.journeys import support as s
from tests.browser.journeys.browsing import UserBrowser

_IMAGE_LOADS = """img => img.complete && img.naturalWidth > 0 ? true : new Promise((done) => {
  img.addEventListener("load", () => done(img.naturalWidth > 0));
  img.addEventListener("error", () => done(false));
  if (img.complete) done(img.naturalWidth > 0);
})"""


# --- recording -------------------------------------------------------------------------------------------


def locate(user: UserBrowser, address: str, commune: str) -> None:
    """The location card: an old-format address (the commune suggested from it), then the GPS point."""
    page = user.page
    location = page.get_by_role("group", name="Địa điểm")
    location.get_by_label("Địa chỉ", exact=True).fill(address)
    user.tap(location.get_by_role("button", name="Gợi ý xã/phường từ địa chỉ"))
    expect(location.get_by_text("Xã/phường gợi ý:")).to_be_visible()
    expect(location.get_by_label(s.COMMUNE)).to_have_value(re.compile(r"\d+"))
    assert s.selected_text(location.get_by_label(s.COMMUNE)) == commune
    user.tap(location.get_by_role("button", name="Dùng vị trí của tôi"))
    expect(location.get_by_label("Vĩ độ")).to_have_value(re.compile(r"^10[.,]37"))
    expect(location.get_by_label("Kinh độ")).to_have_value(re.compile(r"^105[.,]43"))
    assert s.selected_text(location.get_by_label(s.COMMUNE)) == commune
    # issue 14 item 15: distances in the house format, "0,7 km"
    distance = location.get_by_text(re.compile(r"km tính từ trung tâm")).first
    expect(distance).to_be_visible()
    user.soft(
        "a distance in the house format (issue 14 item 15)",
        lambda: expect(distance).not_to_have_text(re.compile(r"\d\.\d+ km"), timeout=100),
    )


def save_case(user: UserBrowser, step: str) -> str:
    page = user.page
    user.tap(page.get_by_role("button", name=s.SAVE, exact=True))
    number = s.case_number(page)
    expect(page.get_by_role("alert").filter(has_text=number)).to_be_visible()
    user.see(step)
    return number


def add_item(user: UserBrowser, heading: str | re.Pattern[str], form_title: str) -> None:
    """The "+ Thêm" of one section of the case page, landing on the item's form."""
    page = user.page
    user.tap(s.section(page, heading).get_by_role("link", name="+ Thêm"))
    expect(page.get_by_role("heading", level=1)).to_have_text(form_title)


def save_item(user: UserBrowser, step: str) -> None:
    page = user.page
    user.see(step + " (form)")
    user.tap(page.get_by_role("button", name=s.SAVE, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^(KT|TMĐT|KS)-"))
    user.see(step)


def propose_finding(
    user: UserBrowser,
    code: str,
    offender: str,
    fine: str,
    goods: tuple[str, str, str, str] | None,
    remedies: str,
    step: str,
) -> None:
    page = user.page
    add_item(user, re.compile(r"^Vi phạm đề xuất"), "Đề xuất vi phạm")
    s.choose(page.get_by_label("Hành vi vi phạm"), f"{code} — ")
    expect(page.get_by_text("Khung phạt theo danh mục").first).to_be_visible()
    s.choose(page.get_by_label("Đối tượng vi phạm"), offender)
    page.get_by_label("Mức phạt đề xuất (đồng)").fill(fine)
    if goods:
        description, quantity, unit, value = goods
        page.get_by_label("Hàng hóa vi phạm").fill(description)
        page.get_by_label("Số lượng hàng hóa").fill(quantity)
        page.get_by_label("Đơn vị", exact=True).fill(unit)
        page.get_by_label("Giá trị hàng hóa (đồng)").fill(value)
    page.get_by_label("Biện pháp khắc phục đề xuất").fill(remedies)
    save_item(user, step)
    expect(s.section(page, re.compile(r"^Vi phạm đề xuất")).get_by_text(code, exact=True)).to_be_visible()


def upload_evidence(user: UserBrowser, caption: str, attach_to: str | None, note: str) -> None:
    page = user.page
    evidence = s.section(page, "Chứng cứ")
    evidence.get_by_label("Thêm ảnh hoặc tệp PDF").set_input_files(files=[s.photo(caption)])
    if attach_to:
        s.choose(evidence.get_by_label("Gắn với"), attach_to)
    evidence.get_by_label("Ghi chú").fill(note)
    user.tap(evidence.get_by_role("button", name="Tải lên"))
    evidence = s.section(page, "Chứng cứ")
    expect(evidence.get_by_role("img").first).to_be_visible()
    expect(evidence.get_by_text(note)).to_be_visible()
    thumbnail = evidence.get_by_role("img").first
    thumbnail.scroll_into_view_if_needed()
    assert thumbnail.evaluate(_IMAGE_LOADS), "the evidence thumbnail does not load"
    user.see("evidence uploaded")


def submit(user: UserBrowser, number: str, step: str) -> None:
    page = user.page
    expect(page.get_by_text("Trước khi gửi duyệt, hãy nhập")).to_have_count(0)
    user.tap(page.get_by_role("button", name=s.SUBMIT, exact=True))
    expect(page.get_by_role("alert").filter(has_text=f"Đã gửi duyệt hồ sơ {number}")).to_be_visible()
    s.expect_status(page, "Đã gửi duyệt")
    user.see(step)


# --- the manager's review --------------------------------------------------------------------------------


def open_from_queue(manager: UserBrowser, number: str, step: str) -> None:
    page = manager.page
    manager.nav(re.compile(r"^Duyệt"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ chờ duyệt")
    manager.see("review queue")
    link = page.get_by_role("main").get_by_role("link", name=number, exact=True)
    expect(link).to_have_count(1)
    manager.tap(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    manager.see(step)


def return_with_note(manager: UserBrowser, case_id: int, number: str, note: str) -> None:
    """A note of blanks is refused beside the note, on the review page; then the real note returns it."""
    page = manager.page
    form = page.get_by_role("main")
    form.get_by_label(s.RETURN_NOTE).fill("   ")
    with manager.answer_expected(400):
        manager.tap(form.get_by_role("button", name=s.RETURN, exact=True))
        note_box = page.get_by_label(s.RETURN_NOTE)
        expect(note_box).to_have_accessible_description(re.compile(r"bắt buộc|hãy nhập", re.I))
        manager.see("return refused without a note")
    manager.soft(
        "a failed return shows the review page again (issue 14 item 14)",
        lambda: expect(page).to_have_url(re.compile(rf"/review/{case_id}(#.*)?$"), timeout=100),
    )
    page.get_by_label(s.RETURN_NOTE).fill(note)
    manager.tap(page.get_by_role("button", name=s.RETURN, exact=True))
    expect(page.get_by_role("alert").filter(has_text=f"Đã trả hồ sơ {number}")).to_be_visible()
    manager.see("returned")


def read_return_note(inspector: UserBrowser, number: str, note: str) -> None:
    """The inspector finds the returned case on the home page and opens it: the manager's note is there."""
    page = inspector.page
    inspector.nav("Trang chủ")
    expect(page.get_by_role("heading", name="Hồ sơ nháp và hồ sơ bị trả lại của tôi")).to_be_visible()
    expect(page.get_by_text(note).first).to_be_visible()
    inspector.see("home with the return note")
    inspector.tap(page.get_by_role("main").get_by_role("link", name=number, exact=True).first)
    s.expect_status(page, "Bị trả lại")
    expect(page.get_by_role("alert").filter(has_text="Lãnh đạo trả lại")).to_contain_text(note)
    inspector.see("returned case")


def edit_case(inspector: UserBrowser, number: str, values: dict[str, str]) -> None:
    """The case page's "Sửa", new values by label, "Lưu": the case page shows them."""
    page = inspector.page
    inspector.tap(page.get_by_role("link", name="Sửa", exact=True).first)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Sửa {number}")
    inspector.see("edit")
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)
    inspector.tap(page.get_by_role("button", name=s.SAVE, exact=True))
    expect(page.get_by_role("alert").filter(has_text=f"Đã lưu hồ sơ {number}")).to_be_visible()
    inspector.see("corrected")


def finding_block(manager: UserBrowser, code: str):
    page = manager.page
    return page.locator("[data-testid=review-finding]").filter(
        has=page.get_by_role("heading", name=f"Danh mục: {code}")
    )


def confirm_with_fine(
    manager: UserBrowser,
    code: str,
    decision: str,
    fine: str,
    deadline_days: int,
    remedies: str,
    mistyped_fine: str | None = None,
) -> None:
    """The decision on one finding: a fine with its decision. With ``mistyped_fine`` (below the catalog's
    verified band) the manager first types that: it is refused beside the fine, the rest kept."""
    page = manager.page
    block = finding_block(manager, code)
    s.choose(block.get_by_label("Hình thức xử phạt", exact=True), "Phạt tiền")
    block.get_by_label("Số quyết định", exact=True).fill(decision)
    block.get_by_label("Ngày quyết định", exact=True).fill(s.vn_date(s.today()))
    block.get_by_label("Số tiền phạt quyết định (đồng)", exact=True).fill(mistyped_fine or fine)
    block.get_by_label("Thời hạn", exact=True).fill(s.vn_date(s.today() + dt.timedelta(days=deadline_days)))
    block.get_by_label("Biện pháp khắc phục hậu quả đã quyết định", exact=True).fill(remedies)
    if mistyped_fine:
        with manager.answer_expected(400):
            manager.tap(block.get_by_role("button", name="Xác nhận với hình thức xử phạt này"))
            block = finding_block(manager, code)
            amount = block.get_by_label("Số tiền phạt quyết định (đồng)", exact=True)
            expect(amount).to_have_accessible_description(re.compile("ngoài khung"))
            manager.see(f"{code} fine outside the band refused")
        expect(block.get_by_label("Số quyết định", exact=True)).to_have_value(decision)
        expect(block.get_by_label("Biện pháp khắc phục hậu quả đã quyết định", exact=True)).to_have_value(
            remedies
        )
        manager.soft(
            "a fine outside a verified band is refused outright, without a reason box (issue 14 item 17)",
            lambda: expect(block.get_by_label(s.FINE_OVERRIDE_REASON)).to_have_count(0, timeout=100),
        )
        amount.fill(fine)
    manager.tap(block.get_by_role("button", name="Xác nhận với hình thức xử phạt này"))
    block = finding_block(manager, code)
    expect(block.get_by_text(fine + " ₫").first).to_be_visible()
    expect(page.get_by_role("alert").first).to_be_visible()
    manager.see(f"{code} confirmed")


def dismiss(manager: UserBrowser, code: str, reason: str) -> None:
    block = finding_block(manager, code)
    block.get_by_label("Lý do", exact=True).fill(reason)
    manager.tap(block.get_by_role("button", name="Bác bỏ", exact=True))
    expect(finding_block(manager, code).get_by_text(reason).first).to_be_visible()
    manager.see(f"{code} dismissed")


def approve(manager: UserBrowser, number: str) -> None:
    page = manager.page
    manager.tap(page.get_by_role("button", name=s.APPROVE, exact=True))
    expect(page.get_by_role("alert").filter(has_text=f"Đã phê duyệt hồ sơ {number}")).to_be_visible()
    manager.see("approved")


def find_case(user: UserBrowser, number: str) -> None:
    """From anywhere: the case list's search, then the case."""
    page = user.page
    user.nav("Hồ sơ")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ")
    user.see("case list")
    search = page.get_by_role("search", name="Lọc hồ sơ")
    search.get_by_label("Tìm kiếm").fill(number)
    user.tap(search.get_by_role("button", name="Lọc"))
    link = page.get_by_role("main").get_by_role("link", name=number, exact=True)
    expect(link).to_be_visible()
    user.see("case found")
    user.tap(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(number)
    user.see("case page")


def record_payment(manager: UserBrowser, number: str, code: str, remedy_done: bool = True) -> None:
    page = manager.page
    find_case(manager, number)
    s.expect_status(page, "Đã duyệt")
    manager.tap(page.get_by_role("link", name="Ghi ngày nộp phạt và khắc phục"))
    block = finding_block(manager, code)
    expect(block.get_by_label("Ngày nộp phạt")).to_be_visible()
    manager.see("payment form")
    block.get_by_label("Ngày nộp phạt").fill(s.vn_date(s.today()))
    if remedy_done:
        block.get_by_label("Ngày hoàn thành khắc phục").fill(s.vn_date(s.today()))
    manager.tap(block.get_by_role("button", name="Lưu các ngày"))
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(finding_block(manager, code).get_by_text(s.vn_date(s.today())).first).to_be_visible()
    manager.see("payment recorded")
    manager.tap(page.get_by_role("main").get_by_role("link", name=number, exact=True).first)
    expect(page.get_by_role("heading", level=1)).to_have_text(number)
    manager.see("case approved, fine paid")


def close(manager: UserBrowser, number: str, unfinished_reason: str | None = None) -> None:
    """On the approved case's page: "Kết thúc hồ sơ". With ``unfinished_reason`` (a remedy not done yet),
    the page lists what is not settled and closing needs a reason, kept in the history (issue 14 item 13)."""
    page = manager.page
    if unfinished_reason:
        expect(page.get_by_role("button", name=s.CLOSE, exact=True)).to_have_count(0)
        expect(page.get_by_text("Chưa hoàn tất:")).to_be_visible()
        manager.see("closing asks why")
        page.get_by_label(s.CLOSE_UNFINISHED_REASON).fill(unfinished_reason)
        manager.tap(page.get_by_role("button", name=s.CLOSE_UNFINISHED, exact=True))
    else:
        manager.tap(page.get_by_role("button", name=s.CLOSE, exact=True))
    expect(page.get_by_role("alert").filter(has_text=f"Đã kết thúc hồ sơ {number}")).to_be_visible()
    s.expect_status(page, "Đã kết thúc")
    manager.see("closed")
    history = s.section(page, "Lịch sử")
    manager.soft(
        "the history speaks the user's language, no raw field names (issue 14 item 8)",
        lambda: expect(history).not_to_contain_text(re.compile(r"\b[a-z]+_[a-z_]+\b"), timeout=100),
    )
    if unfinished_reason:  # the reason for closing with a remedy not done (issue 14 item 13)
        expect(history).to_contain_text(unfinished_reason)


# --- the figures -----------------------------------------------------------------------------------------


@dataclass
class Figures:
    dashboard: s.Dashboard
    listed: int
    listed_numbers: list[str]
    report: dict[str, int]
    pdf: dict[str, int]
    workbook: dict[str, int]


def read_figures(manager: UserBrowser, when: str, list_filters: dict[str, str], folder: Path) -> Figures:
    """What the manager reads: the dashboard, the case list with filters, the report page, PDF, workbook."""
    page = manager.page
    manager.nav("Trang chủ")
    dashboard = s.read_dashboard(manager, f"dashboard {when}")
    manager.nav("Hồ sơ")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ")
    manager.see(f"case list {when}")
    listed, numbers = s.filter_cases(manager, f"case list filtered {when}", list_filters)
    s.open_report(manager, f"annual report {when}")
    report = s.read_report_page(page)
    pdf = s.read_report_pdf(s.pdf_text(s.download(manager, "Tải PDF", folder, f"report-{when}")))
    workbook = s.read_report_workbook(s.download(manager, "Tải Excel", folder, f"report-{when}"))
    return Figures(dashboard, listed, numbers, report, pdf, workbook)


def report_changes(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {key: after[key] - before[key] for key in after if after[key] != before[key]}
