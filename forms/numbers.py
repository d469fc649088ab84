"""Numbers typed and shown the way the user's language writes them.

Vietnamese groups thousands with "." and writes the decimals after ",": ``1.000`` is one thousand,
``1.250,5`` is 1250.5 and ``12,5`` is 12.5. English does the opposite (``1,000``, ``12.5``). A number field
reads what is typed with Babel's locale-aware parser in its strict mode, for the current Flask-Babel locale,
and refuses what that locale would not write (``1.25`` or ``1.2.3`` in Vietnamese, a mark in the wrong
place, a space, a letter, an exponent) with a message showing how to write it, rather than guessing.
The same locale writes the value back into the form, so an edit reads back what it showed.

Coordinates are not amounts and do not come here (``forms.validators.parse_coordinate``); nor do amounts
in đồng, which have no decimals (``forms.validators.parse_vnd``).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from babel import Locale
from babel.numbers import (
    NumberFormatError,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)
from flask_babel import get_locale
from flask_babel import gettext as _

#: What a number may be made of before Babel looks at it: an optional sign, digits and the two marks.
_NUMBER_CHARACTERS = re.compile(r"^[+-]?[0-9.,]+$")
#: Far above any quantity, error or measured value; keeps a float column exact to the digits shown.
MAX_NUMBER = Decimal(10) ** 12
#: The form of a number written back: grouped thousands, up to six decimals, no trailing zeros.
NUMBER_PATTERN = "#,##0.######"
DEFAULT_LOCALE = "vi"


class NumberInputError(ValueError):
    """A typed number the locale does not write; ``str()`` is the message for the user."""


def input_locale() -> Locale:
    """The locale numbers are read and written in: the page's (Flask-Babel), else Vietnamese."""
    try:
        locale = get_locale()
    except RuntimeError:  # outside a request or an app context
        locale = None
    return locale if locale is not None else Locale.parse(DEFAULT_LOCALE)


def format_number_input(value: float | int | Decimal | None, locale: Locale | str | None = None) -> str:
    """``1250.5`` → ``"1.250,5"`` in Vietnamese, ``"1,250.5"`` in English (what the parser reads back)."""
    if value is None:
        return ""
    return format_decimal(value, format=NUMBER_PATTERN, locale=locale or input_locale())


def number_hint(locale: Locale | str | None = None) -> str:
    """How to write a number in the locale, with examples written by the locale itself."""
    loc = Locale.parse(locale) if isinstance(locale, str) else (locale or input_locale())
    return _(
        "Write it as %(thousands)s or %(decimals)s: “%(group)s” between the thousands, “%(point)s” "
        "before the decimals.",
        thousands=format_number_input(1250, loc),
        decimals=format_number_input(Decimal("12.5"), loc),
        group=get_group_symbol(loc),
        point=get_decimal_symbol(loc),
    )


def _refusal(text: str, locale: Locale, suggestions: list[str] | None = None) -> NumberInputError:
    shown = text if len(text) <= 24 else text[:23] + "…"
    if suggestions:
        quoted = [f"“{s}”" for s in suggestions[:2]]
        meant = (
            quoted[0] if len(quoted) == 1 else _("%(first)s or %(second)s", first=quoted[0], second=quoted[1])
        )
        lead = _("“%(text)s” is not clear: did you mean %(meant)s?", text=shown, meant=meant)
    else:
        lead = _("“%(text)s” is not a number.", text=shown)
    return NumberInputError(f"{lead} {number_hint(locale)}")


def parse_number(text: str | None, *, locale: Locale | str | None = None) -> Decimal:
    """The number ``text`` writes in ``locale`` (the current one by default). Raises
    :class:`NumberInputError` with the message to show beside the field."""
    loc = Locale.parse(locale) if isinstance(locale, str) else (locale or input_locale())
    raw = str(text or "")
    cleaned = raw.strip()
    if not _NUMBER_CHARACTERS.match(cleaned):
        raise _refusal(cleaned or raw, loc)
    try:
        value = parse_decimal(cleaned, locale=loc, strict=True)
    except NumberFormatError as exc:
        raise _refusal(cleaned, loc, list(getattr(exc, "suggestions", None) or [])) from None
    if not value.is_finite() or abs(value) >= MAX_NUMBER:
        raise NumberInputError(_("This number is too large."))
    return value


def parse_float(text: str | None, *, locale: Locale | str | None = None) -> float:
    """:func:`parse_number` as a float (what the models store)."""
    value = float(parse_number(text, locale=locale))
    if not math.isfinite(value):  # pragma: no cover - MAX_NUMBER keeps it finite
        raise NumberInputError(_("This number is too large."))
    return value


def parse_whole_number(text: str | None, *, locale: Locale | str | None = None) -> int:
    """A whole number written in the locale (``1.000`` = 1000 in Vietnamese); a decimal is refused."""
    loc = Locale.parse(locale) if isinstance(locale, str) else (locale or input_locale())
    value = parse_number(text, locale=loc)
    if value != value.to_integral_value():
        raise NumberInputError(
            _("Enter a whole number, e.g. %(example)s.", example=format_number_input(1000, loc))
        )
    return int(value)
