"""Reading cases: the filtered list behind the case pages, the export and the import checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, TypeVarTuple

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import joinedload, selectinload

from cases.accounts import permissions
from cases.enums import COUNTED_STATUSES, CaseKind, CaseStatus, FindingStatus
from cases.models import Case, CaseField, Finding, Violation, case_team_member
from cases.text import fold

#: the columns of a select that a filter passes through unchanged
_Columns = TypeVarTuple("_Columns")


@dataclass
class CaseFilters:
    """The filters of a case list; every one optional. They round-trip through the URL."""

    q: str | None = None
    kind: str | None = None
    status: str | None = None
    field: str | None = None
    commune_code: str | None = None
    former_district_code: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    inspector_id: int | None = None
    establishment_id: int | None = None
    # the dashboard's links (docs/dashboard.md): a year and month of opening, and what the figure counts
    year: int | None = None
    month: int | None = None  # 1–12, with ``year``
    counted: bool = False  # approved or closed: the cases the report and the dashboard count
    has_violation: bool = False  # at least one confirmed finding
    violation_group: str | None = None  # a confirmed finding of this catalog group
    fine: str | None = None  # a confirmed finding with a fine: "decided", "paid" or "unpaid"
    overdue: bool = False  # a confirmed finding past its deadline, fine unpaid or remedy not done
    takedown_open: bool = False  # takedown requested, not yet taken down (cancelled cases left out)

    def as_args(self) -> dict[str, Any]:
        """The non-empty filters as URL query arguments (dates as ISO strings, flags as 1)."""
        out: dict[str, Any] = {}
        for key, value in asdict(self).items():
            if value in (None, "") or value is False:
                continue
            if value is True:
                value = 1
            out[key] = value.isoformat() if isinstance(value, dt.date) else value
        return out

    def without(self, *keys: str) -> dict[str, Any]:
        """The URL arguments of these filters less ``keys`` (a "remove this filter" link)."""
        args = self.as_args()
        if "year" in keys:
            keys = (*keys, "month")
        return {k: v for k, v in args.items() if k not in keys}

    @property
    def active(self) -> bool:
        return bool(self.as_args())


def case_list_query(filters: CaseFilters, *, user: Any) -> Select[Case]:
    """Cases the user may see that match ``filters``, newest first, with what a list row shows loaded."""
    return _as_list_rows(filter_cases(select(Case), filters, user=user))


def _as_list_rows(stmt: Select[Case]) -> Select[Case]:
    """Newest first, with what a list row shows loaded."""
    return stmt.options(
        joinedload(Case.commune),
        joinedload(Case.establishment),
        selectinload(Case.field_rows),
    ).order_by(Case.opened_on.desc(), Case.id.desc())


def page_of(stmt: Select[Case], *, limit: int, offset: int) -> Select[Case]:
    """One page of ``stmt``'s cases (a :func:`case_list_query`), the page's ids found first.

    ``LIMIT … OFFSET`` on the list itself reads every skipped case's row and its joined commune and
    establishment: 5,000 of each for page 200, 11–14 ms. Here the skipped rows are skipped in a
    subquery of ids only, which the index on (opened_on, id) answers without reading the table
    ("deferred join"); only the page's 25 cases are then read whole. One statement, as before.
    """
    ids = stmt.with_only_columns(Case.id).limit(limit).offset(offset)
    return _as_list_rows(select(Case).where(Case.id.in_(ids.scalar_subquery())))


def filter_cases(stmt: Select[*_Columns], filters: CaseFilters, *, user: Any) -> Select[*_Columns]:
    """``stmt`` (a select from ``case_record``, of entities or of plain columns) limited to the cases the
    user may see that match ``filters``."""
    scope = permissions.commune_scope(user)
    if scope is not None:
        stmt = stmt.where(Case.commune_code.in_(sorted(scope)))
    if filters.kind:
        stmt = stmt.where(Case.kind == filters.kind)
    if filters.status:
        stmt = stmt.where(Case.status == filters.status)
    if filters.field:
        stmt = stmt.where(exists().where(CaseField.case_id == Case.id, CaseField.field == filters.field))
    if filters.commune_code:
        stmt = stmt.where(Case.commune_code == filters.commune_code)
    if filters.former_district_code:
        stmt = stmt.where(Case.former_district_code == filters.former_district_code)
    if filters.date_from:
        stmt = stmt.where(Case.opened_on >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(Case.opened_on <= filters.date_to)
    if filters.inspector_id:
        stmt = stmt.where(Case.id.in_(own_case_ids(filters.inspector_id)))
    if filters.establishment_id:
        stmt = stmt.where(Case.establishment_id == filters.establishment_id)
    stmt = _dashboard_filters(stmt, filters)
    if filters.q:
        for word in fold(filters.q).split()[:8]:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            stmt = stmt.where(Case.search_key.like(f"%{escaped}%", escape="\\"))
    return stmt


FINE_FILTERS = ("decided", "paid", "unpaid")


def _dashboard_filters(stmt: Select[*_Columns], filters: CaseFilters) -> Select[*_Columns]:
    """The filters the dashboard's numbers link to; each is an index-friendly range or an EXISTS."""
    if filters.year:
        if filters.month and 1 <= filters.month <= 12:
            start = dt.date(filters.year, filters.month, 1)
            end = dt.date(filters.year + (filters.month == 12), filters.month % 12 + 1, 1)
        else:
            start, end = dt.date(filters.year, 1, 1), dt.date(filters.year + 1, 1, 1)
        stmt = stmt.where(Case.opened_on >= start, Case.opened_on < end)
    if filters.counted:
        stmt = stmt.where(Case.status.in_(COUNTED_STATUSES))
    confirmed = [Finding.case_id == Case.id, Finding.status == FindingStatus.CONFIRMED.value]
    if filters.has_violation:
        stmt = stmt.where(Case.has_violation)  # kept from the findings by the database (migration 0010)
    if filters.violation_group:
        in_group = select(Violation.id).where(Violation.group_name == filters.violation_group)
        stmt = stmt.where(exists().where(*confirmed, Finding.violation_id.in_(in_group)))
    if filters.fine in FINE_FILTERS:
        fined = [*confirmed, Finding.decided_fine_vnd > 0]
        if filters.fine == "paid":
            fined.append(Finding.fine_paid_on.is_not(None))
        elif filters.fine == "unpaid":
            fined.append(Finding.fine_paid_on.is_(None))
        stmt = stmt.where(exists().where(*fined))
    if filters.overdue:
        stmt = stmt.where(exists().where(Finding.case_id == Case.id, overdue_condition(dt.date.today())))
    if filters.takedown_open:
        stmt = stmt.where(takedown_open_condition())
    return stmt


