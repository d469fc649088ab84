"""The audit trail: entries for creates, edits, items, findings, evidence, imports and deletions, with the
diff of what changed; entries can be neither changed nor deleted (ORM and database triggers)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from cases.audit import trail as audit
from cases.db import db
from cases.inspection import items
from cases.inspection.items import GoodsInput
from cases.models import AuditEvent, AuditLogIsAppendOnly, Case
from cases.recording import evidence
from cases.recording import service as case_service
from cases.review import findings
from cases.review.findings import FindingInput
from tests import evidence_samples as samples
from tests import factories
from tests.case_items_support import violation

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def inspector(app_ctx, make_user):
    return db.session.merge(make_user("kiemtra-audit", "inspector"))


def _events(case_id: int) -> list[tuple[str, str]]:
    return [(e.entity_type, e.action) for e in reversed(audit.case_timeline(case_id))]


def test_diff_lists_changed_fields_only():
    assert audit.diff({"a": 1, "b": dt.date(2026, 1, 2), "c": None}, {"a": 1, "b": dt.date(2026, 1, 3)}) == [
        {"field": "b", "from": "2026-01-02", "to": "2026-01-03"}
    ]
    assert audit.diff({}, {"x": "mới"}) == [{"field": "x", "from": None, "to": "mới"}]


def test_create_and_edit_of_a_case_are_recorded_with_the_diff(inspector):
    case = factories.case(inspector, "inspection", product="Xăng RON 95")
    data = case_service.case_to_input(case)
    data.product = "Dầu DO 0,05S"
    data.decision_number = "12/QĐ-KT"
    case_service.update_case(
        case=case, actor=inspector, data=data, expected_version=case.version, today=TODAY
    )
    db.session.commit()

    timeline = audit.case_timeline(case.id)
    assert [e.action for e in timeline] == ["update", "create"]  # newest first
    update, create = timeline
    assert update.actor_id == inspector.id and update.at is not None
    assert update.changes == [
        {"field": "decision_number", "from": None, "to": "12/QĐ-KT"},
        {"field": "product", "from": "Xăng RON 95", "to": "Dầu DO 0,05S"},
    ]
    assert {"field": "product", "from": None, "to": "Xăng RON 95"} in create.changes
    assert {"field": "fields", "from": None, "to": ["fuel"]} in create.changes


def test_saving_without_changes_records_nothing(inspector):
    case = factories.case(inspector, "inspection")
    data = case_service.case_to_input(case)
    case_service.update_case(case=case, actor=inspector, data=data, expected_version=None, today=TODAY)
    assert _events(case.id) == [("case", "create")]


def test_items_findings_and_evidence_are_recorded(inspector, tmp_path):
    case = factories.case(inspector, "inspection")
    goods = items.add_item(case=case, actor=inspector, data=GoodsInput(name="Mũ bảo hiểm", result="fail"))
    items.update_item(
        item=goods, actor=inspector, data=GoodsInput(name="Mũ bảo hiểm", result="fail", value_vnd=150000)
    )
    finding = findings.add_finding(
        case=case,
        actor=inspector,
        data=FindingInput(violation_id=violation(_first_code()).id, offender_type="individual"),
    )
    ev = evidence.store_evidence(
        case=case,
        actor=inspector,
        filename="anh.png",
        stream=samples.png(),
        upload_folder=tmp_path,
        max_bytes=10_000_000,
    )
    evidence.delete_evidence(ev, tmp_path, actor=inspector)
    findings.delete_finding(finding=finding, actor=inspector)
    items.delete_item(item=goods, actor=inspector)
    db.session.commit()

    assert _events(case.id) == [
        ("case", "create"),
        ("goods", "create"),
        ("goods", "update"),
        ("finding", "create"),
        ("evidence", "upload"),
        ("evidence", "delete"),
        ("finding", "delete"),
        ("goods", "delete"),
    ]
    update = audit.case_timeline(case.id)[5]
    assert update.changes == [{"field": "value_vnd", "from": None, "to": 150000}]
    upload = next(e for e in audit.case_timeline(case.id) if e.action == "upload")
    assert upload.changes == [{"field": "original_name", "from": None, "to": "anh.png"}]


def _first_code() -> str:
    from cases.models import Violation

    return db.session.scalar(
        select(Violation.code).where(Violation.retired.is_(False)).order_by(Violation.id)
    )


def test_deleting_a_draft_keeps_its_log(inspector):
    case = factories.case(inspector, "ecommerce")
    case_id, number = case.id, case.number
    case_service.delete_draft(case=case, actor=inspector)
    db.session.commit()

    assert db.session.get(Case, case_id) is None
    timeline = audit.case_timeline(case_id)
    assert [e.action for e in timeline] == ["delete", "create"]
    assert all(e.case_id is None for e in timeline)  # ON DELETE SET NULL, let through by the trigger
    assert {"field": "number", "from": number, "to": None} in timeline[0].changes


def test_the_orm_refuses_to_change_or_delete_an_entry(inspector):
    case = factories.case(inspector, "ecommerce")
    db.session.commit()
    event = audit.case_timeline(case.id)[0]
    event.reason = "sửa lại"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    event = audit.case_timeline(case.id)[0]
    db.session.delete(event)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).where(AuditEvent.entity_type == "case")) == 1


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET reason = 'x'",
        "UPDATE audit_event SET case_id = NULL",
        "DELETE FROM audit_event",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_entry(inspector, statement):
    case = factories.case(inspector, "ecommerce")
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text(statement))
        db.session.flush()
    db.session.rollback()
    assert _events(case.id) == [("case", "create")]


def test_an_import_records_one_entry_per_created_case(app_ctx, make_user):
    from cases.transfer.importer import import_cases
    from tests.transfer_helpers import sample_bytes

    admin = db.session.merge(make_user("qt-import", "admin"))
    report = import_cases(sample_bytes(), filename="s.csv", actor=admin)
    db.session.commit()
    assert report.imported and report.created > 0
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "import")))
    assert len(events) == report.created
    assert {e.actor_id for e in events} == {admin.id}
    assert len({e.case_id for e in events}) == report.created
