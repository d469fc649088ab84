"""The rules the database holds beside its keys: every enum-valued column holds one of its enum's values,
and amounts, quantities, sizes and counts are never negative (a fine band's minimum is not above its
maximum). One table of rules for every model (:data:`RULES`), attached to the tables by :func:`attach`.

PostgreSQL holds each rule as a CHECK constraint named ``ck_<table>_<rule>``. SQLite cannot add a CHECK
constraint to an existing table without rebuilding it (which would drop the audit trail's and the
findings' triggers and, with foreign keys on, cascade); migrations 0013 and 0014 give it a pair of triggers
of the same name per rule instead (``BEFORE INSERT`` and ``BEFORE UPDATE OF`` the column), which refuse a
row the rule refuses, as a CHECK would: a NULL passes. ``tests/test_db_checks.py`` holds both databases to
this table, so a new enum value needs a migration.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import CheckConstraint, MetaData

from cases import enums


@dataclass(frozen=True)
class Rule:
    table: str
    name: str  # the constraint's own part of its name: ck_<table>_<name>
    columns: tuple[str, ...]  # the columns whose change the SQLite trigger watches
    sql: str  # the condition a row must meet (NULL passes)

    @property
    def constraint_name(self) -> str:
        return f"ck_{self.table}_{self.name}"


def one_of(table: str, column: str, values: type[enum.StrEnum]) -> Rule:
    listed = ", ".join(f"'{v.value}'" for v in values)
    return Rule(table, f"{column}_known", (column,), f"{column} IN ({listed})")


def not_negative(table: str, *columns: str) -> list[Rule]:
    return [Rule(table, f"{c}_not_negative", (c,), f"{c} >= 0") for c in columns]


RULES: list[Rule] = [
    one_of("activity", "activity_type", enums.ActivityType),
    one_of("annual_report", "status", enums.ReportStatus),
    one_of("case_field", "field", enums.InspectionField),
    one_of("case_team_member", "team_role", enums.TeamRole),
    one_of("case_record", "kind", enums.CaseKind),
    one_of("case_record", "status", enums.CaseStatus),
    one_of("case_record", "mode", enums.InspectionMode),
    one_of("case_record", "platform", enums.Platform),
    one_of("case_record", "suspected_issue", enums.SuspectedIssue),
    one_of("case_record", "action", enums.EcommerceAction),
    one_of("commune", "unit_type", enums.CommuneType),
    one_of("document_template", "doc_type", enums.DocumentType),
    one_of("document_template", "confidence", enums.Confidence),
    one_of("official_document", "doc_type", enums.DocumentType),
    one_of("official_document", "status", enums.DocumentStatus),
    one_of("official_document", "signature", enums.DocumentSignature),
    one_of("field_fine_maximum", "field", enums.InspectionField),
    one_of("field_fine_maximum", "confidence", enums.Confidence),
    one_of("former_district", "unit_type", enums.FormerDistrictType),
    one_of("former_ward", "unit_type", enums.FormerWardType),
    one_of("establishment", "business_type", enums.BusinessType),
    one_of("finding", "offender_type", enums.OffenderType),
    one_of("finding", "status", enums.FindingStatus),
    one_of("finding", "sanction_form", enums.SanctionForm),
    one_of("goods_item", "result", enums.ItemResult),
    one_of("instrument_check", "instrument_type", enums.InstrumentType),
    one_of("instrument_check", "seal_condition", enums.SealCondition),
    one_of("instrument_check", "result", enums.ItemResult),
    one_of("prepackaged_lot", "result", enums.ItemResult),
    one_of("sample", "result", enums.ItemResult),
    one_of("plan_task", "target_measure", enums.TargetMeasure),
    one_of("plan_task", "actual_source", enums.ActualSource),
    one_of("sanction_authority", "confidence", enums.Confidence),
    one_of("security_event", "kind", enums.SecurityEventKind),
    one_of("survey_campaign", "field", enums.InspectionField),
    one_of("tip", "source", enums.TipSource),
    one_of("tip", "status", enums.TipStatus),
    one_of("user_account", "role", enums.Role),
    one_of("user_session", "revoked_reason", enums.SessionEndReason),
    one_of("violation", "field", enums.InspectionField),
    one_of("violation", "confidence", enums.Confidence),
    *not_negative("activity", "quantity", "participants"),
    *not_negative("activity_file", "size_bytes"),
    *not_negative("evidence_file", "size_bytes"),
    *not_negative("document_file", "size_bytes"),
    *not_negative("sample", "quantity"),
    *not_negative("case_record", "price_vnd"),
    *not_negative("case_number_counter", "last_value"),
    *not_negative("document_number_counter", "last_value"),
    *not_negative("official_document", "sequence", "fine_vnd"),
    *not_negative(
        "finding",
        "goods_quantity",
        "goods_value_vnd",
        "proposed_fine_vnd",
        "decided_fine_vnd",
        "seized_goods_value_vnd",
    ),
    *not_negative("goods_item", "quantity", "value_vnd"),
    *not_negative("instrument_check", "error_limit"),
    *not_negative(
        "prepackaged_lot",
        "nominal_quantity",
        "sample_size",
        "mean_measured",
        "count_short_over_t",
        "count_short_over_2t",
    ),
    *not_negative("plan_task", "target_value"),
    *not_negative("sanction_authority", "percent_of_maximum"),
    *not_negative("field_fine_maximum", "individual_max_vnd", "organisation_max_vnd"),
    *not_negative("file_transfer", "fine_vnd"),
    *not_negative("violation", "fine_individual_min", "fine_individual_max"),
    Rule(
        "violation",
        "fine_band_in_order",
        ("fine_individual_min", "fine_individual_max"),
        "fine_individual_min <= fine_individual_max",  # a NULL passes
    ),
    *not_negative("commune", "area_km2"),
]


def attach(metadata: MetaData) -> None:
    """Put every rule on its table as a CHECK constraint (what PostgreSQL holds; ``create_all`` too)."""
    for rule in RULES:
        metadata.tables[rule.table].append_constraint(CheckConstraint(rule.sql, name=rule.name))
