"""Planning (issue 18, first increment): the risk score's weights (``risk_weight_version``,
``risk_weight``), tips and complaints (``tip``), other agencies' checks (``agency_check``), and on
``case_record`` the tip a case was opened from and the once-a-year rule's columns (clear signs of a
violation, a manager's override).

The new rules of ``cases/models/checks.py`` are held as 0013 holds the others: PostgreSQL as CHECK
constraints in the CREATE TABLE, SQLite as a pair of triggers per rule. SQLite adds the new columns of
``case_record`` with ``ALTER TABLE … ADD COLUMN … REFERENCES`` (no table rebuild: that would drop the
triggers of the audit trail and the findings).

Revision ID: 0019_risk
Revises: 0018_mappings
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0019_risk"
down_revision = "0018_mappings"
branch_labels = None
depends_on = None

RULES = [
    (
        "tip",
        "ck_tip_source_known",
        ("source",),
        "source IN ('hotline', 'letter', 'email', 'in_person', 'media', 'agency', 'other')",
    ),
    ("tip", "ck_tip_status_known", ("status",), "status IN ('open', 'used', 'closed')"),
]


def _checks(bind, table):  # type: ignore[no-untyped-def]
    if bind.dialect.name == "sqlite":
        return []
    return [sa.CheckConstraint(condition, name=op.f(name)) for t, name, _c, condition in RULES if t == table]


def _on_new_row(condition: str, columns: tuple[str, ...]) -> str:
    parts = condition.split("'")
    for i in range(0, len(parts), 2):
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
        "risk_weight_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_risk_weight_version_created_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_weight_version")),
        sa.UniqueConstraint("number", name=op.f("uq_risk_weight_version_number")),
    )
    op.create_table(
        "risk_weight",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("component", sa.String(length=30), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["risk_weight_version.id"],
            name=op.f("fk_risk_weight_version_id_risk_weight_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_weight")),
        sa.UniqueConstraint("version_id", "component", "item", name=op.f("uq_risk_weight_version_id")),
    )
    op.create_index(op.f("ix_risk_weight_version_id"), "risk_weight", ["version_id"], unique=False)
    op.create_table(
        "tip",
        *_checks(bind, "tip"),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=True),
        sa.Column("listing_url", sa.Text(), nullable=True),
        sa.Column("seller_name", sa.String(length=300), nullable=True),
        sa.Column("commune_code", sa.String(length=10), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["commune_code"], ["commune.code"], name=op.f("fk_tip_commune_code_commune")),
        sa.ForeignKeyConstraint(
            ["establishment_id"], ["establishment.id"], name=op.f("fk_tip_establishment_id_establishment")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user_account.id"], name=op.f("fk_tip_recorded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip")),
    )
    op.create_index(op.f("ix_tip_commune_code"), "tip", ["commune_code"], unique=False)
    op.create_index(op.f("ix_tip_received_on"), "tip", ["received_on"], unique=False)
    op.create_index("ix_tip_establishment_received", "tip", ["establishment_id", "received_on"], unique=False)
    op.create_table(
        "agency_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=255), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_agency_check_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishment.id"],
            name=op.f("fk_agency_check_establishment_id_establishment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_check")),
    )
    op.create_index(
        "ix_agency_check_establishment_on", "agency_check", ["establishment_id", "checked_on"], unique=False
    )
    _sqlite_triggers(bind)

    op.add_column(
        "case_record", sa.Column("clear_signs", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column("case_record", sa.Column("clear_signs_text", sa.Text(), nullable=True))
    op.add_column("case_record", sa.Column("yearly_override_reason", sa.Text(), nullable=True))
    if bind.dialect.name == "sqlite":
        op.execute(sa.text("ALTER TABLE case_record ADD COLUMN tip_id INTEGER REFERENCES tip (id)"))
        op.execute(
            sa.text(
                "ALTER TABLE case_record ADD COLUMN yearly_override_by_id INTEGER REFERENCES user_account (id)"
            )
        )
    else:
        op.add_column("case_record", sa.Column("tip_id", sa.Integer(), nullable=True))
        op.add_column("case_record", sa.Column("yearly_override_by_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_case_record_tip_id_tip"), "case_record", "tip", ["tip_id"], ["id"])
        op.create_foreign_key(
            op.f("fk_case_record_yearly_override_by_id_user_account"),
            "case_record",
            "user_account",
            ["yearly_override_by_id"],
            ["id"],
        )
    op.create_index(op.f("ix_case_record_tip_id"), "case_record", ["tip_id"], unique=False)


def downgrade():
    bind = op.get_bind()
    op.drop_index(op.f("ix_case_record_tip_id"), table_name="case_record")
    if bind.dialect.name == "sqlite":
        for column in ("yearly_override_by_id", "tip_id"):
            op.execute(sa.text(f"ALTER TABLE case_record DROP COLUMN {column}"))
    else:
        op.drop_constraint(op.f("fk_case_record_yearly_override_by_id_user_account"), "case_record")
        op.drop_constraint(op.f("fk_case_record_tip_id_tip"), "case_record")
        op.drop_column("case_record", "yearly_override_by_id")
        op.drop_column("case_record", "tip_id")
    op.drop_column("case_record", "yearly_override_reason")
    op.drop_column("case_record", "clear_signs_text")
    op.drop_column("case_record", "clear_signs")
    if bind.dialect.name == "sqlite":
        for _table, name, _columns, _condition in reversed(RULES):
            op.execute(sa.text(f"DROP TRIGGER {name}_update"))
            op.execute(sa.text(f"DROP TRIGGER {name}_insert"))
    op.drop_index("ix_agency_check_establishment_on", table_name="agency_check")
    op.drop_table("agency_check")
    op.drop_index("ix_tip_establishment_received", table_name="tip")
    op.drop_index(op.f("ix_tip_received_on"), table_name="tip")
    op.drop_index(op.f("ix_tip_commune_code"), table_name="tip")
    op.drop_table("tip")
    op.drop_index(op.f("ix_risk_weight_version_id"), table_name="risk_weight")
    op.drop_table("risk_weight")
    op.drop_table("risk_weight_version")
