"""Typed input never ends in a 500 (issue 15, item 5), shown on the forms where the attack found it.

Any text longer than a field's maximum and any value outside a multi-select's choices raised ``KeyError``
('max', 'value') inside the forms' translation wrapper: flask_babel's ``ngettext`` formats the message with
``{"num": n}`` itself, before WTForms could put in ``%(max)d``. Hidden numbers raised ``ValueError`` ('²'
passes ``isdigit()``) or ``OverflowError`` (23 digits). The error page then claimed that nothing typed was
lost, while the form was not shown again. The property test over every form is
``tests/fuzz/test_form_fuzz.py``.
"""

from __future__ import annotations

import html as html_text
import re

import pytest
from sqlalchemy import func, select

from cases.db import db
from cases.models import Establishment, User
from tests import factories
from tests.security_support import production_like_app


def _errors(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for field, message in re.findall(r'id="([a-z_]+)-error">([^<]+)<', html):
        found.setdefault(field, []).append(html_text.unescape(message.strip()))
    return found


def test_text_longer_than_the_maximum_is_a_message_beside_the_field(app, client, make_user, login):
    login(make_user("kiemtra.dai", "inspector"))
    resp = client.post(
        "/establishments/new",
        data={"name": "Cửa hàng " * 60, "business_type": "household", "address": "x" * 1001},
    )
    assert resp.status_code == 400
    errors = _errors(resp.get_data(as_text=True))
    assert errors["name"] == ["Trường này không được dài quá 300 ký tự."]
    assert errors["address"] == ["Trường này không được dài quá 1000 ký tự."]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Establishment)) == 0


def test_in_english_the_maximum_is_said_too(app, client, make_user, login):
    login(make_user("kiemtra.en", "inspector"))
    client.post("/language/en", data={"next": "/"})
    resp = client.post("/establishments/new", data={"name": "x" * 301, "business_type": "household"})
    assert resp.status_code == 400
    assert _errors(resp.get_data(as_text=True))["name"] == ["Field cannot be longer than 300 characters."]


def test_values_outside_a_multi_selects_choices_are_a_message_beside_it(app, client, make_user, login):
    login(make_user("quantri.chon", "admin"))
    resp = client.post(
        "/admin/users/new",
        data={
            "username": "moi.tao",
            "full_name": "Người Mới",
            "role": "liaison",
            "communes": ["zzz", "30307"],
        },
    )
    assert resp.status_code == 400
    assert _errors(resp.get_data(as_text=True))["communes"] == [
        "'zzz' không phải là lựa chọn hợp lệ cho trường này."
    ]
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "moi.tao")) is None


@pytest.mark.parametrize("version", ["²", "٣", "1" * 23, "-1", "abc"])
def test_a_hidden_version_that_is_not_a_number_is_no_500(app, client, make_user, login, version):
    user = make_user("kiemtra.ban", "inspector")
    login(user)
    with app.app_context():
        case = factories.case(db.session.get(User, user.id))
        db.session.commit()
        case_id, est_id = case.id, case.establishment_id
    resp = client.post(
        f"/cases/{case_id}/edit",
        data={
            "version": version,
            "opened_on": "2026-03-10",
            "commune_code": "30742",
            "mode": "planned",
            "fields": ["fuel"],
            "establishment_id": str(est_id),
            "product": "Xăng RON 95",
        },
    )
    assert resp.status_code in {302, 400}, version


def test_the_error_page_does_not_claim_nothing_was_lost(app, make_app):
    failing = production_like_app(make_app, app, PROPAGATE_EXCEPTIONS=False, WTF_CSRF_ENABLED=False)

    def boom():
        raise RuntimeError("boom")

    failing.add_url_rule("/boom", "boom", boom, methods=["POST"])
    resp = failing.test_client().post("/boom", data={"notes": "typed"})
    assert resp.status_code == 500
    html = resp.get_data(as_text=True)
    assert "không bị mất" not in html  # the form is not shown again: what was typed is not here
    assert "Những gì bạn vừa gửi có thể chưa được lưu" in html
