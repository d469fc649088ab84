"""The rules the database holds beside its keys (issue 16, item 4): every enum-valued column holds one of
its enum's values, and amounts, quantities, sizes and counts are never negative (a fine band's minimum is
not above its maximum). The rules as they stand at this revision are written out below; the models hold
the same table (``cases/models/checks.py``), and ``tests/test_db_checks.py`` holds the database to it.

The existing rows are checked first: if any breaks a rule, nothing changes and the upgrade stops with the
table, the rule and the number of rows, to be corrected before upgrading again.

- PostgreSQL: a CHECK constraint per rule, ``ck_<table>_<rule>``.
- SQLite cannot add a CHECK constraint to an existing table without rebuilding it (which would drop the
  audit trail's and the findings' triggers and, with foreign keys on, cascade into the child tables): two
  triggers per rule instead, ``<constraint>_insert`` (BEFORE INSERT) and ``<constraint>_update`` (BEFORE
  UPDATE OF the rule's columns), which abort with "CHECK constraint failed: <constraint>" where a CHECK
  would. As with a CHECK, a NULL passes.

Revision ID: 0013
Revises: 0012
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# (table, constraint, columns the rule reads, condition)
RULES = [
    (
        "activity",
        "ck_activity_activity_type_known",
        ("activity_type",),
        "activity_type IN ('media', 'conference', 'training', 'enterprise_support', 'service_field', 'guidance', 'policy_review', 'project', 'equipment', 'organisation', 'tbt_answer', 'exchange', 'other')",
    ),
    (
        "annual_report",
        "ck_annual_report_status_known",
        ("status",),
        "status IN ('draft', 'final', 'superseded')",
    ),
    (
        "case_field",
        "ck_case_field_field_known",
        ("field",),
        "field IN ('instruments', 'prepackaged', 'quality', 'label', 'barcode', 'fuel', 'gold', 'standards', 'ecommerce')",
    ),
    ("case_record", "ck_case_record_kind_known", ("kind",), "kind IN ('inspection', 'ecommerce', 'survey')"),
    (
        "case_record",
        "ck_case_record_status_known",
        ("status",),
        "status IN ('draft', 'submitted', 'returned', 'approved', 'closed', 'cancelled')",
    ),
    ("case_record", "ck_case_record_mode_known", ("mode",), "mode IN ('planned', 'unscheduled')"),
    (
        "case_record",
        "ck_case_record_platform_known",
        ("platform",),
        "platform IN ('shopee', 'lazada', 'tiktok', 'facebook', 'zalo', 'website', 'other')",
    ),
    (
        "case_record",
        "ck_case_record_suspected_issue_known",
        ("suspected_issue",),
        "suspected_issue IN ('counterfeit', 'imitation', 'substandard', 'unlabelled', 'unknown_origin')",
    ),
    (
        "case_record",
        "ck_case_record_action_known",
        ("action",),
        "action IN ('none', 'takedown_request', 'warning', 'referral_qltt', 'referral_police')",
    ),
    ("commune", "ck_commune_unit_type_known", ("unit_type",), "unit_type IN ('phuong', 'xa', 'dac_khu')"),
    (
        "former_district",
        "ck_former_district_unit_type_known",
        ("unit_type",),
        "unit_type IN ('thanh_pho', 'thi_xa', 'huyen')",
    ),
    (
        "former_ward",
        "ck_former_ward_unit_type_known",
        ("unit_type",),
        "unit_type IN ('phuong', 'thi_tran', 'xa')",
    ),
    (
        "establishment",
        "ck_establishment_business_type_known",
        ("business_type",),
        "business_type IN ('enterprise', 'branch', 'cooperative', 'household', 'individual', 'other')",
    ),
    (
        "finding",
        "ck_finding_offender_type_known",
        ("offender_type",),
        "offender_type IN ('individual', 'organisation')",
    ),
    ("finding", "ck_finding_status_known", ("status",), "status IN ('proposed', 'confirmed', 'dismissed')"),
    (
        "finding",
        "ck_finding_sanction_form_known",
        ("sanction_form",),
        "sanction_form IN ('warning', 'fine', 'revocation', 'confiscation')",
    ),
    ("goods_item", "ck_goods_item_result_known", ("result",), "result IN ('pass', 'fail', 'pending')"),
    (
        "instrument_check",
        "ck_instrument_check_instrument_type_known",
        ("instrument_type",),
        "instrument_type IN ('fuel_pump', 'lpg_dispenser', 'fuel_meter', 'tank_gauge', 'tanker', 'spring_scale', 'platform_scale', 'precision_balance', 'truck_scale', 'weight', 'water_meter', 'electricity_meter', 'gas_meter', 'taximeter', 'moisture_meter', 'other')",
    ),
    (
        "instrument_check",
        "ck_instrument_check_seal_condition_known",
        ("seal_condition",),
        "seal_condition IN ('intact', 'broken', 'missing')",
    ),
    (
        "instrument_check",
        "ck_instrument_check_result_known",
        ("result",),
        "result IN ('pass', 'fail', 'pending')",
    ),
    (
        "prepackaged_lot",
        "ck_prepackaged_lot_result_known",
        ("result",),
        "result IN ('pass', 'fail', 'pending')",
    ),
    ("sample", "ck_sample_result_known", ("result",), "result IN ('pass', 'fail', 'pending')"),
    (
        "plan_task",
        "ck_plan_task_target_measure_known",
        ("target_measure",),
        "target_measure IN ('per_year', 'cumulative', 'none')",
    ),
    (
        "plan_task",
        "ck_plan_task_actual_source_known",
        ("actual_source",),
        "actual_source IN ('cases', 'activities')",
    ),
    (
        "survey_campaign",
        "ck_survey_campaign_field_known",
        ("field",),
        "field IN ('instruments', 'prepackaged', 'quality', 'label', 'barcode', 'fuel', 'gold', 'standards', 'ecommerce')",
    ),
    (
        "user_account",
        "ck_user_account_role_known",
        ("role",),
        "role IN ('inspector', 'liaison', 'manager', 'admin')",
    ),
    (
        "violation",
        "ck_violation_field_known",
        ("field",),
        "field IN ('instruments', 'prepackaged', 'quality', 'label', 'barcode', 'fuel', 'gold', 'standards', 'ecommerce')",
    ),
    (
        "violation",
        "ck_violation_confidence_known",
        ("confidence",),
        "confidence IN ('legal-text', 'secondary', 'uncertain')",
    ),
    ("activity", "ck_activity_quantity_not_negative", ("quantity",), "quantity >= 0"),
    ("activity", "ck_activity_participants_not_negative", ("participants",), "participants >= 0"),
    ("activity_file", "ck_activity_file_size_bytes_not_negative", ("size_bytes",), "size_bytes >= 0"),
    ("evidence_file", "ck_evidence_file_size_bytes_not_negative", ("size_bytes",), "size_bytes >= 0"),
    ("case_record", "ck_case_record_price_vnd_not_negative", ("price_vnd",), "price_vnd >= 0"),
    (
        "case_number_counter",
        "ck_case_number_counter_last_value_not_negative",
        ("last_value",),
        "last_value >= 0",
    ),
    ("finding", "ck_finding_goods_quantity_not_negative", ("goods_quantity",), "goods_quantity >= 0"),
    ("finding", "ck_finding_goods_value_vnd_not_negative", ("goods_value_vnd",), "goods_value_vnd >= 0"),
    (
        "finding",
        "ck_finding_proposed_fine_vnd_not_negative",
        ("proposed_fine_vnd",),
        "proposed_fine_vnd >= 0",
    ),
    ("finding", "ck_finding_decided_fine_vnd_not_negative", ("decided_fine_vnd",), "decided_fine_vnd >= 0"),
    (
        "finding",
        "ck_finding_seized_goods_value_vnd_not_negative",
        ("seized_goods_value_vnd",),
        "seized_goods_value_vnd >= 0",
    ),
    ("goods_item", "ck_goods_item_quantity_not_negative", ("quantity",), "quantity >= 0"),
    ("goods_item", "ck_goods_item_value_vnd_not_negative", ("value_vnd",), "value_vnd >= 0"),
    (
        "instrument_check",
        "ck_instrument_check_error_limit_not_negative",
        ("error_limit",),
        "error_limit >= 0",
    ),
    (
        "prepackaged_lot",
        "ck_prepackaged_lot_nominal_quantity_not_negative",
        ("nominal_quantity",),
        "nominal_quantity >= 0",
    ),
    ("prepackaged_lot", "ck_prepackaged_lot_sample_size_not_negative", ("sample_size",), "sample_size >= 0"),
    (
        "prepackaged_lot",
        "ck_prepackaged_lot_mean_measured_not_negative",
        ("mean_measured",),
        "mean_measured >= 0",
    ),
    (
        "prepackaged_lot",
        "ck_prepackaged_lot_count_short_over_t_not_negative",
        ("count_short_over_t",),
        "count_short_over_t >= 0",
    ),
    (
        "prepackaged_lot",
        "ck_prepackaged_lot_count_short_over_2t_not_negative",
        ("count_short_over_2t",),
        "count_short_over_2t >= 0",
    ),
    ("plan_task", "ck_plan_task_target_value_not_negative", ("target_value",), "target_value >= 0"),
    (
        "violation",
        "ck_violation_fine_individual_min_not_negative",
        ("fine_individual_min",),
        "fine_individual_min >= 0",
    ),
    (
        "violation",
        "ck_violation_fine_individual_max_not_negative",
        ("fine_individual_max",),
        "fine_individual_max >= 0",
    ),
    (
        "violation",
        "ck_violation_fine_band_in_order",
        ("fine_individual_min", "fine_individual_max"),
        "fine_individual_min <= fine_individual_max",  # a NULL passes
    ),
    ("commune", "ck_commune_area_km2_not_negative", ("area_km2",), "area_km2 >= 0"),
]


def _on_new_row(condition: str, columns: tuple[str, ...]) -> str:
    """The condition on a trigger's NEW row: each column name outside the quoted values gets ``NEW.``."""
    parts = condition.split("'")
    for i in range(0, len(parts), 2):  # the even parts are outside quotes
        for column in columns:
            parts[i] = re.sub(rf"(?<![\w.]){column}\b", f"NEW.{column}", parts[i])
    return "'".join(parts)


