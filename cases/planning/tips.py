"""Tips and complaints (tin báo, phản ánh): recorded, listed, closed, and the ground of an unscheduled case
(``case_input_from_tip``: the new case's values, linked to the tip; saving the case marks the tip used)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db import db
from cases.db.ids import get_row
from cases.enums import CaseKind, InspectionMode, TipSource, TipStatus
from cases.errors import PermissionDenied, Problems, ValidationFailed
from cases.models import Commune, Establishment, Tip, User
from cases.recording.rules import MAX_URL_LENGTH, CaseInput
from cases.text import clean_text


@dataclass
class TipInput:
    source: str | None
    received_on: dt.date | None
    content: str | None
    establishment_id: int | None = None
    listing_url: str | None = None
    seller_name: str | None = None
    commune_code: str | None = None


def _check(data: TipInput, actor: User, today: dt.date) -> dict[str, object]:
    problems = Problems()
    if data.source not in {s.value for s in TipSource}:
        problems.add("required", field="source")
    if data.received_on is None:
        problems.add("required", field="received_on")
    elif data.received_on > today:
        problems.add("date_in_future", field="received_on")
    content = problems.check(clean_text, data.content, "content", 10000, required=True, multiline=True)
    establishment = (
        get_row(Establishment, data.establishment_id) if data.establishment_id is not None else None
    )
    if data.establishment_id is not None and (
        establishment is None or not permissions.can_use_establishment(actor, establishment)
    ):
        problems.add("unknown_establishment", field="establishment_id")
    commune_code = data.commune_code or (establishment.commune_code if establishment else None)
    if commune_code and db.session.get(Commune, commune_code) is None:
        problems.add("unknown_commune", field="commune_code", codes=commune_code)
    elif commune_code and not permissions.can_see_commune(actor, commune_code):
        problems.add("commune_out_of_scope", field="commune_code")
    elif not commune_code and permissions.commune_scope(actor) is not None:
        problems.add("required", field="commune_code")  # a liaison: one of their communes
    listing_url = problems.check(clean_text, data.listing_url, "listing_url", MAX_URL_LENGTH)
    seller_name = problems.check(clean_text, data.seller_name, "seller_name", 300)
    if not (data.establishment_id or listing_url or seller_name):
        problems.add("tip_subject_required", field="establishment_id")
    problems.raise_any()
    return {
        "source": data.source,
        "received_on": data.received_on,
        "content": content,
        "establishment_id": data.establishment_id,
        "listing_url": listing_url,
        "seller_name": seller_name,
        "commune_code": commune_code,
    }


def record_tip(*, actor: User, data: TipInput, today: dt.date | None = None) -> Tip:
    """Record a tip (open); audited."""
    if not permissions.can_record_tip(actor):
        raise PermissionDenied()
    values = _check(data, actor, today or dt.date.today())
    tip = Tip(**values, status=TipStatus.OPEN.value, recorded_by_id=actor.id)
    db.session.add(tip)
    db.session.flush()
    audit.record(actor, "create", entity=tip, changes=audit.diff({}, audit.snapshot(tip)))
    return tip


def set_status(*, actor: User, tip: Tip, status: str) -> Tip:
    """Close a tip, or open it again; audited."""
    if not (permissions.can_record_tip(actor) and permissions.can_view_tip(actor, tip)):
        raise PermissionDenied()
    if status not in {s.value for s in TipStatus}:
        raise ValidationFailed("invalid_choice", field="status")
    if status != tip.status:
        before = audit.snapshot(tip)
        tip.status = status
        db.session.flush()
        audit.record(actor, "update", entity=tip, changes=audit.diff(before, audit.snapshot(tip)))
    return tip


def tip_list_query(
    actor: User, *, status: str | None = None, establishment_id: int | None = None
) -> Select[Tip]:
    """The tips ``actor`` may see (a liaison: their communes), newest first."""
    stmt = select(Tip)
    scope = permissions.commune_scope(actor)
    if scope is not None:
        stmt = stmt.where(Tip.commune_code.in_(sorted(scope)))
    if status:
        stmt = stmt.where(Tip.status == status)
    if establishment_id is not None:
        stmt = stmt.where(Tip.establishment_id == establishment_id)
    return stmt.order_by(Tip.received_on.desc(), Tip.id.desc())


def case_input_from_tip(tip: Tip, *, today: dt.date | None = None) -> CaseInput:
    """A new unscheduled inspection's values from a tip, with the tip as its ground."""
    establishment = tip.establishment
    content = tip.content if len(tip.content) <= 500 else tip.content[:497] + "…"
    return CaseInput(
        kind=CaseKind.INSPECTION.value,
        opened_on=today or dt.date.today(),
        commune_code=tip.commune_code,
        address=establishment.address if establishment else None,
        latitude=establishment.latitude if establishment else None,
        longitude=establishment.longitude if establishment else None,
        establishment_id=tip.establishment_id,
        mode=InspectionMode.UNSCHEDULED.value,
        tip_id=tip.id,
        notes=f"Kiểm tra đột xuất theo tin báo, phản ánh ngày {tip.received_on:%d/%m/%Y}: {content}",
    )
