"""The queries meant to use a partial index do use it, on SQLite and on PostgreSQL.

A partial index is used only when the query repeats the index's condition (SQLite: term for term, with
the same literal constants). A query rewritten with bound parameters, or a condition changed on one side
only, would silently read every finding or case again; the navigation's overdue count runs on every page
a manager opens. The plans are asked of the database itself (``EXPLAIN``); on PostgreSQL sequential scans
are switched off for the question, since the test data are too few for the planner to prefer an index.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from cases.db import db
from cases.models import Case, Finding
from cases.recording.queries import overdue_condition, takedown_open_condition

TODAY = dt.date(2026, 11, 28)


def _plan_with_only(stmt, table, index: str) -> str:
    """The plan of ``stmt`` when the planner may use no other index of ``table`` than ``index``.

    SQLite: ``INDEXED BY`` (an error, "no query solution", when the index cannot serve the query).
    PostgreSQL: the table's other (non-unique) indexes dropped inside a savepoint that is rolled back,
    sequential scans switched off; an index whose condition the query does not imply leaves a sequential
    scan. Either way the parameters are bound as the app binds them, not written into the statement.
    """
    dialect = db.engine.dialect
    if dialect.name == "sqlite":
        # as the app runs it: the parameters bound, not written into the statement
        compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        params = tuple(compiled.params[name] for name in compiled.positiontup or ())
        # SQLAlchemy's SQLite dialect renders no table hints: INDEXED BY goes after the table's name
        sql, found = re.subn(
            rf"\bFROM {table.name}\b", f"FROM {table.name} INDEXED BY {index}", str(compiled), count=1
        )
        assert found, sql
        connection = db.session.connection()
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all()
        return "\n".join(str(row[-1]) for row in rows)
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    savepoint = db.session.begin_nested()
    try:
        others = db.session.scalars(
            db.text(
                "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "JOIN pg_class t ON t.oid = x.indrelid "
                "WHERE t.relname = :table AND NOT x.indisunique AND i.relname <> :index"
            ),
            {"table": table.name, "index": index},
        ).all()
        for other in others:
            db.session.execute(db.text(f'DROP INDEX "{other}"'))
        db.session.execute(db.text("SET LOCAL enable_seqscan = off"))
        rows = db.session.connection().exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).all()
    finally:
        savepoint.rollback()
    return "\n".join(row[0] for row in rows)


@pytest.mark.parametrize(
    ("name", "stmt"),
    [
        (
            "overdue sanctions",
            lambda: select(func.count()).select_from(Finding).where(overdue_condition(TODAY)),
        ),
        (
            "overdue sanctions of some communes",
            lambda: (
                select(func.count())
                .select_from(Finding)
                .join(Case, Case.id == Finding.case_id)
                .where(overdue_condition(TODAY), Case.commune_code.in_(["30280", "30346"]))
            ),
        ),
    ],
)
def test_overdue_sanctions_read_the_open_sanction_index(app_ctx, name, stmt):
    plan = _plan_with_only(stmt(), Finding.__table__, "ix_finding_open_sanction")
    assert "ix_finding_open_sanction" in plan, f"{name}: {plan}"


def test_open_takedowns_read_the_open_takedown_index(app_ctx):
    stmt = select(func.count()).select_from(Case).where(takedown_open_condition())
    plan = _plan_with_only(stmt, Case.__table__, "ix_case_record_open_takedown")
    assert "ix_case_record_open_takedown" in plan, plan


def test_the_dashboards_open_takedowns_are_read_from_the_index_alone(app_ctx):
    """The dashboard's longest-waiting takedowns (and their count): every column it reads is in the partial
    index, so neither database reads the cases themselves (3,500 of them at 100,000 cases)."""
    from cases.reporting.dashboard import open_takedowns_query

    plan = _plan_with_only(open_takedowns_query(), Case.__table__, "ix_case_record_open_takedown")
    if db.engine.dialect.name == "sqlite":
        assert "USING COVERING INDEX ix_case_record_open_takedown" in plan, plan
    else:
        # an index-only scan once the table is vacuumed (the benchmark's data: docs/performance.md); the
        # test's freshly written rows may make the planner prefer a bitmap scan of the same index
        used = r"(Index Only Scan using|Index Scan using|Bitmap Index Scan on) ix_case_record_open_takedown"
        assert re.search(used, plan), plan


def test_a_years_counted_cases_are_read_from_the_years_range(app_ctx):
    """The report's and the dashboard's passes over a year (``report_figures.counted``).

    SQLite: the year's range on ``ix_case_record_report``, never the one-column status index, which
    SQLite would otherwise pick and then visit every case with that status, of every year. PostgreSQL:
    the planner is given the bare status column, whose statistics tell it how many cases a year counts
    (an expression made it expect 1 % of them and join their findings one index lookup at a time).
    """
    from cases.reporting import figures as rf

    stmt = select(func.count()).select_from(Case).where(rf.counted(rf.Scope.of(2026)))
    dialect = db.engine.dialect
    sql = str(stmt.compile(dialect=dialect))
    if dialect.name == "sqlite":
        compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        params = tuple(compiled.params[name] for name in compiled.positiontup or ())
        rows = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params).all()
        plan = "\n".join(str(row[-1]) for row in rows)
        assert "ix_case_record_report (opened_on>? AND opened_on<?)" in plan, plan
    else:
        assert "case_record.status IN" in sql and "||" not in sql, sql
