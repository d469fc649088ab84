"""Geography service: commune suggestions from addresses (old and 2025 formats) and GPS points.

Expected codes come from the package's data through our mapping table (cases/geography/reference.py), and the
names were checked against it: e.g. the former Phường Mỹ Bình (30280) of TP Long Xuyên is part of
today's Phường Long Xuyên (30307). Every test runs under the socket guard of tests/conftest.py, so a
network call (the package geocodes split communes through ArcGIS in ``convert_address``) fails it.
"""

from __future__ import annotations

import json
import math

import pytest
from geopy.exc import GeocoderUnavailable
from geopy.location import Location
from sqlalchemy import select

from cases.db import db
from cases.errors import ValidationFailed
from cases.geography import places as geography
from cases.geography.places import FORMAT_2025, FORMAT_LEGACY, UnitRef
from cases.models import Commune, FormerWard

LONG_XUYEN = ("30307", "Phường Long Xuyên")
RACH_GIA = ("30742", "Phường Rạch Giá")
LONG_XUYEN_CENTROID = (10.3661, 105.423)

# --- addresses ----------------------------------------------------------------------------------------

# (address, expected commune (code, name), expected former ward code)
LEGACY_ADDRESSES = [
    ("123 Trần Hưng Đạo, Phường Mỹ Bình, TP Long Xuyên, An Giang", LONG_XUYEN, "30280"),
    ("phuong my binh, tp long xuyen, an giang", LONG_XUYEN, "30280"),
    ("P. Mỹ Bình, TP. Long Xuyên, An Giang", LONG_XUYEN, "30280"),
    ("Phường Mỹ Bình, Long Xuyên", LONG_XUYEN, "30280"),  # no province: the district is unique
    ("Phường Châu Phú A, TP Châu Đốc, An Giang", ("30316", "Phường Châu Đốc"), "30319"),
    ("Phuong Chau Phu A, Chau Doc, An Giang", ("30316", "Phường Châu Đốc"), "30319"),
    ("Phường Long Thạnh, Tx Tân Châu, An Giang", ("30376", "Phường Tân Châu"), "30376"),
    # a former township under its old district type: the town of Tịnh Biên was a huyện until 2023
    ("Thị trấn Nhà Bàng, H. Tịnh Biên, An Giang", ("30502", "Phường Thới Sơn"), "30502"),
    ("Thị trấn Óc Eo, huyện Thoại Sơn, An Giang", ("30688", "Xã Óc Eo"), "30688"),
    ("Xã Vĩnh Hòa Hiệp, huyện Châu Thành, tỉnh Kiên Giang", ("30898", "Xã Bình An"), "30892"),
    ("Phường Vĩnh Thanh, Rạch Giá, Kiên Giang", RACH_GIA, "30733"),
    ("Số 5 đường 3/2, Phường Vĩnh Lạc, TP Rạch Giá, tỉnh Kiên Giang", RACH_GIA, "30745"),
    ("Phường Đông Hồ, TP Hà Tiên, Kiên Giang", ("30769", "Phường Hà Tiên"), "30769"),
    ("Phường Tô Châu, Thành phố Hà Tiên, Tỉnh Kiên Giang", ("30766", "Phường Tô Châu"), "30766"),
    ("Thị trấn Dương Đông, huyện Phú Quốc, Kiên Giang", ("31078", "Đặc khu Phú Quốc"), "31078"),
    ("Xã Hòn Tre, huyện Kiên Hải, Kiên Giang", ("31108", "Đặc khu Kiên Hải"), "31108"),
    ("Xã An Sơn, H. Kiên Hải, tỉnh Kiên Giang", ("31108", "Đặc khu Kiên Hải"), "31114"),
    ("Xa Vinh Dieu, huyen Giang Thanh, Kien Giang", ("30793", "Xã Vĩnh Điều"), "30793"),
    # a former Kiên Giang address written with today's province name
    ("Xã Vĩnh Điều, huyện Giang Thành, An Giang", ("30793", "Xã Vĩnh Điều"), "30793"),
    ("Phường Vĩnh Thanh, TP Rạch Giá, An Giang", RACH_GIA, "30733"),
    # no province: "huyện Châu Thành" existed in both former provinces; only Kiên Giang's had this ward
    ("Xã Vĩnh Hòa Hiệp, huyện Châu Thành", ("30898", "Xã Bình An"), "30892"),
]