def takedown_open_condition() -> Any:
    """An e-commerce check whose takedown was requested and is not yet done (not cancelled)."""
    from sqlalchemy import and_

    from cases.models.case import open_takedown_condition

    # answered from the partial index ix_case_record_open_takedown (cases/models/case.py)
    return and_(
        Case.kind == CaseKind.ECOMMERCE.value,
        Case.status != CaseStatus.CANCELLED.value,
        open_takedown_condition(),
    )


def case_detail_query(case_id: int) -> Select[Case]:
    return (
        select(Case)
        .where(Case.id == case_id)
        .options(
            joinedload(Case.commune),
            joinedload(Case.establishment),
            joinedload(Case.former_ward),
            joinedload(Case.former_district),
            joinedload(Case.campaign),
            joinedload(Case.created_by),
            selectinload(Case.field_rows),
            selectinload(Case.findings).joinedload(Finding.violation),
            selectinload(Case.evidence),
            # the team and the four kinds of item are read when the page shows them, one statement each
            # as a selectinload would be, and not at all for a kind of case that cannot have them (an
            # e-commerce check has neither team, nor instruments, lots or samples)
        )
    )


def own_case_ids(user_id: int, statuses: list[str] | None = None) -> Any:
    """The ids of the cases a user created or is on the team of (optionally in ``statuses``).

    Two indexed lookups united, not ``created_by_id = ? OR EXISTS (team)``: that condition has no index
    and read every case of the database for each inspector's page.
    """
    from sqlalchemy import union

    created = select(Case.id).where(Case.created_by_id == user_id)
    on_team = (
        select(case_team_member.c.case_id)
        .join(Case, Case.id == case_team_member.c.case_id)
        .where(case_team_member.c.user_id == user_id)
    )
    if statuses is not None:
        created = created.where(Case.status.in_(statuses))
        on_team = on_team.where(Case.status.in_(statuses))
    return union(created, on_team)


