"""One person's browser in a journey, with the checks that every page they see must pass.

A ``UserBrowser`` is a Playwright context and page of one user (an inspector, a manager...) at one device
size.
What every page gets, without the journey asking:

* an init script measures the layout once each document has loaded (``document.documentElement.scrollWidth``
  against ``window.innerWidth``) and reports it to Python through an exposed binding: a page that scrolls
  sideways fails the journey even if the journey never looks at it; so does content the screen cuts off
  (text, an image, a control or a chart whose box passes the screen's edge inside a box that scrolls or
  clips sideways — a table's last columns on a phone, a map wider than its card);
* every console message of type ``error`` and every uncaught page error is recorded and fails the journey
  (``answer_expected(403)`` lets through the one console error Chromium logs for a document answered with
  that status: the refusal page, or a form shown again with its errors under 400);
* ``see(step)`` — to be called on each page the journey visits — waits for the page, measures its layout
  again (scripts may have changed it since load), keeps a full-page screenshot named by journey, width and
  step in ``test-artifacts/journeys/``, and notes any problem recorded since the previous look against
  that step. A page that was loaded and left without ``see`` is itself a problem ("loaded without a
  look"), so every page of a journey has its screenshot and its checks at the step where it appeared.

Problems of the pages do not stop the journey: they are collected, and the journey fixture (``conftest.py``)
fails the test at the end with all of them (each with its step and screenshot), adding what ``finish()``
finds after the last look. A journey thus shows every page that overflows or logs an error in one run;
what the journey itself expects (a field, a button, a figure) still stops it where it fails.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect


@dataclass(frozen=True)
class Device:
    name: str
    width: int
    height: int
    phone: bool

    @property
    def context_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {
            "viewport": {"width": self.width, "height": self.height},
            "locale": "vi-VN",
            "timezone_id": "Asia/Ho_Chi_Minh",
            "accept_downloads": True,
        }
        if self.phone:
            options.update(is_mobile=True, has_touch=True, device_scale_factor=1)
        return options


LAPTOP = Device("laptop", 1366, 768, phone=False)
PHONE = Device("phone", 390, 844, phone=True)
DEVICES = (LAPTOP, PHONE)

NAV_MENU = "Trình đơn"  # the navbar's toggle (aria-label "Menu"), shown below 992 px

_LAYOUT_SCRIPT = """
(() => {
  if (window.__journeyMeasure) return;
  const docId = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const describe = (el) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += "#" + el.id;
    if (typeof el.className === "string" && el.className.trim())
      d += "." + el.className.trim().split(/\\s+/).slice(0, 3).join(".");
    const text = (el.innerText || el.getAttribute("aria-label") || "").trim().replace(/\\s+/g, " ");
    const r = el.getBoundingClientRect();
    return d + (text ? ' "' + text.slice(0, 40) + '"' : "") + " right=" + Math.round(r.right);
  };
  window.__journeyMeasure = () => {
    const root = document.documentElement;
    const width = window.innerWidth;
    const out = {doc: docId, url: location.href, scrollWidth: root.scrollWidth, innerWidth: width, wide: []};
    if (root.scrollWidth > width) {
      for (const el of document.body.querySelectorAll("*")) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.right <= width + 1) continue;
        if ([...el.children].some((c) => c.getBoundingClientRect().right > width + 1)) continue;
        out.wide.push(describe(el));
        if (out.wide.length >= 6) break;
      }
    }
    // content the screen cuts off: text, images, controls and charts whose box passes the screen's edge
    // (inside a box that scrolls sideways, or clipped by one), while the page itself does not scroll
    out.cut = [];
    const leaf = (el) =>
      ["img", "svg", "input", "select", "textarea", "button", "canvas"].includes(el.tagName.toLowerCase()) ||
      [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    for (const el of document.body.querySelectorAll("*")) {
      if (el.tagName.toLowerCase() !== "svg" && el.closest("svg")) continue;
      if (!leaf(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) continue;
      if (r.right + window.scrollX <= width + 1 && r.left + window.scrollX >= -1) continue;
      if (getComputedStyle(el).visibility === "hidden") continue;
      out.cut.push(describe(el));
      if (out.cut.length >= 6) break;
    }
    return out;
  };
  window.addEventListener("load", () => {
    requestAnimationFrame(() => setTimeout(() => window.__journeyLoaded(window.__journeyMeasure()), 0));
  });
})();
"""


def _slug(text: str) -> str:
    """A file name's part: "Phường Mỹ Thới" -> "phuong-my-thoi"."""
    plain = unicodedata.normalize("NFKD", text.lower().replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60]


