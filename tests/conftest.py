"""Fixtures built on the app factory.

The database is ``TEST_DATABASE_URL`` when set (PostgreSQL in CI), else a SQLite file in a temporary
folder. It is built once per test session by running the real migrations, and the reference data is
loaded once; after each test every other table is emptied.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from sqlalchemy import delete, select, text

from cases.accounts import users as accounts
from cases.db import db
from cases.geography import reference
from cases.models import RiskWeight, RiskWeightVersion, User
from cases.models import user as user_model
from inspect_app import create_app
from inspect_app.config import normalise_database_url

REFERENCE_TABLES = {
    "commune",
    "former_district",
    "former_ward",
    "former_ward_commune",
    "violation",
    "plan_task",
    "document_template",
    "sanction_authority",
    "field_fine_maximum",
    "risk_weight_version",  # the seeded version 1; the versions a test saved are removed after it
    "risk_weight",
    "alembic_version",
}
TEST_PASSWORD = "Matkhau-2026"

# Property tests (tests/fuzz/): the suite runs twice (SQLite, PostgreSQL), so examples stay moderate; no
# deadline (a shared machine is slow at times); the fixtures they use hold no per-example state.
settings.register_profile(
    "suite",
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile("thorough", parent=settings.get_profile("suite"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

# Hashing a password with scrypt costs 0.2 s; the suite creates hundreds of accounts. A cheap PBKDF2 keeps
# the same code path (hash, store, check) without the cost. Production keeps scrypt.
user_model.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


def _worker_database_url(base_url: str, worker: str) -> str:
    """One PostgreSQL database per xdist worker, created on first use."""
    if worker == "master":
        return base_url
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base_url)
    name = f"{url.database}_{worker}"
    admin_url = url.set(drivername="postgresql", database=url.database)
    with psycopg.connect(admin_url.render_as_string(hide_password=False), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def _reset_postgres_schema(url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        url = normalise_database_url(_worker_database_url(normalise_database_url(base), worker_id))
        _reset_postgres_schema(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    # Provided by pytest-xdist when it is active; "master" otherwise.
    return getattr(request.config, "workerinput", {}).get("workerid", "master")


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
            "IMPORT_STAGING_FOLDER": str(tmp_path_factory.mktemp("import-staging")),
        }
    )
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        reference.load_all()
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "app" not in request.fixturenames:
        return
    app: Flask = request.getfixturevalue("app")
    with app.app_context():
        db.session.rollback()
        _empty_audit_log()
        _keep_seeded_risk_weights()
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES | {"audit_event"}:
                db.session.execute(delete(table))
        db.session.commit()
        db.session.remove()


def _keep_seeded_risk_weights() -> None:
    """The weights' versions a test saved go; the seeded version 1 stays (reference data)."""
    saved = select(RiskWeightVersion.id).where(RiskWeightVersion.number > 1)
    db.session.execute(delete(RiskWeight).where(RiskWeight.version_id.in_(saved)))
    db.session.execute(delete(RiskWeightVersion).where(RiskWeightVersion.number > 1))


def _empty_audit_log() -> None:
    """The audit log refuses DELETE (triggers of migration 0003): PostgreSQL empties it with TRUNCATE, which
    row triggers do not see; SQLite drops its triggers, deletes and puts them back."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("TRUNCATE audit_event"))
        return
    triggers = db.session.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'")
    ).all()
    for name, _sql in triggers:
        db.session.execute(text(f'DROP TRIGGER "{name}"'))
    db.session.execute(text("DELETE FROM audit_event"))
    for _name, sql in triggers:
        db.session.execute(text(sql))


@pytest.fixture
def make_app() -> Iterator[Callable[[dict[str, Any]], Flask]]:
    """``create_app(config)`` for a test that needs a second app (other settings, another database); its
    engine is disposed after the test. Left to the garbage collector, the pooled connections were closed
    whenever it ran, and psycopg's "deleted while still open" warning failed whichever test was running."""
    made: list[Flask] = []

    def _make(config: dict[str, Any]) -> Flask:
        made.append(create_app(config))
        return made[-1]

    yield _make
    for other in made:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Create an account (committed) and return it; ``password`` defaults to ``TEST_PASSWORD``."""

    def _make(
        username: str = "thanhtra1",
        role: str = "inspector",
        *,
        communes: tuple[str, ...] = (),
        password: str = TEST_PASSWORD,
        full_name: str | None = None,
        active: bool = True,
    ) -> User:
        with app.app_context():
            user, _ = accounts.create_user(
                username=username,
                full_name=full_name or f"Cán bộ {username}",
                role=role,
                password=password,
                commune_codes=communes,
            )
            user.active = active
            db.session.commit()
            user_id = user.id
        with app.app_context():
            found = db.session.get(User, user_id)
            assert found is not None
            db.session.expunge(found)
            return found

    return _make


@pytest.fixture
def login(client: FlaskClient) -> Callable[..., Any]:
    """Sign a user in through the real login form."""

    def _login(user: User | str, password: str = TEST_PASSWORD, follow: bool = False):
        username = user if isinstance(user, str) else user.username
        return client.post(
            "/login", data={"username": username, "password": password}, follow_redirects=follow
        )

    return _login


# --- no network: tests must never reach outside this machine --------------------------------------

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if self.family == socket.AF_UNIX:
        return _real_connect(self, address)
    host = address[0] if isinstance(address, tuple) else address
    if host in {"127.0.0.1", "::1", "localhost"} or str(host).startswith("127."):
        return _real_connect(self, address)
    raise RuntimeError(f"Tests may not use the network (tried to connect to {address!r})")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


# --- under CI, a skipped test is a failure -----------------------------------------------------------


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or not os.environ.get("CI"):
        return
    skipped = reporter.stats.get("skipped", [])
    if skipped and session.exitstatus == 0:
        reporter.write_line(
            f"CI: {len(skipped)} test(s) skipped; a skipped test counts as a failure here.", red=True
        )
        session.exitstatus = 1


def pytest_configure(config: pytest.Config) -> None:
    Path("test-artifacts").mkdir(exist_ok=True)
