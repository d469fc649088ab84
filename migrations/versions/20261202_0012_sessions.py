"""Revocable sign-in sessions, the security log, and passwords to change at the next sign-in (issue 15
items 1, 6 and 8; issue 14 item 12).

- ``user_session``: one row per sign-in on one browser (``cases/accounts/sessions.py``). The browser keeps a random
  token; the row its SHA-256 (unique: the per-request look-up), the account, when it started and was last
  used, whether "keep me signed in" was ticked, a summary and the hash of the browser's User-Agent, the
  address, and when and why it ended.
- ``security_event``: the security log (``cases/accounts/security_log.py``); ``ix_security_event_address_at`` is
  what the login rate limit reads (the failed sign-ins of one address in the last minute).
- ``user_account.must_change_password``: set for a generated or reset password; false for every
  existing account.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("remember", sa.Boolean(), nullable=False),
        sa.Column("user_agent", sa.String(length=120), nullable=False),
        sa.Column("user_agent_hash", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_user_session_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_session_token_hash")),
    )
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "security_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=120), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_security_event_actor_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_security_event_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_security_event")),
    )
    with op.batch_alter_table("security_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_security_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_security_event_user_id"), ["user_id"], unique=False)
        batch_op.create_index("ix_security_event_address_at", ["address", "at"], unique=False)


def downgrade():
    with op.batch_alter_table("security_event", schema=None) as batch_op:
        batch_op.drop_index("ix_security_event_address_at")
        batch_op.drop_index(batch_op.f("ix_security_event_user_id"))
        batch_op.drop_index(batch_op.f("ix_security_event_at"))
    op.drop_table("security_event")
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_session_user_id"))
    op.drop_table("user_session")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
