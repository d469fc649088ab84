"""What the journeys share: the labels they look for, the figures they read from the pages and the files the
app gives (dashboard, case list, annual report page, its PDF and its workbook), and small helpers to fill
forms the way a user does (by the labels on the screen)."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from PIL import Image, ImageDraw
from playwright.sync_api import Locator, Page, expect

from tests.browser.journeys.browsing import UserBrowser

# --- labels of controls other helpers are adding now (issue 14); align them here once their work lands -----

#: Issue 14 item 1: the e-commerce form renders the takedown fields ("Action taken" and the rest).
ECOMMERCE_ACTION = "Biện pháp xử lý"
ECOMMERCE_ACTION_TAKEDOWN = "Yêu cầu sàn gỡ bỏ"
ECOMMERCE_ACTION_ON = "Ngày xử lý"
ECOMMERCE_PLATFORM_RESPONSE = "Phản hồi của nền tảng"
ECOMMERCE_TAKEN_DOWN_ON = "Ngày gỡ bỏ"
#: Issue 14 item 13: closing a case whose fine is unpaid or remedy not done asks for a reason, then confirms.
CLOSE_UNFINISHED_REASON = "Lý do vẫn kết thúc hồ sơ"
CLOSE_UNFINISHED = "Kết thúc hồ sơ khi chưa hoàn tất các nội dung trên"
#: Issue 14 item 17: the reason box for a fine outside an unverified band (absent for a verified band).
FINE_OVERRIDE_REASON = "Lý do mức phạt ngoài khung"
#: Issue 14 item 12: a generated password is changed at the first sign-in.
FIRST_SIGN_IN_HEADING = "Đổi mật khẩu"
FIRST_SIGN_IN_CURRENT = "Mật khẩu hiện tại"
FIRST_SIGN_IN_NEW = "Mật khẩu mới"
FIRST_SIGN_IN_REPEAT = "Nhập lại mật khẩu mới"
FIRST_SIGN_IN_BUTTON = "Đổi mật khẩu"

# --- labels of the pages as they are ---------------------------------------------------------------------

COMMUNE = "Xã/phường/đặc khu (từ 01/07/2025)"
RETURN_NOTE = "Ghi chú cho cán bộ kiểm tra (cần sửa gì)"
RETURN = "Trả lại cán bộ kiểm tra"
SUBMIT = "Gửi duyệt"
APPROVE = "Phê duyệt"
CLOSE = "Kết thúc hồ sơ"
SAVE = "Lưu"
REFUSED = "Không có quyền truy cập"

OLD_ADDRESS = "Số 12 Trần Hưng Đạo, phường Mỹ Long, thành phố Long Xuyên, tỉnh An Giang"
LONG_XUYEN = "Phường Long Xuyên"
LONG_XUYEN_GPS = {"latitude": 10.3725, "longitude": 105.4386}


def today() -> dt.date:
    return dt.date.today()


def vn_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def days_ago(n: int) -> dt.date:
    """``n`` days before today, but never before 1 January: the journey's case belongs to this year."""
    return max(today() - dt.timedelta(days=n), dt.date(today().year, 1, 1))


def whole_number(text: str) -> int:
    """A count or an amount as the pages write it ("1.500.000 ₫", "12", "–" = 0)."""
    digits = re.sub(r"[^\d]", "", text)
    return int(digits) if digits else 0


def photo(caption: str, colour: tuple[int, int, int] = (40, 110, 160)) -> dict[str, object]:
    """A phone photo for the evidence upload (a JPEG with something drawn on it)."""
    image = Image.new("RGB", (1024, 768), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((180, 120, 840, 640), outline=(250, 250, 250), width=12)
    draw.ellipse((400, 260, 620, 480), fill=(230, 60, 40))
    draw.text((200, 660), caption.encode("ascii", "ignore").decode(), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return {
        "name": f"{re.sub(r'[^a-z0-9]+', '-', caption.lower())}.jpg",
        "mimeType": "image/jpeg",
        "buffer": buffer.getvalue(),
    }


# --- filling forms ---------------------------------------------------------------------------------------


def section(page: Page, heading: str | re.Pattern[str]) -> Locator:
    """The card of a page whose heading is ``heading`` (a case page's "Phương tiện đo", "Chứng cứ"...)."""
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading))


