"""Establishments: one per tax code, the checks on create and edit, search, history, repeat offenders."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select

from cases.db import db
from cases.errors import ValidationFailed
from cases.models import Case, Commune, Establishment, Finding, Sample, Violation
from cases.recording import establishments as est
from tests.sql_statements import recorded_statements

LONG_XUYEN = "30307"
_numbers = itertools.count(1)


def _other_commune() -> str:
    return db.session.scalar(select(Commune.code).where(Commune.code != LONG_XUYEN).order_by(Commune.code))


def _create(**kwargs):
    values = {"actor": None, "name": "Công ty TNHH Xăng dầu Rạch Giá", "commune_code": LONG_XUYEN}
    values.update(kwargs)
    return est.create_establishment(**values)


def _case(
    establishment: Establishment | None, opened_on: dt.date, *, kind: str = "inspection", commune=LONG_XUYEN
):
    case = Case(
        number=f"KT-TEST-{next(_numbers):04d}",
        kind=kind,
        status="submitted",
        opened_on=opened_on,
        commune_code=commune,
        establishment_id=establishment.id if establishment else None,
    )
    db.session.add(case)
    db.session.flush()
    return case


def _finding(case: Case, status: str = "confirmed") -> Finding:
    violation = db.session.scalar(select(Violation).where(Violation.code == "MV-02"))
    finding = Finding(case_id=case.id, violation_id=violation.id, offender_type="organisation", status=status)
    db.session.add(finding)
    db.session.flush()
    return finding


# --- create and edit -----------------------------------------------------------------------------------


def test_create_cleans_and_normalises(app_ctx):
    e = _create(
        name="  Công ty   TNHH Rạch Giá ",
        tax_code="0100109106 001",
        business_type="branch",
        address=" 12 Trần Phú ",
        representative=" Nguyễn Văn A ",
        phone=" 0912 345 678 ",
    )
    assert e.id is not None
    assert e.name == "Công ty TNHH Rạch Giá"
    assert e.name_key == "cong ty tnhh rach gia"
    assert e.tax_code == "0100109106-001"
    assert (e.address, e.representative, e.phone) == ("12 Trần Phú", "Nguyễn Văn A", "0912 345 678")
    assert e.business_type == "branch"


def test_defaults_and_empty_values(app_ctx):
    e = _create(tax_code="", commune_code=None, address="  ")
    assert e.tax_code is None and e.commune_code is None and e.address is None
    assert e.business_type == "enterprise"
    # several establishments without a tax code are fine
    assert _create(name="Hộ kinh doanh Lê Văn B", tax_code=None).id != e.id


def test_one_establishment_per_tax_code(app_ctx):
    first = _create(name="Công ty A", tax_code="0100109106")
    with pytest.raises(ValidationFailed) as info:
        _create(name="Công ty B", tax_code=" 0100109106 ")
    assert info.value.code == "tax_code_taken" and info.value.field == "tax_code"
    assert info.value.params == {"name": "Công ty A", "id": first.id}
    # the branch is a different tax code
    assert _create(name="Chi nhánh A", tax_code="0100109106-001").tax_code == "0100109106-001"


def test_update_keeps_its_own_tax_code_but_not_another(app_ctx):
    a = _create(name="Công ty A", tax_code="0100109106")
    b = _create(name="Công ty B", tax_code="0100047516")
    est.update_establishment(
        a, actor=None, name="Công ty A mới", tax_code="0100109106", commune_code=LONG_XUYEN
    )
    assert a.name == "Công ty A mới" and a.name_key == "cong ty a moi"
    with pytest.raises(ValidationFailed) as info:
        est.update_establishment(b, actor=None, name="Công ty B", tax_code="0100109106")
    assert info.value.code == "tax_code_taken" and info.value.params["id"] == a.id


@pytest.mark.parametrize(
    "kwargs, code, field",
    [
        ({"name": "   "}, "required", "name"),
        ({"name": "x" * 301}, "too_long", "name"),
        ({"tax_code": "0100109107"}, "tax_code_check_digit", "tax_code"),
        ({"tax_code": "12345"}, "tax_code_format", "tax_code"),
        ({"tax_code": "0100109106-000"}, "tax_code_branch", "tax_code"),
        ({"business_type": "shop"}, "unknown_business_type", "business_type"),
        ({"commune_code": "99999"}, "unknown_commune", "commune_code"),
        ({"latitude": 10.38}, "coordinates_pair", "longitude"),
        ({"longitude": 105.43}, "coordinates_pair", "latitude"),
        ({"latitude": 21.03, "longitude": 105.85}, "outside_province", "latitude"),  # Hà Nội
        ({"latitude": float("nan"), "longitude": 105.43}, "invalid_coordinates", "latitude"),
        ({"phone": "0" * 31}, "too_long", "phone"),
    ],
)
def test_refused_values(app_ctx, kwargs, code, field):
    with pytest.raises(ValidationFailed) as info:
        _create(**kwargs)
    assert (info.value.code, info.value.field) == (code, field)


def test_coordinates_inside_the_province(app_ctx):
    commune = db.session.get(Commune, LONG_XUYEN)
    e = _create(latitude=commune.latitude, longitude=commune.longitude)
    assert (e.latitude, e.longitude) == (commune.latitude, commune.longitude)


def test_a_liaison_records_only_in_their_communes(app_ctx, make_user):
    liaison = db.session.merge(make_user("daumoi", "liaison", communes=(LONG_XUYEN,)))
    inspector = db.session.merge(make_user("thanhtra", "inspector"))
    with pytest.raises(ValidationFailed) as info:
        _create(actor=liaison, commune_code=_other_commune())
    assert (info.value.code, info.value.field) == ("commune_not_yours", "commune_code")
    with pytest.raises(ValidationFailed) as info:
        _create(actor=liaison, commune_code=None)
    assert (info.value.code, info.value.field) == ("required", "commune_code")
    e = _create(actor=liaison, commune_code=LONG_XUYEN)
    assert e.created_by_id == liaison.id
    assert _create(actor=inspector, name="Cơ sở khác", commune_code=_other_commune()).id


# --- finding ---------------------------------------------------------------------------------------------


def test_find_similar_ignores_diacritics_and_case(app_ctx):
    rach_gia = _create(name="Công ty TNHH Xăng dầu Rạch Giá")
    _create(name="Cửa hàng vàng bạc Kim Long")
    found = est.find_similar("Rach Gia")
    assert found == [rach_gia]
    assert est.find_similar("XĂNG DẦU rạch") == [rach_gia]
    assert est.find_similar("rach   gia") == [rach_gia]
    assert est.find_similar("Long Xuyên") == []
    assert est.find_similar("") == []


def test_find_similar_puts_the_exact_tax_code_first_then_closer_names(app_ctx):
    contains = _create(name="Doanh nghiệp tư nhân Minh Phát Rạch Giá")
    starts = _create(name="Minh Phát Rạch Giá 2")
    equal = _create(name="Minh Phát")
    other = _create(name="Cơ sở Hòa Bình", tax_code="0100047516")
    assert est.find_similar("minh phat") == [equal, starts, contains]
    assert est.find_similar("minh phat", tax_code="0100047516") == [other, equal, starts, contains]
    assert est.find_similar("minh phat", limit=2) == [equal, starts]


def test_find_similar_by_tax_code_typed_as_the_query(app_ctx):
    e = _create(name="Công ty A", tax_code="0100109106")
    branch = _create(name="Chi nhánh Công ty A", tax_code="0100109106-001")
    assert est.find_similar("0100109106", tax_code="0100109106") == [e, branch]
    assert est.find_similar("0100 109") == [branch, e]  # by name order: "chi nhanh..." < "cong ty a"


def test_like_wildcards_in_the_query_are_literal(app_ctx):
    _create(name="Công ty ABC")
    assert est.find_similar("%") == []
    assert est.find_similar("_") == []
    assert list(db.session.scalars(est.establishment_list_query("%"))) == []


def test_list_query_filters(app_ctx):
    other = _other_commune()
    a = _create(name="Công ty TNHH Rạch Giá", tax_code="0100109106")
    b = _create(name="Hộ kinh doanh Rạch Sỏi", business_type="household", commune_code=other)
    c = _create(name="Hợp tác xã Mỹ Hòa", business_type="cooperative")

    def ids(**kwargs):
        return [e.id for e in db.session.scalars(est.establishment_list_query(**kwargs))]

    assert ids() == [a.id, b.id, c.id]  # by folded name: "cong ty…", "ho kinh doanh…", "hop tac xa…"
    assert ids(q="rach") == [a.id, b.id]
    assert ids(q="RẠCH GIÁ") == [a.id]
    assert ids(q="01001") == [a.id]
    assert ids(commune_code=other) == [b.id]
    assert ids(business_type="cooperative") == [c.id]
    assert ids(q="rach", commune_code=LONG_XUYEN) == [a.id]


# --- history and repeat offenders -------------------------------------------------------------------------


def test_history_newest_first_including_surveys_that_sampled_there(app_ctx):
    e = _create()
    other = _create(name="Cơ sở khác")
    old = _case(e, dt.date(2024, 5, 2))
    new = _case(e, dt.date(2026, 1, 15))
    survey = _case(None, dt.date(2025, 9, 1), kind="survey")
    db.session.add(Sample(case_id=survey.id, establishment_id=e.id, name="Xăng RON 95"))
    _case(other, dt.date(2025, 3, 3))
    db.session.flush()
    assert est.establishment_history(e.id) == [new, survey, old]
    assert est.establishment_history(other.id)[0].establishment_id == other.id


def test_history_for_a_liaison_shows_only_their_communes(app_ctx, make_user):
    liaison = db.session.merge(make_user("daumoi", "liaison", communes=(LONG_XUYEN,)))
    e = _create()
    here = _case(e, dt.date(2026, 1, 1))
    _case(e, dt.date(2026, 2, 1), commune=_other_commune())
    assert est.establishment_history(e.id, user=liaison) == [here]
    assert len(est.establishment_history(e.id)) == 2


def test_repeat_offender_needs_confirmed_findings_in_two_cases(app_ctx):
    e = _create()
    first = _case(e, dt.date(2025, 4, 1))
    _finding(first)
    _finding(first)  # two confirmed findings in the same case: still one case
    second = _case(e, dt.date(2026, 2, 1))
    _finding(second, status="proposed")
    _finding(_case(e, dt.date(2026, 3, 1)), status="dismissed")
    assert not est.is_repeat_offender(e.id)
    assert est.repeat_offender_ids([e.id]) == set()
    _finding(second)  # now confirmed in a second case
    assert est.is_repeat_offender(e.id)
    assert est.repeat_offender_ids([e.id]) == {e.id}


def test_repeat_offender_ids_for_a_list_in_one_query(app_ctx):
    repeat, once, clean = _create(name="A"), _create(name="B"), _create(name="C")
    for day in (1, 2):
        _finding(_case(repeat, dt.date(2026, 1, day)))
    _finding(_case(once, dt.date(2026, 1, 3)))
    _case(clean, dt.date(2026, 1, 4))
    with recorded_statements() as statements:
        result = est.repeat_offender_ids([repeat.id, once.id, clean.id, 999999])
    assert result == {repeat.id}
    assert len(statements) == 1
    assert est.repeat_offender_ids([]) == set()
    assert not est.is_repeat_offender(once.id) and not est.is_repeat_offender(clean.id)


def test_a_tax_code_taken_meanwhile_is_reported_not_crashed(app_ctx, monkeypatch):
    """Two requests racing for the same tax code: the unique index refuses the second one."""
    _create(name="Công ty A", tax_code="0100109106")
    monkeypatch.setattr(est, "_check_tax_code_free", lambda code, establishment_id: None)
    with pytest.raises(ValidationFailed) as info:
        _create(name="Công ty B", tax_code="0100109106")
    assert (info.value.code, info.value.field, info.value.params) == ("tax_code_taken", "tax_code", {})
    db.session.rollback()


def test_domain_messages_for_establishment_codes(app):
    from inspect_app.labels.errors import domain_message

    with app.test_request_context("/"):
        named = domain_message(ValidationFailed("tax_code_taken", name="Công ty A", id=1))
        assert named == "Mã số thuế này đã được ghi nhận cho Công ty A."
        assert "cơ sở khác" in domain_message(ValidationFailed("tax_code_taken"))
        assert domain_message(ValidationFailed("tax_code_check_digit")).startswith("Chữ số kiểm tra")
        assert domain_message(ValidationFailed("commune_not_yours")).startswith("Bạn chỉ được chọn")
