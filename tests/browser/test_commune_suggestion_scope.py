"""A liaison's case form offers her communes only. An address or a GPS point in another commune used to show
a green "Suggested commune: Phường Rạch Giá" while the commune list went blank (the script set a value the
list does not hold). She is now told the place is not one of her communes, and her choice stays."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.conftest import TEST_PASSWORD

COMMUNE = "Xã/phường/đặc khu (từ 01/07/2025)"
RACH_GIA_ADDRESS = "Số 45 Nguyễn Trung Trực, phường Vĩnh Thanh Vân, TP Rạch Giá, Kiên Giang"
LONG_XUYEN_ADDRESS = "Số 12 Trần Hưng Đạo, phường Mỹ Long, TP Long Xuyên, An Giang"
NOT_HERS = re.compile(r"Phường Rạch Giá, không thuộc địa bàn phụ trách của bạn")


def _sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def test_a_place_outside_her_communes_leaves_her_choice_and_says_why(page: Page, make_user):
    make_user("daumoi2", "liaison", communes=("30307", "30301"))
    _sign_in(page, "daumoi2")
    page.goto("/cases/new/inspection")
    commune = page.get_by_label(COMMUNE)
    commune.select_option(label="Phường Mỹ Thới")

    page.get_by_label("Địa chỉ", exact=True).fill(RACH_GIA_ADDRESS)
    page.get_by_role("button", name="Gợi ý xã/phường từ địa chỉ").click()
    expect(page.get_by_text(NOT_HERS)).to_be_visible()
    expect(page.get_by_text("Xã/phường gợi ý:")).to_have_count(0)
    expect(commune).to_have_value("30301")

    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 10.0125, "longitude": 105.0809})  # Rạch Giá
    page.get_by_role("button", name="Dùng vị trí của tôi").click()
    expect(page.get_by_label("Vĩ độ")).to_have_value("10.012500")
    expect(page.get_by_text(NOT_HERS)).to_be_visible()
    expect(commune).to_have_value("30301")

    # her own commune is still suggested as before
    page.get_by_label("Địa chỉ", exact=True).fill(LONG_XUYEN_ADDRESS)
    page.get_by_role("button", name="Gợi ý xã/phường từ địa chỉ").click()
    expect(page.get_by_text("Xã/phường gợi ý: Phường Long Xuyên")).to_be_visible()
    expect(commune).to_have_value("30307")
