"""Audit trail (append-only audit_event) and the review workflow's columns on case_record.

audit_event is append-only: besides the ORM's refusal (cases/models/audit.py), triggers refuse UPDATE and
DELETE in the database itself, on PostgreSQL and on SQLite. The only UPDATE let through is the one the
foreign key makes itself when a draft case is deleted (ON DELETE SET NULL on case_id, once the case row is
gone, every other column unchanged), so a deleted draft keeps its log. TRUNCATE (PostgreSQL) is an administrator's act outside the
app and is not refused; the test suite uses it to empty the table between tests.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 01:48:08.771958

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_COLUMNS = ("id", "at", "actor_id", "entity_type", "entity_id", "action", "changes", "reason")

_PG_FUNCTION = """
CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.case_id IS NULL AND OLD.case_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM case_record WHERE id = OLD.case_id)
       AND (NEW.id, NEW.at, NEW.actor_id, NEW.entity_type, NEW.entity_id, NEW.action,
            NEW.changes::text, NEW.reason)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_id, OLD.entity_type, OLD.entity_id, OLD.action,
            OLD.changes::text, OLD.reason) THEN
        RETURN NEW;  -- ON DELETE SET NULL of a deleted draft
    END IF;
    RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""

_SQLITE_UNCHANGED = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _COLUMNS)


def upgrade():
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("entity_type", sa.String(length=30), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_audit_event_actor_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name=op.f("fk_audit_event_case_id_case_record"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_index(op.f("ix_audit_event_actor_id"), "audit_event", ["actor_id"], unique=False)
    op.create_index(op.f("ix_audit_event_at"), "audit_event", ["at"], unique=False)
    op.create_index(op.f("ix_audit_event_case_id"), "audit_event", ["case_id"], unique=False)

    # plain ADD COLUMN on both databases (no batch: recreating case_record on SQLite is not needed)
    op.add_column("case_record", sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("case_record", sa.Column("return_note", sa.Text(), nullable=True))
    op.add_column("case_record", sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("case_record", sa.Column("cancel_reason", sa.Text(), nullable=True))
    op.create_index(op.f("ix_case_record_submitted_at"), "case_record", ["submitted_at"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
        )
    else:
        op.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
            "WHEN NOT (NEW.case_id IS NULL AND OLD.case_id IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM case_record WHERE id = OLD.case_id) "
            f"AND {_SQLITE_UNCHANGED}) "
            "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only (UPDATE refused)'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only (DELETE refused)'); END"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    op.drop_index(op.f("ix_case_record_submitted_at"), table_name="case_record")
    with op.batch_alter_table("case_record") as batch_op:
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("returned_at")
        batch_op.drop_column("return_note")
        batch_op.drop_column("submitted_at")
    op.drop_index(op.f("ix_audit_event_case_id"), table_name="audit_event")
    op.drop_index(op.f("ix_audit_event_at"), table_name="audit_event")
    op.drop_index(op.f("ix_audit_event_actor_id"), table_name="audit_event")
    op.drop_table("audit_event")
