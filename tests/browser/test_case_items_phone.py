"""On a phone (390 CSS px): the item forms fit the screen, and the finding form's violation picker works."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from cases.db import db
from cases.models import Finding
from tests.case_items_support import make_case
from tests.conftest import TEST_PASSWORD

PHONE_WIDTH = 390


def _assert_no_horizontal_scroll(page: Page) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, f"the page is {scroll_width}px wide on a {PHONE_WIDTH}px screen"


def _sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")


def test_item_forms_and_the_violation_picker_on_a_phone(
    phone_page: Page, app, make_user, artifacts_dir: Path
):
    user = make_user("thanhtra_dt")
    with app.app_context():
        case = make_case(user.id, fields=("barcode", "label"))
        db.session.commit()
        case_id = case.id
    page = phone_page
    _sign_in(page, "thanhtra_dt")

    for url in ("instruments/new", "lots/new", "goods/new", "samples/new"):
        page.goto(f"/cases/{case_id}/{url}")
        expect(page.locator("main h1")).to_be_visible()
        _assert_no_horizontal_scroll(page)
    page.goto(f"/cases/{case_id}/goods/new")
    page.screenshot(path=str(artifacts_dir / "case-items-goods-phone.png"), full_page=True)

    page.goto(f"/cases/{case_id}/findings/new")
    search = page.locator("#violation-search")
    expect(search).to_be_visible()  # revealed by violations.js
    search.fill("nhan hang hoa")
    option = page.locator("#violation-options option").first
    expect(option).to_have_attribute("value", re.compile(r"^NH-01 — "))  # the label group comes first
    search.fill(option.get_attribute("value") or "")
    expect(page.locator("#violation_id option:checked")).to_have_attribute("data-code", "NH-01")
    expect(page.locator("#violation-info")).to_contain_text("Điều 31")
    expect(page.locator("#proposed_remedies")).not_to_have_value("")

    page.locator("#offender_type").select_option("organisation")
    expect(page.locator("#fine-range")).to_contain_text("2.000.000")
    page.locator("#proposed_fine_vnd").fill("1.000.000")
    _assert_no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "case-items-finding-phone.png"), full_page=True)
    page.locator("#case-item-form button[type=submit]").click()
    page.wait_for_load_state()
    with app.app_context():
        finding = db.session.scalar(select(Finding).where(Finding.case_id == case_id))
        assert finding is not None
        assert (finding.violation.code, finding.offender_type, finding.proposed_fine_vnd) == (
            "NH-01",
            "organisation",
            1_000_000,
        )
