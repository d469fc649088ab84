"""Import of cases from a CSV file or an Excel workbook (format and decisions: ``docs/import-export.md``).

``import_cases`` reads the file, checks EVERY row and reports every problem at once as
(row, column, code, parameters), row 1 being the header. Nothing is imported while any row has an
error, unless ``valid_only`` is asked for. The import runs in the caller's transaction: rows are
flushed, never committed; the caller commits when ``report.imported`` is true and rolls back otherwise.
Once checked, the valid rows are written in bulk by ``cases/transfer/writer.py`` (a fixed number of statements
whatever the number of rows), with what ``create_case`` would have written for each.

Decisions the format leaves open:

* A row whose ``ref`` was already imported (``Case.import_ref``) is skipped without being checked and
  listed in ``already_imported``; a ``ref`` repeated within the file is an error on the later row.
* The commune is ``commune_code`` when given, else the commune the ``address`` resolves to, else the
  commune nearest to ``lat``/``lon``. A row opened before 1 July 2025 whose address is in the old format
  also records the former ward (when it belongs to the row's commune).
* Values in the columns of another kind (``mode`` on a survey, ``platform`` on an inspection, samples or
  violations on the wrong kind...) are errors rather than silently dropped.
* ``fine_vnd`` needs a confirmed finding to carry it: violations on an approved or closed case.
* Surveys go into the campaign "Khảo sát <field> <year>" (e.g. "Khảo sát xăng dầu 2026"), created if missing.
* A cell ``'=…`` (an apostrophe before ``=``, ``+``, ``-``, ``@``, a tab or a carriage return), as the
  export writes it against formula injection, is read without the apostrophe.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import logging
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from cases.accounts import permissions
from cases.db import db
from cases.enums import (
    CASE_FIELDS,
    CaseKind,
    CaseStatus,
    InspectionMode,
    Platform,
)
from cases.errors import ValidationFailed
from cases.geography import places as geography
from cases.models import Case, Commune, Establishment, FormerWard, User, Violation
from cases.models.geo import REFORM_DATE
from cases.recording.rules import MAX_URL_LENGTH, CaseInput, CaseInvalid, Problem, check_case
from cases.recording.taxcode import normalise_tax_code, tax_code_problem
from cases.rendering.formatting import parse_date
from cases.text import fold
from cases.transfer.mapping import ColumnMapping, HeaderMapping, propose, unread_headers
from cases.transfer.writer import CONFIRMED_STATUSES, CheckedRow, ImportWriter

#: The columns of the format, in the order the export writes them.
COLUMNS: tuple[str, ...] = (
    "ref",
    "case_type",
    "field",
    "mode",
    "opened_on",
    "closed_on",
    "status",
    "establishment",
    "tax_code",
    "address",
    "commune_code",
    "lat",
    "lon",
    "platform",
    "listing_url",
    "seller",
    "product",
    "samples_tested",
    "samples_failed",
    "violations",
    "fine_vnd",
    "notes",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("ref", "case_type", "opened_on", "status")

#: Statuses an import may give (the workflow's "returned" and "cancelled" are not importable).
IMPORT_STATUSES: tuple[str, ...] = (
    CaseStatus.DRAFT.value,
    CaseStatus.SUBMITTED.value,
    CaseStatus.APPROVED.value,
    CaseStatus.CLOSED.value,
)
#: Longest text accepted per column (longer is an error: the database or the geography would refuse it).
MAX_LENGTHS: dict[str, int] = {
    "ref": 100,
    "establishment": 300,
    "address": geography.MAX_ADDRESS_LENGTH,
    "listing_url": MAX_URL_LENGTH,
    "seller": 300,
    "product": 300,
    "notes": 10_000,
}
#: For every other column (codes, dates, numbers).
MAX_OTHER_LENGTH = 100
#: More samples than this in one row is taken for a typing mistake.
MAX_SAMPLES = 1000
#: No fine decided for one case is that large (10 000 billion VND).
MAX_FINE_VND = 10**13

#: A leading apostrophe before one of these is the export's protection against formula injection.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Apostrophes skipped before looking for one (ASCII, and full-width: NFKC makes it ASCII).
_APOSTROPHES = "'\uff07"
#: Characters never accepted in a cell (PostgreSQL refuses NUL; Excel refuses the other control characters).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_INTEGER = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_DECIMAL = re.compile(r"^-?\d{1,3}(?:[.,]\d+)?$")

#: The most case rows one file may hold (``app.config["IMPORT_MAX_ROWS"]`` is passed in; this is its default).
#: A year of the Department's cases fits several times over; importing 10,000 valid rows takes a worker
#: about 5 s and 140 MB (224 MB in all), 20,000 took 8 s and 257 MB more (docs/security.md).
MAX_ROWS = 10_000
#: Errors kept in the report (the first ones, in row order); the others are only counted.
MAX_REPORTED_ERRORS = 200
#: A workbook is a zip of XML parts: what each may inflate to, before openpyxl sees any of them. A shared
#: strings table is read whole into memory (the sheet itself is read row by row).
XLSX_MAX_PARTS = 200
XLSX_MAX_PART_BYTES = 96 * 1024 * 1024
XLSX_MAX_SHARED_STRINGS_BYTES = 24 * 1024 * 1024
XLSX_MAX_TOTAL_BYTES = 128 * 1024 * 1024

ProgressCallback = Callable[[int, int], None]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RowError:
    """One problem: ``row`` (1 is the header; 0 for the file as a whole), ``column`` ('' for a whole row)."""

    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


class ErrorList(list[RowError]):
    """The report's errors: the first ``limit`` kept, every one counted (``total``), with their rows.

    A file of thousands of rows with a problem in every cell made a 67 MB page; the rows with
    errors are still all known (``valid_only`` leaves them out), the words are given for the first ones.
    """

    def __init__(self, limit: int = MAX_REPORTED_ERRORS) -> None:
        super().__init__()
        self.limit = limit
        self.total = 0
        self.rows: set[int] = set()

    def append(self, error: RowError) -> None:
        self.total += 1
        self.rows.add(error.row)
        if len(self) < self.limit:
            super().append(error)

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.append(error)

    @property
    def not_shown(self) -> int:
        return self.total - len(self)


@dataclass
class ImportReport:
    total_rows: int = 0
    created: int = 0
    already_imported: list[str] = field(default_factory=list)
    errors: ErrorList = field(default_factory=ErrorList)
    imported: bool = False
    created_numbers: list[str] = field(default_factory=list)
    #: How the sheet was read when it was read in its own shape (``recognise`` or a given mapping).
    mapping: ColumnMapping | None = None
    headers: list[str] = field(default_factory=list)
    #: The headers of a saved mapping (``shape``) that the sheet does not have.
    missing_headers: list[str] = field(default_factory=list)
    #: With ``preview``: the first rows as they are read, (row number, {column: text}); nothing is written.
    preview_rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    #: With ``preview``: the previewed rows that passed every check, as they would be written.
    preview_checked: dict[int, CheckedRow] = field(default_factory=dict)

    @property
    def ignored_headers(self) -> list[str]:
        """The sheet's non-empty headers that no column of the import reads (with a mapping)."""
        return [] if self.mapping is None else unread_headers(self.headers, self.mapping)

    @property
    def error_rows(self) -> list[int]:
        header_row = self.mapping.header_row if self.mapping else 1
        return sorted(row for row in self.errors.rows if row > header_row)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)


