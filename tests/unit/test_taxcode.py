"""Tax codes: the shape, the check digit and the forbidden values, and the form validator."""

from __future__ import annotations

import pytest

from cases.recording.taxcode import is_valid_tax_code, normalise_tax_code, tax_code_problem


def _with_check_digit(first_nine: str) -> str | None:
    """Written here from the rule, independently of cases.recording.taxcode: 10 - (weighted sum mod 11)."""
    weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]
    total = 0
    for position, digit in enumerate(first_nine):
        total += weights[position] * int(digit)
    if total % 11 == 0:
        return None  # would need a check digit of 10: never issued
    return first_nine + str(10 - total % 11)


GENERATED = [
    code
    for code in (
        _with_check_digit(n) for n in ("170012345", "030123456", "310000001", "800987654", "140555555")
    )
    if code is not None
]


@pytest.mark.parametrize("code", ["0100047516", "0100109106", "0100109106-001", "0100109106-999", *GENERATED])
def test_valid_codes(code):
    assert len(GENERATED) >= 4
    assert tax_code_problem(code) is None
    assert is_valid_tax_code(code)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0100109106", "0100109106"),
        ("  0100109106 ", "0100109106"),
        ("0100 109 106", "0100109106"),
        ("0100109106-001", "0100109106-001"),
        ("0100109106 - 001", "0100109106-001"),
        ("0100109106 001", "0100109106-001"),
        ("0100109106–001", "0100109106-001"),  # en dash, as word processors write it
        ("0100109106001", "0100109106-001"),
        ("0100109106\u00a0001", "0100109106-001"),
        ("", ""),
        (None, ""),
        ("ABC 123", "ABC123"),
    ],
)
def test_normalise(raw, expected):
    assert normalise_tax_code(raw) == expected


@pytest.mark.parametrize(
    "code, problem",
    [
        ("", "tax_code_format"),
        ("010010910", "tax_code_format"),  # 9 digits
        ("01001091066", "tax_code_format"),  # 11 digits
        ("0100109106-01", "tax_code_format"),
        ("0100109106-0001", "tax_code_format"),
        ("0100109106-", "tax_code_format"),
        ("010010910A", "tax_code_format"),
        ("０１００１０９１０６", "tax_code_format"),  # full-width digits are not ASCII digits
        ("0100109107", "tax_code_check_digit"),
        ("0100047515", "tax_code_check_digit"),
        ("0100109106-000", "tax_code_branch"),
        ("0012345678", "tax_code_invalid"),  # province 00
        ("0100000000", "tax_code_invalid"),  # sequence of zeros
        ("1000000000", "tax_code_invalid"),
    ],
)
def test_invalid_codes(code, problem):
    assert tax_code_problem(code) == problem
    assert not is_valid_tax_code(code)


def test_every_single_digit_change_breaks_the_check_digit():
    code = "0100109106"
    for position in range(10):
        for digit in "0123456789":
            if digit == code[position]:
                continue
            changed = code[:position] + digit + code[position + 1 :]
            if changed[:2] == "00":
                continue
            assert tax_code_problem(changed) is not None, changed


def test_a_sum_divisible_by_11_is_never_valid():
    # find nine digits whose weighted sum is divisible by 11: no tenth digit can make them valid
    first_nine = next(
        f"{n:09d}" for n in range(10_000_000, 99_999_999) if _with_check_digit(f"{n:09d}") is None
    )
    assert all(tax_code_problem(first_nine + d) is not None for d in "0123456789")


# --- the WTForms validator ---------------------------------------------------------------------------


def _validate(app, value):
    from wtforms import StringField
    from wtforms.validators import Optional

    from forms import BaseForm
    from forms.validators import TaxCode

    class Form(BaseForm):
        tax_code = StringField("Tax code", validators=[Optional(), TaxCode()])

    with app.test_request_context("/", method="POST", data={"tax_code": value}):
        form = Form()
        form.validate()
        return form.tax_code.errors


def test_validator_messages_are_vietnamese(app):
    assert _validate(app, "0100109106") == []
    assert _validate(app, "0100109106 001") == []
    assert _validate(app, "") == []
    assert _validate(app, "12345") == [
        "Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số."
    ]
    assert _validate(app, "0100109107") == [
        "Chữ số kiểm tra của mã số thuế không đúng: vui lòng kiểm tra lại số."
    ]
    (message,) = _validate(app, "0100109106-000")
    assert "001" in message and "999" in message
