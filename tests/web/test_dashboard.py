"""The dashboard at / and the commune page, through the web: what each role sees, and that every number
links to a list holding exactly that many cases (tests/dashboard_support.py's known data set)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import dashboard_support as ds
from tests.dashboard_support import LONG_XUYEN, RACH_GIA


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The dashboard's "today" and the default year: 24/11/2026, as the data set assumes."""
    from inspect_app.views import main

    monkeypatch.setattr(main, "_today", lambda: ds.TODAY)


@pytest.fixture
def data(app, make_user):
    inspector = make_user("thanhtra1", role="inspector")
    with app.app_context():
        from cases.db import db
        from cases.models import User

        built = ds.build(db.session.get(User, inspector.id))
        ids = {name: c.id for name, c in built.cases.items()}
        numbers = {name: c.number for name, c in built.cases.items()}
    return {"inspector": inspector, "ids": ids, "numbers": numbers}


def _link(html: str, testid: str) -> tuple[str, str]:
    """(href, text) of the link with this data-testid."""
    match = re.search(rf'<a [^>]*href="([^"]+)"[^>]*data-testid="{testid}"[^>]*>([^<]*)</a>', html)
    assert match, f"no link {testid}"
    return unescape(match.group(1)), match.group(2).strip()


def _listed(client, href: str) -> list[str]:
    """The case numbers a case list shows."""
    html = client.get(href).get_data(as_text=True)
    if 'data-testid="case-list"' not in html:
        return []
    table = html.split('data-testid="case-list"')[1].split("</table>")[0]
    return re.findall(r'class="fw-semibold text-nowrap">([^<]+)</a>', table)


def test_manager_dashboard_numbers_link_to_their_lists(client, make_user, login, data):
    login(make_user("lanhdao", "manager"))
    html = client.get("/").get_data(as_text=True)
    assert 'data-testid="dashboard-title"' in html and "2026" in html
    expected = {
        "fig-counted": 7,
        "fig-with-violations": 4,
        "fig-takedowns": 1,
        "fig-returned": 1,
        "kind-inspection": 4,
        "kind-ecommerce": 2,
        "kind-survey": 1,
        "kind-inspection-previous": 3,
        "fig-year-draft": 1,
        "fig-year-submitted": 2,
        "fig-year-returned": 1,
    }
    for testid, count in expected.items():
        href, text = _link(html, testid)
        assert re.sub(r"\D", "", text) == str(count), testid
        assert len(_listed(client, href)) == count, (testid, href)
    # fines: decided 20.000.000 ₫ on c1 and c2, collected 15.000.000 ₫ on c1, outstanding on c2
    href, text = _link(html, "fig-fines-decided")
    assert text == "20.000.000\u00a0₫"
    assert sorted(_listed(client, href)) == sorted([data["numbers"]["c1"], data["numbers"]["c2"]])
    href, text = _link(html, "fig-fines-collected")
    assert text == "15.000.000\u00a0₫" and _listed(client, href) == [data["numbers"]["c1"]]
    href, _text = _link(html, "fig-fines-outstanding")
    assert _listed(client, href) == [data["numbers"]["c2"]]
    # the review queue and the overdue sanctions lead to the managers' own pages
    href, text = _link(html, "fig-waiting")
    assert text == "2" and href == "/review/"
    href, text = _link(html, "fig-overdue")
    assert text == "1" and href == "/review/overdue"
    assert data["numbers"]["c2"] in client.get(href).get_data(as_text=True)


def test_month_bars_and_violation_groups_link_to_lists(client, make_user, login, data):
    login(make_user("lanhdao", "manager"))
    html = client.get("/").get_data(as_text=True)
    chart = html.split('data-testid="month-chart"')[1].split("</svg>")[0]
    links = [unescape(h) for h in re.findall(r'<a href="([^"]+)"', chart)]
    may = next(
        h
        for h in links
        if parse_qs(urlsplit(h).query) == {"year": ["2026"], "month": ["5"], "counted": ["1"]}
    )
    assert sorted(_listed(client, may)) == sorted([data["numbers"]["c2"], data["numbers"]["c3"]])
    assert "<title>05 · 2026: 2</title>" in chart
    groups = html.split('data-testid="groups-chart"')[1].split("</svg>")[0]
    label = next(h for h in re.findall(r'<a href="([^"]+)"', groups) if "Nh%C3%A3n" in h)
    assert _listed(client, unescape(label)) == [data["numbers"]["c2"]]


def test_map_on_the_dashboard(client, make_user, login, data):
    login(make_user("lanhdao", "manager"))
    html = client.get("/").get_data(as_text=True)
    svg = html.split('data-testid="commune-map"')[1].split("</svg>")[0]
    bubbles = re.findall(r'<a href="([^"]+)"[^>]*><circle class="commune-bubble" data-code="(\d+)"', svg)
    assert {code for _href, code in bubbles} == {LONG_XUYEN, RACH_GIA}
    href = unescape(dict((c, h) for h, c in bubbles)[LONG_XUYEN])
    assert parse_qs(urlsplit(href).query) == {
        "commune_code": [LONG_XUYEN],
        "year": ["2026"],
        "counted": ["1"],
    }
    assert sorted(_listed(client, href)) == sorted(data["numbers"][n] for n in ("c1", "c2", "c6"))
    assert "Phường Long Xuyên: 3 hồ sơ, 2 có vi phạm được xác nhận (67%)" in svg
    # filtered by kind: only Rạch Giá has e-commerce checks, and its link keeps the kind
    svg = (
        client.get("/?year=2026&kind=ecommerce").get_data(as_text=True).split('data-testid="commune-map"')[1]
    )
    bubbles = re.findall(r'<a href="([^"]+)"[^>]*><circle class="commune-bubble" data-code="(\d+)"', svg)
    assert [code for _h, code in bubbles] == [RACH_GIA] and "kind=ecommerce" in bubbles[0][0]
    # the GPS layer, on request
    page = client.get("/?year=2026&gps=1").get_data(as_text=True)
    assert page.count('class="gps-points"') == 1
    assert 'class="gps-points"' not in client.get("/?year=2026").get_data(as_text=True)


