"""An administrator adds a new version of a document's form from the page (issue 17 item 2): a mistake is
answered beside its field with what was typed kept, the saved version is listed with its dates, and the
version before it ends the day before. At laptop and phone widths: no sideways scrolling, no console error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import TEST_PASSWORD
from tests.document_templates_support import restore_document_templates


@pytest.fixture(autouse=True)
def _templates_put_back(app):
    yield
    with app.app_context():
        restore_document_templates()


@pytest.mark.parametrize("width", ["laptop", "phone"])
def test_a_new_version_of_a_form(request, make_user, artifacts_dir: Path, width: str):
    page: Page = request.getfixturevalue("page" if width == "laptop" else "phone_page")
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" and "400" not in msg.text else None,
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    make_user("quantri.mau", "admin")
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill("quantri.mau")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(re.compile(r"/login"))

    page.goto("/admin/agency/templates/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mẫu văn bản")
    page.get_by_role("link", name="Thêm phiên bản").click()
    page.get_by_label("Loại văn bản").select_option(label="Quyết định xử phạt vi phạm hành chính")
    page.get_by_label("Phiên bản").fill("MQĐ02, Nghị định 999/2026/NĐ-CP")
    page.get_by_label("Có hiệu lực từ ngày").fill("01/07/2026")
    page.get_by_label("Mã mẫu").fill("MQĐ02")
    page.get_by_label("Tên văn bản khi in").fill("QUYẾT ĐỊNH Xử phạt vi phạm hành chính")
    page.get_by_label("Căn cứ pháp lý").fill("Luật Xử lý vi phạm hành chính\nNghị định số 999/2026/NĐ-CP")
    page.get_by_label("Số, ký hiệu").fill("QĐ-XPHC")
    page.get_by_label("Mức độ tin cậy của nguồn").select_option(label="Từ nguồn thứ cấp")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#number_pattern-error")).to_be_visible()
    expect(page.get_by_label("Căn cứ pháp lý")).to_have_value(
        "Luật Xử lý vi phạm hành chính\nNghị định số 999/2026/NĐ-CP"
    )
    page.get_by_label("Số, ký hiệu").fill("{n}/QĐ-XPHC")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu phiên bản “MQĐ02, Nghị định 999/2026/NĐ-CP”.")).to_be_visible()
    version = page.get_by_test_id("template-version").filter(has_text="999/2026")
    expect(version).to_contain_text("Có hiệu lực từ 01/07/2026")
    expect(page.get_by_test_id("template-version").filter(has_text="189/2025")).to_contain_text(
        "đến 30/06/2026"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path=str(artifacts_dir / f"document-templates-{width}.png"), full_page=True)
    assert errors == []
