"""Numbers are read the way the user's language writes them (issue 14, item 2).

In Vietnamese "." groups the thousands and "," is the decimal mark: ``1.000`` is one thousand and ``12,5`` is
twelve and a half. English writes them the other way round. An entry the language would not write is
refused beside its field with the way to write it, never guessed; the value is written back the same way.
"""

from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import select

from cases.db import db
from cases.models import Activity, GoodsItem, InstrumentCheck, PrepackagedLot, Sample
from tests.case_items_support import make_case


@pytest.fixture
def author(make_user, login):
    user = make_user("thanhtra_so", full_name="Trần Thanh Tra")
    login(user)
    return user


def _case(app, author_id: int, kind: str = "inspection", **kwargs) -> int:
    with app.app_context():
        case = make_case(author_id, kind, **kwargs)
        db.session.commit()
        return case.id


def _rows(app, model, case_id: int) -> list:
    with app.app_context():
        rows = list(db.session.scalars(select(model).where(model.case_id == case_id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def _english(client) -> None:
    client.post("/language/en", data={"next": "/"})


def _field_error(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error">(.*?)</div>', page, re.S)
    assert found, f"no error beside {field}"
    return html_lib.unescape(found.group(1))


LOT = {
    "product": "Đường cát trắng túi 1 kg",
    "unit": "g",
    "sample_size": "50",
    "count_short_over_t": "0",
    "count_short_over_2t": "0",
}


# --- Vietnamese ---------------------------------------------------------------------------------------


def test_a_quantity_of_one_thousand_two_hundred_and_fifty_litres(app, client, author):
    case_id = _case(app, author.id, fields=("fuel",))
    data = {"name": "Xăng RON 95", "quantity": "1.250", "unit": "lít", "result": "pass"}
    assert client.post(f"/cases/{case_id}/goods/new", data=data).status_code == 302
    (goods,) = _rows(app, GoodsItem, case_id)
    assert goods.quantity == 1250


def test_a_lot_of_one_thousand_grams_is_judged_against_one_thousand_grams(app, client, author):
    """The report: Qn "1.000" g and a mean of 996 g was saved as Qn 1 g, T = 0,1 g, and judged Đạt."""
    case_id = _case(app, author.id, fields=("prepackaged",))
    data = {**LOT, "nominal_quantity": "1.000", "mean_measured": "996"}
    assert client.post(f"/cases/{case_id}/lots/new", data=data).status_code == 302
    (lot,) = _rows(app, PrepackagedLot, case_id)
    assert lot.nominal_quantity == 1000 and lot.mean_measured == 996
    assert lot.result == "fail"  # the mean is below Qn
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Qn 1.000 g" in page and "T = 15 g" in page


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1.250,5", 1250.5), ("12,5", 12.5), ("-0,25", -0.25), ("1.000.000", 1_000_000), ("996", 996)],
)
def test_vietnamese_numbers_are_read_as_written(app, client, author, typed, stored):
    case_id = _case(app, author.id)
    data = {"name": "Mẫu xăng", "nominal_value": typed, "measured_value": "0", "result": "pending"}
    assert client.post(f"/cases/{case_id}/samples/new", data=data).status_code == 302
    (sample,) = _rows(app, Sample, case_id)
    assert sample.nominal_value == pytest.approx(stored)


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("1.25", "“1,25”"),  # a dot not followed by a group of three
        ("1.2.3", "“123”"),
        ("1,250.5", "“1.250,5”"),  # English marks, in the wrong order for Vietnamese
        ("12,5.3", None),
        ("1 000", None),
        ("1e3", None),
        ("mười", None),
    ],
)
def test_an_entry_vietnamese_would_not_write_is_refused_not_guessed(app, client, author, typed, suggestion):
    case_id = _case(app, author.id, fields=("label",))
    data = {"name": "Nước mắm", "quantity": typed, "unit": "chai", "result": "pass"}
    resp = client.post(f"/cases/{case_id}/goods/new", data=data)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    message = _field_error(page, "quantity")
    assert "Hãy viết số như 1.250 hoặc 12,5" in message  # how to write it, with the language's marks
    if suggestion:
        assert suggestion in message
    assert f'value="{html_lib.escape(typed)}"' in page  # what was typed is kept
    assert _rows(app, GoodsItem, case_id) == []


def test_whole_numbers_are_read_with_their_thousands(app, client, author):
    case_id = _case(app, author.id, fields=("prepackaged",))
    data = {**LOT, "unit": "kg", "nominal_quantity": "1", "mean_measured": "1,002", "sample_size": "1.000"}
    assert client.post(f"/cases/{case_id}/lots/new", data=data).status_code == 302
    (lot,) = _rows(app, PrepackagedLot, case_id)
    assert lot.sample_size == 1000 and lot.mean_measured == pytest.approx(1.002)


def test_a_whole_number_with_decimals_is_refused(app, client, author):
    case_id = _case(app, author.id, fields=("prepackaged",))
    data = {**LOT, "nominal_quantity": "500", "mean_measured": "501", "sample_size": "12,5"}
    resp = client.post(f"/cases/{case_id}/lots/new", data=data)
    assert resp.status_code == 400
    assert "Hãy nhập một số nguyên, ví dụ 1.000." in _field_error(resp.get_data(as_text=True), "sample_size")


def test_numbers_are_shown_back_in_the_form_as_vietnamese_writes_them(app, client, author):
    case_id = _case(app, author.id)
    data = {
        "instrument_type": "fuel_pump",
        "measured_error": "-1.250,5",
        "error_limit": "2.000",
        "error_unit": "mL",
    }
    assert client.post(f"/cases/{case_id}/instruments/new", data=data).status_code == 302
    (item,) = _rows(app, InstrumentCheck, case_id)
    assert (item.measured_error, item.error_limit) == (-1250.5, 2000)
    page = client.get(f"/cases/{case_id}/instruments/{item.id}/edit").get_data(as_text=True)
    assert 'value="-1.250,5"' in page and 'value="2.000"' in page
    # saving the form as shown changes nothing
    data = {**data, "measured_error": "-1.250,5", "error_limit": "2.000"}
    assert client.post(f"/cases/{case_id}/instruments/{item.id}/edit", data=data).status_code == 302
    (item,) = _rows(app, InstrumentCheck, case_id)
    assert (item.measured_error, item.error_limit) == (-1250.5, 2000)
    case_page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "-1.250,5 / ± 2.000 mL" in case_page


def test_activity_participants_in_thousands(app, client, make_user, login):
    login(make_user("lanhdao_hd", "manager"))
    data = {
        "task_code": "1.2",
        "activity_type": "conference",
        "title": "Hội nghị phổ biến pháp luật về đo lường",
        "held_on": "10/03/2026",
        "quantity": "1",
        "participants": "1.200",
    }
    assert client.post("/activities/new", data=data).status_code == 302
    with app.app_context():
        (activity,) = db.session.scalars(select(Activity)).all()
        assert activity.participants == 1200


# --- English ------------------------------------------------------------------------------------------


def test_english_numbers_are_read_the_english_way(app, client, author):
    _english(client)
    case_id = _case(app, author.id, fields=("fuel",))
    data = {"name": "Petrol", "quantity": "1,250.5", "unit": "L", "result": "pass"}
    assert client.post(f"/cases/{case_id}/goods/new", data=data).status_code == 302
    (goods,) = _rows(app, GoodsItem, case_id)
    assert goods.quantity == 1250.5
    page = client.get(f"/cases/{case_id}/goods/{goods.id}/edit").get_data(as_text=True)
    assert 'value="1,250.5"' in page


def test_a_vietnamese_decimal_comma_is_refused_in_english(app, client, author):
    _english(client)
    case_id = _case(app, author.id, fields=("fuel",))
    data = {"name": "Petrol", "quantity": "12,5", "unit": "L", "result": "pass"}
    resp = client.post(f"/cases/{case_id}/goods/new", data=data)
    assert resp.status_code == 400
    message = _field_error(resp.get_data(as_text=True), "quantity")
    assert "“12.5”" in message and "Write it as 1,250 or 12.5" in message


# --- a mean far from Qn is confirmed before it is saved ------------------------------------------------


def test_a_mean_far_from_qn_is_saved_only_once_confirmed(app, client, author):
    case_id = _case(app, author.id, fields=("prepackaged",))
    data = {**LOT, "unit": "kg", "nominal_quantity": "1", "mean_measured": "996"}  # grams typed for kg
    resp = client.post(f"/cases/{case_id}/lots/new", data=data)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    warning = page[page.index('data-testid="far-mean-warning"') :]
    assert "996 kg" in warning and "1 kg" in warning
    assert 'name="confirm_far_mean"' in warning
    assert 'value="996"' in page  # kept
    assert _rows(app, PrepackagedLot, case_id) == []

    resp = client.post(f"/cases/{case_id}/lots/new", data={**data, "confirm_far_mean": "y"})
    assert resp.status_code == 302
    (lot,) = _rows(app, PrepackagedLot, case_id)
    assert (lot.nominal_quantity, lot.mean_measured) == (1, 996)


def test_a_mean_less_than_a_tenth_of_qn_is_warned_about_too(app, client, author):
    case_id = _case(app, author.id, fields=("prepackaged",))
    data = {**LOT, "nominal_quantity": "500", "mean_measured": "0,5"}
    resp = client.post(f"/cases/{case_id}/lots/new", data=data)
    assert resp.status_code == 400 and 'data-testid="far-mean-warning"' in resp.get_data(as_text=True)
    assert _rows(app, PrepackagedLot, case_id) == []


def test_a_plausible_mean_needs_no_confirmation(app, client, author):
    case_id = _case(app, author.id, fields=("prepackaged",))
    resp = client.post(
        f"/cases/{case_id}/lots/new", data={**LOT, "nominal_quantity": "500", "mean_measured": "498"}
    )
    assert resp.status_code == 302
    assert "far-mean-warning" not in client.get(f"/cases/{case_id}/lots/new").get_data(as_text=True)


def test_editing_a_confirmed_lot_without_changing_its_numbers_asks_nothing_again(app, client, author):
    case_id = _case(app, author.id, fields=("prepackaged",))
    data = {**LOT, "unit": "kg", "nominal_quantity": "1", "mean_measured": "996", "confirm_far_mean": "y"}
    assert client.post(f"/cases/{case_id}/lots/new", data=data).status_code == 302
    (lot,) = _rows(app, PrepackagedLot, case_id)
    data.pop("confirm_far_mean")
    edited = {**data, "notes": "Cân lại tại chỗ."}
    assert client.post(f"/cases/{case_id}/lots/{lot.id}/edit", data=edited).status_code == 302
    changed = {**data, "mean_measured": "995"}
    assert client.post(f"/cases/{case_id}/lots/{lot.id}/edit", data=changed).status_code == 400


# --- coordinates stay decimal degrees -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "ok"), [("10.3661", True), ("10,3661", True), ("1.036,61", False), ("1e1", False)]
)
def test_coordinates_read_a_decimal_point_or_comma_and_never_grouping(app, client, author, typed, ok):
    resp = client.get("/api/v1/communes/suggest", query_string={"lat": typed, "lon": "105.4237"})
    assert (resp.status_code == 200) is ok
