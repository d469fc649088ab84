"""Browser tests: the real app served over HTTP, driven by Debian's Chromium through Playwright.

* ``live_server`` serves the session's ``app`` (same database as the other fixtures, so ``make_user``
  works) with Werkzeug in a background thread and yields its base URL.
* ``browser`` launches ``chromium`` from PATH (Playwright's own browser download is not used).
* ``page`` (desktop) and ``phone_page`` (390×844 touch screen) open a fresh browser context per test,
  with ``base_url`` set so that ``page.goto("/login")`` works.
* Every test in this folder gets the ``browser`` marker: ``pytest -m "not browser"`` skips them.
* Screenshots go to ``test-artifacts/`` (``artifacts_dir``); a failing test leaves one there too.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parents[1] / "test-artifacts"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DEFAULT_TIMEOUT_MS = 10_000


def _assertions_wait_as_long_as_actions() -> None:
    """``expect(…)`` waits 5 s by default, actions 10 s: on a loaded 2-core machine a script's answer (the
    fine band shown once a violation is chosen) can take longer than 5 s; what is asserted is unchanged."""
    from playwright.sync_api import expect

    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)


_assertions_wait_as_long_as_actions()

_reports = pytest.StashKey[dict[str, pytest.TestReport]]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected item, not only this folder's.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The app on http://127.0.0.1:<free port>, served from a daemon thread for the whole session."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip(
            "browser tests need Debian's Chromium on PATH as `chromium` (apt-get install chromium); "
            "Playwright's own browser download is not used"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the dev extra)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _open_page(
    browser: Browser, live_server: str, request: pytest.FixtureRequest, **context_options: Any
) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(base_url=live_server, **context_options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        reports = request.node.stash.get(_reports, {})
        if any(r.failed for r in reports.values()):
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
            ARTIFACTS.mkdir(exist_ok=True)
            with contextlib.suppress(Exception):  # a screenshot must never hide the real failure
                page.screenshot(path=str(ARTIFACTS / f"FAILED-{name}.png"), full_page=True)
        context.close()


@pytest.fixture
def page(browser: Browser, live_server: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A desktop-sized page (1280×800) in a fresh context, Vietnamese locale."""
    yield from _open_page(
        browser, live_server, request, viewport={"width": 1280, "height": 800}, locale="vi-VN"
    )


@pytest.fixture
def phone_page(browser: Browser, live_server: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A phone-sized page: 390×844 CSS pixels, touch, device scale factor 2, Vietnamese locale."""
    yield from _open_page(
        browser,
        live_server,
        request,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        locale="vi-VN",
    )
