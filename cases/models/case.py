"""Cases: inspections, e-commerce checks and surveys, in one table with kind-specific columns; their
numbering counters, fields of inspection, survey campaigns and teams.

Kind-specific columns are empty for the other kinds; the rules of which are required live in
``cases/recording/rules.py``. ``version`` guards against lost updates (optimistic locking). What a case
holds is in the modules beside this one: its items (``items``), findings (``finding``) and evidence files
(``evidence``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

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
    false,
    func,
    literal_column,
    select,
    update,
)
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from cases.db import Model, db
from cases.enums import CaseStatus, EcommerceAction
from cases.models.establishment import Establishment
from cases.models.geo import Commune, FormerDistrict, FormerWard
from cases.models.user import User

if TYPE_CHECKING:  # mapped by name: these modules import this one
    from cases.models.evidence import EvidenceFile
    from cases.models.finding import Finding
    from cases.models.items import GoodsItem, InstrumentCheck, PrepackagedLot, Sample
    from cases.models.planning import Tip

case_team_member = Table(
    "case_team_member",
    db.metadata,
    Column("case_id", ForeignKey("case_record.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id"), primary_key=True, index=True),
    Column("team_role", String(20)),  # enums.TeamRole; empty: a member whose role was not given
)


def team_roles(case_id: int) -> dict[int, str | None]:
    """The role of each member of a case's team (``enums.TeamRole``; ``None``: not given), by user id."""
    rows = db.session.execute(
        select(case_team_member.c.user_id, case_team_member.c.team_role).where(
            case_team_member.c.case_id == case_id
        )
    )
    return {user_id: role for user_id, role in rows}


def store_team_roles(case_id: int, leader_id: int | None, technical_id: int | None) -> None:
    """Give the case's team their roles: the leader, the technical officer, the others members; when
    neither is chosen, no member has a role (a case without roles)."""
    if leader_id is None and technical_id is None:
        role = None
    else:
        role = sql_case(
            (case_team_member.c.user_id == leader_id, "leader"),
            (case_team_member.c.user_id == technical_id, "technical"),
            else_="member",
        )
    db.session.execute(
        update(case_team_member).where(case_team_member.c.case_id == case_id).values(team_role=role)
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
    field: Mapped[str | None] = mapped_column(String(20))  # enums.InspectionField
    description: Mapped[str | None] = mapped_column(Text)


class CaseField(Model):
    """A field of inspection checked in a case (one or more per inspection, one per survey)."""

    __tablename__ = "case_field"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)  # enums.InspectionField


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
    status: Mapped[str] = mapped_column(  # enums.CaseStatus
        String(20), index=True, default=CaseStatus.DRAFT.value
    )
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

    # planning (issue 18): the tip an unscheduled case was opened from, and the once-a-year rule
    # (``cases/recording/rules.py:check_once_a_year``): clear signs of a violation (a tick and its text, given
    # together) allow a second inspection in a year; otherwise only a manager's override with its reason
    tip_id: Mapped[int | None] = mapped_column(ForeignKey("tip.id"), index=True)
    clear_signs: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    clear_signs_text: Mapped[str | None] = mapped_column(Text)
    yearly_override_reason: Mapped[str | None] = mapped_column(Text)
    yearly_override_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

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
    tip: Mapped[Tip | None] = relationship("Tip", foreign_keys=[tip_id])
    yearly_override_by: Mapped[User | None] = relationship(foreign_keys=[yearly_override_by_id])

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
        return self.status == CaseStatus.DRAFT

    def __repr__(self) -> str:
        return f"<Case {self.number} {self.kind} {self.status}>"


def open_takedown_condition() -> ColumnElement[bool]:
    """A takedown requested and not yet done: the condition of the partial index below, repeated term for
    term (literal SQL, not parameters) by the queries meant to use it (see ``open_sanction_condition``)."""
    c = Case.__table__.c
    return and_(
        c.action == literal_column(f"'{EcommerceAction.TAKEDOWN_REQUEST.value}'"), c.taken_down_on.is_(None)
    )


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
