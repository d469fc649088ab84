"""Accounts and roles."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, String, Table, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from cases.db import Model, db
from cases.enums import Role
from cases.models.geo import Commune
from cases.text import fold

#: werkzeug's hashing method for new passwords. Tests lower the cost (see tests/conftest.py); the stored
#: hash names its own method, so checking works whatever method made it.
PASSWORD_HASH_METHOD = "scrypt"

user_commune = Table(
    "user_commune",
    db.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("commune_code", ForeignKey("commune.code"), primary_key=True),
)


class User(Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    full_name_key: Mapped[str] = mapped_column(String(120), index=True, default="")  # folded, for search
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    role: Mapped[str] = mapped_column(String(20))  # enums.Role
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: set when the password was generated or reset by someone else: every page asks for a new one first
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    communes: Mapped[list[Commune]] = relationship(secondary=user_commune, order_by=Commune.name)

    #: the token of the sign-in session this object was loaded for or signed in with
    # (``cases/accounts/sessions.py``;
    #: not a column): what Flask-Login keeps in the session cookie instead of the account's id
    if TYPE_CHECKING:  # declared for the type checker alone: the declarative scan maps annotated names
        session_token: str | None
    session_token = None

    @validates("full_name")
    def _keep_search_key(self, _key: str, value: str) -> str:
        self.full_name_key = fold(value)
        return value

    # Flask-Login protocol, implemented here so that the domain does not depend on Flask-Login.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The session's token, never the account's id: the cookie names a revocable server-side session."""
        if not self.session_token:
            raise RuntimeError(
                "sign in through cases.accounts.sessions.start, which gives the session its token"
            )
        return self.session_token

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"
