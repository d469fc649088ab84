"""Activities (the plan's work that is not a case, with evidence files), the annual report's versions
(narrative, heading, frozen snapshot with its SHA-256), and plan_task.counts_activity_types (II.1.a counts
every conference and training class, wherever it is linked).

activity.activity_type holds cases.enums.ActivityType; annual_report.status cases.enums.ReportStatus.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 05:16:01.617885

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_code", sa.String(length=20), nullable=False),
        sa.Column("activity_type", sa.String(length=30), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=100), nullable=True),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("responsible_unit", sa.String(length=300), nullable=True),
        sa.Column("commune_code", sa.String(length=10), nullable=True),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("search_key", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_code"], ["commune.code"], name=op.f("fk_activity_commune_code_commune")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_activity_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["task_code"], ["plan_task.code"], name=op.f("fk_activity_task_code_plan_task")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_activity_type"), ["activity_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_commune_code"), ["commune_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_created_by_id"), ["created_by_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_held_on"), ["held_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_task_code"), ["task_code"], unique=False)

    op.create_table(
        "annual_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("number_symbol", sa.String(length=60), nullable=True),
        sa.Column("report_date", sa.Date(), nullable=True),
        sa.Column("signer_authority", sa.String(length=30), nullable=True),
        sa.Column("signer_title", sa.String(length=100), nullable=True),
        sa.Column("signer_name", sa.String(length=120), nullable=True),
        sa.Column("recipients", sa.Text(), nullable=True),
        sa.Column("overall_assessment", sa.Text(), nullable=True),
        sa.Column("group_results", sa.JSON(), nullable=True),
        sa.Column("limitations", sa.Text(), nullable=True),
        sa.Column("directions", sa.Text(), nullable=True),
        sa.Column("recommendations", sa.Text(), nullable=True),
        sa.Column("snapshot", sa.JSON(), nullable=True),
        sa.Column("snapshot_sha256", sa.String(length=64), nullable=True),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finalised_by_id", sa.Integer(), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("supersede_reason", sa.Text(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["finalised_by_id"],
            ["user_account.id"],
            name=op.f("fk_annual_report_finalised_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["user_account.id"], name=op.f("fk_annual_report_updated_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_report")),
        sa.UniqueConstraint("year", "revision", name=op.f("uq_annual_report_year")),
    )
    with op.batch_alter_table("annual_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_annual_report_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_annual_report_year"), ["year"], unique=False)

    op.create_table(
        "activity_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("content_type", sa.String(length=50), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("has_thumbnail", sa.Boolean(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_file_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["user_account.id"], name=op.f("fk_activity_file_uploaded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_file")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_activity_file_stored_name")),
    )
    with op.batch_alter_table("activity_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_file_activity_id"), ["activity_id"], unique=False)

    with op.batch_alter_table("plan_task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("counts_activity_types", sa.String(length=200), nullable=True))

    # rows seeded before this revision: the seed file now carries the same value
    op.execute("UPDATE plan_task SET counts_activity_types = 'conference,training' WHERE code = 'II.1.a'")


def downgrade():
    with op.batch_alter_table("plan_task", schema=None) as batch_op:
        batch_op.drop_column("counts_activity_types")

    with op.batch_alter_table("activity_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_file_activity_id"))

    op.drop_table("activity_file")
    with op.batch_alter_table("annual_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annual_report_year"))
        batch_op.drop_index(batch_op.f("ix_annual_report_status"))

    op.drop_table("annual_report")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_task_code"))
        batch_op.drop_index(batch_op.f("ix_activity_held_on"))
        batch_op.drop_index(batch_op.f("ix_activity_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_activity_commune_code"))
        batch_op.drop_index(batch_op.f("ix_activity_activity_type"))

    op.drop_table("activity")
