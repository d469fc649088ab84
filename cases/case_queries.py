"""Reading cases: the filtered list behind the case pages, the export and the import checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import joinedload, selectinload

from cases import permissions
from cases.models import Case, CaseField, Finding, case_team_member
from cases.text import fold


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

    def as_args(self) -> dict[str, Any]:
        """The non-empty filters as URL query arguments (dates as ISO strings)."""
        out: dict[str, Any] = {}
        for key, value in asdict(self).items():
            if value in (None, ""):
                continue
            out[key] = value.isoformat() if isinstance(value, dt.date) else value
        return out

    @property
    def active(self) -> bool:
        return bool(self.as_args())


def case_list_query(filters: CaseFilters, *, user: Any) -> Select[tuple[Case]]:
    """Cases the user may see that match ``filters``, newest first, with what a list row shows loaded."""
    stmt = select(Case)
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
        member = exists().where(
            case_team_member.c.case_id == Case.id, case_team_member.c.user_id == filters.inspector_id
        )
        stmt = stmt.where(or_(Case.created_by_id == filters.inspector_id, member))
    if filters.establishment_id:
        stmt = stmt.where(Case.establishment_id == filters.establishment_id)
    if filters.q:
        for word in fold(filters.q).split()[:8]:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            stmt = stmt.where(Case.search_key.like(f"%{escaped}%", escape="\\"))
    return stmt.options(
        joinedload(Case.commune),
        joinedload(Case.establishment),
        selectinload(Case.field_rows),
    ).order_by(Case.opened_on.desc(), Case.id.desc())


def case_detail_query(case_id: int) -> Select[tuple[Case]]:
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
            selectinload(Case.team),
            selectinload(Case.field_rows),
            selectinload(Case.instruments),
            selectinload(Case.prepackaged_lots),
            selectinload(Case.goods),
            selectinload(Case.samples),
            selectinload(Case.findings).joinedload(Finding.violation),
            selectinload(Case.evidence),
        )
    )


def my_open_cases(user: Any, *, limit: int = 10) -> list[Case]:
    """The user's own drafts and returned cases (created by them or with them on the team), newest first."""
    member = exists().where(case_team_member.c.case_id == Case.id, case_team_member.c.user_id == user.id)
    stmt = (
        select(Case)
        .where(Case.status.in_(["draft", "returned"]), or_(Case.created_by_id == user.id, member))
        .options(joinedload(Case.commune), joinedload(Case.establishment))
        .order_by(Case.status.desc(), Case.updated_at.desc(), Case.id.desc())
        .limit(limit)
    )
    from cases.db import db

    return list(db.session.scalars(stmt))


def review_queue_query(filters: CaseFilters, *, user: Any) -> Select[tuple[Case]]:
    """Submitted cases matching ``filters``, the longest waiting first (the managers' review queue)."""
    filters = CaseFilters(**{**asdict(filters), "status": "submitted"})
    return (
        case_list_query(filters, user=user)
        .options(joinedload(Case.created_by))  # the queue shows who recorded each case
        .order_by(None)
        .order_by(Case.submitted_at.asc().nulls_first(), Case.id.asc())
    )


def waiting_for_review_count() -> int:
    from sqlalchemy import func

    from cases.db import db

    return db.session.scalar(select(func.count()).select_from(Case).where(Case.status == "submitted")) or 0


def returned_count(user: Any) -> int:
    """The user's returned cases (created by them or with them on the team)."""
    from sqlalchemy import func

    from cases.db import db

    member = exists().where(case_team_member.c.case_id == Case.id, case_team_member.c.user_id == user.id)
    stmt = (
        select(func.count())
        .select_from(Case)
        .where(Case.status == "returned", or_(Case.created_by_id == user.id, member))
    )
    return db.session.scalar(stmt) or 0


def _overdue_condition(today: dt.date) -> Any:
    """A confirmed finding whose sanction deadline has passed with the fine unpaid or the remedy not done."""
    from sqlalchemy import and_

    fine_unpaid = and_(Finding.decided_fine_vnd > 0, Finding.fine_paid_on.is_(None))
    remedy_pending = and_(
        Finding.remedies_decided.is_not(None),
        Finding.remedies_decided != "",
        Finding.remedy_done_on.is_(None),
    )
    return and_(
        Finding.status == "confirmed",
        Finding.deadline.is_not(None),
        Finding.deadline < today,
        or_(fine_unpaid, remedy_pending),
    )


def overdue_sanctions_query(*, user: Any, today: dt.date) -> Select[tuple[Finding]]:
    """Confirmed findings past their deadline and not yet complied with, oldest deadline first."""
    stmt = select(Finding).join(Case, Finding.case_id == Case.id).where(_overdue_condition(today))
    scope = permissions.commune_scope(user)
    if scope is not None:
        stmt = stmt.where(Case.commune_code.in_(sorted(scope)))
    return stmt.options(
        joinedload(Finding.case).joinedload(Case.establishment),
        joinedload(Finding.violation),
    ).order_by(Finding.deadline, Finding.id)


def overdue_sanctions_count(*, today: dt.date) -> int:
    from sqlalchemy import func

    from cases.db import db

    stmt = select(func.count()).select_from(Finding).where(_overdue_condition(today))
    return db.session.scalar(stmt) or 0
