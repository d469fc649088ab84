"""What the pages show of the register (sổ theo dõi văn bản): the documents one may draft on a case, the
register filtered by type, year, status and commune (one statement, the user's communes only), and its rows
as plain data for the page and the export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, extract, func, select
from sqlalchemy.orm import joinedload

from cases.accounts import permissions
from cases.db import db
from cases.enums import CaseKind, DocumentType, FindingStatus
from cases.models import Case, Finding, OfficialDocument


@dataclass(frozen=True)
class DraftOption:
    """One document a draft can be started for: a type, and for a per-finding type the finding."""

    doc_type: DocumentType
    finding: Finding | None = None

    @property
    def key(self) -> str:
        """The value a form sends: ``violation-record:12`` or ``decision``."""
        return f"{self.doc_type.value}:{self.finding.id}" if self.finding is not None else self.doc_type.value


def draft_options(case: Case) -> list[DraftOption]:
    """The documents that make sense for ``case`` now: the decision to inspect and the inspection record
    (for an inspection or a survey; an e-commerce check has its record of the listing compared with the
    goods too), a sampling record when it took samples, a violation record per finding not dismissed and a
    sanction decision per confirmed finding."""
    options = [DraftOption(DocumentType.DECISION), DraftOption(DocumentType.INSPECTION_RECORD)]
    # an e-commerce check takes no samples (its items are goods: ``inspection.items.ITEM_KINDS_BY_CASE_KIND``)
    if case.kind == CaseKind.SURVEY or (case.kind == CaseKind.INSPECTION and case.samples):
        options.append(DraftOption(DocumentType.SAMPLING_RECORD))
    findings = sorted(case.findings, key=lambda f: f.id)
    options += [
        DraftOption(DocumentType.VIOLATION_RECORD, f) for f in findings if f.status != FindingStatus.DISMISSED
    ]
    options += [
        DraftOption(DocumentType.SANCTION_DECISION, f)
        for f in findings
        if f.status == FindingStatus.CONFIRMED
    ]
    return options


def option_for(case: Case, key: str | None) -> DraftOption | None:
    """The option ``key`` names on ``case`` (``None`` for anything else)."""
    return next((o for o in draft_options(case) if o.key == key), None)


@dataclass(frozen=True)
class RegisterFilters:
    doc_type: str | None = None
    year: int | None = None
    status: str | None = None
    commune_code: str | None = None


def _year_of() -> Any:
    """The register's year of a document: its number's year once issued, else the year it was drafted."""
    return func.coalesce(OfficialDocument.year, extract("year", OfficialDocument.created_at))


def register_query(filters: RegisterFilters, user: Any) -> Select[Any]:
    """The documents ``user`` may see matching ``filters``: the newest first, issued before drafts of a
    year, by number."""
    stmt = (
        select(OfficialDocument)
        .join(Case, Case.id == OfficialDocument.case_id)
        .options(
            joinedload(OfficialDocument.case).joinedload(Case.establishment),
            joinedload(OfficialDocument.case).joinedload(Case.commune),
            joinedload(OfficialDocument.finding).joinedload(Finding.violation),
        )
    )
    scope = permissions.commune_scope(user)
    if scope is not None:
        stmt = stmt.where(Case.commune_code.in_(sorted(scope)))
    if filters.doc_type:
        stmt = stmt.where(OfficialDocument.doc_type == filters.doc_type)
    if filters.status:
        stmt = stmt.where(OfficialDocument.status == filters.status)
    if filters.commune_code:
        stmt = stmt.where(Case.commune_code == filters.commune_code)
    if filters.year is not None:
        stmt = stmt.where(_year_of() == filters.year)
    return stmt.order_by(
        _year_of().desc(),
        OfficialDocument.doc_type,
        OfficialDocument.sequence.desc().nulls_last(),
        OfficialDocument.id.desc(),
    )


def register_years() -> list[int]:
    """The years the register has documents of, newest first (for the year filter)."""
    years = db.session.scalars(select(_year_of()).distinct())
    return sorted({int(y) for y in years if y is not None}, reverse=True)


def register_row(doc: OfficialDocument) -> dict[str, Any]:
    """One line of the register as plain data (the page's table and the export's row)."""
    case = doc.case
    est = case.establishment
    return {
        "id": doc.id,
        "doc_type": doc.doc_type,
        "number": doc.number,
        "status": doc.status,
        "issued_on": doc.issued_on,
        "created_at": doc.created_at,
        "case_id": case.id,
        "case_number": case.number,
        "establishment": est.name if est is not None else case.seller_name,
        "commune": case.commune.name if case.commune is not None else None,
        "violation": None if doc.finding is None else doc.finding.violation.code,
        "signer_name": doc.signer_name,
        "signer_title": doc.signer_title,
        "signature": doc.signature,
        "sha256": doc.sha256,
    }
