"""Inserting many rows: ids taken before the rows are inserted (so bulk writers can point children at
parents), and the rows inserted in batches of multi-row INSERTs.

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
    """INSERT ``rows`` (dicts with the same keys) into ``table`` in batches of :data:`CHUNK`.

    On PostgreSQL the statement asks for the primary key back: SQLAlchemy then sends each batch as one
    multi-row INSERT ("insertmanyvalues"), where psycopg's executemany would send the rows one by one
    (pipelined, still several times slower). SQLite's executemany is fast as it is.
    """
    table = getattr(table, "__table__", table)
    stmt = insert(table)
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.returning(*table.primary_key.columns)
    for start in range(0, len(rows), CHUNK):
        db.session.execute(stmt, rows[start : start + CHUNK])
