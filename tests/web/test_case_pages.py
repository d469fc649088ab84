"""The case pages: forms for the three kinds, the list, the case page, permissions by URL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from cases.db import db
from cases.models import Case, Establishment, User
from tests import factories


def _errors(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for field, message in re.findall(r'id="([a-z_]+)-error">([^<]+)<', html):
        found.setdefault(field, []).append(message)
    return found


@pytest.fixture
def inspector(make_user, login):
    user = make_user("kiemtra1", "inspector", full_name="Nguyễn Kiểm Tra")
    login(user)
    return user


@pytest.fixture
def est_id(app):
    with app.app_context():
        est = factories.establishment("Cửa hàng xăng dầu Vĩnh Thanh", tax_code="0100109106")
        db.session.commit()
        return est.id


def _case(app, **where):
    with app.app_context():
        return db.session.scalar(
            select(Case).filter_by(**where).options(selectinload(Case.field_rows), joinedload(Case.campaign))
        )


def test_record_an_inspection(app, client, inspector, est_id):
    resp = client.post(
        "/cases/new/inspection",
        data={
            "opened_on": "2026-11-20",
            "commune_code": "30742",
            "mode": "unscheduled",
            "fields": ["fuel", "instruments"],
            "establishment_id": str(est_id),
            "decision_number": "15/QĐ-SKHCN",
            "decision_date": "18/11/2026",
            "start_date": "2026-11-20",
            "end_date": "2026-11-21",
            "address": "12 Nguyễn Trung Trực, Phường Rạch Giá, An Giang",
            "latitude": "10,0123",
            "longitude": "105.0912",
        },
    )
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "KT-2026-0001" in page and "Đột xuất" in page and "Kinh doanh xăng dầu" in page
    assert "15/QĐ-SKHCN — 18/11/2026" in page and "Phường Rạch Giá" in page
    case = _case(app, number="KT-2026-0001")
    assert case.status == "draft" and case.fields == ["fuel", "instruments"]
    assert case.latitude == pytest.approx(10.0123)


def test_bad_inspection_comes_back_with_every_message_and_the_input(client, inspector):
    resp = client.post(
        "/cases/new/inspection",
        data={
            "opened_on": "31/02/2026",
            "closed_on": "2026-01-01",
            "commune_code": "",
            "latitude": "abc",
            "decision_number": "QĐ 99/2026",
            "start_date": "2026-05-10",
            "end_date": "2026-05-01",
            "coordinating_agencies": "Đội QLTT số 3",
        },
    )
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    errors = _errors(html)
    assert "Nhập ngày hợp lệ theo dạng NN/TT/NNNN." in errors["opened_on"]
    assert "Trường này là bắt buộc." in errors["commune_code"]
    assert "Trường này là bắt buộc." in errors["mode"]
    assert "Trường này là bắt buộc." in errors["fields"]
    assert any("số thập phân" in m for m in errors["latitude"])
    assert "Ngày kết thúc không được trước ngày bắt đầu." in errors["end_date"]
    assert 'value="QĐ 99/2026"' in html and "Đội QLTT số 3" in html and 'value="2026-05-10"' in html


def test_dates_in_the_future_are_refused(client, inspector, est_id):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    resp = client.post(
        "/cases/new/survey",
        data={
            "opened_on": tomorrow,
            "commune_code": "30742",
            "field": "fuel",
            "establishment_id": str(est_id),
        },
    )
    assert resp.status_code == 400
    assert "Ngày không được ở tương lai." in _errors(resp.get_data(as_text=True))["opened_on"]


def test_record_an_ecommerce_check_and_see_earlier_ones(app, client, inspector):
    data = {
        "opened_on": "2026-11-20",
        "commune_code": "30307",
        "platform": "shopee",
        "listing_url": "https://shopee.vn/mu-bao-hiem-i.55.66?utm_source=fb",
        "seller_name": "Mũ Bảo Hiểm Giá Sốc",
        "price_vnd": "1.500.000",
        "suspected_issue": "substandard",
        "action": "takedown_request",
    }
    assert client.post("/cases/new/ecommerce", data=data).status_code == 302
    case = _case(app, number="TMĐT-2026-0001")
    assert case.price_vnd == 1_500_000 and case.listing_url_key == "shopee.vn/mu-bao-hiem-i.55.66"
    assert "1.500.000\u00a0₫" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    # a second check of the same listing shows the earlier one, on the form and on the new case's page
    data["listing_url"] = "https://shopee.vn/mu-bao-hiem-i.55.66/"
    data["price_vnd"] = "1,500,000,5"
    resp = client.post("/cases/new/ecommerce", data=data)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert 'data-testid="earlier-checks"' in html and "TMĐT-2026-0001" in html
    data["price_vnd"] = "1500000"
    resp = client.post("/cases/new/ecommerce", data=data, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "TMĐT-2026-0002" in html and 'data-testid="earlier-checks"' in html and "TMĐT-2026-0001" in html
    api = client.get(
        "/api/v1/ecommerce/earlier?url=https://www.shopee.vn/mu-bao-hiem-i.55.66&platform=shopee"
    )
    assert [c["number"] for c in api.get_json()["checks"]] == ["TMĐT-2026-0002", "TMĐT-2026-0001"]


def test_non_http_url_refused(client, inspector):
    resp = client.post(
        "/cases/new/ecommerce",
        data={
            "opened_on": "2026-11-20",
            "commune_code": "30307",
            "platform": "zalo",
            "listing_url": "javascript:alert(1)",
            "seller_name": "x",
        },
    )
    assert resp.status_code == 400
    assert "http:// hoặc https://" in " ".join(_errors(resp.get_data(as_text=True))["listing_url"])


def test_record_a_survey_with_a_new_campaign_and_open_a_follow_up(app, client, inspector, est_id):
    resp = client.post(
        "/cases/new/survey",
        data={
            "opened_on": "2026-06-01",
            "commune_code": "30742",
            "field": "fuel",
            "establishment_id": str(est_id),
            "new_campaign": "Khảo sát xăng dầu 2026",
            "product": "Xăng RON 95-III",
        },
    )
    assert resp.status_code == 302
    survey = _case(app, number="KS-2026-0001")
    assert survey.campaign.name == "Khảo sát xăng dầu 2026"
    page = client.get(f"/cases/{survey.id}").get_data(as_text=True)
    assert "Khảo sát xăng dầu 2026" in page and "Mở cuộc kiểm tra tiếp theo" in page
    form = client.get(f"/cases/new/inspection?follow_up_of={survey.id}").get_data(as_text=True)
    assert f'name="follow_up_of_id" type="hidden" value="{survey.id}"' in form
    assert "Xăng RON 95-III" in form
    resp = client.post(
        "/cases/new/inspection",
        data={
            "opened_on": "2026-11-20",
            "commune_code": "30742",
            "mode": "unscheduled",
            "fields": ["fuel"],
            "establishment_id": str(est_id),
            "follow_up_of_id": str(survey.id),
        },
    )
    assert resp.status_code == 302
    follow = _case(app, number="KT-2026-0001")
    assert follow.follow_up_of_id == survey.id
    assert "KT-2026-0001" in client.get(f"/cases/{survey.id}").get_data(as_text=True)


def test_case_list_filters_stay_in_the_url_and_empty_states(app, client, inspector, est_id):
    assert "Chưa có hồ sơ nào" in client.get("/cases/").get_data(as_text=True)
    with app.app_context():
        actor = db.session.get(User, inspector.id)
        for i in range(30):  # one inspection an establishment a year: thirty fuel stations
            station = factories.establishment(f"Cửa hàng xăng dầu số {i}").id
            factories.case(actor, "inspection", establishment_id=station, product=f"Xăng {i}")
        factories.case(actor, "ecommerce", product="Son môi")
        db.session.commit()
    html = client.get("/cases/?kind=inspection&q=xang").get_data(as_text=True)
    assert "31 kết quả" not in html and "30 kết quả" in html
    assert "/cases/?kind=inspection&amp;q=xang&amp;page=2" in html
    assert "Son môi" not in html
    html = client.get("/cases/?q=khong-co-gi").get_data(as_text=True)
    assert "Không có hồ sơ nào khớp với bộ lọc" in html
    # malformed filters never fail
    assert client.get("/cases/?date_from=31/02/2026&kind=xyz&inspector_id=abc&page=-3").status_code == 200


def _listed_numbers(html: str) -> list[str]:
    return re.findall(r">((?:KT|TMĐT|KS)-\d{4}-\d{4})<", html)


def test_every_page_of_the_list_shows_its_own_cases_newest_first(app, client, inspector, est_id):
    """Pages are read by id first (cases.recording.queries.page_of); walking them must give every case once,
    in the list's order (opening date, newest first, then the newest record), with filters kept."""
    with app.app_context():
        actor = db.session.get(User, inspector.id)
        for i in range(57):  # several cases share a date: the order of the same day is by id
            opened = dt.date(2026, 1, 1) + dt.timedelta(days=(i * 7) % 40)
            kind = "ecommerce" if i % 5 == 0 else "inspection"
            station = factories.establishment(f"Cửa hàng xăng dầu số {i}").id  # one inspection a year each
            extra = {"establishment_id": station, "product": f"Xăng lô {i}"} if kind == "inspection" else {}
            factories.case(actor, kind, opened_on=opened, **extra)
        db.session.commit()
        expected = {
            "": db.session.scalars(select(Case.number).order_by(Case.opened_on.desc(), Case.id.desc())).all(),
            "kind=inspection&": db.session.scalars(
                select(Case.number)
                .where(Case.kind == "inspection")
                .order_by(Case.opened_on.desc(), Case.id.desc())
            ).all(),
        }
    assert len(expected[""]) == 57 and len(expected["kind=inspection&"]) == 45
    for query, numbers in expected.items():
        walked: list[str] = []
        for page in (1, 2, 3):
            walked += _listed_numbers(client.get(f"/cases/?{query}page={page}").get_data(as_text=True))
        assert walked == numbers
    assert _listed_numbers(client.get("/cases/?page=9").get_data(as_text=True)) == []