class _FileProblem(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(error.code)
        self.error = error


# --- reading ------------------------------------------------------------------------------------------


def needs_formula_escape(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula, or it already starts with apostrophes before
    such a character (so that the export's apostrophe can always be told from one that was typed).

    The first character counts in its compatibility form too (NFKC): a full-width ``＝`` or a small ``﹢``
    is a formula for an Excel with an East Asian input method; so is a full-width apostrophe before one.
    """
    rest = text.lstrip(_APOSTROPHES)
    if not rest:
        return False
    return rest.startswith(FORMULA_STARTS) or unicodedata.normalize("NFKC", rest[0]).startswith(
        FORMULA_STARTS
    )


def _unescape(text: str) -> str:
    """Drop the apostrophe the export puts before a cell that would read as a formula."""
    if text.startswith("'") and needs_formula_escape(text[1:]):
        return text[1:]
    return text


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV would hold (whole floats without ``.0``, dates ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    return str(value)


#: A table as read: (row number, cells) of row 1 (the header, even empty) and of every row that is not blank.
Table = list[tuple[int, list[str]]]


def _blank(cells: list[str]) -> bool:
    return not any(_unescape(c).strip() for c in cells)


def _keep(rows: Iterable[list[str]], max_rows: int) -> Table:
    """The header and the non-blank rows of ``rows``, read one at a time and never past the limits.

    More than ``max_rows`` non-blank rows after the header is ``too_many_rows`` at once; so is reading
    past row ``2 × max_rows + 1`` (at least 1,000 more), blank or not: a sheet of a million empty rows is
    not read to its end, and a blank row costs nothing more than being counted.
    """
    scan_limit = max(2 * max_rows, max_rows + 1000) + 1
    problem = RowError(0, "", "too_many_rows", {"max": max_rows, "scanned": scan_limit})
    kept: Table = []
    data_rows = 0
    for number, cells in enumerate(rows, start=1):
        if number == 1:
            kept.append((1, cells))
            continue
        if number > scan_limit:
            raise _FileProblem(problem)
        if _blank(cells):
            continue
        data_rows += 1
        if data_rows > max_rows:
            raise _FileProblem(problem)
        kept.append((number, cells))
    return kept or [(1, [])]


def _read_csv(data: bytes, max_rows: int) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _FileProblem(RowError(line, "", "not_utf8")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _keep(reader, max_rows)
    except csv.Error:
        raise _FileProblem(RowError(reader.line_num + 1, "", "bad_csv")) from None


_SHARED_STRING_TAG = re.compile(rb"si[\s/>]")


def _check_archive(data: bytes, max_rows: int) -> None:
    """Refuse a workbook whose parts would inflate beyond the limits (a zip bomb, a huge shared strings
    table), measured by inflating them, not by the sizes the zip declares.

    The shared strings are also counted (their tags, ``<si>`` and ``</si>``, with any prefix): a file of
    ``max_rows`` rows cannot use more distinct strings than it has cells, and openpyxl reads every one of
    them before the first row (a million one-letter strings took 8 s).
    """
    too_large = _FileProblem(RowError(0, "", "xlsx_too_large"))
    max_tags = 2 * max_rows * len(COLUMNS)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
        if len(parts) > XLSX_MAX_PARTS:
            raise too_large
        total = 0
        for part in parts:
            shared = part.filename.lower().endswith("sharedstrings.xml")
            limit = XLSX_MAX_SHARED_STRINGS_BYTES if shared else XLSX_MAX_PART_BYTES
            if part.file_size > limit:
                raise too_large
            size = tags = 0
            tail = b""
            with archive.open(part) as fh:
                while chunk := fh.read(1024 * 1024):
                    size += len(chunk)
                    if size > limit or total + size > XLSX_MAX_TOTAL_BYTES:
                        raise too_large
                    if shared:
                        tags += len(_SHARED_STRING_TAG.findall(tail + chunk))
                        tail = chunk[-3:]
                        tags -= len(_SHARED_STRING_TAG.findall(tail))  # counted again with the next chunk
                        if tags > max_tags:
                            raise too_large
            total += size


def _read_xlsx(data: bytes, max_rows: int) -> Table:
    from openpyxl import load_workbook

    try:
        _check_archive(data, max_rows)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it ignores
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheets = workbook.worksheets
                if not sheets:
                    return [(1, [])]
                sheet = sheets[0]
                # the declared size (``<dimension ref="A1:V1000000">``) is not believed: rows are read as
                # they come, and missing ones are not made up
                sheet.reset_dimensions()
                rows = ([_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True))
                return _keep(rows, max_rows)
            finally:
                workbook.close()
    except _FileProblem:
        raise
    except Exception:  # a damaged workbook fails in many ways (zip, zlib, XML, openpyxl's own checks)
        logger.info("An uploaded workbook could not be read", exc_info=True)
        raise _FileProblem(RowError(0, "", "bad_xlsx")) from None


def read_table(data: bytes, filename: str = "", *, max_rows: int = MAX_ROWS) -> Table:
    """The header (row 1) and the non-blank rows of the file, as (row number, cells as text).

    ``.xlsx`` by name or content, else CSV. Raises ``_FileProblem`` for a file that cannot be read or is
    over the limits (``too_many_rows``, ``xlsx_too_large``).
    """
    name = filename.lower()
    is_zip = data[:4] == b"PK\x03\x04"
    if name.endswith(".xlsx") or (is_zip and not name.endswith(".csv")):
        return _read_xlsx(data, max_rows)
    if name and not name.endswith((".csv", ".txt")):
        raise _FileProblem(RowError(0, "", "unsupported_format"))
    if is_zip:  # an Excel workbook saved with a .csv name
        return _read_xlsx(data, max_rows)
    return _read_csv(data, max_rows)


def read_sheet(data: bytes, filename: str = "", *, max_rows: int = MAX_ROWS) -> Table | RowError:
    """:func:`read_table`, the problem of a file that cannot be read (or is over the limits) returned."""
    try:
        return read_table(data, filename, max_rows=max_rows)
    except _FileProblem as exc:
        return exc.error


def _header(cells: list[str], errors: list[RowError]) -> list[str | None]:
    """Column names by position (``None`` for an empty header cell); unknown, repeated or missing → errors."""
    names: list[str | None] = []
    seen: set[str] = set()
    for cell in cells:
        name = _unescape(cell).strip().lstrip("\ufeff").strip().lower()
        if not name:
            names.append(None)
            continue
        if name not in COLUMNS:
            errors.append(RowError(1, cell.strip()[:50], "unknown_column"))
            names.append(None)
        elif name in seen:
            errors.append(RowError(1, name, "duplicate_column"))
            names.append(None)
        else:
            seen.add(name)
            names.append(name)
    for required in REQUIRED_COLUMNS:
        if required not in seen:
            errors.append(RowError(1, required, "missing_column"))
    return names


# --- checking a row -----------------------------------------------------------------------------------


def parse_vnd(text: str) -> int | None:
    """``1500000``, ``1.500.000`` or ``1,500,000`` → 1500000; anything else (``1.5``, ``abc``) → None."""
    if _INTEGER.match(text):
        return int(text)
    if _GROUPED.match(text):
        return int(re.sub(r"[.,]", "", text))
    return None


def _parse_decimal(text: str) -> float | None:
    if not _DECIMAL.match(text):
        return None
    value = float(text.replace(",", "."))
    return value if math.isfinite(value) else None


#: A trailing currency as offices type it: "1.500.000 đ", "1.500.000₫", "1 500 000 VNĐ", "… đồng".
_CURRENCY = re.compile(r"\s*(?:₫|đồng|đ|vnđ|vnd)\.?$", re.IGNORECASE)
_SPACE_GROUPED = re.compile(r"^\d{1,3}(?: \d{3})+$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})$")
#: Day 0 of Excel's serial dates (1900 system, past its 29 February 1900 that never was).
EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Serials read as dates: 1 January 1960 to 2118; smaller or larger numbers are not dates.
EXCEL_SERIALS = range(21916, 80000)


def parse_typed_amount(text: str) -> int | None:
    """An amount as a spreadsheet holds it: what :func:`parse_vnd` reads, also grouped by spaces and with a
    trailing ``đ``, ``₫``, ``VNĐ`` or ``đồng`` (``1 500 000 đ`` → 1500000)."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u202f", " ").strip()
    text = _CURRENCY.sub("", text).strip()
    if _SPACE_GROUPED.match(text):
        text = text.replace(" ", "")
    return parse_vnd(text)


def parse_typed_date(text: str, today: dt.date) -> dt.date | None:
    """A date as offices type it: ``2026-03-05``, ``05/03/2026``, ``5/3/26``, ``5-3-2026``, ``5.3.2026``
    (day first, as Vietnamese write it), or an Excel serial (``46086``). A two-digit year is this century's
    when not after this year, else the last century's."""
    found = parse_date(text)
    if found is not None:
        return found
    match = _DAY_MONTH_YEAR.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year += 2000 if year <= today.year % 100 else 1900
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    if _INTEGER.match(text) and int(text) in EXCEL_SERIALS:
        return EXCEL_EPOCH + dt.timedelta(days=int(text))
    return None


def typed_tax_code(text: str) -> str:
    """A tax code as typed, in its canonical form; one that a spreadsheet stored as a number lost its
    leading zero (``100109106`` for ``0100109106``): it gets it back when the check digit confirms it."""
    code = normalise_tax_code(text)
    if tax_code_problem(code) is not None and code.isdigit() and len(code) in {9, 12}:
        restored = normalise_tax_code("0" + code)
        if tax_code_problem(restored) is None:
            return restored
    return code


#: The words of a column's values (folded: lower case, no diacritics) → the value's code, e.g.
#: ``{"mode": {"theo ke hoach": "planned", "dot xuat": "unscheduled"}}``; the web layer gives them from the
#: app's labels in every language, so a sheet may say "Theo kế hoạch" where the format says ``planned``.
ValueWords = dict[str, dict[str, str]]


class _RowChecker:
    """Checks one row after another, with what every row shares looked up once."""

    def __init__(self, *, actor: User, today: dt.date, words: ValueWords | None = None) -> None:
        self.actor = actor
        self.today = today
        self.words = words or {}
        self.violations = {
            code.upper(): vid for vid, code in db.session.execute(select(Violation.id, Violation.code))
        }
        # the checks look communes and former wards (with their districts) up by key through
        # ``db.session.get``; holding the objects here keeps them in the session's identity map, so those
        # look-ups stay in memory instead of costing a query per row
        self._held = [
            *db.session.scalars(select(Commune)),
            *db.session.scalars(select(FormerWard).options(joinedload(FormerWard.district))),
        ]
        self.communes = {c.code for c in self._held if isinstance(c, Commune)}
        self._addresses: dict[str, geography.AddressSuggestion | None] = {}
        self._old_addresses: dict[str, geography.AddressSuggestion | None] = {}
        self._points: dict[tuple[float, float], str | None] = {}
        self._inside: dict[tuple[float, float], bool] = {}

    def address(self, text: str) -> geography.AddressSuggestion | None:
        if text not in self._addresses:
            self._addresses[text] = geography.suggest_from_address(text)
        return self._addresses[text]

    def old_address(self, text: str) -> geography.AddressSuggestion | None:
        if text not in self._old_addresses:
            self._old_addresses[text] = geography.suggest_old_format_from_address(text)
        return self._old_addresses[text]

    def inside(self, lat: float, lon: float, *, need_commune: bool) -> bool:
        """Whether the point is in the province (``need_commune``: with the nearest commune found,
        which the row will take)."""
        if need_commune:
            return self.point(lat, lon) is not None
        key = (lat, lon)
        if key not in self._inside:
            try:
                self._inside[key] = geography.within_province(lat, lon)
            except ValidationFailed:
                self._inside[key] = False
        return self._inside[key]

    def point(self, lat: float, lon: float) -> str | None:
        key = (lat, lon)
        if key not in self._points:
            try:
                self._points[key] = geography.suggest_from_point(lat, lon).commune.code
            except ValidationFailed:
                self._points[key] = None
        return self._points[key]

    def check(self, number: int, values: dict[str, str], errors: list[RowError]) -> CheckedRow | None:
        """The row's values once checked, or ``None`` with its problems added to ``errors``."""
        found: list[RowError] = []

        def error(column: str, code: str, **params: Any) -> None:
            if not any(e.column == column for e in found):  # one problem per cell is enough
                found.append(RowError(number, column, code, params))

        for column, text in values.items():
            if _CONTROL_CHARS.search(text):
                error(column, "control_characters")
            elif len(text) > MAX_LENGTHS.get(column, MAX_OTHER_LENGTH):
                error(column, "too_long", max=MAX_LENGTHS.get(column, MAX_OTHER_LENGTH), length=len(text))
        bad = {e.column for e in found}

        def get(column: str) -> str:
            return "" if column in bad else values.get(column, "")

        def code_of(column: str, text: str, allowed: list[str]) -> str | None:
            """The code ``text`` is: the code itself, or the words of one (``self.words``)."""
            if text.lower() in allowed:
                return text.lower()
            code = self.words.get(column, {}).get(fold(text))
            return code if code in allowed else None

        def choice(column: str, allowed: Iterable[str]) -> str | None:
            text = get(column)
            if not text:
                return None
            allowed = list(allowed)
            code = code_of(column, text, allowed)
            if code is None:
                error(column, "invalid_choice", value=text[:50], choices=", ".join(allowed))
            return code

        def choices(column: str, allowed: Iterable[str]) -> list[str]:
            """Several values separated by ``;`` (the fields of an inspection), each one of ``allowed``."""
            allowed = list(allowed)
            picked: list[str] = []
            for text in (t.strip() for t in get(column).split(";")):
                if not text:
                    continue
                code = code_of(column, text, allowed)
                if code is None:
                    error(column, "invalid_choice", value=text[:50], choices=", ".join(allowed))
                    return []
                if code not in picked:
                    picked.append(code)
            return picked

        ref = get("ref")
        kind = choice("case_type", [k.value for k in CaseKind])
        status = choice("status", IMPORT_STATUSES)
        fields = choices("field", [f.value for f in CASE_FIELDS])
        mode = choice("mode", [m.value for m in InspectionMode])
        platform = choice("platform", [p.value for p in Platform])
        for column in ("ref", "case_type", "opened_on", "status"):
            if not values.get(column):
                error(column, "required")

        dates: dict[str, dt.date | None] = {}
        for column in ("opened_on", "closed_on"):
            text = get(column)
            dates[column] = parse_typed_date(text, self.today) if text else None
            if text and dates[column] is None:
                error(column, "invalid_date", value=text[:50])

        numbers: dict[str, float | None] = {}
        for column in ("lat", "lon"):
            text = get(column)
            numbers[column] = _parse_decimal(text) if text else None
            if text and numbers[column] is None:
                error(column, "invalid_decimal", value=text[:50])

        counts: dict[str, int] = {}
        for column in ("samples_tested", "samples_failed"):
            text = get(column)
            counts[column] = 0
            if not text:
                continue
            if text.startswith("-") and _INTEGER.match(text[1:]):
                error(column, "negative")
            elif not _INTEGER.match(text):
                error(column, "invalid_integer", value=text[:50])
            elif int(text) > MAX_SAMPLES:
                error(column, "too_large", max=MAX_SAMPLES)
            else:
                counts[column] = int(text)
        if counts["samples_failed"] > counts["samples_tested"]:
            error("samples_failed", "failed_more_than_tested")

        fine: int | None = None
        text = get("fine_vnd")
        if text:
            if text.startswith("-") and parse_typed_amount(text[1:]) is not None:
                error("fine_vnd", "negative")
            elif (fine := parse_typed_amount(text)) is None:
                error("fine_vnd", "invalid_amount", value=text[:50])
            elif fine > MAX_FINE_VND:
                error("fine_vnd", "too_large", max=MAX_FINE_VND)
                fine = None

        violation_ids: list[int] = []
        codes = [c.strip().upper() for c in get("violations").split(";") if c.strip()]
        unknown = [c for c in codes if c not in self.violations]
        if unknown:
            error("violations", "unknown_violation", codes=", ".join(unknown)[:200])
        else:
            violation_ids = [self.violations[c] for c in codes]

        tax_code: str | None = None
        if get("tax_code"):
            tax_code = typed_tax_code(get("tax_code"))
            if (problem := tax_code_problem(tax_code)) is not None:
                error("tax_code", problem, value=get("tax_code")[:50])
                tax_code = None

        # columns another kind uses
        if kind is not None:
            wrong: list[str] = []
            if kind == CaseKind.ECOMMERCE:
                wrong = ["field", "mode", "samples_tested", "samples_failed"]
            else:
                wrong = ["platform", "listing_url", "seller"]
                wrong += ["mode"] if kind == CaseKind.SURVEY else []
                wrong += ["violations"] if kind == CaseKind.SURVEY else []
            for column in wrong:
                if values.get(column):
                    error(column, "not_for_kind", kind=kind)
        establishment = get("establishment") or None
        if kind in {CaseKind.INSPECTION, CaseKind.SURVEY} and not values.get("establishment"):
            error("establishment", "required")
        elif tax_code and not establishment:
            error("establishment", "required_with_tax_code")

        # location: the commune code wins, then the address, then the coordinates
        commune_code = get("commune_code") or None
        address = get("address") or None
        lat, lon = numbers["lat"], numbers["lon"]
        # the address matters when it gives the commune, or the former ward of a case opened before the
        # reform; parsing it costs milliseconds, so a row with a commune code only looks for a former ward,
        # and only when opened before the reform
        opened_on = dates["opened_on"]
        suggestion = None
        if address and commune_code is None:
            suggestion = self.address(address)
        elif address and opened_on is not None and opened_on < REFORM_DATE:
            suggestion = self.old_address(address)  # only its former ward can matter
        if (lat is None) != (lon is None) and "lat" not in bad and "lon" not in bad:
            error("lon" if lon is None and get("lat") else "lat", "coordinates_pair")
        elif (
            lat is not None
            and lon is not None
            and not self.inside(lat, lon, need_commune=commune_code is None)
        ):
            error("lat", "outside_province")
        if commune_code is not None and commune_code not in self.communes:
            error("commune_code", "unknown_commune", codes=commune_code[:20])
        elif commune_code is None:
            if suggestion is not None:
                commune_code = suggestion.commune.code
            elif lat is not None and lon is not None:
                commune_code = self.point(lat, lon)
            located_badly = any(e.column in {"commune_code", "address", "lat", "lon"} for e in found)
            if commune_code is None and not located_badly:
                if address:
                    error("address", "address_not_found")
                else:
                    error("commune_code", "unlocatable")
        if commune_code and not permissions.can_see_commune(self.actor, commune_code):
            error("commune_code", "commune_out_of_scope")

        former_ward_code = None
        if (
            suggestion is not None
            and suggestion.former_ward is not None
            and opened_on is not None
            and opened_on < REFORM_DATE
            and commune_code in {suggestion.commune.code, *(c.code for c in suggestion.candidates)}
        ):
            former_ward_code = suggestion.former_ward.code

        if fine and not (violation_ids and status in CONFIRMED_STATUSES):
            error("fine_vnd", "fine_without_confirmed_violation")

        data = CaseInput(
            kind=kind or "",
            opened_on=opened_on,
            closed_on=dates["closed_on"],
            commune_code=commune_code,
            address=address,
            latitude=lat if lon is not None else None,
            longitude=lon if lat is not None else None,
            former_ward_code=former_ward_code,
            product=get("product") or None,
            notes=get("notes") or None,
            fields=fields,
            mode=mode,
            platform=platform,
            listing_url=get("listing_url") or None,
            seller_name=get("seller") or None,
            import_ref=ref or None,
            status=status or CaseStatus.DRAFT.value,
        )
        if kind is not None:
            self._case_rules(data, values, error)

        if found:
            errors.extend(found)
            return None
        return CheckedRow(
            number=number,
            ref=ref,
            data=data,
            establishment_name=establishment,
            tax_code=tax_code,
            samples_tested=counts["samples_tested"],
            samples_failed=counts["samples_failed"],
            violation_ids=violation_ids,
            fine_vnd=fine,
        )

    def _case_rules(
        self,
        data: CaseInput,
        values: dict[str, str],
        error: Callable[..., None],
    ) -> None:
        """The rules every case follows (``check_case``), each problem put back on its CSV column.

        The coordinates were checked above (once per distinct point: finding the nearest commune is
        the slow part), so ``check_case`` does not check them again.
        """
        without_point = dataclasses.replace(data, latitude=None, longitude=None)
        for problem in check_case(without_point, today=self.today):
            column = problem_column(problem)
            if column in {"establishment", ""}:
                continue  # the establishment is found or created later; checked above
            if problem.field == "commune_code" and problem.code == "required":
                continue  # an unlocatable row is reported above, on the right column
            if problem.code == "required" and values.get(column):
                continue  # given but refused: already reported
            error(column, problem.code, **problem.params)


#: ``check_case``'s fields → the CSV column holding them.
_PROBLEM_COLUMNS: dict[str, str] = {
    "kind": "case_type",
    "status": "status",
    "fields": "field",
    "opened_on": "opened_on",
    "closed_on": "closed_on",
    "commune_code": "commune_code",
    "latitude": "lat",
    "longitude": "lon",
    "former_ward_code": "address",
    "establishment_id": "establishment",
    "mode": "mode",
    "platform": "platform",
    "listing_url": "listing_url",
    "seller_name": "seller",
    "seller_platform_id": "seller",
    "product": "product",
    "notes": "notes",
    "campaign_id": "field",
    # create_establishment's fields
    "name": "establishment",
    "tax_code": "tax_code",
    "address": "address",
}


def problem_column(problem: Problem) -> str:
    return _PROBLEM_COLUMNS.get(problem.field, "")


# --- the import ---------------------------------------------------------------------------------------


def _already_imported(refs: list[str]) -> set[str]:
    """The refs already in the database: as the import reference of a case, or as a case number (the
    export writes the number of a case recorded in the app, so re-importing an export creates nothing)."""
    found: set[str] = set()
    for start in range(0, len(refs), 500):
        chunk = refs[start : start + 500]
        found.update(db.session.scalars(select(Case.import_ref).where(Case.import_ref.in_(chunk))))
        found.update(db.session.scalars(select(Case.number).where(Case.number.in_(chunk))))
    return found


def _records(table: Table, names: list[str | None], errors: list[RowError]) -> list[tuple[int, dict]]:
    """(row number, {column: text}) of the non-blank data rows; cells beyond the header → errors."""
    records = []
    for index, cells in table[1:]:
        texts = [_unescape(c).strip() for c in cells]
        if not any(texts):
            continue
        values = {name: "" for name in names if name}
        for position, text in enumerate(texts):
            if not text:
                continue
            if position >= len(names):
                errors.append(RowError(index, f"#{position + 1}", "cell_outside_header"))
            elif (name := names[position]) is not None:
                values[name] = text
            else:  # under an empty header cell
                errors.append(RowError(index, f"#{position + 1}", "cell_outside_header"))
        records.append((index, values))
    return records


def _mapped_records(
    table: Table, mapping: ColumnMapping, errors: list[RowError]
) -> list[tuple[int, dict]] | None:
    """(row number, {column: text}) of the rows below ``mapping.header_row``, read through the mapping;
    ``None`` with errors when the mapping names a column twice, an unknown column, or lacks a required one."""
    header = mapping.header_row
    seen: set[str] = set()
    for _position, column in sorted(mapping.columns.items()):
        if column not in COLUMNS:
            errors.append(RowError(header, column[:50], "unknown_column"))
        elif column in seen:
            errors.append(RowError(header, column, "duplicate_column"))
        seen.add(column)
    for column in mapping.constants:
        if column not in COLUMNS:
            errors.append(RowError(header, column[:50], "unknown_column"))
    for required in REQUIRED_COLUMNS:
        if required not in seen and not mapping.constants.get(required):
            errors.append(RowError(header, required, "missing_column"))
    if errors:
        return None
    records = []
    for number, cells in table:
        if number <= header:
            continue  # the title rows and the header
        texts = [_unescape(c).strip() for c in cells]
        values = {column: "" for column in [*mapping.columns.values(), *mapping.constants]}
        for position, column in mapping.columns.items():
            values[column] = texts[position] if position < len(texts) else ""
        if not any(values.values()):
            continue  # only ignored columns hold something (a total row, a signature)
        for column, constant in mapping.constants.items():
            values[column] = values[column] or constant.strip()
        records.append((number, values))
    return records


def import_cases(
    data: bytes,
    *,
    filename: str = "",
    actor: User,
    valid_only: bool = False,
    progress: ProgressCallback | None = None,
    today: dt.date | None = None,
    max_rows: int = MAX_ROWS,
    words: ValueWords | None = None,
    mapping: ColumnMapping | None = None,
    recognise: bool = False,
    constants: dict[str, str] | None = None,
    shape: HeaderMapping | None = None,
    preview: int | None = None,
) -> ImportReport:
    """Check every row of ``data`` and, if none has an error (or ``valid_only``), create the cases.

    A file of more than ``max_rows`` case rows is refused at once (``too_many_rows``), before any row is
    checked; the report keeps the first :data:`MAX_REPORTED_ERRORS` errors and counts the others.

    Values are read as offices type them (``parse_typed_date``, ``parse_typed_amount``, ``typed_tax_code``);
    ``words`` gives the words of the choices' values (e.g. "Đột xuất" for ``unscheduled``).

    A sheet in its own shape is read through ``mapping`` (``cases/transfer/mapping.py``), or with
    ``recognise`` through the one :func:`~cases.transfer.mapping.propose` finds (its header row below title
    rows, its headers recognised, the other columns ignored); ``constants`` fill a column for every row
    that leaves it empty (e.g. ``{"case_type": "inspection"}``).

    ``progress(done, total)`` is called once per row checked and once per case created
    (``total`` is twice the number of rows). Flushes, never commits; on an unexpected failure while
    creating (a rule the checks missed) the session is rolled back and nothing is imported.
    """
    today = today or dt.date.today()
    report = ImportReport()
    if not permissions.can_import_cases(actor):
        raise ValidationFailed("import_not_allowed")
    try:
        table = read_table(data, filename, max_rows=max_rows)
    except _FileProblem as exc:
        report.errors.append(exc.error)
        return report
    if not any(c.strip() for c in table[0][1]):  # a first row with nothing in it: no header
        report.errors.append(RowError(1, "", "no_header"))
        return report

    if shape is not None and mapping is None:
        mapping, report.headers, report.missing_headers = shape.resolve(table)
    if recognise and mapping is None:
        proposal = propose(table)
        mapping = proposal.mapping
        report.headers = proposal.headers
    if mapping is not None:
        if constants:
            mapping = ColumnMapping(
                mapping.header_row, dict(mapping.columns), {**mapping.constants, **constants}
            )
        report.mapping = mapping
        found = _mapped_records(table, mapping, report.errors)
        if found is None:
            return report
        records = found
    else:
        names = _header(table[0][1], report.errors)
        if report.errors:  # without a sound header no row can be read reliably
            return report
        records = _records(table, names, report.errors)
    report.total_rows = len(records)
    if preview is not None:
        records = records[:preview]
        report.preview_rows = records
    if not records:
        report.errors.append(RowError((mapping.header_row if mapping else 1) + 1, "", "no_rows"))
        return report

    # a ref with control characters gets its error from the row check; PostgreSQL refuses NUL in a query
    refs = [
        values["ref"]
        for _, values in records
        if values.get("ref") and not _CONTROL_CHARS.search(values["ref"])
    ]
    imported_before = _already_imported(sorted(set(refs)))
    total = 2 * len(records)
    checker = _RowChecker(actor=actor, today=today, words=words)
    first_row_of: dict[str, int] = {}
    valid: list[CheckedRow] = []
    rows_with_cell_errors = set(report.errors.rows)
    for done, (number, values) in enumerate(records, start=1):
        ref = values.get("ref", "")
        if ref and ref in first_row_of:
            report.errors.append(RowError(number, "ref", "duplicate_ref", {"first_row": first_row_of[ref]}))
        elif ref in imported_before:
            first_row_of[ref] = number
            report.already_imported.append(ref)
        else:
            if ref:
                first_row_of[ref] = number
            row = checker.check(number, values, report.errors)
            if row is not None and number not in rows_with_cell_errors:
                valid.append(row)
                if preview is not None:
                    report.preview_checked[number] = row
        if progress:
            progress(done, total)
    report.errors.sort(key=lambda e: (e.row, _column_order(e.column)))

    if preview is not None or (report.errors and not valid_only):
        if progress:
            progress(total, total)
        return report

    writer = ImportWriter(actor=actor)
    created = len(records)

    def created_one(done: int) -> None:
        if progress:
            progress(created + done, total)

    try:
        report.created_numbers = writer.write(valid, created_one)
        report.created = len(report.created_numbers)
        db.session.flush()
    except (CaseInvalid, ValidationFailed, IntegrityError) as exc:
        # a rule the checks above missed, or somebody else saving the same records meanwhile
        db.session.rollback()
        if isinstance(exc, CaseInvalid):
            problems = exc.problems
        elif isinstance(exc, ValidationFailed):
            problems = [Problem(exc.field or "", exc.code, exc.params)]
        else:
            problems = [Problem("", "conflict")]
        if writer.current_row is not None:
            number = writer.current_row.number
        else:
            number = _conflicting_row(valid, writer.new_tax_codes)
        report.errors.extend(RowError(number, problem_column(p), p.code, p.params) for p in problems)
        report.created = 0
        report.created_numbers = []
        return report
    report.imported = True
    if progress:
        progress(total, total)
    return report


def _conflicting_row(rows: list[CheckedRow], new_tax_codes: set[str]) -> int:
    """The row a database conflict is put on: the first whose ref, else whose new tax code, somebody else
    saved meanwhile (read after the rollback); else the first row written."""
    refs = sorted({r.ref for r in rows if r.ref})
    tax_codes = sorted(new_tax_codes)
    taken: set[str] = set()
    for start in range(0, len(refs), 500):
        chunk = refs[start : start + 500]
        taken.update(db.session.scalars(select(Case.import_ref).where(Case.import_ref.in_(chunk))))
    for start in range(0, len(tax_codes), 500):
        chunk = tax_codes[start : start + 500]
        taken.update(
            db.session.scalars(select(Establishment.tax_code).where(Establishment.tax_code.in_(chunk)))
        )
    for row in rows:
        if row.ref in taken:
            return row.number
    for row in rows:
        if row.tax_code in taken and row.tax_code in new_tax_codes:
            return row.number
    return rows[0].number if rows else 0


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)