class UserBrowser:
    """A signed-in (or signing-in) user's browser; ``page`` is the Playwright page the journey drives."""

    def __init__(
        self,
        browser: Browser,
        base_url: str,
        device: Device,
        who: str,
        shots_dir: Path,
        counter: itertools.count[int],
        default_timeout_ms: int,
        problems: list[str],
    ) -> None:
        self.device = device
        self.who = who
        self.shots_dir = shots_dir
        self._counter = counter
        self.problems = problems  # shared by the journey's browsers, reported at its end
        self.context: BrowserContext = browser.new_context(base_url=base_url, **device.context_options)
        self.context.set_default_timeout(default_timeout_ms)
        self.loads: list[dict[str, Any]] = []
        self._looked_docs: set[str] = set()
        self._errors: list[str] = []
        self._reported_errors = 0
        self._statuses_allowed: list[int] = []
        self.shots: list[Path] = []
        self.context.expose_binding("__journeyLoaded", self._on_loaded)
        self.context.add_init_script(_LAYOUT_SCRIPT)
        self.context.on("page", self._watch)
        self.page: Page = self.context.new_page()

    # --- recording (event handlers: no Playwright calls in here) ------------------------------------

    def _watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self._errors.append(f"page error: {error}"))

    def _on_console(self, message: Any) -> None:
        if message.type != "error":
            return
        text = message.text
        status = re.search(r"Failed to load resource: the server responded with a status of (\d+)", text)
        if status and int(status.group(1)) in self._statuses_allowed:
            return
        self._errors.append(f"console error: {text} ({message.location.get('url', '')})")

    def _on_loaded(self, source: Any, measure: dict[str, Any]) -> None:
        if not str(measure.get("url", "")).startswith("about:"):
            self.loads.append(measure)

    # --- what the journey calls ---------------------------------------------------------------------

    @property
    def phone(self) -> bool:
        return self.device.phone

    def tap(self, target: Locator) -> None:
        """Press a button or a link the way this device does: a tap on the phone, a click on the laptop."""
        if self.phone:
            target.scroll_into_view_if_needed()
            target.tap()
        else:
            target.click()

    def nav(self, name: str | re.Pattern[str]) -> None:
        """Follow a link of the navigation bar, opening its menu first where it is collapsed."""
        navbar = self.page.get_by_role("navigation").first
        link = navbar.get_by_role("link", name=name, exact=True) if isinstance(name, str) else None
        if link is None:
            link = navbar.get_by_role("link", name=name)
        self.open_menu()
        self.tap(link.first)

    def open_menu(self) -> None:
        """Where the navigation bar is collapsed (below 992 px), tap its menu toggle and wait until the menu
        has stopped unfolding (a tap during Bootstrap's animation lands on the wrong link)."""
        navbar = self.page.get_by_role("navigation").first
        toggle = navbar.get_by_role("button", name=NAV_MENU)
        if not toggle.is_visible():
            return
        expect(toggle).to_have_attribute("aria-expanded", "false")
        self.tap(toggle)
        menu = navbar.locator("#" + (toggle.get_attribute("aria-controls") or "mainnav"))
        expect(menu).to_have_class(re.compile(r"(^|\s)show(\s|$)"))

    def nav_button(self, name: str, menu: str | None = None) -> None:
        """Press a button of the navigation bar (e.g. "Đăng xuất"), opening its menu first if collapsed, and
        then ``menu`` (e.g. the user menu, the button with the user's name) when the button is in it."""
        navbar = self.page.get_by_role("navigation").first
        self.open_menu()
        button = navbar.get_by_role("button", name=name, exact=True)
        if menu is not None:
            opener = navbar.get_by_role("button", name=menu, exact=True)
            expect(opener).to_be_visible()
            self.tap(opener)
        expect(button).to_be_visible()
        self.tap(button)

    @contextlib.contextmanager
    def answer_expected(self, status: int) -> Iterator[None]:
        """Within the block, a document answered with ``status`` (403: the refusal page; 400: a form shown
        again with its errors) is expected: Chromium's console error for it is not a problem."""
        self._statuses_allowed.append(status)
        try:
            yield
        finally:
            self._statuses_allowed.remove(status)

    def soft(self, what: str, check: Callable[[], object]) -> bool:
        """An expectation the journey can go on without (a wrong format, a misread number): when it fails,
        it is noted as a problem of the current page, reported at the end, and the journey goes on."""
        try:
            check()
        except AssertionError as failure:
            shot = self.shots_dir / f"{next(self._counter):02d}-{self.who}-failed-{_slug(what)}.png"
            with contextlib.suppress(Exception):
                self.page.screenshot(path=str(shot), full_page=True, animations="disabled")
            shot = shot.name
            first = str(failure).strip().splitlines()[0] if str(failure).strip() else repr(failure)
            self.problems.append(f"{self.who} at {_path(self.page.url)} ({shot}): {what}: {first}")
            return False
        return True

    def see(self, step: str) -> Path:
        """Look at the page: wait for it, check its layout and the console, keep a full-page screenshot."""
        page = self.page
        page.wait_for_load_state("load")
        measure = self._measure_now()
        self._wait_for_load_report(measure["doc"])
        number = next(self._counter)
        path = self.shots_dir / f"{number:02d}-{self.who}-{_slug(step)}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        self.shots.append(path)
        problems = self._problems(current=measure)
        self._looked_docs.add(measure["doc"])
        if problems:
            where = f"{self.who} at {step!r} ({_path(page.url)}, {path.name})"
            self.problems.extend(f"{where}: {problem}" for problem in problems)
        return path

    def finish(self) -> list[str]:
        """What went wrong after the last look (called by the fixture at the end of the journey)."""
        return self._problems(current=None)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.context.close()

    # --- internals -------------------------------------------------------------------------------------

    def _measure_now(self) -> dict[str, Any]:
        for _ in range(3):
            try:
                measure = self.page.evaluate("() => window.__journeyMeasure && window.__journeyMeasure()")
            except Exception:  # noqa: BLE001 - a navigation started in between: wait and measure again
                self.page.wait_for_load_state("load")
                continue
            if measure:
                return measure
            self.page.wait_for_load_state("load")
        raise AssertionError(f"{self.who}: the page {self.page.url} could not be measured")

    def _wait_for_load_report(self, doc: str) -> None:
        deadline = time.monotonic() + 5
        while not any(load["doc"] == doc for load in self.loads):
            if time.monotonic() > deadline:
                return  # a document that never fired "load" is measured now all the same
            self.page.wait_for_timeout(20)

    def _problems(self, current: dict[str, Any] | None) -> list[str]:
        problems: list[str] = []
        for load in self.loads:
            if load.get("_reported"):
                continue
            load["_reported"] = True
            if current is not None and load["doc"] == current["doc"]:
                problems.extend(_overflow(load))
                continue
            if load["doc"] in self._looked_docs:
                continue
            problems.append(f"loaded and left without a look (no step, no screenshot): {_path(load['url'])}")
            problems.extend(_overflow(load))
        if current is not None:
            problems.extend(_overflow(current))
        new_errors = self._errors[self._reported_errors :]
        self._reported_errors = len(self._errors)
        problems.extend(new_errors)
        return list(dict.fromkeys(problems))  # the same overflow at load and when looked at: once


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _overflow(measure: dict[str, Any]) -> list[str]:
    if measure["scrollWidth"] > measure["innerWidth"]:
        wide = "; ".join(measure.get("wide") or []) or "?"
        return [
            f"scrolls sideways: scrollWidth {measure['scrollWidth']} > {measure['innerWidth']} "
            f"(widest: {wide})"
        ]
    if measure.get("cut"):
        return [
            "content cut off at the screen's edge (seen only by scrolling a box sideways): "
            + "; ".join(measure["cut"])
        ]
    return []
