"""Review of findings and the sanction decided: confirmed or dismissed with a reason, the decision (form,
number, date, fine with an override reason when outside the catalog range, additional penalties, remedies,
deadline, value of goods confiscated or destroyed), payment and remedy dates, and an e-commerce referral.

sanction_form holds cases.enums.SanctionForm (warning / fine / revocation / confiscation).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 02:13:20.545525

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("reviewed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("sanction_form", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("decision_number", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("decision_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("fine_override_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("additional_penalties", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("remedies_decided", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("deadline", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("seized_goods_value_vnd", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("fine_paid_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("remedy_done_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("referral_agency", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("referral_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("referral_reference", sa.String(length=100), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_finding_reviewed_by_id_user_account"), "user_account", ["reviewed_by_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_finding_reviewed_by_id_user_account"), type_="foreignkey")
        batch_op.drop_column("referral_reference")
        batch_op.drop_column("referral_on")
        batch_op.drop_column("referral_agency")
        batch_op.drop_column("remedy_done_on")
        batch_op.drop_column("fine_paid_on")
        batch_op.drop_column("seized_goods_value_vnd")
        batch_op.drop_column("deadline")
        batch_op.drop_column("remedies_decided")
        batch_op.drop_column("additional_penalties")
        batch_op.drop_column("fine_override_reason")
        batch_op.drop_column("decision_date")
        batch_op.drop_column("decision_number")
        batch_op.drop_column("sanction_form")
        batch_op.drop_column("reviewed_at")
        batch_op.drop_column("reviewed_by_id")
        batch_op.drop_column("review_reason")
