"""Loading the reference data: administrative units, the violation catalog, the plan's tasks, the
dated versions of the official documents, the sanctioning authority and the fields' maximum fines.

Every loader is idempotent: it matches rows by code, inserts what is missing and reports what it did.
The session is flushed, never committed: the caller (CLI command or test) owns the transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import select

from cases.db import Model, db
from cases.enums import CommuneType, FormerDistrictType, FormerWardType
from cases.models import (
    Commune,
    DocumentTemplate,
    FieldFineMaximum,
    FormerDistrict,
    FormerWard,
    FormerWardCommune,
    PlanTask,
    RiskWeight,
    RiskWeightVersion,
    SanctionAuthority,
    Violation,
)
from cases.models.geo import LAST_DAY_BEFORE_REFORM, REFORM_DATE
from cases.text import fold

DATA_DIR = Path(__file__).parent.parent / "data"

#: Province keys in the package: today's An Giang, and the two former provinces it was formed from.
NEW_PROVINCE_KEY = "tinhangiang"
FORMER_PROVINCE_KEYS = ("tinhangiang", "tinhkiengiang")

_COMMUNE_TYPES = {"Phường": CommuneType.WARD, "Xã": CommuneType.COMMUNE, "Đặc khu": CommuneType.SPECIAL_ZONE}
_DISTRICT_TYPES = {
    "Thành phố": FormerDistrictType.CITY,
    "Thị xã": FormerDistrictType.TOWN,
    "Huyện": FormerDistrictType.DISTRICT,
}
_WARD_TYPES = {
    "Phường": FormerWardType.WARD,
    "Thị trấn": FormerWardType.TOWNSHIP,
    "Xã": FormerWardType.COMMUNE,
}


@dataclass
class LoadResult:
    """What a loader did, by table: rows inserted, updated and left as they were."""

    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, table: str, outcome: str) -> None:
        bucket = getattr(self, outcome)
        bucket[table] = bucket.get(table, 0) + 1

    @property
    def changed(self) -> bool:
        return any(self.inserted.values()) or any(self.updated.values())

    def merge(self, other: LoadResult) -> LoadResult:
        for outcome in ("inserted", "updated", "unchanged"):
            for table, n in getattr(other, outcome).items():
                getattr(self, outcome)[table] = getattr(self, outcome).get(table, 0) + n
        return self

    def tables(self) -> list[str]:
        return sorted(set(self.inserted) | set(self.updated) | set(self.unchanged))


def _upsert(
    result: LoadResult,
    model: type[Model],
    key: tuple[str, ...],
    rows: Iterable[Mapping[str, Any]],
    *,
    update: bool = True,
    keep_when_empty: tuple[str, ...] = (),
) -> None:
    """Insert or update ``rows`` of ``model`` matched on the ``key`` columns."""
    table = model.__tablename__
    existing = {tuple(getattr(obj, k) for k in key): obj for obj in db.session.scalars(select(model))}
    for row in rows:
        obj = existing.get(tuple(row[k] for k in key))
        if obj is None:
            db.session.add(model(**row))
            result.count(table, "inserted")
            continue
        changed = False
        if update:
            for name, value in row.items():
                if value is None and name in keep_when_empty:
                    continue
                if getattr(obj, name) != value:
                    setattr(obj, name, value)
                    changed = True
        result.count(table, "updated" if changed else "unchanged")
    db.session.flush()


# --- administrative units -------------------------------------------------------------------------


def _package_query(sql: str) -> list[dict[str, Any]]:
    from vietnamadminunits.database import query  # light: a sqlite3 read of the package's data

    return query(sql)


def _converter_data() -> dict[str, Any]:
    path = resources.files("vietnamadminunits") / "data" / "converter_2025.json"
    return json.loads(path.read_text(encoding="utf-8"))


def admin_unit_rows() -> dict[str, list[dict[str, Any]]]:
    """Read today's communes, the former districts and wards, and the mapping from the package."""
    new_units = _package_query(
        "SELECT wardCode, ward, wardShort, wardType, wardLat, wardLon, wardAreaKm2, wardKey "
        f"FROM admin_units WHERE provinceKey = '{NEW_PROVINCE_KEY}' ORDER BY wardCode"
    )
    keys = ",".join(f"'{k}'" for k in FORMER_PROVINCE_KEYS)
    legacy = _package_query(
        "SELECT provinceKey, provinceCode, province, districtCode, district, districtShort, districtType, "
        "districtLat, districtLon, districtKey, "
        "wardCode, ward, wardShort, wardType, wardLat, wardLon, wardKey "
        f"FROM admin_units_legacy WHERE provinceKey IN ({keys}) ORDER BY wardCode"
    )
    communes = [
        {
            "code": u["wardCode"],
            "name": u["ward"],
            "short_name": u["wardShort"],
            "unit_type": _COMMUNE_TYPES[u["wardType"]].value,
            "search_key": fold(u["ward"]),
            "latitude": u["wardLat"],
            "longitude": u["wardLon"],
            "area_km2": u["wardAreaKm2"],
            "valid_from": REFORM_DATE,
            "valid_to": None,
        }
        for u in new_units
    ]
    districts: dict[str, dict[str, Any]] = {}
    wards = []
    for u in legacy:
        districts.setdefault(
            u["districtCode"],
            {
                "code": u["districtCode"],
                "name": u["district"],
                "short_name": u["districtShort"],
                "unit_type": _DISTRICT_TYPES[u["districtType"]].value,
                "province_code": u["provinceCode"],
                "province_name": u["province"],
                "search_key": fold(u["district"]),
                "latitude": u["districtLat"],
                "longitude": u["districtLon"],
                "valid_from": None,
                "valid_to": LAST_DAY_BEFORE_REFORM,
            },
        )
        wards.append(
            {
                "code": u["wardCode"],
                "name": u["ward"],
                "short_name": u["wardShort"],
                "unit_type": _WARD_TYPES[u["wardType"]].value,
                "district_code": u["districtCode"],
                "search_key": fold(u["ward"]),
                "latitude": u["wardLat"],
                "longitude": u["wardLon"],
                "valid_from": None,
                "valid_to": LAST_DAY_BEFORE_REFORM,
            }
        )

    commune_by_key = {u["wardKey"]: u["wardCode"] for u in new_units}
    ward_by_key = {f"{u['provinceKey']}_{u['districtKey']}_{u['wardKey']}": u["wardCode"] for u in legacy}
    converter = _converter_data()
    mapping = []
    for new_key, old_keys in converter["DICT_PROVINCE_WARD_NO_DIVIDED"][NEW_PROVINCE_KEY].items():
        for old_key in old_keys:
            mapping.append(
                {
                    "former_ward_code": ward_by_key[old_key],
                    "commune_code": commune_by_key[new_key],
                    "is_default": True,
                    "is_split": False,
                }
            )
    for old_key, candidates in converter["DICT_PROVINCE_WARD_DIVIDED"].get(NEW_PROVINCE_KEY, {}).items():
        for cand in candidates:
            mapping.append(
                {
                    "former_ward_code": ward_by_key[old_key],
                    "commune_code": commune_by_key[cand["newWardKey"]],
                    "is_default": bool(cand["isDefaultNewWard"]),
                    "is_split": True,
                }
            )
    return {
        "commune": communes,
        "former_district": sorted(districts.values(), key=lambda d: d["code"]),
        "former_ward": wards,
        "former_ward_commune": mapping,
    }