MODERN_ADDRESSES = [
    ("Phường Long Xuyên, An Giang", LONG_XUYEN),
    ("phuong long xuyen, tinh an giang", LONG_XUYEN),
    ("45 Nguyễn Trung Trực, Phường Rạch Giá, An Giang", RACH_GIA),
    ("45 Nguyen Trung Truc, phuong Rach Gia, tinh An Giang", RACH_GIA),
    ("Xã Thổ Châu, tỉnh An Giang", ("31105", "Đặc khu Thổ Châu")),  # the type as it was before
    ("Đặc khu Phú Quốc, An Giang", ("31078", "Đặc khu Phú Quốc")),
    ("Đặc khu Kiên Hải, An Giang", ("31108", "Đặc khu Kiên Hải")),
    ("Phường Hà Tiên, An Giang", ("30769", "Phường Hà Tiên")),
    ("Xã Giang Thành, An Giang", ("30796", "Xã Giang Thành")),
    ("Phường Châu Đốc, An Giang", ("30316", "Phường Châu Đốc")),
    ("Phường Tân Châu, An Giang", ("30376", "Phường Tân Châu")),
    ("Phường Tịnh Biên, An Giang", ("30520", "Phường Tịnh Biên")),
    ("Xa Oc Eo, An Giang", ("30688", "Xã Óc Eo")),
    ("Xã Mỹ Hòa Hưng, An Giang", ("30313", "Xã Mỹ Hòa Hưng")),
    ("Xã Vĩnh Điều, An Giang", ("30793", "Xã Vĩnh Điều")),
    ("Đặc khu Phú Quốc", ("31078", "Đặc khu Phú Quốc")),  # no province
    ("Xã Thạnh Lộc, Kiên Giang", ("30886", "Xã Thạnh Lộc")),  # today's name, the former province
]


@pytest.mark.parametrize(("address", "commune", "former_ward"), LEGACY_ADDRESSES)
def test_old_format_addresses_map_to_todays_commune(app_ctx, address, commune, former_ward):
    suggestion = geography.suggest_from_address(address)
    assert suggestion is not None
    assert suggestion.address_format == FORMAT_LEGACY
    assert suggestion.commune == UnitRef(*commune)
    assert suggestion.former_ward is not None and suggestion.former_ward.code == former_ward
    assert suggestion.former_district is not None
    assert geography.former_district_of_ward(former_ward) == suggestion.former_district.as_dict()
    assert not suggestion.is_split and suggestion.candidates == ()


@pytest.mark.parametrize(
    "address",
    [
        *(a for a, _, _ in LEGACY_ADDRESSES),
        *(a for a, _ in MODERN_ADDRESSES),
        "Thị trấn Nhà Bàng, H. Tịnh Biên, An Giang",
        "12 Lê Lợi, Xã Vĩnh Châu, TP Châu Đốc, An Giang",
        "Xã Phước Hưng, H. An Phú, An Giang",
        "Xã Tân Thành, Huyện Tân Hiệp, Tỉnh Kiên Giang",
        "Số 23 Quốc lộ 91, Xã Ba Chúc, Tỉnh An Giang",
        "Phường Ninh Kiều, Cần Thơ",
        "asdkjh qwe",
        "",
    ],
)
def test_the_old_format_reading_alone_gives_what_the_full_suggestion_gives_in_the_old_format(
    app_ctx, address
):
    # the import asks only for the former ward when the commune is given; the answer must be the same
    full = geography.suggest_from_address(address)
    expected = full if full is not None and full.address_format == FORMAT_LEGACY else None
    assert geography.suggest_old_format_from_address(address) == expected


