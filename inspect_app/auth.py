"""Flask-Login wiring and the decorators views use to require a role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from cases.db import db
from cases.enums import Role
from cases.models import User
from inspect_app.extensions import login_manager


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    return user if user is not None and user.active else None


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
