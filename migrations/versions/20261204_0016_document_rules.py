"""Who issues the documents and who may sanction (issue 17): the agency's configuration (``agency_setting``,
one row) and its signers (``agency_signer``), the sanctioning authority by date (``sanction_authority``,
Decree 189/2025) and the fields' maximum fines (``field_fine_maximum``), both reference data seeded from
``cases/data/``, and the files transferred to a competent authority (``file_transfer``); a team member's
role in a case (``case_team_member.team_role``), the amounts per tier of a catalog entry
(``violation.tiers``) and a sanction decision's fine frozen at issue (``official_document.fine_vnd``).

The new rules (``cases/models/checks.py``) are held as 0013 and 0015 hold the others: PostgreSQL as CHECK
constraints ``ck_<table>_<rule>``, SQLite as a pair of triggers per rule. The two new columns are added
with ``ADD COLUMN`` (no table rebuild, so the triggers of ``violation`` stay).

Revision ID: 0016_docrules
Revises: 0015_register
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0016_docrules"
down_revision = "0015_register"
branch_labels = None
depends_on = None

_CONFIDENCE = "confidence IN ('legal-text', 'secondary', 'uncertain')"
_FIELDS = (
    "field IN ('instruments', 'prepackaged', 'quality', 'label', 'barcode', 'fuel', 'gold', 'standards', "
    "'ecommerce')"
)

# (table, constraint, columns the rule reads, condition)
NEW_TABLE_RULES = [
    ("sanction_authority", "ck_sanction_authority_confidence_known", ("confidence",), _CONFIDENCE),
    (
        "sanction_authority",
        "ck_sanction_authority_percent_of_maximum_not_negative",
        ("percent_of_maximum",),
        "percent_of_maximum >= 0",
    ),
    ("field_fine_maximum", "ck_field_fine_maximum_field_known", ("field",), _FIELDS),
    ("field_fine_maximum", "ck_field_fine_maximum_confidence_known", ("confidence",), _CONFIDENCE),
    (
        "field_fine_maximum",
        "ck_field_fine_maximum_individual_max_vnd_not_negative",
        ("individual_max_vnd",),
        "individual_max_vnd >= 0",
    ),
    (
        "field_fine_maximum",
        "ck_field_fine_maximum_organisation_max_vnd_not_negative",
        ("organisation_max_vnd",),
        "organisation_max_vnd >= 0",
    ),
    ("file_transfer", "ck_file_transfer_fine_vnd_not_negative", ("fine_vnd",), "fine_vnd >= 0"),
]
EXISTING_TABLE_RULES = [
    ("official_document", "ck_official_document_fine_vnd_not_negative", ("fine_vnd",), "fine_vnd >= 0"),
    (
        "case_team_member",
        "ck_case_team_member_team_role_known",
        ("team_role",),
        "team_role IN ('leader', 'member', 'technical')",
    ),
]


def _checks(bind, table):  # type: ignore[no-untyped-def]
    """PostgreSQL: the table's rules as CHECK constraints of the new table (SQLite: triggers, below)."""
    if bind.dialect.name == "sqlite":
        return []
    return [
        sa.CheckConstraint(condition, name=op.f(name))
        for t, name, _c, condition in NEW_TABLE_RULES
        if t == table
    ]


def _on_new_row(condition: str, columns: tuple[str, ...]) -> str:
    """The condition on a trigger's NEW row: each column name outside the quoted values gets ``NEW.``."""
    parts = condition.split("'")
    for i in range(0, len(parts), 2):  # the even parts are outside quotes
        for column in columns:
            parts[i] = re.sub(rf"(?<![\w.]){column}\b", f"NEW.{column}", parts[i])
    return "'".join(parts)


def _sqlite_triggers(rules) -> None:  # type: ignore[no-untyped-def]
    for table, name, columns, condition in rules:
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
        "agency_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_name", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("place_name", sa.String(length=100), nullable=False),
        sa.Column("symbol", sa.String(length=30), nullable=False),
        sa.Column("treasury_account", sa.String(length=100), nullable=True),
        sa.Column("treasury_name", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_setting")),
    )
    op.create_table(
        "agency_signer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("authority_code", sa.String(length=40), nullable=True),
        sa.Column("delegation_reference", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_signer")),
    )
    op.create_table(
        "sanction_authority",
        *_checks(bind, "sanction_authority"),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("percent_of_maximum", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("legal_basis", sa.String(length=300), nullable=False),
        sa.Column("confidence", sa.String(length=20), nullable=False),
        sa.Column("confidence_note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanction_authority")),
        sa.UniqueConstraint("code", "valid_from", name=op.f("uq_sanction_authority_code")),
    )
    with op.batch_alter_table("sanction_authority", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sanction_authority_code"), ["code"], unique=False)
    op.create_table(
        "field_fine_maximum",
        *_checks(bind, "field_fine_maximum"),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("individual_max_vnd", sa.BigInteger(), nullable=False),
        sa.Column("organisation_max_vnd", sa.BigInteger(), nullable=False),
        sa.Column("legal_basis", sa.String(length=300), nullable=False),
        sa.Column("confidence", sa.String(length=20), nullable=False),
        sa.Column("confidence_note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("field", name=op.f("pk_field_fine_maximum")),
    )
    op.create_table(
        "file_transfer",
        *_checks(bind, "file_transfer"),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("fine_vnd", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("transferred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("transferred_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["sanction_authority.id"],
            name=op.f("fk_file_transfer_authority_id_sanction_authority"),
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["finding.id"], name=op.f("fk_file_transfer_finding_id_finding")
        ),
        sa.ForeignKeyConstraint(
            ["transferred_by_id"],
            ["user_account.id"],
            name=op.f("fk_file_transfer_transferred_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_transfer")),
    )
    with op.batch_alter_table("file_transfer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_file_transfer_finding_id"), ["finding_id"], unique=False)

    # ADD COLUMN on both databases (SQLite: no rebuild of the tables, their triggers stay)
    op.add_column("case_team_member", sa.Column("team_role", sa.String(length=20), nullable=True))
    op.add_column("violation", sa.Column("tiers", sa.Text(), nullable=True))
    op.add_column("official_document", sa.Column("fine_vnd", sa.BigInteger(), nullable=True))

    if bind.dialect.name == "sqlite":
        _sqlite_triggers(NEW_TABLE_RULES + EXISTING_TABLE_RULES)
    else:
        for table, name, _columns, condition in EXISTING_TABLE_RULES:
            op.create_check_constraint(op.f(name), table, condition)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for _table, name, _columns, _condition in reversed(NEW_TABLE_RULES + EXISTING_TABLE_RULES):
            op.execute(sa.text(f"DROP TRIGGER {name}_update"))
            op.execute(sa.text(f"DROP TRIGGER {name}_insert"))
    else:
        for table, name, _columns, _condition in EXISTING_TABLE_RULES:
            op.drop_constraint(op.f(name), table, type_="check")
    # DROP COLUMN (SQLite 3.35+), not a batch rebuild: the triggers of these tables stay
    op.drop_column("official_document", "fine_vnd")
    op.drop_column("violation", "tiers")
    op.drop_column("case_team_member", "team_role")
    with op.batch_alter_table("file_transfer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_file_transfer_finding_id"))
    op.drop_table("file_transfer")
    op.drop_table("field_fine_maximum")
    with op.batch_alter_table("sanction_authority", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sanction_authority_code"))
    op.drop_table("sanction_authority")
    op.drop_table("agency_signer")
    op.drop_table("agency_setting")