@pytest.mark.parametrize(("address", "commune"), MODERN_ADDRESSES)
def test_2025_addresses_name_todays_commune(app_ctx, address, commune):
    suggestion = geography.suggest_from_address(address)
    assert suggestion is not None
    assert suggestion.address_format == FORMAT_2025
    assert suggestion.commune == UnitRef(*commune)
    assert suggestion.former_ward is None and suggestion.former_district is None


def test_old_address_is_read_as_old_even_though_the_district_names_a_commune_of_today(app_ctx):
    # Read as a 2025 address, "H. Tịnh Biên" would give Phường Tịnh Biên (30520); the former
    # township of Nhà Bàng actually went into Phường Thới Sơn.
    suggestion = geography.suggest_from_address("Thị trấn Nhà Bàng, H. Tịnh Biên, An Giang")
    assert suggestion is not None and suggestion.commune.code == "30502"
    assert suggestion.former_district == UnitRef("890", "Thị xã Tịnh Biên")


def test_suggestion_as_dict_for_an_old_address(app_ctx):
    suggestion = geography.suggest_from_address("123 Trần Hưng Đạo, Phường Mỹ Bình, TP Long Xuyên, An Giang")
    assert suggestion is not None
    data = suggestion.as_dict()
    assert data == {
        "source": "address",
        "format": "legacy",
        "commune": {"code": "30307", "name": "Phường Long Xuyên"},
        "former_ward": {"code": "30280", "name": "Phường Mỹ Bình"},
        "former_district": {"code": "883", "name": "Thành phố Long Xuyên"},
        "street": "123 Trần Hưng Đạo",
        "candidates": [],
        "split": False,
    }
    assert json.loads(json.dumps(data)) == data


def test_street_is_kept_and_abbreviations_are_not_taken_for_it(app_ctx):
    modern = geography.suggest_from_address("45 Nguyễn Trung Trực, Phường Rạch Giá, An Giang")
    assert modern is not None and modern.street == "45 Nguyễn Trung Trực"
    # the parser leaves "P" of "P. Mỹ Bình" and "Xã" of "Xã Thổ Châu" as if they were streets
    assert geography.suggest_from_address("P. Mỹ Bình, TP. Long Xuyên, An Giang").street is None
    assert geography.suggest_from_address("Xã Thổ Châu, tỉnh An Giang").street is None
    assert geography.suggest_from_address("Phường Long Xuyên, An Giang").street is None


def test_split_former_commune_with_a_street_gives_default_and_candidates_offline(app_ctx):
    # Xã Vĩnh Châu (TP Châu Đốc) was split; with a street, the package's convert_address would
    # geocode over the network. The socket guard makes any such call fail this test.
    suggestion = geography.suggest_from_address("12 Lê Lợi, Xã Vĩnh Châu, TP Châu Đốc, An Giang")
    assert suggestion is not None
    assert suggestion.is_split
    assert suggestion.commune == UnitRef("30316", "Phường Châu Đốc")
    assert suggestion.candidates == (UnitRef("30316", "Phường Châu Đốc"), UnitRef("30325", "Phường Vĩnh Tế"))
    assert suggestion.former_ward == UnitRef("30334", "Xã Vĩnh Châu")
    assert suggestion.street == "12 Lê Lợi"
    data = suggestion.as_dict()
    assert data["split"] is True
    assert [c["code"] for c in data["candidates"]] == ["30316", "30325"]


def test_split_former_commune_in_three(app_ctx):
    suggestion = geography.suggest_from_address("Xã Phước Hưng, H. An Phú, An Giang")
    assert suggestion is not None and suggestion.is_split
    assert [c.code for c in suggestion.candidates] == ["30346", "30337", "30352"]
    assert suggestion.commune == suggestion.candidates[0] == UnitRef("30346", "Xã Nhơn Hội")


