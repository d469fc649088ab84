"""An e-commerce check through the pages, from the form to the report: recorded with its action, submitted,
approved, closed, its takedown recorded afterwards, counted by the dashboard and the annual report.

The forms are filled from the rendered pages by their labels (``tests/page_forms.py``): a field the
template leaves out cannot be filled, as the user could not. Before the fix the form had no "action taken"
and the check could never be submitted.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import tinyhtml5
from sqlalchemy import select

from cases.db import db
from cases.models import AuditEvent, Case
from tests.page_forms import fill

VI = {"Accept-Language": "vi"}
NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def people(make_user):
    return (
        make_user("kiemtra1", "inspector", full_name="Nguyễn Kiểm Tra"),
        make_user("quanly", "manager", full_name="Trần Thị Quản Lý"),
    )


def _as(client, login, user):
    client.get("/logout")
    client.post("/logout")
    login(user)


def _report_figure(html: str, label: str, year: int) -> str:
    """The report page's figure for ``year`` in the row headed ``label`` (columns found by their header)."""
    root = tinyhtml5.parse(html)
    cells = f"{NS}td", f"{NS}th"
    for table in root.iter(f"{NS}table"):
        header: list[str] = []
        for row in table.iter(f"{NS}tr"):
            texts = [" ".join("".join(c.itertext()).split()) for c in row if c.tag in cells]
            if str(year) in texts and not header:
                header = texts
            elif texts and texts[0] == label and header:
                return texts[header.index(str(year))]
    raise AssertionError(f"no row {label!r} with a column {year} in the report")


STATUS_WORDS = {"Nháp": "draft", "Đã gửi duyệt": "submitted", "Đã duyệt": "approved", "Đã kết thúc": "closed"}


def _status(page: str) -> str:
    shown = re.search(r'data-testid="case-status">([^<]+)<', page).group(1).strip()
    return STATUS_WORDS.get(shown, shown)


def _open_takedowns(client) -> str:
    page = client.get("/", headers=VI).get_data(as_text=True)
    found = re.search(r'id="h-takedowns">[^<]*<a[^>]*>([^<]+)</a>', page)
    assert found, "the dashboard has no 'takedowns still open' panel"
    return found.group(1).strip()


def test_an_ecommerce_check_from_the_form_to_the_report(app, client, login, people):
    inspector, manager = people
    today = dt.date.today()
    asked = today - dt.timedelta(days=6)
    login(inspector)
    page = client.get("/cases/new/ecommerce", headers=VI).get_data(as_text=True)
    data = fill(
        page,
        {
            "Ngày mở hồ sơ": asked.strftime("%d/%m/%Y"),
            "Nền tảng": "Shopee",
            "Đường dẫn tin đăng": "https://shopee.vn/nuoc-hoa-chanel-i.123.456",
            "Tên người bán": "Shop Hàng Hiệu AG",
            "Dấu hiệu vi phạm": "Hàng giả",
            "Xã/phường/đặc khu (từ 01/07/2025)": "30742",
            "Biện pháp xử lý": "Yêu cầu sàn gỡ bỏ",
            "Ngày xử lý": asked.strftime("%d/%m/%Y"),
        },
        form_id="case-form",
    )
    resp = client.post("/cases/new/ecommerce", data=data, headers=VI)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    case_url = resp.headers["Location"]
    case_id = int(case_url.rstrip("/").rsplit("/", 1)[1])

    page = client.get(case_url, headers=VI).get_data(as_text=True)
    assert 'data-testid="missing-fields"' not in page
    resp = client.post(f"/cases/{case_id}/submit", data=fill(page, {}, action=f"/cases/{case_id}/submit"))
    assert resp.status_code == 302
    page = client.get(case_url, headers=VI).get_data(as_text=True)
    assert _status(page) == "submitted"
    assert 'data-testid="takedown-outcome"' in page  # the inspector may record the outcome from now on

    _as(client, login, manager)
    review = client.get(f"/review/{case_id}", headers=VI).get_data(as_text=True)
    resp = client.post(f"/cases/{case_id}/approve", data=fill(review, {}, action=f"/cases/{case_id}/approve"))
    assert resp.status_code == 302
    page = client.get(case_url, headers=VI).get_data(as_text=True)
    resp = client.post(f"/cases/{case_id}/close", data=fill(page, {}, action=f"/cases/{case_id}/close"))
    assert resp.status_code == 302
    assert _open_takedowns(client) == "1"

    # the platform acts a week later: the inspector records it on the closed check
    _as(client, login, inspector)
    page = client.get(case_url, headers=VI).get_data(as_text=True)
    assert _status(page) == "closed"
    outcome = f"/cases/{case_id}/takedown"
    wrong = fill(
        page,
        {
            "Ngày gỡ bỏ": (asked - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
            "Phản hồi của nền tảng": "Shopee đã gỡ tin đăng",
        },
        action=outcome,
    )
    resp = client.post(outcome, data=wrong, headers=VI)
    assert resp.status_code == 400
    body = resp.get_data(as_text=True)
    assert re.search(r'id="taken_down_on-error">[^<]*trước', body), "the error is beside the date"
    assert "Shopee đã gỡ tin đăng" in body  # what was typed is kept
    data = fill(body, {"Ngày gỡ bỏ": today.strftime("%d/%m/%Y")}, action=outcome)
    resp = client.post(outcome, data=data, headers=VI)
    assert resp.status_code == 302
    page = client.get(case_url, headers=VI).get_data(as_text=True)
    assert today.strftime("%d/%m/%Y") in page and "Shopee đã gỡ tin đăng" in page
    assert "Ghi nhận kết quả xử lý" in page  # the history names the entry

    _as(client, login, manager)
    assert _open_takedowns(client) == "0"
    report = client.get(f"/reports/annual/{asked.year}", headers=VI).get_data(as_text=True)
    assert _report_figure(report, "Số tin đăng thương mại điện tử được kiểm soát", asked.year) == "1"
    assert _report_figure(report, "Số tin đăng đã gỡ bỏ", asked.year) == "1"
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == "closed" and case.taken_down_on == today
        actions = list(
            db.session.scalars(
                select(AuditEvent.action).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id)
            )
        )
        assert actions == ["create", "submit", "approve", "close", "takedown"]


def test_outcome_is_for_the_checks_author_team_or_a_manager_after_submission(
    app, client, login, people, make_user
):
    from cases.models import User
    from tests import factories

    inspector, manager = people
    other = make_user("kiemtra2", "inspector")
    with app.app_context():
        draft = factories.case(db.session.get(User, inspector.id), "ecommerce", action="takedown_request")
        db.session.commit()
        draft_id = draft.id
    login(inspector)
    assert 'data-testid="takedown-outcome"' not in client.get(f"/cases/{draft_id}").get_data(as_text=True)
    assert client.post(f"/cases/{draft_id}/takedown", data={"taken_down_on": "01/12/2026"}).status_code == 403
    assert client.post(f"/cases/{draft_id}/submit").status_code == 302
    _as(client, login, other)
    assert client.post(f"/cases/{draft_id}/takedown", data={"taken_down_on": "01/12/2026"}).status_code == 403
    _as(client, login, manager)
    assert client.post(f"/cases/{draft_id}/takedown", data={"taken_down_on": "01/12/2026"}).status_code == 302
