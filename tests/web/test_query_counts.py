"""The number of SQL queries of the main pages is pinned: an N+1 (one query per row shown) fails here.

The counts must not grow with the page size nor with the amount of data; the data come from the demo
data generator. Speed itself is measured by ``make bench``, never in tests.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from cases.db import db
from cases.demo import generator as demo_data
from cases.enums import Role
from cases.models import Case, Finding
from tests.sql_statements import recorded_statements

TODAY = dt.date(2026, 11, 28)

#: Queries per page, signed in as a manager. Raise one only for a new query that does not repeat per row.
#: Each page also loads the signed-in user (1) and the navigation's badge counts (1).
EXPECTED = {
    # the communes and former districts of the filters come from the per-process reference cache
    "case list": 6,
    "case list, filtered": 6,
    "search": 6,
    # each case page: + its official documents (issue 17)
    "case page": 15,  # an inspection: its team, fields, four kinds of item, findings, evidence, timeline
    "case page, e-commerce": 12,  # no team, instruments, lots or samples; its earlier checks of the seller
    "case page, survey": 13,  # no team (and in these data no finding, whose totals are one query)
    "review queue": 6,
    "establishment page": 5,
}


def _urls() -> dict[str, str]:
    """One URL per page, for the case of each kind with the most findings, the busiest establishment
    and commune of the data."""
    case_id = db.session.scalar(
        select(Case.id)
        .join(Finding, Finding.case_id == Case.id)
        .where(Case.kind == "inspection")
        .group_by(Case.id)
        .order_by(func.count().desc(), Case.id)
        .limit(1)
    )
    other_kinds = {
        kind: db.session.scalar(
            select(Case.id)
            .outerjoin(Finding, Finding.case_id == Case.id)
            .where(Case.kind == kind)
            .group_by(Case.id)
            .order_by(func.count().desc(), Case.id)
            .limit(1)
        )
        for kind in ("ecommerce", "survey")
    }
    establishment_id, commune_code = db.session.execute(
        select(Case.establishment_id, Case.commune_code)
        .where(Case.establishment_id.is_not(None))
        .group_by(Case.establishment_id, Case.commune_code)
        .order_by(func.count().desc(), Case.establishment_id)
        .limit(1)
    ).one()
    return {
        "case list": "/cases/",
        "case list, filtered": f"/cases/?kind=inspection&status=closed&commune_code={commune_code}",
        "search": "/cases/?q=cong+ty",
        "case page": f"/cases/{case_id}",
        "case page, e-commerce": f"/cases/{other_kinds['ecommerce']}",
        "case page, survey": f"/cases/{other_kinds['survey']}",
        "review queue": "/review/",
        "establishment page": f"/establishments/{establishment_id}",
    }


def _counts(app, client) -> dict[str, int]:
    with app.app_context():
        urls = _urls()
    out = {}
    for name, url in urls.items():
        client.get(url)  # caches warmed (translations, reference lists), as on a running server
        with app.app_context(), recorded_statements() as statements:
            response = client.get(url)
            assert response.status_code == 200, (name, url, response.status_code)
        out[name] = len(statements)
    return out


@pytest.fixture
def demo_client(app, client):
    with app.app_context():
        demo_data.generate(cases=150, seed=11, today=TODAY)
        db.session.commit()
    response = client.post(
        "/login", data={"username": "lanhdao1", "password": demo_data.DEMO_PASSWORDS[Role.MANAGER]}
    )
    assert response.status_code == 302
    return client


def test_main_pages_run_a_fixed_number_of_queries(app, demo_client):
    assert _counts(app, demo_client) == EXPECTED


def test_query_counts_do_not_grow_with_page_size_or_data(app, demo_client):
    small_pages = dict(app.config)
    app.config["PAGE_SIZE"] = 5
    try:
        with_five = _counts(app, demo_client)
    finally:
        app.config["PAGE_SIZE"] = small_pages["PAGE_SIZE"]
    app.config["PAGE_SIZE"] = 100
    try:
        with_hundred = _counts(app, demo_client)
    finally:
        app.config["PAGE_SIZE"] = small_pages["PAGE_SIZE"]
    assert with_five == with_hundred == EXPECTED

    with app.app_context():
        demo_data.generate(cases=300, seed=12, today=TODAY, append=True)
        db.session.commit()
    assert _counts(app, demo_client) == EXPECTED
