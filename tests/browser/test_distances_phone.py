"""The case form's location messages write distances the house way, "0,43 km" (issue 14, item 15)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from cases.geography import places as geography
from forms.numbers import format_number_input
from tests.conftest import TEST_PASSWORD

RACH_GIA = (10.0123, 105.0912)


def test_the_plausibility_warning_and_the_gps_suggestion_have_decimal_commas(
    app, phone_page: Page, make_user, artifacts_dir
):
    page = phone_page
    make_user("kt-kc-js", "inspector")
    with app.app_context():
        far = format_number_input(geography.check_commune_plausibility("30307", *RACH_GIA).distance_km, "vi")
        near = format_number_input(geography.suggest_from_point(10.3661, 105.423).distance_km, "vi")
    page.goto("/login")
    page.fill("#username", "kt-kc-js")
    page.fill("#password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 10.3661, "longitude": 105.423})
    page.goto("/cases/new/ecommerce")
    page.get_by_role("button", name="Dùng vị trí của tôi").click()
    expect(page.locator("#location-messages")).to_contain_text(f"({near} km")

    page.select_option("#commune_code", "30307")
    page.fill("#latitude", "10,0123")
    page.fill("#longitude", "105.0912")
    page.locator("#longitude").dispatch_event("change")
    warning = page.get_by_test_id("plausibility-warning")
    expect(warning).to_contain_text(f"cách điểm GPS {far} km")
    assert re.fullmatch(r"\d+,\d{1,2}", far)
    page.screenshot(path=str(artifacts_dir / "location-warning-phone.png"), full_page=True)
