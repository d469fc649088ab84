"""Parsers and validators shared by the forms and the JSON endpoints."""

from __future__ import annotations

import math

from flask_babel import gettext as _

#: A generous box around An Giang (former An Giang and Kiên Giang, islands included).
PROVINCE_BOUNDS = {"lat": (9.0, 11.2), "lon": (103.3, 105.9)}


def parse_coordinate(raw: str | None, *, kind: str) -> float:
    """Parse a latitude (``kind="lat"``) or longitude; accepts a decimal comma. Raises ``ValueError``."""
    label = _("Latitude") if kind == "lat" else _("Longitude")
    if raw is None or not str(raw).strip():
        raise ValueError(_("%(label)s is required.", label=label))
    text = str(raw).strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(_("%(label)s must be a decimal number, e.g. 10.3661.", label=label)) from None
    if not math.isfinite(value):
        raise ValueError(_("%(label)s must be a decimal number, e.g. 10.3661.", label=label))
    limit = 90 if kind == "lat" else 180
    if not -limit <= value <= limit:
        raise ValueError(_("%(label)s must be between -%(limit)d and %(limit)d.", label=label, limit=limit))
    return value
