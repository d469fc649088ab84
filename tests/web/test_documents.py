"""The official documents' pages (issue 17): a draft started from its case's page, its own texts, issuing,
voiding, correcting, the signed copy or the refusal to sign, and the register with its filters and export —
every refused form shown again with each message beside its field and what was typed kept."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import tempfile

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from cases.db import db
from cases.models import AuditEvent, Case, Finding, OfficialDocument, Sample, User
from cases.recording import service
from cases.review import findings
from cases.review.findings import FindingInput
from tests import factories
from tests.case_items_support import violation
from tests.conftest import TEST_PASSWORD
from tests.evidence_samples import jpeg


def _client(app, user: User) -> FlaskClient:
    client = app.test_client()
    resp = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert resp.status_code == 302
    return client


@pytest.fixture
def people(make_user):
    return {
        "inspector": make_user("kt-doc", "inspector", full_name="Nguyễn Văn Kiểm"),
        "other": make_user("kt-doc2", "inspector"),
        "manager": make_user("ld-doc", "manager", full_name="Lê Văn Trưởng"),
        "liaison": make_user("lh-doc", "liaison", communes=("30307",)),
    }


@pytest.fixture
def case_id(app, people) -> int:
    with app.app_context():
        inspector = db.session.get(User, people["inspector"].id)
        case = factories.case(
            inspector,
            "inspection",
            decision_number="15/QĐ-SKHCN",
            decision_date=dt.date(2026, 3, 1),
            start_date=dt.date(2026, 3, 10),
            conclusion="Cân sai số vượt quá giới hạn cho phép.",
        )
        db.session.add(Sample(case_id=case.id, name="Xăng RON 95", result="pending"))
        findings.add_finding(
            case=case,
            actor=inspector,
            data=FindingInput(violation_id=violation("MV-02").id, offender_type="organisation"),
        )
        db.session.commit()
        return case.id


def _finding_id(app, case_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(Finding.id).where(Finding.case_id == case_id))


def _doc(app, doc_id: int) -> OfficialDocument:
    with app.app_context():
        doc = db.session.get(OfficialDocument, doc_id)
        db.session.expunge(doc)
        return doc


def _start(client: FlaskClient, case_id: int, option: str) -> int:
    resp = client.post(f"/cases/{case_id}/documents", data={"option": option})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    found = re.search(r"/documents/(\d+)$", resp.headers["Location"])
    assert found, resp.headers["Location"]
    return int(found.group(1))


def _field_error(html: str, field_id: str) -> str:
    found = re.search(rf'id="{field_id}-error">([^<]*)<', html)
    return found.group(1) if found else ""


def test_the_case_page_offers_the_documents_that_make_sense(app, people, case_id):
    page = _client(app, people["inspector"]).get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Văn bản" in page and "Lập dự thảo" in page
    options = re.findall(r'<option value="([a-z-]+(?::\d+)?)"', page.split('id="document-option"')[1])
    finding = _finding_id(app, case_id)
    # the finding is proposed, not yet confirmed: a violation record, no sanction decision yet
    assert options == ["decision", "inspection-record", "sampling-record", f"violation-record:{finding}"]
    # an inspector outside the team sees the section, not the form
    other = _client(app, people["other"]).get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="document-option"' not in other


def test_a_draft_from_the_case_page_to_an_issued_record(app, people, case_id):
    client = _client(app, people["inspector"])
    finding = _finding_id(app, case_id)
    doc_id = _start(client, case_id, f"violation-record:{finding}")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Biên bản vi phạm hành chính" in page and "Dự thảo" in page and "DỰ THẢO" in page

    # a violation record is made in two copies at least; every message at once, the texts kept
    resp = client.post(
        f"/documents/{doc_id}/texts",
        data={
            "statement": "Cơ sở thừa nhận vi phạm.",
            "witnesses": "Ông Trần Văn B",
            "copies": "1",
            "version": "1",
        },
    )
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert "ít nhất 2" in _field_error(html, "copies")
    assert "Cơ sở thừa nhận vi phạm." in html and "Ông Trần Văn B" in html
    resp = client.post(
        f"/documents/{doc_id}/texts",
        data={"copies": "một", "time_started": "14h30", "time_ended": "25:00", "version": "1"},
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and _field_error(html, "copies")
    assert "ví dụ 14:30" in _field_error(html, "time_ended") and not _field_error(html, "time_started")
    assert 'value="14h30"' in html and 'value="25:00"' in html

    resp = client.post(
        f"/documents/{doc_id}/texts",
        data={
            "statement": "Cơ sở thừa nhận vi phạm.",
            "witnesses": "Ông Trần Văn B",
            "copies": "3",
            "time_started": "14 giờ 5",
            "time_ended": "15h",
            "version": "1",
        },
    )
    assert resp.status_code == 302
    texts = json.loads(_doc(app, doc_id).texts)
    assert (texts["time_started"], texts["time_ended"], texts["copies"]) == ("14:05", "15:00", 3)

    # the issue form: every missing field beside itself
    resp = client.post(f"/documents/{doc_id}/issue", data={"issued_on": "31/02/2026", "signer_name": ""})
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert (
        _field_error(html, "issued_on")
        and _field_error(html, "signer_name")
        and _field_error(html, "signer_title")
    )

    resp = client.post(
        f"/documents/{doc_id}/issue",
        data={
            "issued_on": "12/03/2026",
            "signer_name": "Nguyễn Văn Kiểm",
            "signer_title": "Trưởng đoàn kiểm tra",
        },
    )
    assert resp.status_code == 302
    doc = _doc(app, doc_id)
    assert doc.status == "issued" and doc.number == "1/BB-VPHC" and doc.issued_on == dt.date(2026, 3, 12)
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Số 1/BB-VPHC" in page and doc.sha256 in page
    assert f'action="/documents/{doc_id}/texts"' not in page  # an issued document is not edited
    case_page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "1/BB-VPHC" in case_page


def test_an_inspector_does_not_issue_a_decision(app, people, case_id):
    client = _client(app, people["inspector"])
    doc_id = _start(client, case_id, "decision")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Ban hành văn bản" not in page
    resp = client.post(
        f"/documents/{doc_id}/issue",
        data={"issued_on": "12/03/2026", "signer_name": "Nguyễn Văn Kiểm", "signer_title": "Giám đốc"},
    )
    assert resp.status_code == 403
    manager = _client(app, people["manager"])
    resp = manager.post(
        f"/documents/{doc_id}/issue",
        data={
            "issued_on": "01/03/2026",
            "signer_name": "Lê Văn Trưởng",
            "signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        },
    )
    assert resp.status_code == 302
    assert _doc(app, doc_id).number == "1/QĐ-SKHCN"


def test_void_needs_a_reason_and_a_correction_replaces(app, people, case_id):
    inspector, manager = _client(app, people["inspector"]), _client(app, people["manager"])
    doc_id = _start(inspector, case_id, "inspection-record")
    data = {"issued_on": "12/03/2026", "signer_name": "Nguyễn Văn Kiểm", "signer_title": "Trưởng đoàn"}
    assert inspector.post(f"/documents/{doc_id}/issue", data=data).status_code == 302
    assert inspector.post(f"/documents/{doc_id}/void", data={"void_reason": "Sai"}).status_code == 403

    resp = manager.post(f"/documents/{doc_id}/void", data={"void_reason": "   "})
    assert resp.status_code == 400 and _field_error(resp.get_data(as_text=True), "void_reason")
    assert _doc(app, doc_id).status == "issued"

    resp = manager.post(f"/documents/{doc_id}/correct")
    assert resp.status_code == 302
    correction_id = int(resp.headers["Location"].rsplit("/", 1)[1])
    page = manager.get(f"/documents/{correction_id}").get_data(as_text=True)
    assert "Đính chính văn bản 1/BB-KT" in page
    assert manager.post(f"/documents/{correction_id}/issue", data=data).status_code == 302
    assert _doc(app, doc_id).status == "replaced"
    assert _doc(app, correction_id).number == "2/BB-KT"

    resp = manager.post(f"/documents/{correction_id}/void", data={"void_reason": "Lập nhầm cơ sở."})
    assert resp.status_code == 302
    voided = _doc(app, correction_id)
    assert voided.status == "voided" and voided.void_reason == "Lập nhầm cơ sở."
    assert "Lập nhầm cơ sở." in manager.get(f"/documents/{correction_id}").get_data(as_text=True)


def test_the_signed_copy_or_the_refusal(app, people, case_id):
    client = _client(app, people["inspector"])
    doc_id = _start(client, case_id, "inspection-record")
    data = {"issued_on": "12/03/2026", "signer_name": "Nguyễn Văn Kiểm", "signer_title": "Trưởng đoàn"}
    assert client.post(f"/documents/{doc_id}/issue", data=data).status_code == 302

    resp = client.post(
        f"/documents/{doc_id}/refusal", data={"refusal_witness": "", "refusal_note": "Không ký"}
    )
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert _field_error(html, "refusal_witness") and "Không ký" in html

    resp = client.post(
        f"/documents/{doc_id}/signed-copy",
        data={"files": (io.BytesIO(b"not an image"), "ban-ky.jpg")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302 and _doc(app, doc_id).signature is None  # refused: nothing stored

    resp = client.post(
        f"/documents/{doc_id}/signed-copy",
        data={"files": (io.BytesIO(jpeg(size=(120, 160))), "ban-ky.jpg")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    doc = _doc(app, doc_id)
    assert doc.signature == "signed"
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "ban-ky.jpg" in page and "Đã ký" in page
    file_id = int(re.search(r"/documents/files/(\d+)", page).group(1))
    resp = client.get(f"/documents/files/{file_id}")
    assert resp.status_code == 200 and resp.mimetype == "image/jpeg"
    resp.close()
    # a liaison of another commune sees none of it
    assert _client(app, people["liaison"]).get(f"/documents/files/{file_id}").status_code in {403, 404}

    other = _start(client, case_id, "sampling-record")
    assert client.post(f"/documents/{other}/issue", data=data).status_code == 302
    resp = client.post(
        f"/documents/{other}/refusal",
        data={"refusal_witness": "Bà Lê Thị C, công chức UBND phường", "refusal_note": "Chủ cơ sở vắng mặt."},
    )
    assert resp.status_code == 302
    refused = _doc(app, other)
    assert refused.signature == "refused" and refused.refusal_witness.startswith("Bà Lê Thị C")
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_type == "document_file")
        ).all()
    assert actions == ["upload"]


def test_the_register_filters_and_exports(app, people, case_id):
    client = _client(app, people["inspector"])
    issued = _start(client, case_id, "inspection-record")
    data = {"issued_on": "12/03/2026", "signer_name": "Nguyễn Văn Kiểm", "signer_title": "Trưởng đoàn"}
    assert client.post(f"/documents/{issued}/issue", data=data).status_code == 302
    _start(client, case_id, "decision")

    page = client.get("/documents/").get_data(as_text=True)
    assert page.count('data-testid="register-row"') == 2 and "1/BB-KT" in page
    page = client.get("/documents/?status=issued").get_data(as_text=True)
    assert page.count('data-testid="register-row"') == 1
    page = client.get("/documents/?doc_type=decision").get_data(as_text=True)
    assert page.count('data-testid="register-row"') == 1 and "1/BB-KT" not in page
    assert 'data-testid="register-empty"' in client.get("/documents/?year=2031").get_data(as_text=True)
    assert client.get("/documents/?year=2026&status=issued").get_data(as_text=True).count("register-row") == 1
    # nonsense in the filters is ignored, never a 500
    assert client.get("/documents/?year=99999999999&doc_type=%00&status=x&commune=%27;--").status_code == 200
    # a liaison sees only their communes' documents
    liaison = _client(app, people["liaison"]).get("/documents/").get_data(as_text=True)
    assert 'data-testid="register-empty"' in liaison

    from openpyxl import load_workbook

    resp = client.get("/documents/?format=xlsx&status=issued")
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Số văn bản" and len(rows) == 2
    assert rows[1][0] == "1/BB-KT" and rows[1][1] == "Biên bản kiểm tra"
    assert rows[1][2] == dt.datetime(2026, 3, 12)


def test_the_files_are_named_in_headers_a_browser_reads(app, people):
    """A draft of an e-commerce check (TMĐT-…, "dự thảo"): a header is Latin-1, so the Vietnamese name goes
    in ``filename*`` and an ASCII one beside it (the live server broke the answer otherwise)."""
    with app.app_context():
        case = factories.case(db.session.get(User, people["inspector"].id), "ecommerce")
        db.session.commit()
        case_id, number = case.id, case.number
    client = _client(app, people["inspector"])
    doc_id = _start(client, case_id, "inspection-record")
    for fmt in ("pdf", "docx"):
        resp = client.get(f"/documents/{doc_id}/{fmt}")
        assert resp.status_code == 200
        header = resp.headers["Content-Disposition"]
        header.encode("latin-1")
        assert f'filename="TMDT-{number.split("-", 1)[1]}_inspection-record_du-thao.{fmt}"' in header
        assert "filename*=UTF-8''TM%C4%90T-" in header and "d%E1%BB%B1%20th%E1%BA%A3o" in header


def test_an_issued_decision_locks_the_scope_of_its_case(app, people, case_id):
    """Issuing the decision to inspect gives the case its number, date and signer; from then on the case's
    scope (establishment, fields, content, period, team, the decision) is refused beside each field changed,
    the rest of the case still editable."""
    manager = _client(app, people["manager"])
    doc_id = _start(manager, case_id, "decision")
    data = {
        "issued_on": "01/03/2026",
        "signer_name": "Lê Văn Trưởng",
        "signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
    }
    assert manager.post(f"/documents/{doc_id}/issue", data=data).status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert (case.decision_number, case.decision_date) == ("1/QĐ-SKHCN", dt.date(2026, 3, 1))
        assert case.decision_signer == "Lê Văn Trưởng, KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC"
        actor = db.session.get(User, people["inspector"].id)
        data_in = service.case_to_input(case)
        data_in.start_date = dt.date(2026, 3, 11)
        data_in.product = "Khác"
        data_in.decision_number = "99/QĐ-SKHCN"
        with pytest.raises(service.CaseInvalid) as refused:
            service.update_case(case=case, actor=actor, data=data_in, expected_version=case.version)
        assert sorted((p.field, p.code) for p in refused.value.problems) == [
            ("decision_number", "decision_scope_locked"),
            ("product", "decision_scope_locked"),
            ("start_date", "decision_scope_locked"),
        ]
        db.session.rollback()
        case = db.session.get(Case, case_id)
        data_in = service.case_to_input(case)
        data_in.conclusion = "Kết luận đã sửa."
        service.update_case(case=case, actor=actor, data=data_in, expected_version=case.version)
        db.session.commit()
    # a draft correction of the decision opens the scope; issuing it fixes the new scope
    resp = manager.post(f"/documents/{doc_id}/correct")
    correction_id = int(resp.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        case = db.session.get(Case, case_id)
        actor = db.session.get(User, people["inspector"].id)
        data_in = service.case_to_input(case)
        data_in.start_date = dt.date(2026, 3, 11)
        service.update_case(case=case, actor=actor, data=data_in, expected_version=case.version)
        db.session.commit()
    assert manager.post(f"/documents/{correction_id}/issue", data=data).status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.decision_number == "2/QĐ-SKHCN" and case.start_date == dt.date(2026, 3, 11)
        actor = db.session.get(User, people["inspector"].id)
        data_in = service.case_to_input(case)
        data_in.start_date = dt.date(2026, 3, 10)
        with pytest.raises(service.CaseInvalid):
            service.update_case(case=case, actor=actor, data=data_in, expected_version=case.version)


def test_a_sampling_record_states_each_sample(app, people, case_id):
    """The sample's quantity taken, its seal and the stock held when it was taken, typed on the sample's
    form, and the invoices written on the draft, are printed in the sampling record."""
    client = _client(app, people["inspector"])
    resp = client.post(
        f"/cases/{case_id}/samples/new",
        data={
            "name": "Dầu DO 0,05S",
            "code": "M-07",
            "quantity": "2",
            "quantity_unit": "lít",
            "seal_number": "NP-0042",
            "stock_quantity": "12.000 lít trong bồn số 2",
            "result": "pending",
        },
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    assert "NP-0042" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    resp = client.post(
        f"/cases/{case_id}/samples/new", data={"name": "Xăng", "quantity": "-1", "result": "pending"}
    )
    assert resp.status_code == 400 and _field_error(resp.get_data(as_text=True), "quantity")

    doc_id = _start(client, case_id, "sampling-record")
    resp = client.post(
        f"/documents/{doc_id}/texts",
        data={
            "invoices": "Hóa đơn GTGT số 0001234 ngày 02/03/2026, Công ty Xăng dầu Tây Nam Bộ",
            "version": "1",
        },
    )
    assert resp.status_code == 302
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(client.get(f"/documents/{doc_id}/pdf").get_data())
        fh.flush()
        text = subprocess.run(["pdftotext", fh.name, "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("M-07", "NP-0042", "12.000 lít trong bồn số 2", "Hóa đơn GTGT số 0001234", "DỰ THẢO"):
        assert expected in " ".join(text.split()), expected
