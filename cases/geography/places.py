"""Geography: today's communes, the former districts and wards, and commune suggestions.

Nothing here calls the network unless a geocoder is passed in explicitly.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from sqlalchemy import func, select

from cases.db import Model, db
from cases.errors import ValidationFailed
from cases.geography.reference import FORMER_PROVINCE_KEYS, NEW_PROVINCE_KEY, reference_cached
from cases.models import Commune, FormerDistrict, FormerWard, FormerWardCommune
from cases.text import fold

logger = logging.getLogger(__name__)


def list_communes() -> list[dict[str, Any]]:
    """All of today's communes, in Vietnamese alphabetical order of their short names."""
    return [dict(c) for c in reference_cached("communes", _read_communes)]


def _read_communes() -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(
            Commune.code,
            Commune.name,
            Commune.short_name,
            Commune.unit_type,
            Commune.latitude,
            Commune.longitude,
        )
    ).all()
    rows = sorted(rows, key=lambda r: (fold(r.short_name), r.short_name))
    return [
        {
            "code": r.code,
            "name": r.name,
            "short_name": r.short_name,
            "type": r.unit_type,
            "lat": r.latitude,
            "lon": r.longitude,
        }
        for r in rows
    ]


def commune_choices() -> list[tuple[str, str]]:
    """(code, name) pairs for select fields, sorted like :func:`list_communes`."""
    return [(c["code"], c["name"]) for c in reference_cached("communes", _read_communes)]


def reference_summary() -> dict[str, int]:
    def count(model: type[Model]) -> int:
        return db.session.scalar(select(func.count()).select_from(model)) or 0

    return {
        "communes": count(Commune),
        "former_districts": count(FormerDistrict),
        "former_wards": count(FormerWard),
        "mappings": count(FormerWardCommune),
    }


# --- suggestions: shared value types ---------------------------------------------------------------

AddressFormat = Literal["legacy", "2025"]
FORMAT_LEGACY: AddressFormat = "legacy"
FORMAT_2025: AddressFormat = "2025"


class UnitRef(NamedTuple):
    """An administrative unit by code and full name, e.g. ``UnitRef("30307", "Phường Long Xuyên")``."""

    code: str
    name: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name}


def _ref_or_none(ref: UnitRef | None) -> dict[str, str] | None:
    return ref.as_dict() if ref is not None else None


# --- from an address ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddressSuggestion:
    """Today's commune recognised in an address, and how it was recognised.

    ``address_format`` is ``"legacy"`` (ward, district, province: before 1 July 2025) or ``"2025"``
    (ward, province). A legacy address also gives the former ward and district. When the former ward
    was split between several communes, ``commune`` is the default one and ``candidates`` lists them
    all, default first; otherwise ``candidates`` is empty.
    """

    commune: UnitRef
    address_format: AddressFormat
    former_ward: UnitRef | None = None
    former_district: UnitRef | None = None
    street: str | None = None
    candidates: tuple[UnitRef, ...] = ()
    is_split: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": "address",
            "format": self.address_format,
            "commune": self.commune.as_dict(),
            "former_ward": _ref_or_none(self.former_ward),
            "former_district": _ref_or_none(self.former_district),
            "street": self.street,
            "candidates": [c.as_dict() for c in self.candidates],
            "split": self.is_split,
        }


#: "huyện", "thị xã", "thành phố", "quận" and their abbreviations, as written before the reform.
_DISTRICT_MARKER = re.compile(r"(?:^|[\s,.])(?:huyen|thi xa|thanh pho|quan|tp|tx|h\.)(?=[\s.]|$)")
#: A comma-separated part that starts with a commune-level type: a ward left unread by a parser.
_WARD_MARKER = re.compile(r"^(?:phuong|xa|thi tran|dac khu|tt|p|x)(?=[\s.]|$)")
#: A part that is nothing but a unit type or its abbreviation ("Xã", "P.", "TP").
_TYPE_ONLY = re.compile(r"^(?:phuong|xa|thi tran|dac khu|tt|p|x|huyen|thi xa|thanh pho|quan|tp|tx|h|q)\.?$")
_KIEN_GIANG = re.compile(r"\bkien giang\b")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_COUNTRY_KEYS = frozenset({"vietnam", "vn"})
_PROVINCE_PREFIXES = frozenset({"", "tinh", "thanhpho", "tp", "t"})
#: Longer input is refused (``check_address_length``; the API answers 400): no address is that long.
MAX_ADDRESS_LENGTH = 500


