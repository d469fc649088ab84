"""Accounts: sign-in, creation, edits, password resets. Flushes, never commits.

Every change an administrator (or the CLI) makes to an account is an entry of the audit trail, in the same
hash chain as the cases' (entity ``account``): creation, edits of the name, role, communes, contact and
activation, and password resets, never a password or its hash. A password set by someone else (generated
at creation, or any reset) must be changed by its owner at the next sign-in (``must_change_password``).
A password change or reset, a change of role or communes and a deactivation end every session of the
account (``cases/accounts/sessions.py``)."""

from __future__ import annotations

import datetime as dt
import secrets
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import Select, func, or_, select

from cases.accounts import sessions
from cases.audit import trail as audit
from cases.db import db
from cases.enums import Role, SessionEndReason
from cases.errors import Problems, ValidationFailed
from cases.models import Commune, User
from cases.text import fold

MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS_FILE = Path(__file__).parent.parent / "data" / "common_passwords.txt"
USERNAME_ALLOWED = set(string.ascii_lowercase + string.digits + "._-")


@dataclass(frozen=True)
class AuthOutcome:
    user: User | None  # the account signed in (``None``: refused)
    reason: str | None = None  # "unknown", "wrong_password", "inactive"
    account: User | None = None  # the account the name belongs to, even when refused


def authenticate(*, username: str, password: str) -> AuthOutcome:
    user = db.session.scalar(
        select(User).where(func.lower(User.username) == (username or "").strip().lower())
    )
    if user is None:
        User(username="").set_password(
            password or ""
        )  # as slow as a real check: no timing hint of who exists
        return AuthOutcome(None, "unknown")
    if not user.check_password(password or ""):
        return AuthOutcome(None, "wrong_password", user)
    if not user.active:
        return AuthOutcome(None, "inactive", user)
    user.last_login_at = dt.datetime.now(dt.UTC)
    return AuthOutcome(user, None, user)


def generate_password(length: int = 14, *, username: str | None = None) -> str:
    """A random password that satisfies the policy for ``username`` (letters and digits, no look-alike
    characters; never containing the user name, which a random draw can do for a short one)."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length))
        if check_password_policy(pw, username=username) is None:
            return pw


def check_password_policy(password: str, *, username: str | None = None) -> str | None:
    """Return an error code, or ``None`` when the password is acceptable: at least 10 characters, letters
    and digits (never one class only), not containing the user name, not a commonly used password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "password_too_short"
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        return "password_needs_letters_and_digits"
    name = normalise_username(username or "")
    if len(name) >= 3 and name in password.lower():
        return "password_contains_username"
    if _password_key(password) in common_passwords():
        return "password_too_common"
    return None


def _password_key(password: str) -> str:
    return "".join(fold(password).split())


@cache
def common_passwords() -> frozenset[str]:
    """The list in ``cases/data/common_passwords.txt``, folded (no case, accents or spaces)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(_password_key(line) for line in lines if line.strip() and not line.startswith("#"))


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def check_username(username: str) -> str | None:
    if not 3 <= len(username) <= 64:
        return "username_length"
    if not set(username) <= USERNAME_ALLOWED:
        return "username_characters"
    return None


def _communes(codes: Iterable[str]) -> list[Commune]:
    codes = sorted(set(codes))
    if not codes:
        return []
    found = list(db.session.scalars(select(Commune).where(Commune.code.in_(codes))))
    missing = set(codes) - {c.code for c in found}
    if missing:
        raise ValidationFailed("unknown_commune", field="communes", codes=", ".join(sorted(missing)))
    return found


def _check_role_communes(role: str, communes: Sequence[Commune]) -> None:
    if role == Role.LIAISON and not communes:
        raise ValidationFailed("liaison_needs_commune", field="communes")


def account_values(user: User) -> dict[str, object]:
    """What the audit trail records of an account: never its password (nor its hash)."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "email": user.email,
        "phone": user.phone,
        "active": user.active,
        "communes": sorted(c.code for c in user.communes),
        "must_change_password": user.must_change_password,
    }


