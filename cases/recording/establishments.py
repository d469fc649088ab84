"""Establishments (cơ sở / doanh nghiệp): create, edit, find, history. Flushes, never commits.

One establishment per tax code. Names are searched through ``name_key`` (folded: lower case, no
diacritics), so "Rach Gia" finds "Rạch Giá". Creating and editing one by hand writes an audit entry
(entity ``establishment``, in the cases' hash chain); the bulk import's establishments are named by the
import entries of their cases.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVarTuple

from sqlalchemy import Select, and_, case, func, or_, select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db import db
from cases.enums import BusinessType, FindingStatus
from cases.errors import Problems, ValidationFailed
from cases.geography import places as geography
from cases.models import Case, Commune, Establishment, Finding, Sample
from cases.recording.taxcode import normalise_tax_code, tax_code_problem
from cases.text import fold

#: the columns of a select that a filter passes through unchanged
_Columns = TypeVarTuple("_Columns")

MAX_NAME = 300
MAX_REPRESENTATIVE = 200
MAX_PHONE = 30
MAX_ADDRESS = 1000
#: Longer search input is refused by the web layer: no name is that long.
MAX_QUERY = 200


def _clean(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text or None


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _checked_values(**kwargs: Any) -> dict[str, Any]:
    """The cleaned values of an establishment, or ``ValidationFailed`` carrying every problem found."""
    problems, values = _check(**kwargs)
    problems.raise_any()
    return values


def problems_of(*, actor: Any, establishment_id: int | None = None, **values: Any) -> list[ValidationFailed]:
    """Every problem of an establishment's values at once (the form shows them beside its fields); the
    values are :func:`create_establishment`'s."""
    return _check(actor=actor, establishment_id=establishment_id, **values)[0].found


def _check(
    *,
    actor: Any,
    establishment_id: int | None,
    name: str | None,
    tax_code: str | None,
    business_type: str | None,
    address: str | None,
    commune_code: str | None,
    latitude: float | None,
    longitude: float | None,
    representative: str | None,
    phone: str | None,
) -> tuple[Problems, dict[str, Any]]:
    problems = Problems()
    name = _clean(name)
    if not name:
        problems.add("required", field="name")
    elif len(name) > MAX_NAME:
        problems.add("too_long", field="name", max=MAX_NAME)

    code = normalise_tax_code(tax_code) or None
    if code is not None:
        if (problem := tax_code_problem(code)) is not None:
            problems.add(problem, field="tax_code")
        else:
            problems.check(_check_tax_code_free, code, establishment_id)

    business_type = business_type or BusinessType.ENTERPRISE.value
    if business_type not in {b.value for b in BusinessType}:
        problems.add("unknown_business_type", field="business_type")

    commune_code = (commune_code or "").strip() or None
    scope = permissions.commune_scope(actor) if actor is not None else None
    if commune_code is None and scope is not None:
        problems.add("required", field="commune_code")
    if commune_code is not None:
        if db.session.get(Commune, commune_code) is None:
            problems.add("unknown_commune", field="commune_code", codes=commune_code)
        elif scope is not None and commune_code not in scope:
            problems.add("commune_not_yours", field="commune_code")

    if (latitude is None) != (longitude is None):
        problems.add("coordinates_pair", field="latitude" if latitude is None else "longitude")
    if latitude is not None and longitude is not None:
        try:
            geography.suggest_from_point(latitude, longitude)
        except ValidationFailed as exc:
            problems.add(exc.code, field="latitude", **exc.params)

    address = (address or "").strip() or None
    if address is not None and len(address) > MAX_ADDRESS:
        problems.add("too_long", field="address", max=MAX_ADDRESS)
    representative = _clean(representative)
    if representative is not None and len(representative) > MAX_REPRESENTATIVE:
        problems.add("too_long", field="representative", max=MAX_REPRESENTATIVE)
    phone = _clean(phone)
    if phone is not None and len(phone) > MAX_PHONE:
        problems.add("too_long", field="phone", max=MAX_PHONE)

    return problems, {
        "name": name,
        "tax_code": code,
        "business_type": business_type,
        "address": address,
        "commune_code": commune_code,
        "latitude": latitude,
        "longitude": longitude,
        "representative": representative,
        "phone": phone,
    }


