"""Instruments, prepackaged lots, goods and samples on a case: rules, computed results, permissions."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.db import db
from cases.errors import PermissionDenied, ValidationFailed
from cases.inspection import items
from cases.inspection.barcodes import gs1_check_digit, is_valid_gtin
from cases.inspection.items import GoodsInput, InstrumentInput, LotInput, SampleInput
from cases.models import Establishment
from tests.case_items_support import attached, make_case

TODAY = dt.date(2026, 3, 20)


@pytest.fixture
def author(app_ctx, make_user):
    return attached(make_user("tac_gia"))


@pytest.fixture
def case(author):
    return make_case(author, fields=("instruments", "fuel"), start_date=dt.date(2026, 3, 12))


def _instrument(**changes) -> InstrumentInput:
    values = {
        "instrument_type": "fuel_pump",
        "description": "Cột bơm số 2",
        "serial_number": "TS-0012",
        "certificate_number": "KĐ-2025-341",
        "certificate_expiry": dt.date(2026, 9, 30),
        "seal_condition": "intact",
        "measured_error": -0.2,
        "error_limit": 0.5,
        "error_unit": "%",
    }
    values.update(changes)
    return InstrumentInput(**values)


# --- instruments -------------------------------------------------------------------------------------


def test_a_conforming_instrument_passes(case, author):
    item = items.add_item(case=case, actor=author, data=_instrument())
    assert item.id is not None
    assert item.result == "pass"
    assert items.instrument_reasons(item, case) == []


def test_certificate_expired_on_the_inspection_date_is_flagged_and_fails(case, author):
    item = items.add_item(case=case, actor=author, data=_instrument(certificate_expiry=dt.date(2026, 3, 11)))
    assert items.certificate_expired(item, case)
    assert item.result == "fail"
    assert items.instrument_reasons(item, case) == ["certificate_expired"]


def test_an_expiry_on_the_inspection_date_itself_is_still_valid(case, author):
    item = items.add_item(case=case, actor=author, data=_instrument(certificate_expiry=dt.date(2026, 3, 12)))
    assert not items.certificate_expired(item, case)
    assert item.result == "pass"


def test_the_inspection_date_is_the_start_date_else_the_opening_date(author):
    without_start = make_case(author, opened_on=dt.date(2026, 3, 10))
    with_start = make_case(author, opened_on=dt.date(2026, 3, 1), start_date=dt.date(2026, 3, 10))
    assert items.inspection_date(without_start) == dt.date(2026, 3, 10)
    assert items.inspection_date(with_start) == dt.date(2026, 3, 10)
    data = _instrument(certificate_expiry=dt.date(2026, 3, 5))
    assert items.add_item(case=with_start, actor=author, data=data).result == "fail"


@pytest.mark.parametrize(("error", "result"), [(0.5, "pass"), (-0.5, "pass"), (0.51, "fail"), (-0.8, "fail")])
def test_error_over_the_limit_fails(case, author, error, result):
    item = items.add_item(case=case, actor=author, data=_instrument(measured_error=error))
    assert item.result == result
    assert ("error_over_limit" in items.instrument_reasons(item, case)) == (result == "fail")


@pytest.mark.parametrize(("seal", "reason"), [("broken", "seal_broken"), ("missing", "seal_missing")])
def test_a_broken_or_missing_seal_fails(case, author, seal, reason):
    item = items.add_item(case=case, actor=author, data=_instrument(seal_condition=seal))
    assert item.result == "fail"
    assert items.instrument_reasons(item, case) == [reason]


def test_the_error_needs_a_positive_limit(case, author):
    with pytest.raises(ValidationFailed) as exc:
        items.add_item(case=case, actor=author, data=_instrument(error_limit=None))
    assert (exc.value.code, exc.value.field) == ("error_limit_required", "error_limit")
    with pytest.raises(ValidationFailed) as exc:
        items.add_item(case=case, actor=author, data=_instrument(error_limit=0))
    assert (exc.value.code, exc.value.field) == ("error_limit_positive", "error_limit")


def test_other_nonconformity_fails_and_needs_a_reason(case, author):
    with pytest.raises(ValidationFailed) as exc:
        items.add_item(case=case, actor=author, data=_instrument(other_nonconformity=True))
    assert (exc.value.code, exc.value.field) == ("other_reason_required", "notes")
    item = items.add_item(
        case=case, actor=author, data=_instrument(other_nonconformity=True, notes="Có thiết bị can thiệp")
    )
    assert item.result == "fail"
    assert items.other_nonconformity(item, case)
    assert items.to_input(item).other_nonconformity is True


def test_a_failing_rule_cannot_be_turned_into_a_pass(case, author):
    item = items.add_item(case=case, actor=author, data=_instrument(seal_condition="broken"))
    items.update_item(item=item, actor=author, data=_instrument(seal_condition="broken"))
    assert item.result == "fail"
    assert not items.to_input(item).other_nonconformity
    items.update_item(item=item, actor=author, data=_instrument(seal_condition="intact"))
    assert item.result == "pass"


def test_unknown_instrument_type_is_refused(case, author):
    with pytest.raises(ValidationFailed) as exc:
        items.add_item(case=case, actor=author, data=_instrument(instrument_type="sundial"))
    assert exc.value.field == "instrument_type"


def test_refresh_fails_instruments_when_the_inspection_date_moves(case, author):
    item = items.add_item(case=case, actor=author, data=_instrument(certificate_expiry=dt.date(2026, 3, 15)))
    assert item.result == "pass"
    case.start_date = dt.date(2026, 3, 16)
    assert items.refresh_instrument_results(case) == 1
    assert item.result == "fail"
    case.start_date = dt.date(2026, 3, 12)
    assert items.refresh_instrument_results(case) == 0
    assert item.result == "fail"  # never turned back to pass


# --- prepackaged lots --------------------------------------------------------------------------------


def _lot(**changes) -> LotInput:
    values = {
        "product": "Đường cát trắng 500 g",
        "nominal_quantity": 500.0,
        "unit": "g",
        "sample_size": 50,
        "mean_measured": 500.4,
        "count_short_over_t": 2,
        "count_short_over_2t": 0,
    }
    values.update(changes)
    return LotInput(**values)


@pytest.mark.parametrize(
    ("changes", "result"),
    [
        ({}, "pass"),
        ({"mean_measured": 498.0}, "fail"),
        ({"count_short_over_t": 3}, "pass"),
        ({"count_short_over_t": 4}, "fail"),
        ({"count_short_over_2t": 1}, "fail"),
        ({"sample_size": 20, "count_short_over_t": 1}, "fail"),
        ({"sample_size": 80, "count_short_over_t": 5}, "pass"),
    ],
)
def test_lot_result_by_each_rule(case, author, changes, result):
    lot = items.add_item(case=case, actor=author, data=_lot(**changes))
    assert lot.result == result


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"product": " "}, "required", "product"),
        ({"nominal_quantity": -500.0}, "negative", "nominal_quantity"),
        ({"nominal_quantity": 0.0}, "nominal_positive", "nominal_quantity"),
        ({"nominal_quantity": 60.0, "unit": "kg"}, "nominal_above_table", "nominal_quantity"),
        ({"unit": "lb"}, "invalid_choice", "unit"),
        ({"sample_size": 0}, "below_minimum", "sample_size"),
        ({"mean_measured": -1.0}, "negative", "mean_measured"),
        ({"count_short_over_t": -1}, "negative", "count_short_over_t"),
        ({"count_short_over_t": 51}, "count_above_sample", "count_short_over_t"),
        ({"count_short_over_t": 1, "count_short_over_2t": 2}, "count_2t_above_t", "count_short_over_2t"),
    ],
)
def test_lot_values_are_checked(case, author, changes, code, field):
    with pytest.raises(ValidationFailed) as exc:
        items.add_item(case=case, actor=author, data=_lot(**changes))
    assert (exc.value.code, exc.value.field) == (code, field)


def test_editing_a_lot_recomputes_its_result(case, author):
    lot = items.add_item(case=case, actor=author, data=_lot())
    items.update_item(item=lot, actor=author, data=_lot(mean_measured=490.0))
    assert lot.result == "fail"


# --- goods -------------------------------------------------------------------------------------------


def test_gs1_check_digit():
    assert gs1_check_digit("893123456789") == 7
    assert is_valid_gtin("8931234567897")
    assert is_valid_gtin("893 1234 56789 7")
    assert is_valid_gtin("96385074")  # GTIN-8
    assert not is_valid_gtin("8931234567890")
    assert not is_valid_gtin("893123456789")


def test_goods_with_a_valid_barcode(case, author):
    item = items.add_item(
        case=case,
        actor=author,
        data=GoodsInput(
            name="Mũ bảo hiểm",
            product_group="mũ bảo hiểm",
            quantity=20,
            unit="chiếc",
            value_vnd=3_000_000,
            barcode="893 1234567897",
            result="fail",
        ),
    )
    assert item.barcode == "8931234567897"
    assert item.result == "fail"


@pytest.mark.parametrize(
    ("barcode", "code", "params"),
    [
        ("8931234567890", "barcode_check_digit", {"expected": 7}),
        ("893123456789", "barcode_format", {}),
        ("89312345678AB", "barcode_format", {}),
    ],
)
def test_a_bad_barcode_is_refused(case, author, barcode, code, params):
    with pytest.raises(ValidationFailed) as exc:
        items.add_item(case=case, actor=author, data=GoodsInput(name="Bánh", barcode=barcode))
    assert (exc.value.code, exc.value.field, exc.value.params) == (code, "barcode", params)


@pytest.mark.parametrize(("field", "value"), [("quantity", -1.0), ("value_vnd", -1000)])
def test_negative_goods_quantity_or_value_is_refused(case, author, field, value):
    with pytest.raises(ValidationFailed) as exc:
        items.add_item(case=case, actor=author, data=GoodsInput(name="Bánh", **{field: value}))
    assert (exc.value.code, exc.value.field) == ("negative", field)


def test_goods_result_is_pass_or_fail(case, author):
    with pytest.raises(ValidationFailed):
        items.add_item(case=case, actor=author, data=GoodsInput(name="Bánh", result="pending"))


# --- samples -----------------------------------------------------------------------------------------


def test_samples_and_their_counts(author):
    survey = make_case(author, "survey", fields=("fuel",))
    est = Establishment(name="Cửa hàng xăng dầu số 5")
    db.session.add(est)
    db.session.flush()
    for result in ("pass", "fail", "fail", "pending"):
        items.add_item(
            case=survey,
            actor=author,
            data=SampleInput(
                name="Xăng RON 95-III",
                standard="QCVN 1:2022/BKHCN",
                result=result,
                sent_on=dt.date(2026, 3, 11),
                tested_on=dt.date(2026, 3, 18) if result != "pending" else None,
                establishment_id=est.id,
            ),
            today=TODAY,
        )
    counts = items.sample_counts(survey.samples)
    assert (counts.taken, counts.tested, counts.failed, counts.pending) == (4, 3, 2, 1)
    assert survey.samples[0].establishment.name == "Cửa hàng xăng dầu số 5"


@pytest.mark.parametrize(
    ("sent", "tested", "code", "field"),
    [
        (dt.date(2026, 3, 15), dt.date(2026, 3, 14), "tested_before_sent", "tested_on"),
        (dt.date(2026, 3, 15), dt.date(2026, 3, 21), "date_in_future", "tested_on"),
        (dt.date(2026, 3, 21), None, "date_in_future", "sent_on"),
    ],
)
def test_sample_dates(case, author, sent, tested, code, field):
    with pytest.raises(ValidationFailed) as exc:
        items.add_item(
            case=case, actor=author, data=SampleInput(name="Mẫu", sent_on=sent, tested_on=tested), today=TODAY
        )
    assert (exc.value.code, exc.value.field) == (code, field)


def test_unknown_establishment_on_a_sample(case, author):
    with pytest.raises(ValidationFailed) as exc:
        items.add_item(case=case, actor=author, data=SampleInput(name="Mẫu", establishment_id=999999))
    assert exc.value.field == "establishment_id"


# --- which case, who ---------------------------------------------------------------------------------


def test_an_ecommerce_check_records_goods_only(author):
    check = make_case(author, "ecommerce")
    items.add_item(case=check, actor=author, data=GoodsInput(name="Sạc dự phòng"))
    with pytest.raises(ValidationFailed) as exc:
        items.add_item(case=check, actor=author, data=_instrument())
    assert exc.value.code == "item_not_for_kind"
    assert items.item_sections(check) == ["goods"]


def test_sections_follow_the_fields_and_the_items(author):
    inspection = make_case(author, fields=("label",))
    assert items.item_sections(inspection) == ["goods"]
    items.add_item(case=inspection, actor=author, data=_lot())
    assert items.item_sections(inspection) == ["prepackaged", "goods"]
    assert items.item_sections(make_case(author, "survey", fields=("quality",))) == ["goods", "samples"]


def test_another_inspector_cannot_add_to_someone_elses_draft(author, make_user):
    other = attached(make_user("nguoi_khac"))  # users first: make_user commits in its own session
    case = make_case(author)
    with pytest.raises(PermissionDenied):
        items.add_item(case=case, actor=other, data=_instrument())


def test_a_team_member_and_a_manager_can_add(author, make_user):
    member = attached(make_user("thanh_vien"))
    manager = attached(make_user("lanh_dao", "manager"))
    case = make_case(author, team=(member,))
    items.add_item(case=case, actor=member, data=GoodsInput(name="Thép D10"))
    items.add_item(case=case, actor=manager, data=GoodsInput(name="Thép D12"))
    assert len(case.goods) == 2


def test_nothing_is_editable_on_an_approved_case(author):
    approved = make_case(author, status="approved")
    with pytest.raises(PermissionDenied):
        items.add_item(case=approved, actor=author, data=GoodsInput(name="Bánh"))


def test_delete_an_item(case, author):
    item = items.add_item(case=case, actor=author, data=_instrument())
    items.delete_item(item=item, actor=author)
    assert case.instruments == []
    goods = items.add_item(case=case, actor=author, data=GoodsInput(name="Bánh"))
    case.status = "submitted"
    with pytest.raises(PermissionDenied):
        items.delete_item(item=goods, actor=author)
