"""Export of a filtered case list in the import format (CSV or Excel), so that an export re-imports.

``export_rows`` runs ONE query (the list's filters and the user's scope from ``case_list_query``, plus
correlated aggregate subqueries for the field, the samples, the violations and the fines), streamed with
``yield_per``: the number of queries does not grow with the number of cases.

Text cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return) get a leading apostrophe in both formats; the importer removes exactly that apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

from sqlalchemy import Select, func, select

from cases.db import db
from cases.enums import FindingStatus, ItemResult
from cases.models import Case, CaseField, Establishment, Finding, Sample, Violation
from cases.recording.queries import CaseFilters, filter_cases
from cases.transfer.importer import COLUMNS, needs_formula_escape

#: Cases fetched from the database at a time.
BATCH_SIZE = 500
#: Findings written to the ``violations`` column (dismissed ones are left out).
_EXPORTED_FINDINGS = (FindingStatus.CONFIRMED.value, FindingStatus.PROPOSED.value)


def _aggregates() -> dict[str, Any]:
    """Correlated scalar subqueries, one value per case."""
    fields = (
        select(func.aggregate_strings(CaseField.field, ";"))
        .where(CaseField.case_id == Case.id)
        .scalar_subquery()
    )
    tested = (
        select(func.count(Sample.id))
        .where(Sample.case_id == Case.id, Sample.result.in_([ItemResult.PASS.value, ItemResult.FAIL.value]))
        .scalar_subquery()
    )
    failed = (
        select(func.count(Sample.id))
        .where(Sample.case_id == Case.id, Sample.result == ItemResult.FAIL.value)
        .scalar_subquery()
    )
    fine = (
        select(func.sum(Finding.decided_fine_vnd))
        .where(Finding.case_id == Case.id, Finding.status == FindingStatus.CONFIRMED.value)
        .scalar_subquery()
    )
    codes = (
        select(func.aggregate_strings(Violation.code, ";"))
        .select_from(Finding)
        .join(Violation, Violation.id == Finding.violation_id)
        .where(Finding.case_id == Case.id, Finding.status.in_(_EXPORTED_FINDINGS))
        .scalar_subquery()
    )
    return {
        "fields": fields.label("fields"),
        "tested": tested.label("samples_tested"),
        "failed": failed.label("samples_failed"),
        "fine": fine.label("fine_vnd"),
        "codes": codes.label("violation_codes"),
    }


def _iso(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def export_query(filters: CaseFilters, user: Any) -> Select[Any]:
    """The one statement behind the export: plain columns of each case and its establishment, and the
    aggregates (fields, samples tested and failed, fine, violation codes) — no ORM entities, which
    cost more than the rest of the export together."""
    agg = _aggregates()
    # newest first like the list, then by ref (not by id): an export re-imported elsewhere exports the same
    ref = func.coalesce(Case.import_ref, Case.number)
    stmt = select(
        ref.label("ref"),
        Case.kind,
        agg["fields"],
        Case.mode,
        Case.opened_on,
        Case.closed_on,
        Case.status,
        Establishment.name,
        Establishment.tax_code,
        Case.address,
        Case.commune_code,
        Case.latitude,
        Case.longitude,
        Case.platform,
        Case.listing_url,
        Case.seller_name,
        Case.seller_platform_id,
        Case.product,
        agg["tested"],
        agg["failed"],
        agg["codes"],
        agg["fine"],
        Case.notes,
    ).select_from(
        Case.__table__.outerjoin(Establishment.__table__, Establishment.id == Case.establishment_id)
    )
    return filter_cases(stmt, filters, user=user).order_by(Case.opened_on.desc(), ref, Case.id)


def export_rows(filters: CaseFilters, user: Any) -> Iterator[dict[str, Any]]:
    """The cases ``user`` may see matching ``filters``, as rows of the import format.

    Values are ``str`` except ``lat``/``lon`` (``float``) and the counts and fine (``int``); missing
    values are ``""``. ``ref`` is the case's import reference, else its number. The user's scope is
    read at once; the rows are fetched as they are consumed.
    """
    return _rows(export_query(filters, user))


def _rows(stmt: Select[Any]) -> Iterator[dict[str, Any]]:
    result = db.session.execute(stmt.execution_options(yield_per=BATCH_SIZE))
    try:
        for row in result:
            yield _row(*row)
    finally:
        result.close()  # a download cut short must not leave a server-side cursor open


def _row(
    ref: str,
    kind: str,
    fields: str | None,
    mode: str | None,
    opened_on: Any,
    closed_on: Any,
    status: str,
    establishment: str | None,
    tax_code: str | None,
    address: str | None,
    commune_code: str,
    latitude: float | None,
    longitude: float | None,
    platform: str | None,
    listing_url: str | None,
    seller_name: str | None,
    seller_platform_id: str | None,
    product: str | None,
    tested: Any,
    failed: Any,
    codes: str | None,
    fine: Any,
    notes: str | None,
) -> dict[str, Any]:
    return {
        "ref": ref,
        "case_type": kind,
        "field": _codes(fields),
        "mode": mode or "",
        "opened_on": _iso(opened_on),
        "closed_on": _iso(closed_on),
        "status": status,
        "establishment": establishment or "",
        "tax_code": tax_code or "",
        "address": address or "",
        "commune_code": commune_code,
        "lat": latitude if latitude is not None else "",
        "lon": longitude if longitude is not None else "",
        "platform": platform or "",
        "listing_url": listing_url or "",
        "seller": seller_name or seller_platform_id or "",
        "product": product or "",
        "samples_tested": tested or "",
        "samples_failed": failed if tested else "",
        "violations": _codes(codes),
        "fine_vnd": int(fine) if fine is not None else "",
        "notes": notes or "",
    }


def _codes(joined: str | None) -> str:
    """Codes aggregated in no particular order ("label;fuel"), sorted ("fuel;label")."""
    return ";".join(sorted(c for c in joined.split(";") if c)) if joined else ""


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first) gets a leading
    apostrophe, and so does text typed with apostrophes before such a character; other values are kept."""
    if isinstance(value, str) and needs_formula_escape(value):
        return "'" + value
    return value


def _csv_text(value: Any) -> str:
    if value.__class__ is str:  # most cells: straight to the formula guard
        return neutralise(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(neutralise(value))


def csv_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The CSV text in pieces (a BOM and the header first, then one piece per row), for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_csv_text(row.get(column)) for column in COLUMNS])
        yield buffer.getvalue()


def write_csv(rows: Iterable[dict[str, Any]], fh: IO[str]) -> int:
    """Write UTF-8 CSV with a BOM (so that Excel reads the Vietnamese right), header first.

    ``fh`` is a text file opened with ``newline=""`` (and ``encoding="utf-8"``). Returns the number of rows.
    """
    count = -1
    for count, chunk in enumerate(csv_chunks(rows)):  # noqa: B007
        fh.write(chunk)
    return count


def _xlsx_value(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value == "" or value is None:
        return None
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def write_xlsx(rows: Iterable[dict[str, Any]], path_or_fh: Any) -> int:
    """Write an Excel workbook (one sheet, header first) in openpyxl's streaming write-only mode.

    Codes, dates and references are text cells; coordinates, counts and fines are numbers. Control
    characters Excel refuses are dropped. Returns the number of rows.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("ho_so")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([_xlsx_value(row.get(column)) for column in COLUMNS])
        count += 1
    workbook.save(path_or_fh)
    return count
