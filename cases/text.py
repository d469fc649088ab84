"""Text helpers: Vietnamese-aware folding for diacritic-insensitive search and sorting."""

from __future__ import annotations

import re
import unicodedata

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
