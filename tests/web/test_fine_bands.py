"""A fine outside a band verified from the legal text is refused outright; only where the catalog's band is
not verified may a manager go outside it, with a reason (issue 14, item 17)."""

from __future__ import annotations

import datetime as dt
import html as html_lib

import pytest
from flask.testing import FlaskClient

from cases.db import db
from cases.errors import ValidationFailed
from cases.geography import reference
from cases.models import Finding, User
from cases.review import decisions as review
from cases.review import findings, workflow
from cases.review.findings import FindingInput
from tests import factories
from tests.case_items_support import violation
from tests.conftest import TEST_PASSWORD

YESTERDAY = dt.date.today() - dt.timedelta(days=1)


# --- the catalog knows which bands are verified -------------------------------------------------------


def test_the_catalog_says_which_bands_come_from_the_legal_text(app_ctx):
    assert violation("MV-01").fine_verified  # legal-text, 2–5 M
    assert violation("DL-SD-01").fine_verified  # legal-text, the first tier's minimum only
    assert not violation("MV-02").fine_verified  # secondary sources
    assert not violation("DL-XD-03").fine_verified  # secondary sources
    assert not violation("CL-LT-01").fine_verified  # no amount at all


def test_the_catalog_holds_the_bands_the_reference_gives(app_ctx):
    """The catalog file follows the reference research, which found bands for five entries since."""
    fuel = violation("DL-XD-03")
    assert (fuel.fine_individual_min, fuel.fine_individual_max) == (5_000_000, 60_000_000)
    assert fuel.confidence == "secondary"
    counterfeit = violation("TMDT-01")
    assert (counterfeit.fine_individual_min, counterfeit.fine_individual_max) == (1_000_000, 70_000_000)


def test_an_administrator_corrects_the_verification_through_the_catalog_data(app_ctx):
    rows = {r["code"]: r for r in reference.violation_rows()}
    assert rows["MV-02"]["confidence"] == "secondary"
    entry = violation("MV-02")
    entry.confidence = "legal-text"  # what `seed-reference --update` writes from a corrected file
    db.session.flush()
    assert entry.fine_verified


# --- the review ---------------------------------------------------------------------------------------


def _client(app, user: User) -> FlaskClient:
    client = app.test_client()
    assert (
        client.post("/login", data={"username": user.username, "password": TEST_PASSWORD}).status_code == 302
    )
    return client


@pytest.fixture
def people(make_user):
    return {"inspector": make_user("kt-band", "inspector"), "manager": make_user("ld-band", "manager")}


def _submitted(app, people, code: str) -> tuple[int, int]:
    with app.app_context():
        inspector = db.session.get(User, people["inspector"].id)
        case = factories.case(
            inspector,
            "inspection",
            decision_number="15/QĐ-SKHCN",
            decision_date=dt.date(2026, 3, 1),
            start_date=dt.date(2026, 3, 10),
            end_date=dt.date(2026, 3, 12),
            conclusion="Vi phạm.",
        )
        f = findings.add_finding(
            case=case,
            actor=inspector,
            data=FindingInput(violation_id=violation(code).id, offender_type="individual"),
        )
        workflow.submit(case, inspector)
        db.session.commit()
        return case.id, f.id


def _confirm(fid: int, **changes: str) -> dict[str, str]:
    values = {
        "decision": "confirm",
        "version": "1",
        "offender_type": "individual",
        "sanction_form": "fine",
        "decision_number": "12/QĐ-XPHC",
        "decision_date": YESTERDAY.strftime("%d/%m/%Y"),
        **changes,
    }
    return {(k if k == "decision" else f"d{fid}-{k}"): v for k, v in values.items()}


def _status(app, fid: int) -> str:
    with app.app_context():
        return db.session.get(Finding, fid).status


def test_a_verified_band_is_shown_as_such_and_offers_no_override(app, people):
    case_id, fid = _submitted(app, people, "MV-01")
    client = _client(app, people["manager"])
    page = html_lib.unescape(client.get(f"/review/{case_id}").get_data(as_text=True))
    assert "2.000.000\u00a0₫ – 5.000.000\u00a0₫" in page
    assert "Đã đối chiếu với văn bản pháp luật" in page
    resp = client.post(f"/review/{case_id}/findings/{fid}", data=_confirm(fid, fine_vnd="6.000.000"))
    assert resp.status_code == 400
    page = html_lib.unescape(resp.get_data(as_text=True))
    assert "mà văn bản pháp luật quy định" in page and "không thể quyết định mức phạt ngoài khung" in page
    assert f'name="d{fid}-override_reason"' not in page  # no reason box suggesting it may pass
    assert 'value="6.000.000"' in page
    assert _status(app, fid) == "proposed"


def test_a_reason_does_not_open_a_verified_band(app, people):
    case_id, fid = _submitted(app, people, "MV-01")
    client = _client(app, people["manager"])
    data = _confirm(fid, fine_vnd="1.000.000", override_reason="Hoàn cảnh khó khăn.")
    assert client.post(f"/review/{case_id}/findings/{fid}", data=data).status_code == 400
    assert _status(app, fid) == "proposed"
    assert (
        client.post(f"/review/{case_id}/findings/{fid}", data=_confirm(fid, fine_vnd="5.000.000")).status_code
        == 302
    )
    assert _status(app, fid) == "confirmed"


def test_an_unverified_band_may_be_left_with_a_reason(app, people):
    case_id, fid = _submitted(app, people, "MV-02")  # 6–10 M, from secondary sources
    client = _client(app, people["manager"])
    page = html_lib.unescape(client.get(f"/review/{case_id}").get_data(as_text=True))
    assert "Chưa được đối chiếu với văn bản pháp luật" in page
    resp = client.post(f"/review/{case_id}/findings/{fid}", data=_confirm(fid, fine_vnd="12.000.000"))
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert f'name="d{fid}-override_reason"' in page
    data = _confirm(fid, fine_vnd="12.000.000", override_reason="Tái phạm nhiều lần.")
    assert client.post(f"/review/{case_id}/findings/{fid}", data=data).status_code == 302
    assert _status(app, fid) == "confirmed"


def test_the_domain_refuses_a_fine_outside_a_verified_band(app, people):
    _case_id, fid = _submitted(app, people, "DL-SD-01")  # legal text: at least 500.000 đ
    with app.app_context():
        f = db.session.get(Finding, fid)
        manager = db.session.get(User, people["manager"].id)
        with pytest.raises(ValidationFailed) as exc:
            review.confirm_finding(
                f,
                manager,
                reason=None,
                offender_type="individual",
                sanction_form="fine",
                decision_number="1/QĐ-XPHC",
                decision_date=YESTERDAY,
                fine_vnd=300_000,
                override_reason="Lần đầu vi phạm.",
            )
        assert (exc.value.code, exc.value.field) == ("fine_outside_verified_range", "fine_vnd")


def test_the_finding_form_warns_that_a_verified_band_will_not_be_overridden(app, people):
    client = _client(app, people["inspector"])
    with app.app_context():
        inspector = db.session.get(User, people["inspector"].id)
        case = factories.case(inspector, "inspection")
        db.session.commit()
        case_id = case.id
    data = {
        "violation_id": str(violation_id(app, "MV-01")),
        "offender_type": "individual",
        "proposed_fine_vnd": "9.000.000",
    }
    resp = client.post(f"/cases/{case_id}/findings/new", data=data, follow_redirects=True)
    assert "cao hơn khung phạt theo văn bản pháp luật" in resp.get_data(as_text=True)


def violation_id(app, code: str) -> int:
    with app.app_context():
        return violation(code).id
