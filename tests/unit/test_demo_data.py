"""The demo data generator: reproducible, valid, and consistent with the app's own rules."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select

from cases.db import db
from cases.demo import generator as demo_data
from cases.enums import CaseKind, Role
from cases.models import (
    Activity,
    AuditEvent,
    Case,
    CaseNumberCounter,
    Establishment,
    Finding,
    FormerWard,
    PlanTask,
    User,
)
from cases.models.geo import REFORM_DATE
from cases.recording.service import build_search_key
from cases.recording.taxcode import is_valid_tax_code
from tests.conftest import REFERENCE_TABLES, _empty_audit_log

TODAY = dt.date(2026, 11, 28)


def _summary() -> dict:
    rows = db.session.execute(
        select(Case.number, Case.kind, Case.status, Case.opened_on, Establishment.tax_code)
        .outerjoin(Establishment, Establishment.id == Case.establishment_id)
        .order_by(Case.number)
    ).all()
    counts = {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Case, Establishment, Finding, AuditEvent, Activity, User)
    }
    return {"rows": [tuple(r) for r in rows], "counts": counts}


def _empty_everything() -> None:
    _empty_audit_log()
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in REFERENCE_TABLES | {"audit_event"}:
            db.session.execute(delete(table))
    db.session.commit()


def test_the_same_seed_gives_the_same_data(app_ctx):
    first = demo_data.generate(cases=120, seed=5, today=TODAY)
    db.session.commit()
    before = _summary()
    _empty_everything()
    second = demo_data.generate(cases=120, seed=5, today=TODAY)
    db.session.commit()
    assert _summary() == before
    assert second.first_numbers == first.first_numbers
    assert second.counts == first.counts
    _empty_everything()
    other = demo_data.generate(cases=120, seed=6, today=TODAY)
    assert _summary()["rows"] != before["rows"]
    assert other.counts["case_record"] == 120


def test_the_data_follow_the_apps_rules(app_ctx):
    result = demo_data.generate(cases=400, seed=2, today=TODAY)
    db.session.commit()
    assert result.counts["case_record"] == 400

    # every kind, every role, establishments with valid tax codes only
    kinds = set(db.session.scalars(select(Case.kind).distinct()))
    assert kinds == {k.value for k in CaseKind}
    roles = set(db.session.scalars(select(User.role).distinct()))
    assert roles == {r.value for r in Role}
    tax_codes = list(
        db.session.scalars(select(Establishment.tax_code).where(Establishment.tax_code.is_not(None)))
    )
    assert tax_codes and all(is_valid_tax_code(code) for code in tax_codes)

    # dates within the span, none in the future; former wards only before the reform, with their district
    assert db.session.scalar(select(func.max(Case.opened_on))) <= TODAY
    assert db.session.scalar(select(func.min(Case.opened_on))) >= demo_data.FIRST_DAY
    assert db.session.scalar(select(func.max(Case.closed_on))) <= TODAY
    after_reform = select(func.count()).where(
        Case.former_ward_code.is_not(None), Case.opened_on >= REFORM_DATE
    )
    assert db.session.scalar(after_reform) == 0
    mismatched = (
        select(func.count())
        .select_from(Case)
        .join(FormerWard, FormerWard.code == Case.former_ward_code)
        .where(Case.former_district_code != FormerWard.district_code)
    )
    assert db.session.scalar(mismatched) == 0
    assert db.session.scalar(select(func.count()).where(Case.former_ward_code.is_not(None))) > 0

    # findings: an approved or closed case has none left undecided; drafts none decided; sanctions only
    # on confirmed findings; a payment only for a decided fine
    undecided_on_approved = (
        select(func.count())
        .select_from(Finding)
        .join(Case, Case.id == Finding.case_id)
        .where(Case.status.in_(["approved", "closed"]), Finding.status == "proposed")
    )
    assert db.session.scalar(undecided_on_approved) == 0
    decided_on_drafts = (
        select(func.count())
        .select_from(Finding)
        .join(Case, Case.id == Finding.case_id)
        .where(Case.status == "draft", Finding.status != "proposed")
    )
    assert db.session.scalar(decided_on_drafts) == 0
    assert db.session.scalar(select(func.count()).where(Finding.status == "confirmed")) > 0
    assert (
        db.session.scalar(
            select(func.count()).where(Finding.sanction_form.is_not(None), Finding.status != "confirmed")
        )
        == 0
    )
    paid_without_fine = select(func.count()).where(
        Finding.fine_paid_on.is_not(None), Finding.decided_fine_vnd.is_(None)
    )
    assert db.session.scalar(paid_without_fine) == 0
    assert db.session.scalar(select(func.count()).where(Finding.case.has(Case.kind == "survey"))) == 0

    # case numbers: per kind and year from 1, the counters at the last number given
    for counter in db.session.scalars(select(CaseNumberCounter)):
        numbers = list(
            db.session.scalars(
                select(Case.number).where(Case.number.like(f"{counter.prefix}-{counter.year}-%"))
            )
        )
        assert len(numbers) == counter.last_value
        assert f"{counter.prefix}-{counter.year}-{counter.last_value:04d}" in numbers

    # search_key as the app fills it; an audit entry for every creation
    for case in db.session.scalars(select(Case).order_by(Case.id).limit(40)):
        assert case.search_key == build_search_key(case)
    created = db.session.scalar(select(func.count()).where(AuditEvent.action == "create"))
    assert created == 400
    # the entries continue the audit trail's hash chain: `flask audit verify` finds it intact
    from cases.audit.chain import verify

    assert verify().intact

    # activities for every task counted by activities, in every year
    tasks = set(db.session.scalars(select(PlanTask.code).where(PlanTask.actual_source == "activities")))
    assert set(db.session.scalars(select(Activity.task_code).distinct())) == tasks
    assert {d.year for d in db.session.scalars(select(Activity.held_on))} == {2024, 2025, 2026}


def test_refuses_a_database_with_cases_unless_appending(app_ctx):
    demo_data.generate(cases=30, seed=1, today=TODAY)
    db.session.commit()
    with pytest.raises(demo_data.DemoDataRefused):
        demo_data.generate(cases=10, seed=1, today=TODAY)
    last = db.session.scalar(select(func.max(CaseNumberCounter.last_value)))
    demo_data.generate(cases=30, seed=9, today=TODAY, append=True)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Case)) == 60
    assert db.session.scalar(select(func.count(func.distinct(Case.number)))) == 60
    assert db.session.scalar(select(func.max(CaseNumberCounter.last_value))) > last
    assert db.session.scalar(select(func.count()).where(User.username == "lanhdao1")) == 1


def test_cli_prints_the_demo_accounts_and_the_app_serves_them(app, runner, client):
    result = runner.invoke(args=["demo-data", "--cases", "40", "--seed", "3", "--today", "2026-11-28"])
    assert result.exit_code == 0, result.output
    assert "lanhdao1" in result.output and demo_data.DEMO_PASSWORDS[Role.MANAGER] in result.output
    again = runner.invoke(args=["demo-data", "--cases", "40"])
    assert again.exit_code != 0 and "--append" in again.output
    response = client.post("/login", data={"username": "lanhdao1", "password": "LanhDao-2026"})
    assert response.status_code == 302
    page = client.get("/cases/")
    assert page.status_code == 200
    with app.app_context():
        newest = db.session.scalar(
            select(Case.number).order_by(Case.opened_on.desc(), Case.id.desc()).limit(1)
        )
    assert newest in page.get_data(as_text=True)
