"""Text helpers: the one cleaning of a typed text (:func:`clean_text`), and Vietnamese-aware folding for
diacritic-insensitive search and sorting (:func:`fold`)."""

from __future__ import annotations

import re
import unicodedata

from cases.errors import ValidationFailed

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics: "Rạch Giá" → "rach gia".

    Used to build the ``search_key`` columns, so that a search typed with or without accents finds
    the same rows, and for sorting in Vietnamese alphabetical order without a database collation.
    """
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def clean_text(
    value: str | None,
    field: str | None = None,
    max_length: int | None = None,
    *,
    required: bool = False,
    multiline: bool = False,
) -> str | None:
    """A typed text, trimmed, without control characters (PostgreSQL refuses NUL); ``None`` when empty.

    One line (the default) has its runs of spaces, tabs and line breaks made one space; ``multiline`` text
    keeps its line breaks (a Windows one made ``\\n``) and tabs and is only trimmed at both ends. Raises
    ``ValidationFailed("required", field=field)`` for an empty ``required`` text and
    ``ValidationFailed("too_long", field=field, max=max_length)`` for one longer than ``max_length``.
    """
    if value is not None:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = "".join(ch for ch in value if ch >= " " or ch in "\n\t")
        value = value.strip() if multiline else " ".join(value.split())
    if not value:
        if required:
            raise ValidationFailed("required", field=field)
        return None
    if max_length is not None and len(value) > max_length:
        raise ValidationFailed("too_long", field=field, max=max_length)
    return value
