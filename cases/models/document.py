"""Official documents (issue 17): the dated versions of each document type (reference data), the register
of documents drafted and issued from cases, and its numbering counters.

A template version is chosen by the handling date (Decree 68/2025: the forms of the law in force when the
case is handled). A document is a draft until it is issued: issuing gives it the next number of its type
and year, the signer, and freezes the data it shows (``snapshot``, canonical JSON, with its SHA-256). The
rules of who may do what, and the operations, are in ``cases/documents/register.py``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases.db import Model
from cases.enums import DocumentStatus
from cases.models.case import Case
from cases.models.files import StoredFile
from cases.models.finding import Finding
from cases.models.user import User


class DocumentTemplate(Model):
    """One dated version of a document type: its form, legal bases and number symbol.

    Seeded from ``cases/data/document_templates.csv``; an administrator adds a version when a form or a
    legal basis changes (never by editing code). ``effective_to`` is empty while the version is in force.
    """

    __tablename__ = "document_template"
    __table_args__ = (UniqueConstraint("doc_type", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(30), index=True)  # enums.DocumentType
    version_label: Mapped[str] = mapped_column(String(100))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)
    form_code: Mapped[str | None] = mapped_column(String(30))  # "MBB01", "MQĐ02"; empty when not known
    title: Mapped[str] = mapped_column(String(300))
    legal_bases: Mapped[str] = mapped_column(Text)  # one "Căn cứ" per line
    number_pattern: Mapped[str] = mapped_column(String(60))  # "{n}/BB-VPHC"
    confidence: Mapped[str] = mapped_column(String(20))  # enums.Confidence
    confidence_note: Mapped[str | None] = mapped_column(Text)

    @property
    def legal_basis_lines(self) -> list[str]:
        return [line.strip() for line in self.legal_bases.splitlines() if line.strip()]

    def number(self, sequence: int) -> str:
        return self.number_pattern.replace("{n}", str(sequence))

    def __repr__(self) -> str:
        return f"<DocumentTemplate {self.doc_type} {self.effective_from}>"


class DocumentNumberCounter(Model):
    """The last number given per document type and year (violation records of 2026 → 12)."""

    __tablename__ = "document_number_counter"

    doc_type: Mapped[str] = mapped_column(String(30), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class OfficialDocument(Model):
    """A document of the register: a draft, or an issued document with its number and frozen content."""

    __tablename__ = "official_document"
    __table_args__ = (UniqueConstraint("doc_type", "year", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(30), index=True)  # enums.DocumentType
    template_id: Mapped[int | None] = mapped_column(ForeignKey("document_template.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("finding.id"), index=True)
    status: Mapped[str] = mapped_column(  # enums.DocumentStatus
        String(20), default=DocumentStatus.DRAFT.value, index=True
    )
    # given at issue only
    year: Mapped[int | None] = mapped_column(Integer)
    sequence: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(60))  # "12/BB-VPHC"
    issued_on: Mapped[dt.date | None] = mapped_column(Date)  # the handling date printed on it
    issued_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    signer_name: Mapped[str | None] = mapped_column(String(120))
    signer_title: Mapped[str | None] = mapped_column(String(200))
    # a sanction decision's fine, frozen at issue (what the reports sum: the fines by decision)
    fine_vnd: Mapped[int | None] = mapped_column(BigInteger)
    snapshot: Mapped[str | None] = mapped_column(Text)  # canonical JSON of the data it shows
    sha256: Mapped[str | None] = mapped_column(String(64))  # of ``snapshot``
    # a correction names the document it replaces; issuing it marks that one replaced
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("official_document.id"), index=True)
    void_reason: Mapped[str | None] = mapped_column(Text)
    voided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # the paper copy: signed (its scans are ``files``) or refused, with the witness who saw the refusal
    signature: Mapped[str | None] = mapped_column(String(20))  # enums.DocumentSignature
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    refusal_witness: Mapped[str | None] = mapped_column(String(300))
    refusal_note: Mapped[str | None] = mapped_column(Text)
    # the free-text parts that belong to the document (statement, witnesses, conclusion, copies): JSON text
    texts: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    template: Mapped[DocumentTemplate | None] = relationship()
    case: Mapped[Case] = relationship()
    finding: Mapped[Finding | None] = relationship()
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    replaces: Mapped[OfficialDocument | None] = relationship(remote_side=[id], foreign_keys=[replaces_id])
    files: Mapped[list[DocumentFile]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="DocumentFile.id"
    )

    def __repr__(self) -> str:
        return f"<OfficialDocument {self.doc_type} {self.number or self.status}>"


class DocumentFile(StoredFile, Model):
    """A scan or photo of an issued document's signed paper copy (the stored file's columns: ``StoredFile``;
    stored and served as a case's evidence is)."""

    __tablename__ = "document_file"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("official_document.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64))

    document: Mapped[OfficialDocument] = relationship(back_populates="files")
