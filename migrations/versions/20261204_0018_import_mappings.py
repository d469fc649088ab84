"""Mappings of sheets in their own shape saved under a name (issue 21): ``import_mapping``.

Revision ID: 0018_mappings
Revises: 0017_signed
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_mappings"
down_revision = "0017_signed"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "import_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("constants", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_import_mapping_created_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_mapping")),
        sa.UniqueConstraint("name", name=op.f("uq_import_mapping_name")),
    )
    with op.batch_alter_table("import_mapping", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_mapping_created_by_id"), ["created_by_id"], unique=False)


def downgrade():
    with op.batch_alter_table("import_mapping", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_mapping_created_by_id"))
    op.drop_table("import_mapping")
