"""Recording cases in the domain: numbering, rules by kind, edits, permissions, earlier e-commerce checks."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from cases.accounts import users as accounts
from cases.db import db
from cases.errors import PermissionDenied
from cases.models import Case
from cases.recording import service as case_service
from cases.recording.queries import CaseFilters, case_list_query
from cases.recording.rules import CaseInvalid, normalise_url
from tests import factories

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def inspector(app_ctx):
    user, _ = accounts.create_user(username="kiemtra1", full_name="Kiểm Tra Một", role="inspector")
    return user


def _codes(exc: CaseInvalid) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in exc.problems}


def test_numbers_per_kind_and_year(inspector):
    first = factories.case(inspector, "inspection")
    second = factories.case(inspector, "inspection")
    ecommerce = factories.case(inspector, "ecommerce")
    survey = factories.case(inspector, "survey")
    older = factories.case(inspector, "inspection", opened_on=dt.date(2025, 5, 2))
    assert [first.number, second.number] == ["KT-2026-0001", "KT-2026-0002"]
    assert ecommerce.number == "TMĐT-2026-0001"
    assert survey.number == "KS-2026-0001"
    assert older.number == "KT-2025-0001"


def test_numbers_stay_unique_when_people_save_at_the_same_moment(app, make_user):
    """Eight threads, each its own session and transaction, create cases at once."""
    user = make_user("dongthoi", "inspector")
    numbers: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def work() -> None:
        try:
            with app.app_context():
                actor = db.session.get(type(user), user.id)
                data = factories.case_input("ecommerce")
                barrier.wait(timeout=10)
                case = case_service.create_case(actor=actor, data=data, today=TODAY)
                db.session.commit()
                numbers.append(case.number)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(numbers) == [f"TMĐT-2026-{n:04d}" for n in range(1, 9)]


def test_every_problem_is_reported_at_once(inspector):
    data = factories.case_input(
        "inspection",
        opened_on=dt.date(2027, 1, 1),
        closed_on=dt.date(2026, 1, 1),
        mode=None,
        fields=[],
        commune_code="99999",
        latitude=10.0,
        longitude=None,
        start_date=dt.date(2026, 5, 2),
        end_date=dt.date(2026, 5, 1),
    )
    with pytest.raises(CaseInvalid) as exc:
        case_service.create_case(actor=inspector, data=data, today=TODAY)
    assert _codes(exc.value) >= {
        ("opened_on", "date_in_future"),
        ("closed_on", "closed_before_opened"),
        ("mode", "required"),
        ("fields", "required"),
        ("commune_code", "unknown_commune"),
        ("latitude", "coordinates_pair"),
        ("end_date", "end_before_start"),
    }
    assert db.session.scalar(select(Case.id)) is None


def test_coordinates_outside_the_province_are_refused(inspector):
    with pytest.raises(CaseInvalid) as exc:
        factories.case(inspector, "inspection", latitude=21.03, longitude=105.85)  # Hà Nội
    assert ("latitude", "outside_province") in _codes(exc.value)


def test_ecommerce_rules(inspector):
    with pytest.raises(CaseInvalid) as exc:
        factories.case(
            inspector, "ecommerce", listing_url="ftp://example.com/x", seller_name=None, platform="ebay"
        )
    assert _codes(exc.value) >= {
        ("listing_url", "url_not_http"),
        ("seller_name", "required"),
        ("platform", "required"),
    }
    check = factories.case(inspector, "ecommerce", price_vnd=150000)
    assert check.establishment_id is None  # a seller not yet identified is fine


def test_survey_has_one_field_and_an_establishment(inspector):
    with pytest.raises(CaseInvalid) as exc:
        factories.case(inspector, "survey", fields=["fuel", "gold"], establishment_id=None)
    assert _codes(exc.value) >= {("fields", "survey_one_field"), ("establishment_id", "required")}


def test_former_ward_sets_the_former_district_and_only_before_the_reform(inspector):
    old = factories.case(inspector, "inspection", opened_on=dt.date(2025, 3, 1), former_ward_code="30733")
    assert old.former_district_code == "899"  # Phường Vĩnh Thanh, TP Rạch Giá
    with pytest.raises(CaseInvalid) as exc:
        factories.case(inspector, "inspection", opened_on=dt.date(2025, 8, 1), former_ward_code="30733")
    assert ("former_ward_code", "former_ward_after_reform") in _codes(exc.value)


def test_liaison_records_only_in_own_communes(app_ctx):
    liaison, _ = accounts.create_user(
        username="daumoi1", full_name="Đ", role="liaison", commune_codes=["30307"]
    )
    ok = factories.case(liaison, "inspection", commune_code="30307")
    assert ok.commune_code == "30307"
    with pytest.raises(CaseInvalid) as exc:
        factories.case(liaison, "inspection", commune_code="30742")
    assert ("commune_code", "commune_out_of_scope") in _codes(exc.value)


def test_edit_rules_author_team_and_version(inspector):
    other, _ = accounts.create_user(username="kiemtra2", full_name="Hai", role="inspector")
    third, _ = accounts.create_user(username="kiemtra3", full_name="Ba", role="inspector")
    case = factories.case(inspector, "inspection", team_ids=[other.id])
    data = case_service.case_to_input(case)
    data.product = "Xăng RON 95"
    case_service.update_case(case=case, actor=other, data=data, expected_version=case.version)  # team member
    assert case.product == "Xăng RON 95" and case.version == 2
    with pytest.raises(PermissionDenied):
        case_service.update_case(case=case, actor=third, data=data, expected_version=case.version)
    with pytest.raises(case_service.StaleCase):
        case_service.update_case(case=case, actor=inspector, data=data, expected_version=1)
    case.status = "approved"
    with pytest.raises(PermissionDenied):
        case_service.update_case(case=case, actor=inspector, data=data, expected_version=case.version)


def test_only_the_creator_deletes_a_draft(inspector):
    other, _ = accounts.create_user(username="kiemtra4", full_name="Bốn", role="inspector")
    case = factories.case(inspector, "inspection")
    with pytest.raises(PermissionDenied):
        case_service.delete_draft(case=case, actor=other)
    case.status = "submitted"
    with pytest.raises(PermissionDenied):
        case_service.delete_draft(case=case, actor=inspector)
    case.status = "draft"
    case_service.delete_draft(case=case, actor=inspector)
    assert db.session.scalar(select(Case.id)) is None


def test_same_listing_or_seller_is_recognised(inspector):
    first = factories.case(
        inspector,
        "ecommerce",
        listing_url="https://www.Shopee.vn/den-led-i.1.2/?utm_source=zalo#top",
        seller_name="Đèn LED Giá Rẻ",
    )
    same_url = case_service.earlier_checks(
        listing_url="https://shopee.vn/den-led-i.1.2",
        platform="shopee",
        seller_platform_id=None,
        seller_name=None,
    )
    assert same_url == [first]
    same_seller = case_service.earlier_checks(
        listing_url="https://shopee.vn/other",
        platform="shopee",
        seller_platform_id=None,
        seller_name="den led gia re",
    )
    assert same_seller == [first]
    assert (
        case_service.earlier_checks(
            listing_url="https://lazada.vn/x", platform="lazada", seller_platform_id=None, seller_name="Khác"
        )
        == []
    )
    assert (
        normalise_url("https://m.tiktok.com/@shop/video/1?fbclid=abc&b=2&a=1")
        == "tiktok.com/@shop/video/1?a=1&b=2"
    )


def test_search_ignores_diacritics_and_filters_combine(inspector):
    rg = factories.establishment(name="Doanh nghiệp Rạch Giá Xanh", tax_code="0100109106")
    a = factories.case(inspector, "inspection", establishment_id=rg.id, product="Xăng E5 RON 92")
    b = factories.case(inspector, "inspection", fields=["gold"], commune_code="30307")
    c = factories.case(inspector, "ecommerce", product="Son môi", commune_code="30307")

    def ids(**kw):
        return [x.id for x in db.session.scalars(case_list_query(CaseFilters(**kw), user=inspector))]

    assert ids(q="rach gia") == [a.id]
    assert ids(q="RẠCH GIÁ xang") == [a.id]
    assert ids(q="0100109106") == [a.id]
    assert ids(q="son moi") == [c.id]
    assert set(ids(kind="inspection")) == {a.id, b.id}
    assert ids(field="gold") == [b.id]
    assert set(ids(commune_code="30307")) == {b.id, c.id}
    assert ids(q="100%_") == []  # LIKE wildcards are taken literally
    assert set(ids(inspector_id=inspector.id)) == {a.id, b.id, c.id}


def test_liaison_list_is_limited_to_their_communes(inspector):
    factories.case(inspector, "inspection", commune_code="30307")
    factories.case(inspector, "inspection", commune_code="30742")
    liaison, _ = accounts.create_user(
        username="daumoi2", full_name="Đ", role="liaison", commune_codes=["30307"]
    )
    rows = db.session.scalars(case_list_query(CaseFilters(), user=liaison)).all()
    assert [r.commune_code for r in rows] == ["30307"]
