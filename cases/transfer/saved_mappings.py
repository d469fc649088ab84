"""Mappings saved under a name (issue 21): the checked way of reading a sheet in its own shape — each header
and the import column it is read as, the constants — kept for the next file of the same shape, on the
upload page and in ``import-cases --mapping NAME``. Saving and deleting are audited. Flushes, never commits.
"""

from __future__ import annotations

from sqlalchemy import func, select

from cases.accounts import permissions
from cases.audit import trail
from cases.db import db
from cases.errors import PermissionDenied, ValidationFailed
from cases.models import ImportMapping, User
from cases.text import clean_text
from cases.transfer.mapping import ColumnMapping, HeaderMapping

MAX_NAME_LENGTH = 100


def all_mappings() -> list[ImportMapping]:
    return list(db.session.scalars(select(ImportMapping).order_by(func.lower(ImportMapping.name))))


def find(name: str) -> ImportMapping | None:
    """The mapping saved under ``name`` (case and surrounding spaces ignored)."""
    key = name.strip().lower()
    return db.session.scalar(select(ImportMapping).where(func.lower(ImportMapping.name) == key))


def as_header_mapping(saved: ImportMapping) -> HeaderMapping:
    pairs = tuple((str(p.get("header", "")), str(p.get("column", ""))) for p in saved.columns)
    return HeaderMapping(pairs, {str(k): str(v) for k, v in (saved.constants or {}).items()})


def save_mapping(name: str, mapping: ColumnMapping, headers: list[str], *, actor: User) -> ImportMapping:
    """Save ``mapping`` (positions read with ``headers``, the sheet's header row) under ``name``.

    Raises ``ValidationFailed`` (field ``name``): ``required``, ``too_long``, ``mapping_name_taken``;
    ``mapping_column_without_header`` when a column read has no header to find it by in the next file."""
    if not permissions.can_import_cases(actor):
        raise PermissionDenied("import_not_allowed")
    text = clean_text(name, field="name", required=True, max_length=MAX_NAME_LENGTH) or ""
    if find(text) is not None:
        raise ValidationFailed("mapping_name_taken", field="name")
    pairs = []
    for position, column in sorted(mapping.columns.items()):
        header = headers[position].strip() if position < len(headers) else ""
        if not header:
            raise ValidationFailed("mapping_column_without_header", field="name", position=position + 1)
        pairs.append({"header": header, "column": column})
    saved = ImportMapping(
        name=text,
        columns=pairs,
        constants={k: v for k, v in mapping.constants.items() if v},
        created_by_id=actor.id,
    )
    db.session.add(saved)
    db.session.flush()
    trail.record(actor, "create", entity=saved, changes=trail.diff({}, trail.snapshot(saved)))
    return saved


def delete_mapping(saved: ImportMapping, *, actor: User) -> None:
    """Delete a saved mapping: its author or an administrator."""
    if not permissions.can_delete_import_mapping(actor, saved):
        raise PermissionDenied("not_allowed")
    trail.record(actor, "delete", entity=saved, changes=trail.diff(trail.snapshot(saved), {}))
    db.session.delete(saved)
    db.session.flush()
