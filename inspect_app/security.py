"""Web security wiring: security headers on every response, the idle-session timeout and the login rate
limit's keys and page. ``docs/security.md`` says what each control protects and which test proves it."""

from __future__ import annotations

import time

from flask import (
    Flask,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, logout_user, user_logged_in
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.wrappers import Response

from inspect_app.extensions import limiter

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

#: The session key holding the time (epoch seconds) of the signed-in user's last request.
LAST_SEEN = "last_seen"


def init_security(app: Flask) -> None:
    limiter.init_app(app)
    app.before_request(_drop_nul_characters)
    app.before_request(_sign_out_when_idle)
    app.after_request(_add_security_headers)
    app.after_request(_no_store_json)
    app.register_error_handler(RateLimitExceeded, _too_many_requests)
    user_logged_in.connect(_start_idle_clock, app)


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


def _start_idle_clock(_app: Flask, **_extra: object) -> None:
    session[LAST_SEEN] = int(time.time())


def _sign_out_when_idle() -> Response | tuple[Response, int] | None:
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = int(time.time())
    last_seen = session.get(LAST_SEEN)
    idle_limit = int(current_app.config["SESSION_IDLE_MINUTES"]) * 60
    if isinstance(last_seen, int) and now - last_seen > idle_limit:
        logout_user()
        session.pop(LAST_SEEN, None)
        message = _(
            "You were signed out after %(minutes)d minutes without activity. Please sign in again.",
            minutes=int(current_app.config["SESSION_IDLE_MINUTES"]),
        )
        if request.path.startswith("/api/"):
            return jsonify(error=message, status=401), 401
        flash(message, "warning")
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target))
    if not isinstance(last_seen, int) or now - last_seen >= 30:  # no new cookie on every request
        session[LAST_SEEN] = now
    return None


def login_limit_key() -> str:
    """Failed sign-ins are counted per client address and (case-folded) user name."""
    username = (request.form.get("username") or "").strip().lower()[:64]
    return f"{request.remote_addr or '?'}|{username}"


def address_key() -> str:
    return request.remote_addr or "?"


def login_failed(response: Response) -> bool:
    """Only failed attempts count towards the limit (a success redirects)."""
    return response.status_code != 302


def _too_many_requests(exc: RateLimitExceeded):  # type: ignore[no-untyped-def]
    if request.path.startswith("/api/"):
        return jsonify(error=_("Please wait a moment and try again."), status=429), 429
    if request.endpoint == "auth.login":
        from forms.auth import LoginForm

        form = LoginForm()
        form.password.errors = [
            _("Too many failed sign-in attempts. Wait a minute, then try again with the right password.")
        ]
        return render_template("auth/login.html", form=form), 429
    title, message = _("Too many requests"), _("Please wait a moment and try again.")
    return render_template("errors/error.html", code=429, title=title, message=message), 429