def check_address_length(address: str) -> None:
    """An address to recognise is at most ``MAX_ADDRESS_LENGTH`` characters (``address_too_long``)."""
    if len(address) > MAX_ADDRESS_LENGTH:
        raise ValidationFailed("address_too_long", field="address", max=MAX_ADDRESS_LENGTH)


def suggest_from_address(address: str) -> AddressSuggestion | None:
    """Recognise today's commune of An Giang in an address written in the old or the 2025 format.

    The package's parser only identifies the units; the commune comes from our tables (a legacy
    ward through the ``former_ward_commune`` mapping). Nothing here uses the network. Returns
    ``None`` for an empty, unrecognised or over-long address and for an address in another province.
    """
    text = " ".join((address or "").split())
    if not text.strip(" ,.;-") or len(text) > MAX_ADDRESS_LENGTH:
        return None
    hint = _named_province(text)
    if hint is not None and hint not in FORMER_PROVINCE_KEYS:
        return None  # the address names another province
    legacy = _first_legacy_match(text, hint)
    modern = _first_modern_match(text, hint)
    if legacy is not None and (modern is None or _prefers_legacy(text, legacy, modern)):
        return legacy
    return modern


def suggest_old_format_from_address(address: str) -> AddressSuggestion | None:
    """What :func:`suggest_from_address` returns when that is a reading in the old format (it names a
    former ward), else ``None``. Cheaper when the commune is known already and only the former ward is
    wanted (the import): the 2025 reading, the slow one, is only made when the text alone cannot tell."""
    text = " ".join((address or "").split())
    if not text.strip(" ,.;-") or len(text) > MAX_ADDRESS_LENGTH:
        return None
    hint = _named_province(text)
    if hint is not None and hint not in FORMER_PROVINCE_KEYS:
        return None
    legacy = _first_legacy_match(text, hint)
    if legacy is None:
        return None
    if _names_old_units(fold(text)):
        return legacy  # _prefers_legacy would say so whatever the 2025 reading
    modern = _first_modern_match(text, hint)
    return legacy if modern is None or _prefers_legacy(text, legacy, modern) else None


def _parse(text: str, mode_name: str, level: int = 0) -> Any:
    from vietnamadminunits import ParseMode, parse_address  # slow to import: only when needed

    return parse_address(text, mode=ParseMode[mode_name], keep_street=True, level=level)


def _key(text: str) -> str:
    """Fold and keep letters and digits only, like the package's keywords: "Tỉnh An Giang" → "tinhangiang"."""
    return _NON_ALNUM.sub("", fold(text))


@functools.cache
def _province_keywords() -> tuple[tuple[str, str], ...]:
    """(keyword, province key) for every province before and since the reform, longest keyword first.

    Static package data (plain strings), so caching it for the life of the process is safe.
    """
    from vietnamadminunits.database import query  # a light sqlite3 read of the package's data

    pairs: set[tuple[str, str]] = set()
    for table in ("admin_units_legacy", "admin_units"):
        for row in query(f"SELECT DISTINCT provinceKey, provinceKeywords FROM {table}"):
            pairs.update((kw, row["provinceKey"]) for kw in json.loads(row["provinceKeywords"] or "[]"))
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p)))


