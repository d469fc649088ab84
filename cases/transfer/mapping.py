"""Reading a sheet in its own shape: which row holds the headers, which column is which import field,
and constants for the fields the sheet lacks (issue 21).

The Department's sheets have a title row or two above their headers, Vietnamese headers in their own
order ("Tên cơ sở", "Mã số thuế", "Ngày kiểm tra"…), and columns the import does not need (STT, Ghi
chú…). :func:`propose` finds the header row and the field each header means — the project's codes, the
Vietnamese headers with or without diacritics, their usual synonyms — and :class:`ColumnMapping` says how
to read the rows (``import_cases(mapping=…)``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from cases.text import fold

#: Folded headers (lower case, no diacritics, single spaces, no punctuation) → the import column.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "ref": ("ma tham chieu", "ma ho so", "so ho so", "so bien ban", "so bb", "ma tham chieu khi nhap"),
    "case_type": ("loai ho so", "loai", "loai kiem tra", "loai vu viec", "kind of case"),
    "field": ("linh vuc", "linh vuc kiem tra", "linh vuc khao sat", "field of inspection"),
    "mode": ("hinh thuc", "hinh thuc kiem tra", "ke hoach dot xuat", "theo ke hoach dot xuat"),
    "opened_on": (
        "ngay kiem tra",
        "ngay mo",
        "ngay lap",
        "ngay mo ho so",
        "ngay bat dau",
        "ngay",
        "opened on",
    ),
    "closed_on": ("ngay ket thuc", "ngay dong", "ngay dong ho so", "closed on"),
    "status": ("trang thai", "tinh trang", "trang thai ho so"),
    "establishment": (
        "ten co so",
        "co so",
        "ten doanh nghiep",
        "doanh nghiep",
        "ten to chuc ca nhan",
        "to chuc ca nhan",
        "doi tuong kiem tra",
        "ten cua hang",
        "ten don vi",
    ),
    "tax_code": ("ma so thue", "mst", "ma so dn", "ma so doanh nghiep", "ma dn"),
    "address": ("dia chi", "dia chi co so", "dia chi kinh doanh", "dia diem"),
    "commune_code": ("ma xa", "ma xa phuong", "ma don vi hanh chinh", "ma dvhc"),
    "lat": ("vi do", "latitude"),
    "lon": ("kinh do", "longitude", "lng"),
    "platform": ("san", "san tmdt", "san thuong mai dien tu", "nen tang"),
    "listing_url": ("duong dan", "link", "url", "duong dan tin dang", "lien ket"),
    "seller": ("nguoi ban", "ten nguoi ban", "gian hang", "ten gian hang"),
    "product": ("san pham", "hang hoa", "ten hang hoa", "mat hang", "ten san pham"),
    "samples_tested": ("so mau", "so mau thu nghiem", "so mau da thu", "so mau lay"),
    "samples_failed": ("so mau khong dat", "mau khong dat"),
    "violations": ("ma vi pham", "ma hanh vi vi pham", "ma hanh vi"),
    "fine_vnd": ("so tien phat", "tien phat", "muc phat", "so tien xu phat", "tien xu phat"),
    "notes": ("ghi chu", "noi dung", "ket qua", "ket qua kiem tra"),
}

#: Rows looked at for the header (title rows above it).
HEADER_SEARCH_ROWS = 10
#: Sample values shown per column.
SAMPLES = 3
#: The most columns the mapping page offers (a sheet wider than this is read to its 100th column: no office
#: register has that many, and a hostile one of 16,384 would make a page of megabytes).
MAX_COLUMNS = 100

_PUNCTUATION = re.compile(r"[^a-z0-9 ]+")


def header_key(text: str) -> str:
    """A header as compared: ``"Mã số thuế (MST)"`` → ``"ma so thue mst"``."""
    return " ".join(_PUNCTUATION.sub(" ", fold(text)).split())


@functools.cache
def _lookup() -> dict[str, str]:
    from cases.transfer.importer import COLUMNS

    found = {column: column for column in COLUMNS}
    for column, names in SYNONYMS.items():
        for name in names:
            found.setdefault(name, column)
    return found


def recognise(header: str) -> str | None:
    """The import column a header means, or ``None``."""
    key = header_key(header)
    if not key:
        return None
    table = _lookup()
    if key in table:
        return table[key]
    # "Mã số thuế (MST)", "Ngày kiểm tra (dd/mm/yyyy)": a known header followed by a remark
    for known in _longest_first():
        if key.startswith(known + " "):
            return table[known]
    return None


@functools.cache
def _longest_first() -> list[str]:
    """The known headers of several words, the longest first (the most precise match wins)."""
    return sorted((k for k in _lookup() if " " in k), key=len, reverse=True)


@dataclass
class ColumnMapping:
    """How to read a sheet: its header row, the import column of each position read (the others are
    ignored), and a constant value of a column for every row (e.g. every row is an inspection)."""

    header_row: int = 1
    columns: dict[int, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)


def unread_headers(headers: list[str], mapping: ColumnMapping) -> list[str]:
    """The non-empty headers of a sheet that ``mapping`` reads no column of."""
    return [h for i, h in enumerate(headers) if h.strip() and i not in mapping.columns]


@dataclass
class Proposal:
    """What :func:`propose` read: the header row's cells, a few sample values under each, and the
    mapping it proposes (the columns it recognised)."""

    mapping: ColumnMapping
    headers: list[str]
    samples: list[list[str]]

    @property
    def ignored(self) -> list[str]:
        """The non-empty headers no import column was recognised in."""
        return unread_headers(self.headers, self.mapping)


def recognised_columns(headers: list[str]) -> dict[int, str]:
    """The import column of each header recognised, by position; a column recognised twice keeps its first
    place."""
    columns: dict[int, str] = {}
    for position, cell in enumerate(headers):
        column = recognise(cell)
        if column is not None and column not in columns.values():
            columns[position] = column
    return columns


def propose(table: list[tuple[int, list[str]]]) -> Proposal:
    """The header row (among the first rows, the one where most cells are recognised) and the import
    column of each of its cells; a column recognised twice keeps its first place."""
    best: tuple[int, int, dict[int, str]] | None = None  # (recognised, index in table, columns)
    for index, (_number, cells) in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns = recognised_columns(cells)
        if len(columns) >= 2 and (best is None or len(columns) > best[0]):
            best = (len(columns), index, columns)
    if best is None:
        return Proposal(ColumnMapping(header_row=table[0][0] if table else 1), [], [])
    _count, index, columns = best
    number, headers = table[index]
    below = [cells for _n, cells in table[index + 1 : index + 1 + SAMPLES]]
    samples = [[row[i] if i < len(row) else "" for row in below] for i in range(len(headers))]
    return Proposal(ColumnMapping(header_row=number, columns=columns), list(headers), samples)


def columns_at(table: list[tuple[int, list[str]]], header_row: int) -> tuple[list[str], list[list[str]]]:
    """The cells of the row numbered ``header_row`` and a few sample values under each (the first row when
    ``header_row`` is not one of the table's)."""
    index = next((i for i, (number, _cells) in enumerate(table) if number == header_row), 0)
    if not table:
        return [], []
    headers = list(table[index][1])
    below = [cells for _n, cells in table[index + 1 : index + 1 + SAMPLES]]
    width = max([len(headers), *(len(row) for row in below)])
    headers += [""] * (width - len(headers))
    samples = [[row[i] if i < len(row) else "" for row in below] for i in range(width)]
    while width and not headers[width - 1].strip() and not any(v.strip() for v in samples[width - 1]):
        width -= 1  # empty columns at the right
    width = min(width, MAX_COLUMNS)
    return headers[:width], samples[:width]


@dataclass(frozen=True)
class MappingProblem:
    """A fault of a mapping: ``target`` is the position of the column at fault, or the import column a
    constant would fill (a required column read from nowhere)."""

    target: int | str
    code: str  # duplicate_column, missing_column, unknown_column
    column: str


def mapping_problems(mapping: ColumnMapping, required: tuple[str, ...]) -> list[MappingProblem]:
    """Every fault of ``mapping`` at once: two columns read as one import column (each of them named), a
    required column neither read nor given a constant, an unknown import column."""
    from cases.transfer.importer import COLUMNS

    problems: list[MappingProblem] = []
    positions: dict[str, list[int]] = {}
    for position, column in sorted(mapping.columns.items()):
        if column not in COLUMNS:
            problems.append(MappingProblem(position, "unknown_column", column))
        else:
            positions.setdefault(column, []).append(position)
    for column, found in positions.items():
        if len(found) > 1:
            problems.extend(MappingProblem(p, "duplicate_column", column) for p in found)
    for column in mapping.constants:
        if column not in COLUMNS:
            problems.append(MappingProblem(column, "unknown_column", column))
    for column in required:
        if column not in positions and not (mapping.constants.get(column) or "").strip():
            problems.append(MappingProblem(column, "missing_column", column))
    return problems


@dataclass(frozen=True)
class HeaderMapping:
    """A mapping by the sheet's headers rather than positions (a saved one): ``pairs`` of (header, import
    column) and the constants. :meth:`resolve` finds them in a sheet of the same shape."""

    pairs: tuple[tuple[str, str], ...]
    constants: dict[str, str] = field(default_factory=dict)

    def resolve(self, table: list[tuple[int, list[str]]]) -> tuple[ColumnMapping, list[str], list[str]]:
        """The mapping for ``table`` (the header row: among the first rows, the one holding most of the
        headers), the header row's cells, and the saved headers not found in it."""
        wanted = {header_key(h) for h, _c in self.pairs if header_key(h)}
        best_number, best_count = (table[0][0] if table else 1), 0
        for number, cells in table[:HEADER_SEARCH_ROWS]:
            count = len(wanted & {header_key(c) for c in cells})
            if count > best_count:
                best_number, best_count = number, count
        headers, _samples = columns_at(table, best_number)
        keys = [header_key(h) for h in headers]
        columns: dict[int, str] = {}
        missing: list[str] = []
        for header, column in self.pairs:
            key = header_key(header)
            position = next((i for i, k in enumerate(keys) if k and k == key and i not in columns), None)
            if position is None:
                missing.append(header)
            else:
                columns[position] = column
        return ColumnMapping(best_number, columns, dict(self.constants)), headers, missing