def test_year_selector(client, make_user, login, data):
    login(make_user("lanhdao", "manager"))
    html = client.get("/?year=2025").get_data(as_text=True)
    href, text = _link(html, "fig-counted")
    assert text == "3" and "year=2025" in href
    assert '<option value="2027"' in html and '<option value="2025" selected' in html
    html = client.get("/?year=1999").get_data(as_text=True)  # not a year with cases: the current one
    assert '<option value="2026" selected' in html


def test_liaison_sees_their_communes_only(client, make_user, login, data):
    login(make_user("daumoi", "liaison", communes=(RACH_GIA,)))
    html = client.get("/").get_data(as_text=True)
    for testid, count in {
        "fig-counted": 4,
        "fig-takedowns": 1,
        "fig-returned": 1,
        "kind-inspection": 2,
    }.items():
        href, text = _link(html, testid)
        assert text == str(count), testid
        assert len(_listed(client, href)) == count, testid
    href, text = _link(html, "fig-waiting")
    assert text == "1" and _listed(client, href) == [data["numbers"]["c_open"]]
    href, text = _link(html, "fig-overdue")
    assert text == "0" and _listed(client, href) == []
    svg = html.split('data-testid="commune-map"')[1].split("</svg>")[0]
    assert re.findall(r'class="commune-bubble" data-code="(\d+)"', svg) == [RACH_GIA]
    assert "Phường Long Xuyên" not in svg  # other communes are only grey dots, without names or counts
    assert 'data-testid="plan-tasks"' not in html
    assert client.get(f"/communes/{RACH_GIA}").status_code == 200
    assert client.get(f"/communes/{LONG_XUYEN}").status_code == 403


def test_inspector_sees_their_own_work(client, login, data):
    login(data["inspector"])
    html = client.get("/").get_data(as_text=True)
    assert 'data-testid="dashboard-figures"' not in html and 'data-testid="commune-map"' not in html
    for testid, count in {"own-draft": 1, "own-returned": 1, "own-submitted": 2, "own-counted": 7}.items():
        href, text = _link(html, testid)
        assert text == str(count), testid
        assert len(_listed(client, href)) == count, testid
    assert 'data-testid="my-open-cases"' in html


def test_commune_page(client, make_user, login, data):
    login(make_user("lanhdao", "manager"))
    html = client.get(f"/communes/{LONG_XUYEN}?year=2026").get_data(as_text=True)
    assert "<h1" in html and "Phường Long Xuyên" in html
    href, text = _link(html, "fig-counted")
    assert text == "3" and len(_listed(client, href)) == 3
    href, text = _link(html, "fig-with-violations")
    assert text == "2" and sorted(_listed(client, href)) == sorted(data["numbers"][n] for n in ("c1", "c2"))
    recent = html.split('data-testid="recent-cases"')[1].split("</ul>")[0]
    assert data["numbers"]["c8"] in recent  # the draft of 01/10/2026, newest of the commune's 2026 cases
    establishments = html.split('data-testid="establishments"')[1].split("</table>")[0]
    for name in ("Cửa hàng xăng dầu Số 1", "Tạp hóa Minh Anh", "Cửa hàng xăng dầu Số 4"):
        assert name in establishments
    findings = html.split('data-testid="findings"')[1].split("</table>")[0]
    assert "DL-XD-01" in findings and "15.000.000" in findings and data["numbers"]["c2"] in findings
    former = html.split('data-testid="former-units"')[1].split("</ul>")[0]
    assert "Phường Mỹ Bình" in former and "Thành phố Long Xuyên" in former
    href, _text = _link(html, "all-cases")
    assert len(_listed(client, href)) > 3
    assert client.get("/communes/99999").status_code == 404
    assert client.get("/communes/abc").status_code == 404


def test_filter_chips_show_and_remove_dashboard_filters(client, make_user, login, data):
    login(make_user("lanhdao", "manager"))
    html = client.get(
        "/cases/?year=2026&month=5&counted=1&violation_group=Nh%C3%A3n+h%C3%A0ng+h%C3%B3a"
    ).get_data(as_text=True)
    chips = html.split('data-testid="filter-chips"')[1].split("</div>")[0]
    assert "05/2026" in chips and "Nhãn hàng hóa" in chips
    removed = [unescape(h) for h in re.findall(r'href="([^"]+)"', chips)]
    year_removed = next(h for h in removed if "year" not in h)
    assert "month" not in year_removed and "counted=1" in year_removed
    assert 'name="violation_group" value="Nhãn hàng hóa"' in html  # kept when the form is submitted again