def _named_province(text: str) -> str | None:
    """The province key the address names in its last part ("…, tỉnh Kiên Giang"), if any.

    The parser's own province detection matches keywords anywhere, without word boundaries, so it
    reads "huyện Châu Thành" as Yên Châu district of Sơn La; only the last part is trusted here. A
    trailing "Việt Nam" is skipped. An address without commas may end with the province name.
    """
    parts = [k for k in (_key(p) for p in text.split(",")) if k]
    while parts and parts[-1] in _COUNTRY_KEYS:
        parts.pop()
    if not parts:
        return None
    last = parts[-1]
    for keyword, province in _province_keywords():
        if last.endswith(keyword):
            rest = last[: -len(keyword)]
            if rest in _PROVINCE_PREFIXES or (len(parts) == 1 and len(keyword) > 3):
                return province
    return None


def _first_legacy_match(text: str, hint: str | None) -> AddressSuggestion | None:
    """Read the address as ward, district, province (before the reform).

    Without a province, both former provinces are tried; with "An Giang", which today also covers the
    former Kiên Giang, the former Kiên Giang is tried next. A match with the province as written wins;
    otherwise the added province must give a single answer (both former provinces had a Châu Thành
    district, so a bare "huyện Châu Thành" can be ambiguous).
    """
    found = _legacy_match(text)
    if found is not None:
        return found
    suffixes = {None: (", An Giang", ", Kiên Giang"), NEW_PROVINCE_KEY: (", Kiên Giang",)}.get(hint, ())
    matches = {m.former_ward: m for m in (_legacy_match(text + s) for s in suffixes) if m is not None}
    return next(iter(matches.values())) if len(matches) == 1 else None


def _first_modern_match(text: str, hint: str | None) -> AddressSuggestion | None:
    """Read the address as ward, province (since 1 July 2025), adding "An Giang" when it is not named."""
    found = _modern_match(text)
    if found is None and hint != NEW_PROVINCE_KEY:
        found = _modern_match(text + ", An Giang")
    return found


def _legacy_match(text: str) -> AddressSuggestion | None:
    unit = _parse(text, "LEGACY")
    if unit.province_key not in FORMER_PROVINCE_KEYS or not unit.ward_code:
        return None
    ward = db.session.get(FormerWard, unit.ward_code)
    if ward is None:
        return None
    links = _commune_links(ward.code)
    if not links:
        return None
    is_split = len(links) > 1 or links[0].is_split
    return AddressSuggestion(
        commune=links[0].commune,
        address_format=FORMAT_LEGACY,
        former_ward=UnitRef(ward.code, ward.name),
        former_district=UnitRef(ward.district.code, ward.district.name),
        street=_clean_street(unit.street),
        candidates=tuple(link.commune for link in links) if is_split else (),
        is_split=is_split,
    )


def _modern_match(text: str) -> AddressSuggestion | None:
    unit = _parse(text, "FROM_2025")
    if unit.province_key != NEW_PROVINCE_KEY or not unit.ward_code:
        return None
    commune = db.session.get(Commune, unit.ward_code)
    if commune is None:
        return None
    return AddressSuggestion(
        commune=UnitRef(commune.code, commune.name),
        address_format=FORMAT_2025,
        street=_clean_street(unit.street),
    )


def _prefers_legacy(text: str, legacy: AddressSuggestion, modern: AddressSuggestion) -> bool:
    """Both readings found a unit: is the address in the old format?

    The 2025 reading of an old address usually picks today's commune out of the district's name
    ("TP Long Xuyên" → Phường Long Xuyên) and leaves the ward as if it were the street. So the old
    reading wins when both agree, when the address names a district ("huyện", "TP"…) or Kiên Giang,
    or when the 2025 reading left a ward ("Phường …", "Xã …") in the street.
    """
    folded = fold(text)
    if modern.commune in legacy.candidates or modern.commune == legacy.commune:
        return True
    if _names_old_units(folded):
        return True
    last_part = fold((modern.street or "").split(",")[-1])
    return bool(_WARD_MARKER.match(last_part))


def _names_old_units(folded: str) -> bool:
    """The (folded) address names a district ("huyện", "TP"…) or Kiên Giang: units that no longer exist."""
    return bool(_DISTRICT_MARKER.search(folded) or _KIEN_GIANG.search(folded))


