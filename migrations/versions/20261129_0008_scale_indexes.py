"""Indexes for 100,000 cases (issue 7, docs/performance.md).

- ``case_record (opened_on, id)``: the case list is ordered newest first; with this index a page is read
  from the index instead of sorting every matching case.
- ``case_record (status, submitted_at, id)``: the review queue (submitted cases, the longest waiting
  first) in index order.
- ``case_record (search_key)``: the text search matches ``LIKE '%word%'`` on the folded text. On PostgreSQL
  a trigram GIN index (extension ``pg_trgm``, in Debian's ``postgresql`` package; trusted, so the database
  owner may create it) answers that without reading every case; on SQLite a plain index, which the count
  of a search scans instead of the much wider table.
- ``audit_event (entity_type, entity_id)``: a case's timeline also looks entries up by entity (those of a
  deleted draft); without an index that half of the condition scanned the whole audit log on every case
  page.

Plain ``CREATE INDEX`` (no batch mode): ``audit_event`` carries the append-only triggers of 0003, which a
SQLite table rebuild would drop.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_audit_event_entity", "audit_event", ["entity_type", "entity_id"], unique=False)
    op.create_index("ix_case_record_opened_on_id", "case_record", ["opened_on", "id"], unique=False)
    op.create_index(
        "ix_case_record_status_submitted_at", "case_record", ["status", "submitted_at", "id"], unique=False
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    op.create_index(
        "ix_case_record_search_key",
        "case_record",
        ["search_key"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_key": "gin_trgm_ops"},
    )


def downgrade():
    op.drop_index("ix_case_record_search_key", table_name="case_record")
    op.drop_index("ix_case_record_status_submitted_at", table_name="case_record")
    op.drop_index("ix_case_record_opened_on_id", table_name="case_record")
    op.drop_index("ix_audit_event_entity", table_name="audit_event")
