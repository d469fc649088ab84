"""Ids taken before rows are inserted, so bulk writers can point children at parents and insert in plain
executemany batches (SQLite answers an ``INSERT … RETURNING`` batch that must keep the rows' order one
row per statement).

PostgreSQL: ``nextval`` of the table's sequence, as many times as needed, in one statement; safe with
concurrent writers. SQLite: the ids after the largest one, which is what SQLite itself would give (the
tables have no ``AUTOINCREMENT``); the caller must hold the database's write lock (have written in this
transaction already) and insert the rows before reserving again for the same table.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text

from cases.db import db


def reserve_ids(table: Any, count: int) -> list[int]:
    """``count`` new ids for ``table`` (a model or a Table), in increasing order."""
    table = getattr(table, "__table__", table)
    if count <= 0:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        ids = db.session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"),
            {"table": table.name, "count": count},
        )
        return sorted(ids)
    last = db.session.scalar(select(func.max(table.c.id))) or 0
    return list(range(last + 1, last + 1 + count))
