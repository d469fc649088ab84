"""The risk score of an establishment: additive, explainable points (the UK FSA's intervention rating as the
model: a points table with a ceiling per component, mapped to a band and a recommended interval).

The facts are read with SQL aggregates grouped by establishment (one statement per component, whatever the
number of cases), so :func:`score_of` and :func:`ranked` read them alike: one establishment or all. The
inspector's identity is never an input. The weights are a dated version (``cases/planning/weights.py``);
the result says which version made it. Everything returned is plain data: the component's points and its
reasons as codes with parameters, which the web layer words (``inspect_app/labels/planning.py``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, case, func, select

from cases.db import db
from cases.enums import CaseKind, CaseStatus, FindingStatus, ItemResult, RiskBand, TipStatus
from cases.models import (
    AgencyCheck,
    Case,
    CaseField,
    Establishment,
    Finding,
    InstrumentCheck,
    PrepackagedLot,
    Sample,
    Tip,
    Violation,
)
from cases.planning.weights import COMPONENTS, Weights, load


@dataclass(frozen=True)
class Reason:
    """Why a component has points: a code (``risk_recent_findings``) and its numbers."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Component:
    name: str
    points: int
    ceiling: int
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Score:
    establishment_id: int
    total: int
    band: str  # enums.RiskBand
    interval_months: int
    components: tuple[Component, ...]
    weights_version: int
    on: dt.date

    def component(self, name: str) -> Component:
        return next(c for c in self.components if c.name == name)


@dataclass(frozen=True)
class RankFilters:
    commune_code: str | None = None
    business_type: str | None = None
    field: str | None = None  # enums.InspectionField: a field of its cases


def _months_back(on: dt.date, months: int) -> dt.date:
    year, month0 = divmod(on.year * 12 + on.month - 1 - months, 12)
    day = min(on.day, calendar.monthrange(year, month0 + 1)[1])
    return dt.date(year, month0 + 1, day)


