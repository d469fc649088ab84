"""The benchmark data sets: one database per (engine, size), built once with the demo data generator."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from cases.db import db
from cases.demo import generator as demo_data
from cases.geography import reference
from cases.models import Case
from inspect_app import create_app
from inspect_app.config import normalise_database_url

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("BENCH_CACHE", ROOT / ".bench-cache"))
SEED = 7
#: The data end on a fixed day, so a cached data set and a fresh one are the same.
TODAY = dt.date(2026, 11, 28)
SECRET_KEY = "benchmark-secret-key"


@dataclass
class Dataset:
    engine: str  # "sqlite" or "postgresql"
    size: int
    url: str
    build_seconds: float | None = None  # None: taken from the cache

    @property
    def label(self) -> str:
        return f"{'SQLite' if self.engine == 'sqlite' else 'PostgreSQL'} {self.size // 1000}k"


def postgres_base_url() -> str | None:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    return normalise_database_url(url) if url else None


def _url(engine: str, size: int) -> str:
    name = f"bench_{size // 1000}k"
    if engine == "sqlite":
        CACHE.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{CACHE / (name + '.sqlite')}"
    base = postgres_base_url()
    if base is None:
        raise RuntimeError("set BENCH_DATABASE_URL or TEST_DATABASE_URL for PostgreSQL")
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def make_app(url: str, **config: object) -> Flask:
    upload = CACHE / "uploads"
    upload.mkdir(parents=True, exist_ok=True)
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET_KEY,
            "WTF_CSRF_ENABLED": False,
            "UPLOAD_FOLDER": str(upload),
            **config,
        }
    )


def _case_count(app: Flask) -> int | None:
    with app.app_context():
        try:
            return db.session.scalar(select(func.count()).select_from(Case))
        except Exception:  # no tables yet
            db.session.rollback()
            return None


def _recreate_postgres(url: str) -> None:
    import psycopg

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}"')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')


def _postgres_exists(url: str) -> bool:
    import psycopg

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)).fetchone()
    return row is not None


def _migrations() -> list[str]:
    return sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))


def _marker(engine: str, size: int) -> Path:
    return CACHE / f"bench_{size // 1000}k-{engine}.migrations"


def _history_still_valid(engine: str, size: int) -> bool:
    """Whether the migrations the cached set was built with are still the first ones (not renumbered)."""
    marker = _marker(engine, size)
    if not marker.exists():
        return False
    built = marker.read_text().split()
    return _migrations()[: len(built)] == built


def prepare(engine: str, size: int, *, rebuild: bool = False, log=print) -> Dataset:  # type: ignore[no-untyped-def]
    """The data set, built when missing (or asked to, or when the migrations it was built with were
    renumbered since), migrated to the latest revision either way."""
    from flask_migrate import upgrade

    url = _url(engine, size)
    exists = Path(make_url(url).database or "").exists() if engine == "sqlite" else _postgres_exists(url)
    if exists and not rebuild and _history_still_valid(engine, size):
        app = make_app(url)
        if _case_count(app) == size:
            with app.app_context():
                upgrade()  # a cached set picks up new indexes
            _marker(engine, size).write_text("\n".join(_migrations()) + "\n")
            return Dataset(engine, size, url)
    log(f"building {engine} data set with {size} cases ...")
    if engine == "sqlite":
        Path(make_url(url).database or "").unlink(missing_ok=True)
    else:
        _recreate_postgres(url)
    app = make_app(url)
    with app.app_context():
        upgrade()
        reference.load_all()
        db.session.commit()
        started = time.perf_counter()
        demo_data.generate(cases=size, seed=SEED, today=TODAY, upload_folder=app.config["UPLOAD_FOLDER"])
        db.session.commit()
        elapsed = time.perf_counter() - started
        db.session.commit()
        # statistics for the planner and, on PostgreSQL, the visibility map (index-only scans): what a
        # maintained database has once autovacuum went by
        statement = "VACUUM ANALYZE" if engine == "postgresql" else "ANALYZE"
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(statement)
    _marker(engine, size).write_text("\n".join(_migrations()) + "\n")
    log(f"  demo data written in {elapsed:.1f} s")
    return Dataset(engine, size, url, elapsed)
