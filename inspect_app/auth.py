"""Flask-Login wiring and the decorators views use to require a role.

Flask-Login keeps in the session cookie what ``User.get_id`` gives: the random token of a server-side
session (``cases/accounts/sessions.py``), never the account's id. The user loader finds the session and its
account in one query and refuses a session that was ended, idle too long, or brought back by another
browser; :func:`sign_in` starts a fresh session (and a fresh cookie: no value of the visitor's cookie
before the sign-in survives it but the language); :func:`sign_out` ends it on the server too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from cases.accounts import security_log, sessions
from cases.db import db
from cases.enums import Role, SecurityEventKind, SessionEndReason
from cases.models import User, UserSession
from inspect_app.extensions import login_manager

#: the session values that survive a sign-in and a sign-out (everything else starts afresh)
KEPT_ACROSS_SIGN_IN = ("locale",)


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"


def idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=int(current_app.config["SESSION_IDLE_MINUTES"]))


def remember_limit() -> dt.timedelta:
    return dt.timedelta(days=int(current_app.config["REMEMBER_DAYS"]))


def client_address() -> str:
    return request.remote_addr or ""


def user_agent() -> str:
    return request.headers.get("User-Agent", "")


@login_manager.user_loader
def _load_user(token: str) -> User | None:
    """The account of the session whose token the cookie carries, if that session still holds. A refusal
    is left in ``g.session_refused`` (for ``inspect_app.security`` to say why); a session found idle, past
    its lifetime or brought by another browser is ended on the way."""
    found = sessions.find(token)
    if found is None:
        return None
    record, user = found
    now = sessions.utcnow()
    reason = sessions.refusal(
        record,
        user,
        now=now,
        user_agent=user_agent(),
        idle_limit=idle_limit(),
        remember_limit=remember_limit(),
    )
    if reason is not None:
        g.session_refused = reason
        if reason not in (sessions.REVOKED, sessions.INACTIVE):
            sessions.end(record, reason, now=now)
            if reason == SessionEndReason.USER_AGENT:
                security_log.record(
                    SecurityEventKind.SESSION_REFUSED,
                    user=user,
                    address=client_address(),
                    user_agent=user_agent(),
                    detail=reason,
                    now=now,
                )
            db.session.commit()
        return None
    if sessions.needs_touch(record, now):
        db.session.execute(sessions.touch_statement(record.id, now))
        _commit_keeping_loaded_objects()
    g.user_session_id = record.id
    return user


def _commit_keeping_loaded_objects() -> None:
    """Commit the last-use update without expiring the account just loaded (no second query for it)."""
    current = db.session()
    previous = current.expire_on_commit
    current.expire_on_commit = False
    try:
        current.commit()
    finally:
        current.expire_on_commit = previous


def fresh_session() -> None:
    """Empty the session cookie but for the language: a sign-in never inherits the values (the CSRF token
    above all) of a cookie that was there before it, which someone else may have planted."""
    kept = {key: session[key] for key in KEPT_ACROSS_SIGN_IN if key in session}
    session.clear()
    session.update(kept)
    g.pop("csrf_token", None)  # Flask-WTF's copy of the old token for this request


def sign_in(user: User, *, remember: bool) -> UserSession:
    """Start a server-side session for ``user`` on this browser, in a fresh cookie. "Keep me signed in"
    makes the cookie outlive the browser (``REMEMBER_DAYS``); the server-side idle limit still applies.
    The caller commits."""
    record = sessions.start(user, remember=remember, user_agent=user_agent(), address=client_address())
    fresh_session()
    login_user(user)
    session.permanent = bool(remember)
    g.user_session_id = record.id
    return record


def sign_out() -> None:
    """End this browser's session on the server (every copy of its cookie) and empty the cookie. The
    caller commits."""
    record_id = g.get("user_session_id")
    if record_id is not None:
        record = db.session.get(UserSession, record_id)
        if record is not None:
            sessions.end(record, SessionEndReason.SIGN_OUT)
    logout_user()
    fresh_session()
    session.permanent = False


def role_required(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Require a signed-in user with one of ``roles`` (403 otherwise)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in {r.value for r in roles}:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def safe_next_url(target: str | None) -> str | None:
    """Accept only a local path (no scheme, no host, no ``//`` or backslash tricks)."""
    if not target:
        return None
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in target):  # browsers drop tabs and newlines: "/\t/evil"
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
