"""The import's former way of writing, one case at a time through the services, kept as the reference the
bulk writer (``cases/transfer/writer.py``) is compared with: ``create_case`` (audit entry included),
``create_establishment``, ORM samples and findings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from cases.db import db
from cases.enums import BusinessType, CaseKind, FindingStatus, ItemResult, OffenderType
from cases.models import Establishment, Finding, Sample, User
from cases.recording.campaigns import get_or_create_campaign
from cases.recording.establishments import create_establishment
from cases.recording.service import create_case
from cases.text import fold
from cases.transfer.writer import CONFIRMED_STATUSES, FIELD_LABELS_VI, CheckedRow


class OneByOneWriter:
    """Same interface as ``ImportWriter``; the code the importer ran before the bulk writer."""

    def __init__(self, *, actor: User) -> None:
        self.actor = actor
        self.current_row: CheckedRow | None = None
        self._by_tax_code: dict[str, Establishment] = {}
        self._by_name: dict[tuple[str, str], Establishment] = {}
        self._campaigns: dict[tuple[str, int], int] = {}

    def write(self, rows: list[CheckedRow], progress: Callable[[int], None] | None = None) -> list[str]:
        numbers = []
        for done, row in enumerate(rows, start=1):
            self.current_row = row
            numbers.append(self._create(row).number)
            if progress:
                progress(done)
        self.current_row = None
        return numbers

    def _establishment(self, row: CheckedRow) -> Establishment | None:
        name = row.establishment_name
        if not name:
            return None
        commune = row.data.commune_code or ""
        if row.tax_code:
            found = self._by_tax_code.get(row.tax_code) or db.session.scalar(
                select(Establishment).where(Establishment.tax_code == row.tax_code)
            )
            if found is not None:
                self._by_tax_code[row.tax_code] = found
                return found
        key = (fold(name), commune)
        found = self._by_name.get(key)
        if found is None:
            stmt = select(Establishment).where(
                Establishment.name_key == key[0], Establishment.commune_code == commune
            )
            if row.tax_code:
                stmt = stmt.where(Establishment.tax_code.is_(None))
            found = db.session.scalars(stmt.order_by(Establishment.id).limit(1)).first()
        if found is not None and (not row.tax_code or found.tax_code is None):
            if row.tax_code and found.tax_code is None:
                found.tax_code = row.tax_code
                self._by_tax_code[row.tax_code] = found
            self._by_name[key] = found
            return found
        created = create_establishment(
            actor=self.actor,
            name=name,
            tax_code=row.tax_code,
            business_type=(BusinessType.ENTERPRISE if row.tax_code else BusinessType.OTHER).value,
            address=row.data.address,
            commune_code=row.data.commune_code,
            latitude=row.data.latitude,
            longitude=row.data.longitude,
        )
        if row.tax_code:
            self._by_tax_code[row.tax_code] = created
        self._by_name[key] = created
        return created

    def _campaign_id(self, field_value: str, year: int) -> int:
        key = (field_value, year)
        if key not in self._campaigns:
            name = f"Khảo sát {FIELD_LABELS_VI[field_value]} {year}"
            self._campaigns[key] = get_or_create_campaign(name=name, year=year, field=field_value).id
        return self._campaigns[key]

    def _create(self, row: CheckedRow) -> Any:
        data = row.data
        establishment = self._establishment(row)
        data.establishment_id = establishment.id if establishment else None
        if data.kind == CaseKind.SURVEY and data.fields and data.opened_on:
            data.campaign_id = self._campaign_id(data.fields[0], data.opened_on.year)
        case = create_case(actor=self.actor, data=data, audit_action="import")
        for index in range(row.samples_tested):
            failed = index < row.samples_failed
            case.samples.append(
                Sample(
                    name=data.product or f"Mẫu {index + 1}",
                    establishment_id=data.establishment_id,
                    result=(ItemResult.FAIL if failed else ItemResult.PASS).value,
                )
            )
        confirmed = data.status in CONFIRMED_STATUSES
        has_tax_code = establishment is not None and establishment.tax_code is not None
        for index, violation_id in enumerate(row.violation_ids):
            case.findings.append(
                Finding(
                    violation_id=violation_id,
                    offender_type=(
                        OffenderType.ORGANISATION if has_tax_code else OffenderType.INDIVIDUAL
                    ).value,
                    status=(FindingStatus.CONFIRMED if confirmed else FindingStatus.PROPOSED).value,
                    decided_fine_vnd=row.fine_vnd if confirmed and index == 0 else None,
                    created_by_id=self.actor.id,
                )
            )
        return case
