"""Every error code the domain can raise has its words (issue 16 item 3): none falls back to "The value is
not valid.", in Vietnamese or in English. The codes are read from the domain's source, so a new code
without a message fails here."""

from __future__ import annotations

import ast
import enum
from pathlib import Path

import pytest
from flask_babel import force_locale

from cases.errors import ValidationFailed
from inspect_app.labels.codes import enum_labels
from inspect_app.labels.errors import domain_message
from inspect_app.labels.transfer import _messages as import_messages

CASES = Path(__file__).resolve().parents[2] / "cases"


def _raised_codes() -> dict[str, set[str]]:
    """code -> the modules that raise it: ValidationFailed(code, …), problems.add(code, …) and
    Problem(field, code, …) with a literal code."""
    found: dict[str, set[str]] = {}
    for source in CASES.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            code = None
            if name in {"ValidationFailed", "TargetInvalid"} and node.args:
                code = node.args[0]
            elif (
                name == "add"
                and isinstance(func, ast.Attribute)
                and getattr(func.value, "id", "") == "problems"
            ):
                code = node.args[0] if node.args else None
            elif name == "Problem" and len(node.args) >= 2:
                code = node.args[1]
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                found.setdefault(code.value, set()).add(source.relative_to(CASES.parent).as_posix())
    return found


def test_the_domain_raises_codes_this_test_can_see():
    codes = _raised_codes()
    assert len(codes) > 60 and {"required", "username_taken", "tax_code_taken"} <= set(codes)


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_every_code_has_a_message(app, locale):
    with app.test_request_context(), force_locale(locale):
        fallback = domain_message(ValidationFailed("no-such-code-at-all"))
        without_words = {
            code: sorted(modules)
            for code, modules in _raised_codes().items()
            if domain_message(ValidationFailed(code)) == fallback and code not in import_messages({})
        }
    assert without_words == {}, f"error codes without words: {without_words}"


def _shown_enums() -> list[type[enum.Enum]]:
    """Every enum of ``cases.enums`` (the values the pages and the audit trail show)."""
    from cases import enums

    return [
        value
        for value in vars(enums).values()
        if isinstance(value, type) and issubclass(value, enum.Enum) and value.__module__ == enums.__name__
    ]


def test_every_enum_is_found():
    names = {e.__name__ for e in _shown_enums()}
    assert {"CaseStatus", "Role", "SanctionForm", "SecurityEventKind"} <= names and len(names) > 20


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_every_enum_value_has_words(app, locale):
    """A page never shows a raw code such as ``in_review`` or ``sign_out_everywhere``: each value of each
    enum has words in ``inspect_app.labels.codes.enum_labels`` (other than the code itself)."""
    tables = enum_labels()
    with app.test_request_context(), force_locale(locale):
        missing = {e.__name__ for e in _shown_enums() if e not in tables}
        without_words = {
            f"{e.__name__}.{member.name}"
            for e in _shown_enums()
            if e in tables
            for member in e
            if not tables[e]().get(member.value) or tables[e]()[member.value] == member.value
        }
    assert missing == set(), f"enums without a table of words: {missing}"
    assert without_words == set(), f"enum values without words: {without_words}"


def test_vietnamese_words_differ_from_english(app):
    """The Vietnamese table is translated (not the English words again) for the values a user reads most."""
    from cases.enums import CaseStatus, Role

    tables = enum_labels()
    with app.test_request_context():
        with force_locale("vi"):
            vi = tables[CaseStatus]()[CaseStatus.SUBMITTED], tables[Role]()[Role.INSPECTOR]
        with force_locale("en"):
            en = tables[CaseStatus]()[CaseStatus.SUBMITTED], tables[Role]()[Role.INSPECTOR]
    assert vi != en and en == ("Submitted", "Inspector")