def my_open_cases(user: Any, *, limit: int = 10) -> list[Case]:
    """The user's own drafts and returned cases (created by them or with them on the team), newest first."""
    open_statuses = [CaseStatus.DRAFT.value, CaseStatus.RETURNED.value]
    stmt = (
        select(Case)
        .where(Case.id.in_(own_case_ids(user.id, open_statuses)))
        .options(joinedload(Case.commune), joinedload(Case.establishment))
        .order_by(Case.status.desc(), Case.updated_at.desc(), Case.id.desc())
        .limit(limit)
    )
    from cases.db import db

    return list(db.session.scalars(stmt))


def review_queue_query(filters: CaseFilters, *, user: Any) -> Select[Case]:
    """Submitted cases matching ``filters``, the longest waiting first (the managers' review queue)."""
    filters = CaseFilters(**{**asdict(filters), "status": CaseStatus.SUBMITTED.value})
    return (
        case_list_query(filters, user=user)
        .options(joinedload(Case.created_by))  # the queue shows who recorded each case
        .order_by(None)
        .order_by(Case.submitted_at.asc().nulls_first(), Case.id.asc())
    )


def returned_count(user: Any) -> int:
    """The user's returned cases (created by them or with them on the team)."""
    from sqlalchemy import func

    from cases.db import db

    stmt = select(func.count()).select_from(own_case_ids(user.id, [CaseStatus.RETURNED.value]).subquery())
    return db.session.scalar(stmt) or 0


def overdue_condition(today: dt.date) -> Any:
    """A confirmed finding whose sanction deadline has passed with the fine unpaid or the remedy not done.

    Answered from the partial index ``ix_finding_open_sanction`` (``cases/models/finding.py``).
    """
    from sqlalchemy import and_

    from cases.models.finding import open_sanction_condition

    return and_(
        Finding.status == FindingStatus.CONFIRMED.value,
        Finding.deadline.is_not(None),
        Finding.deadline < today,
        open_sanction_condition(),
    )


def overdue_sanctions_query(*, user: Any, today: dt.date) -> Select[Finding]:
    """Confirmed findings past their deadline and not yet complied with, oldest deadline first."""
    stmt = select(Finding).join(Case, Finding.case_id == Case.id).where(overdue_condition(today))
    scope = permissions.commune_scope(user)
    if scope is not None:
        stmt = stmt.where(Case.commune_code.in_(sorted(scope)))
    return stmt.options(
        joinedload(Finding.case).joinedload(Case.establishment),
        joinedload(Finding.violation),
    ).order_by(Finding.deadline, Finding.id)


def review_badge_counts(*, today: dt.date) -> tuple[int, int]:
    """(cases waiting for review, sanctions overdue): the navigation's badge on every page a manager
    opens, in one statement."""
    from sqlalchemy import func

    from cases.db import db

    waiting = (
        select(func.count())
        .select_from(Case)
        .where(Case.status == CaseStatus.SUBMITTED.value)
        .scalar_subquery()
    )
    overdue = select(func.count()).select_from(Finding).where(overdue_condition(today)).scalar_subquery()
    row = db.session.execute(select(waiting, overdue)).one()
    return int(row[0] or 0), int(row[1] or 0)
