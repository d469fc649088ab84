"""Checking the audit trail's hash chain, the finalised reports' checksums and the issued official documents'
(``flask audit verify``).

Entries are read in id order in batches (a server-side cursor on PostgreSQL), never all at once.
An entry whose content no longer matches its ``entry_hash`` was altered; an entry whose ``prev_hash`` is
not the previous entry's ``entry_hash`` follows a removed (or re-hashed) entry; a chain head that does not
name the last entry means the newest entries were removed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, select

from cases.audit.integrity import GENESIS_HASH, audit_entry_hash, canonical_sha256
from cases.db import db
from cases.models import AnnualReport, AuditChainHead, AuditEvent, OfficialDocument

BATCH = 2000


@dataclass
class Problem:
    kind: str  # "altered", "removed", "unchained", "tail_removed", "report_altered", "document_altered"
    entry_id: int | None
    detail: str


@dataclass
class VerifyResult:
    entries: int = 0
    reports: int = 0
    documents: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def _entries() -> Iterator[Row[Any]]:
    stmt = (
        select(
            AuditEvent.id,
            AuditEvent.at,
            AuditEvent.actor_id,
            AuditEvent.entity_type,
            AuditEvent.entity_id,
            AuditEvent.action,
            AuditEvent.changes,
            AuditEvent.reason,
            AuditEvent.prev_hash,
            AuditEvent.entry_hash,
        )
        .order_by(AuditEvent.id)
        .execution_options(yield_per=BATCH)
    )
    yield from db.session.execute(stmt)


def verify_chain(result: VerifyResult) -> None:
    previous_id: int | None = None
    previous_hash = GENESIS_HASH
    for row in _entries():
        result.entries += 1
        if row.entry_hash is None or row.prev_hash is None:
            result.problems.append(Problem("unchained", row.id, "entry has no hash"))
        else:
            expected = audit_entry_hash(
                at=row.at,
                actor_id=row.actor_id,
                entity_type=row.entity_type,
                entity_id=row.entity_id,
                action=row.action,
                changes=row.changes,
                reason=row.reason,
                prev_hash=row.prev_hash,
            )
            if expected != row.entry_hash:
                result.problems.append(Problem("altered", row.id, "content does not match its hash"))
            if row.prev_hash != previous_hash:
                after = f"after entry #{previous_id}" if previous_id is not None else "at the start"
                result.problems.append(
                    Problem(
                        "removed", row.id, f"link broken {after}: an entry before it was removed or rewritten"
                    )
                )
        previous_id, previous_hash = row.id, row.entry_hash or previous_hash
    head = db.session.get(AuditChainHead, 1)
    if head is not None and (head.last_id != previous_id or head.last_hash != previous_hash):
        result.problems.append(
            Problem(
                "tail_removed",
                head.last_id,
                f"the chain head names entry #{head.last_id}, the last entry found is #{previous_id}",
            )
        )


def verify_reports(result: VerifyResult) -> None:
    stmt = (
        select(AnnualReport.id, AnnualReport.year, AnnualReport.snapshot, AnnualReport.snapshot_sha256)
        .where(AnnualReport.snapshot_sha256.is_not(None))
        .order_by(AnnualReport.id)
        .execution_options(yield_per=50)
    )
    for row in db.session.execute(stmt):
        result.reports += 1
        if row.snapshot is None or canonical_sha256(row.snapshot) != row.snapshot_sha256:
            result.problems.append(
                Problem(
                    "report_altered", row.id, f"annual report {row.year}: snapshot does not match its SHA-256"
                )
            )


def _issued_hashes() -> dict[int, str]:
    """The SHA-256 each document's ``issue`` entry recorded, by document id (the chain vouches for it)."""
    stmt = select(AuditEvent.entity_id, AuditEvent.changes).where(
        AuditEvent.entity_type == "document", AuditEvent.action == "issue"
    )
    hashes: dict[int, str] = {}
    for entity_id, changes in db.session.execute(stmt):
        for change in changes or []:
            if change.get("field") == "sha256" and entity_id is not None:
                hashes[entity_id] = change.get("to")
    return hashes


def verify_documents(result: VerifyResult) -> None:
    """Every issued (or since voided or replaced) document's snapshot matches its SHA-256, and that SHA-256
    is the one its issue entry in the hash chain recorded (so rewriting both columns shows too)."""
    recorded = _issued_hashes()
    stmt = (
        select(
            OfficialDocument.id, OfficialDocument.number, OfficialDocument.snapshot, OfficialDocument.sha256
        )
        .where(OfficialDocument.sha256.is_not(None))
        .order_by(OfficialDocument.id)
        .execution_options(yield_per=200)
    )
    for row in db.session.execute(stmt):
        result.documents += 1
        actual = (
            hashlib.sha256(row.snapshot.encode("utf-8")).hexdigest() if row.snapshot is not None else None
        )
        if actual != row.sha256 or recorded.get(row.id) != row.sha256:
            result.problems.append(
                Problem(
                    "document_altered",
                    row.id,
                    f"document {row.number}: its content does not match the SHA-256 recorded at issue",
                )
            )


def verify() -> VerifyResult:
    """Walk the whole audit chain, every finalised report and every issued document."""
    result = VerifyResult()
    verify_chain(result)
    verify_reports(result)
    verify_documents(result)
    return result
