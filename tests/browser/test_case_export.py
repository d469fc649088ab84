"""The case list's export menu in Chromium (issue 14, item 5), at 1366 px and on a phone: a user filters
the list, opens "Xuất dữ liệu", picks the readable spreadsheet by its name and gets the filtered cases in
words; the menu fits the screen."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests import factories
from tests.conftest import TEST_PASSWORD


def _sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Xin chào")


@pytest.mark.parametrize("width", [1366, 390])
def test_export_the_filtered_list_as_a_readable_spreadsheet(
    app, browser, live_server, make_user, artifacts_dir, width
):
    with app.app_context():
        inspector = make_user("thanhtra", "inspector", full_name="Phạm Văn Kiểm")
        factories.case(inspector, "inspection", opened_on=dt.date(2026, 3, 4), fields=["fuel", "label"])
        factories.case(inspector, "ecommerce", opened_on=dt.date(2026, 3, 5))
        from cases.db import db

        db.session.commit()
    phone = width < 500
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": width, "height": 844 if phone else 900},
        is_mobile=phone,
        has_touch=phone,
        locale="vi-VN",
        accept_downloads=True,
    )
    page = context.new_page()
    try:
        _sign_in(page, "thanhtra")
        page.goto("/cases/?kind=inspection")
        before = page.evaluate("document.documentElement.scrollWidth")
        page.get_by_role("button", name="Xuất dữ liệu").click()
        menu = page.get_by_test_id("export-menu").locator(".dropdown-menu")
        expect(menu).to_be_visible()
        expect(menu).to_contain_text("Định dạng nhập lại (CSV)")
        box = menu.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
        # the menu adds no sideways scrolling (the list's own layout on a phone is issue 14, item 7)
        assert page.evaluate("document.documentElement.scrollWidth") <= max(before, width)
        page.screenshot(path=str(artifacts_dir / f"case-export-menu-{width}.png"))
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("link", name="Bảng tính dễ đọc (Excel)").click()
        data = Path(info.value.path()).read_bytes()
    finally:
        context.close()
    sheet = load_workbook(io.BytesIO(data))["Hồ sơ"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert [r["Loại hồ sơ"] for r in rows] == ["Kiểm tra"]  # the list's filter applied
    assert rows[0]["Lĩnh vực kiểm tra"] == "Kinh doanh xăng dầu; Nhãn hàng hóa"
    assert rows[0]["Ngày mở hồ sơ"] == dt.datetime(2026, 3, 4)
