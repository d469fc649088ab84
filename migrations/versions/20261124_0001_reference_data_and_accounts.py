"""Reference data (communes, former districts and wards, violation catalog, plan tasks) and accounts.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-24 00:18:25.847395

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():

    op.create_table(
        "commune",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("short_name", sa.String(length=120), nullable=False),
        sa.Column("unit_type", sa.String(length=20), nullable=False),
        sa.Column("search_key", sa.String(length=120), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("area_km2", sa.Float(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_commune")),
    )
    with op.batch_alter_table("commune", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commune_search_key"), ["search_key"], unique=False)

    op.create_table(
        "former_district",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("short_name", sa.String(length=120), nullable=False),
        sa.Column("unit_type", sa.String(length=20), nullable=False),
        sa.Column("province_code", sa.String(length=10), nullable=False),
        sa.Column("province_name", sa.String(length=120), nullable=False),
        sa.Column("search_key", sa.String(length=120), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_former_district")),
    )
    with op.batch_alter_table("former_district", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_former_district_search_key"), ["search_key"], unique=False)

    op.create_table(
        "plan_task",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("task_group", sa.String(length=20), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("lead_unit", sa.String(length=300), nullable=False),
        sa.Column("coordinating_units", sa.Text(), nullable=True),
        sa.Column("timing", sa.String(length=100), nullable=False),
        sa.Column("target_text", sa.String(length=300), nullable=True),
        sa.Column("target_following_years", sa.String(length=300), nullable=True),
        sa.Column("target_value", sa.Integer(), nullable=True),
        sa.Column("target_unit", sa.String(length=100), nullable=True),
        sa.Column("target_measure", sa.String(length=20), nullable=False),
        sa.Column("cumulative_from", sa.Integer(), nullable=True),
        sa.Column("cumulative_to", sa.Integer(), nullable=True),
        sa.Column("actual_source", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_plan_task")),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("full_name_key", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_account_full_name_key"), ["full_name_key"], unique=False)

    op.create_table(
        "violation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("group_name", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.String(length=300), nullable=False),
        sa.Column("fine_individual_min", sa.BigInteger(), nullable=True),
        sa.Column("fine_individual_max", sa.BigInteger(), nullable=True),
        sa.Column("tiered_by", sa.Text(), nullable=True),
        sa.Column("remedies", sa.Text(), nullable=True),
        sa.Column("confidence", sa.String(length=20), nullable=False),
        sa.Column("confidence_note", sa.Text(), nullable=True),
        sa.Column("search_key", sa.Text(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_violation")),
        sa.UniqueConstraint("code", name=op.f("uq_violation_code")),
    )
    with op.batch_alter_table("violation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_violation_field"), ["field"], unique=False)
        batch_op.create_index(batch_op.f("ix_violation_group_name"), ["group_name"], unique=False)

    op.create_table(
        "former_ward",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("short_name", sa.String(length=120), nullable=False),
        sa.Column("unit_type", sa.String(length=20), nullable=False),
        sa.Column("district_code", sa.String(length=10), nullable=False),
        sa.Column("search_key", sa.String(length=120), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["district_code"],
            ["former_district.code"],
            name=op.f("fk_former_ward_district_code_former_district"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_former_ward")),
    )
    with op.batch_alter_table("former_ward", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_former_ward_district_code"), ["district_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_former_ward_search_key"), ["search_key"], unique=False)

    op.create_table(
        "user_commune",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("commune_code", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_code"], ["commune.code"], name=op.f("fk_user_commune_commune_code_commune")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_user_commune_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "commune_code", name=op.f("pk_user_commune")),
    )
    op.create_table(
        "former_ward_commune",
        sa.Column("former_ward_code", sa.String(length=10), nullable=False),
        sa.Column("commune_code", sa.String(length=10), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("is_split", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_code"], ["commune.code"], name=op.f("fk_former_ward_commune_commune_code_commune")
        ),
        sa.ForeignKeyConstraint(
            ["former_ward_code"],
            ["former_ward.code"],
            name=op.f("fk_former_ward_commune_former_ward_code_former_ward"),
        ),
        sa.PrimaryKeyConstraint("former_ward_code", "commune_code", name=op.f("pk_former_ward_commune")),
    )
    with op.batch_alter_table("former_ward_commune", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_former_ward_commune_commune_code"), ["commune_code"], unique=False
        )


def downgrade():

    with op.batch_alter_table("former_ward_commune", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_former_ward_commune_commune_code"))

    op.drop_table("former_ward_commune")
    op.drop_table("user_commune")
    with op.batch_alter_table("former_ward", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_former_ward_search_key"))
        batch_op.drop_index(batch_op.f("ix_former_ward_district_code"))

    op.drop_table("former_ward")
    with op.batch_alter_table("violation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_violation_group_name"))
        batch_op.drop_index(batch_op.f("ix_violation_field"))

    op.drop_table("violation")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_full_name_key"))

    op.drop_table("user_account")
    op.drop_table("plan_task")
    with op.batch_alter_table("former_district", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_former_district_search_key"))

    op.drop_table("former_district")
    with op.batch_alter_table("commune", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commune_search_key"))

    op.drop_table("commune")
