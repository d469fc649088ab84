"""The admin's page of the plan's targets: the list, the edit form's errors, and who may open it."""

from __future__ import annotations

import re

import pytest

from cases.db import db
from cases.models import PlanTask
from tests.plan_support import restore_plan_tasks


@pytest.fixture
def admin(make_user, app):
    yield make_user("quantri", "admin")
    with app.app_context():
        restore_plan_tasks()


def _task(app, code: str) -> PlanTask:
    with app.app_context():
        task = db.session.get(PlanTask, code)
        db.session.expunge(task)
        return task


def test_the_list_shows_every_task_with_its_target(client, login, admin):
    login(admin)
    page = client.get("/admin/plan-tasks/").get_data(as_text=True)
    rows = re.findall(r'<tr data-task="([^"]+)">', page)
    assert len(rows) == 15 and rows[0] == "1.1" and rows[-1] == "II.1.a"
    assert "02 lượt/năm" in page and "Cộng dồn qua nhiều năm 2025–2030" in page
    assert 'href="/admin/plan-tasks/"' in page  # in the nav


def test_an_admin_changes_a_target(app, client, login, admin):
    login(admin)
    form = client.get("/admin/plan-tasks/2.2/edit").get_data(as_text=True)
    assert 'value="10"' in form and "Hỗ trợ doanh nghiệp về TCĐLCL" in form
    resp = client.post(
        "/admin/plan-tasks/2.2/edit",
        data={
            "target_text": "15 doanh nghiệp/năm",
            "target_measure": "per_year",
            "target_value": "15",
            "target_unit": "doanh nghiệp",
            "reason": "Kế hoạch điều chỉnh năm 2027",
        },
        follow_redirects=True,
    )
    assert "Đã lưu chỉ tiêu của nhiệm vụ 2.2." in resp.get_data(as_text=True)
    assert _task(app, "2.2").target_value == 15


def test_errors_come_back_beside_the_fields_and_nothing_changes(app, client, login, admin):
    login(admin)
    resp = client.post(
        "/admin/plan-tasks/II.1.a/edit",
        data={
            "target_text": "ít nhất 06 hội nghị",
            "target_measure": "cumulative",
            "target_value": "",
            "cumulative_from": "2030",
            "cumulative_to": "2025",
            "counts_activity_types": ["conference", "training"],
        },
    )
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert re.search(r'id="target_value-error">Nhập chỉ tiêu bằng số', page)
    assert re.search(r'id="cumulative_to-error">Năm kết thúc không được trước năm bắt đầu', page)
    assert 'value="ít nhất 06 hội nghị"' in page and 'value="2030"' in page
    assert re.search(r'value="training" checked|checked[^>]*value="training"', page)
    task = _task(app, "II.1.a")
    assert (task.target_value, task.cumulative_from, task.cumulative_to) == (5, 2025, 2030)
    bad_number = client.post(
        "/admin/plan-tasks/1.1/edit", data={"target_measure": "per_year", "target_value": "hai"}
    )
    assert bad_number.status_code == 400 and 'value="hai"' in bad_number.get_data(as_text=True)


@pytest.mark.parametrize("role", ["inspector", "manager", "liaison"])
def test_only_admins_open_the_targets(client, login, make_user, role):
    login(make_user("nguoidung", role, communes=("30742",) if role == "liaison" else ()))
    assert client.get("/admin/plan-tasks/").status_code == 403
    assert client.post("/admin/plan-tasks/1.1/edit", data={"target_measure": "none"}).status_code == 403
    assert 'href="/admin/plan-tasks/"' not in client.get("/").get_data(as_text=True)


def test_an_unknown_task_is_404(client, login, admin):
    login(admin)
    assert client.get("/admin/plan-tasks/9.9/edit").status_code == 404


def test_a_number_not_read_and_the_rules_are_answered_at_once(app, client, login, admin):
    """A numeric target that is not a number and a cumulative target without its years: one answer says
    both (issue 14 item 9; before, the years waited for the number to be read)."""
    login(admin)
    resp = client.post(
        "/admin/plan-tasks/1.1/edit",
        data={
            "target_measure": "cumulative",
            "target_value": "hai",
            "cumulative_from": "",
            "cumulative_to": "",
        },
    )
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert 'id="target_value-error"' in page and 'value="hai"' in page
    assert re.search(r'id="cumulative_from-error">[^<]*bắt buộc', page)
    assert re.search(r'id="cumulative_to-error">[^<]*bắt buộc', page)