def _check_tax_code_free(code: str, establishment_id: int | None) -> None:
    stmt = select(Establishment.id, Establishment.name).where(Establishment.tax_code == code)
    if establishment_id is not None:
        stmt = stmt.where(Establishment.id != establishment_id)
    existing = db.session.execute(stmt).first()
    if existing is not None:
        raise ValidationFailed("tax_code_taken", field="tax_code", name=existing.name, id=existing.id)


def _flush(tax_code: str | None) -> None:
    """Flush; a tax code taken meanwhile by another request (the unique index) becomes a ValidationFailed.

    The session must then be rolled back, as after any ``ValidationFailed``.
    """
    try:
        db.session.flush()
    except IntegrityError:
        if tax_code is None:
            raise
        raise ValidationFailed("tax_code_taken", field="tax_code") from None


def create_establishment(
    *,
    actor: Any,
    name: str,
    tax_code: str | None = None,
    business_type: str | None = None,
    address: str | None = None,
    commune_code: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    representative: str | None = None,
    phone: str | None = None,
) -> Establishment:
    """Record an establishment. ``actor`` limits the communes (a liaison: their own; ``None``: any).

    Raises ``ValidationFailed`` with the field at fault: ``required`` (the name; the commune for a
    liaison), a tax code problem (``cases.recording.taxcode``), ``tax_code_taken`` (params ``name`` and
    ``id`` of
    the existing one), ``unknown_business_type``, ``unknown_commune``, ``commune_not_yours``,
    ``coordinates_pair``, ``outside_province``, ``invalid_coordinates``, ``too_long``.
    """
    values = _checked_values(
        actor=actor,
        establishment_id=None,
        name=name,
        tax_code=tax_code,
        business_type=business_type,
        address=address,
        commune_code=commune_code,
        latitude=latitude,
        longitude=longitude,
        representative=representative,
        phone=phone,
    )
    establishment = Establishment(**values, created_by_id=getattr(actor, "id", None))
    db.session.add(establishment)
    _flush(values["tax_code"])
    audit.record(
        _audit_actor(actor),
        "create",
        entity=establishment,
        changes=audit.diff({}, audit.snapshot(establishment)),
    )
    return establishment


def _audit_actor(actor: Any) -> Any:
    return actor if getattr(actor, "id", None) is not None else None


def update_establishment(
    establishment: Establishment,
    *,
    actor: Any,
    name: str,
    tax_code: str | None = None,
    business_type: str | None = None,
    address: str | None = None,
    commune_code: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    representative: str | None = None,
    phone: str | None = None,
) -> Establishment:
    """Change an establishment; the same checks as :func:`create_establishment`."""
    values = _checked_values(
        actor=actor,
        establishment_id=establishment.id,
        name=name,
        tax_code=tax_code,
        business_type=business_type,
        address=address,
        commune_code=commune_code,
        latitude=latitude,
        longitude=longitude,
        representative=representative,
        phone=phone,
    )
    before = audit.snapshot(establishment)
    for key, value in values.items():
        setattr(establishment, key, value)
    _flush(values["tax_code"])
    changes = audit.diff(before, audit.snapshot(establishment))
    if changes:
        audit.record(_audit_actor(actor), "update", entity=establishment, changes=changes)
    return establishment


# --- finding ------------------------------------------------------------------------------------------


def _name_conditions(query: str) -> list[Any]:
    """Every folded word of ``query`` must appear in the folded name (in any order)."""
    return [
        Establishment.name_key.like(f"%{_like_escape(word)}%", escape="\\")
        for word in fold(query).split()[:8]
    ]


def _tax_digits(query: str) -> str | None:
    """The query as a (partial) tax code when it looks like one: digits, possibly with spaces and a hyphen."""
    code = normalise_tax_code(query)
    return code if len(code) >= 3 and code.replace("-", "").isdigit() else None


