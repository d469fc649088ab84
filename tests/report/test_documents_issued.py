"""The official documents issued and the fines by decision (issue 17, item 9): one SQL aggregate
(``figures.documents_issued``) for the dashboard and the annual report (page, PDF, workbook)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from cases.db import db
from cases.documents import register
from cases.models import Finding, User, Violation
from cases.reporting import annual_report as ar
from cases.reporting import dashboard
from cases.reporting import figures as rf
from inspect_app import report_output
from tests import factories


@pytest.fixture
def issued(app_ctx, make_user):
    """In 2026: 2 decisions to inspect (one voided, not counted), a violation record, 2 sanction decisions
    (12 M and 7 M; the second corrected, counted once at its corrected 7 M), one in another commune; one
    sanction decision of 2025 and a draft."""
    manager = db.session.get(User, make_user("lanhdao.vb", "manager").id)
    inspector = db.session.get(User, make_user("kiemtra.vb", "inspector").id)
    here = factories.case(inspector, "inspection", commune_code="30742")
    there = factories.case(inspector, "inspection", commune_code="30307")
    violation = db.session.scalar(select(Violation).where(Violation.code == "MV-02"))

    def finding(case, fine):
        row = Finding(
            case_id=case.id,
            violation_id=violation.id,
            offender_type="organisation",
            status="confirmed",
            decided_fine_vnd=fine,
            sanction_form="fine",
        )
        db.session.add(row)
        db.session.flush()
        return row

    def issue(case, doc_type, found=None, on=dt.date(2026, 3, 12)):
        doc = register.start_draft(case, doc_type, manager, found)
        return register.issue(doc, manager, "Lê Văn Ký", "GIÁM ĐỐC", on=on)

    issue(here, "decision")
    voided = issue(here, "decision")
    register.void(voided, manager, "Nhầm cơ sở")
    first = finding(here, 12_000_000)
    issue(here, "violation-record", first)
    issue(here, "sanction-decision", first)
    second = finding(there, 5_000_000)
    wrong = issue(there, "sanction-decision", second)
    second.decided_fine_vnd = 7_000_000
    register.issue(register.correct(wrong, manager), manager, "Lê Văn Ký", "GIÁM ĐỐC", on=dt.date(2026, 4, 1))
    old = finding(here, 3_000_000)
    issue(here, "sanction-decision", old, on=dt.date(2025, 12, 30))
    register.start_draft(here, "decision", manager)
    db.session.flush()
    return manager


def test_documents_issued_counted_by_year_and_commune(issued):
    assert rf.documents_issued(rf.Scope.of(2026)) == {
        "decisions": 1,
        "violation_records": 1,
        "sanction_decisions": 2,
        "fines_by_decision_vnd": 19_000_000,
    }
    assert rf.documents_issued(rf.Scope.of(2026, communes=["30307"])) == {
        "decisions": 0,
        "violation_records": 0,
        "sanction_decisions": 1,
        "fines_by_decision_vnd": 7_000_000,
    }
    assert rf.documents_issued(rf.Scope.of(2025))["fines_by_decision_vnd"] == 3_000_000
    assert rf.documents_issued(rf.Scope.of(2024)) == {
        "decisions": 0,
        "violation_records": 0,
        "sanction_decisions": 0,
        "fines_by_decision_vnd": 0,
    }


def test_the_dashboard_and_the_annual_report_show_them(issued):
    assert dashboard.overview(2026, today=dt.date(2026, 11, 28))["documents"]["sanction_decisions"] == 2
    doc = ar.document(2026)
    assert doc["figures"]["task52"]["documents"]["fines_by_decision_vnd"] == 19_000_000
    book = load_workbook(io.BytesIO(report_output.annual_workbook(doc)))
    rows = {row[0]: row[1] for row in book["XuPhat"].iter_rows(min_row=4, values_only=True) if row[0]}
    assert rows["Quyết định kiểm tra đã ban hành"] == 1
    assert rows["Biên bản vi phạm hành chính đã lập"] == 1
    assert rows["Quyết định xử phạt đã ban hành"] == 2
    assert rows["Tiền phạt theo các quyết định xử phạt đã ban hành"] == 19_000_000


def test_the_dashboard_page_shows_them(app, client, login, make_user):
    manager = make_user("lanhdao.trang", "manager")
    with app.app_context():
        inspector = db.session.get(User, make_user("kiemtra.trang", "inspector").id)
        case = factories.case(inspector, "inspection")
        actor = db.session.get(User, manager.id)
        register.issue(
            register.start_draft(case, "decision", actor), actor, "Lê Văn Ký", "GIÁM ĐỐC", on=dt.date.today()
        )
        db.session.commit()
    login(manager)
    page = client.get("/", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert 'data-testid="documents-issued"' in page
    assert "1 quyết định kiểm tra" in page and "0 quyết định xử phạt" in page
