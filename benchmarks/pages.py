"""The pages timed by ``make bench``: one entry per page. Add a page by adding one entry to :data:`PAGES`.

An entry names the endpoint and builds its URL arguments from the data set's :class:`Sample`; an entry
whose endpoint the app does not have (a feature not merged yet) is skipped and reported as such.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from cases.db import db
from cases.models import Case, Establishment


@dataclass
class Sample:
    """Ids and values the pages are requested with, picked from the data set."""

    case_ids: list[int]
    establishment_id: int  # the establishment with the most cases
    commune_code: str  # the commune with the most cases
    year: int
    search_accented: str
    search_plain: str


@dataclass(frozen=True)
class Page:
    name: str
    endpoint: str
    args: Callable[[Sample, int], dict[str, Any]]  # (sample, request number) -> url_for arguments
    repeats: int | None = None  # fewer requests for a slow page (the PDF)


PAGES: tuple[Page, ...] = (
    Page("case list", "cases.index", lambda s, i: {}),
    Page(
        "case list, filtered",
        "cases.index",
        lambda s, i: {
            "kind": "inspection",
            "status": "closed",
            "field": "fuel",
            "commune_code": s.commune_code,
        },
    ),
    Page("case list, page 200", "cases.index", lambda s, i: {"page": 200}),
    Page("search, with diacritics", "cases.index", lambda s, i: {"q": s.search_accented}),
    Page("search, without diacritics", "cases.index", lambda s, i: {"q": s.search_plain}),
    Page("case page", "cases.show", lambda s, i: {"case_id": s.case_ids[i % len(s.case_ids)]}),
    Page("review queue", "review.index", lambda s, i: {}),
    Page("establishment page", "establishments.show", lambda s, i: {"establishment_id": s.establishment_id}),
    Page("establishment list", "establishments.index", lambda s, i: {}),
    # issue 6 and issue 5: the dashboard (a manager's home page), the annual report page and its PDF
    Page("dashboard", "main.index", lambda s, i: {}),
    Page("annual report page (figures)", "reports.annual", lambda s, i: {"year": s.year}),
    Page("annual report PDF", "reports.pdf", lambda s, i: {"year": s.year}, repeats=3),
)


def pick_sample(count: int = 50) -> Sample:
    """Spread-out case ids, the busiest establishment and commune, and search words that exist."""
    total = db.session.scalar(select(func.count()).select_from(Case)) or 1
    step = max(1, total // count)
    ids = list(db.session.scalars(select(Case.id).order_by(Case.id)))[::step][:count]
    establishment_id = db.session.execute(
        select(Case.establishment_id, func.count())
        .where(Case.establishment_id.is_not(None))
        .group_by(Case.establishment_id)
        .order_by(func.count().desc(), Case.establishment_id)
        .limit(1)
    ).scalar_one()
    commune_code = db.session.execute(
        select(Case.commune_code, func.count())
        .group_by(Case.commune_code)
        .order_by(func.count().desc(), Case.commune_code)
        .limit(1)
    ).scalar_one()
    name = db.session.get(Establishment, establishment_id).name  # type: ignore[union-attr]
    words = " ".join(name.split()[-2:])  # "Phước Thịnh"
    from cases.text import fold

    year = db.session.scalar(select(func.max(Case.opened_on))).year - 1  # type: ignore[union-attr]
    return Sample(ids, establishment_id, commune_code, year, words, fold(words))
