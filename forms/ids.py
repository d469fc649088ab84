"""Ids and versions that arrive in a form (hidden fields, selects of rows), read strictly.

``str.isdigit()`` is true for ``"²"`` and ``"٣"`` (and ``int("٣")`` is 3), and a 23-digit id passes it too:
the forms used to turn such values into a ``ValueError``, an ``OverflowError`` or a query for a row no
column can hold — 500s. Here an id is ASCII digits only and fits an INTEGER column; anything else is no
id at all, and :class:`IdField` says so beside the field.

Whether the row exists and whether the user may use it is the domain's question
(``cases/recording/rules.py::check_references``, ``cases/accounts/permissions.py``).
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField

from cases.db.ids import DB_INT_MAX

_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_id(raw: Any) -> int | None:
    """``"42"`` → 42; ``None`` for what no row's id can be (``"²"``, ``"-1"``, 23 digits)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 1 <= raw <= DB_INT_MAX else None
    text = str(raw if raw is not None else "").strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= DB_INT_MAX else None


def parse_version(raw: Any) -> int | None:
    """A record's version from a hidden field (0 allowed); ``None`` when it is not one."""
    text = str(raw if raw is not None else "").strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value <= DB_INT_MAX else None


class IdField(HiddenField):
    """A hidden field holding the id of a row: ``data`` is an int or ``None`` (empty).

    A value that is not an id is an error beside the field ("Unknown record."), never a 500.
    """

    data: int | None  # type: ignore[assignment]  # the stubs: a StringField's data is a str

    def process_data(self, value: Any) -> None:
        self.data = parse_id(value) if value not in (None, "") else None

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = str(valuelist[0]).strip() if valuelist else ""
        if not raw:
            self.data = None
            return
        self.data = parse_id(raw)
        if self.data is None:
            raise ValueError(_l("This record does not exist or you may not use it."))

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else str(self.data)
