"""The smaller findings of issue 15, item 10 (the export's full-width formulas: tests/unit/test_exporter.py;
PDFs with JavaScript: tests/unit/test_evidence_bounds.py).

- A liaison saw the "repeat offender" badge of an establishment computed from cases of communes she does
  not cover: the badge told her of those cases. It is computed from the cases she may see.
- JSON answers carried no ``Cache-Control: no-store``: a shared or back-button cache could keep them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from cases.db import db
from cases.models import Case, Establishment, Finding, Violation

HERE, OTHER = "30307", "30742"  # the liaison's commune; another one


@pytest.fixture
def repeat_elsewhere(app) -> int:
    """An establishment of the liaison's commune with violations confirmed in two cases of another commune."""
    with app.app_context():
        est = Establishment(name="Công ty Tái Phạm Xã Khác", commune_code=HERE)
        db.session.add(est)
        db.session.flush()
        violation = db.session.scalar(select(Violation).order_by(Violation.id).limit(1))
        for n, day in enumerate((dt.date(2025, 5, 20), dt.date(2026, 2, 3)), start=1):
            case = Case(
                number=f"KT-{day.year}-{n:04d}",
                kind="inspection",
                status="approved",
                opened_on=day,
                commune_code=OTHER,
                establishment_id=est.id,
            )
            db.session.add(case)
            db.session.flush()
            db.session.add(
                Finding(
                    case_id=case.id,
                    violation_id=violation.id,
                    offender_type="organisation",
                    status="confirmed",
                )
            )
        db.session.commit()
        return est.id


def test_a_liaison_sees_no_repeat_offender_badge_from_cases_she_may_not_see(
    app, client, make_user, login, repeat_elsewhere
):
    login(make_user("daumoi.taipham", "liaison", communes=(HERE,)))
    page = client.get(f"/establishments/{repeat_elsewhere}").get_data(as_text=True)
    assert 'data-testid="repeat-offender"' not in page
    listing = client.get("/establishments/?q=Tai+Pham").get_data(as_text=True)
    assert "Công ty Tái Phạm Xã Khác" in listing and "Tái phạm" not in listing
    # whoever sees the province's cases still sees it
    client.post("/logout")
    login(make_user("lanhdao.taipham", "manager"))
    assert 'data-testid="repeat-offender"' in client.get(f"/establishments/{repeat_elsewhere}").get_data(
        as_text=True
    )
    assert "Tái phạm" in client.get("/establishments/?q=Tai+Pham").get_data(as_text=True)


JSON_URLS = [
    "/api/v1/communes",
    "/api/v1/communes/suggest?lat=10.38&lon=105.43",
    "/api/v1/violations?q=can",
    "/establishments/suggest?q=Cong+ty",
    "/establishments/suggest?q=" + "x" * 300,  # a JSON error
    "/api/v1/no-such-thing",  # a JSON 404
]


@pytest.mark.parametrize("url", JSON_URLS)
def test_every_json_answer_is_no_store(client, make_user, login, url):
    login(make_user("kiemtra.json", "inspector"))
    resp = client.get(url)
    assert resp.is_json, (url, resp.status_code)
    assert resp.headers["Cache-Control"] == "no-store", url


def test_a_json_answer_to_an_anonymous_client_is_no_store_too(client):
    resp = client.get("/api/v1/communes")
    assert resp.status_code == 401 and resp.is_json
    assert resp.headers["Cache-Control"] == "no-store"
