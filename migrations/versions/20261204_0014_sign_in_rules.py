"""The sign-in tables' enum-valued columns held to their enums too (issue 16, item 4): why a session was
ended (``user_session.revoked_reason``, ``enums.SessionEndReason``) and what a security log entry records
(``security_event.kind``, ``enums.SecurityEventKind``), written in the style of 0013 and checked by
``tests/test_db_checks.py`` against ``cases/models/checks.py`` like the others.

The existing rows are checked first: if any breaks a rule, nothing changes and the upgrade stops with the
table, the rule and the number of rows, to be corrected before upgrading again.

- PostgreSQL: a CHECK constraint per rule, ``ck_<table>_<rule>``.
- SQLite: two triggers per rule, ``<constraint>_insert`` (BEFORE INSERT) and ``<constraint>_update`` (BEFORE
  UPDATE OF the rule's column), which abort with "CHECK constraint failed: <constraint>" where a CHECK
  would (see 0013 for why not a CHECK). As with a CHECK, a NULL passes.

Revision ID: 0014
Revises: 0013
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# (table, constraint, columns the rule reads, condition)
RULES = [
    (
        "user_session",
        "ck_user_session_revoked_reason_known",
        ("revoked_reason",),
        "revoked_reason IN ('sign_out', 'sign_out_everywhere', 'password_changed', 'password_reset', 'role_changed', 'communes_changed', 'deactivated', 'idle', 'expired', 'user_agent_changed', 'client_changed')",
    ),
    (
        "security_event",
        "ck_security_event_kind_known",
        ("kind",),
        "kind IN ('sign_in', 'sign_in_failed', 'rate_limited', 'sign_out', 'sign_out_everywhere', 'password_changed', 'password_reset', 'session_refused')",
    ),
]


def _on_new_row(condition: str, columns: tuple[str, ...]) -> str:
    """The condition on a trigger's NEW row: each column name outside the quoted values gets ``NEW.``."""
    parts = condition.split("'")
    for i in range(0, len(parts), 2):  # the even parts are outside quotes
        for column in columns:
            parts[i] = re.sub(rf"(?<![\w.]){column}\b", f"NEW.{column}", parts[i])
    return "'".join(parts)


def _check_existing_rows(bind) -> None:  # type: ignore[no-untyped-def]
    broken = []
    for table, name, _columns, condition in RULES:
        count = bind.execute(sa.text(f"SELECT count(*) FROM {table} WHERE NOT ({condition})")).scalar_one()
        if count:
            broken.append(f"  {table}: {count} row(s) break {name} ({condition})")
    if broken:
        raise RuntimeError(
            "Migration 0014 adds the database's rules, but existing rows break them; nothing was changed. "
            "Correct these rows, then upgrade again:\n" + "\n".join(broken)
        )


def upgrade():
    bind = op.get_bind()
    _check_existing_rows(bind)
    if bind.dialect.name == "sqlite":
        for table, name, columns, condition in RULES:
            refuse = f"SELECT RAISE(ABORT, 'CHECK constraint failed: {name}')"
            when = f"NOT ({_on_new_row(condition, columns)})"
            op.execute(
                sa.text(
                    f"CREATE TRIGGER {name}_insert BEFORE INSERT ON {table} WHEN {when} BEGIN {refuse}; END"
                )
            )
            op.execute(
                sa.text(
                    f"CREATE TRIGGER {name}_update BEFORE UPDATE OF {', '.join(columns)} ON {table} "
                    f"WHEN {when} BEGIN {refuse}; END"
                )
            )
    else:
        for table, name, _columns, condition in RULES:
            op.execute(sa.text(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({condition})"))


def downgrade():
    bind = op.get_bind()
    for table, name, _columns, _condition in reversed(RULES):
        if bind.dialect.name == "sqlite":
            op.execute(sa.text(f"DROP TRIGGER {name}_update"))
            op.execute(sa.text(f"DROP TRIGGER {name}_insert"))
        else:
            op.execute(sa.text(f"ALTER TABLE {table} DROP CONSTRAINT {name}"))