@pytest.mark.parametrize(
    "address",
    [
        "1 Phố Huế, Hai Bà Trưng, Hà Nội",
        "Phường Cái Khế, Ninh Kiều, Cần Thơ",
        "Phường Ninh Kiều, Cần Thơ",
        "Phường Ninh Kiều, thành phố Cần Thơ, Việt Nam",
        # Kiên Giang had a huyện Châu Thành with a Xã Bình An: the province named here wins
        "Xã Bình An, huyện Châu Thành, tỉnh Long An",
        "asdkjh qwe",
        "Đường số 7",
        ",,, ...",
        "   ",
        "",
    ],
)
def test_other_provinces_garbage_and_empty_give_nothing(app_ctx, address):
    assert geography.suggest_from_address(address) is None


def test_over_long_address_is_refused(app_ctx):
    address = "Khóm Bình Khánh " * 40 + ", Phường Mỹ Bình, TP Long Xuyên, An Giang"
    assert len(address) > geography.MAX_ADDRESS_LENGTH
    assert geography.suggest_from_address(address) is None


# --- former units --------------------------------------------------------------------------------------


def test_former_district_of_a_former_ward(app_ctx):
    assert geography.former_district_of_ward("30280") == {"code": "883", "name": "Thành phố Long Xuyên"}
    assert geography.former_district_of_ward("31114") == {"code": "912", "name": "Huyện Kiên Hải"}
    assert geography.former_district_of_ward("99999") is None


def test_communes_of_a_former_ward(app_ctx):
    assert geography.communes_of_former_ward("30280") == [("30307", "Phường Long Xuyên", True)]
    assert geography.communes_of_former_ward("30334") == [
        ("30316", "Phường Châu Đốc", True),
        ("30325", "Phường Vĩnh Tế", False),
    ]
    assert geography.communes_of_former_ward("99999") == []


def test_former_units_of_a_commune(app_ctx):
    units = geography.former_units_of_commune("30307")
    assert [u["name"] for u in units] == [
        "Phường Mỹ Bình",
        "Phường Mỹ Long",
        "Phường Mỹ Xuyên",
        "Phường Mỹ Phước",
        "Phường Mỹ Quý",
        "Phường Mỹ Hòa",
    ]
    assert {u["district"]["name"] for u in units} == {"Thành phố Long Xuyên"}
    vinh_te = {u["code"]: u for u in geography.former_units_of_commune("30325")}
    assert vinh_te["30334"] == {
        "code": "30334",
        "name": "Xã Vĩnh Châu",
        "district": {"code": "884", "name": "Thành phố Châu Đốc"},
        "split": True,
        "default": False,
    }
    assert geography.former_units_of_commune("00000") == []


def db_codes(model: type) -> list[str]:
    return list(db.session.scalars(select(model.code)))


def test_every_former_ward_has_one_default_commune(app_ctx):
    codes = db_codes(FormerWard)
    assert len(codes) == 298
    split = {}
    for code in codes:
        communes = geography.communes_of_former_ward(code)
        assert communes, code
        assert [is_default for _, _, is_default in communes].count(True) == 1, code
        assert communes[0][2] is True  # the default first
        if len(communes) > 1:
            split[code] = communes
    assert sorted(split) == ["30334", "30355", "30358"]  # Vĩnh Châu; Phú Hội and Phước Hưng (An Phú)
    communes_formed = {c for code in codes for c, _, _ in geography.communes_of_former_ward(code)}
    assert communes_formed == set(db_codes(Commune))


# --- GPS -----------------------------------------------------------------------------------------------


def test_point_at_a_centroid_gives_that_commune(app_ctx):
    suggestion = geography.suggest_from_point(*LONG_XUYEN_CENTROID)
    assert suggestion.commune == UnitRef(*LONG_XUYEN)
    assert suggestion.distance_km == pytest.approx(0, abs=0.01)
    assert len(suggestion.alternatives) == 2
    assert [a.commune.code for a in suggestion.alternatives] == ["30292", "30301"]  # Bình Đức, Mỹ Thới
    assert (
        suggestion.distance_km
        <= suggestion.alternatives[0].distance_km
        <= suggestion.alternatives[1].distance_km
    )


