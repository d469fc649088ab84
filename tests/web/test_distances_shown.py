"""Distances and other decimals on the pages are written the house way, "0,43 km" (issue 14, item 15)."""

from __future__ import annotations

import datetime as dt
import re

from cases.db import db
from cases.geography import places as geography
from cases.models import User
from forms.numbers import format_number_input
from tests import factories

RACH_GIA = (10.0123, 105.0912)  # a GPS point in Phường Rạch Giá, far from Phường Long Xuyên


def test_the_location_warning_on_the_case_page_has_a_decimal_comma(app, client, make_user, login):
    user = make_user("kt-kc", "inspector")
    login(user)
    with app.app_context():
        case = factories.case(
            db.session.get(User, user.id),
            "inspection",
            commune_code="30307",
            latitude=RACH_GIA[0],
            longitude=RACH_GIA[1],
            opened_on=dt.date(2026, 3, 10),
        )
        db.session.commit()
        case_id = case.id
        warning = geography.check_commune_plausibility("30307", *RACH_GIA)
        assert warning is not None and warning.distance_km != int(warning.distance_km)
        expected = format_number_input(warning.distance_km, "vi")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    shown = re.search(r'data-testid="plausibility-warning">[^<]*?GPS ([\d.,]+) km', page)
    assert shown and shown.group(1) == expected and "," in expected


def test_the_same_warning_in_english_has_a_decimal_point(app, client, make_user, login):
    user = make_user("kt-kc-en", "inspector")
    login(user)
    client.post("/language/en", data={"next": "/"})
    with app.app_context():
        case = factories.case(
            db.session.get(User, user.id),
            "inspection",
            commune_code="30307",
            latitude=RACH_GIA[0],
            longitude=RACH_GIA[1],
        )
        db.session.commit()
        case_id = case.id
        expected = format_number_input(
            geography.check_commune_plausibility("30307", *RACH_GIA).distance_km, "en"
        )
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f"is {expected} km from the GPS point" in page and "." in expected
