"""Inserting many rows: ids taken before the rows are inserted (so bulk writers can point children at
parents), and the rows inserted in executemany batches.

Ids are reserved rather than read back with ``INSERT … RETURNING`` because SQLite answers a RETURNING
batch that must keep the rows' order one row per statement. PostgreSQL: ``nextval`` of the table's
sequence, as many times as needed, in one statement; safe with concurrent writers. SQLite: the ids after
the largest one, which is what SQLite itself would give (the tables have no ``AUTOINCREMENT``); the caller
must hold the database's write lock (have written in this transaction already) and insert the rows before
reserving again for the same table.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, text

from cases.db import db

#: Rows per batch.
CHUNK = 1000


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


def insert_rows(table: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT ``rows`` (dicts with the same keys) into ``table``: executemany in batches of :data:`CHUNK`.

    Plain executemany on both databases: psycopg pipelines the rows; asking for RETURNING to get
    SQLAlchemy's multi-row INSERTs instead was measured slower on PostgreSQL (psycopg converts each huge
    statement's placeholders anew: 10,000 cases took 27 s instead of 15 s).
    """
    table = getattr(table, "__table__", table)
    stmt = insert(table)
    for start in range(0, len(rows), CHUNK):
        db.session.execute(stmt, rows[start : start + CHUNK])