def test_liaison_cannot_open_another_communes_case(app, client, make_user, login):
    author = make_user("kiemtra9", "inspector")
    with app.app_context():
        case = factories.case(db.session.get(User, author.id), "inspection", commune_code="30742")
        db.session.commit()
        case_id = case.id
    login(make_user("daumoi", "liaison", communes=("30307",)))
    assert client.get(f"/cases/{case_id}").status_code == 403
    assert client.get(f"/cases/{case_id}/edit").status_code == 403
    assert "KT-2026" not in client.get("/cases/").get_data(as_text=True)
    form = client.get("/cases/new/inspection").get_data(as_text=True)
    communes = form.split('id="commune_code"')[1].split("</select>")[0]
    assert 'value="30742"' not in communes and '<option selected value="30307">' in communes


def test_edit_conflict_keeps_the_input(app, client, inspector, est_id):
    with app.app_context():
        case = factories.case(db.session.get(User, inspector.id), "inspection", establishment_id=est_id)
        db.session.commit()
        case_id = case.id
    form = {
        "version": "1",
        "opened_on": "2026-03-10",
        "commune_code": "30742",
        "mode": "planned",
        "fields": ["fuel"],
        "establishment_id": str(est_id),
        "product": "Dầu DO",
    }
    assert client.post(f"/cases/{case_id}/edit", data=form).status_code == 302
    form["product"] = "Xăng A95 của tôi"
    resp = client.post(f"/cases/{case_id}/edit", data=form)  # still version 1: someone saved meanwhile
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert "Người khác đã lưu hồ sơ này" in html and 'value="Xăng A95 của tôi"' in html
    assert _case(app, id=case_id).product == "Dầu DO"


