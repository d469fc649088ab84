"""Every field of every form, as every role, with what users and attackers type (issue 15, item 5).

The forms are discovered, not listed: every GET route of ``app.url_map`` that renders a page is opened by
each role (inspector, liaison, manager, admin) on a world where that role owns a draft of each kind with its
items and finding, an activity, an establishment, and where a submitted case waits for review; every
``<form method="post">`` of those pages is read with its fields (inputs, selects and their options, text
areas). Each form is then posted with every field at once set to one kind of hostile value — text longer
than any maximum, values outside the choices, Unicode digits (``²``, ``٣``, full-width), huge numbers, ids
that name nothing — and, as a property test, with random mixtures of them. No answer may be a 500, and a
refused submission (4xx) must leave every table as it was.

A new form on any page is covered without a change here; a new page with forms behind a new kind of URL
argument needs a line in ``_args``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from cases.db import db
from cases.models import (
    Case,
    Establishment,
    Finding,
    GoodsItem,
    InstrumentCheck,
    PrepackagedLot,
    Sample,
    User,
    Violation,
)
from cases.plan import activities
from tests.case_items_support import violation
from tests.conftest import REFERENCE_TABLES, TEST_PASSWORD

ROLES = ("inspector", "liaison", "manager", "admin")
COMMUNE = "30307"  # the liaison's commune, where every case of the world is
YEAR = 2026

# --- hostile values ------------------------------------------------------------------------------------

#: Longer than any field's maximum (the report's texts: 20,000). ASCII but for one letter: a body of
#: percent-escaped Vietnamese costs the form parser seconds per megabyte, which is not what is tested here.
OVERLONG = "Đ" + "x" * 20_001
OUTSIDE = "zzz-khong-co-trong-danh-sach"
UNICODE_DIGITS = ["²", "٣", "１２", "߁", "৪৫", "¹²³", "Ⅻ"]
HUGE = ["9" * 23, "2147483648", "9223372036854775808", "1e309", "-" + "9" * 30, "1" * 5000]
NO_SUCH_ID = ["999999", "2147483647", "0", "-1"]

#: One kind of hostile value for every field at once.
CLASSES: dict[str, Any] = {
    "overlong": lambda field, i: OVERLONG,
    "outside_choices": lambda field, i: OUTSIDE,
    "unicode_digits": lambda field, i: UNICODE_DIGITS[i % len(UNICODE_DIGITS)],
    "huge_numbers": lambda field, i: HUGE[i % len(HUGE)],
    "no_such_id": lambda field, i: NO_SUCH_ID[i % len(NO_SUCH_ID)],
}
hostile = st.one_of(
    st.just(OVERLONG),
    st.just(OUTSIDE),
    st.sampled_from(UNICODE_DIGITS + HUGE + NO_SUCH_ID),
    st.text(max_size=30),
    st.integers(-(10**25), 10**25).map(str),
)

# --- reading the forms of a page ---------------------------------------------------------------------


class _Forms(HTMLParser):
    """The ``<form method="post">`` of a page: action, and (name, kind, options) of each field."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {
                "action": a.get("action", ""),
                "fields": {},
                "multipart": "multipart" in a.get("enctype", ""),
            }
            self.forms.append(self._form)
        elif self._form is None or "name" not in a and tag != "option":
            return
        elif tag == "input" and a.get("type") not in {"submit", "button", "reset", "image"}:
            kind = a.get("type", "text")
            self._form["fields"].setdefault(
                a["name"], {"kind": kind, "options": [], "value": a.get("value", "")}
            )
            if kind in {"radio", "checkbox"}:
                self._form["fields"][a["name"]]["options"].append(a.get("value", "on"))
        elif tag == "button" and a.get("name"):
            self._form["fields"].setdefault(
                a["name"], {"kind": "button", "options": [], "value": a.get("value", "")}
            )
            self._form["fields"][a["name"]]["options"].append(a.get("value", ""))
        elif tag == "textarea":
            self._form["fields"].setdefault(a["name"], {"kind": "textarea", "options": [], "value": ""})
        elif tag == "select":
            kind = "select-multiple" if "multiple" in a else "select"
            self._select = self._form["fields"].setdefault(
                a["name"], {"kind": kind, "options": [], "value": ""}
            )
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


# --- the world -------------------------------------------------------------------------------------------


def _case(author: User, kind: str, est: Establishment, status: str = "draft") -> Case:
    case = Case(
        number=f"{kind[:2].upper()}-{author.id}-{status}/2026",
        kind=kind,
        status=status,
        opened_on=dt.date(2026, 3, 10),
        commune_code=COMMUNE,
        created_by_id=author.id,
        establishment_id=est.id if kind != "ecommerce" else None,
        mode="planned" if kind == "inspection" else None,
        platform="shopee" if kind == "ecommerce" else None,
        listing_url="https://shopee.vn/p/1" if kind == "ecommerce" else None,
        seller_name="Shop" if kind == "ecommerce" else None,
        submitted_at=dt.datetime(2026, 3, 12, tzinfo=dt.UTC) if status == "submitted" else None,
    )
    db.session.add(case)
    db.session.flush()
    return case


