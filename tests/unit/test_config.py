from __future__ import annotations

from cases.db import db
from inspect_app import create_app
from inspect_app.config import load_config, normalise_database_url


def test_database_url_defaults_to_sqlite_in_instance_folder(tmp_path):
    config = load_config(tmp_path, environ={})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'inspect.db'}"


def test_postgres_urls_use_psycopg3(tmp_path):
    assert normalise_database_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_database_url("postgresql://u@h:5432/db") == "postgresql+psycopg://u@h:5432/db"
    config = load_config(tmp_path, environ={"DATABASE_URL": "postgresql://u@h/db"})
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = load_config(tmp_path, environ={})["SECRET_KEY"]
    second = load_config(tmp_path, environ={})["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert load_config(tmp_path, environ={"SECRET_KEY": "from-env"})["SECRET_KEY"] == "from-env"


def test_secure_cookies_by_environment(tmp_path):
    assert load_config(tmp_path, environ={})["SESSION_COOKIE_SECURE"] is False
    assert load_config(tmp_path, environ={"SESSION_COOKIE_SECURE": "1"})["SESSION_COOKIE_SECURE"] is True


def test_sqlite_runs_with_wal_and_busy_timeout(tmp_path):
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'w.db'}"})
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()
