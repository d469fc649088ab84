"""Sign-in sessions kept on the server (``docs/security.md``, "Sessions").

A sign-in starts a session (:func:`start`): a random token goes to the browser (in the signed session
cookie, as Flask-Login's user id) and its SHA-256 into a ``user_session`` row. Every request finds the row
and its account in one query (:func:`find`) and :func:`refusal` decides whether it still holds: not ended,
the account active, the same browser (User-Agent), used within the idle limit, and a remembered session no
older than its lifetime. Ending a session (:func:`end`, :func:`end_all`) is final: every copy of the cookie
is refused from then on, and so is the restored cookie of a "keep me signed in" browser.

The last use is written at most once a minute (:func:`needs_touch`), not on every request.
Flushes, never commits; the statements of :func:`touch_statement` and :func:`end_statement` are for the
web layer to run on a connection of its own while it checks a request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any, cast

from sqlalchemy import CursorResult, Update, delete, select, update

from cases.db import db
from cases.enums import SessionEndReason
from cases.models import User, UserSession

TOKEN_BYTES = 32
#: the last use of a session is written when the stored one is older than this
TOUCH_INTERVAL = dt.timedelta(minutes=1)
#: the sessions of an account unused for this long (ended long ago) are deleted when it signs in again
KEEP_ENDED = dt.timedelta(days=90)


#: why :func:`refusal` refuses a session that has not been ended yet, beside the
#: :class:`~cases.enums.SessionEndReason` ones
REVOKED = "revoked"
INACTIVE = "inactive"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes (stored in UTC)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def hash_user_agent(user_agent: str | None) -> str:
    return hashlib.sha256((user_agent or "").encode("utf-8", "surrogatepass")).hexdigest()


_BROWSERS = (
    ("Edge", re.compile(r"Edg(?:e|A|iOS)?/(\d+)")),
    ("Cốc Cốc", re.compile(r"coc_coc_browser/(\d+)")),
    ("Zalo", re.compile(r"Zalo(?:App|Theme)?/?(\d*)")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/(\d+)")),
    ("Firefox", re.compile(r"(?:Firefox|FxiOS)/(\d+)")),
    ("Chrome", re.compile(r"(?:Chrome|CriOS)/(\d+)")),
    ("Safari", re.compile(r"Version/(\d+)[.\d]* (?:Mobile/\S+ )?Safari/")),
)
_SYSTEMS = (
    ("Android", re.compile(r"Android")),
    ("iPhone", re.compile(r"iPhone")),
    ("iPad", re.compile(r"iPad")),
    ("Windows", re.compile(r"Windows")),
    ("macOS", re.compile(r"Mac OS X|Macintosh")),
    ("Linux", re.compile(r"Linux|X11")),
)


def summarise_user_agent(user_agent: str | None) -> str:
    """A short name of the browser and its system ("Chrome 131 · Android"), for people to recognise their
    devices; the whole header only when neither is recognised (cut to 120 characters)."""
    text = user_agent or ""
    browser = next(
        (f"{name} {m.group(1)}".strip() for name, rx in _BROWSERS if (m := rx.search(text))),
        None,
    )
    system = next((name for name, rx in _SYSTEMS if rx.search(text)), None)
    parts = [p for p in (browser, system) if p]
    return " · ".join(parts) if parts else text.strip()[:120]


def start(
    user: User,
    *,
    remember: bool,
    user_agent: str | None,
    address: str | None,
    now: dt.datetime | None = None,
) -> UserSession:
    """A new session of ``user`` on this browser; ``user.session_token`` is its token afterwards (what the
    browser keeps). The account's sessions unused for :data:`KEEP_ENDED` are deleted on the way."""
    now = now or utcnow()
    db.session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.last_seen_at < now - KEEP_ENDED)
    )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    record = UserSession(
        token_hash=hash_token(token),
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        remember=bool(remember),
        user_agent=summarise_user_agent(user_agent),
        user_agent_hash=hash_user_agent(user_agent),
        address=(address or "")[:64],
    )
    db.session.add(record)
    db.session.flush()
    user.session_token = token
    return record


def find(token: str | None) -> tuple[UserSession, User] | None:
    """The session of ``token`` and its account, in one query (``None``: no such session)."""
    if not token or not isinstance(token, str) or len(token) > 100:
        return None
    row = db.session.execute(
        select(UserSession, User)
        .join(User, UserSession.user_id == User.id)
        .where(UserSession.token_hash == hash_token(token))
    ).first()
    if row is None:
        return None
    record, user = row
    user.session_token = token
    return record, user


def refusal(
    record: UserSession,
    user: User,
    *,
    now: dt.datetime,
    user_agent: str | None,
    idle_limit: dt.timedelta,
    remember_limit: dt.timedelta,
) -> str | None:
    """Why the session no longer holds (``None``: it holds). :data:`REVOKED` and :data:`INACTIVE` for a
    session already ended or an account deactivated; otherwise the :class:`~cases.enums.SessionEndReason`
    to end it with."""
    if record.revoked_at is not None:
        return REVOKED
    if not user.active:
        return INACTIVE
    if record.user_agent_hash and record.user_agent_hash != hash_user_agent(user_agent):
        return SessionEndReason.USER_AGENT.value
    if now - _aware(record.last_seen_at) > idle_limit:
        return SessionEndReason.IDLE.value
    if record.remember and now - _aware(record.created_at) > remember_limit:
        return SessionEndReason.EXPIRED.value
    return None


def needs_touch(record: UserSession, now: dt.datetime) -> bool:
    return now - _aware(record.last_seen_at) >= TOUCH_INTERVAL


def touch_statement(record_id: int, now: dt.datetime) -> Update:
    return update(UserSession).where(UserSession.id == record_id).values(last_seen_at=now)


def end_statement(record_id: int, reason: str, now: dt.datetime) -> Update:
    return (
        update(UserSession)
        .where(UserSession.id == record_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
    )


def end(record: UserSession, reason: SessionEndReason | str, *, now: dt.datetime | None = None) -> None:
    """End one session (signing out): its cookie, wherever it was copied, is refused from now on."""
    if record.revoked_at is None:
        record.revoked_at = now or utcnow()
        record.revoked_reason = str(reason)
        db.session.flush()


def end_all(user_id: int, reason: SessionEndReason | str, *, now: dt.datetime | None = None) -> int:
    """End every open session of an account; the number ended."""
    # an UPDATE's result is a CursorResult (its rowcount), which Session.execute's signature does not say
    result = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(UserSession)
            .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
            .values(revoked_at=now or utcnow(), revoked_reason=str(reason))
            .execution_options(synchronize_session="fetch")
        ),
    )
    db.session.flush()
    return result.rowcount or 0


def open_sessions(user_id: int, *, now: dt.datetime, idle_limit: dt.timedelta) -> list[UserSession]:
    """The sessions of an account that would still be accepted (not ended, used within the idle limit),
    the most recently used first."""
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user_id,
                UserSession.revoked_at.is_(None),
                UserSession.last_seen_at >= now - idle_limit,
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )
