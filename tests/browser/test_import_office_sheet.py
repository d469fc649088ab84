"""A manager imports a team's own register through the upload page (issue 21): title rows, Vietnamese
headers in their own order, an STT column, the tax code as Excel left it, the kind and status chosen on the
page for the rows that do not say. At laptop and phone widths: no sideways scrolling, no console error."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from cases.db import db
from cases.models import Case
from tests.conftest import TEST_PASSWORD
from tests.transfer_helpers import xlsx_bytes

SHEET = [
    ["SỔ THEO DÕI KIỂM TRA NĂM 2024", None, None, None, None, None, None],
    ["STT", "Mã hồ sơ", "Tên cơ sở", "Mã số thuế", "Ngày kiểm tra", "Lĩnh vực", "Mã xã"],
    [1, "TT-2024-01", "Cửa hàng xăng dầu Số 9", 100109106, dt.datetime(2024, 5, 7), "Kinh doanh xăng dầu",
     30341],
    [2, "TT-2024-02", "Tiệm vàng Kim Hoa", None, "8/5/24", "Kinh doanh vàng trang sức, mỹ nghệ", "30341"],
]  # fmt: skip


@pytest.mark.parametrize("width", ["laptop", "phone"])
def test_a_team_register_is_imported_from_the_page(
    request, app, make_user, tmp_path: Path, artifacts_dir: Path, width: str
):
    page: Page = request.getfixturevalue("page" if width == "laptop" else "phone_page")
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    make_user("lanhdao1", "manager")
    sheet = tmp_path / "so-theo-doi-2024.xlsx"
    sheet.write_bytes(xlsx_bytes(SHEET))

    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill("lanhdao1")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(re.compile(r"/login"))

    page.goto("/cases/import")
    page.get_by_label("Tệp (.csv hoặc .xlsx)").set_input_files(str(sheet))
    page.get_by_label("Bảng tính có tiêu đề cột riêng (sổ theo dõi của đội)").check()
    page.get_by_role("button", name="Nhập", exact=True).click()
    # without the kind and the status the page names what the sheet lacks, at its header row
    expect(page.get_by_test_id("import-refused")).to_be_visible()
    expect(page.locator('tr[data-row="2"][data-column="case_type"]')).to_be_visible()
    expect(page.locator('tr[data-row="2"][data-column="status"]')).to_be_visible()

    page.get_by_label("Tệp (.csv hoặc .xlsx)").set_input_files(str(sheet))
    page.get_by_label("Loại hồ sơ, cho các dòng không ghi").select_option(label="Kiểm tra")
    page.get_by_label("Trạng thái, cho các dòng không ghi").select_option(label="Nháp")
    mode = page.get_by_label("Theo kế hoạch hay đột xuất, cho các dòng không ghi")
    mode.select_option(label="Theo kế hoạch")
    page.get_by_role("button", name="Nhập", exact=True).click()
    created = page.get_by_test_id("import-created")
    expect(created).to_be_visible()
    expect(created).to_contain_text("2")
    mapping = page.get_by_test_id("import-mapping")
    mapping.locator("summary").click()
    expect(mapping).to_contain_text("Tên cơ sở")
    expect(page.get_by_test_id("import-ignored")).to_contain_text("STT")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path=str(artifacts_dir / f"import-office-sheet-{width}.png"), full_page=True)
    assert errors == []

    with app.app_context():
        cases = db.session.scalars(select(Case).order_by(Case.import_ref)).all()
        assert [(c.import_ref, c.kind, c.status, c.mode, c.fields) for c in cases] == [
            ("TT-2024-01", "inspection", "draft", "planned", ["fuel"]),
            ("TT-2024-02", "inspection", "draft", "planned", ["gold"]),
        ]
        assert cases[0].establishment.tax_code == "0100109106"
