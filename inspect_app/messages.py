"""Words for the domain's error codes (the domain raises codes; the web layer translates them)."""

from __future__ import annotations

from flask_babel import gettext as _

from cases.errors import DomainError


def domain_message(exc: DomainError) -> str:
    p = exc.params
    messages = {
        "username_length": lambda: _("The user name must have 3 to 64 characters."),
        "username_characters": lambda: _(
            "The user name may only contain lower-case letters without accents, digits, '.', '-' and '_'."
        ),
        "username_taken": lambda: _(
            "The user name %(username)s is already taken.", username=p.get("username")
        ),
        "unknown_role": lambda: _("Unknown role."),
        "password_too_short": lambda: _("The password must have at least 10 characters."),
        "password_needs_letters_and_digits": lambda: _("The password must contain letters and digits."),
        "unknown_commune": lambda: _("Unknown commune code: %(codes)s.", codes=p.get("codes")),
        "liaison_needs_commune": lambda: _("A commune liaison must be tied to at least one commune."),
        "cannot_deactivate_self": lambda: _("You cannot deactivate your own account."),
        "cannot_change_own_role": lambda: _("You cannot change your own role."),
        "last_admin": lambda: _("This is the last active administrator; keep at least one."),
        "wrong_current_password": lambda: _("The current password is wrong."),
        "password_unchanged": lambda: _("The new password must differ from the current one."),
        "outside_province": lambda: _("These coordinates are outside An Giang province."),
    }
    factory = messages.get(exc.code)
    return factory() if factory else _("The value is not valid.")
