"""Who may sign a sanction decision (issue 17, item 7): the authority in force on the handling date
(Decree 189/2025), the ceiling from the field's maximum and the offender's type, the refusal naming the
competent authority, and the transfer of the file instead. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from cases.db import db
from cases.documents import agency as agency_config
from cases.documents import authority, register
from cases.documents.agency import SignerInput
from cases.errors import PermissionDenied, ValidationFailed
from cases.models import (
    AuditEvent,
    DocumentNumberCounter,
    FileTransfer,
    Finding,
    SanctionAuthority,
    User,
    Violation,
)
from inspect_app.labels.errors import domain_message
from tests import factories

ON = dt.date(2026, 3, 12)
PROVINCIAL = "Chủ tịch Ủy ban nhân dân tỉnh"


@pytest.fixture
def people(app_ctx, make_user):
    made = {
        "admin": make_user("quantri.tq", "admin"),
        "manager": make_user("truongphong.tq", "manager", full_name="Lê Văn Trưởng"),
        "inspector": make_user("kiemtra.tq", "inspector"),
    }
    return {key: db.session.get(User, user.id) for key, user in made.items()}


def _signer(people, code: str | None, name: str = "Lê Văn Ký"):
    return agency_config.save_signer(
        people["admin"], SignerInput(full_name=name, title="GIÁM ĐỐC", authority_code=code)
    )


def _finding(case, code: str, fine: int, offender: str = "organisation") -> Finding:
    violation = db.session.scalar(select(Violation).where(Violation.code == code))
    finding = Finding(
        case_id=case.id,
        violation_id=violation.id,
        offender_type=offender,
        status="confirmed",
        decided_fine_vnd=fine,
        sanction_form="fine",
    )
    db.session.add(finding)
    db.session.flush()
    return finding


def test_the_authorities_of_decree_189_are_dated_reference_data(app_ctx):
    found = [(a.code, a.percent_of_maximum) for a in authority.authorities_in_force(ON)]
    assert found == [("commune-chairman", 50), ("department-director", 80), ("provincial-chairman", 100)]
    assert authority.authorities_in_force(dt.date(2025, 6, 30)) == []  # before Decree 189/2025
    assert all(a.confidence == "secondary" for a in db.session.scalars(select(SanctionAuthority)))


def test_ceilings_from_the_field_maximum_and_the_offender(app_ctx):
    director = authority.authority_in_force("department-director", ON)
    assert authority.ceiling(director, "instruments", "organisation") == 160_000_000
    assert authority.ceiling(director, "instruments", "individual") == 80_000_000
    assert authority.ceiling(director, "quality", "individual") == 120_000_000
    assert authority.ceiling(director, "barcode", "individual") is None  # no maximum given: none invented
    assert authority.competent_authority(90_000_000, "instruments", "individual", ON).code == (
        "provincial-chairman"
    )
    assert authority.competent_authority(60_000_000, "instruments", "individual", ON).code == (
        "department-director"
    )
    assert (
        authority.competent_authority(50_000_000, "instruments", "individual", ON).code == "commune-chairman"
    )
    assert authority.competent_authority(250_000_000, "instruments", "organisation", ON) is None


def test_a_fine_above_the_signers_ceiling_is_refused_naming_the_competent_authority(app, people):
    manager = people["manager"]
    director = _signer(people, "department-director")
    case = factories.case(people["inspector"], "inspection")
    finding = _finding(case, "DL-BB-01", 170_000_000)  # organisation, measurement: director up to 160 M
    doc = register.start_draft(case, "sanction-decision", manager, finding)
    with pytest.raises(ValidationFailed) as refused:
        register.issue(doc, manager, on=ON, signer_id=director.id)
    error = refused.value
    assert (error.code, error.field) == ("document_fine_above_authority", "signer_id")
    assert error.params["authority"] == PROVINCIAL and error.params["ceiling"] == 160_000_000
    assert doc.number is None and doc.status == "draft"
    assert db.session.scalar(select(func.count()).select_from(DocumentNumberCounter)) == 0  # no number taken
    with app.test_request_context(), force_locale("vi"):
        words = domain_message(error)
    assert PROVINCIAL in words and "160.000.000" in words and "170.000.000" in words

    transfer = authority.transfer_file(
        finding, error.params["authority_code"], manager, "Vượt thẩm quyền", on=ON
    )
    assert (transfer.authority.title, transfer.fine_vnd, transfer.reason) == (
        PROVINCIAL,
        170_000_000,
        "Vượt thẩm quyền",
    )
    assert [t.id for t in authority.transfers_of(finding)] == [transfer.id]
    entry = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "transfer_file")).one()
    assert (entry.entity_type, entry.case_id, entry.reason) == ("file_transfer", case.id, "Vượt thẩm quyền")

    # the provincial chairman signs it
    chairman = _signer(people, "provincial-chairman", name="Hồ Văn Tỉnh")
    register.issue(doc, manager, on=ON, signer_id=chairman.id)
    frozen = json.loads(doc.snapshot)["document"]
    assert frozen["authority"] == {
        "code": "provincial-chairman",
        "title": PROVINCIAL,
        "percent_of_maximum": 100,
        "legal_basis": frozen["authority"]["legal_basis"],
        "ceiling_vnd": 200_000_000,
        "fine_vnd": 170_000_000,
    }
    assert "189/2025" in frozen["authority"]["legal_basis"]


def test_within_the_ceiling_and_where_no_maximum_is_known_the_decision_is_issued(people):
    manager = people["manager"]
    director = _signer(people, "department-director")
    case = factories.case(people["inspector"], "inspection")
    within = _finding(case, "DL-BB-01", 80_000_000, offender="individual")  # exactly the ceiling
    doc = register.start_draft(case, "sanction-decision", manager, within)
    register.issue(doc, manager, on=ON, signer_id=director.id)
    assert json.loads(doc.snapshot)["document"]["authority"]["ceiling_vnd"] == 80_000_000
    barcode = _finding(case, "MV-02", 900_000_000)
    doc = register.start_draft(case, "sanction-decision", manager, barcode)
    register.issue(doc, manager, on=ON, signer_id=director.id)
    assert json.loads(doc.snapshot)["document"]["authority"]["ceiling_vnd"] is None


def test_no_authority_covers_it_or_the_signer_holds_none(people):
    manager = people["manager"]
    case = factories.case(people["inspector"], "inspection")
    chairman = _signer(people, "provincial-chairman")
    too_much = _finding(case, "DL-BB-01", 250_000_000)
    doc = register.start_draft(case, "sanction-decision", manager, too_much)
    with pytest.raises(ValidationFailed) as refused:
        register.issue(doc, manager, on=ON, signer_id=chairman.id)
    assert (refused.value.code, refused.value.field) == ("document_fine_above_every_authority", "signer_id")
    nobody = _signer(people, None, name="Trần Không Quyền")
    with pytest.raises(ValidationFailed) as refused:
        register.issue(doc, manager, on=ON, signer_id=nobody.id)
    assert (refused.value.code, refused.value.field) == ("document_signer_no_authority", "signer_id")
    # a violation record is not a sanction: no authority needed
    record = register.start_draft(case, "violation-record", manager, too_much)
    register.issue(record, manager, on=ON, signer_id=nobody.id)
    assert record.status == "issued"


def test_only_who_issues_documents_transfers_a_file(people):
    case = factories.case(people["inspector"], "inspection")
    finding = _finding(case, "DL-BB-01", 170_000_000)
    with pytest.raises(PermissionDenied):
        authority.transfer_file(finding, "provincial-chairman", people["inspector"], None, on=ON)
    with pytest.raises(ValidationFailed) as refused:
        authority.transfer_file(finding, "chief-of-police", people["manager"], None, on=ON)
    assert refused.value.code == "transfer_authority_unknown"
    assert db.session.scalar(select(func.count()).select_from(FileTransfer)) == 0
