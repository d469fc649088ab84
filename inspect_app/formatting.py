"""Template filters and globals."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Flask

from cases.accounts import permissions
from cases.enums import Role
from cases.rendering import formatting


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(formatting.format_date, "date")
    app.add_template_filter(formatting.format_datetime, "datetime")
    app.add_template_filter(formatting.format_vnd, "vnd")
    app.add_template_filter(formatting.format_number, "number")
    app.add_template_filter(format_decimal_shown, "decimal")
    from inspect_app.messages import report_field_label

    app.add_template_filter(report_field_label, "report_field_label")
    from inspect_app import audit_labels

    audit_labels.register_template_helpers(app)
    app.add_template_global(permissions, "perm")
    app.add_template_global(Role, "Role")
    app.add_template_global(role_label, "role_label")
    app.add_template_global(get_locale_code, "current_locale")
    for helper in (kind_label, status_label, status_badge, field_label, choice_label):
        app.add_template_global(helper, helper.__name__)


def format_decimal_shown(value: float | int | None) -> str:
    """A decimal number as the page's language writes it, without trailing zeros: ``0.43`` →
    ``"0,43"`` in Vietnamese, ``"0.43"`` in English (``forms.numbers``: what the forms read back)."""
    from forms.numbers import format_number_input

    return "" if value is None else format_number_input(value)


def per_locale(factory: Callable[[], dict[str, str]]) -> Callable[[], dict[str, str]]:
    """``factory()`` (a dictionary of translated labels) built once per locale, not once per call.

    A page shows a label per row (status, kind, field...); translating every label of the dictionary for
    each row made up most of a list page's rendering time. The result is shared: never modify it.
    """
    built: dict[str, dict[str, str]] = {}

    @functools.wraps(factory)
    def labels() -> dict[str, str]:
        from flask_babel import get_locale

        key = str(get_locale())
        found = built.get(key)
        if found is None:
            found = built[key] = factory()
        return found

    return labels


@per_locale
def _role_labels() -> dict[str, str]:
    from forms.users import role_choices

    return dict(role_choices())


def role_label(role: str) -> str:
    return _role_labels().get(role, role)


def get_locale_code() -> str:
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale else "vi"


@per_locale
def _kind_labels() -> dict[str, str]:
    from flask_babel import gettext as _

    return {
        "inspection": _("Inspection"),
        "ecommerce": _("E-commerce check"),
        "survey": _("Survey"),
    }


def kind_labels() -> dict[str, str]:
    """Every kind's words in the current locale (shared: never modify it)."""
    return _kind_labels()


def kind_label(kind: str) -> str:
    return _kind_labels().get(kind, kind)


@per_locale
def _status_labels() -> dict[str, str]:
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
    }


def status_labels() -> dict[str, str]:
    return _status_labels()


def status_label(status: str) -> str:
    return _status_labels().get(status, status)


def status_badge(status: str) -> str:
    return {
        "draft": "text-bg-secondary",
        "submitted": "text-bg-primary",
        "returned": "text-bg-warning",
        "approved": "text-bg-success",
        "closed": "text-bg-dark",
        "cancelled": "text-bg-light border",
    }.get(status, "text-bg-secondary")


@per_locale
def _field_labels() -> dict[str, str]:
    from forms.cases import field_choices

    return dict(field_choices())


def field_labels() -> dict[str, str]:
    return _field_labels()


def field_label(field: str) -> str:
    return _field_labels().get(field, field)


def _choice_table(name: str) -> Callable[[], dict[str, str]]:
    def build() -> dict[str, str]:
        from forms import cases as case_forms

        return dict(getattr(case_forms, f"{name}_choices")())

    build.__name__ = f"_{name}_labels"
    return per_locale(build)


#: Words for a stored choice, by the kind of choice (``choice_label``'s first argument).
_CHOICE_TABLES: dict[str, Callable[[], dict[str, str]]] = {
    "platform": _choice_table("platform"),
    "issue": _choice_table("issue"),
    "action": _choice_table("action"),
    "mode": _choice_table("mode"),
}


def choice_tables() -> dict[str, Callable[[], dict[str, str]]]:
    """The label tables of ``choice_label``, by kind of choice."""
    return _CHOICE_TABLES


def choice_label(kind: str, value: str | None) -> str:
    """Words for a stored choice (platform, suspected issue, action, mode, business type)."""
    if not value:
        return ""
    table = _CHOICE_TABLES.get(kind)
    return table().get(value, value) if table else value
