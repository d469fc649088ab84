"""The annual report's sections marked "nothing to report" (issue 14, item 4).

Finalising needs every narrative section written, or marked explicitly as having nothing to report (the
PDF then says so in words); ``annual_report.nothing_to_report`` is the list of marked sections
("group_6", "limitations", "recommendations", …; ``cases.reporting.annual_report.MAY_BE_EMPTY``).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("annual_report") as batch:
        batch.add_column(sa.Column("nothing_to_report", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("annual_report") as batch:
        batch.drop_column("nothing_to_report")
