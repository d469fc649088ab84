"""Answer the dashboard's passes over a year from indexes alone (issue 7, docs/performance.md).

- ``case_record.has_violation``: the case has at least one confirmed finding. The report, the dashboard
  and the case list asked it of each case with an ``EXISTS`` on ``finding``: the repeat offenders probed
  the findings of 40,000 cases at 100,000 cases. The database keeps the column itself, by triggers on
  ``finding`` (insert, delete, and an update of its status or case), so that no path that writes findings
  (the review, the import's bulk writer, the demo data, a restore) can leave it stale; the app never
  writes it. It is filled once here. A confirmed finding added sets it without looking further (the bulk
  writers add tens of thousands); a finding changed, moved or deleted makes the trigger look at the case's
  findings, after locking the case's row on PostgreSQL, so that two transactions reviewing findings of one
  case cannot leave the other's answer.
- ``ix_case_record_report`` gains ``has_violation`` and, on PostgreSQL, ``INCLUDE (id)``: the year's cases
  joined to their findings by the case's id, which the index did not hold: PostgreSQL read each of the
  year's 31,000 cases from the table. (A SQLite index always holds the row's id.)
- ``ix_case_record_open_takedown`` (partial: the e-commerce takedowns still waiting) also holds what the
  dashboard shows of them, the longest waiting first: their dates, number, platform and seller. The
  dashboard read each of 3,500 waiting cases from the table (18 ms at 100,000 cases on SQLite, 5 ms now;
  PostgreSQL 8–13 ms, 3.6 ms now).
- ``ix_case_record_establishment (establishment_id, has_violation, opened_on, commune_code, id)`` replaces
  the one-column ``ix_case_record_establishment_id``: an establishment's cases with a violation, with their
  dates and communes, from the index alone (the dashboard's repeat offenders); the foreign key's look-ups
  use the same index (its first column).

Then ``ANALYZE`` of the new indexes on SQLite, as 0006 and 0009 did.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

REPORT_COLUMNS = [
    "opened_on",
    "status",
    "kind",
    "commune_code",
    "mode",
    "action",
    "taken_down_on",
    "former_district_code",
    "establishment_id",
]

OPEN_TAKEDOWN = "action = 'takedown_request' AND taken_down_on IS NULL"  # as in migration 0009
# the condition's columns last: SQLite counts the index as covering only when it holds them too
TAKEDOWN_COLUMNS = [
    "kind",
    "status",
    "action_on",
    "opened_on",
    "number",
    "platform",
    "seller_name",
    "action",
    "taken_down_on",
]

HAS_VIOLATION = (
    "EXISTS (SELECT 1 FROM finding WHERE finding.case_id = {case} AND finding.status = 'confirmed')"
)

SQLITE_TRIGGERS = [
    # a finding added: only a confirmed one can change the answer, and only to true
    """CREATE TRIGGER finding_has_violation_insert AFTER INSERT ON finding
    WHEN NEW.status = 'confirmed'
    BEGIN
        UPDATE case_record SET has_violation = 1 WHERE id = NEW.case_id AND has_violation = 0;
    END""",
    f"""CREATE TRIGGER finding_has_violation_update AFTER UPDATE OF status, case_id ON finding
    WHEN OLD.status IS NOT NEW.status OR OLD.case_id IS NOT NEW.case_id
    BEGIN
        UPDATE case_record SET has_violation = {HAS_VIOLATION.format(case="case_record.id")}
        WHERE id IN (OLD.case_id, NEW.case_id);
    END""",
    f"""CREATE TRIGGER finding_has_violation_delete AFTER DELETE ON finding
    WHEN OLD.status = 'confirmed'
    BEGIN
        UPDATE case_record SET has_violation = {HAS_VIOLATION.format(case="case_record.id")}
        WHERE id = OLD.case_id;
    END""",
]

POSTGRESQL_FUNCTION = f"""
CREATE FUNCTION finding_has_violation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched integer;
    answer boolean;
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- a finding added can only make the answer true, and only a confirmed one: no look at the case's
        -- other findings (the bulk writers add tens of thousands of findings in a few statements)
        IF NEW.status = 'confirmed' THEN
            UPDATE case_record SET has_violation = true WHERE id = NEW.case_id AND NOT has_violation;
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' AND OLD.status IS DISTINCT FROM 'confirmed' THEN
        RETURN NULL;  -- an unconfirmed finding removed changes nothing
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.case_id = NEW.case_id THEN
        RETURN NULL;
    END IF;
    FOR touched IN
        SELECT DISTINCT c FROM unnest(ARRAY[
            CASE WHEN TG_OP <> 'INSERT' THEN OLD.case_id END,
            CASE WHEN TG_OP <> 'DELETE' THEN NEW.case_id END
        ]) AS c WHERE c IS NOT NULL
    LOOP
        -- the case's row locked first: a concurrent review of another finding of the case waits, and the
        -- look at the findings below then sees what it committed
        PERFORM 1 FROM case_record WHERE id = touched FOR UPDATE;
        answer := {HAS_VIOLATION.format(case="touched")};
        UPDATE case_record SET has_violation = answer
        WHERE id = touched AND has_violation IS DISTINCT FROM answer;
    END LOOP;
    RETURN NULL;
