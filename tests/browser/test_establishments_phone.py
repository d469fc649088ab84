"""Establishments on a phone (390 CSS px): the list and the form fit, and typing a name that is already
recorded lists the existing establishment (the data-similar-url behaviour of app.js)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from cases.db import db
from cases.recording import establishments as est
from tests.conftest import TEST_PASSWORD

PHONE_WIDTH = 390


def _assert_no_horizontal_scroll(page: Page) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, f"the page is {scroll_width}px wide on a {PHONE_WIDTH}px screen"


def test_establishments_on_a_phone(phone_page: Page, app, make_user, artifacts_dir: Path):
    make_user("thanhtra1", "inspector")
    with app.app_context():
        existing = est.create_establishment(
            actor=None,
            name="Công ty TNHH Xăng dầu Rạch Giá",
            tax_code="0100109106",
            commune_code="30307",
            address="12 Lê Lợi, phường Long Xuyên, tỉnh An Giang",
        )
        db.session.commit()
        existing_id = existing.id
    page = phone_page
    page.goto("/login")
    page.locator("#username").fill("thanhtra1")
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()

    page.goto("/establishments/?q=rach+gia")
    expect(page.get_by_test_id("establishments")).to_contain_text("Rạch Giá")
    _assert_no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "establishments-list-phone.png"), full_page=True)

    page.goto("/establishments/new")
    page.locator("#name").press_sequentially("rach gia", delay=20)
    similar = page.locator("#similar-establishments")
    expect(similar).to_be_visible()
    expect(similar.locator(f'a[href="/establishments/{existing_id}"]')).to_have_text(
        "Công ty TNHH Xăng dầu Rạch Giá"
    )
    page.locator("#tax_code").fill("0100109107")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#tax_code-error")).to_be_visible()
    expect(page.locator("#name")).to_have_value("rach gia")
    _assert_no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "establishment-form-phone.png"), full_page=True)
