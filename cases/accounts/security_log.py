"""The security log: sign-ins, failed sign-ins, refusals by the login rate limit, sign-outs, a user signed
out everywhere by an administrator, password changes and resets, a session cookie refused from another
browser. An administrator reads it on a page (``/admin/security-log``).

It is also the login rate limit's counter: a sign-in attempt is written, and committed, *before* its
password is checked, as a failed one; :func:`recent_failures` then counts the failed attempts of the last
minute of that address, and of that address and user name, this one included. Every gunicorn worker (and
every machine on the same database) counts the same rows, and attempts sent in parallel each see the
others already written. The attempt becomes a sign-in (no longer counted) when the password was right, a
refusal (not counted either) when the limit refused it.

Flushes, never commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import joinedload

from cases.accounts.sessions import summarise_user_agent, utcnow
from cases.db import db
from cases.enums import SecurityEventKind
from cases.models import SecurityEvent, User
from cases.text import fold

#: the rate limit's window
WINDOW = dt.timedelta(minutes=1)


def normalise_username(username: str | None) -> str:
    return (username or "").strip().lower()[:64]


def record(
    kind: SecurityEventKind | str,
    *,
    user: User | None = None,
    actor: User | None = None,
    username: str | None = None,
    address: str | None = None,
    user_agent: str | None = None,
    detail: str | None = None,
    now: dt.datetime | None = None,
) -> SecurityEvent:
    event = SecurityEvent(
        at=now or utcnow(),
        kind=str(kind),
        user_id=user.id if user is not None else None,
        actor_id=actor.id if actor is not None else None,
        username=normalise_username(username if username is not None else getattr(user, "username", "")),
        address=(address or "")[:64],
        user_agent=summarise_user_agent(user_agent),
        detail=(detail or None) and detail[:200],
    )
    db.session.add(event)
    db.session.flush()
    return event


def begin_attempt(
    *, username: str | None, address: str | None, user_agent: str | None, now: dt.datetime | None = None
) -> SecurityEvent:
    """The attempt, written as a failed sign-in until :func:`finish_attempt` says otherwise (commit it
    before counting, so that the other workers count it too)."""
    return record(
        SecurityEventKind.SIGN_IN_FAILED,
        username=username,
        address=address,
        user_agent=user_agent,
        detail="checking",
        now=now,
    )


def recent_failures(address: str | None, username: str | None, *, now: dt.datetime) -> tuple[int, int]:
    """Failed sign-ins of the last minute: (of this address and user name, of this address)."""
    name = normalise_username(username)
    per_name, per_address = db.session.execute(
        select(
            func.coalesce(func.sum(case((SecurityEvent.username == name, 1), else_=0)), 0),
            func.count(),
        ).where(
            SecurityEvent.address == (address or "")[:64],
            SecurityEvent.at > now - WINDOW,
            SecurityEvent.kind == SecurityEventKind.SIGN_IN_FAILED.value,
        )
    ).one()
    return int(per_name), int(per_address)


def finish_attempt(
    event: SecurityEvent, kind: SecurityEventKind, *, user: User | None = None, detail: str | None = None
) -> None:
    event.kind = kind.value
    event.detail = detail
    if user is not None:
        event.user_id = user.id
    db.session.flush()


def event_list_query(
    *,
    kind: str | None = None,
    q: str | None = None,
    address: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    tz: dt.tzinfo = dt.UTC,
) -> Select[Any]:
    """The log's entries matching the filters, newest first (the view paginates). ``q`` is part of a
    user name (as typed at sign-in) or of the account's full name; dates are days in ``tz``."""
    stmt = select(SecurityEvent).options(joinedload(SecurityEvent.user), joinedload(SecurityEvent.actor))
    if kind:
        stmt = stmt.where(SecurityEvent.kind == kind)
    if q:
        needle = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            or_(
                SecurityEvent.username.like(needle),
                SecurityEvent.user_id.in_(select(User.id).where(User.full_name_key.like(f"%{fold(q)}%"))),
            )
        )
    if address:
        stmt = stmt.where(SecurityEvent.address == address.strip())
    if date_from:
        stmt = stmt.where(SecurityEvent.at >= _day_start(date_from, tz))
    if date_to:
        stmt = stmt.where(SecurityEvent.at < _day_start(date_to + dt.timedelta(days=1), tz))
    return stmt.order_by(SecurityEvent.at.desc(), SecurityEvent.id.desc())


def _day_start(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(dt.UTC)
