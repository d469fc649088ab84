"""On a phone, the establishment form suggests the commune from an old-format address and from the device's
GPS, as the case form does (js/location.js); a new inspection started from the establishment's page takes
its address, commune and GPS point."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from cases.db import db
from cases.models import Establishment
from tests.conftest import TEST_PASSWORD

LONG_XUYEN = "30307"


def test_establishment_form_suggests_the_commune_and_a_case_takes_its_place(
    phone_page: Page, app, make_user, artifacts_dir: Path
):
    make_user("thanhtra1", "inspector")
    page = phone_page
    page.goto("/login")
    page.locator("#username").fill("thanhtra1")
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()

    page.goto("/establishments/new")
    page.get_by_label("Tên", exact=True).fill("Cửa hàng xăng dầu Mỹ Bình")
    page.get_by_label("Địa chỉ").fill("123 Trần Hưng Đạo, Phường Mỹ Bình, TP Long Xuyên, An Giang")
    page.get_by_role("button", name="Gợi ý xã/phường từ địa chỉ").click()
    expect(page.locator("#commune_code")).to_have_value(LONG_XUYEN)
    expect(page.locator("#location-messages")).to_contain_text("Phường Long Xuyên")

    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 10.3661, "longitude": 105.4237})
    page.get_by_role("button", name="Dùng vị trí của tôi").click()
    expect(page.locator("#latitude")).to_have_value("10.366100")
    expect(page.locator("#longitude")).to_have_value("105.423700")
    expect(page.locator("#commune_code")).to_have_value(LONG_XUYEN)
    page.screenshot(path=str(artifacts_dir / "establishment-location-phone.png"), full_page=True)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("main h1")).to_contain_text("Cửa hàng xăng dầu Mỹ Bình")
    with app.app_context():
        saved = db.session.query(Establishment).filter_by(name="Cửa hàng xăng dầu Mỹ Bình").one()
        assert saved.commune_code == LONG_XUYEN
        assert saved.latitude == 10.3661 and saved.longitude == 105.4237

    page.get_by_role("link", name="Kiểm tra mới").click()
    expect(page).to_have_url(re.compile(r"/cases/new/inspection\?establishment_id=\d+"))
    expect(page.locator("#address")).to_have_value(
        "123 Trần Hưng Đạo, Phường Mỹ Bình, TP Long Xuyên, An Giang"
    )
    expect(page.locator("#commune_code")).to_have_value(LONG_XUYEN)
    for field, value in (("#latitude", 10.3661), ("#longitude", 105.4237)):
        typed = page.locator(field).input_value().replace(",", ".")
        assert float(typed) == value, (field, typed)
    page.screenshot(path=str(artifacts_dir / "case-from-establishment-phone.png"), full_page=True)
