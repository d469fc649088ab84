"""Who the team list and the inspector filters offer: the people who inspect.

PRODUCT.md: inspectors record cases on site, managers review them, liaisons follow their communes. The
team list of an inspection offers the active inspectors; a member already on a case who no longer is one
stays listed (marked) when the case is edited, so that saving it loses nobody. The case list's and the
review queue's "inspector" filter lists the inspectors, the deactivated ones marked (their cases remain).
Before the fix both lists offered managers and liaisons as inspectors.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from cases.db import db
from cases.models import Case, User
from tests import factories
from tests.page_forms import fill

VI = {"Accept-Language": "vi"}


@pytest.fixture
def people(make_user):
    return {
        "an": make_user("kiemtra.an", "inspector", full_name="Anh Kiểm Tra An"),
        "binh": make_user("kiemtra.binh", "inspector", full_name="Bình Kiểm Tra"),
        "cu": make_user("kiemtra.cu", "inspector", full_name="Cừ Kiểm Tra Cũ", active=False),
        "manager": make_user("lanhdao", "manager", full_name="Lãnh Đạo Phòng"),
        "liaison": make_user("lienlac", "liaison", full_name="Liên Lạc Xã", communes=("30742",)),
        "admin": make_user("quantri", "admin", full_name="Quản Trị Viên"),
    }


def _option_texts(html: str, select_id: str) -> dict[str, str]:
    block = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.S).group(0)
    return {
        value: " ".join(text.split()) for value, text in re.findall(r'value="([^"]*)"[^>]*>([^<]*)<', block)
    }


def test_the_team_list_offers_the_active_inspectors(client, login, people):
    login(people["an"])
    page = client.get("/cases/new/inspection", headers=VI).get_data(as_text=True)
    offered = set(_option_texts(page, "team_ids").values())
    assert offered == {"Anh Kiểm Tra An", "Bình Kiểm Tra"}


def test_members_who_no_longer_inspect_stay_on_the_case_when_it_is_edited(app, client, login, people):
    with app.app_context():
        author = db.session.get(User, people["an"].id)
        promoted = factories.case(author, "inspection")
        team = [people["an"].id, people["cu"].id, people["binh"].id]
        promoted.team = list(db.session.scalars(select(User).where(User.id.in_(team))))
        db.session.get(User, people["binh"].id).role = "manager"  # promoted since
        db.session.commit()
        case_id = promoted.id
    login(people["an"])
    page = client.get(f"/cases/{case_id}/edit", headers=VI).get_data(as_text=True)
    offered = _option_texts(page, "team_ids")
    assert offered[str(people["cu"].id)] == "Cừ Kiểm Tra Cũ (đã vô hiệu hóa)"
    assert offered[str(people["binh"].id)] == "Bình Kiểm Tra (Lãnh đạo)"
    assert str(people["manager"].id) not in offered and str(people["liaison"].id) not in offered
    resp = client.post(f"/cases/{case_id}/edit", data=fill(page, {}, form_id="case-form"), headers=VI)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        kept = {u.id for u in db.session.get(Case, case_id).team}
        assert kept == {people["an"].id, people["cu"].id, people["binh"].id}


@pytest.mark.parametrize("url", ["/cases/", "/review/"])
def test_the_inspector_filter_lists_inspectors(client, login, people, url):
    login(people["manager"])
    page = client.get(url, headers=VI).get_data(as_text=True)
    offered = {v: t for v, t in _option_texts(page, "inspector_id").items() if v}
    assert set(offered.values()) == {"Anh Kiểm Tra An", "Bình Kiểm Tra", "Cừ Kiểm Tra Cũ (đã vô hiệu hóa)"}
    # a filter on somebody else (from an old link) still shows whom it filters on
    page = client.get(f"{url}?inspector_id={people['liaison'].id}", headers=VI).get_data(as_text=True)
    assert re.search(
        rf'<option selected value="{people["liaison"].id}"|value="{people["liaison"].id}" selected', page
    )
