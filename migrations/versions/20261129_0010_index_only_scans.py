"""Indexes that answer the dashboard's year passes from the index alone (issue 7, docs/performance.md).

- ``ix_case_record_report`` gains ``INCLUDE (id)`` on PostgreSQL. The report's and the dashboard's passes
  over a year's cases join them to their findings by the case's id, which the index did not hold:
  PostgreSQL read each of the year's 31,000 cases from the table (at 100,000 cases). A SQLite index
  always holds the row's id; there the index is the same, and it is not rebuilt.
- ``ix_case_record_establishment (establishment_id, opened_on, commune_code, id)`` replaces the
  one-column ``ix_case_record_establishment_id``: an establishment's cases with their dates and communes
  from the index alone. The dashboard's repeat offenders read the cases of the year's 4,000 establishments
  with a violation; the foreign key's lookups use the same index (its first column).

Then ``ANALYZE`` of the new index on SQLite, as 0006 and 0009 did.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

REPORT_COLUMNS = [
    "opened_on",
    "status",
    "kind",
    "commune_code",
    "mode",
    "action",
    "taken_down_on",
    "former_district_code",
    "establishment_id",
]


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    if not sqlite:
        op.drop_index("ix_case_record_report", table_name="case_record")
        op.create_index("ix_case_record_report", "case_record", REPORT_COLUMNS, postgresql_include=["id"])
    op.create_index(
        "ix_case_record_establishment",
        "case_record",
        ["establishment_id", "opened_on", "commune_code", "id"],
        unique=False,
    )
    op.drop_index("ix_case_record_establishment_id", table_name="case_record")
    if sqlite:
        op.execute(sa.text("ANALYZE ix_case_record_establishment"))


def downgrade():
    op.create_index("ix_case_record_establishment_id", "case_record", ["establishment_id"], unique=False)
    op.drop_index("ix_case_record_establishment", table_name="case_record")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_index("ix_case_record_report", table_name="case_record")
        op.create_index("ix_case_record_report", "case_record", REPORT_COLUMNS)
