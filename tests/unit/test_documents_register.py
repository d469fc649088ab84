"""The register of official documents (issue 17, first increment): template versions by date, numbering at
issue per type and year (no gap, no duplicate, even under concurrent issuing), the frozen snapshot, voiding,
corrections, permissions and the audit trail."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from cases.audit.chain import verify
from cases.audit.integrity import canonical_sha256
from cases.db import db
from cases.documents import register
from cases.documents.snapshot import legal_reference, sha256_of, snapshot_of
from cases.documents.templates import template_in_force
from cases.enums import DocumentStatus, DocumentType
from cases.errors import PermissionDenied, ValidationFailed
from cases.models import (
    AuditEvent,
    DocumentTemplate,
    Finding,
    GoodsItem,
    OfficialDocument,
    User,
    Violation,
)
from tests import factories

ON = dt.date(2026, 3, 12)


@pytest.fixture
def people(app_ctx, make_user):
    made = {
        "inspector": make_user("kiemtra.vb", "inspector", full_name="Nguyễn Văn Kiểm"),
        "other": make_user("kiemtra.khac", "inspector", full_name="Trần Thị Khác"),
        "manager": make_user("truongphong.vb", "manager", full_name="Lê Văn Trưởng"),
        "liaison": make_user("lienlac.vb", "liaison", communes=("30742",)),
    }
    return {key: db.session.get(User, user.id) for key, user in made.items()}


@pytest.fixture
def case(people):
    case = factories.case(people["inspector"], "inspection", address="12 Trần Phú")
    db.session.add(
        GoodsItem(
            case_id=case.id, name="Mũ bảo hiểm", quantity=40, unit="chiếc", value_vnd=4_000_000, result="fail"
        )
    )
    db.session.flush()
    db.session.refresh(case)
    return case


def _finding(case, status: str = "confirmed", code: str = "MV-02") -> Finding:
    violation = db.session.scalar(select(Violation).where(Violation.code == code))
    finding = Finding(
        case_id=case.id,
        violation_id=violation.id,
        offender_type="organisation",
        status=status,
        decided_fine_vnd=12_000_000 if status == "confirmed" else None,
        sanction_form="fine" if status == "confirmed" else None,
    )
    db.session.add(finding)
    db.session.flush()
    return finding


def _issue(doc, manager, on: dt.date = ON):
    return register.issue(doc, manager, "Lê Văn Trưởng", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", on=on)


# --- templates ---------------------------------------------------------------------------------------


def test_the_templates_are_seeded_for_every_type(app_ctx):
    types = set(db.session.scalars(select(DocumentTemplate.doc_type)))
    assert types == {t.value for t in DocumentType}
    record = template_in_force("violation-record", ON)
    assert (record.form_code, record.number(12)) == ("MBB01", "12/BB-VPHC")
    sanction = template_in_force(DocumentType.SANCTION_DECISION, ON)
    assert sanction.form_code == "MQĐ02" and sanction.number(3) == "3/QĐ-XPHC"
    assert any("189/2025/NĐ-CP" in line for line in sanction.legal_basis_lines)
    assert template_in_force("decision", ON).number(7) == "7/QĐ-SKHCN"


def test_the_template_in_force_is_picked_by_the_handling_date(app_ctx):
    """Decree 68/2025: the forms of the law in force when the case is handled."""
    before = template_in_force("sanction-decision", dt.date(2025, 6, 30))
    after = template_in_force("sanction-decision", dt.date(2025, 7, 1))
    assert before is not None and after is not None and before.id != after.id
    assert not any("189/2025" in line for line in before.legal_basis_lines)
    assert any("189/2025" in line for line in after.legal_basis_lines)
    assert template_in_force("sanction-decision", dt.date(2025, 5, 1)) is None  # before NĐ 68/2025
    decision_2025 = template_in_force("decision", dt.date(2025, 12, 31))
    decision_2026 = template_in_force("decision", dt.date(2026, 1, 1))
    assert decision_2025.effective_to == dt.date(2025, 12, 31) and decision_2026.effective_to is None
    # an administrator adds a version: used from its date, without touching code
    db.session.add(
        DocumentTemplate(
            doc_type="violation-record",
            version_label="MBB01 (thử)",
            effective_from=dt.date(2026, 6, 1),
            title="BIÊN BẢN VI PHẠM HÀNH CHÍNH",
            legal_bases="Văn bản thử",
            number_pattern="{n}/BB-VPHC-TEST",
            confidence="uncertain",
        )
    )
    db.session.flush()
    assert template_in_force("violation-record", dt.date(2026, 5, 31)).number(1) == "1/BB-VPHC"
    assert template_in_force("violation-record", dt.date(2026, 6, 1)).number(1) == "1/BB-VPHC-TEST"
    db.session.rollback()


def test_no_legal_basis_is_invented_uncertain_ones_are_marked(app_ctx):
    """Every line names an instrument LEGAL-2025.md gives; every version says how sure its source is."""
    given = ("Luật Đo lường", "86/2012", "28/2013", "01/2024", "78/2025", "Luật Xử lý vi phạm hành chính")
    given += ("88/2025", "118/2021", "119/2017", "189/2025")
    for template in db.session.scalars(select(DocumentTemplate)):
        assert template.confidence in {"legal-text", "secondary", "uncertain"} and template.confidence_note
        assert template.legal_basis_lines
        for line in template.legal_basis_lines:
            assert any(instrument in line for instrument in given), line
        if template.form_code is None:  # the annexes' form numbers could not be read
            assert template.confidence == "uncertain"


# --- drafts ------------------------------------------------------------------------------------------


def test_a_draft_has_no_number_and_keeps_its_own_texts(people, case):
    doc = register.start_draft(case, "inspection-record", people["inspector"], today=ON)
    assert (doc.status, doc.number, doc.sequence, doc.snapshot) == ("draft", None, None, None)
    register.update_draft_text(
        doc,
        people["inspector"],
        {"statement": "  Cơ sở thống nhất với kết quả.  ", "copies": "3", "witnesses": ""},
        expected_version=doc.version,
    )
    assert register.texts_of(doc) == {"statement": "Cơ sở thống nhất với kết quả.", "copies": 3}
    with pytest.raises(ValidationFailed) as stale:
        register.update_draft_text(doc, people["inspector"], {"copies": 2}, expected_version=doc.version - 1)
    assert stale.value.code == "document_changed_meanwhile"
    with pytest.raises(ValidationFailed) as unknown:
        register.update_draft_text(doc, people["inspector"], {"number": "99"}, expected_version=None)
    assert unknown.value.code == "document_text_unknown"


def test_a_violation_record_needs_a_finding_of_its_case_and_two_copies(people, case):
    with pytest.raises(ValidationFailed) as missing:
        register.start_draft(case, "violation-record", people["inspector"])
    assert missing.value.code == "document_finding_required"
    other_case = factories.case(people["inspector"], "inspection")
    with pytest.raises(ValidationFailed) as elsewhere:
        register.start_draft(case, "violation-record", people["inspector"], _finding(other_case))
    assert elsewhere.value.code == "document_finding_not_on_case"
    with pytest.raises(ValidationFailed) as proposed:
        register.start_draft(case, "sanction-decision", people["inspector"], _finding(case, "proposed"))
    assert proposed.value.code == "document_finding_not_confirmed"
    with pytest.raises(ValidationFailed) as not_per_finding:
        register.start_draft(case, "decision", people["inspector"], _finding(case))
    assert not_per_finding.value.code == "document_finding_not_expected"
    doc = register.start_draft(case, "violation-record", people["inspector"], _finding(case, "proposed"))
    with pytest.raises(ValidationFailed) as copies:
        register.update_draft_text(doc, people["inspector"], {"copies": 1}, expected_version=None)
    assert (copies.value.code, copies.value.params) == ("document_copies_too_few", {"min": 2})


# --- numbering ---------------------------------------------------------------------------------------


def test_numbers_are_given_at_issue_in_sequence_per_type_and_year(people, case):
    manager = people["manager"]
    finding = _finding(case)
    numbers = []
    for _ in range(3):
        numbers.append(
            _issue(register.start_draft(case, "violation-record", manager, finding), manager).number
        )
    decision = _issue(register.start_draft(case, "decision", manager), manager)
    next_year = _issue(
        register.start_draft(case, "violation-record", manager, finding), manager, dt.date(2027, 1, 4)
    )
    assert numbers == ["1/BB-VPHC", "2/BB-VPHC", "3/BB-VPHC"]
    assert decision.number == "1/QĐ-SKHCN"  # its own sequence
    assert (next_year.number, next_year.year, next_year.sequence) == ("1/BB-VPHC", 2027, 1)  # restarts


def test_a_draft_never_takes_a_number_and_a_voided_number_is_not_reused(people, case):
    manager = people["manager"]
    first = _issue(register.start_draft(case, "inspection-record", manager), manager)
    register.start_draft(case, "inspection-record", manager)  # a draft left unissued
    register.void(first, manager, "Lập nhầm cơ sở")
    second = _issue(register.start_draft(case, "inspection-record", manager), manager)
    assert (first.sequence, second.sequence) == (1, 2)


def test_concurrent_issuing_gives_no_duplicate_and_no_gap(app, people, case):
    """Eight threads, each its own session and transaction, issue violation records at once."""
    manager_id, finding_id = people["manager"].id, _finding(case).id
    doc_ids = [
        register.start_draft(
            case, "violation-record", people["manager"], db.session.get(Finding, finding_id)
        ).id
        for _ in range(8)
    ]
    db.session.commit()
    numbers: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def work(doc_id: int) -> None:
        try:
            with app.app_context():
                manager = db.session.get(User, manager_id)
                doc = db.session.get(OfficialDocument, doc_id)
                barrier.wait(timeout=10)
                _issue(doc, manager)
                db.session.commit()
                numbers.append(doc.number)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(doc_id,)) for doc_id in doc_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(numbers, key=lambda n: int(n.split("/")[0])) == [f"{n}/BB-VPHC" for n in range(1, 9)]
    assert verify().problems == []  # the audit chain stayed in order


# --- the frozen snapshot -----------------------------------------------------------------------------


def test_issue_freezes_the_snapshot_editing_the_case_changes_nothing(people, case):
    manager = people["manager"]
    finding = _finding(case)
    doc = register.start_draft(case, "sanction-decision", manager, finding)
    register.update_draft_text(doc, manager, {"conclusion": "Phạt tiền"}, expected_version=doc.version)
    _issue(doc, manager)
    frozen, digest = doc.snapshot, doc.sha256
    data = json.loads(frozen)
    assert canonical_sha256(data) == digest
    assert data["document"]["number"] == "1/QĐ-XPHC" and data["document"]["texts"] == {
        "conclusion": "Phạt tiền"
    }
    assert data["document"]["signer"] == {"name": "Lê Văn Trưởng", "title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"}
    assert data["establishment"]["name"] == case.establishment.name
    assert data["place"] == {**data["place"], "address": "12 Trần Phú", "commune_code": "30742"}
    violation = data["finding"]["violation"]
    assert violation["code"] == "MV-02" and violation["legal_basis"]["article"] is not None
    assert data["finding"]["decision"]["fine_vnd"] == 12_000_000
    assert [m["full_name"] for m in data["team"]] == [m.full_name for m in case.team]

    case.address = "99 Đường khác"
    case.establishment.name = "Tên đã sửa"
    finding.decided_fine_vnd = 20_000_000
    db.session.flush()
    db.session.expire_all()
    again = db.session.get(OfficialDocument, doc.id)
    assert (again.snapshot, again.sha256) == (frozen, digest)
    assert snapshot_of(again.case, "sanction-decision", again.finding)["place"]["address"] == "99 Đường khác"
    with pytest.raises(ValidationFailed) as frozen_text:
        register.update_draft_text(again, manager, {"conclusion": "Khác"}, expected_version=None)
    assert frozen_text.value.code == "document_not_draft"


def test_the_inspection_record_shows_the_items_and_the_findings_not_dismissed(people, case):
    _finding(case, "proposed")
    _finding(case, "dismissed", code="DL-SX-02")
    data = snapshot_of(case, "inspection-record")
    assert [g["name"] for g in data["goods"]] == ["Mũ bảo hiểm"]
    assert [f["violation"]["code"] for f in data["findings"]] == ["MV-02"]
    assert "finding" not in data and "goods" not in snapshot_of(case, "decision")


def test_the_catalogs_article_clause_and_point_are_read_never_guessed():
    assert legal_reference("NĐ 119/2017 (sđ NĐ 126/2021) Điều 9 khoản 1 điểm b") == {
        "article": "9",
        "clause": "1",
        "point": "b",
        "text": "NĐ 119/2017 (sđ NĐ 126/2021) Điều 9 khoản 1 điểm b",
    }
    partial = legal_reference("NĐ 119/2017 (sđ NĐ 126/2021) Điều 11 (khoản chưa xác minh)")
    assert (partial["article"], partial["clause"], partial["point"]) == ("11", None, None)


def test_issue_needs_a_signer_and_a_template_in_force(people, case):
    manager = people["manager"]
    doc = register.start_draft(case, "sanction-decision", manager, _finding(case))
    with pytest.raises(ValidationFailed) as signer:
        register.issue(doc, manager, "  ", "GIÁM ĐỐC", on=ON)
    assert (signer.value.code, signer.value.field) == ("required", "signer_name")
    with pytest.raises(ValidationFailed) as no_template:
        _issue(doc, manager, dt.date(2025, 1, 10))
    assert no_template.value.code == "document_no_template"
    assert doc.status == "draft" and doc.number is None


# --- void and correct --------------------------------------------------------------------------------


def test_void_needs_a_reason_and_only_an_issued_document(people, case):
    manager = people["manager"]
    doc = register.start_draft(case, "decision", manager)
    with pytest.raises(ValidationFailed) as draft:
        register.void(doc, manager, "Nhầm")
    assert draft.value.code == "document_not_issued"
    _issue(doc, manager)
    for reason in (None, "   "):
        with pytest.raises(ValidationFailed) as no_reason:
            register.void(doc, manager, reason)
        assert no_reason.value.code == "document_void_reason_required"
    register.void(doc, manager, "Quyết định ban hành nhầm đối tượng")
    assert (doc.status, doc.void_reason, doc.number) == (
        "voided",
        "Quyết định ban hành nhầm đối tượng",
        "1/QĐ-SKHCN",
    )
    entry = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "void")).one()
    assert (entry.entity_type, entry.entity_id, entry.reason) == ("document", doc.id, doc.void_reason)


def test_a_correction_names_the_document_it_replaces(people, case):
    manager = people["manager"]
    original = register.start_draft(case, "inspection-record", manager)
    register.update_draft_text(original, manager, {"copies": 2}, expected_version=None)
    _issue(original, manager)
    correction = register.correct(original, manager)
    assert (correction.status, correction.replaces_id, register.texts_of(correction)) == (
        "draft",
        original.id,
        {"copies": 2},
    )
    with pytest.raises(ValidationFailed) as twice:
        register.correct(original, manager)
    assert twice.value.code == "document_correction_exists"
    assert original.status == DocumentStatus.ISSUED  # until the correction is issued
    _issue(correction, manager)
    assert (original.status, correction.status, correction.number) == ("replaced", "issued", "2/BB-KT")
    assert json.loads(correction.snapshot)["document"]["replaces"]["number"] == "1/BB-KT"
    with pytest.raises(ValidationFailed) as replaced:
        register.correct(original, manager)
    assert replaced.value.code == "document_not_issued"


def test_every_operation_is_in_the_audit_trail_and_its_hash_chain(people, case):
    manager = people["manager"]
    doc = register.start_draft(case, "decision", people["inspector"])
    register.update_draft_text(
        doc, people["inspector"], {"conclusion": "Kiểm tra theo kế hoạch"}, expected_version=None
    )
    _issue(doc, manager)
    correction = register.correct(doc, manager)
    _issue(correction, manager)
    register.void(correction, manager, "Hủy để thử")
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_type == "document").order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "update", "issue", "correct", "issue", "replace", "void"]
    edit = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "update", AuditEvent.entity_type == "document")
    ).one()
    carried = db.session.scalars(  # the case carries out the decision: its number, date and signer
        select(AuditEvent).where(AuditEvent.action == "update", AuditEvent.entity_type == "case")
    ).all()
    assert [e.reason for e in carried] == [doc.number, correction.number]
    assert edit.changes == [{"field": "conclusion", "from": None, "to": "Kiểm tra theo kế hoạch"}]
    issued = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "issue")).first()
    assert {"field": "sha256", "from": None, "to": doc.sha256} in issued.changes
    assert all(
        e.case_id == case.id
        for e in db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "document"))
    )
    db.session.commit()
    assert verify().problems == []


# --- permissions -------------------------------------------------------------------------------------


def test_permissions(people, case):
    inspector, other, manager, liaison = (people[k] for k in ("inspector", "other", "manager", "liaison"))
    doc = register.start_draft(case, "inspection-record", inspector)  # the author drafts on his case
    for outsider in (other, liaison):  # not on the team; a liaison drafts nothing
        with pytest.raises(PermissionDenied):
            register.start_draft(case, "decision", outsider)
        with pytest.raises(PermissionDenied):
            register.update_draft_text(doc, outsider, {"copies": 2}, expected_version=None)
    decision = register.start_draft(case, "decision", inspector)
    with pytest.raises(PermissionDenied):  # an inspector does not issue a decision: the head signs it
        _issue(decision, inspector)
    for outsider in (other, liaison):
        with pytest.raises(PermissionDenied):
            _issue(doc, outsider)
    _issue(doc, inspector)  # the team issues the record it makes and signs on site
    _issue(decision, manager)
    with pytest.raises(PermissionDenied):
        register.void(doc, inspector, "Không có quyền")
    with pytest.raises(PermissionDenied):
        register.correct(doc, inspector)
    register.start_draft(case, "decision", manager)  # a manager drafts on any case
    case.status = "cancelled"
    db.session.flush()
    with pytest.raises(PermissionDenied):
        register.start_draft(case, "decision", manager)


def test_the_register_is_unique_per_type_year_and_sequence(people, case):
    manager = people["manager"]
    first = _issue(register.start_draft(case, "decision", manager), manager)
    twin = OfficialDocument(
        doc_type="decision", case_id=case.id, status="issued", year=first.year, sequence=first.sequence
    )
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(twin)
        db.session.flush()
    db.session.rollback()


def test_audit_verify_names_an_issued_document_whose_content_was_rewritten(people, case, runner):
    """``flask audit verify`` checks each issued document's snapshot against its SHA-256 and the SHA-256
    against the one its issue entry recorded in the hash chain (so rewriting both columns shows too)."""
    manager = people["manager"]
    doc = _issue(register.start_draft(case, "decision", manager), manager)
    db.session.commit()
    assert verify().documents == 1 and verify().problems == []
    tampered = doc.snapshot.replace(case.number, "KT-2026-9999")
    db.session.execute(
        text("UPDATE official_document SET snapshot = :s WHERE id = :id"), {"s": tampered, "id": doc.id}
    )
    db.session.commit()
    assert [(p.kind, p.entry_id) for p in verify().problems] == [("document_altered", doc.id)]
    db.session.execute(
        text("UPDATE official_document SET sha256 = :h WHERE id = :id"),
        {"h": sha256_of(tampered), "id": doc.id},
    )
    db.session.commit()
    assert [(p.kind, p.entry_id) for p in verify().problems] == [("document_altered", doc.id)]
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"BROKEN document_altered: document #{doc.id}" in result.output


def test_a_draft_case_with_documents_is_not_deleted(people, case):
    from cases.recording import service as case_service

    register.start_draft(case, "decision", people["inspector"])
    with pytest.raises(ValidationFailed) as kept:
        case_service.delete_draft(case=case, actor=people["inspector"])
    assert kept.value.code == "case_has_documents"


def test_the_case_timeline_speaks_of_the_documents(app, people, case, client, login):
    """The entries of the register are on the case's timeline, in words (no page of documents yet)."""
    manager = people["manager"]
    doc = register.start_draft(case, "violation-record", manager, _finding(case, "proposed"))
    register.update_draft_text(doc, manager, {"statement": "Cơ sở xin khắc phục", "copies": 2}, None)
    _issue(doc, manager)
    register.void(doc, manager, "Lập nhầm")
    db.session.commit()
    case_id = case.id
    login(manager)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    for words in (
        "Đã ban hành văn bản",
        "Đã hủy văn bản",
        "Ý kiến của người đại diện cơ sở",
        "Số bản",
        "1/BB-VPHC",
    ):
        assert words in page, words
