"""The navigation bar at 1366, 1024 and 390 px, for every role with every badge it can show: no page the
bar leads to scrolls sideways, and signing out is reachable (visible in the window once the menus are open).

Before the fix a manager's bar with the overdue-sanctions item ran 60 px past a 1366 px window ("Đăng xuất"
cut off) and 320 px past a 1024 px one (the user name gone as well).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from cases.db import db
from cases.models import Finding, User, Violation
from tests import factories
from tests.conftest import TEST_PASSWORD

WIDTHS = (1366, 1024, 390)
ROLES = ("manager", "admin", "inspector", "liaison")
COMMUNE = "30742"
#: Long names: the user menu must cope with them.
NAMES = {
    "manager": "Nguyễn Thị Phương Thảo Quỳnh Anh",
    "admin": "Trần Nguyễn Hoàng Khánh Linh",
    "inspector": "Lê Phạm Thị Ngọc Bích Trâm",
    "liaison": "Huỳnh Võ Thị Thanh Xuân Mai",
}


@pytest.fixture
def world(app, make_user):
    """A manager with 3-digit cases waiting and overdue sanctions; an inspector and a liaison each with a
    returned case; an administrator."""
    users = {
        role: make_user(
            f"nav{role}", role, full_name=NAMES[role], communes=(COMMUNE,) if role == "liaison" else ()
        )
        for role in ROLES
    }
    today = dt.date.today()
    with app.app_context():
        inspector = db.session.get(User, users["inspector"].id)
        liaison = db.session.get(User, users["liaison"].id)
        for i in range(120):
            waiting = factories.case(inspector, "ecommerce", listing_url=f"https://shopee.vn/p/{i}")
            waiting.status = "submitted"
        for author in (inspector, liaison):
            returned = factories.case(author, "ecommerce", listing_url=f"https://shopee.vn/r/{author.id}")
            returned.status, returned.return_note = "returned", "Bổ sung biện pháp xử lý."
        approved = factories.case(inspector, "inspection")
        approved.status = "approved"
        violation = db.session.scalar(select(Violation).order_by(Violation.code).limit(1))
        for _ in range(15):
            db.session.add(
                Finding(
                    case_id=approved.id,
                    violation_id=violation.id,
                    offender_type="organisation",
                    status="confirmed",
                    decided_fine_vnd=12_000_000,
                    deadline=today - dt.timedelta(days=3),
                )
            )
        db.session.commit()
        case_id = approved.id
    return {"users": users, "case_id": case_id}


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def sized_page(request, browser: Browser, live_server: str) -> Iterator[Page]:
    width = request.param
    phone = width < 576
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": width, "height": 844 if phone else 800},
        is_mobile=phone,
        has_touch=phone,
        locale="vi-VN",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def _sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_be_visible()


def assert_no_sideways_scroll(page: Page) -> None:
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, f"{page.url} is {scroll}px wide in a {client}px window"


def _open_user_menu(page: Page) -> None:
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        expect(page.locator("#mainnav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    page.get_by_test_id("current-user").click()


def _in_window(page: Page, locator) -> None:
    box = locator.bounding_box()
    width = page.evaluate("document.documentElement.clientWidth")
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)


@pytest.mark.parametrize("role", ROLES)
def test_no_page_of_the_bar_scrolls_sideways_and_sign_out_is_reachable(
    sized_page: Page, world, role, artifacts_dir: Path
):
    page = sized_page
    width = page.viewport_size["width"]
    _sign_in(page, f"nav{role}")
    if role == "manager":
        expect(page.get_by_test_id("nav-review-count")).to_have_text("120")
        expect(page.get_by_test_id("nav-overdue-count")).to_contain_text("15")
    elif role in {"inspector", "liaison"}:
        expect(page.get_by_test_id("nav-returned-count")).to_have_text("1")
    assert_no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir / f"nav-{role}-{width}.png"))

    links = page.locator("#mainnav a[href^='/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    pages = {href.split("#")[0] for href in links} | {f"/cases/{world['case_id']}", "/cases/new/inspection"}
    for href in sorted(pages):
        page.goto(href)
        assert_no_sideways_scroll(page)

    page.goto("/")
    _open_user_menu(page)
    current = page.get_by_test_id("current-user")
    expect(current).to_be_visible()
    _in_window(page, current)
    sign_out = page.get_by_role("button", name="Đăng xuất")
    expect(sign_out).to_be_visible()
    _in_window(page, sign_out)
    page.screenshot(path=str(artifacts_dir / f"nav-{role}-{width}-menu.png"))
    sign_out.click()
    expect(page).to_have_url(re.compile(r"/login"))
