"""The hash-chained audit trail: `flask audit verify` says the chain is intact after ordinary work, and
names the entry that was altered or removed behind the app's back (raw SQL with the append-only triggers
set aside, as an intruder with database access would); altered report snapshots are named too."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select, text

from cases.audit.integrity import GENESIS_HASH, canonical_sha256
from cases.db import db
from cases.models import AnnualReport, AuditEvent
from cases.recording import service as case_service
from tests import factories


@pytest.fixture
def inspector(app_ctx, make_user):
    return db.session.merge(make_user("kiemtra-chain", "inspector"))


@contextmanager
def triggers_set_aside() -> Iterator[None]:
    """Run raw SQL on audit_event without its append-only triggers (in this transaction only)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete"))
        yield
        db.session.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete"))
    else:
        triggers = db.session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'")
        ).all()
        for name, _sql in triggers:
            db.session.execute(text(f'DROP TRIGGER "{name}"'))
        yield
        for _name, sql in triggers:
            db.session.execute(text(sql))
    db.session.commit()


def _some_history(inspector) -> list[int]:
    """Three cases, one edited: five entries or more, committed. Their ids, oldest first."""
    for product in ("Xăng RON 95", "Dầu DO", "Gas LPG"):
        case = factories.case(inspector, "inspection", product=product)
        db.session.commit()
    data = case_service.case_to_input(case)
    data.product = "Gas LPG 12 kg"
    case_service.update_case(case=case, actor=inspector, data=data, expected_version=case.version)
    db.session.commit()
    return list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def _verify(runner):
    db.session.remove()  # the command reads what is committed, on its own session
    return runner.invoke(args=["audit", "verify"])


def test_entries_are_chained_in_order_and_verify_says_intact(inspector, runner):
    ids = _some_history(inspector)
    entries = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert entries[0].prev_hash == GENESIS_HASH
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.entry_hash
    assert len({e.entry_hash for e in entries}) == len(entries)

    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert f"OK: {len(ids)} audit entries" in result.output


def test_an_altered_entry_is_named(inspector, runner):
    ids = _some_history(inspector)
    target = ids[2]
    with triggers_set_aside():
        db.session.execute(text("UPDATE audit_event SET reason = 'sửa lén' WHERE id = :id"), {"id": target})

    result = _verify(runner)
    assert result.exit_code == 1
    assert f"BROKEN altered: entry #{target}:" in result.output
    assert "removed" not in result.output  # the links still hold; only the content changed


def test_a_removed_entry_is_reported_at_the_next_one(inspector, runner):
    ids = _some_history(inspector)
    with triggers_set_aside():
        db.session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": ids[1]})

    result = _verify(runner)
    assert result.exit_code == 1
    assert f"BROKEN removed: entry #{ids[2]}: link broken after entry #{ids[0]}" in result.output


def test_removing_the_newest_entry_is_reported_by_the_chain_head(inspector, runner):
    ids = _some_history(inspector)
    with triggers_set_aside():
        db.session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": ids[-1]})

    result = _verify(runner)
    assert result.exit_code == 1
    assert f"names entry #{ids[-1]}, the last entry found is #{ids[-2]}" in result.output


def test_an_altered_report_snapshot_is_named(app_ctx, runner):
    snapshot = {"year": 2026, "tasks": [{"code": "5.2", "actual": 42}], "title": "Báo cáo"}
    report = AnnualReport(
        year=2026, status="final", snapshot=snapshot, snapshot_sha256=canonical_sha256(snapshot)
    )
    db.session.add(report)
    db.session.commit()
    report_id = report.id
    assert _verify(runner).exit_code == 0

    db.session.execute(
        text("UPDATE annual_report SET snapshot = :s WHERE id = :id"),
        {
            "s": '{"year": 2026, "tasks": [{"code": "5.2", "actual": 43}], "title": "Báo cáo"}',
            "id": report.id,
        },
    )
    db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert f"BROKEN report_altered: report #{report_id}: annual report 2026" in result.output
