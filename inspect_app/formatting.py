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
    app.add_template_global(permissions, "perm")
    app.add_template_global(Role, "Role")
    app.add_template_global(role_label, "role_label")
    app.add_template_global(get_locale_code, "current_locale")


def role_label(role: str) -> str:
    from forms.users import role_choices

    return dict(role_choices()).get(role, role)


def get_locale_code() -> str:
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale else "vi"
