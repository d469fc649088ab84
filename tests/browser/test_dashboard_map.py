"""The dashboard in Chromium: a manager opens it, clicks a commune on the map and lands on that commune's
filtered case list; screenshots of the dashboard on a laptop (1366×768) and a phone (390×844)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from cases.db import db
from cases.models import User
from tests import dashboard_support as ds
from tests.conftest import TEST_PASSWORD
from tests.dashboard_support import LONG_XUYEN


def _data(app, make_user) -> dict[str, str]:
    inspector = make_user("thanhtra1", role="inspector")
    make_user("lanhdao", "manager", full_name="Phạm Lãnh Đạo")
    with app.app_context():
        built = ds.build(db.session.get(User, inspector.id))
        return {name: c.number for name, c in built.cases.items()}


def _sign_in(page: Page) -> None:
    page.goto("/login")
    page.fill("#username", "lanhdao")
    page.fill("#password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Xin chào")


def test_click_a_commune_on_the_map_opens_its_cases(page: Page, app, make_user, artifacts_dir):
    numbers = _data(app, make_user)
    page.set_viewport_size({"width": 1366, "height": 768})
    _sign_in(page)
    page.goto("/?year=2026")
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("Tổng quan năm 2026")
    expect(page.get_by_test_id("fig-counted")).to_have_text("7")
    page.screenshot(path=str(artifacts_dir / "dashboard-laptop.png"), full_page=True)

    circle = page.locator(f'[data-testid=commune-map] circle.commune-bubble[data-code="{LONG_XUYEN}"]')
    expect(circle).to_have_count(1)
    expect(circle.locator("title")).to_have_text(
        "Phường Long Xuyên: 3 hồ sơ, 2 có vi phạm được xác nhận (67%)"
    )
    circle.scroll_into_view_if_needed()
    circle.click()

    expect(page).to_have_url(re.compile(rf"/cases/\?.*commune_code={LONG_XUYEN}"))
    expect(page.get_by_test_id("filter-chips")).to_contain_text("Lập trong năm 2026")
    rows = page.get_by_test_id("case-list").locator("tbody tr")
    expect(rows).to_have_count(3)
    for name in ("c1", "c2", "c6"):
        expect(page.get_by_test_id("case-list")).to_contain_text(numbers[name])
    expect(page.locator("#commune_code")).to_have_value(LONG_XUYEN)


def test_dashboard_on_a_phone(phone_page: Page, app, make_user, artifacts_dir):
    _data(app, make_user)
    _sign_in(phone_page)
    phone_page.goto("/?year=2026")
    expect(phone_page.get_by_test_id("fig-counted")).to_have_text("7")
    expect(phone_page.get_by_test_id("commune-map").locator("circle.commune-bubble")).to_have_count(2)
    # nothing but the map and the charts (which scroll inside their cards) is wider than the screen
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    phone_page.screenshot(path=str(artifacts_dir / "dashboard-phone.png"), full_page=True)
