"""Reviewing findings on the web: confirm with the sanction, the override reason, dismiss, refer, payment
dates after approval, totals on the case page, approval refused while undecided, stale saves refused."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient

from cases.db import db
from cases.models import Finding, User
from cases.review import findings, workflow
from cases.review.findings import FindingInput
from tests import factories
from tests.case_items_support import violation
from tests.conftest import TEST_PASSWORD

YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).strftime("%d/%m/%Y")


def _client(app, user: User) -> FlaskClient:
    client = app.test_client()
    resp = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert resp.status_code == 302
    return client


@pytest.fixture
def people(make_user):
    return {
        "inspector": make_user("kt-rvf", "inspector"),
        "manager": make_user("ld-rvf", "manager"),
    }


def _make(app, people, kind: str = "inspection", code: str = "MV-02") -> tuple[int, int]:
    with app.app_context():
        inspector = db.session.get(User, people["inspector"].id)
        if kind == "inspection":
            case = factories.case(
                inspector,
                "inspection",
                decision_number="15/QĐ-SKHCN",
                decision_date=dt.date(2026, 3, 1),
                start_date=dt.date(2026, 3, 10),
                end_date=dt.date(2026, 3, 12),
                conclusion="Vi phạm.",
            )
        else:
            case = factories.case(inspector, "ecommerce", action="warning")
        f = findings.add_finding(
            case=case,
            actor=inspector,
            data=FindingInput(
                violation_id=violation(code).id, offender_type="individual", proposed_fine_vnd=7_000_000
            ),
        )
        workflow.submit(case, inspector)
        db.session.commit()
        return case.id, f.id


def _confirm_data(fid: int, version: int = 1, **changes) -> dict[str, str]:
    values = {
        "decision": "confirm",
        "offender_type": "individual",
        "sanction_form": "fine",
        "decision_number": "12/QĐ-XPHC",
        "decision_date": YESTERDAY,
        "fine_vnd": "8.000.000",
        "remedies": "Buộc kiểm định lại.",
        "version": str(version),
    }
    values.update(changes)
    return {(k if k == "decision" else f"d{fid}-{k}"): v for k, v in values.items()}


def _finding(app, fid: int) -> Finding:
    with app.app_context():
        f = db.session.get(Finding, fid)
        db.session.expunge(f)
        return f


def test_the_review_page_shows_the_decision_form_with_the_range(app, people):
    case_id, fid = _make(app, people)
    page = _client(app, people["manager"]).get(f"/review/{case_id}").get_data(as_text=True)
    assert 'data-testid="decision-form"' in page and f'name="d{fid}-fine_vnd"' in page
    assert "6.000.000" in page and "10.000.000" in page
    assert f'name="d{fid}-override_reason"' not in page  # appears only when needed


def test_confirm_within_the_range_then_totals_on_the_case_page(app, people):
    case_id, fid = _make(app, people)
    client = _client(app, people["manager"])
    resp = client.post(f"/review/{case_id}/findings/{fid}", data=_confirm_data(fid))
    assert resp.status_code == 302
    f = _finding(app, fid)
    assert f.status == "confirmed" and f.decided_fine_vnd == 8_000_000
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'data-testid="finding-decision"' in page and "12/QĐ-XPHC" in page
    assert 'data-testid="case-totals"' in page and "8.000.000" in page


def test_a_fine_outside_the_range_asks_for_the_override_reason_input_kept(app, people):
    case_id, fid = _make(app, people)
    client = _client(app, people["manager"])
    resp = client.post(f"/review/{case_id}/findings/{fid}", data=_confirm_data(fid, fine_vnd="15.000.000"))
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert f'name="d{fid}-override_reason"' in page and "ngoài khung" in page
    assert 'value="15.000.000"' in page and 'value="12/QĐ-XPHC"' in page
    assert _finding(app, fid).status == "proposed"
    resp = client.post(
        f"/review/{case_id}/findings/{fid}",
        data=_confirm_data(fid, fine_vnd="15.000.000", override_reason="Tái phạm."),
    )
    assert resp.status_code == 302
    assert _finding(app, fid).fine_override_reason == "Tái phạm."


def test_dismiss_needs_a_reason(app, people):
    case_id, fid = _make(app, people)
    client = _client(app, people["manager"])
    resp = client.post(
        f"/review/{case_id}/findings/{fid}", data={"decision": "dismiss", f"d{fid}-version": "1"}
    )
    assert resp.status_code == 400 and _finding(app, fid).status == "proposed"
    resp = client.post(
        f"/review/{case_id}/findings/{fid}",
        data={"decision": "dismiss", f"d{fid}-version": "1", f"d{fid}-reason": "Không đủ chứng cứ."},
    )
    assert resp.status_code == 302 and _finding(app, fid).status == "dismissed"


def test_an_ecommerce_finding_is_referred(app, people):
    case_id, fid = _make(app, people, kind="ecommerce", code="TMDT-01")
    client = _client(app, people["manager"])
    page = client.get(f"/review/{case_id}").get_data(as_text=True)
    assert 'value="refer"' in page
    resp = client.post(
        f"/review/{case_id}/findings/{fid}",
        data={
            "decision": "refer",
            f"d{fid}-version": "1",
            f"d{fid}-referral_agency": "Chi cục QLTT",
            f"d{fid}-referral_on": YESTERDAY,
            f"d{fid}-referral_reference": "45/CV",
        },
    )
    assert resp.status_code == 302
    assert _finding(app, fid).referral_agency == "Chi cục QLTT"


def test_a_stale_save_is_refused_with_the_input_kept(app, people):
    case_id, fid = _make(app, people)
    client = _client(app, people["manager"])
    assert client.post(f"/review/{case_id}/findings/{fid}", data=_confirm_data(fid)).status_code == 302
    resp = client.post(
        f"/review/{case_id}/findings/{fid}", data=_confirm_data(fid, version=1, decision_number="99/QĐ")
    )
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert "Người khác đã lưu vi phạm này" in page and 'value="99/QĐ"' in page
    assert _finding(app, fid).decision_number == "12/QĐ-XPHC"


def test_approval_refused_while_undecided_then_payment_after_approval(app, people):
    case_id, fid = _make(app, people)
    client = _client(app, people["manager"])
    resp = client.post(f"/cases/{case_id}/approve")
    assert resp.status_code in (302, 400)
    with app.app_context():
        assert db.session.get(Finding, fid).case.status == "submitted"
    client.post(f"/review/{case_id}/findings/{fid}", data=_confirm_data(fid))
    assert client.post(f"/cases/{case_id}/approve").status_code == 302
    page = client.get(f"/review/{case_id}").get_data(as_text=True)
    assert 'data-testid="payment-form"' in page and 'data-testid="decision-form"' not in page
    resp = client.post(
        f"/review/{case_id}/findings/{fid}/payment",
        data={f"p{fid}-fine_paid_on": "01/01/2020", f"p{fid}-version": "2"},
    )
    assert resp.status_code == 400 and "trước ngày quyết định" in resp.get_data(as_text=True)
    resp = client.post(
        f"/review/{case_id}/findings/{fid}/payment",
        data={f"p{fid}-fine_paid_on": YESTERDAY, f"p{fid}-version": "2"},
    )
    assert resp.status_code == 302
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Tiền phạt đã thu: 8.000.000" in page
    assert 'data-testid="review-findings-link"' in page and "Ghi ngày nộp phạt và khắc phục" in page


def test_only_managers_decide(app, people):
    case_id, fid = _make(app, people)
    client = _client(app, people["inspector"])
    assert client.post(f"/review/{case_id}/findings/{fid}", data=_confirm_data(fid)).status_code == 403
    assert _finding(app, fid).status == "proposed"


def test_the_timeline_and_the_approval_message(app, people):
    case_id, fid = _make(app, people)
    client = _client(app, people["manager"])
    resp = client.post(f"/cases/{case_id}/approve")
    text = (
        resp.get_data(as_text=True)
        if resp.status_code == 400
        else client.get(f"/cases/{case_id}").get_data(as_text=True)
    )
    assert "còn chưa quyết định: MV-02" in text
    client.post(f"/review/{case_id}/findings/{fid}", data=_confirm_data(fid))
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Đã xác nhận vi phạm" in page  # the timeline entry
    assert "Hình thức xử phạt" in page and "Phạt tiền" in page
    assert "Số tiền phạt quyết định (đồng)" in page and "Đề xuất → Đã xác nhận" in page


def test_a_concurrent_write_caught_by_the_orm_is_shown_as_stale(app, people, monkeypatch):
    from sqlalchemy.orm.exc import StaleDataError

    from cases.review import decisions as review

    def collide(*args, **kwargs):
        raise StaleDataError(
            "UPDATE statement on table 'finding' expected to update 1 row(s); 0 were matched."
        )

    monkeypatch.setattr(review, "confirm_finding", collide)
    case_id, fid = _make(app, people)
    resp = _client(app, people["manager"]).post(
        f"/review/{case_id}/findings/{fid}", data=_confirm_data(fid, decision_number="77/QĐ")
    )
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert "Người khác đã lưu vi phạm này" in page and 'value="77/QĐ"' in page
