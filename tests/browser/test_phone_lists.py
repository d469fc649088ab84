"""The lists, the dashboard and the annual report on a phone (390 CSS px): nothing scrolls sideways — not
the page, and not a box inside it (a table scrolling in its ``.table-responsive`` hides its last columns
just as well) — the status of every case in the list is on the screen, and the dashboard's map and its
legend are inside the window.

Before the fix the case list's status column, the review queue's and the overdue list's last columns
and the users' buttons were off the screen inside their tables, the map opened scrolled sideways in its
card with its legend cut, and the report's task table was squeezed to a word per line (and scrolled).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cases.db import db
from cases.models import User
from tests import dashboard_support as ds
from tests.conftest import TEST_PASSWORD

PHONE_WIDTH = 390

#: Elements that scroll sideways, the page included: [(description, scrollWidth, clientWidth)].
OVERFLOWING = """() => {
  const out = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) out.push(['page', root.scrollWidth, root.clientWidth]);
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(style.overflowX) || el.offsetParent === null) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      out.push([el.tagName + '.' + el.className + ' ' + (el.dataset.testid || ''), el.scrollWidth,
                el.clientWidth]);
    }
  }
  return out;
}"""

#: Whether the element is on the screen and not hidden under another box or clipped by its container:
#: the point at its centre, once scrolled into view, belongs to it.
SHOWN = """el => {
  el.scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});
  const r = el.getBoundingClientRect();
  if (r.left < 0 || r.right > document.documentElement.clientWidth || r.width === 0) return false;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return hit !== null && (hit === el || el.contains(hit));
}"""


@pytest.fixture
def world(app, make_user):
    inspector = make_user("thanhtra1", "inspector", full_name="Nguyễn Văn Kiểm Tra")
    make_user("lanhdao", "manager", full_name="Phạm Thị Lãnh Đạo")
    make_user("quantri", "admin", full_name="Trần Quản Trị")
    make_user("lienlac1", "liaison", communes=(ds.LONG_XUYEN,), full_name="Lê Thị Đầu Mối Xã")
    with app.app_context():
        ds.build(db.session.get(User, inspector.id))
        db.session.commit()


def _sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_be_visible()


def _assert_fits(page: Page) -> None:
    overflowing = page.evaluate(OVERFLOWING)
    assert not overflowing, f"{page.url} scrolls sideways: {overflowing}"


def test_case_list_on_a_phone_shows_every_status(phone_page: Page, world, artifacts_dir: Path):
    page = phone_page
    _sign_in(page, "lanhdao")
    page.goto("/cases/")
    statuses = page.get_by_test_id("case-row-status")
    expect(statuses.first).to_be_visible()
    assert statuses.count() >= 8
    _assert_fits(page)
    for i in range(statuses.count()):
        assert statuses.nth(i).evaluate(SHOWN), f"the status of row {i + 1} is not on the screen"
    page.screenshot(path=str(artifacts_dir / "case-list-phone.png"), full_page=True)


@pytest.mark.parametrize(
    ("user", "url", "testid"),
    [
        ("lanhdao", "/review/", "review-queue"),
        ("lanhdao", "/review/overdue", "overdue-list"),
        ("lanhdao", "/establishments/", "establishments"),
        ("lanhdao", "/activities/", None),
        ("quantri", "/admin/users", "user-list"),
        ("quantri", "/admin/plan-tasks/", None),
        ("lienlac1", "/cases/", "case-list"),
        ("thanhtra1", "/", None),
    ],
)
def test_other_lists_fit_a_phone(phone_page: Page, world, user, url, testid, artifacts_dir: Path):
    page = phone_page
    _sign_in(page, user)
    page.goto(url)
    if testid:
        rows = page.get_by_test_id(testid).locator("tbody tr")
        expect(rows.first).to_be_visible()
        # the last cell of each row (its status or its button) is on the screen
        for i in range(rows.count()):
            last = rows.nth(i).locator("td:visible").last
            assert last.evaluate(SHOWN), f"{url}: the end of row {i + 1} is not on the screen"
    _assert_fits(page)
    name = url.strip("/").replace("/", "-") or "home"
    page.screenshot(path=str(artifacts_dir / f"phone-{user}-{name}.png"), full_page=True)


def test_dashboard_map_and_legend_inside_a_phone(phone_page: Page, world, artifacts_dir: Path):
    page = phone_page
    _sign_in(page, "lanhdao")
    page.goto("/?year=2026&gps=1")
    card = page.get_by_test_id("commune-map")
    svg = card.locator("svg").first
    expect(svg).to_be_visible()
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, box
    # every circle of the map is inside the window, Phú Quốc's inset included
    for circle in card.locator("circle.commune-bubble").all():
        c = circle.bounding_box()
        assert c is not None and c["x"] >= 0 and c["x"] + c["width"] <= PHONE_WIDTH, c
    legend = page.get_by_test_id("commune-map-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("Tỷ lệ hồ sơ có vi phạm được xác nhận")
    for item in legend.locator(".map-key-item, .map-key-group").all():
        assert item.evaluate(SHOWN), f"legend entry {item.inner_text()!r} is not on the screen"
    _assert_fits(page)
    page.screenshot(path=str(artifacts_dir / "dashboard-map-phone.png"), full_page=True)


def test_annual_report_on_a_phone(phone_page: Page, world, artifacts_dir: Path):
    page = phone_page
    _sign_in(page, "lanhdao")
    page.goto("/reports/annual/2026")
    tasks = page.locator("table.table-KeHoach")
    expect(tasks).to_be_visible()
    _assert_fits(page)
    # a task reads as a paragraph, not a word per line: its text box is most of the screen wide
    content = tasks.locator("tbody tr").first.locator("td").nth(1)
    width = content.bounding_box()["width"]  # type: ignore[index]
    assert width >= 0.7 * PHONE_WIDTH, f"the task's text is {width}px wide"
    page.screenshot(path=str(artifacts_dir / "report-phone.png"), full_page=True)
    for tab in page.locator("[role=tab]").all():
        tab.click()
        pane = page.locator(tab.get_attribute("data-bs-target") or "")
        expect(pane).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
        page.wait_for_timeout(300)  # the fade-in
        _assert_fits(page)
        page.screenshot(path=str(artifacts_dir / f"report-phone-{tab.inner_text()[:12]}.png"), full_page=True)
