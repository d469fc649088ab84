"""The register of official documents (issue 17, first increment): the dated versions of each document
type (``document_template``, reference data seeded from ``cases/data/document_templates.csv``), the
documents drafted and issued from cases (``official_document``: unique per type, year and sequence) and the
per-type, per-year counters that number them at issue (``document_number_counter``).

The new tables' rules (``cases/models/checks.py``) are held as 0013 holds the others: PostgreSQL as CHECK
constraints ``ck_<table>_<rule>`` (in the CREATE TABLE), SQLite as a pair of triggers per rule (see 0013),
so that ``tests/test_db_checks.py`` finds them alike.

Revision ID: 0015_register
Revises: 0014
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0015_register"
down_revision = "0014"
branch_labels = None
depends_on = None

_DOC_TYPES = "'decision', 'inspection-record', 'sampling-record', 'violation-record', 'sanction-decision'"

# (table, constraint, columns the rule reads, condition)
RULES = [
    (
        "document_number_counter",
        "ck_document_number_counter_last_value_not_negative",
        ("last_value",),
        "last_value >= 0",
    ),
    (
        "document_template",
        "ck_document_template_doc_type_known",
        ("doc_type",),
        f"doc_type IN ({_DOC_TYPES})",
    ),
    (
        "document_template",
        "ck_document_template_confidence_known",
        ("confidence",),
        "confidence IN ('legal-text', 'secondary', 'uncertain')",
    ),
    (
        "official_document",
        "ck_official_document_doc_type_known",
        ("doc_type",),
        f"doc_type IN ({_DOC_TYPES})",
    ),
    (
        "official_document",
        "ck_official_document_status_known",
        ("status",),
        "status IN ('draft', 'issued', 'voided', 'replaced')",
    ),
    ("official_document", "ck_official_document_sequence_not_negative", ("sequence",), "sequence >= 0"),
]


def _checks(bind, table):  # type: ignore[no-untyped-def]
    """PostgreSQL: the table's rules as CHECK constraints of the new table (SQLite: triggers, below)."""
    if bind.dialect.name == "sqlite":
        return []
    return [sa.CheckConstraint(condition, name=op.f(name)) for t, name, _c, condition in RULES if t == table]


def _on_new_row(condition: str, columns: tuple[str, ...]) -> str:
    """The condition on a trigger's NEW row: each column name outside the quoted values gets ``NEW.``."""
    parts = condition.split("'")
    for i in range(0, len(parts), 2):  # the even parts are outside quotes
        for column in columns:
            parts[i] = re.sub(rf"(?<![\w.]){column}\b", f"NEW.{column}", parts[i])
    return "'".join(parts)


def _sqlite_triggers(bind) -> None:  # type: ignore[no-untyped-def]
    if bind.dialect.name != "sqlite":
        return
    for table, name, columns, condition in RULES:
        refuse = f"SELECT RAISE(ABORT, 'CHECK constraint failed: {name}')"
        when = f"NOT ({_on_new_row(condition, columns)})"
        op.execute(
            sa.text(f"CREATE TRIGGER {name}_insert BEFORE INSERT ON {table} WHEN {when} BEGIN {refuse}; END")
        )
        op.execute(
            sa.text(
                f"CREATE TRIGGER {name}_update BEFORE UPDATE OF {', '.join(columns)} ON {table} "
                f"WHEN {when} BEGIN {refuse}; END"
            )
        )


def upgrade():
    bind = op.get_bind()
    op.create_table(
        "document_number_counter",
        *_checks(bind, "document_number_counter"),
        sa.Column("doc_type", sa.String(length=30), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("doc_type", "year", name=op.f("pk_document_number_counter")),
    )
    op.create_table(
        "document_template",
        *_checks(bind, "document_template"),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=30), nullable=False),
        sa.Column("version_label", sa.String(length=100), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("form_code", sa.String(length=30), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("legal_bases", sa.Text(), nullable=False),
        sa.Column("number_pattern", sa.String(length=60), nullable=False),
        sa.Column("confidence", sa.String(length=20), nullable=False),
        sa.Column("confidence_note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_template")),
        sa.UniqueConstraint("doc_type", "effective_from", name=op.f("uq_document_template_doc_type")),
    )
    with op.batch_alter_table("document_template", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_template_doc_type"), ["doc_type"], unique=False)

    op.create_table(
        "official_document",
        *_checks(bind, "official_document"),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=30), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=60), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("signer_name", sa.String(length=120), nullable=True),
        sa.Column("signer_title", sa.String(length=200), nullable=True),
        sa.Column("snapshot", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("texts", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_record.id"], name=op.f("fk_official_document_case_id_case_record")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_official_document_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["finding.id"], name=op.f("fk_official_document_finding_id_finding")
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"], ["user_account.id"], name=op.f("fk_official_document_issued_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["official_document.id"],
            name=op.f("fk_official_document_replaces_id_official_document"),
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["document_template.id"],
            name=op.f("fk_official_document_template_id_document_template"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_official_document")),
        sa.UniqueConstraint("doc_type", "year", "sequence", name=op.f("uq_official_document_doc_type")),
    )
    with op.batch_alter_table("official_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_official_document_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_official_document_doc_type"), ["doc_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_official_document_finding_id"), ["finding_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_official_document_replaces_id"), ["replaces_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_official_document_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_official_document_template_id"), ["template_id"], unique=False)

    _sqlite_triggers(bind)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for _table, name, _columns, _condition in reversed(RULES):
            op.execute(sa.text(f"DROP TRIGGER {name}_update"))
            op.execute(sa.text(f"DROP TRIGGER {name}_insert"))
    with op.batch_alter_table("official_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_official_document_template_id"))
        batch_op.drop_index(batch_op.f("ix_official_document_status"))
        batch_op.drop_index(batch_op.f("ix_official_document_replaces_id"))
        batch_op.drop_index(batch_op.f("ix_official_document_finding_id"))
        batch_op.drop_index(batch_op.f("ix_official_document_doc_type"))
        batch_op.drop_index(batch_op.f("ix_official_document_case_id"))

    op.drop_table("official_document")
    with op.batch_alter_table("document_template", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_template_doc_type"))

    op.drop_table("document_template")
    op.drop_table("document_number_counter")
