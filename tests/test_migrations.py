"""Models and migrations never drift, and the revision history stays a single, numbered line."""

from __future__ import annotations

import re
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Migrate
from sqlalchemy import inspect

from cases.db import db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _script_directory(app) -> ScriptDirectory:
    migrate: Migrate = app.extensions["migrate"].migrate
    config = migrate.get_config(directory=str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def test_models_and_migrations_do_not_drift(app_ctx):
    """The database built by the migrations matches the models exactly (what `flask db check` checks)."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_every_model_table_exists_after_upgrade(app_ctx):
    tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in db.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_single_head_recorded_in_current_head_file(app, app_ctx):
    script = _script_directory(app)
    heads = script.get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}"
    recorded = (MIGRATIONS / ".current-alembic-head").read_text().strip()
    assert heads[0] == recorded, "update migrations/.current-alembic-head when adding a migration"


def test_revisions_are_numbered_in_sequence(app, app_ctx):
    """Numbered 0001, 0002, …; a revision written on a branch in parallel with others may carry the
    branch's name after its number (``0012_sessions``), until the merge renumbers it."""
    script = _script_directory(app)
    revisions = list(script.walk_revisions())  # head first
    ids = [r.revision for r in reversed(revisions)]
    assert all(re.fullmatch(r"\d{4}(_[a-z][a-z0-9-]*)?", rid) for rid in ids), ids
    assert [rid[:4] for rid in ids] == [f"{n:04d}" for n in range(1, len(ids) + 1)]


def test_flask_db_check_reports_no_changes(runner):
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
