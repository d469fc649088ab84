"""Signed copies of issued documents (issue 17 item 6): the scans or photos of a document's signed paper copy
(``document_file``, stored as a case's evidence is) and, on the document, whether its paper copy was signed or
its signature refused (with the witness and a note); and what a sampling record states of each sample (the
quantity taken and its unit, the seal number, the quantity the establishment held when it was taken).

The new rules (``cases/models/checks.py``) are held as 0013 holds the others: PostgreSQL as CHECK constraints,
SQLite as a pair of triggers per rule.

Revision ID: 0017_signed
Revises: 0016_docrules
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_signed"
down_revision = "0016_docrules"
branch_labels = None
depends_on = None

# (table, constraint, column, condition)
RULES = [
    (
        "official_document",
        "ck_official_document_signature_known",
        "signature",
        "signature IN ('signed', 'refused')",
    ),
    ("document_file", "ck_document_file_size_bytes_not_negative", "size_bytes", "size_bytes >= 0"),
    ("sample", "ck_sample_quantity_not_negative", "quantity", "quantity >= 0"),
]
#: The rules of the new table are in its CREATE TABLE on PostgreSQL; the others are added to their tables.
ADDED = [rule for rule in RULES if rule[0] != "document_file"]


def _sqlite_trigger_sql(table: str, name: str, column: str, condition: str) -> list[str]:
    when = f"NOT ({condition.replace(column, 'NEW.' + column, 1)})"
    refuse = f"SELECT RAISE(ABORT, 'CHECK constraint failed: {name}')"
    return [
        f"CREATE TRIGGER {name}_insert BEFORE INSERT ON {table} WHEN {when} BEGIN {refuse}; END",
        f"CREATE TRIGGER {name}_update BEFORE UPDATE OF {column} ON {table} WHEN {when} BEGIN {refuse}; END",
    ]


def upgrade():
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    with op.batch_alter_table("official_document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signature", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("refusal_witness", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("refusal_note", sa.Text(), nullable=True))
    op.create_table(
        "document_file",
        *(
            []
            if sqlite
            else [
                sa.CheckConstraint("size_bytes >= 0", name=op.f("ck_document_file_size_bytes_not_negative"))
            ]
        ),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("content_type", sa.String(length=50), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("has_thumbnail", sa.Boolean(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["official_document.id"],
            name=op.f("fk_document_file_document_id_official_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["user_account.id"], name=op.f("fk_document_file_uploaded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_file")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_document_file_stored_name")),
    )
    with op.batch_alter_table("document_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_file_document_id"), ["document_id"], unique=False)
    with op.batch_alter_table("sample", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quantity", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("quantity_unit", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("seal_number", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("stock_quantity", sa.String(length=100), nullable=True))
    if sqlite:
        for table, name, column, condition in RULES:
            for sql in _sqlite_trigger_sql(table, name, column, condition):
                op.execute(sa.text(sql))
    else:
        for table, name, _column, condition in ADDED:
            op.execute(sa.text(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({condition})"))


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for _table, name, _column, _condition in RULES:
            op.execute(sa.text(f"DROP TRIGGER IF EXISTS {name}_insert"))
            op.execute(sa.text(f"DROP TRIGGER IF EXISTS {name}_update"))
    else:
        for table, name, _column, _condition in ADDED:
            op.execute(sa.text(f"ALTER TABLE {table} DROP CONSTRAINT {name}"))
    with op.batch_alter_table("document_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_file_document_id"))
    op.drop_table("document_file")
    with op.batch_alter_table("sample", schema=None) as batch_op:
        for column in ("stock_quantity", "seal_number", "quantity_unit", "quantity"):
            batch_op.drop_column(column)
    with op.batch_alter_table("official_document", schema=None) as batch_op:
        batch_op.drop_column("refusal_note")
        batch_op.drop_column("refusal_witness")
        batch_op.drop_column("signed_at")
        batch_op.drop_column("signature")
