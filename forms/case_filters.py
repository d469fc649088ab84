"""Reading the case-list filters from a URL's query string (shared by the list, the export and the CLI)."""

from __future__ import annotations

from collections.abc import Mapping

from cases.enums import CASE_FIELDS, CaseKind, CaseStatus
from cases.recording.queries import FINE_FILTERS, CaseFilters
from cases.rendering.formatting import parse_date


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _year(value: str | None) -> int | None:
    year = _int(value)
    return year if year and 2000 <= year <= 2100 else None


def parse_case_filters(args: Mapping[str, str]) -> CaseFilters:
    """Unknown or malformed values are ignored (a list never fails because of its URL)."""
    kind = args.get("kind") or None
    status = args.get("status") or None
    field = args.get("field") or None
    commune = (args.get("commune_code") or "").strip()
    district = (args.get("former_district_code") or "").strip()
    year, month, fine = _year(args.get("year")), _int(args.get("month")), args.get("fine")
    return CaseFilters(
        q=(args.get("q") or "").strip()[:200] or None,
        kind=kind if kind in {k.value for k in CaseKind} else None,
        status=status if status in {s.value for s in CaseStatus} else None,
        field=field if field in {f.value for f in CASE_FIELDS} else None,
        commune_code=commune if commune.isdigit() and len(commune) <= 10 else None,
        former_district_code=district if district.isdigit() and len(district) <= 10 else None,
        date_from=parse_date(args.get("date_from")),
        date_to=parse_date(args.get("date_to")),
        inspector_id=_int(args.get("inspector_id")),
        establishment_id=_int(args.get("establishment_id")),
        year=year,
        month=month if year and month and 1 <= month <= 12 else None,
        counted=_flag(args.get("counted")),
        has_violation=_flag(args.get("has_violation")),
        violation_group=(args.get("violation_group") or "").strip()[:200] or None,
        fine=fine if fine in FINE_FILTERS else None,
        overdue=_flag(args.get("overdue")),
        takedown_open=_flag(args.get("takedown_open")),
    )
