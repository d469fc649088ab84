"""Pagination: the page a list is asked for (every list), and the case list's pages read by
:func:`cases.recording.queries.page_of`."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_sqlalchemy.pagination import SelectPagination

from cases.recording.queries import page_of
from inspect_app.params import page_number


def requested_page() -> int:
    """The ``page`` argument of the request: 1 when missing, malformed or beyond any list (a huge page
    number would overflow the database's OFFSET)."""
    return request.args.get("page", 1, type=page_number)


class CasePagination(SelectPagination):
    """``db.paginate`` for a :func:`cases.recording.queries.case_list_query`: the same page, count and links,
    the page's rows found by id first (deep pages stay as fast as the first)."""

    def _query_items(self) -> list[Any]:
        stmt = page_of(self._query_args["select"], limit=self.per_page, offset=self._query_offset)
        return list(self._query_args["session"].execute(stmt).unique().scalars())
