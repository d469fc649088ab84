"""Object-level authorisation, route by route: every endpoint of ``app.url_map`` (GET and POST) is requested
by every role against a case of another inspector in a commune the liaison does not cover, with its items,
finding, evidence file and establishment, and the answer must be the one in ``EXPECTED``.

Outcomes (one letter per role, in the order of ``ROLES``):
    A  allowed: 200, 400 (the form shown again with its errors) or a redirect that is not to the login page
    L  anonymous: sent to the login page (or 401 JSON from the API), nothing shown
    D  refused: 403 or 404
    S  signed out: sent to the login page (signing out)

Whatever is refused changes nothing (every non-reference table and the evidence folder are compared), and a
liaison of another commune never sees the case's number, the finding's notes or the evidence file's name in
any page, JSON answer or export.

A route missing from ``EXPECTED`` fails ``test_every_route_is_in_the_table``: add a line for it (new
blueprints, e.g. activities and the annual report, go in their own section at the end).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from cases.db import db
from cases.documents import register, signed
from cases.models import (
    AgencySigner,
    Case,
    Establishment,
    Finding,
    GoodsItem,
    InstrumentCheck,
    PrepackagedLot,
    Sample,
    Tip,
    User,
)
from cases.plan import activities
from cases.recording import evidence
from tests.case_items_support import violation
from tests.conftest import REFERENCE_TABLES
from tests.evidence_samples import jpeg
from tests.security_support import sample_url

ROLES = ("anonymous", "owner", "inspector", "liaison", "manager", "admin")
HERE, ELSEWHERE = "30742", "30307"  # the case's commune; the liaison's commune
SECRET_NOTE = "GHI-CHU-BAO-MAT-7731"
SECRET_FILE = "anh-hien-truong-7731.jpg"

#: (endpoint, method) → (outcomes for ROLES, URL arguments naming objects of the world)
EXPECTED: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {
    # --- public ---
    ("static", "GET"): ("AAAAAA", {}),
    ("auth.login", "GET"): ("AAAAAA", {}),
    ("auth.login", "POST"): ("AAAAAA", {}),
    ("auth.set_language", "POST"): ("AAAAAA", {}),
    # --- every signed-in user ---
    ("main.index", "GET"): ("LAAAAA", {}),
    ("auth.logout", "POST"): ("SSSSSS", {}),
    ("auth.account", "GET"): ("LAAAAA", {}),
    ("auth.account", "POST"): ("LAAAAA", {}),
    ("api.communes", "GET"): ("LAAAAA", {}),
    ("api.check_commune", "GET"): ("LAAAAA", {}),
    ("api.suggest_commune", "GET"): ("LAAAAA", {}),
    ("api.earlier_ecommerce_checks", "GET"): ("LAAAAA", {}),
    ("api.violations", "GET"): ("LAAAAA", {}),
    # --- administration ---
    ("admin.users", "GET"): ("LDDDDA", {}),
    ("admin.user_new", "GET"): ("LDDDDA", {}),
    ("admin.user_new", "POST"): ("LDDDDA", {}),
    ("admin.user_edit", "GET"): ("LDDDDA", {"user_id": "owner"}),
    ("admin.user_edit", "POST"): ("LDDDDA", {"user_id": "owner"}),
    ("admin.user_set_active", "POST"): ("LDDDDA", {"user_id": "owner"}),
    ("admin.user_reset_password", "POST"): ("LDDDDA", {"user_id": "owner"}),
    ("admin.user_end_sessions", "POST"): ("LDDDDA", {"user_id": "owner"}),
    ("admin.security_events", "GET"): ("LDDDDA", {}),
    # --- cases: the list and new cases for everyone (scoped); a case for those who see its commune ---
    ("cases.index", "GET"): ("LAAAAA", {}),
    ("cases.new", "GET"): ("LAAAAA", {}),
    ("cases.new", "POST"): ("LAAAAA", {}),
    ("cases.show", "GET"): ("LAADAA", {"case_id": "case"}),
    ("cases.edit", "GET"): ("LADDAA", {"case_id": "case"}),
    ("cases.edit", "POST"): ("LADDAA", {"case_id": "case"}),
    ("cases.delete", "POST"): ("LADDDD", {"case_id": "case"}),
    ("cases.transition", "POST"): ("LADDAD", {"case_id": "case", "action": "submit"}),
    ("cases.record_takedown", "POST"): ("LADDAD", {"case_id": "ecommerce"}),
    ("transfer.export", "GET"): ("LAAAAA", {}),
    ("transfer.export_readable", "GET"): ("LAAAAA", {}),
    ("transfer.import_cases", "GET"): ("LDDDAA", {}),
    ("transfer.import_cases", "POST"): ("LDDDAA", {}),
    ("transfer.import_template", "GET"): ("LDDDAA", {}),
    # the mapping step: a token names a file kept for its uploader only (none staged: back to the upload)
    ("transfer.map_columns", "GET"): ("LDDDAA", {"token": "t" * 43}),
    ("transfer.map_columns", "POST"): ("LDDDAA", {"token": "t" * 43}),
    # a saved mapping: its author or an administrator (tests/web/test_import_mapping_page.py); none here
    ("transfer.delete_mapping", "POST"): ("LDDDDD", {"mapping_id": 999_999}),
    # --- items and findings: those who may edit the case ---
    ("case_items.instrument_new", "GET"): ("LADDAA", {"case_id": "case"}),
    ("case_items.instrument_new", "POST"): ("LADDAA", {"case_id": "case"}),
    ("case_items.instrument_edit", "GET"): ("LADDAA", {"case_id": "case", "item_id": "instrument"}),
    ("case_items.instrument_edit", "POST"): ("LADDAA", {"case_id": "case", "item_id": "instrument"}),
    ("case_items.instrument_delete", "POST"): ("LADDAA", {"case_id": "case", "item_id": "instrument"}),
    ("case_items.lot_new", "GET"): ("LADDAA", {"case_id": "case"}),
    ("case_items.lot_new", "POST"): ("LADDAA", {"case_id": "case"}),
    ("case_items.lot_edit", "GET"): ("LADDAA", {"case_id": "case", "item_id": "lot"}),
    ("case_items.lot_edit", "POST"): ("LADDAA", {"case_id": "case", "item_id": "lot"}),
    ("case_items.lot_delete", "POST"): ("LADDAA", {"case_id": "case", "item_id": "lot"}),
    ("case_items.goods_new", "GET"): ("LADDAA", {"case_id": "case"}),
    ("case_items.goods_new", "POST"): ("LADDAA", {"case_id": "case"}),
    ("case_items.goods_edit", "GET"): ("LADDAA", {"case_id": "case", "item_id": "goods"}),
    ("case_items.goods_edit", "POST"): ("LADDAA", {"case_id": "case", "item_id": "goods"}),
    ("case_items.goods_delete", "POST"): ("LADDAA", {"case_id": "case", "item_id": "goods"}),
    ("case_items.sample_new", "GET"): ("LADDAA", {"case_id": "case"}),
    ("case_items.sample_new", "POST"): ("LADDAA", {"case_id": "case"}),
    ("case_items.sample_edit", "GET"): ("LADDAA", {"case_id": "case", "item_id": "sample"}),
    ("case_items.sample_edit", "POST"): ("LADDAA", {"case_id": "case", "item_id": "sample"}),
    ("case_items.sample_delete", "POST"): ("LADDAA", {"case_id": "case", "item_id": "sample"}),
    ("case_items.finding_new", "GET"): ("LADDAA", {"case_id": "case"}),
    ("case_items.finding_new", "POST"): ("LADDAA", {"case_id": "case"}),
    ("case_items.finding_edit", "GET"): ("LADDAA", {"case_id": "case", "item_id": "finding"}),
    ("case_items.finding_edit", "POST"): ("LADDAA", {"case_id": "case", "item_id": "finding"}),
    ("case_items.finding_delete", "POST"): ("LADDAA", {"case_id": "case", "item_id": "finding"}),
    # --- evidence: seen with the case, changed by those who may edit it ---
    ("evidence.download", "GET"): ("LAADAA", {"evidence_id": "evidence"}),
    ("evidence.thumbnail", "GET"): ("LAADAA", {"evidence_id": "evidence"}),
    ("evidence.upload", "POST"): ("LADDAA", {"case_id": "case"}),
    ("evidence.delete", "POST"): ("LADDAA", {"evidence_id": "evidence"}),
    # --- establishments: the register is shared; a liaison edits only those of their communes ---
    ("establishments.index", "GET"): ("LAAAAA", {}),
    ("establishments.show", "GET"): ("LAAAAA", {"establishment_id": "establishment"}),
    ("establishments.new", "GET"): ("LAAAAA", {}),
    ("establishments.new", "POST"): ("LAAAAA", {}),
    ("establishments.edit", "GET"): ("LAADAA", {"establishment_id": "establishment"}),
    ("establishments.edit", "POST"): ("LAADAA", {"establishment_id": "establishment"}),
    ("establishments.suggest", "GET"): ("LAAAAA", {}),
    # --- review: managers only, on a submitted case ---
    ("review.index", "GET"): ("LDDDAD", {}),
    ("review.overdue", "GET"): ("LDDDAD", {}),
    ("review.show", "GET"): ("LDDDAD", {"case_id": "submitted"}),
    ("review.decide", "POST"): ("LDDDAD", {"case_id": "submitted", "finding_id": "submitted_finding"}),
    ("review.payment", "POST"): ("LDDDAD", {"case_id": "submitted", "finding_id": "submitted_finding"}),
    # --- the annual report: managers and administrators read it, managers write it ---
    ("reports.annual_index", "GET"): ("LDDDAA", {}),
    ("reports.annual", "GET"): ("LDDDAA", {"year": 2026}),
    ("reports.pdf", "GET"): ("LDDDAA", {"year": 2026}),
    ("reports.xlsx", "GET"): ("LDDDAA", {"year": 2026}),
    ("reports.save_text", "POST"): ("LDDDAD", {"year": 2026}),
    ("reports.finalise", "POST"): ("LDDDAD", {"year": 2026}),
    ("reports.revise", "POST"): ("LDDDAD", {"year": 2026}),
    # --- activities (the owner's activity with a photo; liaisons do not see activities) ---
    ("activities.index", "GET"): ("LAADAA", {}),
    ("activities.new", "GET"): ("LAADAA", {}),
    ("activities.new", "POST"): ("LAADAA", {}),
    ("activities.show", "GET"): ("LAADAA", {"activity_id": "activity"}),
    ("activities.download", "GET"): ("LAADAA", {"file_id": "activity_file"}),
    ("activities.thumbnail", "GET"): ("LAADAA", {"file_id": "activity_file"}),
    ("activities.edit", "GET"): ("LADDAA", {"activity_id": "activity"}),
    ("activities.edit", "POST"): ("LADDAA", {"activity_id": "activity"}),
    ("activities.delete", "GET"): ("LADDAA", {"activity_id": "activity"}),
    ("activities.delete", "POST"): ("LADDAA", {"activity_id": "activity"}),
    ("activities.upload", "POST"): ("LADDAA", {"activity_id": "activity"}),
    ("activities.delete_file", "POST"): ("LADDAA", {"file_id": "activity_file"}),
    # --- the plan's targets: administrators ---
    ("targets.index", "GET"): ("LDDDDA", {}),
    ("targets.edit", "GET"): ("LDDDDA", {"code": "2.2"}),
    ("targets.edit", "POST"): ("LDDDDA", {"code": "2.2"}),
    # --- the agency and its signers: administrators ---
    ("agency.edit", "GET"): ("LDDDDA", {}),
    ("agency.edit", "POST"): ("LDDDDA", {}),
    ("agency.signer_new", "GET"): ("LDDDDA", {}),
    ("agency.signer_new", "POST"): ("LDDDDA", {}),
    ("agency.signer_edit", "GET"): ("LDDDDA", {"signer_id": "signer"}),
    ("agency.signer_edit", "POST"): ("LDDDDA", {"signer_id": "signer"}),
    ("agency.templates", "GET"): ("LDDDDA", {}),
    ("agency.template_new", "GET"): ("LDDDDA", {}),
    ("agency.template_new", "POST"): ("LDDDDA", {}),
    ("agency.template_edit", "GET"): ("LDDDDA", {"template_id": "template"}),
    ("agency.template_edit", "POST"): ("LDDDDA", {"template_id": "template"}),
    # --- the commune page: not for a liaison of another commune ---
    ("communes.show", "GET"): ("LAADAA", {"code": HERE}),
    # --- official documents: seen with their case; drafted by those who may draft on it; the records made
    # on site issued by the team too, decisions by managers; voided and corrected by managers ---
    ("documents.index", "GET"): ("LAAAAA", {}),
    ("documents.show", "GET"): ("LAADAA", {"doc_id": "document"}),
    ("documents.pdf", "GET"): ("LAADAA", {"doc_id": "document"}),
    ("documents.docx", "GET"): ("LAADAA", {"doc_id": "issued"}),
    ("documents.start", "POST"): ("LADDAA", {"case_id": "case"}),
    ("documents.save_texts", "POST"): ("LADDAA", {"doc_id": "document"}),
    ("documents.issue", "POST"): ("LADDAA", {"doc_id": "document"}),
    ("documents.void", "POST"): ("LDDDAA", {"doc_id": "issued"}),
    ("documents.transfer", "POST"): ("LDDDAA", {"doc_id": "sanction"}),
    ("documents.correct", "POST"): ("LDDDAA", {"doc_id": "issued"}),
    ("documents.upload_signed", "POST"): ("LADDAA", {"doc_id": "issued"}),
    ("documents.refusal", "POST"): ("LADDAA", {"doc_id": "issued"}),
    ("documents.signed_file", "GET"): ("LAADAA", {"file_id": "signed_copy"}),
    ("documents.signed_thumbnail", "GET"): ("LAADAA", {"file_id": "signed_copy"}),
    ("documents.delete_signed", "POST"): ("LADDAA", {"file_id": "signed_copy"}),
    # --- planning (issue 18): tips (a liaison: their communes), weights (administrators), overrides ---
    ("tips.index", "GET"): ("LAAAAA", {}),
    ("tips.new", "GET"): ("LAAAAD", {}),
    ("tips.new", "POST"): ("LAAAAD", {}),
    ("tips.show", "GET"): ("LAADAA", {"tip_id": "tip"}),
    ("tips.status", "POST"): ("LAADAD", {"tip_id": "tip"}),
    ("planning.risk_weights", "GET"): ("LDDDDA", {}),
    ("planning.risk_weights", "POST"): ("LDDDDA", {}),
    ("planning.second_inspections", "GET"): ("LDDDAD", {}),
    ("planning.risk_card", "GET"): ("LAAAAA", {"establishment_id": "establishment"}),
}

#: Query strings that make a GET show the world's objects (searches that would find the case).
QUERY: dict[str, dict[str, str]] = {
    "api.earlier_ecommerce_checks": {"seller": "Shop Bảo Mật"},
    "api.check_commune": {"code": HERE, "lat": "10.38", "lon": "105.43"},
    "api.suggest_commune": {"lat": "10.38", "lon": "105.43"},
    "establishments.suggest": {"q": "Cơ sở Bảo Mật"},
    "static": {},
}


# --- the world --------------------------------------------------------------------------------------------


@pytest.fixture
def world(app, make_user) -> dict[str, Any]:
    people = {
        "owner": make_user("chuhoso", "inspector"),
        "inspector": make_user("kiemtrakhac", "inspector"),
        "liaison": make_user("daumoi.kia", "liaison", communes=(ELSEWHERE,)),
        "manager": make_user("lanhdao", "manager"),
        "admin": make_user("quantri", "admin"),
    }
    with app.app_context():
        owner = db.session.get(User, people["owner"].id)
        est = Establishment(name="Cơ sở Bảo Mật", commune_code=HERE, address="12 Trần Hưng Đạo")
        db.session.add(est)
        db.session.flush()
        case = _case(owner, est, "draft", "KT-7731/2026")
        submitted = _case(owner, est, "submitted", "KT-7732/2026")
        ecommerce = Case(
            number="TMĐT-7733/2026",
            kind="ecommerce",
            status="submitted",  # past editing: its takedown outcome is recorded (cases.record_takedown)
            opened_on=dt.date(2026, 3, 10),
            commune_code=HERE,
            created_by_id=owner.id,
            platform="shopee",
            listing_url="https://shopee.vn/product/7733",
            seller_name="Shop Bảo Mật",
            seller_key="shopee:shop bao mat",
        )
        db.session.add(ecommerce)
        violation_id = violation(_first_violation_code()).id
        objects = {
            "instrument": InstrumentCheck(case_id=case.id, instrument_type="fuel_pump", result="pass"),
            "lot": PrepackagedLot(
                case_id=case.id,
                product="Gạo",
                nominal_quantity=5,
                unit="kg",
                sample_size=10,
                mean_measured=5,
                result="pass",
            ),
            "goods": GoodsItem(case_id=case.id, name="Nước mắm", result="pass"),
            "sample": Sample(case_id=case.id, name="Xăng RON 95", result="pass"),
            "finding": _finding(case, violation_id),
            "submitted_finding": _finding(submitted, violation_id),
            "signer": AgencySigner(full_name="Lê Văn Ký", title="GIÁM ĐỐC", active=True),
        }
        objects["tip"] = Tip(
            source="hotline",
            received_on=dt.date(2026, 3, 1),
            content="Phản ánh cân thiếu",
            establishment_id=est.id,
            commune_code=HERE,
            status="open",
            recorded_by_id=owner.id,
        )
        db.session.add_all(objects.values())
        db.session.flush()
        stored = evidence.store_many(
            case=case,
            actor=owner,
            files=[(SECRET_FILE, jpeg(size=(64, 48)))],
            upload_folder=app.config["UPLOAD_FOLDER"],
            max_bytes=app.config["EVIDENCE_MAX_BYTES"],
        )
        activity = activities.create_activity(
            actor=owner,
            data=activities.ActivityInput(
                task_code="1.1", activity_type="media", held_on=dt.date(2026, 3, 1), title="Phóng sự Bảo Mật"
            ),
            today=dt.date(2026, 11, 24),
        )
        activity_files = activities.store_files(
            activity=activity,
            actor=owner,
            files=[("hoat-dong.jpg", jpeg(size=(64, 48)))],
            upload_folder=app.config["UPLOAD_FOLDER"],
            max_bytes=app.config["EVIDENCE_MAX_BYTES"],
        )
        draft = register.start_draft(case, "inspection-record", owner)
        confirmed = _finding(submitted, violation_id)
        confirmed.status, confirmed.sanction_form, confirmed.decided_fine_vnd = "confirmed", "fine", 5_000_000
        db.session.add(confirmed)
        db.session.flush()
        sanction = register.start_draft(
            submitted, "sanction-decision", db.session.get(User, people["manager"].id), confirmed
        )
        issued = register.issue(
            register.start_draft(case, "violation-record", owner, objects["finding"]),
            owner,
            "Chủ Hồ Sơ",
            "Trưởng đoàn kiểm tra",
            on=dt.date(2026, 3, 12),
        )
        copies = signed.attach_signed_copy(
            issued,
            owner,
            [("ban-ky-7731.jpg", jpeg(size=(64, 48)))],
            upload_folder=app.config["UPLOAD_FOLDER"],
            max_bytes=app.config["EVIDENCE_MAX_BYTES"],
        )
        db.session.commit()
        ids = {name: obj.id for name, obj in objects.items()}
        ids.update(activity=activity.id, activity_file=activity_files[0].id)
        ids.update(document=draft.id, issued=issued.id, signed_copy=copies[0].id, sanction=sanction.id)
        ids["template"] = draft.template_id
        ids.update(
            owner=people["owner"].id,
            case=case.id,
            submitted=submitted.id,
            evidence=stored[0].id,
            establishment=est.id,
            ecommerce=ecommerce.id,
        )
        ids["numbers"] = [case.number, submitted.number, ecommerce.number]
    return {"people": people, "ids": ids}


def _case(owner: User, est: Establishment, status: str, number: str) -> Case:
    case = Case(
        number=number,
        kind="inspection",
        status=status,
        mode="planned",
        opened_on=dt.date(2026, 3, 10),
        commune_code=HERE,
        establishment_id=est.id,
        created_by_id=owner.id,
        submitted_at=dt.datetime(2026, 3, 12, tzinfo=dt.UTC) if status == "submitted" else None,
    )
    db.session.add(case)
    db.session.flush()
    return case


def _finding(case: Case, violation_id: int) -> Finding:
    return Finding(
        case_id=case.id,
        violation_id=violation_id,
        offender_type="organisation",
        notes=SECRET_NOTE,
        status="proposed",
    )


def _first_violation_code() -> str:
    from cases.models import Violation

    code = db.session.scalar(select(Violation.code).order_by(Violation.code).limit(1))
    assert code is not None
    return code


#: Written by every sign-in and sign-out the walk does (sessions, the security log), not by the requests it
#: checks; ``tests/web/test_sessions.py`` and ``test_admin_audit.py`` check them.
SIGN_IN_BOOKKEEPING = {"user_session", "security_event"}


def _fingerprint(app) -> str:
    """Every row of every table that is not reference data, and the files in the evidence folder."""
    digest = hashlib.sha256()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name in REFERENCE_TABLES | SIGN_IN_BOOKKEEPING or table.name == "user_account":
                continue
            rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest.update(f"{table.name}:{rows!r}".encode())
        users = db.session.execute(select(User.id, User.role, User.active, User.password_hash)).all()
        digest.update(repr(sorted(users)).encode())
        db.session.remove()
    folder = Path(app.config["UPLOAD_FOLDER"])
    digest.update(repr(sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))).encode())
    return digest.hexdigest()


# --- the walk ----------------------------------------------------------------------------------------------


def _url(app, endpoint: str, args: dict[str, Any], ids: dict[str, Any]) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {name: ids.get(obj, obj) for name, obj in args.items()}
    values.update(QUERY.get(endpoint, {}))
    return sample_url(app, rule, **values)


def _check(resp, outcome: str, where: str) -> None:
    code, location = resp.status_code, resp.headers.get("Location", "")
    assert code != 500, where
    if outcome == "A":
        assert code in {200, 400} or (code == 302 and "/login" not in location), (where, code, location)
    elif outcome == "S":
        assert code == 302 and location.startswith("/login"), (where, code, location)
    elif outcome == "L":
        assert code == 401 or (code == 302 and location.startswith("/login")), (where, code, location)
    else:
        assert code in {403, 404}, (where, code, location)


def _no_secrets(resp, numbers: list[str], where: str) -> None:
    if resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
        body = _workbook_text(resp.get_data())  # a download: what its cells say
    else:
        body = resp.get_data(as_text=True) if resp.mimetype != "application/octet-stream" else ""
    resp.close()
    for secret in (*numbers, SECRET_NOTE, SECRET_FILE):
        assert secret not in body, (where, secret)


def _workbook_text(data: bytes) -> str:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v
    )


def _client_as(app, world, role: str):
    client = app.test_client()
    if role != "anonymous":
        from tests.conftest import TEST_PASSWORD

        resp = client.post(
            "/login", data={"username": world["people"][role].username, "password": TEST_PASSWORD}
        )
        assert resp.status_code == 302
    return client


GETS = sorted(key for key in EXPECTED if key[1] == "GET")
POSTS = sorted(key for key in EXPECTED if key[1] == "POST")


@pytest.mark.parametrize("key", GETS, ids=[k[0] for k in GETS])
def test_get_routes(app, world, key):
    endpoint, _method = key
    outcomes, args = EXPECTED[key]
    url = _url(app, endpoint, args, world["ids"])
    before = _fingerprint(app)
    for role, outcome in zip(ROLES, outcomes, strict=True):
        resp = _client_as(app, world, role).get(url)
        where = f"{role} GET {url}"
        _check(resp, outcome, where)
        if role in {"anonymous", "liaison"}:
            _no_secrets(resp, world["ids"]["numbers"], where)
        resp.close()
    assert _fingerprint(app) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", POSTS, ids=[k[0] for k in POSTS])
def test_post_routes(app, world, key, role):
    endpoint, _method = key
    outcomes, args = EXPECTED[key]
    outcome = outcomes[ROLES.index(role)]
    url = _url(app, endpoint, args, world["ids"])
    client = _client_as(app, world, role)
    before = _fingerprint(app)
    resp = client.post(url, data={})
    where = f"{role} POST {url}"
    _check(resp, outcome, where)
    if role in {"anonymous", "liaison"}:
        _no_secrets(resp, world["ids"]["numbers"], where)
    if outcome != "A":
        assert _fingerprint(app) == before, f"{where} was refused but changed data"


def test_every_route_is_in_the_table(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    missing = sorted(routes - set(EXPECTED))
    assert not missing, f"add these routes to EXPECTED in {__file__}: {missing}"
    stale = sorted(set(EXPECTED) - routes)
    assert not stale, f"these routes no longer exist, remove them from EXPECTED: {stale}"


#: An object reached through another object's URL: (endpoint, method, URL arguments, form data).
MISMATCHED = [
    ("case_items.finding_edit", "GET", {"case_id": "case", "item_id": "submitted_finding"}, {}),
    ("case_items.finding_delete", "POST", {"case_id": "case", "item_id": "submitted_finding"}, {}),
    ("review.decide", "POST", {"case_id": "submitted", "finding_id": "finding"}, {"decision": "dismiss"}),
    ("review.payment", "POST", {"case_id": "submitted", "finding_id": "finding"}, {}),
    ("evidence.upload", "POST", {"case_id": "case"}, {"finding_id": "submitted_finding"}),
]


@pytest.mark.parametrize("endpoint, method, args, data", MISMATCHED, ids=[m[0] for m in MISMATCHED])
def test_an_object_of_another_case_is_not_found(app, world, endpoint, method, args, data):
    """The manager may do everything here, but not on a finding or item through another case's URL (or a
    form's field)."""
    ids = world["ids"]
    url = _url(app, endpoint, args, ids)
    data = {k: str(ids.get(v, v)) for k, v in data.items()}
    client = _client_as(app, world, "manager")
    before = _fingerprint(app)
    if endpoint == "evidence.upload":
        data["files"] = (io.BytesIO(jpeg(size=(32, 24))), "anh.jpg")
    resp = client.open(url, method=method, data=data)
    if endpoint == "evidence.upload":  # a form's field names it: refused with the reason (issue 15)
        assert resp.status_code == 302, (method, url, resp.status_code)
        assert "Vi phạm này không thuộc hồ sơ." in client.get("/").get_data(as_text=True)
    else:
        assert resp.status_code == 404, (method, url, resp.status_code)
    assert _fingerprint(app) == before