def test_point_suggestion_as_dict(app_ctx):
    data = geography.suggest_from_point(10.0125, 105.0808).as_dict()  # central Rạch Giá
    assert data["source"] == "gps"
    assert data["commune"] == {"code": "30742", "name": "Phường Rạch Giá"}
    assert data["distance_km"] == round(data["distance_km"], 2) and data["distance_km"] < 1
    assert [set(a) for a in data["alternatives"]] == [{"code", "name", "distance_km"}] * 2
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        (10.0125, 105.0808, "30742"),  # Rạch Giá
        (9.30, 103.48, "31105"),  # Thổ Châu, 100 km offshore
        (9.68, 104.35, "31108"),  # Nam Du islands, 34 km from Kiên Hải's centroid (Hòn Sơn)
        (10.02, 104.01, "31078"),  # An Thới, south of Phú Quốc, 28 km from its centroid
        (10.3861, 105.4352, "30307"),  # central Long Xuyên
    ],
)
def test_points_across_the_province(app_ctx, lat, lon, code):
    assert geography.suggest_from_point(lat, lon).commune.code == code


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(21.03, 105.85), (10.0452, 105.7469), (11.56, 104.92), (0.0, 0.0)],  # Hà Nội, Cần Thơ, Phnom Penh
)
def test_point_outside_the_province_is_refused(app_ctx, lat, lon):
    with pytest.raises(ValidationFailed) as excinfo:
        geography.suggest_from_point(lat, lon)
    assert excinfo.value.code == "outside_province"
    assert excinfo.value.field == "coordinates"


def test_within_province_agrees_with_the_point_suggestion_across_and_around_the_province(app_ctx):
    # a grid from the Gulf of Thailand islands to Cần Thơ and Cambodia, every 0.1°: inside, outside and
    # near the 20 km edge
    disagree = []
    inside = 0
    for i in range(26):
        for j in range(31):
            lat, lon = 9.0 + i * 0.1, 103.3 + j * 0.1
            try:
                geography.suggest_from_point(lat, lon)
                found = True
            except ValidationFailed:
                found = False
            inside += found
            if geography.within_province(lat, lon) != found:
                disagree.append((lat, lon))
    assert disagree == []
    assert 100 < inside < 26 * 31 - 100  # both answers are well represented


@pytest.mark.parametrize(("lat", "lon"), [(math.nan, 105.0), (10.0, math.inf), (95.0, 105.0), (10.0, 181.0)])
def test_invalid_point_is_refused(app_ctx, lat, lon):
    with pytest.raises(ValidationFailed) as excinfo:
        geography.suggest_from_point(lat, lon)
    assert excinfo.value.code == "invalid_coordinates"
    with pytest.raises(ValidationFailed) as excinfo:
        geography.within_province(lat, lon)
    assert excinfo.value.code == "invalid_coordinates"


def test_far_commune_for_the_point_is_flagged(app_ctx):
    warning = geography.check_commune_plausibility(RACH_GIA[0], *LONG_XUYEN_CENTROID)
    assert warning is not None
    assert warning.commune == UnitRef(*RACH_GIA)
    assert warning.nearest == UnitRef(*LONG_XUYEN)
    assert 50 < warning.distance_km < 60
    assert warning.nearest_distance_km == pytest.approx(0, abs=0.01)
    assert warning.as_dict()["nearest"] == {"code": "30307", "name": "Phường Long Xuyên"}