def choose(select: Locator, starting: str) -> str:
    """Choose the option of a <select> whose text starts with ``starting``; returns the option's text."""
    expect(select, "no control with this label on the page").to_be_attached()
    option = select.get_by_role("option", name=re.compile("^" + re.escape(starting)))
    expect(option.first, f"no option starting with {starting!r}").to_be_attached()
    text = (option.first.text_content() or "").strip()
    select.select_option(label=text)
    return text


def selected_text(select: Locator) -> str:
    return select.evaluate("s => s.selectedOptions.length ? s.selectedOptions[0].text.trim() : ''")


def pick_establishment(user: UserBrowser, query: str, name: str) -> None:
    """The establishment picker of the case form: type part of the name, tap the establishment found."""
    page = user.page
    page.get_by_label("Tìm theo tên hoặc mã số thuế").fill(query)
    found = page.get_by_role("listbox", name="Cơ sở tìm thấy").get_by_role("option", name=re.compile(name))
    expect(found.first).to_be_visible()
    user.tap(found.first)
    expect(page.get_by_label("Cơ sở", exact=True)).not_to_have_value("")


def case_number(page: Page) -> str:
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(CASE_NUMBER)
    return heading.inner_text().strip()


def expect_status(page: Page, status: str) -> None:
    expect(page.get_by_role("main").get_by_text(status, exact=True).first).to_be_visible()


# --- figures the pages show ------------------------------------------------------------------------------


@dataclass
class Dashboard:
    counted: int
    fines_decided: int
    fines_collected: int
    with_violations: int
    takedowns_open: int
    by_kind: dict[str, int]


KIND_LABELS = {
    "inspection": "Kiểm tra",
    "ecommerce": "Kiểm soát thương mại điện tử",
    "survey": "Khảo sát",
}


def _card_figure(page: Page, label: str) -> int:
    card = page.get_by_text(label, exact=True).locator("xpath=..")
    return whole_number(card.get_by_role("link").first.inner_text())


def _definition(page: Page, term: str) -> int:
    dt_ = page.get_by_role("term").filter(has_text=re.compile("^" + re.escape(term)))
    return whole_number(dt_.first.locator("xpath=following-sibling::dd[1]").inner_text())


def read_dashboard(user: UserBrowser, step: str) -> Dashboard:
    """The manager's home page figures for this year (the journey is on the home page)."""
    page = user.page
    year = today().year
    expect(page.get_by_role("heading", name=f"Tổng quan năm {year}")).to_be_visible()
    user.see(step)
    by_kind_table = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="Loại hồ sơ"))
    by_kind = {}
    for kind, label in KIND_LABELS.items():
        row = by_kind_table.get_by_role("row").filter(has=page.get_by_role("cell", name=label, exact=True))
        by_kind[kind] = whole_number(row.get_by_role("cell").nth(1).inner_text())
    return Dashboard(
        counted=_card_figure(page, f"hồ sơ đã duyệt hoặc kết thúc trong năm {year}"),
        fines_decided=_card_figure(page, f"tiền phạt đã quyết định năm {year}"),
        fines_collected=_definition(page, "Đã thu"),
        with_violations=_definition(page, "Hồ sơ có vi phạm được xác nhận"),
        takedowns_open=_card_figure(page, "yêu cầu gỡ bỏ tin đăng TMĐT chưa hoàn thành"),
        by_kind=by_kind,
    )


def filter_cases(user: UserBrowser, step: str, choices: dict[str, str]) -> tuple[int, list[str]]:
    """On the case list, choose filters by their labels (``{"Loại hồ sơ": "Kiểm tra"}``), press "Lọc" and
    read the number of results and the case numbers listed."""
    page = user.page
    search = page.get_by_role("search", name="Lọc hồ sơ")
    for label, option in choices.items():
        control = search.get_by_label(label, exact=True)
        if control.evaluate("e => e.tagName") == "SELECT":
            choose(control, option)
        else:
            control.fill(option)
    user.tap(search.get_by_role("button", name="Lọc"))
    results = page.get_by_text(re.compile(r"^[\d.]+ kết quả$"))
    empty = page.get_by_text("Không có hồ sơ nào khớp với bộ lọc")
    expect(results.or_(empty).first).to_be_visible()
    user.see(step)
    if empty.count():
        return 0, []
    count = whole_number(results.inner_text())
    return count, listed_numbers(page)


CASE_NUMBER = re.compile(r"^(KT|TMĐT|KS)-\d{4}-\d{4}$")


def listed_numbers(page: Page) -> list[str]:
    """The case numbers a list page shows (as a table or as cards: issue 14 item 7 may change which)."""
    return [
        t.strip() for t in page.get_by_role("main").get_by_role("link", name=CASE_NUMBER).all_inner_texts()
    ]