def find_similar(name: str | None, tax_code: str | None = None, limit: int = 8) -> list[Establishment]:
    """Establishments that may be the one meant: the exact tax code first, then names containing the query.

    A name matches when it contains every word of ``name`` once both are folded (diacritic- and
    case-insensitive), so "rach gia" finds "Công ty Rạch Giá". Names equal to the query come first,
    then names starting with it, then names containing it as a whole, then the rest; ties by name.
    A ``name`` that looks like a tax code also finds the tax codes starting with it.
    """
    folded = fold(name)
    code = normalise_tax_code(tax_code) or None
    conditions = []
    if folded:
        conditions.append(and_(*_name_conditions(folded)))
        if (digits := _tax_digits(name or "")) is not None:
            conditions.append(Establishment.tax_code.like(f"{_like_escape(digits)}%", escape="\\"))
    if code:
        conditions.append(Establishment.tax_code == code)
    if not conditions:
        return []
    escaped = _like_escape(folded)
    rank = case(
        (Establishment.tax_code == (code or ""), 0),
        (Establishment.name_key == folded, 1),
        (Establishment.name_key.like(f"{escaped}%", escape="\\"), 2),
        (Establishment.name_key.like(f"%{escaped}%", escape="\\"), 3),
        else_=4,
    )
    stmt = (
        select(Establishment)
        .where(or_(*conditions))
        .options(joinedload(Establishment.commune))
        .order_by(rank, Establishment.name_key, Establishment.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def establishment_list_query(
    q: str | None = None, commune_code: str | None = None, business_type: str | None = None
) -> Select[Establishment]:
    """A select of the establishments matching the filters, by name (the view paginates it).

    ``q`` matches the folded name (every word) or the tax code (containing the digits typed).
    """
    stmt = select(Establishment).options(joinedload(Establishment.commune))
    if q and fold(q):
        matches = [and_(*_name_conditions(q))]
        digits = normalise_tax_code(q)
        if any(ch.isdigit() for ch in digits):
            matches.append(Establishment.tax_code.like(f"%{_like_escape(digits)}%", escape="\\"))
        stmt = stmt.where(or_(*matches))
    if commune_code:
        stmt = stmt.where(Establishment.commune_code == commune_code)
    if business_type:
        stmt = stmt.where(Establishment.business_type == business_type)
    return stmt.order_by(Establishment.name_key, Establishment.id)


# --- history --------------------------------------------------------------------------------------------


def establishment_history(establishment_id: int, *, user: Any = None) -> list[Case]:
    """The establishment's cases, newest first: those recorded against it, and the surveys that took a
    sample there. With ``user``, only the cases of the communes that user may see (a liaison: theirs)."""
    # one indexed lookup each, united: ``establishment_id = ? OR EXISTS (sample …)`` read every case
    recorded_here = select(Case.id).where(Case.establishment_id == establishment_id)
    sampled_here = select(Sample.case_id).where(Sample.establishment_id == establishment_id)
    stmt = (
        select(Case)
        .where(Case.id.in_(union(recorded_here, sampled_here)))
        .options(joinedload(Case.commune))
        .order_by(Case.opened_on.desc(), Case.id.desc())
    )
    if user is not None:
        scope = permissions.commune_scope(user)
        if scope is not None:
            stmt = stmt.where(Case.commune_code.in_(sorted(scope)))
    return list(db.session.scalars(stmt))


def _confirmed_case_counts() -> Select[int | None, int]:
    """(establishment_id, number of distinct cases with a confirmed finding) per establishment."""
    return (
        select(Case.establishment_id, func.count(func.distinct(Finding.case_id)).label("cases"))
        .join(Finding, Finding.case_id == Case.id)
        .where(Finding.status == FindingStatus.CONFIRMED.value, Case.establishment_id.is_not(None))
        .group_by(Case.establishment_id)
    )


def _visible_to(stmt: Select[*_Columns], user: Any) -> Select[*_Columns]:
    """``stmt`` on the cases ``user`` may see (a liaison: their communes'); all of them without a user."""
    scope = permissions.commune_scope(user) if user is not None else None
    return stmt if scope is None else stmt.where(Case.commune_code.in_(sorted(scope)))


def is_repeat_offender(establishment_id: int, *, user: Any = None) -> bool:
    """Whether the establishment has confirmed findings in more than one case (one SQL aggregate).

    With ``user``, counted on the cases that user may see only: a badge is not a way to learn of cases in
    communes a liaison does not cover.
    """
    stmt = (
        select(func.count(func.distinct(Finding.case_id)))
        .join(Case, Case.id == Finding.case_id)
        .where(Case.establishment_id == establishment_id, Finding.status == FindingStatus.CONFIRMED.value)
    )
    return (db.session.scalar(_visible_to(stmt, user)) or 0) > 1


def repeat_offender_ids(ids: Iterable[int], *, user: Any = None) -> set[int]:
    """Those of ``ids`` that are repeat offenders (see :func:`is_repeat_offender`), in one query."""
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return set()
    counts = _visible_to(_confirmed_case_counts().where(Case.establishment_id.in_(wanted)), user)
    stmt = counts.having(func.count(func.distinct(Finding.case_id)) > 1)
    return {row.establishment_id for row in db.session.execute(stmt)}
