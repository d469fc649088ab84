"""The version of a document type in force on a date (Decree 68/2025: the forms and legal bases of the law in
force when the case is handled)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select

from cases.db import db
from cases.enums import DocumentType
from cases.models import DocumentTemplate


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
