"""The establishment form proposes the commune an address or a GPS point gives, instead of saving
"not known"; and a case started from an establishment's page takes its address and GPS point.

Before the fix an establishment with the old-format address "…, Phường Mỹ Bình, TP Long Xuyên, An Giang" and
no commune chosen was saved with the commune "chưa rõ", and a new case from its page had no GPS point.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from cases.db import db
from cases.models import Establishment
from cases.recording import establishments as est
from tests.page_forms import fill

LONG_XUYEN = "30307"
OLD_ADDRESS = "123 Trần Hưng Đạo, Phường Mỹ Bình, TP Long Xuyên, An Giang"
VI = {"Accept-Language": "vi"}


@pytest.fixture
def inspector(make_user, login):
    user = make_user("thanhtra1", "inspector")
    login(user)
    return user


def _selected(html: str, field: str) -> str | None:
    select_html = re.search(rf'<select[^>]*id="{field}".*?</select>', html, re.S).group(0)
    chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select_html)
    return next((g for g in chosen.groups() if g), None) if chosen else None


def _saved(app, name: str) -> Establishment | None:
    with app.app_context():
        return db.session.scalar(select(Establishment).where(Establishment.name == name))


def test_an_old_address_and_no_commune_gets_the_commune_proposed_not_unknown(app, client, inspector):
    page = client.get("/establishments/new", headers=VI).get_data(as_text=True)
    data = fill(
        page,
        {"Tên": "Cửa hàng xăng dầu Mỹ Bình", "Địa chỉ": OLD_ADDRESS, "Loại hình kinh doanh": "Doanh nghiệp"},
        form_id="establishment-form",
    )
    assert data["commune_code"] == [""]
    resp = client.post("/establishments/new", data=data, headers=VI)
    assert resp.status_code == 400
    assert _saved(app, "Cửa hàng xăng dầu Mỹ Bình") is None  # not saved with "not known"
    body = resp.get_data(as_text=True)
    assert _selected(body, "commune_code") == LONG_XUYEN
    assert 'data-testid="commune-proposed"' in body
    assert re.search(r'id="commune_code-help">[^<]*Phường Long Xuyên', body), (
        "the proposal is beside the field"
    )
    assert OLD_ADDRESS in body  # what was typed is kept

    resp = client.post("/establishments/new", data=fill(body, {}, form_id="establishment-form"), headers=VI)
    assert resp.status_code == 302
    assert _saved(app, "Cửa hàng xăng dầu Mỹ Bình").commune_code == LONG_XUYEN


def test_a_proposal_left_empty_on_purpose_is_saved_as_unknown(app, client, inspector):
    page = client.get("/establishments/new", headers=VI).get_data(as_text=True)
    data = fill(page, {"Tên": "Cơ sở Chưa Rõ", "Địa chỉ": OLD_ADDRESS}, form_id="establishment-form")
    body = client.post("/establishments/new", data=data, headers=VI).get_data(as_text=True)
    data = fill(body, {"Xã/phường/đặc khu": ""}, form_id="establishment-form")  # the user clears it
    resp = client.post("/establishments/new", data=data, headers=VI)
    assert resp.status_code == 302
    assert _saved(app, "Cơ sở Chưa Rõ").commune_code is None


def test_a_gps_point_proposes_its_nearest_commune(app, client, inspector):
    page = client.get("/establishments/new", headers=VI).get_data(as_text=True)
    data = fill(
        page,
        {"Tên": "Cơ sở GPS", "Vĩ độ": "10.3861", "Kinh độ": "105.4351"},
        form_id="establishment-form",
    )
    resp = client.post("/establishments/new", data=data, headers=VI)
    assert resp.status_code == 400
    body = resp.get_data(as_text=True)
    assert _selected(body, "commune_code") == LONG_XUYEN
    assert re.search(r'id="commune_code-help">[^<]*GPS', body)


def test_editing_an_establishment_saved_as_unknown_proposes_its_commune(app, client, inspector):
    with app.app_context():
        e = est.create_establishment(actor=None, name="Cơ sở Cũ", address=OLD_ADDRESS, commune_code=None)
        db.session.commit()
        est_id = e.id
    page = client.get(f"/establishments/{est_id}/edit", headers=VI).get_data(as_text=True)
    resp = client.post(f"/establishments/{est_id}/edit", data=fill(page, {}, form_id="establishment-form"))
    assert resp.status_code == 400
    assert _selected(resp.get_data(as_text=True), "commune_code") == LONG_XUYEN


def test_a_case_from_an_establishment_takes_its_address_and_gps_point(app, client, inspector):
    with app.app_context():
        e = est.create_establishment(
            actor=None,
            name="Cửa hàng xăng dầu Mỹ Thới",
            address="45 Trần Hưng Đạo, Phường Long Xuyên, An Giang",
            commune_code=LONG_XUYEN,
            latitude=10.3661,
            longitude=105.4237,
        )
        db.session.commit()
        est_id = e.id
    show = client.get(f"/establishments/{est_id}", headers=VI).get_data(as_text=True)
    link = re.search(r'href="(/cases/new/inspection\?establishment_id=\d+)"', show).group(1)
    form = client.get(link, headers=VI).get_data(as_text=True)
    data = fill(form, {}, form_id="case-form")
    assert data["establishment_id"] == [str(est_id)]
    assert data["address"] == ["45 Trần Hưng Đạo, Phường Long Xuyên, An Giang"]
    assert data["commune_code"] == [LONG_XUYEN]
    assert float(data["latitude"][0].replace(",", ".")) == pytest.approx(10.3661)
    assert float(data["longitude"][0].replace(",", ".")) == pytest.approx(105.4237)
