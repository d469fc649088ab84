"""Geography: today's communes, the former districts and wards, and commune suggestions.

Nothing here calls the network unless a geocoder is passed in explicitly.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from cases.db import db
from cases.models import Commune, FormerDistrict, FormerWard, FormerWardCommune
from cases.text import fold


def list_communes() -> list[dict[str, Any]]:
    """All of today's communes, in Vietnamese alphabetical order of their short names."""
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
    return [(c["code"], c["name"]) for c in list_communes()]


def reference_summary() -> dict[str, int]:
    def count(model: type[db.Model]) -> int:
        return db.session.scalar(select(func.count()).select_from(model)) or 0

    return {
        "communes": count(Commune),
        "former_districts": count(FormerDistrict),
        "former_wards": count(FormerWard),
        "mappings": count(FormerWardCommune),
    }
