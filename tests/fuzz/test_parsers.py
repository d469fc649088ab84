"""Property tests of the parsers of typed input: tax codes, dates, money, coordinates, local redirects.

Each either returns a value or raises its documented error (nothing else, whatever the text), and what the
app writes out reads back as the same value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from cases.recording.taxcode import check_digit, normalise_tax_code, tax_code_problem
from cases.rendering.formatting import format_date, format_vnd, parse_date
from cases.transfer import importer
from forms.numbers import NumberInputError, format_number_input, parse_number
from forms.validators import MAX_VND, parse_coordinate, parse_vnd
from inspect_app.auth import safe_next_url

#: Text that looks like what people type, and anything at all.
typed = st.one_of(
    st.text(alphabet="0123456789 .,-–/:+₫đĐvndVNDong\u00a0\t", max_size=30),
    st.text(max_size=60),
)
TAX_CODE_PROBLEMS = {None, "tax_code_format", "tax_code_invalid", "tax_code_check_digit", "tax_code_branch"}


@pytest.fixture
def request_ctx(app):
    with app.test_request_context():
        yield


# --- tax codes -----------------------------------------------------------------------------------------


@given(typed)
def test_any_text_gets_a_tax_code_verdict(text):
    code = normalise_tax_code(text)
    assert isinstance(code, str) and not any(c.isspace() for c in code)
    assert tax_code_problem(code) in TAX_CODE_PROBLEMS


def _valid_main() -> st.SearchStrategy[str]:
    def build(digits: str) -> str | None:
        digit = check_digit(digits)
        return None if digit is None else digits + str(digit)

    nine = st.text(alphabet="0123456789", min_size=9, max_size=9).filter(
        lambda d: d[:2] != "00" and d[2:9] != "0000000"
    )
    return nine.map(build).filter(lambda code: code is not None)  # type: ignore[return-value]


@given(_valid_main(), st.integers(1, 999), st.sampled_from(["", " ", "-", " – ", "\u00a0"]))
def test_valid_tax_codes_are_recognised_however_the_branch_is_written(main, branch, separator):
    assert tax_code_problem(normalise_tax_code(f" {main} ")) is None
    written = f"{main}{separator}{branch:03d}"
    assert normalise_tax_code(written) == f"{main}-{branch:03d}"
    assert tax_code_problem(normalise_tax_code(written)) is None


@given(_valid_main(), st.integers(1, 9))
def test_a_wrong_check_digit_is_caught(main, shift):
    wrong = main[:9] + str((int(main[9]) + shift) % 10)
    assert tax_code_problem(wrong) == "tax_code_check_digit"


# --- dates ---------------------------------------------------------------------------------------------


@given(typed)
def test_any_text_is_a_date_or_none(text):
    assert parse_date(text) is None or isinstance(parse_date(text), dt.date)


@given(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
def test_dates_read_back_as_written(day):
    assert parse_date(format_date(day)) == day  # DD/MM/YYYY, as shown
    assert parse_date(day.isoformat()) == day  # YYYY-MM-DD, as exported


# --- money ---------------------------------------------------------------------------------------------


@given(typed)
def test_any_text_is_an_amount_or_a_value_error(text):
    try:
        value = parse_vnd(text)
    except ValueError:
        return
    assert isinstance(value, int) and abs(value) < MAX_VND
    assert importer.parse_vnd(text.strip()) in {None, value, abs(value)}  # the importer's stricter reading


@given(st.integers(0, MAX_VND - 1))
def test_amounts_read_back_as_shown(amount):
    assert parse_vnd(format_vnd(amount)) == amount  # "1.500.000 ₫"
    assert parse_vnd(f"{amount:,}") == amount  # "1,500,000"
    assert parse_vnd(f"{amount:,}".replace(",", " ") + " đồng") == amount
    assert importer.parse_vnd(f"{amount:,}".replace(",", ".")) == amount


@given(typed, st.sampled_from(["vi", "en"]))
def test_any_text_is_a_number_or_a_message(request_ctx, text, locale):
    try:
        value = parse_number(text, locale=locale)
    except NumberInputError as exc:
        assert str(exc)  # a message for the user, in the current language
        return
    assert value.is_finite()


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False, allow_infinity=False),
    st.sampled_from(["vi", "en"]),
)
def test_numbers_read_back_as_written(request_ctx, value, locale):
    assert parse_number(format_number_input(value, locale), locale=locale) == value


# --- coordinates ---------------------------------------------------------------------------------------


@given(typed, st.sampled_from(["lat", "lon"]))
def test_any_text_is_a_coordinate_or_a_value_error(request_ctx, text, kind):
    try:
        value = parse_coordinate(text, kind=kind)
    except ValueError as exc:
        assert str(exc)  # a message for the user, in the current language
        return
    assert -180 <= value <= 180 and (kind == "lon" or -90 <= value <= 90)


@given(st.floats(-90, 90, allow_nan=False), st.booleans())
def test_coordinates_read_back_as_written(request_ctx, value, decimal_comma):
    text = format(Decimal(repr(value)), "f")  # positional, as people and GPS apps write it
    text = text.replace(".", ",") if decimal_comma else text
    assert parse_coordinate(text, kind="lat") == value


# --- local redirects -----------------------------------------------------------------------------------

_tricky = st.text(alphabet="/\\:.@?#%\t\n\r abcehltpsx", max_size=25)


@given(st.one_of(_tricky, st.text(max_size=40)))
@example("/\t/evil.example")
@example("/\\evil.example")
@example("/\n/evil.example")
@example(" //evil.example")
@example("https://evil.example/")
@example("/%2F%2Fevil.example")
def test_next_urls_stay_on_this_site(target):
    safe = safe_next_url(target)
    if safe is None:
        return
    # what a browser makes of it: tabs and newlines dropped, backslashes read as slashes
    seen = "".join(c for c in safe if c not in "\t\n\r").replace("\\", "/")
    parts = urlsplit(seen)
    assert seen.startswith("/") and not seen.startswith("//")
    assert not parts.scheme and not parts.netloc


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_/", max_size=30))
def test_ordinary_local_paths_are_kept(path):
    assume(not path.startswith("/"))
    assert safe_next_url("/" + path.lstrip("/")) == "/" + path.lstrip("/")


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "/\\evil.example",
        "//evil.example",
        " //evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/\r\n/evil.example",
        "/x\x00",
        "",
        None,
    ],
)
def test_redirects_elsewhere_are_refused(target):
    assert safe_next_url(target) is None


@pytest.mark.parametrize("target", ["/", "/cases/?q=x&page=2", "/cases/12#bang-chung", "/%2F%2Fx"])
def test_local_redirects_are_kept(target):
    assert safe_next_url(target) == target
