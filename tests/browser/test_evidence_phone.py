"""Evidence on a phone (390 CSS px): upload a photo and a PDF on the case page, see the thumbnail, delete."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import Page, expect

from cases.db import db
from cases.models import Case, User
from tests import evidence_samples as samples
from tests.conftest import TEST_PASSWORD

PHONE_WIDTH = 390


def _assert_no_horizontal_scroll(page: Page) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, f"the page is {scroll_width}px wide on a {PHONE_WIDTH}px screen"


def test_evidence_on_a_phone(phone_page: Page, app, make_user, artifacts_dir: Path):
    user = make_user("thanhtra1", "inspector")
    with app.app_context():
        case = Case(
            number="KT-B0001/2026",
            kind="inspection",
            status="draft",
            opened_on=dt.date(2026, 3, 14),
            commune_code="30307",
            created_by_id=user.id,
        )
        case.team = [db.session.get(User, user.id)]
        db.session.add(case)
        db.session.commit()
        case_id = case.id
    page = phone_page
    page.goto("/login")
    page.locator("#username").fill("thanhtra1")
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()

    page.goto(f"/cases/{case_id}")
    expect(page.get_by_test_id("evidence-empty")).to_be_visible()
    long_name = "Anh-hien-truong-cay-xang-so-2-phuong-Long-Xuyen-tinh-An-Giang-ngay-14-thang-3-nam-2026.jpg"
    page.locator(f"#evidence-files-{case_id}").set_input_files(
        [
            {"name": long_name, "mimeType": "image/jpeg", "buffer": samples.jpeg()},
            {"name": "Biên bản kiểm tra.pdf", "mimeType": "application/pdf", "buffer": samples.pdf()},
        ]
    )
    page.locator(f"#evidence-note-{case_id}").fill("Cột bơm số 2")
    page.get_by_test_id("evidence-upload").locator("button[type=submit]").click()

    expect(page.locator(".alert-success")).to_contain_text("Đã đính kèm 2 tệp.")
    items = page.get_by_test_id("evidence-item")
    expect(items).to_have_count(2)
    thumbnail = items.first.locator("img")
    expect(thumbnail).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    expect(items.nth(1)).to_contain_text("Biên bản kiểm tra.pdf")
    _assert_no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "evidence-phone.png"), full_page=True)

    page.once("dialog", lambda dialog: dialog.accept())
    items.nth(1).get_by_role("button").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã xóa tệp Biên bản kiểm tra.pdf.")
    expect(page.get_by_test_id("evidence-item")).to_have_count(1)
