"""The risk score's weights: dated, versioned reference data (``risk_weight_version``, ``risk_weight``),
seeded from ``cases/data/risk_weights.csv`` (version 1) and corrected by an administrator, each save a new
version (audited). A version is never edited, so a ranking can say which version made it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db import db
from cases.errors import NotFound, PermissionDenied, ValidationFailed
from cases.models import RiskWeight, RiskWeightVersion, User

#: The components of the score, in the order they are shown.
COMPONENTS = ("violations", "hazard", "last_check", "instruments", "samples", "tips", "ecommerce", "size")
#: The tables that are not components: the bands' least scores and their recommended intervals.
TABLES = ("band", "interval")
MAX_POINTS = 1_000_000_000


@dataclass(frozen=True)
class Weights:
    """One version's weights as plain data: ``points[(component, item)]``."""

    version_id: int
    number: int
    effective_from: dt.date
    points: dict[tuple[str, str], int]

    def get(self, component: str, item: str) -> int:
        return self.points.get((component, item), 0)

    def items(self, component: str) -> list[tuple[str, int]]:
        return [(i, p) for (c, i), p in self.points.items() if c == component]


def _as_weights(version: RiskWeightVersion) -> Weights:
    points = {(w.component, w.item): w.points for w in version.weights}
    return Weights(version.id, version.number, version.effective_from, points)


def version_in_force(on: dt.date | None = None) -> RiskWeightVersion:
    """The newest version in force on ``on`` (today by default): the highest number from a date not later."""
    on = on or dt.date.today()
    stmt = (
        select(RiskWeightVersion)
        .where(RiskWeightVersion.effective_from <= on)
        .order_by(RiskWeightVersion.number.desc())
        .limit(1)
    )
    version = db.session.scalars(stmt).first()
    if version is None:
        raise NotFound("risk_weights_missing")
    return version


def load(version: int | None = None, *, on: dt.date | None = None) -> Weights:
    """The weights of version number ``version``, else the version in force on ``on``."""
    if version is None:
        return _as_weights(version_in_force(on))
    row = db.session.scalars(select(RiskWeightVersion).where(RiskWeightVersion.number == version)).first()
    if row is None:
        raise NotFound("risk_weights_missing")
    return _as_weights(row)


def versions() -> list[RiskWeightVersion]:
    return list(db.session.scalars(select(RiskWeightVersion).order_by(RiskWeightVersion.number.desc())))


def save_version(
    *, actor: User, points: dict[tuple[str, str], int], effective_from: dt.date, note: str | None = None
) -> RiskWeightVersion:
    """A new version (number + 1) with these weights, from ``effective_from``; every weight of the version in
    force must be given, whole and not negative. Audited (the weights that changed, from what to what)."""
    if not permissions.can_edit_risk_weights(actor):
        raise PermissionDenied()
    current = _as_weights(version_in_force(dt.date.max))
    if set(points) != set(current.points):
        raise ValidationFailed("risk_weights_incomplete")
    for (component, item), value in points.items():
        if not isinstance(value, int) or value < 0 or value > MAX_POINTS:
            raise ValidationFailed("risk_weight_invalid", field=f"{component}.{item}")
    if effective_from < current.effective_from:
        raise ValidationFailed("risk_weights_date_before", field="effective_from")
    number = (db.session.scalar(select(func.max(RiskWeightVersion.number))) or 0) + 1
    version = RiskWeightVersion(
        number=number, effective_from=effective_from, note=note, created_by_id=actor.id
    )
    version.weights = [RiskWeight(component=c, item=i, points=p) for (c, i), p in sorted(points.items())]
    db.session.add(version)
    db.session.flush()
    changes = [
        {"field": f"{c}.{i}", "from": current.points[(c, i)], "to": p}
        for (c, i), p in sorted(points.items())
        if current.points[(c, i)] != p
    ]
    audit.record(actor, "create", entity=version, changes=changes or None, reason=note)
    return version
