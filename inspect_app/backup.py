"""Backups and restores of the database and the evidence files (``flask backup`` / ``flask restore``).

A backup is a folder:

* ``database.sqlite3`` (SQLite's online backup API: consistent while the app keeps running) or
  ``database.pgdump`` (``pg_dump --format=custom``, by the pg_dump of the server's major version);
* ``files/``: a copy of every file under ``UPLOAD_FOLDER`` (evidence, thumbnails, activity files);
* ``manifest.json``: app version, Alembic revision, database kind, row counts per table and the SHA-256
  of every file above.

A restore checks every checksum first and refuses a damaged or incomplete backup; it restores only into an
empty database and upload folder unless ``force`` is given (then both are replaced).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Engine, make_url

from cases.db import db

MANIFEST = "manifest.json"
FILES_DIR = "files"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
FORMAT = 1


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why, for an operator."""


@dataclass
class RestoreResult:
    tables: dict[str, int] = field(default_factory=dict)
    files: int = 0


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def app_version() -> str:
    try:
        return metadata.version("inspect-app")
    except metadata.PackageNotFoundError:
        return "unknown"


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table of the database (every table it has, alembic_version included)."""
    counts = {}
    with engine.connect() as conn:
        for name in sorted(inspect(conn).get_table_names()):
            table = db.Table(name, db.MetaData(), autoload_with=conn)
            counts[name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
    return counts


def _alembic_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


# --- PostgreSQL tools -------------------------------------------------------------------------------


def _server_major(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000


def pg_tool(engine: Engine, name: str) -> str:
    """The pg_dump/pg_restore matching the server's major version (``PG_BINDIR`` first, then Debian's
    ``/usr/lib/postgresql/<major>/bin``, then PATH when its version matches)."""
    major = _server_major(engine)
    candidates = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{major}/bin/{name}"))
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if not os.access(candidate, os.X_OK):
            continue
        version = subprocess.run([str(candidate), "--version"], capture_output=True, text=True, check=False)
        words = version.stdout.split()
        if words and words[-1].split(".")[0] == str(major):
            return str(candidate)
    raise BackupError(
        f"{name} for PostgreSQL {major} not found: install postgresql-client-{major} or set PG_BINDIR"
    )


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and an environment carrying it."""
    url = engine.url.set(drivername="postgresql")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(password=None).render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-2000:]}")


# --- backup -----------------------------------------------------------------------------------------


def backup(engine: Engine, upload_folder: str | Path, output: str | Path) -> dict[str, Any]:
    """Write a backup into ``output`` (created; must be empty). Returns the manifest."""
    out = Path(output)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty: choose a new folder for the backup")
    out.mkdir(parents=True, exist_ok=True)
    kind = engine.dialect.name
    if kind == "sqlite":
        source = sqlite3.connect(make_url(str(engine.url)).database or "")
        target = sqlite3.connect(out / SQLITE_FILE)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        counts = _sqlite_counts(out / SQLITE_FILE)
    elif kind == "postgresql":
        url, env = _libpq(engine)
        # counts first, then the dump: a busy database may differ slightly; the restore checks the dump
        counts = row_counts(engine)
        _run(
            [pg_tool(engine, "pg_dump"), "--format=custom", "--no-owner", "--file", str(out / PG_FILE), url],
            env,
        )
    else:
        raise BackupError(f"backups of {kind} databases are not supported")

    files_dir = out / FILES_DIR
    files_dir.mkdir()
    folder = Path(upload_folder)
    if folder.is_dir():
        shutil.copytree(folder, files_dir, dirs_exist_ok=True)

    checksums = {
        path.relative_to(out).as_posix(): sha256_file(path)
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "app_version": app_version(),
        "alembic_revision": _alembic_revision(engine),
        "database": kind,
        "database_file": SQLITE_FILE if kind == "sqlite" else PG_FILE,
        "row_counts": counts,
        "files": checksums,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def _sqlite_counts(path: Path) -> dict[str, int]:
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    try:
        return row_counts(engine)
    finally:
        engine.dispose()


# --- restore ----------------------------------------------------------------------------------------


def check_backup(folder: str | Path) -> dict[str, Any]:
    """The manifest, once every file it lists is present with its checksum; else a BackupError listing
    what is wrong."""
    src = Path(folder)
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{src} is not a backup: {MANIFEST} is missing") from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{src / MANIFEST} is damaged (not valid JSON)") from None
    problems = []
    for name, expected in sorted(manifest.get("files", {}).items()):
        path = src / name
        if not path.is_file():
            problems.append(f"missing: {name}")
        elif sha256_file(path) != expected:
            problems.append(f"checksum mismatch: {name}")
    if manifest.get("database_file") not in manifest.get("files", {}):
        problems.append("the manifest lists no database file")
    if problems:
        shown = "\n  ".join(problems[:50])
        raise BackupError(f"the backup in {src} is damaged; nothing was restored:\n  {shown}")
    return manifest


def _database_is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return not inspect(conn).get_table_names()


def restore(
    engine: Engine, upload_folder: str | Path, folder: str | Path, *, force: bool = False
) -> RestoreResult:
    """Restore a checked backup into the configured database and upload folder."""
    src = Path(folder)
    manifest = check_backup(src)
    kind = engine.dialect.name
    if manifest["database"] != kind:
        raise BackupError(f"this is a {manifest['database']} backup; the configured database is {kind}")
    uploads = Path(upload_folder)
    if not force:
        if not _database_is_empty(engine):
            raise BackupError("the configured database is not empty: restore into a new one, or use --force")
        if uploads.is_dir() and any(uploads.iterdir()):
            raise BackupError(f"the upload folder {uploads} is not empty: use --force to replace its files")

    engine.dispose()
    if kind == "sqlite":
        source = sqlite3.connect(src / SQLITE_FILE)
        target = sqlite3.connect(make_url(str(engine.url)).database or "")
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        url, env = _libpq(engine)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        _run(
            [
                pg_tool(engine, "pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "-d",
                url,
                str(src / PG_FILE),
            ],
            env,
        )
    engine.dispose()

    if uploads.is_dir():
        shutil.rmtree(uploads)
    uploads.mkdir(parents=True, exist_ok=True)
    files = 0
    stored = src / FILES_DIR
    for path in sorted(stored.rglob("*")) if stored.is_dir() else []:
        if path.is_file():
            target_path = uploads / path.relative_to(stored)
            target_path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target_path)
            files += 1

    counts = row_counts(engine)
    if counts != manifest["row_counts"]:
        differing = sorted(
            name
            for name in set(counts) | set(manifest["row_counts"])
            if counts.get(name) != manifest["row_counts"].get(name)
        )
        raise BackupError(f"restored, but the row counts differ from the manifest in: {', '.join(differing)}")
    return RestoreResult(tables=counts, files=files)
