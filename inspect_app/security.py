"""Web security wiring: security headers on every response, the check of the signed-in session on every
request (ended, idle, another browser: signed out with a message), the password a user must change before
anything else, and the login rate limit (counted in the security log, ``cases/accounts/security_log.py``).
``docs/security.md`` says what each control protects and which test proves it."""

from __future__ import annotations

from flask import (
    Flask,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user, session_protected
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.wrappers import Response

from cases.accounts import security_log, sessions
from cases.db import db
from cases.enums import SecurityEventKind, SessionEndReason
from inspect_app.auth import client_address, fresh_session, user_agent

#: No inline scripts or style attributes anywhere (templates are checked by tests/web/test_security.py);
#: Bootstrap's form controls draw their arrows and ticks from ``data:`` SVG images in its CSS.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(self), camera=(self), microphone=(), payment=()",
}

HSTS = "max-age=31536000; includeSubDomains"

#: Flask-Login's own "remember me" cookie, which held the account's id and an HMAC of it until sessions
#: became server-side: a browser still holding one gets it deleted.
OLD_REMEMBER_COOKIE = "remember_token"

#: What a user who must change their password may still open.
OPEN_BEFORE_PASSWORD_CHANGE = {"auth.account", "auth.logout", "auth.set_language", "static"}


def init_security(app: Flask) -> None:
    app.before_request(_drop_nul_characters)
    app.before_request(_check_session)
    app.before_request(_require_password_change)
    app.after_request(_add_security_headers)
    app.after_request(_drop_old_remember_cookie)
    app.after_request(_no_store_json)
    session_protected.connect(_note_protection_failed, app)


def _note_protection_failed(_app: Flask, **_extra: object) -> None:
    g.session_protection_failed = True


def _add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)  # evidence downloads set a stricter CSP of their own
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if response.mimetype == "text/html" and session.get("_user_id"):
        # pages with case data are not kept in shared or back-button caches after signing out; the session
        # says who is signed in without loading the account (the database may be down: error pages)
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _no_store_json(response: Response) -> Response:
    """Every JSON answer (the API, the establishment picker, JSON errors) carries case and account data
    and is never worth caching: ``no-store``, whoever asks (issue 15)."""
    if response.is_json:
        response.headers["Cache-Control"] = "no-store"
    return response


def _drop_nul_characters() -> None:
    """No text a person types holds a NUL character, and PostgreSQL refuses one in any text it is given
    (a database error, a 500). A query string or form value carrying one has it removed before any view
    reads it."""
    for name in ("args", "form"):
        values = getattr(request, name)
        if any("\x00" in key or any("\x00" in v for v in items) for key, items in values.lists()):
            cleaned = [
                (k.replace("\x00", ""), v.replace("\x00", "")) for k, items in values.lists() for v in items
            ]
            setattr(request, name, ImmutableMultiDict(cleaned))


def _check_session() -> Response | tuple[Response, int] | None:
    """Load the signed-in user (``inspect_app.auth._load_user`` checks the server-side session); a session
    refused there is signed out here, with a message saying why, and the request sent to the login page
    (a JSON 401 under ``/api/``)."""
    if request.endpoint == "static":
        return None
    token = session.get("_user_id")
    signed_in = current_user.is_authenticated  # runs the user loader
    if g.pop("session_protection_failed", False) and token:
        _end_moved_session(str(token))
        return None  # Flask-Login emptied the cookie: the visitor is anonymous (login_required answers)
    reason = g.pop("session_refused", None)
    if signed_in or reason is None:
        return None
    logout_user()
    fresh_session()
    session.permanent = False
    if reason == SessionEndReason.IDLE:
        message = _(
            "You were signed out after %(minutes)d minutes without activity. Please sign in again.",
            minutes=int(current_app.config["SESSION_IDLE_MINUTES"]),
        )
    else:
        message = _(
            "Your session has ended (you signed out, your password or account was changed, or an "
            "administrator signed you out). Please sign in again."
        )
    if request.path.startswith("/api/"):
        return jsonify(error=message, status=401), 401
    flash(message, "warning")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target))


def _end_moved_session(token: str) -> None:
    """Flask-Login's strong protection refused a browser session's cookie arriving from another address
    or browser than the one that signed in: the session it names is ended too (it was copied)."""
    found = sessions.find(token)
    if found is None or found[0].revoked_at is not None:
        return
    record, user = found
    sessions.end(record, SessionEndReason.CLIENT_CHANGED)
    security_log.record(
        SecurityEventKind.SESSION_REFUSED,
        user=user,
        address=client_address(),
        user_agent=user_agent(),
        detail=SessionEndReason.CLIENT_CHANGED.value,
    )
    db.session.commit()


def _require_password_change() -> Response | tuple[Response, int] | None:
    """A password generated or reset by someone else is changed before anything else is opened."""
    if request.endpoint in OPEN_BEFORE_PASSWORD_CHANGE or not current_user.is_authenticated:
        return None
    if not current_user.must_change_password:
        return None
    message = _("Choose a new password of your own before you continue.")
    if request.path.startswith("/api/"):
        return jsonify(error=message, status=403), 403
    flash(message, "warning")
    return redirect(url_for("auth.account"))


def _drop_old_remember_cookie(response: Response) -> Response:
    if OLD_REMEMBER_COOKIE in request.cookies:
        response.delete_cookie(OLD_REMEMBER_COOKIE, path=current_app.config.get("REMEMBER_COOKIE_PATH", "/"))
    return response
