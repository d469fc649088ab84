"""Every field of a case form class is on the page, with its label: the new and the edit page, each kind.

An e-commerce check could not be submitted because the form class had "action taken" (needed for
submission) and the template did not render it; this test makes a field left out of the template fail.
"""

from __future__ import annotations

import pytest
import tinyhtml5
from wtforms.fields import HiddenField

from cases.db import db
from cases.models import User
from forms.cases import FORMS
from tests import factories

NS = "{http://www.w3.org/1999/xhtml}"
CONTROLS = {f"{NS}input", f"{NS}select", f"{NS}textarea"}


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _labelled_fields(html: str) -> dict[str, set[str]]:
    """For each control's name, the labels a user (or a screen reader) reads for it: its <label for>, or
    the aria-label of the group (radio buttons, check boxes) it is in."""
    root = tinyhtml5.parse(html)
    parents = {child: parent for parent in root.iter() for child in parent}
    labels = {el.get("for"): _text(el) for el in root.iter(f"{NS}label") if el.get("for")}
    found: dict[str, set[str]] = {}
    for el in root.iter():
        if el.tag not in CONTROLS or not el.get("name") or el.get("type") == "hidden":
            continue
        names = found.setdefault(el.get("name"), set())
        if el.get("id") in labels:
            names.add(labels[el.get("id")])
        node = el
        while node in parents:
            node = parents[node]
            if node.get("role") in {"group", "radiogroup"} and node.get("aria-label"):
                names.add(" ".join(node.get("aria-label").split()))
    return found


def _visible_fields(kind: str, app) -> list[tuple[str, str]]:
    """(name, label) of each field of the kind's form class a user fills in (hidden ones left out)."""
    with app.test_request_context():
        form = FORMS[kind](meta={"csrf": False})
        return [
            (field.name, " ".join(str(field.label.text).split()))
            for field in form
            if not isinstance(field, HiddenField)
        ]


@pytest.fixture
def inspector(make_user, login):
    user = make_user("kiemtra1", "inspector", full_name="Nguyễn Kiểm Tra")
    login(user)
    return user


@pytest.mark.parametrize("kind", sorted(FORMS))
@pytest.mark.parametrize("page", ["new", "edit"])
def test_every_field_of_the_form_class_is_on_the_page_with_its_label(app, client, inspector, kind, page):
    if page == "new":
        url = f"/cases/new/{kind}"
    else:
        with app.app_context():
            case = factories.case(db.session.get(User, inspector.id), kind)
            db.session.commit()
            url = f"/cases/{case.id}/edit"
    resp = client.get(url, headers={"Accept-Language": "vi"})
    assert resp.status_code == 200
    on_page = _labelled_fields(resp.get_data(as_text=True))
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        expected = _visible_fields(kind, app)
    missing = [name for name, _label in expected if name not in on_page]
    assert not missing, f"{kind} {page} page lacks the fields {missing}"
    unlabelled = [(name, label) for name, label in expected if label not in on_page[name]]
    assert not unlabelled, f"{kind} {page} page: fields without their label {unlabelled}"
