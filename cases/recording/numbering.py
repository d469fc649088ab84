"""Case numbers per kind and year (``KT-2026-0001``), unique even when two people save at once."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from cases.db import db
from cases.enums import CaseKind
from cases.models import CaseNumberCounter


def next_case_number(kind: CaseKind | str, year: int) -> str:
    """Reserve the next number for ``kind`` in ``year``."""
    return reserve_case_numbers(kind, year, 1)[0]


def reserve_case_numbers(kind: CaseKind | str, year: int, count: int) -> list[str]:
    """Reserve ``count`` consecutive numbers for ``kind`` in ``year`` (in increasing order).

    The counter row is created if missing (``INSERT … ON CONFLICT DO NOTHING``), then moved by ``count``
    with a single ``UPDATE … RETURNING``: the database serialises concurrent increments (a row lock on
    PostgreSQL, the write lock on SQLite), so two transactions can never get the same number.
    """
    prefix = CaseKind(kind).number_prefix
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(CaseNumberCounter)
        .values(prefix=prefix, year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["prefix", "year"])
    )
    last = db.session.execute(
        update(CaseNumberCounter)
        .where(CaseNumberCounter.prefix == prefix, CaseNumberCounter.year == year)
        .values(last_value=CaseNumberCounter.last_value + count)
        .returning(CaseNumberCounter.last_value)
    ).scalar_one()
    return [f"{prefix}-{year}-{value:04d}" for value in range(last - count + 1, last + 1)]
