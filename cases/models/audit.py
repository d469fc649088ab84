"""The audit trail: one append-only row per create, edit, state change, upload or deletion.

Append-only twice over: the ORM refuses to update or delete an ``AuditEvent`` (mapper events below),
and the database refuses it too (triggers created by migration 0003 and tightened by 0007, on PostgreSQL
and SQLite). The one update the triggers let through is the foreign key's own ``ON DELETE SET NULL`` on
``case_id`` when a draft is deleted: the log of a deleted draft stays, detached from the case
(``entity_type``/``entity_id`` still name it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, event, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases.db import Model
from cases.models.user import User


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or remove an audit entry."""


class AuditEvent(Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id", ondelete="SET NULL"), index=True)
    entity_type: Mapped[str] = mapped_column(
        String(30)
    )  # case, instrument, lot, goods, sample, finding, evidence
    entity_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))  # create, update, delete, upload, import, submit, ...
    changes: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # [{field, from, to}]
    reason: Mapped[str | None] = mapped_column(Text)
    # the hash chain (cases/audit/integrity.py): the previous entry's entry_hash, and this entry's own
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    entry_hash: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()

    # a case's timeline also finds entries by entity (a deleted draft's): without this index that side of
    # the OR scanned the whole log on every case page
    __table_args__ = (Index("ix_audit_event_entity", "entity_type", "entity_id"),)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.entity_type}:{self.entity_id} case={self.case_id}>"


class AuditChainHead(Model):
    """The one row (id 1) holding the newest audit entry's id and hash: writers lock it (``SELECT … FOR
    UPDATE``) before chaining, so concurrent transactions cannot fork the chain, and ``audit verify`` sees
    when the newest entries were removed."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int | None] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper: Any, connection: Any, target: AuditEvent) -> None:
    raise AuditLogIsAppendOnly("audit entries cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper: Any, connection: Any, target: AuditEvent) -> None:
    raise AuditLogIsAppendOnly("audit entries cannot be deleted")