#: Reference data read once per process and database, sorted and shaped as the app uses them: the
#: communes' reference points (5 ms, on every case page with a GPS point) and the communes, former wards
#: and former districts in Vietnamese order (the lists and forms: 4.7 ms for the communes alone, most of it
#: folding and sorting their names). They change only when the reference data are loaded again
#: (:func:`load_admin_units`, which calls :func:`forget_reference_points`); ``cases.geography.places``
#: reads them through :func:`reference_cached`.
_REFERENCE_CACHE: dict[tuple[str, str], Any] = {}


def reference_cached(name: str, read: Any) -> Any:
    key = (db.engine.url.render_as_string(hide_password=True), name)
    cached = _REFERENCE_CACHE.get(key)
    if cached is None:
        cached = read()
        if cached:  # reference data not loaded yet: read again next time
            _REFERENCE_CACHE[key] = cached
    return cached


def forget_reference_points() -> None:
    """Drop the cached reference data (after the communes or former wards were loaded again)."""
    _REFERENCE_CACHE.clear()


def load_admin_units() -> LoadResult:
    rows = admin_unit_rows()
    result = LoadResult()
    _upsert(result, Commune, ("code",), rows["commune"])
    _upsert(result, FormerDistrict, ("code",), rows["former_district"])
    _upsert(result, FormerWard, ("code",), rows["former_ward"])
    _upsert(result, FormerWardCommune, ("former_ward_code", "commune_code"), rows["former_ward_commune"])
    forget_reference_points()
    return result


