"""``case_record.has_violation`` — "the case has at least one confirmed finding" — is kept by the
database's triggers on ``finding`` (migration 0010), whichever way findings are written: the review (the
ORM, one finding at a time), the bulk writers (the demo data and the import, many rows per statement), a
finding moved or deleted. The figures, the dashboard and the list's filter read the flag, so a stale flag
would be a wrong number; these tests read it from the database (and once from a loaded case, whose copy
of the flag the ORM forgets when findings are flushed)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, func, select

from cases.db import db
from cases.demo import generator as demo_data
from cases.models import Case, Finding, User
from tests import factories


def _flags(*cases: Case) -> list[bool]:
    db.session.flush()
    ids = [c.id for c in cases]
    found = dict(db.session.execute(select(Case.id, Case.has_violation).where(Case.id.in_(ids))).all())
    return [bool(found[i]) for i in ids]


def _finding(case: Case, status: str) -> Finding:
    violation_id = db.session.scalar(select(Finding.violation_id).limit(1)) or db.session.scalar(
        db.text("SELECT id FROM violation ORDER BY id LIMIT 1")
    )
    finding = Finding(case_id=case.id, violation_id=violation_id, offender_type="individual", status=status)
    db.session.add(finding)
    return finding


def test_the_flag_follows_the_cases_findings(app_ctx, make_user):
    actor = db.session.get(User, make_user("kiemtra1", "inspector").id)
    case, other = factories.case(actor, "inspection"), factories.case(actor, "inspection")
    assert _flags(case, other) == [False, False]

    first = _finding(case, "proposed")
    assert _flags(case) == [False]  # a proposed finding is not a violation yet
    first.status = "confirmed"
    assert _flags(case) == [True]
    assert case.has_violation is True  # the loaded case's copy is read again after the flush
    second = _finding(case, "confirmed")
    assert _flags(case) == [True]
    first.status = "dismissed"
    assert _flags(case) == [True]  # the second one still stands
    second.status = "dismissed"
    assert _flags(case) == [False]

    second.status = "confirmed"
    assert _flags(case) == [True]
    second.case_id = other.id  # moved to another case: both cases change
    assert _flags(case, other) == [False, True]
    db.session.delete(second)
    assert _flags(case, other) == [False, False]


def test_bulk_written_findings_set_the_flag_of_every_case(app_ctx):
    """The demo data write findings by executemany batches, as the import does: every case's flag agrees
    with its findings, for cases with and without a confirmed finding."""
    demo_data.generate(cases=120, seed=5, today=dt.date(2026, 11, 28))
    db.session.flush()
    confirmed = exists().where(Finding.case_id == Case.id, Finding.status == "confirmed")
    disagree = db.session.scalar(
        select(func.count()).select_from(Case).where(Case.has_violation != confirmed)
    )
    with_flag = db.session.scalar(select(func.count()).select_from(Case).where(Case.has_violation))
    total = db.session.scalar(select(func.count()).select_from(Case))
    assert disagree == 0
    assert 0 < with_flag < total
