"""An inspector signs in on a phone (390 CSS px wide).

These tests check structure (labels, ids, where the error is shown, no sideways scrolling), not wording:
the interface language is tested elsewhere.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import TEST_PASSWORD

PHONE_WIDTH = 390


def _fill_by_label(page: Page, field_id: str, value: str) -> None:
    """Fill a field through its <label>, which also proves the label is tied to the field."""
    label = page.locator(f"label[for={field_id}]")
    expect(label).to_be_visible()
    page.get_by_label(label.inner_text().strip(), exact=True).fill(value)


def _assert_no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("window.innerWidth") == PHONE_WIDTH
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, f"the page is {scroll_width}px wide on a {PHONE_WIDTH}px screen"


def _sign_in(page: Page, username: str, password: str) -> None:
    _fill_by_label(page, "username", username)
    _fill_by_label(page, "password", password)
    page.locator("main form button[type=submit]").click()


def test_inspector_signs_in_on_a_phone(phone_page: Page, live_server: str, make_user, artifacts_dir: Path):
    make_user("thanhtra1", "inspector", full_name="Nguyễn Văn A")
    page = phone_page

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login(\?|$)"))
    expect(page.locator("#username")).to_be_visible()
    expect(page.locator("#password")).to_have_attribute("type", "password")
    _assert_no_horizontal_scroll(page)

    _sign_in(page, "thanhtra1", TEST_PASSWORD)

    expect(page).to_have_url(f"{live_server}/")
    expect(page.locator("main h1")).to_contain_text("Nguyễn Văn A")
    # On a phone the navigation collapses behind the toggler: the name is hidden until it is opened.
    current_user = page.get_by_test_id("current-user")
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(current_user).to_be_hidden()
    toggler.click()
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(current_user).to_be_visible()
    expect(current_user).to_contain_text("Nguyễn Văn A")

    page.screenshot(path=str(artifacts_dir / "login-phone.png"), full_page=True)
    _assert_no_horizontal_scroll(page)


def test_wrong_password_shows_the_error_beside_the_password(phone_page: Page, live_server: str, make_user):
    make_user("thanhtra1", "inspector", full_name="Nguyễn Văn A")
    page = phone_page

    page.goto("/login")
    _sign_in(page, "thanhtra1", "sai-mat-khau-1")

    expect(page).to_have_url(re.compile(r"/login(\?|$)"))
    error = page.locator("#password-error")
    expect(error).to_be_visible()
    expect(error).not_to_have_text(re.compile(r"^\s*$"))
    password = page.locator("#password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_attribute("aria-describedby", re.compile(r"(^|\s)password-error(\s|$)"))
    expect(password).to_have_value("")  # the password is never sent back
    expect(page.locator("#username")).to_have_value("thanhtra1")  # what was typed is kept
    expect(page.get_by_test_id("current-user")).to_have_count(0)  # not signed in

    # "Beside" the field: directly under the password input, in the same column.
    field_box = password.bounding_box()
    error_box = error.bounding_box()
    assert field_box is not None and error_box is not None
    field_bottom = field_box["y"] + field_box["height"]
    assert field_bottom - 1 <= error_box["y"] <= field_bottom + 24, (field_box, error_box)
    assert abs(error_box["x"] - field_box["x"]) <= 16, (field_box, error_box)
    _assert_no_horizontal_scroll(page)
