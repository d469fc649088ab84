"""Whole numbers from URLs (ids, years, page numbers) that the database can take.

Werkzeug's ``<int:…>`` and ``request.args.get(…, type=int)`` accept any number of digits; a number beyond
the database's INTEGER (ids are 32-bit on PostgreSQL, SQLite stops at 64 bits) then failed inside the
query, a 500 for something a user typed. Here such numbers are refused where they are read: a path does
not match (404) and a query argument falls back to its default.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

#: The largest value of a PostgreSQL INTEGER column (and far below SQLite's limit).
DB_INT_MAX = 2**31 - 1
#: The last page a list may be asked for (its offset stays far below the limit at 100 rows a page).
PAGE_MAX = 1_000_000


def db_int(value: str) -> int:
    """``int(value)`` when it fits an INTEGER column, else ``ValueError`` (``request.args.get`` then gives
    the default)."""
    number = int(value)
    if not -DB_INT_MAX - 1 <= number <= DB_INT_MAX:
        raise ValueError(f"{value!r} does not fit an INTEGER column")
    return number


def page_number(value: str) -> int:
    """A list's page number: 1 to :data:`PAGE_MAX` (else ``ValueError``, and the first page is shown)."""
    number = int(value)
    if not 1 <= number <= PAGE_MAX:
        raise ValueError(f"no page {value!r}")
    return number


class DbIntConverter(IntegerConverter):
    """``<int:…>`` in routes, bounded to an INTEGER column: a longer number is a 404, not a 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(
            map, fixed_digits=fixed_digits, min=min, max=DB_INT_MAX if max is None else max, signed=signed
        )
