"""Helpers for the tests of the items checked on a case and its findings (cases made from the model)."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select

from cases.db import db
from cases.models import Case, CaseField, User, Violation

_numbers = itertools.count(1)
PREFIX = {"inspection": "KT", "ecommerce": "TMĐT", "survey": "KS"}


def make_case(
    author: User | int,
    kind: str = "inspection",
    *,
    status: str = "draft",
    opened_on: dt.date = dt.date(2026, 3, 10),
    start_date: dt.date | None = None,
    fields: tuple[str, ...] = (),
    team: tuple[User, ...] = (),
) -> Case:
    """A case (flushed, not committed) in Phường Long Xuyên."""
    author_id = author if isinstance(author, int) else author.id
    case = Case(
        number=f"{PREFIX[kind]}-{next(_numbers):04d}/2026",
        kind=kind,
        status=status,
        opened_on=opened_on,
        start_date=start_date,
        commune_code="30307",
        created_by_id=author_id,
    )
    case.field_rows = [CaseField(field=f) for f in fields]
    case.team = list(team)
    db.session.add(case)
    db.session.flush()
    return case


def violation(code: str) -> Violation:
    found = db.session.scalar(select(Violation).where(Violation.code == code))
    assert found is not None, code
    return found


def attached(user: User) -> User:
    found = db.session.get(User, user.id)
    assert found is not None
    return found
