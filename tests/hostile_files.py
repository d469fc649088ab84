"""Hostile import files (issue 15, item 3), built with zipfile and streamed: a few kilobytes each.

Shared by ``tests/unit/test_import_bounds.py`` and ``benchmarks/hostile_inputs.py`` (the figures of
docs/security.md).
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Iterable

_PKG = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
CT = (
    f'{_XML}<Types xmlns="{_PKG}/content-types">'
    f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_SHEET_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SHEET_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SHEET_TYPE}.sharedStrings+xml"/></Types>'
)
RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WB = (
    f'{_XML}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{_OFFICE}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WB_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_OFFICE}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEADER = ["ref", "case_type", "opened_on", "status", "commune_code"]


def _col(i: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i]


def _inline_row(r: int, values: list[str]) -> str:
    cells = "".join(
        f'<c r="{_col(i)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values)
    )
    return f'<row r="{r}">{cells}</row>'


EMPTY_SHARED = b"<sst " + NS.encode() + b' count="0" uniqueCount="0"></sst>'


def workbook(sheet_rows: Iterable[str], *, dimension: str = "A1:E1", shared: bytes = EMPTY_SHARED) -> bytes:
    """``sheet_rows``: an iterable of XML text pieces (rows), streamed into the zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WB)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/sharedStrings.xml", shared)
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            start = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><dimension ref="{dimension}"/>'
            fh.write((start + "<sheetData>").encode())
            buf = []
            for piece in sheet_rows:
                buf.append(piece)
                if len(buf) >= 10000:
                    fh.write("".join(buf).encode())
                    buf = []
            fh.write("".join(buf).encode())
            fh.write(b"</sheetData></worksheet>")
    return out.getvalue()


def claims_a_million_rows() -> bytes:
    """The header only, and a dimension that claims 1,000,000 rows of 22 columns."""
    return workbook([_inline_row(1, HEADER)], dimension="A1:V1000000")


@functools.lru_cache(maxsize=2)
def a_million_empty_rows(count: int = 1_000_000) -> bytes:
    """The header, then ``count`` empty row elements (and a dimension that claims them)."""
    rows = (f'<row r="{r}"/>' for r in range(2, count + 2))
    return workbook([_inline_row(1, HEADER), *rows], dimension=f"A1:V{count + 1}")


def many_data_rows(n: int) -> bytes:
    return workbook(
        [
            _inline_row(1, HEADER),
            *(
                _inline_row(r, [f"R{r}", "inspection", "2026-01-01", "draft", "30742"])
                for r in range(2, n + 2)
            ),
        ],
        dimension=f"A1:E{n + 1}",
    )


@functools.lru_cache(maxsize=4)
def huge_shared_strings(count: int = 500_000, length: int = 100) -> bytes:
    """A sheet with one row, and a shared-strings table of ``count`` strings of ``length`` characters
    (by default 50 MB of text in a file of 200 KB)."""
    sst = "".join(f"<si><t>{'x' * length}</t></si>" for _ in range(count))
    shared = f'<sst {NS} count="{count}" uniqueCount="{count}">{sst}</sst>'.encode()
    return workbook([_inline_row(1, HEADER)], shared=shared)


def error_rows_csv(n: int) -> bytes:
    """``n`` rows of a CSV with problems in several cells each (7 errors a row: date, status, commune…)."""
    head = "ref,case_type,opened_on,status,commune_code,samples_tested\n"
    body = "".join(f"E{r},inspection,31/02/2026,unknown,99999,abc\n" for r in range(n))
    return (head + body).encode()


VALID_HEADER = ["ref", "case_type", "field", "mode", "opened_on", "status", "establishment", "commune_code"]


def valid_rows_xlsx(n: int) -> bytes:
    """``n`` valid inspection rows (each of its own establishment): what an import may hold at most."""
    rows = (
        _inline_row(
            r, [f"V{r}", "inspection", "fuel", "planned", "2026-01-05", "draft", f"Cơ sở {r}", "30742"]
        )
        for r in range(2, n + 2)
    )
    return workbook([_inline_row(1, VALID_HEADER), *rows], dimension=f"A1:H{n + 1}")
