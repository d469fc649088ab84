"""Drafts, finalising, the frozen snapshot and superseding (cases/reporting/annual_report.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from cases.db import db
from cases.errors import ValidationFailed
from cases.models import AuditEvent, Finding
from cases.reporting import annual_report as ar
from tests import report_support as rs

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def manager(make_user):
    return make_user("quanly", role="manager", full_name="Trần Thị Quản Lý")


@pytest.fixture
def data(app_ctx, make_user):
    return rs.build(make_user(role="inspector"))


def _ready(report, manager, **overrides):
    text = ar.ReportText.of(report)
    text.number_symbol = overrides.get("number_symbol", "12/BC-SKHCN")
    text.report_date = dt.date(2026, 11, 18)
    text.signer_name = "Nguyễn Văn Giám Đốc"
    text.overall_assessment = "Năm 2026, Sở đã hoàn thành cơ bản các nhiệm vụ của Kế hoạch."
    text.group_results = {"5": "Thực hiện 7 cuộc kiểm tra, khảo sát.", "9": "ignored"}
    rs.complete_narrative(text)
    return ar.save_text(report, text, manager, expected_version=report.version)


def test_draft_is_created_once_with_the_decree_defaults(data, manager):
    report = ar.start_draft(2026, manager, today=TODAY)
    assert (report.revision, report.status, report.number_symbol) == (1, "draft", "…/BC-SKHCN")
    assert "Bộ Khoa học và Công nghệ" in report.recipients
    assert ar.start_draft(2026, manager, today=TODAY).id == report.id


def test_years_outside_the_range_are_refused(app_ctx, manager):
    with pytest.raises(ValidationFailed) as exc:
        ar.start_draft(2027, manager, today=TODAY)
    assert exc.value.code == "report_year_out_of_range"


def test_text_is_checked_and_saved_with_an_audit_entry(data, manager):
    report = ar.start_draft(2026, manager, today=TODAY)
    _ready(report, manager)
    db.session.commit()
    assert report.group_results["5"] == "Thực hiện 7 cuộc kiểm tra, khảo sát."
    assert sorted(report.group_results) == list(ar.TASK_GROUPS)  # the unknown group "9" dropped
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "annual_report")).all()
    assert [e.action for e in events] == ["create", "update"]
    text = ar.ReportText.of(report)
    text.number_symbol = "số 12"
    with pytest.raises(ValidationFailed) as exc:
        ar.save_text(report, text, manager)
    assert exc.value.field == "number_symbol"
    text = ar.ReportText.of(report)
    text.report_date = dt.date(2024, 1, 1)
    with pytest.raises(ValidationFailed) as exc:
        ar.save_text(report, text, manager)
    assert exc.value.field == "report_date"


def test_a_stale_save_is_refused(data, manager):
    report = ar.start_draft(2026, manager, today=TODAY)
    _ready(report, manager)
    with pytest.raises(ValidationFailed) as exc:
        ar.save_text(report, ar.ReportText.of(report), manager, expected_version=report.version - 1)
    assert exc.value.code == "report_changed_meanwhile"


def test_a_finalised_snapshot_does_not_change_when_a_case_changes(data, manager):
    report = ar.start_draft(2026, manager, today=TODAY)
    _ready(report, manager)
    ar.finalise(report, manager)
    db.session.commit()
    assert report.status == "final"
    frozen = ar.document(2026, report)
    assert frozen["is_final"] and ar.verify_snapshot(report)
    assert frozen["figures"]["task52"]["sanctions"]["fines_decided_vnd"] == 20_000_000
    assert frozen["figures"]["task52"]["status"]["counted"] == 7

    # later: a case is cancelled, a fine corrected
    data.cases["c2"].status = "cancelled"
    finding = db.session.scalars(select(Finding).where(Finding.decided_fine_vnd == 15_000_000)).one()
    finding.decided_fine_vnd = 1_000_000
    db.session.commit()
    db.session.expire_all()

    again = ar.document(2026, ar.get(report.id))
    assert again["figures"] == frozen["figures"]
    assert again["text"] == frozen["text"]
    assert ar.verify_snapshot(ar.get(report.id))
    live = ar.compute(2026)
    assert live["task52"]["status"]["counted"] == 6
    assert live["task52"]["sanctions"]["fines_decided_vnd"] == 1_000_000

    # the text cannot be changed any more
    with pytest.raises(ValidationFailed) as exc:
        ar.save_text(report, ar.ReportText.of(report), manager)
    assert exc.value.code == "report_not_draft"
    with pytest.raises(ValidationFailed):
        ar.start_draft(2026, manager, today=TODAY)


def test_a_new_revision_supersedes_the_finalised_report(data, manager):
    first = ar.start_draft(2026, manager, today=TODAY)
    _ready(first, manager)
    ar.finalise(first, manager)
    with pytest.raises(ValidationFailed) as exc:
        ar.new_revision(2026, manager, "  ")
    assert exc.value.field == "reason"
    second = ar.new_revision(2026, manager, "Bổ sung số liệu kiểm tra tháng 11")
    assert (second.revision, second.status, second.overall_assessment) == (
        2,
        "draft",
        first.overall_assessment,
    )
    assert ar.final_of(2026).id == first.id  # still in force until the new one is finalised
    with pytest.raises(ValidationFailed) as exc:
        ar.new_revision(2026, manager, "again")
    assert exc.value.code == "report_draft_exists"
    _ready(second, manager, number_symbol="15/BC-SKHCN")
    ar.finalise(second, manager)
    db.session.commit()
    assert first.status == "superseded" and first.superseded_at is not None
    assert ar.final_of(2026).id == second.id
    assert [r.revision for r in ar.revisions(2026)] == [2, 1]
    assert ar.document(2026, first)["text"].number_symbol == "12/BC-SKHCN"  # the old one is kept as it was


def test_a_tampered_snapshot_is_detected(data, manager):
    report = ar.start_draft(2026, manager, today=TODAY)
    _ready(report, manager)
    ar.finalise(report, manager)
    changed = dict(report.snapshot)
    changed["figures"] = {**changed["figures"], "year": 2025}
    report.snapshot = changed
    assert not ar.verify_snapshot(report)


SECTIONS = [f"group_{g}" for g in ar.TASK_GROUPS] + ["limitations", "directions", "recommendations"]


def test_finalising_lists_every_missing_thing_at_once(data, manager):
    """A fresh draft has the placeholder number, no date, no signer and no narrative: all are named."""
    report = ar.start_draft(2026, manager, today=TODAY)
    with pytest.raises(ValidationFailed) as exc:
        ar.finalise(report, manager)
    assert exc.value.code == "report_incomplete"
    assert exc.value.params["missing"] == [
        "number_symbol",  # still "…/BC-SKHCN"
        "report_date",
        "signer_name",
        "overall_assessment",
        *SECTIONS,
    ]
    assert report.status == "draft" and report.snapshot is None


def test_a_written_section_or_one_marked_nothing_to_report_is_filled(data, manager):
    report = ar.start_draft(2026, manager, today=TODAY)
    text = ar.ReportText.of(report)
    text.number_symbol, text.report_date, text.signer_name = "12/BC-SKHCN", dt.date(2026, 11, 18), "Nguyễn B"
    text.overall_assessment = "Hoàn thành cơ bản."
    text.group_results = {"1": "Hai chương trình truyền thông.", "5": "Bảy cuộc kiểm tra."}
    text.directions = "Tiếp tục kiểm tra xăng dầu."
    ar.save_text(report, text, manager)
    with pytest.raises(ValidationFailed) as exc:
        ar.finalise(report, manager)
    assert exc.value.params["missing"] == [
        "group_2",
        "group_3",
        "group_4",
        "group_6",
        "limitations",
        "recommendations",
    ]
    text = ar.ReportText.of(report)
    text.nothing_to_report = ["group_2", "group_3", "group_4", "group_6", "limitations", "recommendations"]
    ar.save_text(report, text, manager)
    assert ar.missing_for_finalising(report) == []
    ar.finalise(report, manager)
    assert report.status == "final"
    assert report.snapshot["text"]["nothing_to_report"] == text.nothing_to_report


def test_the_assessment_and_the_directions_cannot_be_marked_nothing_to_report(data, manager):
    report = ar.start_draft(2026, manager, today=TODAY)
    for section in ("overall_assessment", "directions"):
        text = ar.ReportText.of(report)
        text.nothing_to_report = [section]
        with pytest.raises(ValidationFailed) as exc:
            ar.save_text(report, text, manager)
        assert (exc.value.code, exc.value.field) == ("report_section_required", section)


def test_a_section_both_written_and_marked_nothing_to_report_is_refused(data, manager):
    report = ar.start_draft(2026, manager, today=TODAY)
    text = ar.ReportText.of(report)
    text.limitations = "Lực lượng còn mỏng."
    text.nothing_to_report = ["limitations"]
    with pytest.raises(ValidationFailed) as exc:
        ar.save_text(report, text, manager)
    assert (exc.value.code, exc.value.field) == ("report_section_written_and_empty", "limitations_none")
