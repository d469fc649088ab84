"""A manager imports a file through the upload page: the script sends it with XMLHttpRequest (progress bar,
"processing…"), then shows the server's report in place of the page."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, Request, expect

from tests.conftest import TEST_PASSWORD
from tests.transfer_helpers import SAMPLE, csv_bytes


def _sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def test_upload_with_progress_then_the_report(page: Page, live_server: str, make_user, artifacts_dir: Path):
    make_user("lanhdao1", "manager")
    _sign_in(page, "lanhdao1")
    sent: list[Request] = []
    page.on("request", lambda r: sent.append(r) if r.method == "POST" else None)

    page.goto("/cases/import")
    expect(page.locator("#import-progress")).to_be_hidden()
    page.locator("input[type=file]").set_input_files(str(SAMPLE))
    page.locator("main form[data-import-form] button[type=submit]").click()

    report = page.get_by_test_id("import-created")
    expect(report).to_be_visible()
    expect(report).to_contain_text("12")
    assert [r.resource_type for r in sent] == ["xhr"]  # sent by the script, not by a page load
    expect(page).to_have_url(f"{live_server}/cases/import")
    # the replaced page works like a loaded one: its script runs again, so a second upload is possible
    page.locator("input[type=file]").set_input_files(str(SAMPLE))
    page.locator("main form[data-import-form] button[type=submit]").click()
    expect(page.get_by_test_id("import-already")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "import-report.png"), full_page=True)


def test_errors_show_in_a_table(page: Page, make_user, tmp_path: Path):
    make_user("quantri", "admin")
    _sign_in(page, "quantri")
    bad = tmp_path / "loi.csv"
    bad.write_bytes(csv_bytes([{"ref": "X", "case_type": "inspection", "opened_on": "31/02/2026"}]))

    page.goto("/cases/import")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.locator("main form[data-import-form] button[type=submit]").click()

    expect(page.get_by_test_id("import-refused")).to_be_visible()
    rows = page.get_by_test_id("import-errors").locator("tbody tr")
    expect(rows.first).to_be_visible()
    expect(page.locator('tr[data-row="2"][data-column="opened_on"]')).to_be_visible()
