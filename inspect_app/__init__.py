"""The Flask application: ``create_app()`` builds and wires it."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app. Configuration comes from the environment; ``test_config`` overrides it."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_relative_config=True,
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    from inspect_app.params import DbIntConverter

    app.url_map.converters["int"] = DbIntConverter  # before any route: ids that fit the database (404 else)

    from inspect_app.config import load_config

    app.config.from_mapping(load_config(Path(app.instance_path), overrides=test_config))

    if app.config["TRUSTED_PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    _init_extensions(app)
    _register_blueprints(app)

    from inspect_app.cli import register_cli
    from inspect_app.errors import register_error_handlers
    from inspect_app.template_helpers import register_template_helpers

    register_error_handlers(app)
    register_cli(app)
    register_template_helpers(app)
    _configure_logging(app)
    return app


def _init_extensions(app: Flask) -> None:
    from cases import models  # noqa: F401  (registers every table on the metadata)
    from inspect_app.auth import init_login
    from inspect_app.extensions import babel, csrf, db, migrate
    from inspect_app.i18n import select_locale, select_timezone

    _enable_sqlite_pragmas()
    db.init_app(app)
    # registered after Flask-SQLAlchemy's own teardown, so it runs first
    app.teardown_appcontext(_close_session_safely)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    init_login(app)

    from inspect_app.security import init_security

    init_security(app)


def _close_session_safely(_exc: BaseException | None) -> None:
    """End the request's database session; when the server went away mid-transaction (a PostgreSQL restart)
    the final rollback fails: log it and drop the session (its connection is discarded by the pool) instead
    of turning an answered request into a bare 500 from gunicorn."""
    from inspect_app.extensions import db

    try:
        db.session.remove()
    except Exception:
        logging.getLogger(__name__).warning("the database session could not be closed cleanly", exc_info=True)
        db.session.registry.clear()


def _register_blueprints(app: Flask) -> None:
    from inspect_app.views import register_blueprints

    register_blueprints(app)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """WAL and a busy timeout let readers and a writer share the SQLite file; enforce foreign keys."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _enable_sqlite_pragmas() -> None:
    if not event.contains(Engine, "connect", _on_sqlite_connect):
        event.listen(Engine, "connect", _on_sqlite_connect)


def _configure_logging(app: Flask) -> None:
    if app.testing or app.debug:
        return
    level = app.config.get("LOG_LEVEL", "INFO")
    if not logging.getLogger().handlers:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app.logger.setLevel(level)
