"""Vietnamese tax codes (mã số thuế): normalising and checking them.

A tax code has 10 digits (an enterprise, a cooperative...) or 10 digits, a hyphen and 3 digits (a branch
or dependent unit: ``0100109106-001``). Digits 1–2 are the province code of issue, digits 3–9 a sequence
number and digit 10 a check digit: with weights 31, 29, 23, 19, 17, 13, 7, 5, 3 on digits 1–9, the
check digit is ``10 - (sum mod 11)``; a sum divisible by 11 would give 10 and is never issued.

These functions return error codes, not sentences (see ``cases.errors``); the web layer words them.
"""

from __future__ import annotations

import re

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)

#: The problems :func:`tax_code_problem` reports.
TAX_CODE_FORMAT = "tax_code_format"  # not 10 digits nor 10-3 digits
TAX_CODE_INVALID = "tax_code_invalid"  # starts with 00, or a sequence of zeros
TAX_CODE_CHECK_DIGIT = "tax_code_check_digit"  # the 10th digit does not match
TAX_CODE_BRANCH = "tax_code_branch"  # branch suffix 000
PROBLEMS = (TAX_CODE_FORMAT, TAX_CODE_INVALID, TAX_CODE_CHECK_DIGIT, TAX_CODE_BRANCH)

_SHAPE = re.compile(r"^([0-9]{10})(?:-([0-9]{3}))?$")
#: 10 digits and 3 digits apart, joined by nothing, spaces or any kind of dash: "0100109106 001".
_LOOSE_BRANCH = re.compile(r"^([0-9]{10})[\s\-‐‑‒–—―]*([0-9]{3})$")
_SPACES = re.compile(r"\s+")


def normalise_tax_code(raw: str | None) -> str:
    """The canonical form of a tax code as typed: ``" 0100109106 001 "`` → ``"0100109106-001"``.

    Spaces (including non-breaking ones) are dropped. Ten digits followed by three more, written with a
    space, any kind of dash or nothing between them, become ``10 digits-3 digits``. Anything else is
    returned with its spaces removed and otherwise untouched, for :func:`tax_code_problem` to refuse.
    ``None`` and blank input give ``""``.
    """
    text = (raw or "").strip()
    match = _LOOSE_BRANCH.match(text)
    if match:
        return f"{match.group(1)}-{match.group(2)}"
    return _SPACES.sub("", text)


def check_digit(first_nine: str) -> int | None:
    """The check digit for the first nine digits, or ``None`` when no digit fits (sum divisible by 11)."""
    total = sum(int(d) * w for d, w in zip(first_nine, WEIGHTS, strict=True))
    remainder = total % 11
    return None if remainder == 0 else 10 - remainder


def tax_code_problem(code: str) -> str | None:
    """The error code for a normalised tax code, or ``None`` when it is valid.

    ``tax_code_format``: neither 10 digits nor 10 digits-3 digits. ``tax_code_invalid``: digits 1–2 are
    ``00`` or digits 3–9 are all zeros. ``tax_code_check_digit``: the 10th digit is wrong (or no digit
    can be right). ``tax_code_branch``: the branch suffix is ``000``.
    """
    match = _SHAPE.match(code or "")
    if match is None:
        return TAX_CODE_FORMAT
    main, branch = match.group(1), match.group(2)
    if main[:2] == "00" or main[2:9] == "0000000":
        return TAX_CODE_INVALID
    if check_digit(main[:9]) != int(main[9]):
        return TAX_CODE_CHECK_DIGIT
    if branch == "000":
        return TAX_CODE_BRANCH
    return None


def is_valid_tax_code(raw: str | None) -> bool:
    """Whether ``raw``, once normalised, is a valid tax code."""
    return tax_code_problem(normalise_tax_code(raw)) is None