@pytest.fixture
def world(app: Flask, make_user) -> dict[str, Any]:
    people = {
        "inspector": make_user("kiemtra.fuzz", "inspector"),
        "liaison": make_user("daumoi.fuzz", "liaison", communes=(COMMUNE,)),
        "manager": make_user("lanhdao.fuzz", "manager"),
        "admin": make_user("quantri.fuzz", "admin"),
        "other": make_user("khac.fuzz", "inspector"),
    }
    ids: dict[str, dict[str, int]] = {}
    with app.app_context():
        est = Establishment(name="Cơ sở Thử Form", commune_code=COMMUNE)
        db.session.add(est)
        db.session.flush()
        code = db.session.scalar(select(Violation.code).order_by(Violation.code).limit(1))
        violation_id = violation(code).id
        for role in ROLES:
            author = db.session.get(User, people[role].id)
            inspection = _case(author, "inspection", est)
            survey = _case(author, "survey", est)
            ecommerce = _case(author, "ecommerce", est)
            objects = {
                "instrument": InstrumentCheck(
                    case_id=inspection.id, instrument_type="fuel_pump", result="pass"
                ),
                "lot": PrepackagedLot(
                    case_id=inspection.id, product="Gạo", nominal_quantity=5, unit="kg",
                    sample_size=10, mean_measured=5, result="pass",
                ),
                "goods": GoodsItem(case_id=inspection.id, name="Nước mắm", result="pass"),
                "sample": Sample(case_id=survey.id, name="Xăng", result="pass"),
                "finding": Finding(
                    case_id=inspection.id, violation_id=violation_id, offender_type="organisation",
                    status="proposed",
                ),
            }  # fmt: skip
            db.session.add_all(objects.values())
            db.session.flush()
            ids[role] = {name: obj.id for name, obj in objects.items()}
            ids[role].update(inspection=inspection.id, survey=survey.id, ecommerce=ecommerce.id)
            if role != "liaison":
                activity = activities.create_activity(
                    actor=author,
                    data=activities.ActivityInput(
                        task_code="1.1",
                        activity_type="media",
                        held_on=dt.date(2026, 3, 1),
                        title=f"Hoạt động {role}",
                    ),
                    today=dt.date(2026, 11, 24),
                )
                ids[role]["activity"] = activity.id
        submitted = _case(db.session.get(User, people["other"].id), "inspection", est, "submitted")
        submitted_finding = Finding(
            case_id=submitted.id, violation_id=violation_id, offender_type="organisation", status="proposed"
        )
        db.session.add(submitted_finding)
        db.session.commit()
        shared = {"submitted": submitted.id, "establishment": est.id, "other_user": people["other"].id}
    return {"people": people, "ids": ids, "shared": shared}


def _args(endpoint: str, arguments: set[str], mine: dict[str, int], shared: dict[str, int]) -> list[dict]:
    """The URL arguments to open ``endpoint`` with (several for a case of each kind); [] to skip it."""
    item = {
        "instrument": "instrument",
        "lot": "lot",
        "goods": "goods",
        "sample": "sample",
        "finding": "finding",
    }
    name = endpoint.split(".", 1)[1]
    values: dict[str, Any] = {}
    for argument in arguments:
        if argument == "case_id":
            if endpoint.startswith("review."):
                values[argument] = [shared["submitted"]]
            elif name.startswith("sample"):
                values[argument] = [mine["survey"]]
            elif endpoint.startswith("case_items."):
                values[argument] = [mine["inspection"]]
            else:
                values[argument] = [mine["inspection"], mine["survey"], mine["ecommerce"]]
        elif argument == "item_id":
            values[argument] = [mine[item[name.split("_")[0]]]]
        elif argument == "kind":
            values[argument] = ["inspection", "survey", "ecommerce"]
        elif argument == "establishment_id":
            values[argument] = [shared["establishment"]]
        elif argument == "activity_id" and "activity" in mine:
            values[argument] = [mine["activity"]]
        elif argument == "user_id":
            values[argument] = [shared["other_user"]]
        elif argument == "code":
            values[argument] = ["2.2" if endpoint.startswith("targets.") else COMMUNE]
        elif argument == "year":
            values[argument] = [YEAR]
        else:
            return []  # files, downloads: no forms
    combos: list[dict] = [{}]
    for argument, options in values.items():
        combos = [{**c, argument: o} for c in combos for o in options]
    return combos


_NOT_PAGES = ("api.", "static", "transfer.export", "transfer.import_template", "reports.pdf", "reports.xlsx")
#: Posted last: they end what the others need (a deleted draft, a sign-out, an account switched off).
_LAST = ("/delete", "/logout", "/active", "/submit", "/cancel", "/approve", "/return", "/close", "/reopen")


