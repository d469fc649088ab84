"""Everything a template can call, registered in one place: the house formats, the words for codes
(``inspect_app.labels``), the permissions, and the navigation's badge.

A helper here formats or names what the view gave the template; none runs a query, except the navigation's
badge (one COUNT, computed once per request when the layout first asks for it).
"""

from __future__ import annotations

from flask import Flask

from cases.accounts import permissions
from cases.enums import Role
from cases.inspection import items as inspection_items
from cases.inspection.prepackaged import lot_verdict
from cases.rendering import formatting
from cases.review import findings
from forms.activities import activity_type_label, target_measure_label
from forms.establishments import business_type_label
from inspect_app.labels import accounts, audit, codes, fields, items
from inspect_app.labels import planning as planning_labels


def format_decimal_shown(value: float | int | None) -> str:
    """A decimal number as the page's language writes it, without trailing zeros: ``0.43`` →
    ``"0,43"`` in Vietnamese, ``"0.43"`` in English (``forms.numbers``: what the forms read back)."""
    from forms.numbers import format_number_input

    return "" if value is None else format_number_input(value)


def get_locale_code() -> str:
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale else "vi"


def register_template_helpers(app: Flask) -> None:
    filters = {
        "date": formatting.format_date,
        "datetime": formatting.format_datetime,
        "vnd": formatting.format_vnd,
        "number": formatting.format_number,
        "decimal": format_decimal_shown,
        "report_field_label": fields.report_field_label,
        "submission_field_label": fields.submission_field_label,
    }
    for name, function in filters.items():
        app.add_template_filter(function, name)
    helpers = {
        "perm": permissions,
        "Role": Role,
        "current_locale": get_locale_code,
        # the words for codes
        "role_label": codes.role_label,
        "kind_label": codes.kind_label,
        "status_label": codes.status_label,
        "status_badge": codes.status_badge,
        "field_label": codes.field_label,
        "choice_label": codes.choice_label,
        "sanction_form_label": codes.sanction_form_label,
        "report_status_label": codes.report_status_label,
        "document_type_label": codes.document_type_label,
        "confidence_label": codes.confidence_label,
        "document_status_label": codes.document_status_label,
        "document_signature_label": codes.document_signature_label,
        "establishment_type_label": business_type_label,
        "risk_component_label": planning_labels.component_label,
        "risk_reason_text": planning_labels.reason_text,
        "risk_band_label": codes.risk_band_label,
        "tip_source_label": codes.tip_source_label,
        "tip_status_label": codes.tip_status_label,
        "target_measure_name": target_measure_label,
        "activity_type_name": activity_type_label,
        "activity_types_named": codes.activity_types_named,
        "instrument_type_label": items.instrument_type_label,
        "seal_label": items.seal_label,
        "item_result_label": items.item_result_label,
        "offender_label": items.offender_label,
        "item_reason_label": items.item_reason_label,
        "fine_warning_label": items.fine_warning_label,
        "fine_band_note": items.fine_band_note,
        "fine_range_text": items.fine_range_text,
        "plain_number": items.plain_number,
        "account_field_label": accounts.account_field_label,
        "account_value": accounts.account_value,
        "security_kind_label": accounts.security_kind_label,
        "security_detail_label": accounts.security_detail_label,
        "audit_field_label": audit.field_label,
        "audit_entity_label": audit.entity_label,
        "audit_action_label": audit.action_label,
        "audit_value": audit.format_value,
    }
    # what the item partials ask the domain of the items they show (pure: on the rows the view loaded)
    for helper in (
        inspection_items.item_sections,
        inspection_items.allowed_item_kinds,
        inspection_items.certificate_expired,
        inspection_items.instrument_reasons,
        inspection_items.inspection_date,
        inspection_items.sample_counts,
        lot_verdict,
        findings.fine_range,
        findings.finding_fine_warning,
    ):
        helpers[helper.__name__] = helper
    for name, helper in helpers.items():
        app.add_template_global(helper, name)
    from inspect_app.views.review import nav_counts

    app.context_processor(nav_counts)
