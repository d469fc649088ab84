"""Server-side sign-in sessions and the security log.

A ``UserSession`` row is one sign-in on one browser (``cases/accounts/sessions.py``). The browser holds only a
random token, in the signed session cookie; the row holds its SHA-256, so that the database alone cannot
be turned into working cookies. Ending a session (signing out, a password change, an administrator's
"sign out everywhere"…) sets ``revoked_at``: every copy of the cookie is refused from then on.

A ``SecurityEvent`` row is one entry of the security log (``cases/accounts/security_log.py``): sign-ins,
failed
sign-ins, refusals by the rate limit, sign-outs, password changes. The failed sign-ins of the last minute
are also what the login rate limit counts, whichever worker or machine answers.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases.db import Model
from cases.models.user import User


class UserSession(Model):
    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the cookie's token
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    remember: Mapped[bool] = mapped_column(Boolean, default=False)  # "keep me signed in"
    user_agent: Mapped[str] = mapped_column(String(120), default="")  # a summary: "Chrome 131 · Android"
    user_agent_hash: Mapped[str] = mapped_column(String(64), default="")  # SHA-256 of the whole header
    address: Mapped[str] = mapped_column(String(64), default="")
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(30))  # enums.SessionEndReason

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        state = f"revoked {self.revoked_reason}" if self.revoked_at else "open"
        return f"<UserSession {self.id} user={self.user_id} {state}>"


class SecurityEvent(Model):
    __tablename__ = "security_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # enums.SecurityEventKind
    #: the account concerned (known for a sign-in, a wrong password of an existing name, a sign-out…)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: who acted, when not the account itself (an administrator signing a user out everywhere)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    username: Mapped[str] = mapped_column(String(64), default="")  # as typed, lower case (failed ones too)
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(120), default="")
    detail: Mapped[str | None] = mapped_column(String(200))  # e.g. the reason of a failed sign-in

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])

    # the rate limit's two counts (failed sign-ins in the last minute of one address, and of one address
    # and user name) read one address's last minute from this index
    __table_args__ = (Index("ix_security_event_address_at", "address", "at"),)

    def __repr__(self) -> str:
        return f"<SecurityEvent {self.kind} {self.username!r} {self.address}>"