def _clean_street(street: str | None) -> str | None:
    """Drop trailing parts that are only a unit type: the parser leaves "P" of "P. Mỹ Bình" behind."""
    parts = [p.strip() for p in (street or "").split(",")]
    while parts and (not parts[-1] or _TYPE_ONLY.match(fold(parts[-1]))):
        parts.pop()
    return ", ".join(parts) or None


# --- former units ------------------------------------------------------------------------------------


class _Link(NamedTuple):
    """One row of the former ward → commune mapping."""

    commune: UnitRef
    is_default: bool
    is_split: bool


def _commune_links(former_ward_code: str) -> list[_Link]:
    """The communes a former ward went into, the default first, then by code."""
    rows = db.session.execute(
        select(Commune.code, Commune.name, FormerWardCommune.is_default, FormerWardCommune.is_split)
        .join(FormerWardCommune, FormerWardCommune.commune_code == Commune.code)
        .where(FormerWardCommune.former_ward_code == former_ward_code)
        .order_by(FormerWardCommune.is_default.desc(), Commune.code)
    ).all()
    return [_Link(UnitRef(r.code, r.name), bool(r.is_default), bool(r.is_split)) for r in rows]


def former_district_of_ward(former_ward_code: str) -> dict[str, str] | None:
    """``{"code", "name"}`` of the former district a former ward belonged to, or ``None``."""
    row = db.session.execute(
        select(FormerDistrict.code, FormerDistrict.name)
        .join(FormerWard, FormerWard.district_code == FormerDistrict.code)
        .where(FormerWard.code == former_ward_code)
    ).first()
    return {"code": row.code, "name": row.name} if row else None


def communes_of_former_ward(former_ward_code: str) -> list[tuple[str, str, bool]]:
    """(code, name, is_default) of today's communes a former ward went into, the default first.

    One row for most former wards; several for the few that were split. Empty for an unknown code.
    """
    return [
        (link.commune.code, link.commune.name, link.is_default) for link in _commune_links(former_ward_code)
    ]


def former_units_of_commune(commune_code: str) -> list[dict[str, Any]]:
    """The former wards (with their districts) that formed a commune, by district then ward code.

    Each item: ``{"code", "name", "district": {"code", "name"}, "split", "default"}``; ``split``
    marks a former ward only partly in this commune, ``default`` whether this is its default commune.
    """
    rows = db.session.execute(
        select(
            FormerWard.code,
            FormerWard.name,
            FormerDistrict.code.label("district_code"),
            FormerDistrict.name.label("district_name"),
            FormerWardCommune.is_split,
            FormerWardCommune.is_default,
        )
        .join(FormerWardCommune, FormerWardCommune.former_ward_code == FormerWard.code)
        .join(FormerDistrict, FormerDistrict.code == FormerWard.district_code)
        .where(FormerWardCommune.commune_code == commune_code)
        .order_by(FormerDistrict.code, FormerWard.code)
    ).all()
    return [
        {
            "code": r.code,
            "name": r.name,
            "district": {"code": r.district_code, "name": r.district_name},
            "split": bool(r.is_split),
            "default": bool(r.is_default),
        }
        for r in rows
    ]


# --- from GPS coordinates ------------------------------------------------------------------------------

#: A point farther than this from every reference point (see :func:`_sites`) is not in An Giang.
#: Every point of every former ward's bounding box (package data, a generous over-estimate of the
#: land and the sea around the islands) lies within 13.6 km of a reference point; the centres of
#: neighbouring Cần Thơ, Cà Mau and Kampot are 31–32 km away. 20 km leaves a margin on both sides.
OUTSIDE_PROVINCE_KM = 20.0
#: A commune's "reach": this many times the radius of a disc of the same area (see plausibility).
AREA_RADIUS_FACTOR = 1.5
_ALTERNATIVES = 2


