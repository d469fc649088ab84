"""On a phone: an inspector records one case of each kind, with the commune suggestion and an evidence upload;
a liaison cannot open another commune's case by URL."""

from __future__ import annotations

import io
import re

from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import select

from cases.db import db
from cases.models import Case, Establishment
from tests.conftest import TEST_PASSWORD


def _sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Xin chào")


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _pick_establishment(page: Page, query: str, name: str) -> None:
    page.fill("#establishment-search", query)
    page.get_by_role("option", name=re.compile(name)).click()
    expect(page.locator("#establishment_id")).not_to_have_value("")


def _photo_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 30)).save(buf, "JPEG")
    return buf.getvalue()


def test_inspector_records_each_kind_on_a_phone(app, phone_page: Page, make_user, artifacts_dir):
    page = phone_page
    make_user("thanhtra1", "inspector", full_name="Nguyễn Văn A")
    with app.app_context():
        db.session.add(
            Establishment(name="Cửa hàng xăng dầu Vĩnh Thanh", tax_code="0100109106", commune_code="30742")
        )
        db.session.commit()
    _sign_in(page, "thanhtra1")

    # 1. an inspection; the commune comes from an old-format address
    page.goto("/cases/new/inspection")
    _no_sideways_scroll(page)
    page.get_by_label("Đột xuất").check()
    page.get_by_label("Kinh doanh xăng dầu").check()
    page.fill("#decision_number", "21/QĐ-SKHCN")
    _pick_establishment(page, "vinh thanh", "Vĩnh Thanh")
    page.fill("#address", "45 Lạc Hồng, Phường Vĩnh Thanh, TP Rạch Giá, Kiên Giang")
    page.get_by_role("button", name="Gợi ý xã/phường từ địa chỉ").click()
    expect(page.locator("#location-messages")).to_contain_text("Phường Rạch Giá")
    expect(page.locator("#commune_code")).to_have_value("30742")
    page.screenshot(path=str(artifacts_dir / "record-inspection-phone.png"), full_page=True)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("[data-testid=case-number]")).to_have_text(re.compile(r"KT-\d{4}-0001"))
    expect(page.locator("[data-testid=case-commune]")).to_have_text("Phường Rạch Giá")
    _no_sideways_scroll(page)

    # evidence: a photo from the phone
    page.set_input_files(
        "input[name=files]",
        files=[{"name": "hien-truong.jpg", "mimeType": "image/jpeg", "buffer": _photo_bytes()}],
    )
    page.locator("[data-testid=evidence-upload] button[type=submit]").click()
    expect(page.locator("#evidence img").first).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "case-with-evidence-phone.png"), full_page=True)

    # 2. an e-commerce check; GPS fills the coordinates and the commune
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 10.3661, "longitude": 105.423})
    page.goto("/cases/new/ecommerce")
    page.select_option("#platform", "tiktok")
    page.fill("#listing_url", "https://www.tiktok.com/@shop/video/123")
    page.fill("#seller_name", "Shop Mỹ Phẩm Xịn")
    page.fill("#price_vnd", "250.000")
    page.get_by_role("button", name="Dùng vị trí của tôi").click()
    expect(page.locator("#commune_code")).to_have_value("30307")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("[data-testid=case-number]")).to_have_text(re.compile(r"TMĐT-\d{4}-0001"))
    expect(page.locator("main")).to_contain_text("250.000")

    # 3. a survey in a new campaign
    page.goto("/cases/new/survey")
    page.select_option("#field", "fuel")
    page.fill("#new_campaign", "Khảo sát xăng dầu 2026")
    _pick_establishment(page, "0100109106", "Vĩnh Thanh")
    page.select_option("#commune_code", "30742")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("[data-testid=case-number]")).to_have_text(re.compile(r"KS-\d{4}-0001"))
    expect(page.locator("main")).to_contain_text("Khảo sát xăng dầu 2026")

    with app.app_context():
        kinds = sorted(db.session.scalars(select(Case.kind)))
        assert kinds == ["ecommerce", "inspection", "survey"]
        inspection = db.session.scalar(select(Case).where(Case.kind == "inspection"))
        assert len(inspection.evidence) == 1 and inspection.evidence[0].has_thumbnail


def test_liaison_cannot_open_another_communes_case_by_url(app, phone_page: Page, make_user):
    author = make_user("thanhtra2", "inspector")
    make_user("daumoi1", "liaison", communes=("30307",))
    with app.app_context():
        from tests import factories

        case = factories.case(db.session.get(type(author), author.id), "inspection", commune_code="30742")
        db.session.commit()
        case_id = case.id
    _sign_in(phone_page, "daumoi1")
    response = phone_page.goto(f"/cases/{case_id}")
    assert response is not None and response.status == 403
    expect(phone_page.locator("h1")).to_have_text("Không có quyền truy cập")
