"""Who issues the official documents (issue 17): the agency's names and treasury account, its signers, and
the sanctioning authority (reference data, dated: Decree 189/2025) with the fine maxima of each field, and
the files transferred to a competent authority when a fine exceeds the signer's.

The agency is one row (``id`` 1) that an administrator edits; until it exists the documents use the
defaults of ``cases/documents/agency.py``. A signer holds (optionally) a sanctioning authority, named by its
``code`` (the authority's versions are dated, so the code is what stays), and may carry the delegation
decision (giao quyền xử phạt) by which he holds it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases.db import Model
from cases.models.finding import Finding
from cases.models.user import User


class AgencySetting(Model):
    """The agency as an administrator set it (one row, ``id`` 1)."""

    __tablename__ = "agency_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_name: Mapped[str] = mapped_column(String(200))  # "UBND TỈNH AN GIANG"
    name: Mapped[str] = mapped_column(String(200))  # "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    place_name: Mapped[str] = mapped_column(String(100))  # "An Giang", beside the date
    symbol: Mapped[str] = mapped_column(String(30))  # "SKHCN", in the document numbers
    treasury_account: Mapped[str | None] = mapped_column(String(100))
    treasury_name: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class AgencySigner(Model):
    """A person who signs documents: name, title as printed, the sanctioning authority held."""

    __tablename__ = "agency_signer"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))  # may hold two lines: "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    authority_code: Mapped[str | None] = mapped_column(String(40))  # SanctionAuthority.code
    delegation_reference: Mapped[str | None] = mapped_column(String(200))  # "Quyết định số …/QĐ-GQXP"
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<AgencySigner {self.full_name}>"


class SanctionAuthority(Model):
    """Who may fine how much (Decree 189/2025): a title and its ceiling as a percentage of the field's
    maximum fine, dated. Seeded from ``cases/data/sanction_authorities.csv``."""

    __tablename__ = "sanction_authority"
    __table_args__ = (UniqueConstraint("code", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)  # "department-director"
    title: Mapped[str] = mapped_column(String(200))  # "Giám đốc Sở"
    percent_of_maximum: Mapped[int] = mapped_column(Integer)  # 80
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    legal_basis: Mapped[str] = mapped_column(String(300))
    confidence: Mapped[str] = mapped_column(String(20))  # enums.Confidence
    confidence_note: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<SanctionAuthority {self.code} {self.percent_of_maximum}%>"


class FieldFineMaximum(Model):
    """The maximum fine of a field of inspection for an individual and an organisation (Law on Handling
    Administrative Violations, Art. 24). Seeded from ``cases/data/field_fine_maxima.csv``; a field not
    listed has no maximum known, and no ceiling is computed for it."""

    __tablename__ = "field_fine_maximum"

    field: Mapped[str] = mapped_column(String(20), primary_key=True)  # enums.InspectionField
    individual_max_vnd: Mapped[int] = mapped_column(BigInteger)
    organisation_max_vnd: Mapped[int] = mapped_column(BigInteger)
    legal_basis: Mapped[str] = mapped_column(String(300))
    confidence: Mapped[str] = mapped_column(String(20))  # enums.Confidence
    confidence_note: Mapped[str | None] = mapped_column(Text)


class FileTransfer(Model):
    """A finding's file transferred (chuyển hồ sơ) to the authority competent for its fine."""

    __tablename__ = "file_transfer"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id"), index=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("sanction_authority.id"))
    fine_vnd: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(Text)
    transferred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    transferred_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    finding: Mapped[Finding] = relationship()
    authority: Mapped[SanctionAuthority] = relationship()
    transferred_by: Mapped[User | None] = relationship()
