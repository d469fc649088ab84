"""A case's team members have a role (issue 17, item 1): the team leader and the technical officer are
chosen among the team, the others are members; the snapshot of a document lists each member's role; a
case without roles is as before."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from cases.audit.trail import snapshot
from cases.db import db
from cases.documents.snapshot import snapshot_of
from cases.errors import all_problems
from cases.models import AuditEvent, User
from cases.models.case import team_roles
from cases.recording import service as case_service
from cases.recording.service import CaseInvalid
from tests import factories


@pytest.fixture
def team(app_ctx, make_user):
    made = [
        make_user("kiemtra.vai1", "inspector", full_name="An Trưởng Đoàn"),
        make_user("kiemtra.vai2", "inspector", full_name="Bình Kỹ Thuật"),
        make_user("kiemtra.vai3", "inspector", full_name="Cường Thành Viên"),
    ]
    return [db.session.get(User, u.id) for u in made]


def _problems(exc) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in all_problems(exc.value)}


def test_roles_are_chosen_among_the_team_and_the_snapshot_lists_them(team):
    leader, technical, member = team
    case = factories.case(
        leader,
        "inspection",
        team_ids=[u.id for u in team],
        team_leader_id=leader.id,
        technical_officer_id=technical.id,
    )
    assert team_roles(case.id) == {leader.id: "leader", technical.id: "technical", member.id: "member"}
    data = snapshot_of(case, "decision")
    assert {m["full_name"]: m["team_role"] for m in data["team"]} == {
        "An Trưởng Đoàn": "leader",
        "Bình Kỹ Thuật": "technical",
        "Cường Thành Viên": "member",
    }
    created = db.session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id)).one()
    assert {"field": "team_leader_id", "from": None, "to": leader.id} in created.changes

    # the edit form reads them back; a new leader is audited
    data_in = case_service.case_to_input(case)
    assert (data_in.team_leader_id, data_in.technical_officer_id) == (leader.id, technical.id)
    case_service.update_case(
        case=case,
        actor=leader,
        data=dataclasses.replace(data_in, team_leader_id=member.id),
        expected_version=case.version,
    )
    assert team_roles(case.id)[member.id] == "leader" and team_roles(case.id)[leader.id] == "member"
    edited = db.session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "update")
    ).one()
    assert {"field": "team_leader_id", "from": leader.id, "to": member.id} in edited.changes


def test_a_role_outside_the_team_or_twice_the_same_person_is_refused(team):
    leader, technical, member = team
    with pytest.raises(CaseInvalid) as refused:
        factories.case(
            leader, "inspection", team_ids=[leader.id], team_leader_id=technical.id, technical_officer_id=None
        )
    assert _problems(refused) == {("team_leader_id", "team_role_not_in_team")}
    with pytest.raises(CaseInvalid) as refused:
        factories.case(
            leader,
            "inspection",
            team_ids=[leader.id],
            team_leader_id=leader.id,
            technical_officer_id=leader.id,
        )
    assert _problems(refused) == {("technical_officer_id", "team_roles_same_person")}


def test_a_case_without_roles_is_as_before(team):
    case = factories.case(team[0], "inspection", team_ids=[team[0].id, team[1].id])
    assert set(team_roles(case.id).values()) == {None}
    assert [m["team_role"] for m in snapshot_of(case, "decision")["team"]] == [None, None]
    assert "team_leader_id" not in snapshot(case)
