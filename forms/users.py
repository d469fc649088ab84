from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from cases.enums import Role
from forms import BaseForm


def role_choices() -> list[tuple[str, str]]:
    return [
        (Role.INSPECTOR.value, str(_l("Inspector"))),
        (Role.LIAISON.value, str(_l("Commune liaison"))),
        (Role.MANAGER.value, str(_l("Manager"))),
        (Role.ADMIN.value, str(_l("Administrator"))),
    ]


class _UserFields(BaseForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    email = EmailField(_l("Email"), validators=[Optional(), Email(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)])
    communes = SelectMultipleField(
        _l("Communes"),
        description=_l("Required for a commune liaison: the communes whose cases they follow."),
        validate_choice=True,
    )

    def __init__(
        self, *args: Any, commune_choices: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()
        self.communes.choices = commune_choices or []


class UserCreateForm(_UserFields):
    username = StringField(
        _l("User name"),
        validators=[DataRequired(), Length(min=3, max=64)],
        description=_l("Lower-case letters, digits, dot, dash and underscore."),
    )
    password = PasswordField(
        _l("Password"),
        validators=[Optional(), Length(max=200)],
        description=_l(
            "Leave empty to generate one. At least 10 characters with letters and digits, "
            "not containing the user name, not a common password."
        ),
    )


class UserEditForm(_UserFields):
    active = BooleanField(_l("Active"))


class PasswordResetForm(BaseForm):
    password = PasswordField(
        _l("New password"),
        validators=[Optional(), Length(max=200)],
        description=_l(
            "Leave empty to generate one. At least 10 characters with letters and digits, "
            "not containing the user name, not a common password."
        ),
    )
