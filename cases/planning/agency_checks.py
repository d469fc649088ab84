"""Other agencies' checks (QLTT, health, agriculture…), imported from a CSV: they count for the once-a-year
rule and the score's time since the last check. Every bad row is reported (row, column, code) and nothing is
written unless every row is good.

The file: UTF-8 (a BOM allowed), comma-separated, a header with ``tax_code`` or ``establishment_id`` (one of
them per row), ``agency``, ``checked_on`` (``DD/MM/YYYY`` or ISO) and ``content`` (optional).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from sqlalchemy import select

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db import db
from cases.db.ids import get_row
from cases.errors import PermissionDenied, ValidationFailed
from cases.models import AgencyCheck, Establishment, User
from cases.text import clean_text

COLUMNS = ("tax_code", "establishment_id", "agency", "checked_on", "content")


@dataclass(frozen=True)
class RowProblem:
    row: int  # the file's line (the header is line 1)
    column: str
    code: str


@dataclass
class AgencyImportResult:
    imported: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def _date(value: str) -> dt.date | None:
    value = value.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def import_agency_checks(*, actor: User, content: bytes, today: dt.date | None = None) -> AgencyImportResult:
    """Import the checks of a CSV file: all of them, or none (then every problem is listed)."""
    if not permissions.can_import_cases(actor):
        raise PermissionDenied()
    today = today or dt.date.today()
    result = AgencyImportResult()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.problems.append(RowProblem(1, "", "agency_file_not_utf8"))
        return result
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    for needed in ("agency", "checked_on"):
        if needed not in header:
            result.problems.append(RowProblem(1, needed, "agency_column_missing"))
    if "tax_code" not in header and "establishment_id" not in header:
        result.problems.append(RowProblem(1, "tax_code", "agency_column_missing"))
    if result.problems:
        return result
    by_tax = {
        tax: eid for tax, eid in db.session.execute(select(Establishment.tax_code, Establishment.id)) if tax
    }
    rows: list[AgencyCheck] = []
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        eid: int | None = None
        if row.get("establishment_id"):
            number = int(row["establishment_id"]) if row["establishment_id"].isdigit() else None
            if number is None or get_row(Establishment, number) is None:
                result.problems.append(RowProblem(line, "establishment_id", "unknown_establishment"))
            else:
                eid = number
        elif row.get("tax_code"):
            eid = by_tax.get(row["tax_code"])
            if eid is None:
                result.problems.append(RowProblem(line, "tax_code", "unknown_establishment"))
        else:
            result.problems.append(RowProblem(line, "tax_code", "required"))
        try:
            agency = clean_text(row.get("agency"), "agency", 255, required=True)
        except ValidationFailed as exc:
            result.problems.append(RowProblem(line, "agency", exc.code))
            agency = None
        checked_on = _date(row.get("checked_on", ""))
        if not row.get("checked_on"):
            result.problems.append(RowProblem(line, "checked_on", "required"))
        elif checked_on is None:
            result.problems.append(RowProblem(line, "checked_on", "agency_invalid_date"))
        elif checked_on > today:
            result.problems.append(RowProblem(line, "checked_on", "date_in_future"))
        elif checked_on.year < 2000:
            result.problems.append(RowProblem(line, "checked_on", "date_too_old"))
        try:
            note = clean_text(row.get("content"), "content", 10000, multiline=True)
        except ValidationFailed as exc:
            result.problems.append(RowProblem(line, "content", exc.code))
            note = None
        if eid is not None and agency and checked_on is not None:
            rows.append(
                AgencyCheck(
                    establishment_id=eid,
                    agency=agency,
                    checked_on=checked_on,
                    content=note,
                    created_by_id=actor.id,
                )
            )
    if result.problems:
        return result
    if not rows:
        result.problems.append(RowProblem(1, "", "agency_file_empty"))
        return result
    db.session.add_all(rows)
    db.session.flush()
    for check in rows:
        audit.record(actor, "import", entity=check, changes=audit.diff({}, audit.snapshot(check)))
    result.imported = len(rows)
    return result
