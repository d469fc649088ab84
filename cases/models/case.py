"""Cases: inspections, e-commerce checks and surveys, in one table with kind-specific columns.

Kind-specific columns are empty for the other kinds; the rules of which are required live in
``cases/recording/rules.py``. ``version`` guards against lost updates (optimistic locking).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
    event,
    false,
    func,
    literal_column,
    or_,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from cases.db import Model, db
from cases.models.catalog import Violation
from cases.models.establishment import Establishment
from cases.models.geo import Commune, FormerDistrict, FormerWard
from cases.models.user import User

case_team_member = Table(
    "case_team_member",
    db.metadata,
    Column("case_id", ForeignKey("case_record.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id"), primary_key=True, index=True),
)


class CaseNumberCounter(Model):
    """The last number given per prefix and year (``KT`` 2026 → 17), so numbers are unique and gapless."""

    __tablename__ = "case_number_counter"

    prefix: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class SurveyCampaign(Model):
    """A named survey campaign, e.g. "Khảo sát xăng dầu 2026"."""

    __tablename__ = "survey_campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)


class CaseField(Model):
    """A field of inspection checked in a case (one or more per inspection, one per survey)."""

    __tablename__ = "case_field"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)


class Case(Model):
    __tablename__ = "case_record"
    __table_args__ = (
        # the annual report and the dashboard count a year's cases by these columns: an index that covers
        # them lets both databases answer from the index alone (cases/reporting/figures.py)
        Index(
            "ix_case_record_report",
            "opened_on",
            "status",
            "kind",
            "commune_code",
            "mode",
            "action",
            "taken_down_on",
            "former_district_code",
            "establishment_id",
            "has_violation",
            # PostgreSQL's index-only scans need the id too (the year's cases joined to their findings);
            # a SQLite index always holds the row's id
            postgresql_include=["id"],
        ),
        # an establishment's cases with a violation, by date and commune, answered from the index (the
        # dashboard's repeat offenders: the cases of 4,000 establishments at 100,000 cases)
        Index(
            "ix_case_record_establishment",
            "establishment_id",
            "has_violation",
            "opened_on",
            "commune_code",
            "id",
        ),
        # the case list's order (newest first) read from an index: no sort of the whole table per page
        Index("ix_case_record_opened_on_id", "opened_on", "id"),
        # the review queue: submitted cases, the longest waiting first
        Index("ix_case_record_status_submitted_at", "status", "submitted_at", "id"),
        # text search (LIKE '%word%' on the folded text): a trigram GIN index on PostgreSQL (pg_trgm); on
        # SQLite a plain index, which the count of a search scans instead of the wider table
        Index(
            "ix_case_record_search_key",
            "search_key",
            postgresql_using="gin",
            postgresql_ops={"search_key": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)  # enums.CaseKind
    status: Mapped[str] = mapped_column(String(20), index=True, default="draft")  # enums.CaseStatus
    opened_on: Mapped[dt.date] = mapped_column(Date, index=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)

    # location: today's commune always; the former ward and district as recorded for earlier dates
    commune_code: Mapped[str] = mapped_column(ForeignKey("commune.code"), index=True)
    address: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    former_ward_code: Mapped[str | None] = mapped_column(ForeignKey("former_ward.code"))
    former_district_code: Mapped[str | None] = mapped_column(ForeignKey("former_district.code"), index=True)

    establishment_id: Mapped[int | None] = mapped_column(ForeignKey("establishment.id"))  # indexed above
    product: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    conclusion: Mapped[str | None] = mapped_column(Text)

    # inspection
    mode: Mapped[str | None] = mapped_column(String(20))  # enums.InspectionMode
    decision_number: Mapped[str | None] = mapped_column(String(100))
    decision_date: Mapped[dt.date | None] = mapped_column(Date)
    decision_signer: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    coordinating_agencies: Mapped[str | None] = mapped_column(Text)
    follow_up_of_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id"), index=True)

    # e-commerce check
    platform: Mapped[str | None] = mapped_column(String(20))  # enums.Platform
    listing_url: Mapped[str | None] = mapped_column(Text)
    listing_url_key: Mapped[str | None] = mapped_column(String(500), index=True)  # normalised
    seller_name: Mapped[str | None] = mapped_column(String(300))
    seller_platform_id: Mapped[str | None] = mapped_column(String(200))
    seller_key: Mapped[str | None] = mapped_column(String(300), index=True)  # platform:folded id or name
    price_vnd: Mapped[int | None] = mapped_column(BigInteger)
    suspected_issue: Mapped[str | None] = mapped_column(String(30))  # enums.SuspectedIssue
    action: Mapped[str | None] = mapped_column(String(30))  # enums.EcommerceAction
    action_on: Mapped[dt.date | None] = mapped_column(Date)
    platform_response: Mapped[str | None] = mapped_column(Text)
    taken_down_on: Mapped[dt.date | None] = mapped_column(Date)
    referral_reference: Mapped[str | None] = mapped_column(String(200))

    # survey
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("survey_campaign.id"), index=True)

    # review workflow (cases/review/workflow.py); who approved, closed or reopened, and when, is in
    # audit_event
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    return_note: Mapped[str | None] = mapped_column(Text)  # the manager's note while the case is returned
    returned_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    # bookkeeping
    import_ref: Mapped[str | None] = mapped_column(String(100), unique=True)
    search_key: Mapped[str] = mapped_column(Text, default="")  # folded text of the searchable fields
    # at least one confirmed finding: kept by the database's triggers on ``finding`` (migration 0010), never
    # written by the app; the figures and the dashboard read it instead of probing each case's findings
    has_violation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    commune: Mapped[Commune] = relationship()
    former_ward: Mapped[FormerWard | None] = relationship()
    former_district: Mapped[FormerDistrict | None] = relationship()
    establishment: Mapped[Establishment | None] = relationship()
    campaign: Mapped[SurveyCampaign | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    team: Mapped[list[User]] = relationship(secondary=case_team_member, order_by=User.full_name)
    field_rows: Mapped[list[CaseField]] = relationship(cascade="all, delete-orphan", order_by=CaseField.field)
    follow_up_of: Mapped[Case | None] = relationship(remote_side=[id], foreign_keys=[follow_up_of_id])

    instruments: Mapped[list[InstrumentCheck]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="InstrumentCheck.id"
    )
    prepackaged_lots: Mapped[list[PrepackagedLot]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="PrepackagedLot.id"
    )
    goods: Mapped[list[GoodsItem]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="GoodsItem.id"
    )
    samples: Mapped[list[Sample]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Sample.id"
    )
    findings: Mapped[list[Finding]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Finding.id"
    )
    evidence: Mapped[list[EvidenceFile]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="EvidenceFile.id"
    )

    @property
    def fields(self) -> list[str]:
        return [row.field for row in self.field_rows]

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    def __repr__(self) -> str:
        return f"<Case {self.number} {self.kind} {self.status}>"


class InstrumentCheck(Model):
    """A measuring instrument checked during an inspection."""

    __tablename__ = "instrument_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"), index=True)
    instrument_type: Mapped[str] = mapped_column(String(30))  # enums.InstrumentType
    description: Mapped[str | None] = mapped_column(String(300))  # name, model, maker
    serial_number: Mapped[str | None] = mapped_column(String(100))
    certificate_number: Mapped[str | None] = mapped_column(String(100))  # verification stamp/certificate
    certificate_expiry: Mapped[dt.date | None] = mapped_column(Date)
    seal_condition: Mapped[str | None] = mapped_column(String(20))  # enums.SealCondition
    measured_error: Mapped[float | None] = mapped_column(Float)
    error_limit: Mapped[float | None] = mapped_column(Float)
    error_unit: Mapped[str | None] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(String(20), default="pass")  # enums.ItemResult
    notes: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="instruments")


class PrepackagedLot(Model):
    """A lot of prepackaged goods whose quantity was checked (TT 21/2014)."""

    __tablename__ = "prepackaged_lot"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"), index=True)
    product: Mapped[str] = mapped_column(String(300))
    nominal_quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(10))  # g, kg, mL, L
    sample_size: Mapped[int] = mapped_column(Integer)
    mean_measured: Mapped[float] = mapped_column(Float)
    count_short_over_t: Mapped[int | None] = mapped_column(Integer)  # units short by more than T
    count_short_over_2t: Mapped[int | None] = mapped_column(Integer)  # units short by more than 2T
    result: Mapped[str] = mapped_column(String(20))  # enums.ItemResult, computed by the rule
    notes: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="prepackaged_lots")


class GoodsItem(Model):
    """Goods checked for quality, label, CR mark or barcode."""

    __tablename__ = "goods_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    product_group: Mapped[str | None] = mapped_column(String(100))
    origin: Mapped[str | None] = mapped_column(String(200))
    quantity: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(30))
    value_vnd: Mapped[int | None] = mapped_column(BigInteger)
    label_observation: Mapped[str | None] = mapped_column(Text)
    cr_mark_observation: Mapped[str | None] = mapped_column(Text)
    barcode: Mapped[str | None] = mapped_column(String(20))
    barcode_observation: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str] = mapped_column(String(20), default="pass")  # enums.ItemResult

    case: Mapped[Case] = relationship(back_populates="goods")


class Sample(Model):
    """A sample taken (inspection or survey), with its lab test against a named standard."""

    __tablename__ = "sample"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"), index=True)
    establishment_id: Mapped[int | None] = mapped_column(ForeignKey("establishment.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    code: Mapped[str | None] = mapped_column(String(50))
    standard: Mapped[str | None] = mapped_column(String(100))  # TCVN / QCVN
    lab: Mapped[str | None] = mapped_column(String(200))
    sent_on: Mapped[dt.date | None] = mapped_column(Date)
    tested_on: Mapped[dt.date | None] = mapped_column(Date)
    nominal_value: Mapped[float | None] = mapped_column(Float)
    measured_value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(30))
    result: Mapped[str] = mapped_column(String(20), default="pending")  # enums.ItemResult
    notes: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="samples")
    establishment: Mapped[Establishment | None] = relationship()


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
    status: Mapped[str] = mapped_column(String(20), default="proposed", index=True)  # enums.FindingStatus
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


def open_takedown_condition() -> ColumnElement[bool]:
    """A takedown requested and not yet done: the condition of the partial index below, repeated term for
    term (literal SQL, not parameters) by the queries meant to use it (see ``open_sanction_condition``)."""
    c = Case.__table__.c
    return and_(c.action == literal_column("'takedown_request'"), c.taken_down_on.is_(None))


# e-commerce takedowns still waiting (the dashboard, the list's filter): read without the other cases, and
# with what the dashboard shows of them (the longest waiting), from the index alone
Index(
    "ix_case_record_open_takedown",
    Case.__table__.c.kind,
    Case.__table__.c.status,
    Case.__table__.c.action_on,
    Case.__table__.c.opened_on,
    Case.__table__.c.number,
    Case.__table__.c.platform,
    Case.__table__.c.seller_name,
    # the condition's columns too: SQLite reads the table for them otherwise
    Case.__table__.c.action,
    Case.__table__.c.taken_down_on,
    sqlite_where=open_takedown_condition(),
    postgresql_where=open_takedown_condition(),
    postgresql_include=["id"],
)


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


class EvidenceFile(Model):
    """A photo or PDF attached to a case or one of its findings, stored outside the static folder."""

    __tablename__ = "evidence_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"), index=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("finding.id", ondelete="SET NULL"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)  # random, no user input
    content_type: Mapped[str] = mapped_column(String(50))  # sniffed from the content
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    captured_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    has_thumbnail: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(String(300))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    case: Mapped[Case] = relationship(back_populates="evidence")
    finding: Mapped[Finding | None] = relationship(back_populates="evidence")
    uploaded_by: Mapped[User | None] = relationship()


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
