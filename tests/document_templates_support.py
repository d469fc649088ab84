"""The versions of the documents' forms are reference data, kept between tests: a test that adds or
corrects one puts them back as the reference file has them."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from cases.db import db
from cases.geography import reference
from cases.models import DocumentTemplate, OfficialDocument


def restore_document_templates() -> None:
    """The rows of ``document_templates.csv``, and no other (and commit)."""
    db.session.rollback()
    rows = {(r["doc_type"], r["effective_from"]): r for r in reference.document_template_rows()}
    for template in db.session.scalars(select(DocumentTemplate)).all():
        row = rows.get((template.doc_type, template.effective_from))
        if row is None:
            db.session.execute(
                update(OfficialDocument)
                .where(OfficialDocument.template_id == template.id)
                .values(template_id=None)
            )
            db.session.execute(delete(DocumentTemplate).where(DocumentTemplate.id == template.id))
            continue
        for name, value in row.items():
            setattr(template, name, value)
    db.session.commit()
