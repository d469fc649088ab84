"""Row ids that arrive from outside (a form's hidden field, a select, an import): bounded before any query.

Ids are INTEGER columns (32 bits on PostgreSQL). A larger number sent to the database fails inside the
driver (``OverflowError`` on SQLite, ``DataError`` on PostgreSQL), so it is treated here as what it is: an
id that names no row.
"""

from __future__ import annotations

from typing import Any, TypeVar

from cases.db import db

#: The largest value of a PostgreSQL INTEGER column (far below SQLite's limit).
DB_INT_MAX = 2**31 - 1

T = TypeVar("T")


def fits_id(value: Any) -> bool:
    """Whether ``value`` is an int an id column could hold (1 to :data:`DB_INT_MAX`)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= DB_INT_MAX


def get_row(model: type[T], row_id: Any) -> T | None:
    """``db.session.get(model, row_id)``, or ``None`` for an id no row can have (out of range, not an int)."""
    if not fits_id(row_id):
        return None
    return db.session.get(model, row_id)
