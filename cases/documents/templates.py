"""The version of a document type in force on a date (Decree 68/2025: the forms and legal bases of the law in
force when the case is handled), and the versions an administrator adds or corrects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import or_, select

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db import db
from cases.enums import Confidence, DocumentType
from cases.errors import PermissionDenied, Problems
from cases.models import DocumentTemplate, User
from cases.text import clean_text


def template_in_force(doc_type: DocumentType | str, on_date: dt.date) -> DocumentTemplate | None:
    """The version of ``doc_type`` in force on ``on_date``: the latest one that took effect on or before it
    and had not ended; ``None`` when there is none (an administrator adds it)."""
    stmt = (
        select(DocumentTemplate)
        .where(
            DocumentTemplate.doc_type == DocumentType(doc_type).value,
            DocumentTemplate.effective_from <= on_date,
            or_(DocumentTemplate.effective_to.is_(None), DocumentTemplate.effective_to >= on_date),
        )
        .order_by(DocumentTemplate.effective_from.desc())
        .limit(1)
    )
    return db.session.scalars(stmt).first()


# --- an administrator's versions ------------------------------------------------------------------------


@dataclass
class TemplateInput:
    """A version of a document type as typed on the admin page."""

    doc_type: str | None = None
    version_label: str | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    form_code: str | None = None
    title: str | None = None
    legal_bases: str | None = None  # one "Căn cứ" per line
    number_pattern: str | None = None  # "{n}/BB-VPHC"
    confidence: str | None = None
    confidence_note: str | None = None


_TEMPLATE_FIELDS = [f.name for f in fields(TemplateInput)]


def versions() -> list[DocumentTemplate]:
    """Every version of every type: by type, the newest first."""
    stmt = select(DocumentTemplate).order_by(
        DocumentTemplate.doc_type, DocumentTemplate.effective_from.desc()
    )
    return list(db.session.scalars(stmt))


def template_to_input(template: DocumentTemplate) -> TemplateInput:
    return TemplateInput(**{name: getattr(template, name) for name in _TEMPLATE_FIELDS})


def _clean_template(data: TemplateInput, current: DocumentTemplate | None) -> dict[str, Any]:
    problems = Problems()
    cleaned: dict[str, Any] = {
        "version_label": problems.check(clean_text, data.version_label, "version_label", 100, required=True),
        "form_code": problems.check(clean_text, data.form_code, "form_code", 30),
        "title": problems.check(clean_text, data.title, "title", 300, required=True),
        "legal_bases": problems.check(
            clean_text, data.legal_bases, "legal_bases", 5000, required=True, multiline=True
        ),
        "number_pattern": problems.check(
            clean_text, data.number_pattern, "number_pattern", 60, required=True
        ),
        "confidence_note": problems.check(
            clean_text, data.confidence_note, "confidence_note", 2000, multiline=True
        ),
        "effective_from": data.effective_from,
        "effective_to": data.effective_to,
    }
    kind = current.doc_type if current is not None else data.doc_type
    if kind not in {t.value for t in DocumentType}:
        problems.add("invalid_choice", field="doc_type")
    cleaned["doc_type"] = kind
    if data.confidence not in {c.value for c in Confidence}:
        problems.add("invalid_choice", field="confidence")
    cleaned["confidence"] = data.confidence
    if data.effective_from is None:
        problems.add("required", field="effective_from")
    elif data.effective_to is not None and data.effective_to < data.effective_from:
        problems.add("template_ends_before_it_starts", field="effective_to")
    pattern = cleaned["number_pattern"]
    if pattern is not None and pattern.count("{n}") != 1:
        problems.add("template_number_pattern", field="number_pattern")
    if kind is not None and data.effective_from is not None:
        twin = db.session.scalar(
            select(DocumentTemplate.id).where(
                DocumentTemplate.doc_type == kind,
                DocumentTemplate.effective_from == data.effective_from,
                DocumentTemplate.id != (current.id if current is not None else -1),
            )
        )
        if twin is not None:
            problems.add("template_same_start", field="effective_from")
    problems.raise_any()
    return cleaned


def save_template(
    actor: User, data: TemplateInput, template: DocumentTemplate | None = None
) -> DocumentTemplate:
    """Add a version of a document type (``template`` None) or correct one; every problem at once.

    A new version that starts after the version in force then ends that one the day before (both in the
    audit trail): a form or a legal basis changes without touching code, and the documents already issued
    keep the version they were issued with (their snapshot holds it)."""
    if not permissions.can_manage_agency(actor):
        raise PermissionDenied()
    cleaned = _clean_template(data, template)
    created = template is None
    row = template or DocumentTemplate()
    before = {} if created else audit.snapshot(row)
    for name, value in cleaned.items():
        setattr(row, name, value)
    if created:
        db.session.add(row)
    db.session.flush()
    audit.record(
        actor, "create" if created else "update", entity=row, changes=audit.diff(before, audit.snapshot(row))
    )
    if created:
        _end_the_previous(actor, row)
    return row


def _end_the_previous(actor: User, new: DocumentTemplate) -> None:
    """The open version of the same type that started before ``new`` ends the day before it."""
    previous = db.session.scalars(
        select(DocumentTemplate).where(
            DocumentTemplate.doc_type == new.doc_type,
            DocumentTemplate.id != new.id,
            DocumentTemplate.effective_from < new.effective_from,
            or_(DocumentTemplate.effective_to.is_(None), DocumentTemplate.effective_to >= new.effective_from),
        )
    ).all()
    for old in previous:
        before = audit.snapshot(old)
        old.effective_to = new.effective_from - dt.timedelta(days=1)
        db.session.flush()
        audit.record(
            actor,
            "update",
            entity=old,
            changes=audit.diff(before, audit.snapshot(old)),
            reason=new.version_label,
        )