SUMMARY_ROWS = {
    "counted": "Số vụ việc được tính (đã duyệt hoặc đã đóng)",
    "inspection": "Kiểm tra",
    "ecommerce": "Kiểm soát thương mại điện tử",
    "survey": "Khảo sát",
    "planned": "Kiểm tra theo kế hoạch",
    "establishments": "Số cơ sở được kiểm tra",
    "confirmed": "Số hành vi vi phạm được xác nhận",
    "with_violations": "Số vụ việc có vi phạm được xác nhận",
    "fines_decided": "Tiền phạt đã quyết định",
    "fines_collected": "Tiền phạt đã thu",
    "samples_taken": "Số mẫu đã lấy",
    "samples_tested": "Số mẫu đã thử nghiệm",
    "samples_failed": "Số mẫu không đạt",
    "listings": "Số tin đăng thương mại điện tử được kiểm soát",
    "takedowns_requested": "Số yêu cầu gỡ bỏ",
    "takedowns_done": "Số tin đăng đã gỡ bỏ",
}


def open_report(user: UserBrowser, step: str) -> None:
    """From anywhere: the navigation's "Báo cáo năm", then the tab of task 5.2."""
    page = user.page
    user.nav("Báo cáo năm")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"năm {today().year}")
    user.see(step)
    user.tap(page.get_by_role("tab", name="Thanh tra, kiểm tra (5.2)"))
    expect(page.get_by_role("cell", name=SUMMARY_ROWS["counted"])).to_be_visible()
    expect(page.get_by_role("tabpanel")).to_have_css("opacity", "1")  # the tab has faded in
    user.see(step + " (5.2)")


def read_report_page(page: Page) -> dict[str, int]:
    """Task 5.2's summary table on the report page (this year's column)."""
    year = str(today().year)
    table = page.get_by_role("table").filter(has=page.get_by_role("cell", name=SUMMARY_ROWS["counted"]))
    headers = [h.strip() for h in table.get_by_role("columnheader").all_inner_texts()]
    column = headers.index(year)
    figures = {}
    for key, label in SUMMARY_ROWS.items():
        row = table.get_by_role("row").filter(has=page.get_by_role("cell", name=label, exact=True))
        figures[key] = whole_number(row.first.get_by_role("cell").nth(column).inner_text())
    return figures


def download(user: UserBrowser, link_name: str, folder: Path, stem: str) -> Path:
    page = user.page
    with page.expect_download() as info:
        user.tap(page.get_by_role("link", name=link_name, exact=True))
    target = folder / f"{stem}{Path(info.value.suggested_filename).suffix}"
    info.value.save_as(target)
    return target


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout


def read_report_pdf(text: str) -> dict[str, int]:
    """Task 5.2's summary table as pdftotext lays it out: the label, then last year, this year, change."""
    # -layout keeps the columns apart by two spaces or more; a long label wraps onto the next line alone
    rows = [re.split(r"\s{2,}", line.strip()) for line in text.splitlines()]
    found: dict[str, list[str]] = {}
    for i, columns in enumerate(rows):
        if len(columns) < 3:
            continue
        label = columns[0]
        following = rows[i + 1] if i + 1 < len(rows) else []
        if len(following) == 1 and following[0] and not re.match(r"^[\d.,]+$", following[0]):
            wrapped = f"{label} {following[0]}"
            if wrapped in SUMMARY_ROWS.values():
                label = wrapped
        found.setdefault(label, columns[1:])
    figures = {}
    for key, label in SUMMARY_ROWS.items():
        assert label in found, f"the PDF has no row {label!r}"
        figures[key] = whole_number(found[label][1])  # last year, this year, change
    return figures


def read_report_workbook(path: Path) -> dict[str, int]:
    """Task 5.2's summary sheet of the workbook: numbers stored as numbers."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = book["KiemTra"]
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(rows) if row and str(today().year) in [str(v) for v in row])
    column = [str(v) for v in rows[header_at]].index(str(today().year))
    figures = {}
    for key, label in SUMMARY_ROWS.items():
        found = [row for row in rows[header_at + 1 :] if row and str(row[0] or "").strip() == label]
        assert found, f"the workbook has no row {label!r}"
        value = found[0][column]
        assert isinstance(value, int | float), f"{label}: {value!r} is not stored as a number"
        figures[key] = int(value)
    return figures