@dataclass(frozen=True)
class _Site:
    """A commune with its reference points: its centroid and those of the former wards it absorbed."""

    ref: UnitRef
    area_km2: float | None
    points: tuple[tuple[float, float], ...]

    def distance_km(self, point: tuple[float, float]) -> float:
        """Geodesic distance to the nearest point; only points within 1.1 % of the nearest by haversine
        (which is within 0.5 % of geodesic) can be it, so only those are measured exactly."""
        from geopy.distance import geodesic

        rough = [(_haversine_km(point, p), p) for p in self.points]
        cutoff = min(d for d, _ in rough) * 1.011
        return min(geodesic(point, p).km for d, p in rough if d <= cutoff)

    def rough_km(self, point: tuple[float, float]) -> float:
        """Haversine distance (within 0.5 % of the geodesic one): cheap enough to rank every commune."""
        return min(_haversine_km(point, p) for p in self.points)

    @property
    def reach_km(self) -> float:
        """1.5 × the radius of a disc of the commune's area: how far its edge may be from its points."""
        return AREA_RADIUS_FACTOR * math.sqrt((self.area_km2 or 0.0) / math.pi)


class CommuneDistance(NamedTuple):
    """A commune and its distance from a point, in km rounded to 2 decimals."""

    commune: UnitRef
    distance_km: float

    def as_dict(self) -> dict[str, Any]:
        return {**self.commune.as_dict(), "distance_km": self.distance_km}


@dataclass(frozen=True)
class PointSuggestion:
    """The commune nearest to a GPS point, and the next nearest ones as alternatives."""

    commune: UnitRef
    distance_km: float
    alternatives: tuple[CommuneDistance, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": "gps",
            "commune": self.commune.as_dict(),
            "distance_km": self.distance_km,
            "alternatives": [a.as_dict() for a in self.alternatives],
        }


@dataclass(frozen=True)
class PlausibilityWarning:
    """The chosen commune is implausibly far from the GPS point, and another commune is nearer."""

    commune: UnitRef
    distance_km: float
    nearest: UnitRef
    nearest_distance_km: float
    threshold_km: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "commune": self.commune.as_dict(),
            "distance_km": self.distance_km,
            "nearest": self.nearest.as_dict(),
            "nearest_distance_km": self.nearest_distance_km,
            "threshold_km": self.threshold_km,
        }


def _sites() -> list[_Site]:
    """Every commune with its reference points (102 + 295 rows), read once per process and database.

    A commune's centroid alone is a poor stand-in for its extent: Đặc khu Kiên Hải is an archipelago
    whose centroid (Hòn Sơn) is 30 km from the Nam Du islands, and An Thới is 26 km from Phú Quốc's
    centroid. The centroids of the former wards that went wholly into a commune fill these gaps.
    Former wards split between communes add no point: they belong to neither for certain.
    """
    return reference_cached("sites", _read_sites)


_POINTS_KEY = "geography.points"


def _read_sites() -> list[_Site]:
    communes = db.session.execute(
        select(Commune.code, Commune.name, Commune.area_km2, Commune.latitude, Commune.longitude)
    ).all()
    points: dict[str, list[tuple[float, float]]] = {c.code: [(c.latitude, c.longitude)] for c in communes}
    wards = db.session.execute(
        select(FormerWardCommune.commune_code, FormerWard.latitude, FormerWard.longitude)
        .join(FormerWard, FormerWard.code == FormerWardCommune.former_ward_code)
        .where(
            FormerWardCommune.is_split.is_(False),
            FormerWard.latitude.is_not(None),
            FormerWard.longitude.is_not(None),
        )
    ).all()
    for w in wards:
        points[w.commune_code].append((w.latitude, w.longitude))
    return [_Site(UnitRef(c.code, c.name), c.area_km2, tuple(points[c.code])) for c in communes]


def _check_point(lat: float, lon: float) -> tuple[float, float]:
    valid = all(isinstance(v, int | float) and math.isfinite(v) for v in (lat, lon))
    if not valid or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationFailed("invalid_coordinates", field="coordinates")
    return (float(lat), float(lon))


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


#: How many communes, nearest by the cheap haversine ranking, get an exact geodesic distance.
_EXACT_NEAREST = 8


