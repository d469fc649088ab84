"""`flask backup` and `flask restore`: a round trip into a fresh database and upload folder gives back every
row of every table and every evidence file byte for byte; a damaged backup and a non-empty target are
refused before anything is touched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine, MetaData, inspect, select
from sqlalchemy.engine import make_url

from cases.db import db
from cases.recording import evidence
from cases.recording import service as case_service
from inspect_app import create_app
from tests import evidence_samples as samples
from tests import factories


@pytest.fixture
def source(app, make_user) -> Flask:
    """The test database with cases, an edit (audit entries) and three evidence files."""
    user = make_user("saoluu", "inspector")
    with app.app_context():
        user = db.session.merge(user)
        case = factories.case(user, "inspection", product="Xăng RON 95 — Rạch Giá")
        factories.case(user, "survey")
        evidence.store_many(
            case=case,
            actor=user,
            files=[("anh.jpg", samples.jpeg()), ("bien-ban.pdf", samples.pdf())],
            upload_folder=app.config["UPLOAD_FOLDER"],
            max_bytes=app.config["EVIDENCE_MAX_BYTES"],
        )
        data = case_service.case_to_input(case)
        data.decision_number = "12/QĐ-KT"
        case_service.update_case(case=case, actor=user, data=data, expected_version=case.version)
        db.session.commit()
    return app


@pytest.fixture
def target(app, tmp_path: Path):
    """A second app on an empty database of the same kind, with an empty upload folder."""
    source_url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if source_url.get_backend_name() == "postgresql":
        import psycopg

        name = f"{source_url.database}_restore"
        plain = source_url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = source_url.set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path / 'restored.db'}"
    restored = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_FOLDER": str(tmp_path / "restored-uploads"),
        }
    )
    yield restored
    with restored.app_context():
        db.engine.dispose()


def _all_rows(engine: Engine) -> dict[str, list[tuple]]:
    metadata = MetaData()
    metadata.reflect(engine)
    rows = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    return rows


def _files(folder: str) -> dict[str, bytes]:
    root = Path(folder)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _backup(app: Flask, out: Path) -> None:
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output


def test_round_trip_gives_back_every_row_and_file(source, target, tmp_path):
    out = tmp_path / "backup"
    _backup(source, out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["alembic_revision"] == (Path("migrations/.current-alembic-head").read_text().strip())
    assert manifest["row_counts"]["case_record"] == 2
    assert manifest["row_counts"]["evidence_file"] == 2
    evidence_files = [name for name in manifest["files"] if name.startswith("files/")]
    assert len(evidence_files) >= 2  # two files, and the photo's thumbnail

    result = target.test_cli_runner().invoke(args=["restore", str(out)])
    assert result.exit_code == 0, result.output

    with source.app_context():
        expected_rows = _all_rows(db.engine)
    with target.app_context():
        restored_rows = _all_rows(db.engine)
    assert set(restored_rows) == set(expected_rows)
    for table, rows in expected_rows.items():
        assert restored_rows[table] == rows, table
    assert sum(len(r) for r in restored_rows.values()) > 50
    assert _files(target.config["UPLOAD_FOLDER"]) == _files(source.config["UPLOAD_FOLDER"])

    verify = target.test_cli_runner().invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output


def test_a_damaged_backup_is_refused_and_nothing_is_restored(source, target, tmp_path):
    out = tmp_path / "backup"
    _backup(source, out)
    photo = next(p for p in (out / "files").rglob("*.jpg"))
    data = bytearray(photo.read_bytes())
    data[-10] ^= 0xFF
    photo.write_bytes(bytes(data))

    result = target.test_cli_runner().invoke(args=["restore", str(out)])
    assert result.exit_code == 1
    assert "damaged; nothing was restored" in result.output
    assert f"checksum mismatch: {photo.relative_to(out).as_posix()}" in result.output
    with target.app_context():
        assert inspect(db.engine).get_table_names() == []


def test_a_database_that_is_not_empty_is_refused_without_force(source, target, tmp_path):
    out = tmp_path / "backup"
    _backup(source, out)
    assert target.test_cli_runner().invoke(args=["restore", str(out)]).exit_code == 0

    again = target.test_cli_runner().invoke(args=["restore", str(out)])
    assert again.exit_code == 1
    assert "not empty" in again.output
    forced = target.test_cli_runner().invoke(args=["restore", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