def _new_account_check(
    *, username: str, role: str, password: str | None, commune_codes: Iterable[str]
) -> tuple[Problems, list[Commune]]:
    problems = Problems()
    username = normalise_username(username)
    if (problem := check_username(username)) is not None:
        problems.add(problem, field="username")
    elif db.session.scalar(select(User.id).where(func.lower(User.username) == username)) is not None:
        problems.add("username_taken", field="username", username=username)
    if role not in {r.value for r in Role}:
        problems.add("unknown_role", field="role", role=role)
    if password is not None and (problem := check_password_policy(password, username=username)) is not None:
        problems.add(problem, field="password")
    communes = _role_communes(problems, role, commune_codes)
    return problems, communes


def _role_communes(problems: Problems, role: str, commune_codes: Iterable[str]) -> list[Commune]:
    """The communes of a liaison (none for the other roles); a liaison without any is a problem."""
    if role != Role.LIAISON:
        return []
    communes = problems.check(_communes, commune_codes)
    if communes is not None:
        problems.check(_check_role_communes, role, communes)
    return communes or []


def new_account_problems(
    *, username: str, role: str, password: str | None, commune_codes: Iterable[str]
) -> list[ValidationFailed]:
    """Every problem of a new account's values at once (the form shows them beside its fields)."""
    return _new_account_check(username=username, role=role, password=password, commune_codes=commune_codes)[
        0
    ].found


def _account_update_check(
    user: User, *, role: str, active: bool, commune_codes: Iterable[str], actor: User | None
) -> tuple[Problems, list[Commune]]:
    problems = Problems()
    known_role = role in {r.value for r in Role}
    if not known_role:
        problems.add("unknown_role", field="role", role=role)
    if actor is not None and actor.id == user.id:
        if not active:
            problems.add("cannot_deactivate_self", field="active")
        if role != user.role:
            problems.add("cannot_change_own_role", field="role")
    communes = _role_communes(problems, role, commune_codes)
    admin_field = "role" if role != Role.ADMIN else "active"
    if (
        known_role
        and user.role == Role.ADMIN
        and (role != Role.ADMIN or not active)
        and not problems.on(admin_field)  # "not your own role" already said why
        and _active_admin_count() <= 1
    ):
        problems.add("last_admin", field=admin_field)
    return problems, communes


def account_update_problems(
    user: User, *, role: str, active: bool, commune_codes: Iterable[str], actor: User | None
) -> list[ValidationFailed]:
    """Every problem of an account's new values at once."""
    return _account_update_check(user, role=role, active=active, commune_codes=commune_codes, actor=actor)[
        0
    ].found


def create_user(
    *,
    username: str,
    full_name: str,
    role: str,
    password: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    commune_codes: Iterable[str] = (),
    actor: User | None = None,
) -> tuple[User, str]:
    """Create an account; returns it and its password (generated when none is given: the user must then
    change it at the first sign-in). ``actor``: the administrator (``None``: the command line)."""
    username = normalise_username(username)
    problems, communes = _new_account_check(
        username=username, role=role, password=password, commune_codes=commune_codes
    )
    problems.raise_any()
    generated = password is None
    if password is None:
        password = generate_password(username=username)
    user = User(
        username=username,
        full_name=(full_name or "").strip() or username,
        role=role,
        email=(email or "").strip() or None,
        phone=(phone or "").strip() or None,
        active=True,
        must_change_password=generated,
    )
    user.set_password(password)
    user.communes = communes
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "create", entity=user, changes=audit.diff({}, account_values(user)))
    return user, password


