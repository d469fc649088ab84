"""Fixtures of the journeys: every journey runs at 1366×768 (laptop) and 390×844 (phone, touch).

``journey`` gives a ``Journey``: it opens one ``UserBrowser`` per person (``journey.open(who)``) or signs
one in through the login page (``journey.sign_in(who, username)``), all in the session's shared Chromium,
with the screenshots of the journey in ``test-artifacts/journeys/<journey>/<width>/``. At the end it fails
the test with every problem its pages had (sideways scrolling, content cut off, console errors, pages left
without a look, soft expectations that failed), and keeps a FAILED screenshot of each browser when the test
failed.
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import ARTIFACTS, DEFAULT_TIMEOUT_MS, _reports
from tests.browser.journeys.browsing import DEVICES, Device, UserBrowser
from tests.conftest import TEST_PASSWORD

SIGN_IN = "Đăng nhập"


class Journey:
    def __init__(self, browser: Browser, base_url: str, device: Device, name: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.device = device
        self.name = name
        self.shots_dir = ARTIFACTS / "journeys" / name / str(device.width)
        shutil.rmtree(self.shots_dir, ignore_errors=True)
        self.shots_dir.mkdir(parents=True)
        self._counter = itertools.count(1)
        self.browsers: list[UserBrowser] = []
        self.problems: list[str] = []

    @property
    def phone(self) -> bool:
        return self.device.phone

    def page_problem_report(self) -> str | None:
        """Every problem of the journey's pages not reported yet (each with its step and screenshot)."""
        for user in self.browsers:
            self.problems.extend(f"{user.who} after the last look: {problem}" for problem in user.finish())
        problems, self.problems[:] = list(self.problems), []
        if not problems:
            return None
        return (
            f"{len(problems)} problem(s) on the pages of the journey (screenshots in {self.shots_dir}):\n"
            + ("\n".join(f"  - {p}" for p in problems))
        )

    def fail_on_page_problems(self) -> None:
        report = self.page_problem_report()
        if report:
            pytest.fail(report, pytrace=False)

    def open(self, who: str) -> UserBrowser:
        """A fresh browser (own cookies) for one person of the journey."""
        user = UserBrowser(
            self.browser,
            self.base_url,
            self.device,
            who,
            self.shots_dir,
            self._counter,
            DEFAULT_TIMEOUT_MS,
            self.problems,
        )
        self.browsers.append(user)
        return user

    def sign_in(self, who: str, username: str, password: str = TEST_PASSWORD) -> UserBrowser:
        """Open a browser for ``who`` and sign in through the login page, landing on the home page."""
        user = self.open(who)
        page = user.page
        page.goto("/login")
        user.see("sign-in page")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        user.tap(page.get_by_role("main").get_by_role("button", name=SIGN_IN))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
        user.see("home")
        return user


@pytest.fixture(params=DEVICES, ids=lambda d: f"{d.name}{d.width}")
def device(request: pytest.FixtureRequest) -> Device:
    return request.param


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> object:
    """A journey that reached its end fails here, in its own call, if any of its pages had a problem; one
    that stopped on a failed expectation carries them in its failure's notes."""
    trip = getattr(item, "funcargs", {}).get("journey")
    try:
        result = yield
    except BaseException as failure:
        report = trip.page_problem_report() if isinstance(trip, Journey) else None
        if report:
            failure.add_note("Before it stopped, the journey met these problems:\n" + report)
        raise
    if isinstance(trip, Journey):
        trip.fail_on_page_problems()
    return result


@pytest.fixture
def journey(
    request: pytest.FixtureRequest, browser: Browser, live_server: str, device: Device
) -> Iterator[Journey]:
    name = request.node.originalname.removeprefix("test_")
    trip = Journey(browser, live_server, device, name)
    yield trip
    failed = any(r.failed for r in request.node.stash.get(_reports, {}).values())
    for user in trip.browsers:
        if failed:
            with contextlib.suppress(Exception):  # a screenshot must never hide the real failure
                user.page.screenshot(path=str(trip.shots_dir / f"FAILED-{user.who}.png"), full_page=True)
        user.close()


@pytest.fixture
def artifacts(journey: Journey) -> Path:
    """Where the journey keeps what it downloads (next to its screenshots)."""
    return journey.shots_dir
