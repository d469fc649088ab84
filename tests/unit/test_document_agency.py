"""The agency that issues the documents (issue 17, item 2): its defaults, the administrator's changes and
signers (every problem at once, audited), and issuing freezes the agency and the chosen signer."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from cases.db import db
from cases.documents import agency as agency_config
from cases.documents import register
from cases.documents.agency import AgencyInput, SignerInput, agency_settings
from cases.errors import PermissionDenied, ValidationFailed, all_problems
from cases.models import AgencySigner, AuditEvent, User
from tests import factories

ON = dt.date(2026, 3, 12)


@pytest.fixture
def admin(app_ctx, make_user):
    return db.session.get(User, make_user("quantri.cq", "admin", full_name="Quản Trị").id)


def _agency(**values):
    base = {"parent_name": "UBND TỈNH AN GIANG", "name": "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "place_name": "An Giang"}
    return AgencyInput(**{"symbol": "SKHCN", **base, **values})


def test_the_defaults_until_an_administrator_sets_the_agency(app_ctx):
    agency = agency_settings()
    assert (agency.parent_name, agency.name, agency.place_name, agency.symbol) == (
        "UBND TỈNH AN GIANG",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "An Giang",
        "SKHCN",
    )
    assert agency.treasury_account is None and agency.signers == ()


def test_an_administrator_sets_the_agency_and_it_is_audited(admin):
    agency_config.update_agency(
        admin, _agency(treasury_account="  3949.0.1234567 ", treasury_name="Kho bạc Nhà nước khu vực XIX")
    )
    agency = agency_settings()
    assert agency.treasury_account == "3949.0.1234567" and agency.treasury_name.startswith("Kho bạc")
    entry = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "agency")).one()
    assert {c["field"] for c in entry.changes} == {"treasury_account", "treasury_name"}
    agency_config.update_agency(admin, _agency(name="SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH AN GIANG"))
    assert agency_settings().name == "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH AN GIANG"
    assert agency_settings().treasury_account is None  # cleared, as the form sent it


def test_every_problem_of_the_agency_at_once_beside_its_field(admin):
    with pytest.raises(ValidationFailed) as refused:
        agency_config.update_agency(admin, _agency(name="  ", symbol="SK HCN", place_name="x" * 101))
    found = {(p.field, p.code) for p in all_problems(refused.value)}
    assert found == {("name", "required"), ("symbol", "agency_symbol_invalid"), ("place_name", "too_long")}
    assert agency_settings().name == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"  # nothing saved


def test_only_an_administrator_sets_the_agency(app_ctx, make_user):
    manager = db.session.get(User, make_user("lanhdao.cq", "manager").id)
    with pytest.raises(PermissionDenied):
        agency_config.update_agency(manager, _agency())
    with pytest.raises(PermissionDenied):
        agency_config.save_signer(manager, SignerInput(full_name="A", title="B"))


def test_signers_are_added_changed_and_made_inactive(admin):
    signer = agency_config.save_signer(
        admin,
        SignerInput(
            full_name="Lê Văn Ký",
            title="KT. GIÁM ĐỐC\r\nPHÓ GIÁM ĐỐC",
            authority_code="department-director",
            delegation_reference="Quyết định số 12/QĐ-GQXP ngày 02/01/2026",
        ),
    )
    assert signer.title == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    assert [s.full_name for s in agency_settings().signers] == ["Lê Văn Ký"]
    assert agency_settings().signers[0].authority_code == "department-director"
    agency_config.save_signer(
        admin, SignerInput(full_name="Lê Văn Ký", title="GIÁM ĐỐC", active=False), signer
    )
    assert agency_settings().signers == ()
    actions = [
        e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "signer"))
    ]
    assert actions == ["create", "update"]
    with pytest.raises(ValidationFailed) as refused:
        agency_config.save_signer(
            admin, SignerInput(full_name="", title="", authority_code="chief-of-police")
        )
    found = {(p.field, p.code) for p in all_problems(refused.value)}
    assert found == {
        ("full_name", "required"),
        ("title", "required"),
        ("authority_code", "signer_authority_unknown"),
    }


def test_issue_freezes_the_agency_and_the_chosen_signer(admin, make_user):
    manager = db.session.get(User, make_user("truongphong.cq", "manager").id)
    agency_config.update_agency(admin, _agency(treasury_account="3949.0.1234567"))
    signer = agency_config.save_signer(
        admin, SignerInput(full_name="Lê Văn Ký", title="GIÁM ĐỐC", authority_code="department-director")
    )
    case = factories.case(manager, "inspection")
    doc = register.start_draft(case, "decision", manager)
    register.issue(doc, manager, on=ON, signer_id=signer.id)
    assert (doc.signer_name, doc.signer_title) == ("Lê Văn Ký", "GIÁM ĐỐC")
    data = json.loads(doc.snapshot)
    assert data["agency"]["treasury_account"] == "3949.0.1234567"
    assert data["agency"]["signers"][0]["full_name"] == "Lê Văn Ký"
    assert data["document"]["signer"] == {
        "name": "Lê Văn Ký",
        "title": "GIÁM ĐỐC",
        "signer_id": signer.id,
        "authority_code": "department-director",
        "delegation_reference": None,
    }
    frozen = doc.snapshot
    agency_config.update_agency(admin, _agency(name="TÊN MỚI", treasury_account="1111"))
    db.session.expire_all()
    assert json.loads(frozen)["agency"]["name"] == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert doc.snapshot == frozen

    # typed name and title still work, and an inactive signer cannot be chosen
    other = register.start_draft(case, "decision", manager)
    agency_config.save_signer(
        admin, SignerInput(full_name="Lê Văn Ký", title="GIÁM ĐỐC", active=False), signer
    )
    with pytest.raises(ValidationFailed) as refused:
        register.issue(other, manager, on=ON, signer_id=signer.id)
    assert (refused.value.code, refused.value.field) == ("document_signer_unknown", "signer_id")
    register.issue(other, manager, "Trần Văn Khác", "PHÓ GIÁM ĐỐC", on=ON)
    assert json.loads(other.snapshot)["agency"]["name"] == "TÊN MỚI"
    assert db.session.get(AgencySigner, signer.id).active is False