def test_right_or_neighbouring_commune_is_not_flagged(app_ctx):
    assert geography.check_commune_plausibility(LONG_XUYEN[0], *LONG_XUYEN_CENTROID) is None
    # Bình Đức is not the nearest, but it is only 3 km away
    assert geography.check_commune_plausibility("30292", *LONG_XUYEN_CENTROID) is None
    # a looser threshold accepts even Rạch Giá, 54 km away
    assert geography.check_commune_plausibility(RACH_GIA[0], *LONG_XUYEN_CENTROID, max_km=60) is None


def test_large_commune_gets_a_larger_threshold(app_ctx):
    # Xã U Minh Thượng (286 km²) reaches 1.5 × sqrt(286 / π) = 14.3 km, more than the 10 km default
    point_in_vinh_hoa = (9.69581, 105.169)  # 11.9 km from U Minh Thượng's nearest reference point
    assert geography.check_commune_plausibility("31027", *point_in_vinh_hoa) is None
    far = geography.check_commune_plausibility("31027", *LONG_XUYEN_CENTROID)
    assert far is not None and far.threshold_km == pytest.approx(14.32, abs=0.01)
    # Phường Rạch Giá (45.5 km²) reaches 5.7 km only: the default applies
    small = geography.check_commune_plausibility(RACH_GIA[0], *LONG_XUYEN_CENTROID)
    assert small is not None and small.threshold_km == 10.0


def test_plausibility_of_an_unknown_commune(app_ctx):
    with pytest.raises(ValidationFailed) as excinfo:
        geography.check_commune_plausibility("00000", *LONG_XUYEN_CENTROID)
    assert excinfo.value.code == "unknown_commune"


# --- optional geocoder ---------------------------------------------------------------------------------


class FakeGeocoder:
    """Stands in for a geopy geocoder at the network boundary: answers from a fixed table."""

    def __init__(self, answers: dict[str, tuple[float, float] | None], *, fail: bool = False) -> None:
        self.answers = answers
        self.fail = fail
        self.queries: list[str] = []

    def geocode(self, query: str, exactly_one: bool = True) -> Location | None:
        self.queries.append(query)
        if self.fail:
            raise GeocoderUnavailable("service down")
        point = self.answers.get(query)
        return Location(query, point, {}) if point else None


def test_geocode_address_suggests_from_the_point_found(app_ctx):
    geocoder = FakeGeocoder({"Nhà văn hóa, Rạch Giá": (10.0125, 105.0808)})
    suggestion = geography.geocode_address("  Nhà văn hóa,   Rạch Giá ", geocoder)
    assert geocoder.queries == ["Nhà văn hóa, Rạch Giá"]
    assert suggestion is not None and suggestion.commune == UnitRef(*RACH_GIA)


def test_geocode_address_gives_nothing_when_not_found_failed_or_outside(app_ctx):
    geocoder = FakeGeocoder({"Hồ Gươm": (21.03, 105.85)})
    assert geography.geocode_address("Hồ Gươm", geocoder) is None
    assert geography.geocode_address("nowhere", geocoder) is None
    assert geography.geocode_address("", geocoder) is None
    assert geocoder.queries == ["Hồ Gươm", "nowhere"]
    assert geography.geocode_address("Rạch Giá", FakeGeocoder({}, fail=True)) is None


def test_reference_lists_are_read_again_after_the_reference_data_are_loaded(app_ctx):
    """The communes (and former wards and districts) of the lists and forms are kept per process; loading
    the reference data again (``flask reference load``) must drop them, or a renamed commune would keep
    its old name in every form until a restart."""
    from cases.geography import reference

    commune = db.session.scalars(select(Commune).order_by(Commune.code)).first()
    official = commune.name
    commune.name = "Xã Thử Nghiệm"
    db.session.flush()
    reference.forget_reference_points()
    assert (commune.code, "Xã Thử Nghiệm") in geography.commune_choices()  # read, and now kept

    reference.load_admin_units()  # the official name written back
    db.session.flush()
    assert (commune.code, official) in geography.commune_choices()
    assert all(name != "Xã Thử Nghiệm" for _, name in geography.commune_choices())
    reference.forget_reference_points()
