"""Ids that arrive in a form (issue 15, item 2): every one is checked for existence and for the user's right
to see and use it; a wrong one is a message beside its field (400), nothing is saved, never a 500.

The attack: a commune liaison posted ``follow_up_of_id`` — a hidden field of the inspection form — naming a
case of another commune; the draft was saved linked to it, and her case page then showed that case's number
(enumerating ids listed the province), while the other case's page listed her draft as its follow-up.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import func, select

from cases.db import db
from cases.models import Case, Finding, Sample, SurveyCampaign, User
from tests import factories

MINE, OTHER = "30307", "30742"  # the liaison's commune; a commune she does not cover
UNKNOWN_CASE = "Hồ sơ này không tồn tại hoặc bạn không được xem."
NOT_AN_ID = "Bản ghi này không tồn tại hoặc bạn không được dùng."
#: ids no row has: one that could exist, a superscript two (``"²".isdigit()`` is true), an Arabic-Indic
#: three and a full-width seven (``int()`` reads both), 23 digits (no INTEGER column holds it), negative
WRONG_IDS = ("999999", "²", "٣", "７", "1" * 23, "-1")


def _errors(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for field, message in re.findall(r'id="([a-z_]+)-error">([^<]+)<', html):
        found.setdefault(field, []).append(message.strip())
    return found


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def world(app, make_user) -> dict[str, Any]:
    inspector = make_user("kiemtra.ids", "inspector")
    liaison = make_user("daumoi.ids", "liaison", communes=(MINE,))
    retired = make_user("nghihuu.ids", "inspector", active=False)
    with app.app_context():
        author = db.session.get(User, inspector.id)
        theirs = factories.establishment("Cơ sở xã khác", commune_code=OTHER)
        mine = factories.establishment("Cơ sở xã mình", commune_code=MINE)
        survey = factories.case(author, "survey", commune_code=OTHER, establishment_id=theirs.id)
        survey_here = factories.case(author, "survey", commune_code=MINE, establishment_id=mine.id)
        # one inspection an establishment a year (the once-a-year rule): the world's two inspections are of
        # two other establishments of the commune, and the forms posted below name ``mine``
        shop = factories.establishment("Cửa hàng xã mình", commune_code=MINE)
        stall = factories.establishment("Sạp xã mình", commune_code=MINE)
        inspection_here = factories.case(author, "inspection", commune_code=MINE, establishment_id=shop.id)
        draft = factories.case(
            db.session.get(User, liaison.id), "inspection", commune_code=MINE, establishment_id=stall.id
        )
        db.session.commit()
        return {
            "liaison": liaison,
            "inspector": inspector,
            "retired": retired.id,
            "survey": survey.id,
            "survey_number": survey.number,
            "survey_here": survey_here.id,
            "inspection_here": inspection_here.id,
            "draft": draft.id,
            "draft_number": draft.number,
            "mine": mine.id,
        }


def _inspection(world: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data = {
        "opened_on": "2026-03-10",
        "commune_code": MINE,
        "mode": "planned",
        "fields": ["fuel"],
        "establishment_id": str(world["mine"]),
    }
    data.update(overrides)
    return data


def _follow_up_of(app, case_id: int) -> int | None:
    with app.app_context():
        return db.session.get(Case, case_id).follow_up_of_id


def test_a_liaison_cannot_link_a_new_case_to_another_communes_case(app, client, login, world):
    login(world["liaison"])
    before = _count(app, Case)
    resp = client.post("/cases/new/inspection", data=_inspection(world, follow_up_of_id=str(world["survey"])))
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert _errors(html).get("follow_up_of_id") == [UNKNOWN_CASE]
    assert world["survey_number"] not in html  # not even the number of the case named
    assert _count(app, Case) == before
    with app.app_context():
        assert db.session.scalar(select(Case).where(Case.follow_up_of_id == world["survey"])) is None


def test_a_liaison_cannot_link_her_draft_to_another_communes_case(app, client, login, world):
    login(world["liaison"])
    resp = client.post(
        f"/cases/{world['draft']}/edit", data=_inspection(world, follow_up_of_id=str(world["survey"]))
    )
    assert resp.status_code == 400
    assert _errors(resp.get_data(as_text=True)).get("follow_up_of_id") == [UNKNOWN_CASE]
    assert _follow_up_of(app, world["draft"]) is None
    # the other commune's case lists nothing of hers, and her case page shows nothing of it
    login(world["inspector"])
    assert world["draft_number"] not in client.get(f"/cases/{world['survey']}").get_data(as_text=True)


def test_a_follow_up_of_a_survey_she_may_see_is_linked(app, client, login, world):
    login(world["liaison"])
    resp = client.post(
        "/cases/new/inspection", data=_inspection(world, follow_up_of_id=str(world["survey_here"]))
    )
    assert resp.status_code == 302
    with app.app_context():
        linked = db.session.scalar(select(Case).where(Case.follow_up_of_id == world["survey_here"]))
        assert linked is not None and linked.created_by_id == world["liaison"].id


def test_a_follow_up_follows_a_survey_only(app, client, login, world):
    login(world["liaison"])
    resp = client.post(
        "/cases/new/inspection", data=_inspection(world, follow_up_of_id=str(world["inspection_here"]))
    )
    assert resp.status_code == 400
    assert _errors(resp.get_data(as_text=True)).get("follow_up_of_id") == [
        "Cuộc kiểm tra tiếp theo chỉ có thể mở sau một cuộc khảo sát."
    ]
    # and opening the form from an inspection's page (by URL) is a plain new inspection with the reason
    resp = client.get(f"/cases/new/inspection?follow_up_of={world['inspection_here']}", follow_redirects=True)
    assert resp.status_code == 200
    assert "Chỉ có thể mở cuộc kiểm tra tiếp theo từ một cuộc khảo sát." in resp.get_data(as_text=True)


@pytest.mark.parametrize("wrong", WRONG_IDS)
def test_a_follow_up_id_that_names_no_case_is_an_error_beside_the_field(app, client, login, world, wrong):
    login(world["inspector"])
    before = _count(app, Case)
    resp = client.post("/cases/new/inspection", data=_inspection(world, follow_up_of_id=wrong))
    assert resp.status_code == 400, wrong
    assert _errors(resp.get_data(as_text=True)).get("follow_up_of_id") in ([UNKNOWN_CASE], [NOT_AN_ID])
    assert _count(app, Case) == before


def test_a_link_recorded_before_the_checks_is_not_shown_to_whom_may_not_see_it(app, client, login, world):
    with app.app_context():  # as the attack left it
        db.session.get(Case, world["draft"]).follow_up_of_id = world["survey"]
        db.session.commit()
    login(world["liaison"])
    page = client.get(f"/cases/{world['draft']}").get_data(as_text=True)
    assert world["survey_number"] not in page and f"/cases/{world['survey']}" not in page
    # her edit form still saves (the link she cannot see is kept as it is, not re-checked)
    resp = client.post(
        f"/cases/{world['draft']}/edit",
        data=_inspection(world, follow_up_of_id=str(world["survey"]), product="Xăng"),
    )
    assert resp.status_code == 302
    assert world["survey_number"] not in client.get(f"/cases/{world['draft']}").get_data(as_text=True)


@pytest.mark.parametrize("wrong", WRONG_IDS)
def test_establishment_team_and_campaign_ids_that_name_nothing(app, client, login, world, wrong):
    login(world["inspector"])
    before = _count(app, Case)
    resp = client.post(
        "/cases/new/inspection", data=_inspection(world, establishment_id=wrong, team_ids=[wrong])
    )
    assert resp.status_code == 400, wrong
    errors = _errors(resp.get_data(as_text=True))
    assert errors.get("establishment_id") and errors.get("team_ids"), errors
    survey = {"opened_on": "2026-03-10", "commune_code": MINE, "field": "fuel", "campaign_id": wrong}
    resp = client.post("/cases/new/survey", data={**survey, "establishment_id": str(world["mine"])})
    assert resp.status_code == 400, wrong
    assert _errors(resp.get_data(as_text=True)).get("campaign_id"), wrong
    assert _count(app, Case) == before and _count(app, SurveyCampaign) == 0


def test_an_inactive_account_cannot_be_put_on_a_team(app, world):
    """The form offers active accounts only; the domain refuses another one, whatever sent it."""
    from cases.recording import service as case_service
    from cases.recording.rules import CaseInvalid

    with app.app_context():
        actor = db.session.get(User, world["inspector"].id)
        data = factories.case_input(establishment_id=world["mine"], team_ids=[world["retired"]])
        with pytest.raises(CaseInvalid) as refused:
            case_service.create_case(actor=actor, data=data, today=dt.date(2026, 11, 24))
        assert [(p.field, p.code) for p in refused.value.problems] == [("team_ids", "unknown_user")]
        db.session.rollback()


@pytest.mark.parametrize("wrong", WRONG_IDS)
def test_sample_and_finding_ids_that_name_nothing(app, client, login, world, wrong):
    login(world["inspector"])
    resp = client.post(
        f"/cases/{world['survey_here']}/samples/new",
        data={"name": "Xăng", "result": "pass", "establishment_id": wrong},
    )
    assert resp.status_code == 400, wrong
    assert _errors(resp.get_data(as_text=True)).get("establishment_id"), wrong
    resp = client.post(
        f"/cases/{world['inspection_here']}/findings/new",
        data={"violation_id": wrong, "offender_type": "individual"},
    )
    assert resp.status_code == 400, wrong
    assert _errors(resp.get_data(as_text=True)).get("violation_id"), wrong
    assert _count(app, Sample) == 0 and _count(app, Finding) == 0