def _check_existing_rows(bind) -> None:  # type: ignore[no-untyped-def]
    broken = []
    for table, name, _columns, condition in RULES:
        count = bind.execute(sa.text(f"SELECT count(*) FROM {table} WHERE NOT ({condition})")).scalar_one()
        if count:
            broken.append(f"  {table}: {count} row(s) break {name} ({condition})")
    if broken:
        raise RuntimeError(
            "Migration 0013 adds the database's rules, but existing rows break them; nothing was changed. "
            "Correct these rows, then upgrade again:\n" + "\n".join(broken)
        )


def upgrade():
    bind = op.get_bind()
    _check_existing_rows(bind)
    if bind.dialect.name == "sqlite":
        for table, name, columns, condition in RULES:
            refuse = f"SELECT RAISE(ABORT, 'CHECK constraint failed: {name}')"
            when = f"NOT ({_on_new_row(condition, columns)})"
            op.execute(
                sa.text(
                    f"CREATE TRIGGER {name}_insert BEFORE INSERT ON {table} WHEN {when} BEGIN {refuse}; END"
                )
            )
            op.execute(
                sa.text(
                    f"CREATE TRIGGER {name}_update BEFORE UPDATE OF {', '.join(columns)} ON {table} "
                    f"WHEN {when} BEGIN {refuse}; END"
                )
            )
    else:
        for table, name, _columns, condition in RULES:
            op.execute(sa.text(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({condition})"))


def downgrade():
    bind = op.get_bind()
    for table, name, _columns, _condition in reversed(RULES):
        if bind.dialect.name == "sqlite":
            op.execute(sa.text(f"DROP TRIGGER {name}_update"))
            op.execute(sa.text(f"DROP TRIGGER {name}_insert"))
        else:
            op.execute(sa.text(f"ALTER TABLE {table} DROP CONSTRAINT {name}"))
