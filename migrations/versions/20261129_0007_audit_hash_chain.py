"""Hash-chain the audit trail: audit_event.prev_hash/entry_hash and the one-row audit_chain_head.

Every entry's entry_hash is the SHA-256 of its canonical content and prev_hash (cases/audit/integrity.py); the
head row holds the newest entry's id and hash and is what cases.audit.trail.record locks before chaining.
Existing entries are chained here, in id order (the append-only triggers are set aside for that, on
PostgreSQL by disabling them inside this transaction, on SQLite by dropping and recreating them). The
triggers' exception for ON DELETE SET NULL now also requires the two hash columns to stay unchanged.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 05:53:41.712139

"""

import sqlalchemy as sa
from alembic import op

from cases.audit.integrity import GENESIS_HASH, audit_entry_hash

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_OLD_COLUMNS = ("id", "at", "actor_id", "entity_type", "entity_id", "action", "changes", "reason")
_NEW_COLUMNS = (*_OLD_COLUMNS, "prev_hash", "entry_hash")


def _pg_function(columns: tuple[str, ...]) -> str:
    new = ", ".join("NEW.changes::text" if c == "changes" else f"NEW.{c}" for c in columns)
    old = ", ".join("OLD.changes::text" if c == "changes" else f"OLD.{c}" for c in columns)
    return f"""
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.case_id IS NULL AND OLD.case_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM case_record WHERE id = OLD.case_id)
       AND ({new}) IS NOT DISTINCT FROM ({old}) THEN
        RETURN NEW;  -- ON DELETE SET NULL of a deleted draft
    END IF;
    RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""


def _sqlite_triggers(columns: tuple[str, ...]) -> list[str]:
    unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in columns)
    return [
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        "WHEN NOT (NEW.case_id IS NULL AND OLD.case_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM case_record WHERE id = OLD.case_id) "
        f"AND {unchanged}) "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only (DELETE refused)'); END",
    ]


def _drop_sqlite_triggers() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")


_audit = sa.table(
    "audit_event",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor_id", sa.Integer),
    sa.column("entity_type", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("changes", sa.JSON),
    sa.column("reason", sa.Text),
    sa.column("prev_hash", sa.String),
    sa.column("entry_hash", sa.String),
)


def _chain_existing_entries(bind: sa.engine.Connection) -> tuple[int | None, str]:
    rows = bind.execute(
        sa.select(
            _audit.c.id,
            _audit.c.at,
            _audit.c.actor_id,
            _audit.c.entity_type,
            _audit.c.entity_id,
            _audit.c.action,
            _audit.c.changes,
            _audit.c.reason,
        ).order_by(_audit.c.id)
    ).all()
    prev_hash, last_id, updates = GENESIS_HASH, None, []
    for row in rows:
        content = row._asdict()
        last_id = content.pop("id")
        entry_hash = audit_entry_hash(**content, prev_hash=prev_hash)
        updates.append({"row_id": last_id, "prev": prev_hash, "hash": entry_hash})
        prev_hash = entry_hash
    if updates:
        bind.execute(
            _audit.update()
            .where(_audit.c.id == sa.bindparam("row_id"))
            .values(prev_hash=sa.bindparam("prev"), entry_hash=sa.bindparam("hash")),
            updates,
        )
    return last_id, prev_hash


def upgrade():
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    head = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=True),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    if not postgres:
        _drop_sqlite_triggers()
    # plain ADD COLUMN (a batch would recreate the table on SQLite)
    op.add_column("audit_event", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_event", sa.Column("entry_hash", sa.String(length=64), nullable=True))
    if postgres:
        op.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete")
    last_id, last_hash = _chain_existing_entries(bind)
    op.bulk_insert(head, [{"id": 1, "last_id": last_id, "last_hash": last_hash}])
    if postgres:
        op.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete")
        op.execute(_pg_function(_NEW_COLUMNS))
    else:
        for sql in _sqlite_triggers(_NEW_COLUMNS):
            op.execute(sql)


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute(_pg_function(_OLD_COLUMNS))
        op.drop_column("audit_event", "entry_hash")
        op.drop_column("audit_event", "prev_hash")
    else:
        _drop_sqlite_triggers()
        op.execute("ALTER TABLE audit_event DROP COLUMN entry_hash")
        op.execute("ALTER TABLE audit_event DROP COLUMN prev_hash")
        for sql in _sqlite_triggers(_OLD_COLUMNS):
            op.execute(sql)
    op.drop_table("audit_chain_head")
