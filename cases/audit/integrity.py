"""Checksums that make tampering visible: the audit trail's hash chain and finalised reports' snapshots.

Each audit entry stores ``prev_hash`` (the ``entry_hash`` of the entry before it, in id order; the first
one points at :data:`GENESIS_HASH`) and ``entry_hash`` = SHA-256 of the canonical JSON of its content and
``prev_hash``. Changing an entry breaks its own hash; removing one breaks the next entry's link. The last
hash is kept in the one-row table ``audit_chain_head`` too, so removing the newest entries shows as well.

``case_id`` is not hashed: the database itself sets it to NULL when a draft case is deleted (the only
update the append-only triggers allow); the entity (``entity_type``/``entity_id``) is hashed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

#: ``prev_hash`` of the first entry of the chain.
GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """A JSON value written canonically: sorted keys, no spaces, non-ASCII kept as is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_sha256(value: Any) -> str:
    """SHA-256 (hex) of a JSON value written canonically, encoded as UTF-8."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def canonical_time(value: dt.datetime | None) -> str | None:
    """A timestamp as UTC ISO text with microseconds (aware values converted; naive ones taken as UTC,
    as SQLite stores them)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def audit_entry_hash(
    *,
    at: dt.datetime | None,
    actor_id: int | None,
    entity_type: str,
    entity_id: int | None,
    action: str,
    changes: Any,
    reason: str | None,
    prev_hash: str,
) -> str:
    """The ``entry_hash`` of an audit entry with this content, chained to ``prev_hash``."""
    return canonical_sha256(
        {
            "at": canonical_time(at),
            "actor_id": actor_id,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "action": action,
            "changes": changes,
            "reason": reason,
            "prev_hash": prev_hash,
        }
    )
