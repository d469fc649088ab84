"""Helpers for the import/export tests: the sample file, files built from rows, wiping the cases."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import delete

from cases.db import db
from cases.transfer.importer import COLUMNS

SAMPLE = Path(__file__).parent / "data" / "import-sample.csv"

#: Tables emptied by :func:`wipe_cases` (the accounts and the reference data stay).
CASE_TABLES = {
    "case_record",
    "case_field",
    "case_team_member",
    "case_number_counter",
    "survey_campaign",
    "establishment",
    "instrument_check",
    "prepackaged_lot",
    "goods_item",
    "sample",
    "finding",
    "evidence_file",
}


def sample_bytes() -> bytes:
    return SAMPLE.read_bytes()


def sample_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(SAMPLE.read_text(encoding="utf-8-sig"))))


def csv_bytes(
    rows: Iterable[dict[str, Any]],
    columns: Iterable[str] = COLUMNS,
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> bytes:
    buffer = io.StringIO()
    columns = list(columns)
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def _typed(value: str) -> Any:
    """A cell as Excel would hold what a person typed: numbers as numbers, dates as dates."""
    if re.fullmatch(r"\d{1,12}", value):
        return int(value)
    if re.fullmatch(r"\d+\.\d+", value):
        return float(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.datetime.fromisoformat(value)
    return value or None


def xlsx_bytes(table: list[list[Any]], *, typed: bool = False) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in table:
        sheet.append([_typed(v) if typed and isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sample_as_xlsx() -> bytes:
    rows = sample_rows()
    table = [list(COLUMNS)] + [[row[c] for c in COLUMNS] for row in rows]
    return xlsx_bytes(table, typed=True)


def wipe_cases() -> None:
    """Empty the case tables (a fresh database, but the same accounts and reference data)."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name in CASE_TABLES:
            db.session.execute(delete(table))
    db.session.commit()
