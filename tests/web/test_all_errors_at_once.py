"""Every form shows all its errors in one answer (issue 14, item 9).

Each test submits input that is wrong in several ways at once, some that the form itself catches (a value
that cannot be read, a required choice left empty) and some that only the domain's rules catch (a count
above the sample size, a test date before the sample was sent), and asserts that every message is on the
one page that comes back, beside its field, with everything typed still there.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from cases.db import db
from cases.models import Finding, GoodsItem, InstrumentCheck, PrepackagedLot, Sample, User
from cases.review import decisions as review
from cases.review import findings, workflow
from cases.review.findings import FindingInput
from tests import factories
from tests.case_items_support import make_case, violation
from tests.conftest import TEST_PASSWORD

YESTERDAY = dt.date.today() - dt.timedelta(days=1)


@pytest.fixture
def author(make_user, login):
    user = make_user("thanhtra_loi", full_name="Lê Thanh Tra")
    login(user)
    return user


def _case(app, author_id: int, kind: str = "inspection", **kwargs) -> int:
    with app.app_context():
        case = make_case(author_id, kind, **kwargs)
        db.session.commit()
        return case.id


def _errors(page: str) -> dict[str, str]:
    """The message beside each field (``<id>-error``), unescaped."""
    found: dict[str, str] = {}
    for field, text in re.findall(r'id="([\w-]+)-error">(.*?)</(?:div|p)>', page, re.S):
        found[field] = (found.get(field, "") + " " + html_lib.unescape(text)).strip()
    return found


def _none_saved(app, model, case_id: int) -> bool:
    with app.app_context():
        return not db.session.scalars(select(model).where(model.case_id == case_id)).first()


def test_the_instrument_form(app, client, author):
    case_id = _case(app, author.id, fields=("fuel",))
    data = {
        "instrument_type": "",  # the form: required
        "serial_number": "TS-77",
        "certificate_expiry": "31/02/2026",  # the form: no such date
        "measured_error": "0,9",  # the rules: without the permissible error
        "error_unit": "%",
        "other_nonconformity": "y",  # the rules: without saying why in the notes
    }
    resp = client.post(f"/cases/{case_id}/instruments/new", data=data)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    errors = _errors(page)
    assert "Trường này là bắt buộc." in errors["instrument_type"]
    assert "NN/TT/NNNN" in errors["certificate_expiry"]
    assert "sai số lớn nhất cho phép" in errors["error_limit"]
    assert "Ghi rõ điểm không phù hợp khác" in errors["notes"]
    assert 'value="TS-77"' in page and 'value="31/02/2026"' in page and 'value="0,9"' in page
    assert _none_saved(app, InstrumentCheck, case_id)


def test_the_prepackaged_lot_form(app, client, author):
    case_id = _case(app, author.id, fields=("prepackaged",))
    data = {
        "product": "Bột giặt",
        "nominal_quantity": "1.25",  # the form: not how Vietnamese writes a number
        "unit": "g",
        "sample_size": "10",
        "mean_measured": "abc",  # the form: not a number
        "count_short_over_t": "12",  # the rules: above the sample size
        "count_short_over_2t": "13",  # the rules: above the count short by T
    }
    resp = client.post(f"/cases/{case_id}/lots/new", data=data)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    errors = _errors(page)
    assert "“1,25”" in errors["nominal_quantity"]
    assert "không phải là một số" in errors["mean_measured"]
    assert "không được lớn hơn cỡ mẫu (10)" in errors["count_short_over_t"]
    assert "cũng là đơn vị thiếu quá T" in errors["count_short_over_2t"]
    for typed in ("Bột giặt", "1.25", "abc", "12", "13"):
        assert f'value="{typed}"' in page
    assert _none_saved(app, PrepackagedLot, case_id)


def test_the_goods_form(app, client, author):
    case_id = _case(app, author.id, fields=("barcode",))
    data = {
        "name": "",  # the form: required
        "origin": "Trung Quốc",
        "quantity": "-5",  # the form: negative
        "value_vnd": "1,5",  # the form: đồng have no decimals
        "barcode": "8931234567890",  # the rules: wrong check digit
        "result": "fail",
    }
    resp = client.post(f"/cases/{case_id}/goods/new", data=data)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    errors = _errors(page)
    assert "Trường này là bắt buộc." in errors["name"]
    assert "Không được là số âm." in errors["quantity"]
    assert "Nhập số tiền bằng đồng" in errors["value_vnd"]
    assert "Số kiểm tra sai (đúng ra là 7)" in errors["barcode"]
    for typed in ("Trung Quốc", "-5", "1,5", "8931234567890"):
        assert f'value="{typed}"' in page
    assert _none_saved(app, GoodsItem, case_id)


def test_the_sample_form(app, client, author):
    """The report: the sample form showed its errors in two rounds."""
    case_id = _case(app, author.id, "survey")
    data = {
        "name": "",  # the form: required
        "code": "KS-01",
        "sent_on": "10/03/2026",
        "tested_on": "01/03/2026",  # the rules: before the sample was sent
        "nominal_value": "95",
        "measured_value": "1.2.3",  # the form: not a number
        "result": "",  # the form: required
    }
    resp = client.post(f"/cases/{case_id}/samples/new", data=data)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    errors = _errors(page)
    assert "Trường này là bắt buộc." in errors["name"]
    assert "Ngày thử nghiệm không được trước ngày gửi mẫu." in errors["tested_on"]
    assert "Hãy viết số như 1.250 hoặc 12,5" in errors["measured_value"]
    assert "result" in errors
    for typed in ("KS-01", "10/03/2026", "01/03/2026", "95", "1.2.3"):
        assert f'value="{typed}"' in page
    assert _none_saved(app, Sample, case_id)


def test_the_sample_form_rules_alone_are_all_shown(app, client, author):
    case_id = _case(app, author.id, "survey")
    future = (dt.date.today() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    data = {
        "name": "Xăng RON 95",
        "sent_on": future,
        "tested_on": future,
        "result": "pending",
    }
    resp = client.post(f"/cases/{case_id}/samples/new", data=data)
    assert resp.status_code == 400
    errors = _errors(resp.get_data(as_text=True))
    assert "Ngày không được ở tương lai." in errors["sent_on"]
    assert "Ngày không được ở tương lai." in errors["tested_on"]


def test_the_finding_form(app, client, author):
    case_id = _case(app, author.id, fields=("label",))
    data = {
        "violation_id": "",  # the form: required
        "offender_type": "individual",
        "goods_description": "Nước mắm không nhãn",
        "goods_quantity": "1.2.3",  # the form: not a number
        "goods_value_vnd": "abc",  # the form: not an amount
        "proposed_fine_vnd": "-5",  # the form: negative
    }
    resp = client.post(f"/cases/{case_id}/findings/new", data=data)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    errors = _errors(page)
    assert "Trường này là bắt buộc." in errors["violation_id"]
    assert "“1.2.3”" in errors["goods_quantity"]
    assert "Nhập số tiền bằng đồng" in errors["goods_value_vnd"]
    assert "Số tiền không được âm." in errors["proposed_fine_vnd"]
    assert "Nước mắm không nhãn" in page and 'value="1.2.3"' in page and 'value="abc"' in page
    assert _none_saved(app, Finding, case_id)


# --- the review forms ---------------------------------------------------------------------------------


def _client(app, user: User) -> FlaskClient:
    client = app.test_client()
    assert (
        client.post("/login", data={"username": user.username, "password": TEST_PASSWORD}).status_code == 302
    )
    return client


@pytest.fixture
def submitted(app, make_user):
    inspector = make_user("kt-loi", "inspector")
    manager = make_user("ld-loi", "manager")
    with app.app_context():
        case = factories.case(
            db.session.get(User, inspector.id),
            "inspection",
            decision_number="15/QĐ-SKHCN",
            decision_date=dt.date(2026, 3, 1),
            start_date=dt.date(2026, 3, 10),
            end_date=dt.date(2026, 3, 12),
            conclusion="Vi phạm.",
        )
        f = findings.add_finding(
            case=case,
            actor=db.session.get(User, inspector.id),
            data=FindingInput(violation_id=violation("MV-02").id, offender_type="individual"),
        )
        workflow.submit(case, db.session.get(User, inspector.id))
        db.session.commit()
        return {"case_id": case.id, "fid": f.id, "client": _client(app, manager), "manager_id": manager.id}


def _decision(fid: int, **values: str) -> dict[str, str]:
    return {(k if k == "decision" else f"d{fid}-{k}"): v for k, v in {"version": "1", **values}.items()}


def test_the_decision_form_with_unreadable_values_and_missing_ones(app, submitted):
    fid = submitted["fid"]
    data = _decision(
        fid,
        decision="confirm",
        offender_type="individual",
        sanction_form="",  # the rules: required
        decision_number="",  # the rules: required
        decision_date="32/13/2026",  # the form: no such date
        fine_vnd="tám triệu",  # the form: not an amount
        additional_penalties="Tịch thu tang vật.",
    )
    resp = submitted["client"].post(f"/review/{submitted['case_id']}/findings/{fid}", data=data)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    errors = _errors(page)
    assert "NN/TT/NNNN" in errors[f"d{fid}-decision_date"]
    assert "Nhập số tiền bằng đồng" in errors[f"d{fid}-fine_vnd"]
    assert "Trường này là bắt buộc." in errors[f"d{fid}-sanction_form"]
    assert "Trường này là bắt buộc." in errors[f"d{fid}-decision_number"]
    assert 'value="32/13/2026"' in page and 'value="tám triệu"' in page and "Tịch thu tang vật." in page


def test_the_decision_form_rules_are_all_shown_at_once(app, submitted):
    fid = submitted["fid"]
    future = (dt.date.today() + dt.timedelta(days=5)).strftime("%d/%m/%Y")
    data = _decision(
        fid,
        decision="confirm",
        offender_type="individual",
        sanction_form="",
        decision_number="",
        decision_date=future,
        fine_vnd="8.000.000",
    )
    resp = submitted["client"].post(f"/review/{submitted['case_id']}/findings/{fid}", data=data)
    assert resp.status_code == 400
    errors = _errors(resp.get_data(as_text=True))
    assert set(errors) >= {f"d{fid}-sanction_form", f"d{fid}-decision_number", f"d{fid}-decision_date"}
    assert "Ngày không được ở tương lai." in errors[f"d{fid}-decision_date"]


def test_the_payment_form(app, submitted):
    fid, case_id = submitted["fid"], submitted["case_id"]
    with app.app_context():
        f = db.session.get(Finding, fid)
        manager = db.session.get(User, submitted["manager_id"])
        review.confirm_finding(
            f,
            manager,
            reason=None,
            offender_type="individual",
            sanction_form="fine",
            decision_number="12/QĐ-XPHC",
            decision_date=YESTERDAY,
            fine_vnd=8_000_000,
        )
        db.session.commit()
        version = f.version
    future = (dt.date.today() + dt.timedelta(days=5)).strftime("%d/%m/%Y")
    data = {
        f"p{fid}-fine_paid_on": future,
        f"p{fid}-remedy_done_on": "hôm qua",
        f"p{fid}-version": str(version),
    }
    resp = submitted["client"].post(f"/review/{case_id}/findings/{fid}/payment", data=data)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    errors = _errors(page)
    assert "Ngày không được ở tương lai." in errors[f"p{fid}-fine_paid_on"]
    assert "NN/TT/NNNN" in errors[f"p{fid}-remedy_done_on"]
    assert f'value="{future}"' in page and 'value="hôm qua"' in page