END
$$"""

POSTGRESQL_TRIGGER = """
CREATE TRIGGER finding_has_violation AFTER INSERT OR DELETE OR UPDATE OF status, case_id ON finding
FOR EACH ROW EXECUTE FUNCTION finding_has_violation()"""


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    # a plain ADD COLUMN (a constant default): batch mode would rebuild the table under the audit triggers
    op.add_column(
        "case_record", sa.Column("has_violation", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.execute(
        sa.text(f"UPDATE case_record SET has_violation = {HAS_VIOLATION.format(case='case_record.id')}")
    )
    if sqlite:
        for trigger in SQLITE_TRIGGERS:
            op.execute(sa.text(trigger))
    else:
        op.execute(sa.text(POSTGRESQL_FUNCTION))
        op.execute(sa.text(POSTGRESQL_TRIGGER))

    op.drop_index("ix_case_record_report", table_name="case_record")
    op.create_index(
        "ix_case_record_report", "case_record", [*REPORT_COLUMNS, "has_violation"], postgresql_include=["id"]
    )
    op.create_index(
        "ix_case_record_establishment",
        "case_record",
        ["establishment_id", "has_violation", "opened_on", "commune_code", "id"],
        unique=False,
    )
    op.drop_index("ix_case_record_establishment_id", table_name="case_record")
    _open_takedown_index(TAKEDOWN_COLUMNS, include_id=True)
    if sqlite:
        for index in (
            "ix_case_record_report",
            "ix_case_record_establishment",
            "ix_case_record_open_takedown",
        ):
            op.execute(sa.text(f"ANALYZE {index}"))


def _open_takedown_index(columns: list[str], *, include_id: bool) -> None:
    op.drop_index("ix_case_record_open_takedown", table_name="case_record")
    op.create_index(
        "ix_case_record_open_takedown",
        "case_record",
        columns,
        unique=False,
        sqlite_where=sa.text(OPEN_TAKEDOWN),
        postgresql_where=sa.text(OPEN_TAKEDOWN),
        postgresql_include=["id"] if include_id else [],
    )


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    _open_takedown_index(["kind", "status"], include_id=False)
    op.create_index("ix_case_record_establishment_id", "case_record", ["establishment_id"], unique=False)
    op.drop_index("ix_case_record_establishment", table_name="case_record")
    op.drop_index("ix_case_record_report", table_name="case_record")
    op.create_index("ix_case_record_report", "case_record", REPORT_COLUMNS)
    if sqlite:
        for name in ("insert", "update", "delete"):
            op.execute(sa.text(f"DROP TRIGGER finding_has_violation_{name}"))
    else:
        op.execute(sa.text("DROP TRIGGER finding_has_violation ON finding"))
        op.execute(sa.text("DROP FUNCTION finding_has_violation()"))
    op.execute(sa.text("ALTER TABLE case_record DROP COLUMN has_violation"))  # SQLite 3.35 or later