def test_only_the_creator_deletes_a_draft(app, client, inspector, est_id, make_user, login):
    with app.app_context():
        case = factories.case(db.session.get(User, inspector.id), "inspection", establishment_id=est_id)
        db.session.commit()
        case_id = case.id
    client.post("/logout")
    login(make_user("kiemtra2", "inspector"))
    assert client.post(f"/cases/{case_id}/delete").status_code == 403
    client.post("/logout")
    login(inspector)
    assert client.post(f"/cases/{case_id}/delete").status_code == 302
    assert _case(app, id=case_id) is None
    with app.app_context():
        assert db.session.get(Establishment, est_id) is not None


def test_unknown_kind_and_case_are_404(client, inspector):
    assert client.get("/cases/new/audit").status_code == 404
    assert client.get("/cases/999999").status_code == 404


def test_home_lists_my_drafts_and_quick_actions(app, client, inspector, est_id, make_user):
    other = make_user("kiemtra5", "inspector")
    with app.app_context():
        mine = factories.case(db.session.get(User, inspector.id), "inspection", establishment_id=est_id)
        theirs = factories.case(db.session.get(User, other.id), "ecommerce")
        done = factories.case(db.session.get(User, inspector.id), "survey", establishment_id=est_id)
        done.status = "submitted"
        db.session.commit()
        numbers = (mine.number, theirs.number, done.number)
    html = client.get("/").get_data(as_text=True)
    block = html.split('data-testid="my-open-cases"')[1].split("</ul>")[0]
    assert numbers[0] in block and numbers[1] not in block and numbers[2] not in block
    assert "/cases/new/inspection" in html and "/cases/new/ecommerce" in html


def test_new_case_from_an_establishment_page(client, inspector, est_id):
    page = client.get(f"/establishments/{est_id}").get_data(as_text=True)
    assert f"/cases/new/inspection?establishment_id={est_id}" in page
    assert f"/cases/?establishment_id={est_id}" in page
    form = client.get(f"/cases/new/inspection?establishment_id={est_id}").get_data(as_text=True)
    assert f'<option selected value="{est_id}">Cửa hàng xăng dầu Vĩnh Thanh — 0100109106</option>' in form
    assert '<option selected value="30742">' in form.split('id="commune_code"')[1]
    assert client.get("/cases/new/inspection?establishment_id=999999").status_code == 200
