"""The audit trail: record who did what to which case, when, what changed from what to what, and why.

Every writing service in ``cases/`` calls :func:`record` in the same transaction as the change, so an
edit and its audit entry are committed (or rolled back) together. Entries are append-only (see
``cases/models/audit.py``) and hash-chained (``cases/audit/integrity.py``): :func:`record` locks the
chain head row until the transaction ends, so entries are chained in id order even with concurrent
writers.
Flushes, never commits.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import or_, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from cases.audit.integrity import GENESIS_HASH, audit_entry_hash
from cases.db import db
from cases.db.bulk_rows import insert_rows, reserve_ids
from cases.models import AuditChainHead, AuditEvent, Case, User
from cases.models.case import team_roles

#: Columns never shown in a diff: keys, bookkeeping and derived values.
_SKIPPED = {
    "id",
    "case_id",
    "version",
    "search_key",
    "has_violation",  # kept from the findings by the database; the findings have their own entries
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
    "name_key",  # an establishment's folded name, derived
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
    "Activity": "activity",
    "ActivityFile": "activity_file",
    "PlanTask": "plan_task",
    "AnnualReport": "annual_report",
    "User": "account",
    "Establishment": "establishment",
    "SurveyCampaign": "campaign",
    "OfficialDocument": "document",
    "DocumentTemplate": "document_template",
    "DocumentFile": "document_file",
    "AgencySetting": "agency",
    "AgencySigner": "signer",
    "FileTransfer": "file_transfer",
    "ImportMapping": "import_mapping",
    "Tip": "tip",
    "RiskWeightVersion": "risk_weights",
    "AgencyCheck": "agency_check",
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
        # the team's roles, only when given (a case without roles snapshots as before)
        roles = team_roles(obj.id) if obj.id is not None and obj.team else {}
        for role, key in (("leader", "team_leader_id"), ("technical", "technical_officer_id")):
            chosen = sorted(user_id for user_id, given in roles.items() if given == role)
            if chosen:
                values[key] = chosen[0]
    return values


@functools.cache
def _case_keys() -> tuple[str, ...]:
    return tuple(attr.key for attr in sa_inspect(Case).column_attrs if attr.key not in _SKIPPED)


def case_snapshot_values(values: dict[str, Any], *, fields: list[str], team_ids: list[int]) -> dict[str, Any]:
    """What :func:`snapshot` gives for a case holding these column ``values`` (missing columns: ``None``),
    for writers that insert rows without ORM objects (the bulk import)."""
    snap = {key: _plain(values.get(key)) for key in _case_keys()}
    snap["fields"] = sorted(fields)
    snap["team_ids"] = sorted(team_ids)
    return snap


def creation_changes(after: dict[str, Any]) -> list[dict[str, Any]]:
    """``diff({}, after)`` for a snapshot (values already plain), without comparing: every value that is
    not ``None``, in key order (the bulk import writes thousands)."""
    return [{"field": key, "from": None, "to": after[key]} for key in sorted(after) if after[key] is not None]


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
    content: dict[str, Any] = {
        "at": dt.datetime.now(dt.UTC),
        "actor_id": actor.id if actor is not None else None,
        "entity_type": entity_type,
        "entity_id": getattr(target, "id", None),
        "action": action,
        # as it will read back from the JSON column (tuples become lists, and so on)
        "changes": json.loads(json.dumps(changes)) if changes else None,
        "reason": reason,
    }
    head = _locked_chain_head()
    entry_hash = audit_entry_hash(**content, prev_hash=head.last_hash)
    event = AuditEvent(
        **content,
        case_id=case.id if case is not None else None,
        prev_hash=head.last_hash,
        entry_hash=entry_hash,
    )
    db.session.add(event)
    db.session.flush()
    head.last_id = event.id
    head.last_hash = entry_hash
    db.session.flush()
    return event


@dataclass(frozen=True)
class BulkEntry:
    """One entry for :func:`record_many`."""

    case_id: int | None
    entity_type: str
    entity_id: int | None
    changes: list[dict[str, Any]] | None


def record_many(actor: User | None, action: str, entries: list[BulkEntry]) -> None:
    """Append many entries at once, chained in list order exactly as :func:`record` would chain them
    one after the other (same content, same hashes), in a few INSERTs instead of one per entry."""
    if not entries:
        return
    head = _locked_chain_head()
    prev_hash = head.last_hash
    rows: list[dict[str, Any]] = []
    for entry in entries:
        content: dict[str, Any] = {
            "at": dt.datetime.now(dt.UTC),
            "actor_id": actor.id if actor is not None else None,
            "entity_type": entry.entity_type,
            "entity_id": entry.entity_id,
            "action": action,
            "changes": json.loads(json.dumps(entry.changes)) if entry.changes else None,
            "reason": None,
        }
        entry_hash = audit_entry_hash(**content, prev_hash=prev_hash)
        rows.append({**content, "case_id": entry.case_id, "prev_hash": prev_hash, "entry_hash": entry_hash})
        prev_hash = entry_hash
    # ids in chain order (``audit verify`` walks the entries by id); the chain head is locked, so nobody
    # else's entry comes between them
    ids = reserve_ids(AuditEvent, len(rows))
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    insert_rows(AuditEvent, rows)
    last_id = ids[-1]
    head.last_id = last_id
    head.last_hash = prev_hash
    db.session.flush()


def lock_chain_head() -> AuditChainHead:
    """Lock the chain head until the transaction ends (bulk writers call it before they start writing)."""
    return _locked_chain_head()


def _locked_chain_head() -> AuditChainHead:
    """The chain head row, locked until the transaction ends (created when missing).

    PostgreSQL: ``SELECT … FOR UPDATE``. SQLite: a no-op UPDATE first, which opens the write transaction
    (taking the database's write lock, waiting up to the busy timeout) before the head is read."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(text("UPDATE audit_chain_head SET last_id = last_id WHERE id = 1"))
    stmt = (
        select(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    head = db.session.scalars(stmt).first()
    if head is None:
        insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        db.session.execute(
            insert(AuditChainHead)
            .values(id=1, last_id=None, last_hash=GENESIS_HASH)
            .on_conflict_do_nothing(index_elements=["id"])
        )
        head = db.session.scalars(stmt).one()
    return head


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


def entity_timeline(entity_type: str, entity_id: int, *, limit: int = 50) -> list[AuditEvent]:
    """The newest audit entries of one thing that is not a case (an account, an establishment), newest
    first."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
