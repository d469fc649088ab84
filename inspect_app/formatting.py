"""Template filters and globals."""

from __future__ import annotations

from flask import Flask

from cases import formatting, permissions
from cases.enums import Role


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(formatting.format_date, "date")
    app.add_template_filter(formatting.format_datetime, "datetime")
    app.add_template_filter(formatting.format_vnd, "vnd")
    app.add_template_filter(formatting.format_number, "number")
    from inspect_app.messages import report_field_label

    app.add_template_filter(report_field_label, "report_field_label")
    app.add_template_global(permissions, "perm")
    app.add_template_global(Role, "Role")
    app.add_template_global(role_label, "role_label")
    app.add_template_global(get_locale_code, "current_locale")
    app.add_template_global(lambda name: name in app.view_functions, "has_endpoint")
    for helper in (kind_label, status_label, status_badge, field_label, choice_label):
        app.add_template_global(helper, helper.__name__)


def role_label(role: str) -> str:
    from forms.users import role_choices

    return dict(role_choices()).get(role, role)


def get_locale_code() -> str:
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale else "vi"


def kind_label(kind: str) -> str:
    from flask_babel import gettext as _

    return {
        "inspection": _("Inspection"),
        "ecommerce": _("E-commerce check"),
        "survey": _("Survey"),
    }.get(kind, kind)


def status_label(status: str) -> str:
    from flask_babel import gettext as _

    return {
        "draft": _("Draft"),
        "submitted": _("Submitted"),
        "returned": _("Returned"),
        "approved": _("Approved"),
        "closed": _("Closed"),
        "cancelled": _("Cancelled"),
        # a finding's review state (cases.enums.FindingStatus), shown in the timeline
        "proposed": _("Proposed"),
        "confirmed": _("Confirmed"),
        "dismissed": _("Dismissed"),
    }.get(status, status)


def status_badge(status: str) -> str:
    return {
        "draft": "text-bg-secondary",
        "submitted": "text-bg-primary",
        "returned": "text-bg-warning",
        "approved": "text-bg-success",
        "closed": "text-bg-dark",
        "cancelled": "text-bg-light border",
    }.get(status, "text-bg-secondary")


def field_label(field: str) -> str:
    from forms.cases import field_choices

    return dict(field_choices()).get(field, field)


def choice_label(kind: str, value: str | None) -> str:
    """Words for a stored choice (platform, suspected issue, action, mode, business type)."""
    if not value:
        return ""
    from forms import cases as case_forms

    tables = {
        "platform": case_forms.platform_choices,
        "issue": case_forms.issue_choices,
        "action": case_forms.action_choices,
        "mode": case_forms.mode_choices,
    }
    factory = tables.get(kind)
    return dict(factory()).get(value, value) if factory else value
