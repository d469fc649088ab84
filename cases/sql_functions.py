"""SQL expressions written differently per database, where the portable form is needlessly slow."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class month_of(FunctionElement[int]):  # noqa: N801  (used like a SQL function)
    """The month (1–12) of a date column.

    ``EXTRACT(month FROM d)`` on PostgreSQL. On SQLite, where a date is stored as ``YYYY-MM-DD`` text,
    the two characters of the month: SQLAlchemy's portable ``extract`` becomes ``strftime('%m', d)``,
    which parses the date on every row (a year's months at 100,000 cases: 30 ms → 22 ms).
    """

    type = Integer()
    inherit_cache = True
    name = "month_of"


@compiles(month_of)
def _month_of_default(element: month_of, compiler: Any, **kw: Any) -> str:
    (column,) = element.clauses
    return f"EXTRACT(month FROM {compiler.process(column, **kw)})"


@compiles(month_of, "sqlite")
def _month_of_sqlite(element: month_of, compiler: Any, **kw: Any) -> str:
    (column,) = element.clauses
    return f"CAST(substr({compiler.process(column, **kw)}, 6, 2) AS INTEGER)"
