"""Words for accounts: the fields of an account's history, and the security log's events and details."""

from __future__ import annotations

from flask_babel import gettext as _

from cases.enums import SecurityEventKind as Kind
from cases.enums import SessionEndReason
from cases.geography import places as geography


def account_field_label(field: str) -> str:
    return {
        "username": lambda: _("User name"),
        "full_name": lambda: _("Full name"),
        "role": lambda: _("Role"),
        "email": lambda: _("Email"),
        "phone": lambda: _("Phone"),
        "active": lambda: _("Active"),
        "communes": lambda: _("Communes"),
        "must_change_password": lambda: _("Must change the password at the next sign-in"),
    }.get(field, lambda: field)()


def account_value(value: object, field: str) -> str:
    from inspect_app.labels.codes import role_label

    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field == "role":
        return role_label(str(value))
    if field == "communes" and isinstance(value, list):
        names = dict(geography.commune_choices())
        return ", ".join(names.get(str(code), str(code)) for code in value)
    return str(value)


def security_kind_label(kind: str) -> str:
    return {
        Kind.SIGN_IN: lambda: _("Signed in"),
        Kind.SIGN_IN_FAILED: lambda: _("Failed sign-in"),
        Kind.RATE_LIMITED: lambda: _("Sign-in refused: too many failures"),
        Kind.SIGN_OUT: lambda: _("Signed out"),
        Kind.SIGN_OUT_EVERYWHERE: lambda: _("Signed out everywhere by an administrator"),
        Kind.PASSWORD_CHANGED: lambda: _("Password changed"),
        Kind.PASSWORD_RESET: lambda: _("Password reset"),
        Kind.SESSION_REFUSED: lambda: _("Session refused: its cookie came from elsewhere"),
    }.get(kind, lambda: kind)()


def security_detail_label(kind: str, detail: str | None) -> str:
    if not detail:
        return ""
    if kind == Kind.SIGN_OUT_EVERYWHERE:
        return _("%(count)s sessions ended", count=detail)
    return {
        "wrong_password": lambda: _("wrong password"),
        "unknown": lambda: _("no such user name"),
        "inactive": lambda: _("account deactivated"),
        "checking": lambda: _("unfinished (the server stopped answering)"),
        "per_user_name": lambda: _("limit per user name and address"),
        "per_address": lambda: _("limit per address"),
        "user_agent_changed": lambda: _("the session cookie came from another browser"),
        "client_changed": lambda: _("the session cookie came from another address or browser"),
        "cli": lambda: _("from the command line (flask reset-password)"),
    }.get(detail, lambda: detail)()


def session_end_label(reason: str | None) -> str:
    """Why a session ended (``user_session.revoked_reason``)."""
    return {
        SessionEndReason.SIGN_OUT: lambda: _("Signed out"),
        SessionEndReason.SIGN_OUT_EVERYWHERE: lambda: _("Signed out everywhere by an administrator"),
        SessionEndReason.PASSWORD_CHANGED: lambda: _("Password changed"),
        SessionEndReason.PASSWORD_RESET: lambda: _("Password reset"),
        SessionEndReason.ROLE_CHANGED: lambda: _("Role changed"),
        SessionEndReason.COMMUNES_CHANGED: lambda: _("Communes changed"),
        SessionEndReason.DEACTIVATED: lambda: _("Account deactivated"),
        SessionEndReason.IDLE: lambda: _("Idle too long"),
        SessionEndReason.EXPIRED: lambda: _("Remembered sign-in expired"),
        SessionEndReason.USER_AGENT: lambda: _("the session cookie came from another browser"),
        SessionEndReason.CLIENT_CHANGED: lambda: _("the session cookie came from another address or browser"),
    }.get(reason or "", lambda: reason or "")()
