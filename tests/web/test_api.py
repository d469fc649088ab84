"""JSON endpoints for the forms: the communes and the commune suggestion.

Messages are worded through the translation catalog, so the tests check status codes and the shape
of the JSON, not the wording.
"""

from __future__ import annotations

import pytest

SUGGEST = "/api/v1/communes/suggest"


@pytest.fixture
def signed_in(client, make_user, login):
    login(make_user("thanhtra_api"))
    return client


def _assert_error(resp, status: int) -> None:
    assert resp.status_code == status
    assert resp.is_json
    body = resp.get_json()
    assert set(body) == {"error", "status"}
    assert body["status"] == status
    assert isinstance(body["error"], str) and body["error"]


@pytest.mark.parametrize(
    "url", ["/api/v1/communes", f"{SUGGEST}?address=Phường Long Xuyên, An Giang", f"{SUGGEST}?lat=10&lon=105"]
)
def test_anonymous_caller_gets_401_json(client, url):
    _assert_error(client.get(url), 401)


def test_communes_list(signed_in):
    resp = signed_in.get("/api/v1/communes")
    assert resp.status_code == 200
    communes = resp.get_json()["communes"]
    assert len(communes) == 102
    assert {"code", "name", "type", "lat", "lon"} <= set(communes[0])
    by_code = {c["code"]: c for c in communes}
    assert by_code["30307"]["name"] == "Phường Long Xuyên"
    assert by_code["31105"]["type"] == "dac_khu"
    assert all(isinstance(c["lat"], float) and isinstance(c["lon"], float) for c in communes)


def test_suggest_from_an_old_address(signed_in):
    resp = signed_in.get(SUGGEST, query_string={"address": "Phường Mỹ Bình, TP Long Xuyên, An Giang"})
    assert resp.status_code == 200
    assert resp.get_json() == {
        "source": "address",
        "format": "legacy",
        "commune": {"code": "30307", "name": "Phường Long Xuyên"},
        "former_ward": {"code": "30280", "name": "Phường Mỹ Bình"},
        "former_district": {"code": "883", "name": "Thành phố Long Xuyên"},
        "street": None,
        "candidates": [],
        "split": False,
    }


def test_suggest_from_a_2025_address_without_diacritics(signed_in):
    resp = signed_in.get(SUGGEST, query_string={"address": "12 Nguyen Trung Truc, phuong Rach Gia, An Giang"})
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["format"] == "2025"
    assert data["commune"] == {"code": "30742", "name": "Phường Rạch Giá"}
    assert data["former_ward"] is None and data["street"] == "12 Nguyen Trung Truc"


def test_suggest_for_a_split_former_commune(signed_in):
    resp = signed_in.get(
        SUGGEST, query_string={"address": "5 Tôn Đức Thắng, Xã Vĩnh Châu, TP Châu Đốc, An Giang"}
    )
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["split"] is True
    assert data["commune"]["code"] == "30316"
    assert [c["code"] for c in data["candidates"]] == ["30316", "30325"]


def test_suggest_from_coordinates(signed_in):
    resp = signed_in.get(SUGGEST, query_string={"lat": "10.3661", "lon": "105.423"})
    assert resp.status_code == 200
    data = resp.get_json()
    assert set(data) == {"source", "commune", "distance_km", "alternatives"}
    assert data["source"] == "gps"
    assert data["commune"] == {"code": "30307", "name": "Phường Long Xuyên"}
    assert data["distance_km"] == pytest.approx(0, abs=0.01)
    assert len(data["alternatives"]) == 2
    assert all(set(a) == {"code", "name", "distance_km"} for a in data["alternatives"])


def test_coordinates_accept_a_decimal_comma(signed_in):
    resp = signed_in.get(SUGGEST, query_string={"lat": "10,0125", "lon": "105,0808"})
    assert resp.status_code == 200
    assert resp.get_json()["commune"]["code"] == "30742"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"address": "   "},
        {"lat": "10.3"},
        {"lon": "105.4"},
        {"lat": "", "lon": ""},
        {"lat": "abc", "lon": "105.4"},
        {"lat": "nan", "lon": "105.4"},
        {"lat": "10.3", "lon": "inf"},
        {"lat": "-inf", "lon": "105.4"},
        {"lat": "1e999", "lon": "105.4"},
        {"lat": "95", "lon": "105.4"},
        {"lat": "10.3", "lon": "-181"},
        {"address": "Phường Long Xuyên, An Giang", "lat": "10.3", "lon": "105.4"},
        {"address": "Phường Long Xuyên, An Giang", "lat": "10.3"},
        {"address": "Khóm Bình Khánh, " * 30 + "Phường Long Xuyên, An Giang"},
    ],
)
def test_bad_requests_get_400_json(signed_in, params):
    _assert_error(signed_in.get(SUGGEST, query_string=params), 400)


@pytest.mark.parametrize(
    "params",
    [
        {"address": "1 Phố Huế, Hai Bà Trưng, Hà Nội"},
        {"address": "Phường Cái Khế, Ninh Kiều, Cần Thơ"},
        {"address": "xyz qwerty"},
        {"lat": "21.03", "lon": "105.85"},  # Hà Nội
        {"lat": "10.0452", "lon": "105.7469"},  # Cần Thơ
    ],
)
def test_unrecognised_address_or_point_outside_gets_404_json(signed_in, params):
    _assert_error(signed_in.get(SUGGEST, query_string=params), 404)


def test_address_of_500_characters_is_accepted(signed_in):
    address = "Phường Mỹ Bình, TP Long Xuyên, An Giang"
    address = "x" * (500 - len(address) - 2) + ", " + address
    assert len(address) == 500
    resp = signed_in.get(SUGGEST, query_string={"address": address})
    assert resp.status_code == 200
    assert resp.get_json()["commune"]["code"] == "30307"


def test_no_geocoder_is_built_by_default(app):
    from inspect_app.geocoding import configured_geocoder

    with app.test_request_context():
        assert app.config["GEOCODER"] == ""
        assert configured_geocoder() is None


def test_geocoder_is_built_when_configured(app):
    from geopy.geocoders import Nominatim

    from inspect_app.geocoding import configured_geocoder

    with app.test_request_context():
        app.config["GEOCODER"] = "nominatim"
        try:
            assert isinstance(configured_geocoder(), Nominatim)  # built, not called: no network here
        finally:
            app.config["GEOCODER"] = ""
