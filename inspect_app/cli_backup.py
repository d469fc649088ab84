"""``flask --app inspect_app backup --output DIR`` and ``flask --app inspect_app restore DIR``."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from cases.db import db
from inspect_app import backup as backups


@click.command("backup")
@with_appcontext
@click.option(
    "--output", "-o", required=True, type=click.Path(file_okay=False), help="A new (or empty) folder."
)
def backup(output: str) -> None:
    """Back up the database and every evidence file into OUTPUT, with a manifest of checksums."""
    try:
        manifest = backups.backup(db.engine, current_app.config["UPLOAD_FOLDER"], output)
    except backups.BackupError as error:
        click.echo(f"Backup failed: {error}", err=True)
        sys.exit(1)
    rows = sum(manifest["row_counts"].values())
    files = sum(1 for name in manifest["files"] if name.startswith(backups.FILES_DIR + "/"))
    click.echo(
        f"Backup written to {output}: {manifest['database']} database at revision "
        f"{manifest['alembic_revision']}, {len(manifest['row_counts'])} tables, {rows} rows, {files} files."
    )


@click.command("restore")
@with_appcontext
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--force", is_flag=True, help="Replace a database and upload folder that are not empty.")
def restore(folder: str, force: bool) -> None:
    """Check a backup's checksums, then restore it into the configured database and upload folder."""
    try:
        result = backups.restore(db.engine, current_app.config["UPLOAD_FOLDER"], folder, force=force)
    except backups.BackupError as error:
        click.echo(f"Restore refused: {error}", err=True)
        sys.exit(1)
    click.echo(
        f"Restored {folder}: {len(result.tables)} tables, {sum(result.tables.values())} rows, "
        f"{result.files} files."
    )
