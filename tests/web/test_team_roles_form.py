"""The case form lets the user pick the team leader and the technical officer among the team (issue 17,
item 1); a choice outside the team comes back beside its field, in Vietnamese."""

from __future__ import annotations

from cases.db import db
from cases.models import User
from cases.models.case import team_roles
from tests import factories
from tests.page_forms import fill

VI = {"Accept-Language": "vi"}


def test_the_leader_and_the_technical_officer_are_picked_on_the_case_form(app, client, login, make_user):
    an = make_user("kiemtra.an", "inspector", full_name="Anh Kiểm Tra An")
    binh = make_user("kiemtra.binh", "inspector", full_name="Bình Kiểm Tra")
    cuong = make_user("kiemtra.cuong", "inspector", full_name="Cường Kiểm Tra")
    with app.app_context():
        case = factories.case(db.session.get(User, an.id), "inspection", team_ids=[an.id, binh.id])
        db.session.commit()
        case_id = case.id
    login(an)
    page = client.get(f"/cases/{case_id}/edit", headers=VI).get_data(as_text=True)
    assert "Trưởng đoàn" in page and "Cán bộ kỹ thuật" in page
    data = fill(page, {"Trưởng đoàn": str(an.id), "Cán bộ kỹ thuật": str(binh.id)}, form_id="case-form")
    resp = client.post(f"/cases/{case_id}/edit", data=data, headers=VI)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        assert team_roles(case_id) == {an.id: "leader", binh.id: "technical"}

    page = client.get(f"/cases/{case_id}/edit", headers=VI).get_data(as_text=True)
    data = fill(page, {"Trưởng đoàn": str(cuong.id)}, form_id="case-form")  # not in the team
    resp = client.post(f"/cases/{case_id}/edit", data=data, headers=VI)
    assert resp.status_code == 400
    assert "Hãy chọn một thành viên trong số thành viên đoàn đã chọn ở trên." in resp.get_data(as_text=True)
    with app.app_context():
        assert team_roles(case_id)[an.id] == "leader"  # unchanged
