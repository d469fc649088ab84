"""Activities in Chromium: an inspector records one with a file on a phone; the pages on a laptop."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import Page, expect

from cases.db import db
from cases.models import User
from cases.plan import activities
from cases.plan.activities import ActivityInput
from tests import evidence_samples as samples
from tests.conftest import TEST_PASSWORD

PHONE_WIDTH = 390


def _sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()


def _assert_no_horizontal_scroll(page: Page) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, f"the page is {scroll_width}px wide on a {PHONE_WIDTH}px screen"


def test_record_an_activity_with_a_file_on_a_phone(phone_page: Page, make_user, artifacts_dir: Path):
    make_user("thanhtra1", "inspector")
    page = phone_page
    _sign_in(page, "thanhtra1")
    page.goto("/activities/")
    expect(page.get_by_test_id("empty")).to_contain_text("Chưa có hoạt động nào được ghi nhận")
    page.get_by_test_id("new-activity").click()
    page.wait_for_url("**/activities/new**")
    page.wait_for_load_state("load")  # the form's script must be listening before the task is chosen

    # choosing the task fills in its usual type and unit
    page.locator("#task_code").select_option("2.2")
    expect(page.locator("#activity_type")).to_have_value("enterprise_support")
    expect(page.locator("#unit")).to_have_value("doanh nghiệp")
    page.locator("#task_code").select_option("3.2")
    expect(page.locator("#activity_type")).to_have_value("training")
    expect(page.locator("#unit")).to_have_value("lớp")

    page.locator("#title").fill("Lớp tập huấn kiểm tra đo lường xăng dầu")
    held_on = dt.date.today() - dt.timedelta(days=3)
    page.locator("#held_on").fill(held_on.strftime("%d/%m/%Y"))
    page.locator("#quantity").fill("0")  # refused: an activity counts at least once
    page.locator("#participants").fill("45")
    page.locator("#files").set_input_files(
        [{"name": "Danh sách học viên.pdf", "mimeType": "application/pdf", "buffer": samples.pdf()}]
    )
    _assert_no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "activity-form-phone.png"), full_page=True)
    page.get_by_role("button", name="Lưu").click()

    expect(page.locator("#quantity-error")).to_contain_text("ít nhất 1")
    expect(page.locator("#title")).to_have_value("Lớp tập huấn kiểm tra đo lường xăng dầu")
    expect(page.locator("#participants")).to_have_value("45")
    expect(page.locator("#files-error")).to_contain_text("chọn lại các tệp")
    page.locator("#quantity").fill("1")
    page.locator("#files").set_input_files(
        [{"name": "Danh sách học viên.pdf", "mimeType": "application/pdf", "buffer": samples.pdf()}]
    )
    page.get_by_role("button", name="Lưu").click()

    expect(page.locator(".alert-success")).to_contain_text("Đã ghi nhận hoạt động")
    expect(page.get_by_test_id("activity-title")).to_have_text("Lớp tập huấn kiểm tra đo lường xăng dầu")
    expect(page.get_by_test_id("activity-details")).to_contain_text("1 lớp")
    expect(page.get_by_test_id("evidence-item")).to_contain_text("Danh sách học viên.pdf")
    with page.expect_download() as download:
        page.get_by_test_id("evidence-item").get_by_role(
            "link", name="Danh sách học viên.pdf", exact=True
        ).click()
    assert download.value.suggested_filename == "Danh sách học viên.pdf"
    _assert_no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "activity-show-phone.png"), full_page=True)

    page.goto(f"/activities/?year={held_on.year}")
    expect(page.get_by_test_id("activity-row")).to_have_count(1)
    expect(page.get_by_test_id("task-totals").locator('tr[data-task="3.2"]')).to_contain_text("1 lớp")
    _assert_no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts_dir / "activities-list-phone.png"), full_page=True)


def test_activity_pages_on_a_laptop(page: Page, app, make_user, artifacts_dir: Path):
    user = make_user("lanhdao", "manager", full_name="Nguyễn Văn Lãnh")
    samples_rows = [
        ("1.1", "media", 3, "Phóng sự “Cân đúng, đo đủ” trên Đài PT-TH An Giang", 1, "lượt", None),
        ("1.2", "conference", 20, "Hội nghị phổ biến Luật Chất lượng sản phẩm, hàng hóa", 1, "lượt", 120),
        (
            "2.2",
            "enterprise_support",
            45,
            "Hỗ trợ doanh nghiệp áp dụng mã số mã vạch",
            12,
            "doanh nghiệp",
            None,
        ),
        ("3.2", "training", 60, "Lớp tập huấn nghiệp vụ kiểm tra đo lường", 1, "lớp", 45),
        ("5.1", "guidance", 90, "Công văn hướng dẫn thực hiện Nghị định 37/2025", 1, "văn bản", None),
    ]
    today = dt.date.today()
    with app.app_context():
        actor = db.session.get(User, user.id)
        for task, kind, days, title, quantity, unit, participants in samples_rows:
            held_on = max(today - dt.timedelta(days=days), dt.date(today.year, 1, 1))
            activities.create_activity(
                actor=actor,
                data=ActivityInput(
                    task_code=task,
                    activity_type=kind,
                    held_on=held_on,
                    title=title,
                    quantity=quantity,
                    unit=unit,
                    participants=participants,
                    responsible_unit="Phòng Quản lý chuyên ngành",
                    commune_code="30742" if task == "2.2" else None,
                ),
                today=today,
            )
        db.session.commit()
    _sign_in(page, "lanhdao")
    page.goto("/activities/")
    expect(page.get_by_test_id("activity-row")).to_have_count(5)
    expect(page.get_by_test_id("task-totals").locator('tr[data-task="2.2"]')).to_contain_text(
        "12 doanh nghiệp"
    )
    page.screenshot(path=str(artifacts_dir / "activities-list-laptop.png"), full_page=True)
    page.goto("/activities/new?task=1.2")
    expect(page.locator("#activity_type")).to_have_value("conference")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#title-error")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "activity-form-laptop.png"), full_page=True)


def test_targets_page_on_a_laptop(page: Page, app, make_user, artifacts_dir: Path):
    make_user("quantri", "admin")
    _sign_in(page, "quantri")
    page.get_by_test_id("nav-admin").click()  # the administration menu
    page.get_by_role("link", name="Chỉ tiêu của kế hoạch").click()
    expect(page.get_by_test_id("plan-tasks").locator("tbody tr")).to_have_count(15)
    page.screenshot(path=str(artifacts_dir / "targets-list-laptop.png"), full_page=True)
    page.locator('tr[data-task="II.1.a"]').get_by_role("link", name="Sửa").click()
    page.locator("#cumulative_from").fill("2031")  # after the last year: refused, nothing saved
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#cumulative_to-error")).to_contain_text("không được trước năm bắt đầu")
    page.screenshot(path=str(artifacts_dir / "target-form-laptop.png"), full_page=True)
