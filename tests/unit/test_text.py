from __future__ import annotations

import pytest

from cases.errors import ValidationFailed
from cases.text import clean_text


def test_one_line_is_trimmed_and_its_spaces_made_one():
    assert clean_text("  Cân   điện\ttử \n 30 kg ") == "Cân điện tử 30 kg"
    assert clean_text("a\x00b") == "ab"  # PostgreSQL refuses NUL
    assert clean_text("   ") is None
    assert clean_text(None) is None


def test_multiline_keeps_its_lines():
    assert clean_text("  dòng một\r\n  dòng hai\x00 \n", multiline=True) == "dòng một\n  dòng hai"


def test_required_and_too_long():
    with pytest.raises(ValidationFailed) as exc:
        clean_text(" \n ", "name", 10, required=True)
    assert (exc.value.code, exc.value.field) == ("required", "name")
    with pytest.raises(ValidationFailed) as exc:
        clean_text("x" * 11, "name", 10)
    assert (exc.value.code, exc.value.field, exc.value.params) == ("too_long", "name", {"max": 10})
    assert clean_text("x" * 10, "name", 10, required=True) == "x" * 10
