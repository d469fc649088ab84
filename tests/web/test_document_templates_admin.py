"""The versions of the documents' forms as an administrator's data (issue 17 item 2): a new version of a
form or of a legal basis is added on a page, from the date it takes effect, without touching code; the
version in force before it ends the day before; a draft dated after it uses it; every mistake is shown
beside its field at once, with what was typed kept."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from cases.db import db
from cases.documents.templates import template_in_force
from cases.models import AuditEvent, DocumentTemplate
from tests.conftest import TEST_PASSWORD
from tests.document_templates_support import restore_document_templates


@pytest.fixture(autouse=True)
def _templates_put_back(app):
    yield
    with app.app_context():
        restore_document_templates()


def _client(app, user):
    client = app.test_client()
    assert (
        client.post("/login", data={"username": user.username, "password": TEST_PASSWORD}).status_code == 302
    )
    return client


def _error(html: str, field: str) -> str:
    found = re.search(rf'id="{field}-error">([^<]*)<', html)
    return found.group(1) if found else ""


def test_a_new_version_of_a_form_from_a_page(app, make_user):
    admin = _client(app, make_user("qt-mau", "admin"))
    page = admin.get("/admin/agency/templates/").get_data(as_text=True)
    assert "Mẫu văn bản" in page and "Biên bản vi phạm hành chính" in page and "MBB01" in page

    typed = {
        "doc_type": "violation-record",
        "version_label": "MBB01, Nghị định 999/2026/NĐ-CP",
        "effective_from": "01/07/2026",
        "effective_to": "30/06/2026",
        "form_code": "MBB01",
        "title": "",
        "legal_bases": "Luật Xử lý vi phạm hành chính\nNghị định số 999/2026/NĐ-CP",
        "number_pattern": "BB-VPHC",
        "confidence": "secondary",
    }
    resp = admin.post("/admin/agency/templates/new", data=typed)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert _error(html, "title") and _error(html, "number_pattern") and _error(html, "effective_to")
    assert "Nghị định số 999/2026/NĐ-CP" in html and "MBB01, Nghị định 999/2026/NĐ-CP" in html

    typed.update(title="BIÊN BẢN VI PHẠM HÀNH CHÍNH", number_pattern="{n}/BB-VPHC", effective_to="")
    assert admin.post("/admin/agency/templates/new", data=typed).status_code == 302
    with app.app_context():
        new = template_in_force("violation-record", dt.date(2026, 7, 1))
        assert new is not None and new.version_label == "MBB01, Nghị định 999/2026/NĐ-CP"
        before = template_in_force("violation-record", dt.date(2026, 6, 30))
        assert before is not None and before.effective_to == dt.date(2026, 6, 30)
        assert "999/2026" not in before.legal_bases
        entries = db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity_type == "document_template")
            .order_by(AuditEvent.id)
        ).all()
        assert entries == ["create", "update"]
        new_id = new.id

    # the same start twice is refused beside the date
    resp = admin.post("/admin/agency/templates/new", data=typed)
    assert resp.status_code == 400 and _error(resp.get_data(as_text=True), "effective_from")
    # a correction of a version keeps its type
    typed.update(doc_type="decision", version_label="MBB01, Nghị định 999/2026/NĐ-CP (sửa)")
    assert admin.post(f"/admin/agency/templates/{new_id}/edit", data=typed).status_code == 302
    with app.app_context():
        fixed = db.session.get(DocumentTemplate, new_id)
        assert (fixed.doc_type, fixed.version_label) == (
            "violation-record",
            "MBB01, Nghị định 999/2026/NĐ-CP (sửa)",
        )


def test_only_an_administrator_edits_the_forms(app, make_user):
    manager = _client(app, make_user("ld-mau", "manager"))
    assert manager.get("/admin/agency/templates/").status_code == 403
    assert manager.post("/admin/agency/templates/new", data={}).status_code == 403