def _ranked(point: tuple[float, float], *, exact: int = _EXACT_NEAREST) -> list[tuple[float, _Site]]:
    """Every commune with its distance from ``point``, nearest first (ties by code).

    All communes are ranked by haversine distance; the nearest few then get geopy's geodesic distance,
    which is what is reported. (Geodesic for all ~400 reference points took 170 ms per call.)

    ``exact`` communes get the geodesic distance: :data:`_EXACT_NEAREST` by default; with 3 (what
    :func:`suggest_from_point` reports), only those the haversine ranking puts within 1.1 % of the third
    nearest — haversine is within 0.5 % of geodesic, so no commune beyond can be among the three. Each
    geodesic distance costs about a millisecond; an import checks thousands of points.
    """
    rough = sorted(((s.rough_km(point), s) for s in _sites()), key=lambda d: (d[0], d[1].ref.code))
    if not rough:
        return rough
    cutoff = rough[min(exact, len(rough)) - 1][0] * 1.011
    count = max(min(exact, len(rough)), sum(1 for d, _ in rough[:_EXACT_NEAREST] if d <= cutoff))
    exact_ranked = [(s.distance_km(point), s) for _, s in rough[:count]]
    return sorted(exact_ranked, key=lambda d: (d[0], d[1].ref.code)) + rough[count:]


def suggest_from_point(lat: float, lon: float) -> PointSuggestion:
    """The commune nearest to a GPS point, with the next two as alternatives.

    A commune's distance is the geodesic distance to its nearest reference point (its centroid or
    the centroid of a former ward it absorbed; see :func:`_sites`). Raises
    ``ValidationFailed("outside_province")`` when the point is more than ``OUTSIDE_PROVINCE_KM``
    from every reference point, and ``ValidationFailed("invalid_coordinates")`` for a non-finite
    or out-of-range coordinate.
    """
    point = _check_point(lat, lon)
    memo = db.session.info.setdefault(_POINTS_KEY, {})  # the import checks each row's point twice
    if point not in memo:
        if len(memo) > 10_000:
            memo.clear()
        memo[point] = _ranked(point, exact=1 + _ALTERNATIVES)[: 1 + _ALTERNATIVES]
    ranked = memo[point]
    if not ranked or ranked[0][0] > OUTSIDE_PROVINCE_KM:
        raise ValidationFailed("outside_province", field="coordinates")
    (distance, nearest), others = ranked[0], ranked[1 : 1 + _ALTERNATIVES]
    return PointSuggestion(
        commune=nearest.ref,
        distance_km=round(distance, 2),
        alternatives=tuple(CommuneDistance(s.ref, round(d, 2)) for d, s in others),
    )


#: A GPS point suggests its nearest commune only when that one is this much nearer than the next.
CONFIDENT_MARGIN_KM = 1.0


@dataclass(frozen=True)
class CommuneSuggestion:
    """A commune to propose for a record left without one: from its address, else from its GPS point."""

    commune: UnitRef
    source: Literal["address", "gps"]
    distance_km: float | None = None


def confident_commune(
    address: str | None, latitude: float | None = None, longitude: float | None = None
) -> CommuneSuggestion | None:
    """The commune an address (old or 2025 format) names without doubt — not a former ward split
    between communes — else the commune clearly nearest to the GPS point, else ``None``.

    For a form whose commune was left empty: the page proposes it rather than saving "unknown".
    """
    found = suggest_from_address(address) if address else None
    if found is not None and not found.is_split:
        return CommuneSuggestion(found.commune, "address")
    if latitude is None or longitude is None:
        return None
    try:
        point = suggest_from_point(latitude, longitude)
    except ValidationFailed:
        return None
    runner_up = point.alternatives[0].distance_km if point.alternatives else None
    if runner_up is not None and runner_up - point.distance_km < CONFIDENT_MARGIN_KM:
        return None
    return CommuneSuggestion(point.commune, "gps", point.distance_km)