def discover(app: Flask, client, mine: dict[str, int], shared: dict[str, int]) -> list[dict[str, Any]]:
    found: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint.startswith(_NOT_PAGES):
            continue
        for args in _args(rule.endpoint, set(rule.arguments), mine, shared) if rule.arguments else [{}]:
            with app.test_request_context():
                url = url_for(rule.endpoint, **args)
            resp = client.get(url)
            assert resp.status_code != 500, url
            if resp.status_code != 200 or resp.mimetype != "text/html":
                continue
            for form in forms_of(resp.get_data(as_text=True)):
                action = urlsplit(form["action"] or url).path
                key = (action, tuple(sorted(form["fields"])))
                found.setdefault(key, {**form, "action": action, "page": url})
    return sorted(found.values(), key=lambda f: (f["action"].endswith(_LAST), f["action"]))


def _fill(form: dict[str, Any], value_for) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for i, (name, field) in enumerate(sorted(form["fields"].items())):
        if name == "csrf_token" or field["kind"] == "file":
            continue
        value = value_for(field, i)
        if field["kind"] in {"select-multiple", "checkbox"} and field["options"]:
            data[name] = [field["options"][-1], value]  # a real choice and one that is not
        else:
            data[name] = value
    return data


def _fingerprint(app: Flask) -> str:
    digest = hashlib.sha256()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name in REFERENCE_TABLES:
                continue
            rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest.update(f"{table.name}:{rows!r}".encode())
        db.session.remove()
    return digest.hexdigest()


def _signed_in(app: Flask, world: dict[str, Any], role: str):
    client = app.test_client()
    resp = client.post("/login", data={"username": world["people"][role].username, "password": TEST_PASSWORD})
    assert resp.status_code == 302
    return client


def _send(client, form: dict[str, Any], data: dict[str, Any], where: str):
    multipart = "multipart/form-data" if form["multipart"] else None
    resp = client.post(form["action"], data=data, content_type=multipart)
    assert resp.status_code != 500, (where, form["action"], sorted(data))
    return resp


def _refused(resp) -> bool:
    return 400 <= resp.status_code < 500


def _to_login(resp) -> bool:
    return resp.status_code == 302 and resp.headers.get("Location", "").startswith("/login")


def _post(app: Flask, client, form: dict[str, Any], data: dict[str, Any], where: str) -> bool:
    """Post ``data``: never a 500, and nothing changed when refused (4xx). True when sent to the login."""
    before = _fingerprint(app)
    resp = _send(client, form, data, where)
    if _refused(resp):
        assert _fingerprint(app) == before, (where, form["action"], "a refused submission changed a row")
    return _to_login(resp)


def _all_forms(app: Flask, world: dict[str, Any]) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    for role in ROLES:
        client = _signed_in(app, world, role)
        for form in discover(app, client, world["ids"][role], world["shared"]):
            yield role, client, form


def _mixed(field: dict[str, Any], i: int) -> Any:
    kinds = list(CLASSES.values())
    return kinds[i % len(kinds)](field, i)


def test_every_field_of_every_form_with_each_kind_of_hostile_value(app, world):
    covered: set[str] = set()
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for role, client, form in _all_forms(app, world):
        if form["action"].endswith(("/logout",)):
            continue
        # the same form met again as another role (another case's id in its URL): once, each field with
        # another kind of value
        pattern = (re.sub(r"\d+", "N", form["action"]), tuple(sorted(form["fields"])))
        classes = CLASSES if pattern not in seen else {"mixed": _mixed}
        seen.add(pattern)
        # one look at the tables for the form's submissions when all are refused (the usual case); one per
        # submission when some are accepted
        before = _fingerprint(app)
        answers = [_send(client, form, _fill(form, fill), f"{role}/{name}") for name, fill in classes.items()]
        if all(_refused(resp) for resp in answers):
            assert _fingerprint(app) == before, (role, form["action"], "a refused submission changed a row")
        else:
            for name, fill in classes.items():
                if _post(app, client, form, _fill(form, fill), f"{role}/{name}"):
                    client = _signed_in(app, world, role)  # signed out by what was posted: sign in again
        covered.add(form["action"].split("/")[1])
    # the forms of every part of the app were found (a discovery that finds nothing proves nothing)
    parts = {"cases", "establishments", "activities", "admin", "review", "reports", "evidence", "account"}
    assert parts <= covered, parts - covered


@settings(max_examples=40)
@given(data=st.data())
def test_random_hostile_mixtures_never_give_a_500(app, world, data):
    role = data.draw(st.sampled_from(ROLES))
    client = _signed_in(app, world, role)
    forms = [f for f in discover_cached(app, client, world, role) if not f["action"].endswith(_LAST)]
    form = data.draw(st.sampled_from(forms))
    values = {name: data.draw(hostile) for name in sorted(form["fields"])}
    _post(app, client, form, _fill(form, lambda field, i: list(values.values())[i]), role)


_DISCOVERED: dict[tuple[int, str], list[dict[str, Any]]] = {}


def discover_cached(app: Flask, client, world: dict[str, Any], role: str) -> list[dict[str, Any]]:
    """The forms a role finds, discovered once per world (the examples of a property share the world)."""
    key = (world["shared"]["submitted"], role)
    if key not in _DISCOVERED:
        _DISCOVERED[key] = discover(app, client, world["ids"][role], world["shared"])
    return _DISCOVERED[key]
