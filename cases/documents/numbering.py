"""Document numbers per type and year, given at issue only: no gap and no duplicate even when two managers
issue at once (the same machinery as ``cases/recording/numbering.py``)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from cases.db import db
from cases.enums import DocumentType
from cases.models import DocumentNumberCounter


def next_document_sequence(doc_type: DocumentType | str, year: int) -> int:
    """Reserve the next sequence number of ``doc_type`` in ``year`` (1, 2, … restarting each year).

    The counter row is created if missing (``INSERT … ON CONFLICT DO NOTHING``), then moved by one with a
    single ``UPDATE … RETURNING``: the database serialises concurrent increments (a row lock on PostgreSQL,
    the write lock on SQLite) until the transaction ends, so two issues never get the same number, and a
    rolled-back issue gives its number back (no gap).
    """
    value = DocumentType(doc_type).value
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(DocumentNumberCounter)
        .values(doc_type=value, year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["doc_type", "year"])
    )
    return int(
        db.session.execute(
            update(DocumentNumberCounter)
            .where(DocumentNumberCounter.doc_type == value, DocumentNumberCounter.year == year)
            .values(last_value=DocumentNumberCounter.last_value + 1)
            .returning(DocumentNumberCounter.last_value)
        ).scalar_one()
    )
