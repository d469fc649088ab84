"""Helpers for the security tests: a second app on the test database with production settings (CSRF on),
sample URLs for every rule of ``app.url_map``, and signing in through the real form with its token."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import update
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from cases.accounts import sessions
from cases.db import db
from cases.models import UserSession

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
_TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def production_like_app(make_app: Callable[[dict[str, Any]], Flask], app: Flask, **overrides: Any) -> Flask:
    """An app on the same database and upload folder as ``app``, with CSRF protection on (``make_app``: the
    fixture of ``tests/conftest.py``, which disposes its engine after the test)."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
        "WTF_CSRF_ENABLED": True,
    }
    config.update(overrides)
    return make_app(config)


def csrf_token(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "the page has no CSRF token field"
    return found.group(1)


def sign_in(client: FlaskClient, username: str, password: str) -> None:
    """Through the real login form, with the token the page carries."""
    token = csrf_token(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]


def sample_values(rule: Rule, ids: dict[str, int] | None = None) -> dict[str, Any]:
    """A value for every argument of ``rule``: ``ids`` by argument name, else 1; the first of ``any(...)``."""
    values: dict[str, Any] = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = (ids or {}).get(name, 1)
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = {"code": "vi", "kind": "inspection", "filename": "css/app.css"}.get(name, "x")
    return values


def sample_url(app: Flask, rule: Rule, ids: dict[str, int] | None = None, **values: Any) -> str:
    with app.test_request_context():
        return url_for(rule.endpoint, **{**sample_values(rule, ids), **values})


def state_changing_rules(app: Flask) -> list[tuple[Rule, str]]:
    """Every (rule, method) of the app that changes state."""
    return sorted(
        ((rule, method) for rule in app.url_map.iter_rules() for method in rule.methods & STATE_CHANGING),
        key=lambda pair: (pair[0].rule, pair[1]),
    )


def session_token(client: FlaskClient) -> str:
    """The token of the server-side session the client's cookie names."""
    with client.session_transaction() as session:
        return str(session["_user_id"])


def age_session(app: Flask, client: FlaskClient, minutes: float) -> None:
    """As if the client's session had last been used ``minutes`` ago (on the server, where it counts)."""
    token = session_token(client)
    with app.app_context():
        when = sessions.utcnow() - dt.timedelta(minutes=minutes)
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == sessions.hash_token(token))
            .values(last_seen_at=when, created_at=when)
        )
        db.session.commit()
