"""The audit trail: record who did what to which case, when, what changed from what to what, and why.

Every writing service in ``cases/`` calls :func:`record` in the same transaction as the change, so an
edit and its audit entry are committed (or rolled back) together. Entries are append-only (see
``cases/models/audit.py``). Flushes, never commits.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from cases.db import db
from cases.models import AuditEvent, Case, User

#: Columns never shown in a diff: keys, bookkeeping and derived values.
_SKIPPED = {
    "id",
    "case_id",
    "version",
    "search_key",
    "listing_url_key",
    "seller_key",
    "created_at",
    "updated_at",
    "created_by_id",
    "uploaded_by_id",
    "uploaded_at",
    "stored_name",
    "sha256",
    "has_thumbnail",
    "former_district_code",
}

#: entity_type of each model (what the timeline names).
ENTITY_TYPES = {
    "Case": "case",
    "InstrumentCheck": "instrument",
    "PrepackagedLot": "prepackaged_lot",
    "GoodsItem": "goods",
    "Sample": "sample",
    "Finding": "finding",
    "EvidenceFile": "evidence",
    "AnnualReport": "annual_report",
}


def _plain(value: Any) -> Any:
    """A JSON-friendly value."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: Any) -> dict[str, Any]:
    """The audited values of a model row (its columns, and a case's fields and team)."""
    values = {
        attr.key: _plain(getattr(obj, attr.key))
        for attr in sa_inspect(type(obj)).column_attrs
        if attr.key not in _SKIPPED
    }
    if isinstance(obj, Case):
        values["fields"] = sorted(obj.fields)
        values["team_ids"] = sorted(u.id for u in obj.team)
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """``[{field, from, to}]`` for every key whose value differs (a missing key counts as ``None``)."""
    changes = []
    for key in sorted(set(before) | set(after)):
        old, new = _plain(before.get(key)), _plain(after.get(key))
        if old != new:
            changes.append({"field": key, "from": old, "to": new})
    return changes


def record(
    actor: User | None,
    action: str,
    *,
    case: Case | None = None,
    entity: Any = None,
    changes: list[dict[str, Any]] | None = None,
    reason: str | None = None,
) -> AuditEvent:
    """Append one audit entry. ``entity`` defaults to the case itself."""
    target = entity if entity is not None else case
    entity_type = ENTITY_TYPES.get(type(target).__name__, type(target).__name__.lower()) if target else "case"
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        case_id=case.id if case is not None else None,
        entity_type=entity_type,
        entity_id=getattr(target, "id", None),
        action=action,
        changes=changes or None,
        reason=reason,
    )
    db.session.add(event)
    db.session.flush()
    return event


def case_timeline(case_id: int) -> list[AuditEvent]:
    """The audit entries of a case, newest first (a deleted draft's entries are found by entity too)."""
    stmt = (
        select(AuditEvent)
        .where(
            or_(
                AuditEvent.case_id == case_id,
                (AuditEvent.entity_type == "case") & (AuditEvent.entity_id == case_id),
            )
        )
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return list(db.session.scalars(stmt))
