"""The pages that record what was checked on a case and its proposed findings, and the catalog's JSON."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import render_template
from sqlalchemy import select

from cases.db import db
from cases.models import Case, Finding, GoodsItem, InstrumentCheck, PrepackagedLot, Sample
from cases.review import decisions
from tests.case_items_support import make_case, violation


@pytest.fixture
def author(make_user, login):
    user = make_user("thanhtra_tg")
    login(user)
    return user


def _case(app, author_id: int, kind: str = "inspection", **kwargs) -> int:
    with app.app_context():
        case = make_case(author_id, kind, **kwargs)
        db.session.commit()
        return case.id


def _back_url(app, case_id: int, anchor: str) -> str:
    if "cases.show" in app.view_functions:
        return f"/cases/{case_id}#{anchor}"
    return "/"


def _items(app, model, case_id: int) -> list:
    with app.app_context():
        rows = list(db.session.scalars(select(model).where(model.case_id == case_id)))
        for row in rows:
            db.session.expunge(row)
        return rows


INSTRUMENT = {
    "instrument_type": "fuel_pump",
    "description": "Cột bơm số 1",
    "serial_number": "TS-77",
    "certificate_number": "KĐ-123",
    "certificate_expiry": "2026-03-01",
    "seal_condition": "intact",
    "measured_error": "0,3",
    "error_limit": "0,5",
    "error_unit": "%",
}


# --- pages and saving --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("inspection", "instruments/new"),
        ("inspection", "lots/new"),
        ("inspection", "goods/new"),
        ("inspection", "samples/new"),
        ("inspection", "findings/new"),
        ("survey", "samples/new"),
        ("ecommerce", "goods/new"),
        ("ecommerce", "findings/new"),
    ],
)
def test_add_forms_open(app, client, author, kind, url):
    case_id = _case(app, author.id, kind)
    resp = client.get(f"/cases/{case_id}/{url}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'name="viewport"' in html
    assert "<script>" not in html  # no inline script


def test_instrument_with_an_expired_certificate_is_saved_as_failed(app, client, author):
    case_id = _case(app, author.id, start_date=dt.date(2026, 3, 12), fields=("fuel",))
    resp = client.post(f"/cases/{case_id}/instruments/new", data=INSTRUMENT)
    assert resp.status_code == 302
    assert resp.headers["Location"] == _back_url(app, case_id, "instruments")
    (item,) = _items(app, InstrumentCheck, case_id)
    assert item.result == "fail"
    assert item.measured_error == pytest.approx(0.3)


def test_error_over_the_limit_through_the_form(app, client, author):
    case_id = _case(app, author.id)
    data = {**INSTRUMENT, "certificate_expiry": "30/09/2026", "measured_error": "-0,9"}
    assert client.post(f"/cases/{case_id}/instruments/new", data=data).status_code == 302
    (item,) = _items(app, InstrumentCheck, case_id)
    assert item.certificate_expiry == dt.date(2026, 9, 30)
    assert item.result == "fail"


def test_edit_an_instrument_keeps_the_other_nonconformity(app, client, author):
    case_id = _case(app, author.id)
    data = {
        **INSTRUMENT,
        "certificate_expiry": "2026-12-31",
        "other_nonconformity": "y",
        "notes": "Bo mạch lạ",
    }
    client.post(f"/cases/{case_id}/instruments/new", data=data)
    (item,) = _items(app, InstrumentCheck, case_id)
    assert item.result == "fail"
    page = client.get(f"/cases/{case_id}/instruments/{item.id}/edit").get_data(as_text=True)
    assert 'name="other_nonconformity" type="checkbox" value="y" checked' in page or "checked" in page
    data.pop("other_nonconformity")
    assert client.post(f"/cases/{case_id}/instruments/{item.id}/edit", data=data).status_code == 302
    (item,) = _items(app, InstrumentCheck, case_id)
    assert item.result == "pass"


def test_other_nonconformity_without_a_reason_is_refused_beside_the_notes(app, client, author):
    case_id = _case(app, author.id)
    data = {**INSTRUMENT, "certificate_expiry": "2026-12-31", "other_nonconformity": "y"}
    resp = client.post(f"/cases/{case_id}/instruments/new", data=data)
    assert resp.status_code == 400
    assert 'id="notes-error"' in resp.get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "result"),
    [
        ({}, "pass"),
        ({"mean_measured": "499,5"}, "fail"),
        ({"count_short_over_t": "4"}, "fail"),
        ({"count_short_over_t": "1", "count_short_over_2t": "1"}, "fail"),
    ],
)
def test_prepackaged_lot_through_the_form(app, client, author, changes, result):
    case_id = _case(app, author.id, fields=("prepackaged",))
    data = {
        "product": "Bột giặt 500 g",
        "nominal_quantity": "500",
        "unit": "g",
        "sample_size": "50",
        "mean_measured": "500,8",
        "count_short_over_t": "3",
        "count_short_over_2t": "0",
        **changes,
    }
    resp = client.post(f"/cases/{case_id}/lots/new", data=data)
    assert resp.status_code == 302
    assert resp.headers["Location"] == _back_url(app, case_id, "prepackaged")
    (lot,) = _items(app, PrepackagedLot, case_id)
    assert lot.result == result


def test_negative_quantity_is_refused_in_vietnamese_beside_the_field_and_input_kept(app, client, author):
    case_id = _case(app, author.id, fields=("label",))
    data = {
        "name": "Nước mắm Phú Quốc",
        "quantity": "-5",
        "unit": "chai",
        "value_vnd": "1.500.000",
        "result": "fail",
    }
    resp = client.post(f"/cases/{case_id}/goods/new", data=data)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert 'id="quantity-error"' in html
    assert "Không được là số âm." in html
    assert 'value="Nước mắm Phú Quốc"' in html
    assert 'value="-5"' in html
    assert 'value="1.500.000"' in html
    assert _items(app, GoodsItem, case_id) == []


def test_negative_lot_quantity_is_refused(app, client, author):
    case_id = _case(app, author.id)
    data = {
        "product": "Gạo",
        "nominal_quantity": "-5",
        "unit": "kg",
        "sample_size": "50",
        "mean_measured": "5",
    }
    resp = client.post(f"/cases/{case_id}/lots/new", data=data)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert 'id="nominal_quantity-error"' in html
    assert 'value="Gạo"' in html


@pytest.mark.parametrize("value", ["1.500.000", "1,500,000", "1500000", "1 500 000 đ"])
def test_goods_value_in_vnd(app, client, author, value):
    case_id = _case(app, author.id)
    data = {"name": "Mũ bảo hiểm", "value_vnd": value, "barcode": "8931234567897", "result": "pass"}
    assert client.post(f"/cases/{case_id}/goods/new", data=data).status_code == 302
    (item,) = _items(app, GoodsItem, case_id)
    assert item.value_vnd == 1_500_000
    assert item.barcode == "8931234567897"


def test_a_barcode_with_a_bad_check_digit(app, client, author):
    case_id = _case(app, author.id)
    resp = client.post(
        f"/cases/{case_id}/goods/new", data={"name": "Bánh quy", "barcode": "8931234567890", "result": "fail"}
    )
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert 'id="barcode-error"' in html
    assert "7" in html.split('id="barcode-error"')[1][:300]
    assert 'value="8931234567890"' in html


def test_sample_dates_checked_beside_the_field(app, client, author):
    case_id = _case(app, author.id, "survey", fields=("fuel",))
    data = {"name": "Xăng E5", "sent_on": "2026-03-10", "tested_on": "2026-03-05", "result": "fail"}
    resp = client.post(f"/cases/{case_id}/samples/new", data=data)
    assert resp.status_code == 400
    assert 'id="tested_on-error"' in resp.get_data(as_text=True)
    data["tested_on"] = "2026-03-12"
    assert client.post(f"/cases/{case_id}/samples/new", data=data).status_code == 302
    (sample,) = _items(app, Sample, case_id)
    assert sample.result == "fail"


def test_delete_an_item(app, client, author):
    case_id = _case(app, author.id)
    client.post(f"/cases/{case_id}/goods/new", data={"name": "Thép", "result": "pass"})
    (item,) = _items(app, GoodsItem, case_id)
    resp = client.post(f"/cases/{case_id}/goods/{item.id}/delete")
    assert resp.status_code == 302
    assert _items(app, GoodsItem, case_id) == []


def test_an_item_of_another_case_is_not_found(app, client, author):
    first = _case(app, author.id)
    second = _case(app, author.id)
    client.post(f"/cases/{first}/goods/new", data={"name": "Thép", "result": "pass"})
    (item,) = _items(app, GoodsItem, first)
    assert client.get(f"/cases/{second}/goods/{item.id}/edit").status_code == 404
    assert client.post(f"/cases/{second}/goods/{item.id}/delete").status_code == 404


def test_instruments_are_not_recorded_on_an_ecommerce_check(app, client, author):
    case_id = _case(app, author.id, "ecommerce")
    assert client.get(f"/cases/{case_id}/instruments/new").status_code == 404


# --- permissions -------------------------------------------------------------------------------------


def test_another_inspector_gets_403_on_someone_elses_draft(app, client, make_user, login):
    owner = make_user("chu_ho_so")
    case_id = _case(app, owner.id)
    login(make_user("thanhtra_khac"))
    assert client.get(f"/cases/{case_id}/goods/new").status_code == 403
    assert client.post(f"/cases/{case_id}/instruments/new", data=INSTRUMENT).status_code == 403
    assert client.post(f"/cases/{case_id}/findings/new", data={}).status_code == 403
    assert _items(app, InstrumentCheck, case_id) == []


def test_nothing_is_editable_on_an_approved_case(app, client, author):
    case_id = _case(app, author.id, status="approved")
    with app.app_context():
        case = db.session.get(Case, case_id)
        db.session.add(GoodsItem(case=case, name="Thép", result="pass"))
        db.session.add(Finding(case=case, violation=violation("MV-01"), offender_type="individual"))
        db.session.commit()
    (goods,) = _items(app, GoodsItem, case_id)
    (finding,) = _items(app, Finding, case_id)
    assert client.post(f"/cases/{case_id}/goods/new", data={"name": "X", "result": "pass"}).status_code == 403
    assert client.post(f"/cases/{case_id}/goods/{goods.id}/edit", data={"name": "X"}).status_code == 403
    assert client.post(f"/cases/{case_id}/goods/{goods.id}/delete").status_code == 403
    assert client.post(f"/cases/{case_id}/findings/{finding.id}/delete").status_code == 403
    assert len(_items(app, GoodsItem, case_id)) == 1


def test_anonymous_is_sent_to_sign_in(app, client, make_user):
    owner = make_user("chu_ho_so2")
    case_id = _case(app, owner.id)
    resp = client.get(f"/cases/{case_id}/goods/new")
    assert resp.status_code == 302
    assert "/login" in resp.headers["Location"]


# --- findings ----------------------------------------------------------------------------------------


def _violation_id(app, code: str) -> int:
    with app.app_context():
        return violation(code).id


def test_a_finding_outside_the_range_is_saved_with_a_warning(app, client, author):
    case_id = _case(app, author.id, fields=("barcode",))
    data = {
        "violation_id": str(_violation_id(app, "MV-02")),
        "offender_type": "organisation",
        "goods_description": "Bánh kẹo dùng mã 893 chưa được cấp",
        "goods_quantity": "120",
        "goods_unit": "hộp",
        "goods_value_vnd": "6.000.000",
        "proposed_fine_vnd": "25.000.000",
    }
    resp = client.post(f"/cases/{case_id}/findings/new", data=data)
    assert resp.status_code == 302
    assert resp.headers["Location"] == _back_url(app, case_id, "findings")
    (finding,) = _items(app, Finding, case_id)
    assert finding.proposed_fine_vnd == 25_000_000
    assert finding.goods_value_vnd == 6_000_000
    page = client.get(f"/cases/{case_id}/findings/{finding.id}/edit").get_data(as_text=True)
    assert 'data-testid="fine-warning"' in page
    assert "12.000.000\u00a0₫ – 20.000.000\u00a0₫" in page


def test_a_finding_with_unknown_amounts_has_no_warning(app, client, author):
    case_id = _case(app, author.id)
    data = {
        "violation_id": str(_violation_id(app, "DL-SX-02")),
        "offender_type": "individual",
        "proposed_fine_vnd": "1",
    }
    assert client.post(f"/cases/{case_id}/findings/new", data=data).status_code == 302
    (finding,) = _items(app, Finding, case_id)
    page = client.get(f"/cases/{case_id}/findings/{finding.id}/edit").get_data(as_text=True)
    assert 'data-testid="fine-warning"' not in page


def test_finding_errors_keep_the_input(app, client, author):
    case_id = _case(app, author.id)
    data = {
        "violation_id": "",
        "offender_type": "individual",
        "proposed_fine_vnd": "-3",
        "goods_unit": "thùng",
    }
    resp = client.post(f"/cases/{case_id}/findings/new", data=data)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert 'id="violation_id-error"' in html
    assert 'id="proposed_fine_vnd-error"' in html
    assert 'value="thùng"' in html


def test_no_findings_on_a_survey(app, client, author):
    case_id = _case(app, author.id, "survey", fields=("fuel",))
    data = {"violation_id": str(_violation_id(app, "MV-02")), "offender_type": "individual"}
    resp = client.post(f"/cases/{case_id}/findings/new", data=data)
    assert resp.status_code == 302
    assert _items(app, Finding, case_id) == []


def test_edit_and_delete_a_finding(app, client, author):
    case_id = _case(app, author.id)
    client.post(
        f"/cases/{case_id}/findings/new",
        data={"violation_id": str(_violation_id(app, "NH-01")), "offender_type": "individual"},
    )
    (finding,) = _items(app, Finding, case_id)
    assert finding.proposed_remedies  # the catalog's remedies
    data = {
        "violation_id": str(finding.violation_id),
        "offender_type": "organisation",
        "proposed_fine_vnd": "2.000.000",
        "proposed_remedies": "Buộc ghi nhãn",
        "version": str(finding.version),
    }
    assert client.post(f"/cases/{case_id}/findings/{finding.id}/edit", data=data).status_code == 302
    (finding,) = _items(app, Finding, case_id)
    assert (finding.offender_type, finding.proposed_fine_vnd) == ("organisation", 2_000_000)
    stale = client.post(f"/cases/{case_id}/findings/{finding.id}/edit", data={**data, "version": "1"})
    assert stale.status_code == 400
    assert client.post(f"/cases/{case_id}/findings/{finding.id}/delete").status_code == 302
    assert _items(app, Finding, case_id) == []


# --- the partials the case page includes -------------------------------------------------------------


def _render_partials(app, case_id: int, can_edit: bool = True) -> str:
    with app.test_request_context("/"):
        case = db.session.get(Case, case_id)
        html = render_template("case_items/_items.html", case=case, can_edit=can_edit)
        totals = decisions.case_totals(case.id)
        html += render_template("case_items/_findings.html", case=case, can_edit=can_edit, totals=totals)
        db.session.remove()
        return html


def test_partials_show_the_rules_verdicts(app, author):
    case_id = _case(app, author.id, start_date=dt.date(2026, 3, 12), fields=("fuel", "prepackaged"))
    with app.app_context():
        mv02, dlsx02 = violation("MV-02"), violation("DL-SX-02")
        case = db.session.get(Case, case_id)
        db.session.add_all(
            [
                InstrumentCheck(
                    case=case,
                    instrument_type="fuel_pump",
                    certificate_expiry=dt.date(2026, 3, 1),
                    result="fail",
                ),
                PrepackagedLot(
                    case=case,
                    product="Dầu ăn 1 L",
                    nominal_quantity=1,
                    unit="L",
                    sample_size=50,
                    mean_measured=0.995,
                    count_short_over_t=0,
                    count_short_over_2t=0,
                    result="fail",
                ),
                Sample(case=case, name="Dầu DO", result="fail"),
                Sample(case=case, name="Xăng", result="pass"),
                Sample(case=case, name="Xăng 2", result="pending"),
                Finding(
                    case=case,
                    violation=mv02,
                    offender_type="organisation",
                    proposed_fine_vnd=30_000_000,
                ),
                Finding(
                    case=case,
                    violation=dlsx02,
                    offender_type="individual",
                    proposed_fine_vnd=1_000_000,
                ),
            ]
        )
        db.session.commit()
    html = _render_partials(app, case_id)
    assert 'data-testid="certificate-expired"' in html
    assert "T = 0,015 L (15 mL)" in html
    assert 'data-testid="sample-counts"' in html
    assert html.count('data-testid="fine-warning"') == 1
    assert "30.000.000\u00a0₫" in html
    assert "12.000.000\u00a0₫ – 20.000.000\u00a0₫" in html
    assert f"/cases/{case_id}/instruments/new" in html
    read_only = _render_partials(app, case_id, can_edit=False)
    assert "/delete" not in read_only and "/new" not in read_only


def test_findings_are_hidden_on_a_survey(app, author):
    case_id = _case(app, author.id, "survey", fields=("quality",))
    html = _render_partials(app, case_id)
    assert 'data-testid="section-findings"' not in html
    assert 'data-testid="section-samples"' in html


# --- the catalog's JSON ------------------------------------------------------------------------------


def test_violations_endpoint(client, author):
    resp = client.get("/api/v1/violations", query_string={"q": "nhan hang hoa"})
    assert resp.status_code == 200
    found = {v["code"]: v for v in resp.get_json()["violations"]}
    nh01 = found["NH-01"]
    assert nh01["group"] == "Nhãn hàng hóa"
    assert {"description", "legal_basis", "remedies", "fine_individual", "fine_organisation"} <= set(nh01)
    assert nh01["fine_organisation"] == {"min": 2 * nh01["fine_individual"]["min"], "max": None}

    first = client.get("/api/v1/violations", query_string={"q": "MV-02"}).get_json()["violations"][0]
    assert first["code"] == "MV-02"
    assert first["fine_individual"] == {"min": 6_000_000, "max": 10_000_000}
    assert first["fine_organisation"] == {"min": 12_000_000, "max": 20_000_000}

    unknown = client.get("/api/v1/violations", query_string={"q": "DL-SX-02"}).get_json()["violations"][0]
    assert unknown["fine_individual"] is None and unknown["fine_organisation"] is None

    barcodes = client.get("/api/v1/violations", query_string={"field": "barcode"}).get_json()["violations"]
    assert {v["field"] for v in barcodes} == {"barcode"}
    assert client.get("/api/v1/violations", query_string={"field": "nope"}).status_code == 400


def test_violations_endpoint_needs_sign_in(client):
    resp = client.get("/api/v1/violations")
    assert resp.status_code == 401
    assert resp.is_json
