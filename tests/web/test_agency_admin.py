"""The administrator's page of the agency and its signers (issue 17, item 2): saved and audited, errors
beside the fields in Vietnamese, nothing saved on an error."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from cases.db import db
from cases.documents.agency import agency_settings
from cases.models import AgencySigner, AuditEvent


@pytest.fixture
def admin(make_user):
    return make_user("quantri.cq", "admin")


AGENCY = {
    "parent_name": "UBND TỈNH AN GIANG",
    "name": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "place_name": "An Giang",
    "symbol": "SKHCN",
    "treasury_account": "3949.0.1234567",
    "treasury_name": "Kho bạc Nhà nước khu vực XIX",
}


def test_an_admin_sets_the_agency(app, client, login, admin):
    login(admin)
    page = client.get("/admin/agency/").get_data(as_text=True)
    assert 'value="SỞ KHOA HỌC VÀ CÔNG NGHỆ"' in page and 'href="/admin/agency/"' in page
    resp = client.post("/admin/agency/", data=AGENCY, follow_redirects=True)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Đã lưu thông tin cơ quan." in body
    assert "3949.0.1234567" in body and 'data-testid="agency-history"' in body
    with app.app_context():
        assert agency_settings().treasury_account == "3949.0.1234567"
        assert (
            db.session.scalar(select(AuditEvent.action).where(AuditEvent.entity_type == "agency")) == "update"
        )


def test_errors_beside_the_fields_in_vietnamese_and_nothing_saved(app, client, login, admin):
    login(admin)
    resp = client.post("/admin/agency/", data={**AGENCY, "name": "", "symbol": "SK HCN"})
    assert resp.status_code == 400
    body = resp.get_data(as_text=True)
    errors = dict(
        re.findall(r'<div class="invalid-feedback d-block" id="([a-z_]+)-error">([^<]+)</div>', body)
    )
    assert set(errors) == {"name", "symbol"}  # each beside its own field, all at once
    assert errors["symbol"] == "Chỉ dùng chữ, số, “-” hoặc “.” cho ký hiệu, ví dụ: SKHCN."
    assert errors["name"] == "Trường này là bắt buộc."
    with app.app_context():
        assert agency_settings().treasury_account is None


def test_an_admin_adds_and_edits_a_signer(app, client, login, admin):
    login(admin)
    form = client.get("/admin/agency/signers/new").get_data(as_text=True)
    assert "Giám đốc Sở" in form  # the authorities to choose from
    resp = client.post(
        "/admin/agency/signers/new",
        data={
            "full_name": "Lê Văn Ký",
            "title": "KT. GIÁM ĐỐC\r\nPHÓ GIÁM ĐỐC",
            "authority_code": "department-director",
            "delegation_reference": "Quyết định số 12/QĐ-GQXP",
            "active": "y",
        },
        follow_redirects=True,
    )
    assert resp.status_code == 200 and "Lê Văn Ký" in resp.get_data(as_text=True)
    with app.app_context():
        signer = db.session.scalars(select(AgencySigner)).one()
        signer_id = signer.id
        assert signer.authority_code == "department-director"
    resp = client.post(
        f"/admin/agency/signers/{signer_id}/edit",
        data={"full_name": "", "title": "GIÁM ĐỐC", "authority_code": "nobody"},
    )
    assert resp.status_code == 400
    body = resp.get_data(as_text=True)
    assert "Hãy chọn một cấp có thẩm quyền xử phạt trong danh sách." in body
    resp = client.post(
        f"/admin/agency/signers/{signer_id}/edit",
        data={"full_name": "Lê Văn Ký", "title": "GIÁM ĐỐC", "authority_code": ""},
        follow_redirects=True,
    )
    assert resp.status_code == 200
    with app.app_context():
        signer = db.session.get(AgencySigner, signer_id)
        assert (signer.title, signer.authority_code, signer.active) == ("GIÁM ĐỐC", None, False)
