"""Parsers and validators shared by the forms and the JSON endpoints."""

from __future__ import annotations

import math
import re
from typing import Any

from flask_babel import gettext as _
from wtforms.validators import ValidationError

#: A generous box around An Giang (former An Giang and Kiên Giang, islands included).
PROVINCE_BOUNDS = {"lat": (9.0, 11.2), "lon": (103.3, 105.9)}


#: Decimal degrees: digits, then a decimal point or a decimal comma and digits. Never grouped, no exponent.
_COORDINATE = re.compile(r"^[+-]?[0-9]{1,3}(?:[.,][0-9]+)?$")


def parse_coordinate(raw: str | None, *, kind: str) -> float:
    """Parse a latitude (``kind="lat"``) or longitude in decimal degrees. Raises ``ValueError``.

    Coordinates are not amounts: they read the same in every language, with a decimal point (as GPS
    apps and maps write them, ``10.3661``) or a decimal comma (``10,3661``), and never a thousands
    separator, an exponent or a degree sign.
    """
    label = _("Latitude") if kind == "lat" else _("Longitude")
    if raw is None or not str(raw).strip():
        raise ValueError(_("%(label)s is required.", label=label))
    text = str(raw).strip()
    if not _COORDINATE.match(text):
        raise ValueError(_("%(label)s must be a decimal number, e.g. 10.3661.", label=label))
    value = float(text.replace(",", "."))
    if not math.isfinite(value):  # pragma: no cover - three digits before the mark keep it finite
        raise ValueError(_("%(label)s must be a decimal number, e.g. 10.3661.", label=label))
    limit = 90 if kind == "lat" else 180
    if not -limit <= value <= limit:
        raise ValueError(_("%(label)s must be between -%(limit)d and %(limit)d.", label=label, limit=limit))
    return value


# --- tax codes ----------------------------------------------------------------------------------------


def tax_code_message(code: str) -> str:
    """Words for an error code of :func:`cases.recording.taxcode.tax_code_problem`."""
    messages = {
        "tax_code_format": lambda: _(
            "The tax code must have 10 digits, or 10 digits, a hyphen and 3 digits."
        ),
        "tax_code_invalid": lambda: _(
            "This tax code cannot exist: it may not start with 00 and digits 3 to 9 may not all be 0."
        ),
        "tax_code_check_digit": lambda: _("The tax code's check digit is wrong: please check the number."),
        "tax_code_branch": lambda: _("The branch number after the hyphen runs from 001 to 999, never 000."),
    }
    factory = messages.get(code)
    return factory() if factory else _("The tax code is not valid.")


class TaxCode:
    """WTForms validator: an empty field passes (pair with ``Optional``/``DataRequired``); otherwise the
    value, normalised as :func:`cases.recording.taxcode.normalise_tax_code` does, must be a valid tax code."""

    def __call__(self, form: Any, field: Any) -> None:
        from cases.recording.taxcode import normalise_tax_code, tax_code_problem

        code = normalise_tax_code(field.data)
        if not code:
            return
        problem = tax_code_problem(code)
        if problem is not None:
            raise ValidationError(tax_code_message(problem))


# --- phone numbers ------------------------------------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
#: 0 + 9 digits (mobile, 03x/05x/07x/08x/09x) or 0 + 10 digits (landline 02xx), or 1800/1900 numbers.
_VN_PHONE = re.compile(r"^(?:0[1-9][0-9]{8,9}|1[89]00[0-9]{4,6})$")


def normalise_phone(raw: str | None) -> str:
    """Digits only, with +84/84 turned into the leading 0: ``"+84 912.345.678"`` → ``"0912345678"``."""
    text = _PHONE_SEPARATORS.sub("", (raw or "").strip())
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) in (11, 12):
        text = "0" + text[2:]
    return text


def is_vietnamese_phone(raw: str | None) -> bool:
    return bool(_VN_PHONE.match(normalise_phone(raw)))


class VietnamesePhone:
    """WTForms validator: a Vietnamese mobile or landline number; spaces, dots, dashes and +84 allowed."""

    def __call__(self, form: Any, field: Any) -> None:
        if not (field.data or "").strip():
            return
        if not is_vietnamese_phone(field.data):
            raise ValidationError(_("Enter a Vietnamese phone number, e.g. 0912 345 678 or 0296 3852 123."))


# --- coordinates --------------------------------------------------------------------------------------


class Coordinate:
    """WTForms validator for a text field holding a latitude (``kind="lat"``) or longitude; empty passes."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __call__(self, form: Any, field: Any) -> None:
        if not (field.data or "").strip():
            return
        try:
            parse_coordinate(field.data, kind=self.kind)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


# --- money and numbers typed the Vietnamese way ------------------------------------------------------

_VND_GROUPS = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_VND_SUFFIXES = ("vnđ", "vnd", "đồng", "dong", "₫", "đ")
MAX_VND = 10**15  # far above any fine or goods value; keeps the BIGINT column safe


def parse_vnd(text: str | None) -> int:
    """An amount in đồng: ``"1.500.000"``, ``"1,500,000"``, ``"1500000"``, ``"1 500 000 ₫"`` → 1500000.

    Thousands may be grouped by dots, commas or spaces (one kind of separator, groups of three); a
    currency word or sign may follow; a leading minus is kept (the caller refuses negatives with its own
    message). Decimals (``"1.5"``, ``"1.500,50"``) are refused: the đồng has no subunit. Raises
    ``ValueError``.
    """
    cleaned = (text or "").strip().lower()
    for suffix in _VND_SUFFIXES:
        if cleaned.endswith(suffix):
            cleaned = cleaned[: -len(suffix)].strip()
            break
    cleaned = cleaned.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    sign = 1
    if cleaned.startswith("-"):
        sign, cleaned = -1, cleaned[1:]
    if cleaned.isascii() and cleaned.isdigit():
        value = int(cleaned)
    elif _VND_GROUPS.match(cleaned):
        value = int(re.sub(r"[.,]", "", cleaned))
    else:
        raise ValueError(f"not an amount in VND: {text!r}")
    if value >= MAX_VND:
        raise ValueError("amount too large")
    return sign * value
