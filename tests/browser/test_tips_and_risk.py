"""Planning (issue 18) in Chromium, at 1366 and 390 px: an inspector records a tip from an establishment's
page, sees its risk score and its reasons change, and opens an unscheduled case from the tip. Fields by their
labels, buttons by their text; no sideways scrolling, no console error."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from cases.db import db
from cases.models import Case, Establishment, Tip
from tests.conftest import TEST_PASSWORD


@pytest.mark.parametrize("width", [1366, 390])
def test_a_tip_raises_the_score_and_opens_an_unscheduled_case(
    request, app, make_user, artifacts_dir: Path, width: int
):
    page: Page = request.getfixturevalue("page" if width > 576 else "phone_page")
    if width > 576:
        page.set_viewport_size({"width": width, "height": 800})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    make_user("thanhtra1", "inspector")
    with app.app_context():
        est = Establishment(name="Cửa hàng xăng dầu Bình Minh", commune_code="30742", address="5 Lê Lợi")
        db.session.add(est)
        db.session.commit()
        est_id = est.id

    def no_sideways_scroll() -> None:
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill("thanhtra1")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(re.compile(r"/login"))

    page.goto(f"/establishments/{est_id}")
    card = page.get_by_test_id("risk-score")
    expect(card).to_contain_text("Điểm rủi ro")
    expect(card.get_by_test_id("risk-reasons")).to_contain_text("Chưa có lần kiểm tra nào")
    expect(card.get_by_test_id("risk-reasons")).not_to_contain_text("tin báo")
    before = int(card.get_by_test_id("risk-total").inner_text())
    no_sideways_scroll()

    # the tips list's form finds the establishment by name (js/tip_form.js); its page's form names it already
    page.goto("/tips/new")
    page.get_by_label("Tìm theo tên hoặc mã số thuế (có dấu hoặc không dấu)").fill("binh minh")
    page.get_by_role("option", name="Cửa hàng xăng dầu Bình Minh").click()
    expect(page.get_by_label("Cơ sở", exact=True)).to_have_value(str(est_id))
    page.goto(f"/establishments/{est_id}")
    page.get_by_role("link", name="Ghi nhận tin báo").click()
    page.get_by_label("Nguồn").select_option(label="Đường dây nóng")
    page.get_by_label("Ngày tiếp nhận").fill(dt.date.today().strftime("%d/%m/%Y"))
    page.get_by_label("Nội dung tin báo").fill("Người dân phản ánh cột bơm số 2 bơm thiếu")
    no_sideways_scroll()
    page.get_by_role("button", name="Lưu tin báo").click()
    expect(page.get_by_text("Đã ghi nhận tin báo.")).to_be_visible()

    page.get_by_role("link", name="Cửa hàng xăng dầu Bình Minh").click()
    card = page.get_by_test_id("risk-score")
    expect(card.get_by_test_id("risk-reasons")).to_contain_text("1 tin báo, phản ánh chưa xử lý")
    assert int(card.get_by_test_id("risk-total").inner_text()) == before + 6
    no_sideways_scroll()
    page.screenshot(path=str(artifacts_dir / f"risk-score-{width}.png"), full_page=True)

    page.get_by_test_id("establishment-tips").get_by_role("link").first.click()
    page.get_by_role("link", name="Mở vụ việc đột xuất").click()
    expect(page.get_by_test_id("case-tip")).to_contain_text("Căn cứ: tin báo, phản ánh")
    expect(page.get_by_label("Đột xuất")).to_be_checked()
    page.get_by_label("Phương tiện đo").check()
    no_sideways_scroll()
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page).to_have_url(re.compile(r"/cases/\d+$"))
    assert errors == []

    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.establishment_id == est_id)).one()
        tip = db.session.scalars(select(Tip).where(Tip.establishment_id == est_id)).one()
        assert (case.mode, case.tip_id, tip.status) == ("unscheduled", tip.id, "used")