def within_province(lat: float, lon: float) -> bool:
    """Whether :func:`suggest_from_point` finds a commune for the point (rather than
    ``outside_province``), without ranking every commune when a reference point is clearly near:
    haversine is within 0.5 % of the geodesic distance, so a point within ``OUTSIDE_PROVINCE_KM / 1.011``
    by haversine is inside for sure; otherwise the exact measure decides. Raises
    ``ValidationFailed("invalid_coordinates")`` like :func:`suggest_from_point`.
    """
    point = _check_point(lat, lon)
    near = OUTSIDE_PROVINCE_KM / 1.011
    if any(_haversine_km(point, p) <= near for site in _sites() for p in site.points):
        return True
    try:
        suggest_from_point(lat, lon)
    except ValidationFailed as exc:
        if exc.code == "outside_province":
            return False
        raise
    return True


def check_commune_plausibility(
    commune_code: str, lat: float, lon: float, *, max_km: float = 10.0
) -> PlausibilityWarning | None:
    """Warn when the chosen commune looks too far from the GPS point recorded with it.

    Warns only if another commune is nearer AND the chosen one is farther than
    ``max(max_km, 1.5 × sqrt(area_km2 / π))``: 1.5 times the radius of a disc of the commune's area
    leaves room for a large or elongated commune whose edge is far from its reference points
    (Phú Quốc, 589 km²: 20.5 km), while small communes keep ``max_km``. Distances are measured as
    in :func:`suggest_from_point`. Raises ``ValidationFailed("unknown_commune")`` for an unknown code.
    """
    ranked = _ranked(_check_point(lat, lon))
    chosen = next(((d, s) for d, s in ranked if s.ref.code == commune_code), None)
    if chosen is None:
        raise ValidationFailed("unknown_commune", field="commune")
    distance, site = chosen
    nearest_distance, nearest = ranked[0]
    threshold = max(max_km, site.reach_km)
    if nearest.ref.code == commune_code or distance <= threshold:
        return None
    return PlausibilityWarning(
        commune=site.ref,
        distance_km=round(distance, 2),
        nearest=nearest.ref,
        nearest_distance_km=round(nearest_distance, 2),
        threshold_km=round(threshold, 2),
    )


# --- optional network geocoding --------------------------------------------------------------------------


def geocode_address(address: str, geocoder: Any) -> PointSuggestion | None:
    """Geocode ``address`` with a geopy geocoder passed in explicitly, then suggest from the point.

    This is the only function here that may use the network, and only through ``geocoder`` (built by
    the app when ``GEOCODER`` is configured). Returns ``None`` when the geocoder finds nothing, fails,
    or finds a point outside the province.
    """
    from geopy.exc import GeopyError

    text = " ".join((address or "").split())
    if not text:
        return None
    try:
        location = geocoder.geocode(text, exactly_one=True)
    except GeopyError:
        logger.warning("Geocoding failed for an address", exc_info=True)
        return None
    if location is None:
        return None
    try:
        return suggest_from_point(location.latitude, location.longitude)
    except ValidationFailed:
        return None


def former_ward_choices() -> list[tuple[str, str]]:
    """(code, "Xã X — Huyện Y") for every former ward, sorted by district then ward (Vietnamese order)."""
    return list(reference_cached("former_wards", _read_former_wards))


def _read_former_wards() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(FormerWard.code, FormerWard.name, FormerDistrict.name.label("district")).join(
            FormerDistrict, FormerWard.district_code == FormerDistrict.code
        )
    ).all()
    rows = sorted(rows, key=lambda r: (fold(r.district), fold(r.name)))
    return [(r.code, f"{r.name} — {r.district}") for r in rows]


def former_district_choices() -> list[tuple[str, str]]:
    """(code, "Huyện X (An Giang cũ)") for the 26 former districts, in Vietnamese order."""
    return list(reference_cached("former_districts", _read_former_districts))


def _read_former_districts() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(FormerDistrict.code, FormerDistrict.name, FormerDistrict.province_name)
    ).all()
    rows = sorted(rows, key=lambda r: (fold(r.province_name), fold(r.name)))
    return [(r.code, f"{r.name} ({r.province_name.replace('Tỉnh ', '')} cũ)") for r in rows]
