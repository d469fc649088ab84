"""The JSON endpoints with random query strings: an answer in JSON, never a 500."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import TEST_PASSWORD

#: Every JSON endpoint (the API blueprint and the establishment picker); a new one must be added here.
JSON_ENDPOINTS = {
    "api.communes": "/api/v1/communes",
    "api.suggest_commune": "/api/v1/communes/suggest",
    "api.check_commune": "/api/v1/communes/check",
    "api.earlier_ecommerce_checks": "/api/v1/ecommerce/earlier",
    "api.violations": "/api/v1/violations",
    "establishments.suggest": "/establishments/suggest",
}
NAMES = [
    "q",
    "address",
    "lat",
    "lon",
    "code",
    "url",
    "platform",
    "seller",
    "seller_id",
    "exclude",
    "field",
    "limit",
    "page",
]
values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "nan",
            "inf",
            "-inf",
            "1e309",
            "-0",
            "10,38",
            "105.43",
            "30742",
            "99999",
            "0",
            "-1",
            "999999999999999999999",
            "shopee",
            "fuel",
            "' OR 1=1 --",
            "%00",
            "\x00",
        ]
    ),
    st.integers(-(10**20), 10**20).map(str),
    st.integers(1, 5000).map(lambda n: "x" * n),
)
params = st.dictionaries(
    st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=8)), values, max_size=5
)


@pytest.fixture
def signed_in(app, client, make_user):
    make_user("thanhtra.fuzz", "inspector")
    assert (
        client.post("/login", data={"username": "thanhtra.fuzz", "password": TEST_PASSWORD}).status_code
        == 302
    )
    return client


def test_the_list_covers_every_json_endpoint(app):
    api = {rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    assert api <= set(JSON_ENDPOINTS), f"add to JSON_ENDPOINTS: {sorted(api - set(JSON_ENDPOINTS))}"


@pytest.mark.parametrize("endpoint", sorted(JSON_ENDPOINTS))
@given(query=params)
def test_random_query_strings_never_give_a_500(signed_in, endpoint, query):
    resp = signed_in.get(JSON_ENDPOINTS[endpoint], query_string=query)
    assert resp.status_code in {200, 400, 404}, (query, resp.status_code, resp.get_data(as_text=True)[:300])
    assert resp.is_json and isinstance(resp.get_json(), dict)
