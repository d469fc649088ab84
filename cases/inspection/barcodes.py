"""GS1 barcodes (GTIN-8 and GTIN-13, Vietnam's prefix 893): the check digit (DOMAIN.md §11)."""

from __future__ import annotations

GTIN_LENGTHS = (8, 13)


def gs1_check_digit(data: str) -> int:
    """The check digit for the data digits (all but the last): weights 3, 1, 3, … from the right.

    For the 12 data digits of a GTIN-13 that is 1, 3, 1, 3, … from the left: ``893123456789`` → 7.
    """
    if not data.isdigit():
        raise ValueError("digits only")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(data)))
    return (10 - total % 10) % 10


def normalise_barcode(text: str | None) -> str:
    """Digits as typed, without spaces or dashes (``893 1234 56789 7`` → ``8931234567897``)."""
    return "".join(ch for ch in (text or "") if ch not in " -\u00a0\t")


def barcode_problem(code: str) -> tuple[str, dict[str, object]] | None:
    """``None`` for a valid GTIN-8/13, else an error code and its parameters."""
    if not code.isascii() or not code.isdigit() or len(code) not in GTIN_LENGTHS:
        return "barcode_format", {}
    expected = gs1_check_digit(code[:-1])
    if int(code[-1]) != expected:
        return "barcode_check_digit", {"expected": expected}
    return None


def is_valid_gtin(code: str) -> bool:
    return barcode_problem(normalise_barcode(code)) is None