def update_user(
    user: User,
    *,
    full_name: str,
    role: str,
    active: bool,
    email: str | None,
    phone: str | None,
    commune_codes: Iterable[str],
    actor: User | None = None,
) -> User:
    problems, communes = _account_update_check(
        user, role=role, active=active, commune_codes=commune_codes, actor=actor
    )
    problems.raise_any()
    before = account_values(user)
    user.full_name = (full_name or "").strip() or user.username
    user.role = role
    user.active = active
    user.email = (email or "").strip() or None
    user.phone = (phone or "").strip() or None
    user.communes = communes
    db.session.flush()
    after = account_values(user)
    changes = audit.diff(before, after)
    if changes:
        audit.record(actor, "update", entity=user, changes=changes)
    # the account's sessions end when what it may do changed (its next request signs in again)
    if before["active"] and not after["active"]:
        sessions.end_all(user.id, SessionEndReason.DEACTIVATED)
    elif before["role"] != after["role"]:
        sessions.end_all(user.id, SessionEndReason.ROLE_CHANGED)
    elif before["communes"] != after["communes"]:
        sessions.end_all(user.id, SessionEndReason.COMMUNES_CHANGED)
    return user


def reset_password(user: User, *, password: str | None = None, actor: User | None = None) -> str:
    """An administrator (``actor``; ``None``: the command line) gives the account a new password,
    generated when none is given. Its owner must change it at the next sign-in; every session of the
    account ends. The audit entry says a reset happened, never the password."""
    if password is None:
        password = generate_password(username=user.username)
    elif (problem := check_password_policy(password, username=user.username)) is not None:
        raise ValidationFailed(problem, field="password")
    user.set_password(password)
    before = user.must_change_password
    user.must_change_password = True
    db.session.flush()
    changes = [{"field": "must_change_password", "from": before, "to": True}] if not before else None
    audit.record(actor, "password_reset", entity=user, changes=changes)
    sessions.end_all(user.id, SessionEndReason.PASSWORD_RESET)
    return password


def _active_admin_count() -> int:
    return (
        db.session.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN, User.active.is_(True)))
        or 0
    )


def admin_exists() -> bool:
    return db.session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1)) is not None


def user_list_query(
    *, q: str | None = None, role: str | None = None, active: bool | None = None
) -> Select[User]:
    """A select of users matching the filters, sorted by name (the view paginates it)."""
    stmt = select(User)
    if q:
        needle = f"%{fold(q)}%"
        raw = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(User.username).like(raw),
                func.lower(User.full_name).like(raw),
                User.full_name_key.like(needle),
            )
        )
    if role:
        stmt = stmt.where(User.role == role)
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    return stmt.order_by(User.full_name_key, User.username)


def set_active(user: User, *, active: bool, actor: User | None = None) -> User:
    return update_user(
        user,
        full_name=user.full_name,
        role=user.role,
        active=active,
        email=user.email,
        phone=user.phone,
        commune_codes=[c.code for c in user.communes],
        actor=actor,
    )


def own_password_problems(
    user: User, *, current_password: str | None, new_password: str | None
) -> list[ValidationFailed]:
    """Every problem of a password change at once: the current password wrong, the new one against the
    policy or the same as before. ``None``: a value the form could not read (it says why), not checked."""
    problems = Problems()
    if current_password is not None and not user.check_password(current_password):
        problems.add("wrong_current_password", field="current_password")
    if new_password is not None:
        if (problem := check_password_policy(new_password, username=user.username)) is not None:
            problems.add(problem, field="new_password")
        elif current_password == new_password:
            problems.add("password_unchanged", field="new_password")
    return problems.found


def change_own_password(user: User, *, current_password: str, new_password: str) -> None:
    """A user changes their own password: the current one must be right and the new one follow the policy.
    Every session of the account ends (the security log, not the audit trail, records the change)."""
    problems = Problems()
    problems.found = own_password_problems(
        user, current_password=current_password or "", new_password=new_password or ""
    )
    problems.raise_any()
    user.set_password(new_password)
    user.must_change_password = False
    db.session.flush()
    # every session ends, this one too: a copy of its cookie must not outlive the old password (the web
    # layer starts a new session for the browser that changed it)
    sessions.end_all(user.id, SessionEndReason.PASSWORD_CHANGED)
