"""Findings: the violations proposed on a case, their review and sanction; the open sanctions' index, and
the expiry of ``Case.has_violation`` once findings were flushed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    and_,
    event,
    func,
    literal_column,
    or_,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from cases.db import Model
from cases.enums import FindingStatus
from cases.models.case import Case
from cases.models.catalog import Violation
from cases.models.user import User

if TYPE_CHECKING:  # mapped by name: that module imports this one
    from cases.models.evidence import EvidenceFile


class Finding(Model):
    """A proposed violation on an inspection or e-commerce check (reviewed by a manager later)."""

    __tablename__ = "finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"), index=True)
    violation_id: Mapped[int] = mapped_column(ForeignKey("violation.id"), index=True)
    offender_type: Mapped[str] = mapped_column(String(20))  # enums.OffenderType
    goods_description: Mapped[str | None] = mapped_column(Text)
    goods_quantity: Mapped[float | None] = mapped_column(Float)
    goods_unit: Mapped[str | None] = mapped_column(String(30))
    goods_value_vnd: Mapped[int | None] = mapped_column(BigInteger)
    proposed_fine_vnd: Mapped[int | None] = mapped_column(BigInteger)
    proposed_remedies: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(  # enums.FindingStatus
        String(20), default=FindingStatus.PROPOSED.value, index=True
    )
    decided_fine_vnd: Mapped[int | None] = mapped_column(BigInteger)  # set on review; imports carry it
    # review (cases/review/decisions.py): confirmed, dismissed or (e-commerce) referred, with the reason
    review_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # the sanction decided on a confirmed finding
    sanction_form: Mapped[str | None] = mapped_column(String(20))  # enums.SanctionForm
    decision_number: Mapped[str | None] = mapped_column(String(100))
    decision_date: Mapped[dt.date | None] = mapped_column(Date)
    fine_override_reason: Mapped[str | None] = mapped_column(Text)
    additional_penalties: Mapped[str | None] = mapped_column(Text)
    remedies_decided: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    seized_goods_value_vnd: Mapped[int | None] = mapped_column(BigInteger)  # confiscated or destroyed
    fine_paid_on: Mapped[dt.date | None] = mapped_column(Date)
    remedy_done_on: Mapped[dt.date | None] = mapped_column(Date)
    # e-commerce: referral to another agency instead of a sanction
    referral_agency: Mapped[str | None] = mapped_column(String(255))
    referral_on: Mapped[dt.date | None] = mapped_column(Date)
    referral_reference: Mapped[str | None] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship(back_populates="findings")
    violation: Mapped[Violation] = relationship()
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    evidence: Mapped[list[EvidenceFile]] = relationship(back_populates="finding", order_by="EvidenceFile.id")


def open_sanction_condition() -> ColumnElement[bool]:
    """A fine decided and not paid, or remedies decided and not done (whatever the deadline).

    The condition of the partial index below and a term of every query meant to use it, written the
    same way: its constants are literal SQL rather than parameters, because SQLite uses a partial index
    only when the query repeats the index's condition term for term.
    """
    c = Finding.__table__.c
    zero: ColumnElement[int] = literal_column("0")
    empty: ColumnElement[str] = literal_column("''")
    return or_(
        and_(c.decided_fine_vnd > zero, c.fine_paid_on.is_(None)),
        and_(c.remedies_decided.is_not(None), c.remedies_decided != empty, c.remedy_done_on.is_(None)),
    )


# a case's confirmed findings answered from the index alone (the report's and the dashboard's "with a
# confirmed violation", by catalog group, with the fine): no read of the finding rows themselves
Index(
    "ix_finding_case_status",
    Finding.__table__.c.case_id,
    Finding.__table__.c.status,
    Finding.__table__.c.violation_id,
    Finding.__table__.c.decided_fine_vnd,
)

# the sanctions still to comply with (the navigation's overdue count on every manager page, the dashboard,
# the list's "overdue" filter): a few percent of the findings, found without reading the others
Index(
    "ix_finding_open_sanction",
    Finding.__table__.c.status,
    Finding.__table__.c.deadline,
    sqlite_where=open_sanction_condition(),
    postgresql_where=open_sanction_condition(),
)


# ``Case.has_violation`` is written by the database's triggers on ``finding`` (migration 0010), never by
# the ORM: when findings were flushed, the copies of the flag held by loaded cases may be out of date, so
# they are expired and read again from the database when next asked for.
@event.listens_for(Session, "after_flush")
def _note_flushed_findings(session: Session, _context: Any) -> None:
    if any(isinstance(o, Finding) for o in (*session.new, *session.dirty, *session.deleted)):
        session.info["findings_flushed"] = True


@event.listens_for(Session, "after_flush_postexec")
def _expire_violation_flags(session: Session, _context: Any) -> None:
    if session.info.pop("findings_flushed", False):
        for obj in list(session.identity_map.values()):
            if isinstance(obj, Case):
                session.expire(obj, ["has_violation"])
