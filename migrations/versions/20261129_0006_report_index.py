"""An index covering the columns the annual report and the dashboard count a year's cases by
(ix_case_record_report), then ANALYZE so that SQLite's planner knows to prefer it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 05:50:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = [
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
    with op.batch_alter_table("case_record", schema=None) as batch_op:
        batch_op.create_index("ix_case_record_report", COLUMNS, unique=False)
    # table statistics: SQLite's planner otherwise picks the one-column status index for the report's
    # queries; PostgreSQL's autovacuum would gather them later anyway
    op.execute("ANALYZE")


def downgrade():
    with op.batch_alter_table("case_record", schema=None) as batch_op:
        batch_op.drop_index("ix_case_record_report")