def months_between(earlier: dt.date, later: dt.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - 1 if later.day < earlier.day else months


def _count(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


_LIVE = Case.status != CaseStatus.CANCELLED.value


# --- the facts, per establishment ----------------------------------------------------------------------


def _restrict(stmt: Any, column: Any, ids: Any) -> Any:
    if ids is None:
        return stmt
    return stmt.where(column.in_(ids))


def _facts(on: dt.date, w: Weights, ids: Select[Any] | list[int] | None) -> dict[int, dict[str, Any]]:
    facts: dict[int, dict[str, Any]] = defaultdict(dict)
    est = Case.establishment_id

    recent = _months_back(on, w.get("violations", "recent_months"))
    middle = _months_back(on, w.get("violations", "middle_months"))
    window = _months_back(on, w.get("violations", "window_months"))
    serious = Violation.fine_individual_max >= w.get("violations", "serious_fine_from")
    stmt = (
        select(
            est,
            _count(Case.opened_on >= recent),
            _count(and_(Case.opened_on < recent, Case.opened_on >= middle)),
            _count(Case.opened_on < middle),
            _count(serious),
        )
        .join(Finding, Finding.case_id == Case.id)
        .join(Violation, Violation.id == Finding.violation_id)
        .where(
            Finding.status == FindingStatus.CONFIRMED.value,
            est.is_not(None),
            _LIVE,
            Case.opened_on.between(window, on),
        )
        .group_by(est)
    )
    for eid, n_recent, n_middle, n_old, n_serious in db.session.execute(_restrict(stmt, est, ids)):
        facts[eid]["findings"] = (
            int(n_recent or 0),
            int(n_middle or 0),
            int(n_old or 0),
            int(n_serious or 0),
        )

    stmt = (
        select(est, CaseField.field)
        .join(CaseField, CaseField.case_id == Case.id)
        .where(est.is_not(None), _LIVE, Case.kind.in_([CaseKind.INSPECTION.value, CaseKind.SURVEY.value]))
        .where(Case.opened_on <= on)
        .distinct()
    )
    for eid, field_code in db.session.execute(_restrict(stmt, est, ids)):
        facts[eid].setdefault("fields", set()).add(field_code)

    stmt = (
        select(est, func.max(Case.opened_on))
        .where(est.is_not(None), _LIVE, Case.kind == CaseKind.INSPECTION.value, Case.opened_on <= on)
        .group_by(est)
    )
    for eid, last in db.session.execute(_restrict(stmt, est, ids)):
        facts[eid]["last_case"] = last
    stmt = (
        select(AgencyCheck.establishment_id, func.max(AgencyCheck.checked_on))
        .where(AgencyCheck.checked_on <= on)
        .group_by(AgencyCheck.establishment_id)
    )
    for eid, last in db.session.execute(_restrict(stmt, AgencyCheck.establishment_id, ids)):
        facts[eid]["last_agency"] = last

    window = _months_back(on, w.get("instruments", "window_months"))
    due = on + dt.timedelta(days=w.get("instruments", "due_days"))
    expiry = InstrumentCheck.certificate_expiry
    stmt = (
        select(est, _count(expiry < on), _count(and_(expiry >= on, expiry <= due)), func.count())
        .join(InstrumentCheck, InstrumentCheck.case_id == Case.id)
        .where(est.is_not(None), _LIVE, Case.opened_on.between(window, on))
        .group_by(est)
    )
    for eid, expired, soon, count in db.session.execute(_restrict(stmt, est, ids)):
        facts[eid]["instruments"] = (int(expired or 0), int(soon or 0), int(count or 0))
    stmt = (
        select(est, func.count())
        .join(PrepackagedLot, PrepackagedLot.case_id == Case.id)
        .where(est.is_not(None), _LIVE, Case.opened_on.between(window, on))
        .group_by(est)
    )
    for eid, count in db.session.execute(_restrict(stmt, est, ids)):
        facts[eid]["lots"] = int(count or 0)

    window = _months_back(on, w.get("samples", "window_months"))
    owner = func.coalesce(Sample.establishment_id, est)
    stmt = (
        select(owner, func.count())
        .select_from(Sample)
        .join(Case, Case.id == Sample.case_id)
        .where(
            Sample.result == ItemResult.FAIL.value,
            owner.is_not(None),
            _LIVE,
            Case.opened_on.between(window, on),
        )
        .group_by(owner)
    )
    for eid, count in db.session.execute(_restrict(stmt, owner, ids)):
        facts[eid]["failed_samples"] = int(count or 0)

    window = _months_back(on, w.get("tips", "window_months"))
    stmt = (
        select(
            Tip.establishment_id,
            _count(Tip.status == TipStatus.OPEN.value),
            _count(Tip.status == TipStatus.USED.value),
        )
        .where(Tip.establishment_id.is_not(None), Tip.received_on.between(window, on))
        .group_by(Tip.establishment_id)
    )
    for eid, n_open, n_used in db.session.execute(_restrict(stmt, Tip.establishment_id, ids)):
        facts[eid]["tips"] = (int(n_open or 0), int(n_used or 0))

    window = _months_back(on, w.get("ecommerce", "window_months"))
    stmt = (
        select(est, func.count(), _count(Case.has_violation.is_(True)))
        .where(
            est.is_not(None), _LIVE, Case.kind == CaseKind.ECOMMERCE.value, Case.opened_on.between(window, on)
        )
        .group_by(est)
    )
    for eid, count, with_violation in db.session.execute(_restrict(stmt, est, ids)):
        facts[eid]["ecommerce"] = (int(count or 0), int(with_violation or 0))
    return facts


# --- the points ----------------------------------------------------------------------------------------


def _capped(name: str, w: Weights, points: int, reasons: list[Reason]) -> Component:
    ceiling = w.get(name, "ceiling")
    return Component(name, min(points, ceiling), ceiling, tuple(reasons))


def _components(f: dict[str, Any], on: dt.date, w: Weights) -> list[Component]:
    out: list[Component] = []

    n_recent, n_middle, n_old, n_serious = f.get("findings", (0, 0, 0, 0))
    reasons = []
    if n_recent:
        reasons.append(
            Reason(
                "risk_recent_findings", {"count": n_recent, "months": w.get("violations", "recent_months")}
            )
        )
    if n_middle:
        reasons.append(
            Reason(
                "risk_middle_findings", {"count": n_middle, "months": w.get("violations", "middle_months")}
            )
        )
    if n_old:
        reasons.append(
            Reason("risk_old_findings", {"count": n_old, "months": w.get("violations", "window_months")})
        )
    if n_serious:
        reasons.append(Reason("risk_serious_findings", {"count": n_serious}))
    points = (
        n_recent * w.get("violations", "per_recent_finding")
        + n_middle * w.get("violations", "per_middle_finding")
        + n_old * w.get("violations", "per_old_finding")
        + n_serious * w.get("violations", "serious_extra")
    )
    out.append(_capped("violations", w, points, reasons))

    fields = sorted(f.get("fields", set()), key=lambda x: (-w.get("hazard", x), x))
    top = fields[0] if fields and w.get("hazard", fields[0]) else None
    out.append(
        _capped(
            "hazard",
            w,
            w.get("hazard", top) if top else 0,
            [Reason("risk_hazard_field", {"field": top})] if top else [],
        )
    )

    lasts = [d for d in (f.get("last_case"), f.get("last_agency")) if d is not None]
    if not lasts:
        out.append(_capped("last_check", w, w.get("last_check", "never"), [Reason("risk_never_checked")]))
    else:
        last = max(lasts)
        months = months_between(last, on)
        points = (
            w.get("last_check", "over_24_months")
            if months >= 24
            else w.get("last_check", "over_12_months")
            if months >= 12
            else 0
        )
        by_agency = f.get("last_agency") == last and f.get("last_case") != last
        code = "risk_last_check_agency" if by_agency else "risk_last_check"
        out.append(
            _capped("last_check", w, points, [Reason(code, {"months": months, "on": last.isoformat()})])
        )

    expired, soon, n_instruments = f.get("instruments", (0, 0, 0))
    reasons = []
    if expired:
        reasons.append(Reason("risk_instruments_expired", {"count": expired}))
    if soon:
        reasons.append(
            Reason("risk_instruments_due", {"count": soon, "days": w.get("instruments", "due_days")})
        )
    points = expired * w.get("instruments", "per_expired") + soon * w.get("instruments", "per_due")
    out.append(_capped("instruments", w, points, reasons))

    failed = f.get("failed_samples", 0)
    out.append(
        _capped(
            "samples",
            w,
            failed * w.get("samples", "per_failed"),
            [Reason("risk_failed_samples", {"count": failed, "months": w.get("samples", "window_months")})]
            if failed
            else [],
        )
    )

    n_open, n_used = f.get("tips", (0, 0))
    reasons = []
    if n_open:
        reasons.append(Reason("risk_open_tips", {"count": n_open, "months": w.get("tips", "window_months")}))
    if n_used:
        reasons.append(Reason("risk_used_tips", {"count": n_used, "months": w.get("tips", "window_months")}))
    points = n_open * w.get("tips", "per_open") + n_used * w.get("tips", "per_used")
    out.append(_capped("tips", w, points, reasons))

    n_checks, n_bad = f.get("ecommerce", (0, 0))
    reasons = []
    if n_checks:
        reasons.append(Reason("risk_ecommerce_checks", {"count": n_checks, "violations": n_bad}))
    points = (n_checks - n_bad) * w.get("ecommerce", "per_check") + n_bad * w.get(
        "ecommerce", "per_check_with_violation"
    )
    out.append(_capped("ecommerce", w, points, reasons))

    lots = f.get("lots", 0)
    points = (n_instruments // 10) * w.get("size", "per_10_instruments") + (lots // 5) * w.get(
        "size", "per_5_lots"
    )
    reasons = [Reason("risk_size", {"instruments": n_instruments, "lots": lots})] if points else []
    out.append(_capped("size", w, points, reasons))
    assert tuple(c.name for c in out) == COMPONENTS
    return out


def _band(total: int, w: Weights) -> tuple[str, int]:
    for band in RiskBand:  # highest first
        if total >= w.get("band", band.value):
            return band.value, w.get("interval", band.value)
    return RiskBand.E.value, w.get("interval", RiskBand.E.value)


def _score(eid: int, f: dict[str, Any], on: dt.date, w: Weights) -> Score:
    components = _components(f, on, w)
    total = sum(c.points for c in components)
    band, interval = _band(total, w)
    return Score(eid, total, band, interval, tuple(components), w.number, on)


def score_of(
    establishment: Establishment | int, *, on: dt.date | None = None, weights: int | None = None
) -> Score:
    """The score of one establishment on ``on`` (today), with weights version ``weights`` (else the version
    in force on ``on``)."""
    on = on or dt.date.today()
    eid = establishment if isinstance(establishment, int) else establishment.id
    w = load(weights, on=on)
    return _score(eid, _facts(on, w, [eid]).get(eid, {}), on, w)


def ranked(
    filters: RankFilters | None = None,
    *,
    on: dt.date | None = None,
    limit: int | None = 50,
    weights: int | None = None,
) -> list[Score]:
    """Every establishment (of the filters) by score, highest first (then by id), the first ``limit``: the
    facts read once for all of them (a statement per component)."""
    on = on or dt.date.today()
    filters = filters or RankFilters()
    w = load(weights, on=on)
    ids = select(Establishment.id)
    if filters.commune_code:
        ids = ids.where(Establishment.commune_code == filters.commune_code)
    if filters.business_type:
        ids = ids.where(Establishment.business_type == filters.business_type)
    if filters.field:
        ids = ids.where(
            Establishment.id.in_(
                select(Case.establishment_id)
                .join(CaseField, CaseField.case_id == Case.id)
                .where(CaseField.field == filters.field, _LIVE)
            )
        )
    everyone = list(db.session.scalars(ids))
    restrict = None if not (filters.commune_code or filters.business_type or filters.field) else ids
    facts = _facts(on, w, restrict)
    scores = [_score(eid, facts.get(eid, {}), on, w) for eid in everyone]
    scores.sort(key=lambda s: (-s.total, s.establishment_id))
    return scores[:limit] if limit is not None else scores


__all__ = ["Component", "RankFilters", "Reason", "Score", "months_between", "ranked", "score_of"]
