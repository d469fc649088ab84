"""Writing the checked rows of an import in bulk (``cases/transfer/importer.py`` checks them first).

The cases come out as ``cases.recording.service.create_case`` would make them, one by one, but in a constant
number of statements whatever the number of rows:

* the establishments the rows name are read once (by tax code, and by folded name for the communes of
  the file), then found or created in memory with the importer's rules (tax code first, then the folded
  name in the same commune; a namesake with another tax code is another establishment; a tax code the
  record lacked is filled in);
* case numbers are reserved per (kind, year) with one ``UPDATE … RETURNING`` each
(``cases/recording/numbering.py``);
* ids are reserved (``cases/db/bulk_rows.py``), so children point at their parents before anything is
  inserted; establishments, cases, case fields, samples and findings are inserted in executemany batches;
* one hash-chained audit entry "import" per case, with the same content ``create_case`` records through
  ``cases.audit.trail.record`` (``cases.audit.trail.record_many``). Establishments get none, as when created
  by hand.

Flushes, never commits. A database error (a ref or tax code saved by somebody else meanwhile) propagates
as ``IntegrityError``; the caller rolls back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db import db
from cases.db.bulk_rows import insert_rows, reserve_ids
from cases.enums import BusinessType, CaseKind, CaseStatus, FindingStatus, ItemResult, OffenderType
from cases.errors import PermissionDenied
from cases.models import Case, CaseField, Commune, Establishment, Finding, FormerWard, Sample, User
from cases.recording.campaigns import get_or_create_campaign
from cases.recording.numbering import reserve_case_numbers
from cases.recording.rules import CaseInput, normalise_url, seller_key
from cases.recording.service import PLAIN_FIELDS, fold_search_key
from cases.text import fold

#: Findings of a case in these statuses are confirmed; otherwise they are proposed.
CONFIRMED_STATUSES = frozenset({CaseStatus.APPROVED.value, CaseStatus.CLOSED.value})

#: Field labels used in the names of the survey campaigns imported surveys go into.
FIELD_LABELS_VI: dict[str, str] = {
    "instruments": "phương tiện đo",
    "prepackaged": "hàng đóng gói sẵn",
    "quality": "chất lượng hàng hóa",
    "label": "nhãn hàng hóa",
    "barcode": "mã số mã vạch",
    "fuel": "xăng dầu",
    "gold": "vàng",
    "standards": "tiêu chuẩn, quy chuẩn",
}

#: Values per ``IN (…)`` when reading.
_LOOKUP_CHUNK = 500

_CASE_TABLE = Case.__table__
_ESTABLISHMENT_TABLE = cast(Table, Establishment.__table__)  # typed as any FromClause


@dataclass
class CheckedRow:
    """A data row once checked: what creating its case needs."""

    number: int
    ref: str
    data: CaseInput
    establishment_name: str | None = None
    tax_code: str | None = None
    samples_tested: int = 0
    samples_failed: int = 0
    violation_ids: list[int] = field(default_factory=list)
    fine_vnd: int | None = None


@dataclass(eq=False)
class _Establishment:
    """An establishment as the import sees it: read from the database, or to be created (``id`` None)."""

    id: int | None
    name: str
    tax_code: str | None
    values: dict[str, Any] | None = None  # the columns of one to create
    tax_code_filled: bool = False


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Establishments:
    """Finds or creates the establishment of each row, in row order, as the one-by-one import did."""

    def __init__(self, actor: User, rows: list[CheckedRow]) -> None:
        self.actor = actor
        self.by_tax_code: dict[str, _Establishment] = {}
        # (name_key, commune) → establishments in id order (the ones created here come last, in order)
        self.named: dict[tuple[str, str], list[_Establishment]] = defaultdict(list)
        self._chosen: dict[tuple[str, str], _Establishment] = {}
        self.created: list[_Establishment] = []
        self._load(rows)

    def _load(self, rows: list[CheckedRow]) -> None:
        named = [r for r in rows if r.establishment_name]
        tax_codes = sorted({r.tax_code for r in named if r.tax_code})
        name_keys = sorted({fold(r.establishment_name or "") for r in named})
        communes = {r.data.commune_code or "" for r in named}
        columns = (Establishment.id, Establishment.name, Establishment.tax_code)
        known: dict[int, _Establishment] = {}

        def known_one(row: Any) -> _Establishment:
            if row.id not in known:
                known[row.id] = _Establishment(row.id, row.name, row.tax_code)
            return known[row.id]

        for chunk in _chunks(tax_codes, _LOOKUP_CHUNK):
            for row in db.session.execute(select(*columns).where(Establishment.tax_code.in_(chunk))):
                self.by_tax_code[row.tax_code] = known_one(row)
        for chunk in _chunks(name_keys, _LOOKUP_CHUNK):
            stmt = (
                select(*columns, Establishment.name_key, Establishment.commune_code)
                .where(Establishment.name_key.in_(chunk))
                .order_by(Establishment.id)
            )
            for named_row in db.session.execute(stmt):
                if named_row.commune_code in communes:
                    self.named[(named_row.name_key, named_row.commune_code)].append(known_one(named_row))

    def find_or_create(self, row: CheckedRow) -> _Establishment | None:
        """By tax code, else by folded name in the same commune, else a new one."""
        name = row.establishment_name
        if not name:
            return None
        data = row.data
        if row.tax_code and (found := self.by_tax_code.get(row.tax_code)) is not None:
            return found
        key = (fold(name), data.commune_code or "")
        found = self._chosen.get(key)
        if found is None:
            candidates = self.named.get(key, [])
            if row.tax_code:  # a namesake with another tax code is another establishment
                candidates = [e for e in candidates if e.tax_code is None]
            found = candidates[0] if candidates else None
        if found is not None and (not row.tax_code or found.tax_code is None):
            if row.tax_code and found.tax_code is None:
                found.tax_code = row.tax_code  # the import knows the tax code the record lacked
                found.tax_code_filled = found.id is not None
                self.by_tax_code[row.tax_code] = found
            self._chosen[key] = found
            return found
        created = _Establishment(
            None,
            name,
            row.tax_code,
            values={
                "name": name,
                "name_key": key[0],
                "business_type": (BusinessType.ENTERPRISE if row.tax_code else BusinessType.OTHER).value,
                "address": data.address,
                "commune_code": data.commune_code,
                "latitude": data.latitude,
                "longitude": data.longitude,
                "representative": None,
                "phone": None,
                "created_by_id": self.actor.id,
            },
        )
        self.created.append(created)
        self.named[key].append(created)
        if row.tax_code:
            self.by_tax_code[row.tax_code] = created
        self._chosen[key] = created
        return created

    def save(self) -> None:
        """Insert the new establishments and fill the tax codes found."""
        for establishment, new_id in zip(
            self.created, reserve_ids(Establishment, len(self.created)), strict=True
        ):
            establishment.id = new_id
        _insert_plain(
            _ESTABLISHMENT_TABLE,
            ({**e.values, "id": e.id, "tax_code": e.tax_code} for e in self.created),  # type: ignore[dict-item]
        )
        filled = [
            {"b_id": e.id, "b_tax_code": e.tax_code}
            for e in {id(e): e for e in self.by_tax_code.values()}.values()
            if e.tax_code_filled
        ]
        if filled:
            db.session.connection().execute(
                update(_ESTABLISHMENT_TABLE)
                .where(_ESTABLISHMENT_TABLE.c.id == bindparam("b_id"))
                .values(tax_code=bindparam("b_tax_code")),
                filled,
            )


@dataclass
class _Planned:
    """A case to insert: its row, its columns, and the establishment it points at."""

    row: CheckedRow
    values: dict[str, Any]
    establishment: _Establishment | None
    offender_type: str


class ImportWriter:
    """Creates the cases of checked rows in bulk. ``progress(done)`` is called once per row prepared."""

    def __init__(self, *, actor: User) -> None:
        self.actor = actor
        self._campaigns: dict[tuple[str, int], int] = {}
        self.current_row: CheckedRow | None = None  # the row being prepared (for an error's row number)
        self.new_tax_codes: set[str] = set()  # of the establishments created or given a tax code

    def _campaign_id(self, field_value: str, year: int) -> int:
        key = (field_value, year)
        if key not in self._campaigns:
            name = f"Khảo sát {FIELD_LABELS_VI[field_value]} {year}"
            self._campaigns[key] = get_or_create_campaign(
                name=name, year=year, field=field_value, actor=self.actor
            ).id
        return self._campaigns[key]

    def write(self, rows: list[CheckedRow], progress: Callable[[int], None] | None = None) -> list[str]:
        """Create a case per row (in row order); their numbers in the same order."""
        if not rows:
            return []
        if not permissions.can_create_case(self.actor):
            raise PermissionDenied()
        # the audit chain's head is locked first, as ``cases.audit.trail.record`` would: concurrent writers
        # wait
        # for this transaction from here (on SQLite this takes the database's write lock, which the ids
        # reserved below rely on)
        audit.lock_chain_head()
        establishments = _Establishments(self.actor, rows)
        commune_names = {code: name for code, name in db.session.execute(select(Commune.code, Commune.name))}
        ward_districts = self._ward_districts(rows)
        numbers = self._numbers(rows)
        planned: list[_Planned] = []
        for done, (row, number) in enumerate(zip(rows, numbers, strict=True), start=1):
            self.current_row = row
            establishment = establishments.find_or_create(row)
            planned.append(self._plan(row, number, establishment, commune_names, ward_districts))
            if progress:
                progress(done)
        self.current_row = None
        self.new_tax_codes = {
            e.tax_code
            for e in [*establishments.created, *establishments.by_tax_code.values()]
            if e.tax_code and (e.id is None or e.tax_code_filled)
        }

        establishments.save()
        for plan in planned:
            if plan.establishment is not None:
                plan.values["establishment_id"] = plan.establishment.id
        case_ids = self._insert_cases([p.values for p in planned])
        self._insert_children(planned, case_ids)
        self._audit(planned, case_ids)
        return numbers

    @staticmethod
    def _ward_districts(rows: list[CheckedRow]) -> dict[str, str]:
        codes = sorted({r.data.former_ward_code for r in rows if r.data.former_ward_code})
        found: dict[str, str] = {}
        for chunk in _chunks(codes, _LOOKUP_CHUNK):
            stmt = select(FormerWard.code, FormerWard.district_code).where(FormerWard.code.in_(chunk))
            found.update((code, district) for code, district in db.session.execute(stmt))
        return found

    @staticmethod
    def _numbers(rows: list[CheckedRow]) -> list[str]:
        """Each row's case number: a block reserved per (kind, year), given out in row order."""
        keys = [(r.data.kind, r.data.opened_on.year) for r in rows]  # type: ignore[union-attr]
        counts: dict[tuple[str, int], int] = defaultdict(int)
        for key in keys:
            counts[key] += 1
        # in a fixed order, so that two imports lock the counters in the same order
        blocks = {
            (kind, year): iter(reserve_case_numbers(kind, year, n))
            for (kind, year), n in sorted(counts.items())
        }
        return [next(blocks[key]) for key in keys]

    def _plan(
        self,
        row: CheckedRow,
        number: str,
        establishment: _Establishment | None,
        commune_names: dict[str, str],
        ward_districts: dict[str, str],
    ) -> _Planned:
        data = row.data
        data.fields = sorted(set(data.fields or []))
        if data.kind == CaseKind.SURVEY and data.fields and data.opened_on:
            data.campaign_id = self._campaign_id(data.fields[0], data.opened_on.year)
        values: dict[str, Any] = {name: getattr(data, name) for name in PLAIN_FIELDS}
        values.update(
            kind=data.kind,
            status=data.status,
            number=number,
            created_by_id=self.actor.id,
            import_ref=data.import_ref,
            establishment_id=None,
            listing_url_key=normalise_url(data.listing_url) if data.listing_url else None,
            seller_key=seller_key(data.platform, data.seller_platform_id, data.seller_name),
            former_district_code=ward_districts.get(data.former_ward_code) if data.former_ward_code else None,
            version=1,
        )
        values["search_key"] = fold_search_key(
            {
                **values,
                "establishment_name": establishment.name if establishment else None,
                "tax_code": establishment.tax_code if establishment else None,
                "commune_name": commune_names.get(data.commune_code or ""),
            }
        )
        has_tax_code = establishment is not None and establishment.tax_code is not None
        offender = OffenderType.ORGANISATION if has_tax_code else OffenderType.INDIVIDUAL
        return _Planned(row, values, establishment, offender.value)

    @staticmethod
    def _insert_cases(values: list[dict[str, Any]]) -> list[int]:
        ids = reserve_ids(Case, len(values))
        for row, case_id in zip(values, ids, strict=True):
            row["id"] = case_id
        _insert_plain(_CASE_TABLE, values)
        return ids

    def _insert_children(self, planned: list[_Planned], case_ids: list[int]) -> None:
        fields: list[dict[str, Any]] = []
        samples: list[dict[str, Any]] = []
        findings: list[dict[str, Any]] = []
        for plan, case_id in zip(planned, case_ids, strict=True):
            row, values = plan.row, plan.values
            fields.extend({"case_id": case_id, "field": f} for f in row.data.fields)
            for index in range(row.samples_tested):
                failed = index < row.samples_failed
                samples.append(
                    {
                        "case_id": case_id,
                        "name": values["product"] or f"Mẫu {index + 1}",
                        "establishment_id": values["establishment_id"],
                        "result": (ItemResult.FAIL if failed else ItemResult.PASS).value,
                    }
                )
            confirmed = values["status"] in CONFIRMED_STATUSES
            for index, violation_id in enumerate(row.violation_ids):
                findings.append(
                    {
                        "case_id": case_id,
                        "violation_id": violation_id,
                        "offender_type": plan.offender_type,
                        "status": (FindingStatus.CONFIRMED if confirmed else FindingStatus.PROPOSED).value,
                        "decided_fine_vnd": row.fine_vnd if confirmed and index == 0 else None,
                        "created_by_id": self.actor.id,
                        "version": 1,
                    }
                )
        for model, params in ((CaseField, fields), (Sample, samples), (Finding, findings)):
            _insert_plain(model.__table__, params)

    def _audit(self, planned: list[_Planned], case_ids: list[int]) -> None:
        """One entry "import" per case, with the changes ``create_case`` records (everything from nothing)."""
        entries = []
        for plan, case_id in zip(planned, case_ids, strict=True):
            after = audit.case_snapshot_values(plan.values, fields=plan.row.data.fields, team_ids=[])
            changes = audit.creation_changes(after)
            entries.append(
                audit.BulkEntry(case_id=case_id, entity_type="case", entity_id=case_id, changes=changes)
            )
        audit.record_many(self.actor, "import", entries)


def _insert_plain(table: Any, params: Iterable[dict[str, Any]]) -> None:
    """Insert rows (dicts with the same keys) in batches."""
    insert_rows(table, list(params))
