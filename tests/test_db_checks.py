"""The database holds the rules it can (issue 16, item 4): enum values and nothing negative, on SQLite and
PostgreSQL alike, as ``cases/models/checks.py`` lists them — whoever writes, the app, an import or SQL."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from cases import enums
from cases.db import db
from cases.models.checks import RULES
from tests import factories


def _held_rules() -> dict[str, str]:
    """What the database holds of each rule: its name and the text of the condition it checks."""
    if db.engine.dialect.name == "sqlite":
        rows = db.session.execute(
            text(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE 'ck\\_%' ESCAPE '\\'"
            )
        ).all()
        held: dict[str, str] = {}
        for name, sql in rows:
            base = re.sub(r"_(insert|update)$", "", name)
            held.setdefault(base, "")
            held[base] += sql
        return held
    rows = db.session.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'c' AND conrelid <> 0"
        )
    ).all()
    return dict(rows)


def _values(condition: str) -> set[str]:
    return set(re.findall(r"'([^']*)'", condition))


def test_the_database_holds_every_rule_of_the_models(app_ctx):
    held = _held_rules()
    assert set(held) == {r.constraint_name for r in RULES}
    for rule in RULES:
        if rule.name.endswith("_known"):  # the enum's values, no more, no fewer
            found = _values(held[rule.constraint_name]) - {f"CHECK constraint failed: {rule.constraint_name}"}
            assert found == _values(rule.sql), rule.constraint_name
        else:
            assert re.search(r">=\s*\(?0", held[rule.constraint_name]) or "<=" in held[rule.constraint_name]


def test_every_enum_valued_column_is_held_to_its_enum(app_ctx):
    """Every column the models annotate with ``# enums.X`` has its rule (a new enum column needs one)."""
    from pathlib import Path

    models = Path(__file__).resolve().parent.parent / "cases" / "models"
    annotated = set()
    for source in models.glob("*.py"):
        table = None
        for line in source.read_text(encoding="utf-8").splitlines():
            if m := re.search(r'__tablename__ = "(\w+)"', line):
                table = m.group(1)
            if (m := re.match(r"\s+(\w+): Mapped\[str( \| None)?\] = .*# enums\.(\w+)", line)) and table:
                annotated.add((table, m.group(1), m.group(3)))
    ruled = {(r.table, r.columns[0]) for r in RULES if r.name.endswith("_known")}
    assert annotated and {(t, c) for t, c, _e in annotated} <= ruled
    for table, column, enum_name in annotated:
        rule = next(
            r for r in RULES if r.table == table and r.columns == (column,) and r.name.endswith("_known")
        )
        assert _values(rule.sql) == {v.value for v in getattr(enums, enum_name)}


def _refused(statement: str, **params) -> str:
    with pytest.raises(IntegrityError) as caught, db.session.begin_nested():
        db.session.execute(text(statement), params)
    return str(caught.value.orig)


def test_a_status_or_a_role_outside_its_enum_is_refused(app_ctx, make_user):
    author = make_user("kiemtra.checks")
    case = factories.case(author)
    db.session.commit()
    message = _refused("UPDATE case_record SET status = 'approved-ish' WHERE id = :id", id=case.id)
    assert "ck_case_record_status_known" in message
    assert "ck_user_account_role_known" in _refused(
        "UPDATE user_account SET role = 'superuser' WHERE id = :id", id=author.id
    )
    # a value of the enum, and NULL where the column allows it, pass
    db.session.execute(
        text("UPDATE case_record SET status = 'submitted', mode = NULL WHERE id = :id"), {"id": case.id}
    )
    db.session.rollback()


def test_a_negative_amount_is_refused_on_insert_and_on_update(app_ctx, make_user):
    author = make_user("kiemtra.checks2")
    case = factories.case(author)
    db.session.commit()
    assert "ck_case_record_price_vnd_not_negative" in _refused(
        "UPDATE case_record SET price_vnd = -1 WHERE id = :id", id=case.id
    )
    message = _refused(
        "INSERT INTO goods_item (case_id, name, quantity, result) VALUES (:id, 'Xăng RON 95', -5, 'pass')",
        id=case.id,
    )
    assert "ck_goods_item_quantity_not_negative" in message
    assert "ck_violation_fine_band_in_order" in _refused(
        "UPDATE violation SET fine_individual_min = fine_individual_max + 1 "
        "WHERE fine_individual_max IS NOT NULL"
    )


def test_the_upgrade_refuses_existing_rows_that_break_a_rule(make_app, tmp_path):
    """An installation whose rows break a rule (written before 0013, by hand or by an old import) is told
    which table, rule and how many rows, and its database is left as it was."""
    from alembic import command
    from flask_migrate import upgrade

    old = make_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}",
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        }
    )
    with old.app_context():
        upgrade(revision="0012")
        db.session.execute(
            text(
                "INSERT INTO user_account (username, full_name, full_name_key, role, password_hash, active, "
                "created_at) VALUES ('cu', 'Tài khoản cũ', 'tai khoan cu', 'superuser', 'x', 1, '2025-01-01')"
            )
        )
        db.session.commit()
        config = old.extensions["migrate"].migrate.get_config()
        with pytest.raises(RuntimeError, match=r"user_account: 1 row\(s\) break ck_user_account_role_known"):
            command.upgrade(config, "head")  # alembic's own command: flask-migrate's turns errors into exit 1
        db.session.rollback()
        version = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        triggers = db.session.execute(
            text("SELECT count(*) FROM sqlite_master WHERE name LIKE 'ck_%'")
        ).scalar()
        assert (version, triggers) == ("0012", 0)
