"""The Content-Security-Policy breaks nothing: pages with scripts, Bootstrap widgets and the import progress
bar load in Chromium without a single CSP violation."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.conftest import TEST_PASSWORD

PAGES = [
    "/",
    "/cases/",
    "/cases/new/inspection",
    "/cases/new/ecommerce",
    "/establishments/",
    "/establishments/new",
    "/cases/import",
    "/review/",
    "/account",
    "/reports/annual/2026",
]


def test_pages_load_without_csp_violations(page: Page, live_server: str, make_user, artifacts_dir: Path):
    make_user("lanhdao.csp", "manager", full_name="Lãnh Đạo")
    violations: list[str] = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto("/login")
    page.fill("#username", "lanhdao.csp")
    page.fill("#password", TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/")
    for path in PAGES:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert "default-src 'self'" in (response.headers.get("content-security-policy") or "")
        page.wait_for_load_state("networkidle")
    page.goto("/cases/new/inspection")
    page.screenshot(path=str(artifacts_dir / "csp-case-form.png"), full_page=True)
    assert violations == []