# --- violation catalog and plan tasks ------------------------------------------------------------


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _int_or_none(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value else None


def _str_or_none(value: str) -> str | None:
    value = (value or "").strip()
    return value or None


def violation_rows() -> list[dict[str, Any]]:
    return [
        {
            "code": r["code"],
            "group_name": r["group"],
            "field": r["field"],
            "description": r["description_vi"],
            "legal_basis": r["legal_basis"],
            "fine_individual_min": _int_or_none(r["fine_individual_min_vnd"]),
            "fine_individual_max": _int_or_none(r["fine_individual_max_vnd"]),
            "tiered_by": _str_or_none(r["tiered_by"]),
            "tiers": _str_or_none(r["tiers_vi"]),
            "remedies": _str_or_none(r["remedies_vi"]),
            "confidence": r["confidence"],
            "confidence_note": _str_or_none(r["confidence_note"]),
            "search_key": fold(f"{r['code']} {r['group']} {r['description_vi']}"),
        }
        for r in _read_csv("violations.csv")
    ]


def plan_task_rows() -> list[dict[str, Any]]:
    return [
        {
            "code": r["code"],
            "task_group": r["task_group"],
            "sort_order": int(r["sort_order"]),
            "content": r["content"],
            "lead_unit": r["lead_unit"],
            "coordinating_units": _str_or_none(r["coordinating_units"]),
            "timing": r["timing"],
            "target_text": _str_or_none(r["target_text"]),
            "target_following_years": _str_or_none(r["target_following_years"]),
            "target_value": _int_or_none(r["target_value"]),
            "target_unit": _str_or_none(r["target_unit"]),
            "target_measure": r["target_measure"],
            "cumulative_from": _int_or_none(r["cumulative_from"]),
            "cumulative_to": _int_or_none(r["cumulative_to"]),
            "actual_source": r["actual_source"],
            "counts_activity_types": _str_or_none(r["counts_activity_types"]),
        }
        for r in _read_csv("plan_tasks.csv")
    ]


def _date_or_none(value: str) -> dt.date | None:
    value = (value or "").strip()
    return dt.date.fromisoformat(value) if value else None


def document_template_rows() -> list[dict[str, Any]]:
    """The dated versions of each document type (``document_templates.csv``; the legal bases one per
    line)."""
    return [
        {
            "doc_type": r["doc_type"],
            "version_label": r["version_label"],
            "effective_from": dt.date.fromisoformat(r["effective_from"]),
            "effective_to": _date_or_none(r["effective_to"]),
            "form_code": _str_or_none(r["form_code"]),
            "title": r["title"],
            "legal_bases": "\n".join(line.strip() for line in r["legal_bases"].splitlines() if line.strip()),
            "number_pattern": r["number_pattern"],
            "confidence": r["confidence"],
            "confidence_note": _str_or_none(r["confidence_note"]),
        }
        for r in _read_csv("document_templates.csv")
    ]


def sanction_authority_rows() -> list[dict[str, Any]]:
    """Who may fine how much, by date (``sanction_authorities.csv``, Decree 189/2025)."""
    return [
        {
            "code": r["code"],
            "title": r["title"],
            "percent_of_maximum": int(r["percent_of_maximum"]),
            "valid_from": dt.date.fromisoformat(r["valid_from"]),
            "valid_to": _date_or_none(r["valid_to"]),
            "legal_basis": r["legal_basis"],
            "confidence": r["confidence"],
            "confidence_note": _str_or_none(r["confidence_note"]),
        }
        for r in _read_csv("sanction_authorities.csv")
    ]


def field_fine_maximum_rows() -> list[dict[str, Any]]:
    """The maximum fine of the fields the sources give it for (``field_fine_maxima.csv``)."""
    return [
        {
            "field": r["field"],
            "individual_max_vnd": int(r["individual_max_vnd"]),
            "organisation_max_vnd": int(r["organisation_max_vnd"]),
            "legal_basis": r["legal_basis"],
            "confidence": r["confidence"],
            "confidence_note": _str_or_none(r["confidence_note"]),
        }
        for r in _read_csv("field_fine_maxima.csv")
    ]


def risk_weight_rows() -> list[dict[str, Any]]:
    """The first version of the risk score's weights (``risk_weights.csv``)."""
    return [
        {"component": r["component"], "item": r["item"], "points": int(r["points"])}
        for r in _read_csv("risk_weights.csv")
    ]


def _seed_risk_weights(result: LoadResult) -> None:
    """Version 1 of the weights, when there is no version yet. The versions belong to the administrators
    afterwards (each save a new one): ``--update`` leaves them alone."""
    if db.session.scalar(select(RiskWeightVersion.id).limit(1)) is not None:
        result.unchanged["risk_weight_version"] = result.unchanged.get("risk_weight_version", 0) + 1
        return
    version = RiskWeightVersion(
        number=1, effective_from=dt.date(2025, 1, 1), note="risk_weights.csv (seed-reference)"
    )
    version.weights = [RiskWeight(**row) for row in risk_weight_rows()]
    db.session.add(version)
    db.session.flush()
    result.inserted["risk_weight_version"] = 1
    result.inserted["risk_weight"] = len(version.weights)


def load_catalog(*, update: bool = False) -> LoadResult:
    """Load the violation catalog, the plan's tasks, the document templates, the sanctioning authority
    and the fields' maximum fines.

    Existing rows belong to the administrators and are left alone unless ``update`` is true; even then a
    fine amount an administrator set is kept where the file has none.
    """
    result = LoadResult()
    _upsert(
        result,
        Violation,
        ("code",),
        violation_rows(),
        update=update,
        keep_when_empty=("fine_individual_min", "fine_individual_max", "remedies", "tiered_by", "tiers"),
    )
    _upsert(result, PlanTask, ("code",), plan_task_rows(), update=update)
    _upsert(result, DocumentTemplate, ("doc_type", "effective_from"), document_template_rows(), update=update)
    _upsert(result, SanctionAuthority, ("code", "valid_from"), sanction_authority_rows(), update=update)
    _upsert(result, FieldFineMaximum, ("field",), field_fine_maximum_rows(), update=update)
    _seed_risk_weights(result)
    return result


def load_all(*, update: bool = False) -> LoadResult:
    return load_admin_units().merge(load_catalog(update=update))
