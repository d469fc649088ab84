"""The plan's targets: an administrator's edits, their rules and their audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cases.accounts import users as accounts
from cases.db import db
from cases.errors import PermissionDenied
from cases.models import AuditEvent, PlanTask, User
from cases.plan import targets as plan_targets
from cases.plan.targets import TargetInput, TargetInvalid
from tests.plan_support import restore_plan_tasks


@pytest.fixture
def admin(app_ctx):
    user, _ = accounts.create_user(
        username="quantri", full_name="Quản trị", role="admin", password="Matkhau-2026"
    )
    db.session.flush()
    yield user
    restore_plan_tasks()


def _problems(actor: User, code: str, **values) -> dict[str, str]:
    task = db.session.get(PlanTask, code)
    with pytest.raises(TargetInvalid) as info:
        plan_targets.update_target(task=task, actor=actor, data=TargetInput(**values))
    db.session.rollback()
    return {p.field: p.code for p in info.value.problems}


def test_the_list_has_the_14_tasks_and_the_objective_in_order(app_ctx):
    codes = [t.code for t in plan_targets.list_tasks()]
    assert len(codes) == 15 and codes[0] == "1.1" and codes[-1] == "II.1.a"


def test_an_admin_changes_a_yearly_target_and_the_change_is_audited(admin):
    task = db.session.get(PlanTask, "1.1")
    plan_targets.update_target(
        task=task,
        actor=admin,
        data=TargetInput(
            target_text="03 lượt/năm", target_value=3, target_unit="lượt", target_measure="per_year"
        ),
        reason="Kế hoạch số 12/KH-UBND ngày 10/01/2027",
    )
    db.session.flush()
    assert (task.target_value, task.target_text, task.cumulative_from) == (3, "03 lượt/năm", None)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "plan_task")).one()
    assert event.changes[0] == {"field": "code", "from": "1.1", "to": "1.1"}
    assert {"field": "target_value", "from": 2, "to": 3} in event.changes
    assert event.reason == "Kế hoạch số 12/KH-UBND ngày 10/01/2027"


def test_a_cumulative_target_keeps_its_years_and_activity_types(admin):
    task = db.session.get(PlanTask, "II.1.a")
    plan_targets.update_target(
        task=task,
        actor=admin,
        data=TargetInput(
            target_value=6,
            target_unit="hội nghị/tập huấn",
            target_measure="cumulative",
            cumulative_from=2025,
            cumulative_to=2030,
            counts_activity_types=["training", "conference", "training"],
        ),
    )
    assert (task.target_value, task.cumulative_from, task.cumulative_to) == (6, 2025, 2030)
    assert task.counts_activity_types == "conference,training"


def test_no_numeric_target_clears_the_value_and_years(admin):
    task = db.session.get(PlanTask, "2.3")
    assert task.target_measure == "cumulative"
    plan_targets.update_target(
        task=task,
        actor=admin,
        data=TargetInput(target_value=2, target_measure="none", cumulative_from=2025, cumulative_to=2030),
    )
    assert (task.target_value, task.cumulative_from, task.cumulative_to) == (None, None, None)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"target_measure": "per_year"}, {"target_value": "target_value_required"}),
        ({"target_measure": "per_year", "target_value": -1}, {"target_value": "negative"}),
        ({"target_measure": "weekly", "target_value": 1}, {"target_measure": "invalid_choice"}),
        (
            {"target_measure": "cumulative", "target_value": 5},
            {"cumulative_from": "required", "cumulative_to": "required"},
        ),
        (
            {
                "target_measure": "cumulative",
                "target_value": 5,
                "cumulative_from": 2030,
                "cumulative_to": 2025,
            },
            {"cumulative_to": "years_reversed"},
        ),
        (
            {"target_measure": "cumulative", "target_value": 5, "cumulative_from": 25, "cumulative_to": 2030},
            {"cumulative_from": "year_out_of_range"},
        ),
        (
            {"target_measure": "none", "counts_activity_types": ["party"]},
            {"counts_activity_types": "unknown_activity_type"},
        ),
    ],
)
def test_target_rules(admin, values, expected):
    assert _problems(admin, "1.1", **values) == expected
    assert db.session.get(PlanTask, "1.1").target_value == 2


def test_zero_is_a_valid_target(admin):
    task = db.session.get(PlanTask, "1.2")
    plan_targets.update_target(
        task=task, actor=admin, data=TargetInput(target_measure="per_year", target_value=0)
    )
    assert task.target_value == 0


def test_only_an_admin_changes_targets(app_ctx):
    manager, _ = accounts.create_user(
        username="lanhdao", full_name="Lãnh đạo", role="manager", password="Matkhau-2026"
    )
    db.session.flush()
    with pytest.raises(PermissionDenied):
        plan_targets.update_target(
            task=db.session.get(PlanTask, "1.1"),
            actor=manager,
            data=TargetInput(target_measure="per_year", target_value=9),
        )
