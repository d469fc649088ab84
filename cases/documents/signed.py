"""The paper copy of an issued document (issue 17 item 6; LEGAL-2025.md §1.7): the app prints it for wet
signatures, and keeps the scan or photo of the signed copy as the document of record — or, when the
establishment's representative refuses to sign, the refusal with the witness (a commune official or another
person) who saw it. Files are checked and stored as a case's evidence is (``cases.recording.evidence``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from cases.accounts import permissions
from cases.audit.trail import record
from cases.db import db
from cases.enums import DocumentSignature, DocumentStatus
from cases.errors import PermissionDenied, Problems, ValidationFailed
from cases.models import DocumentFile, OfficialDocument, User
from cases.recording import evidence
from cases.recording.evidence import MAX_PIXELS
from cases.text import clean_text


def _check(doc: OfficialDocument, actor: User) -> None:
    if not permissions.can_record_signature(actor, doc.case, doc.doc_type):
        raise PermissionDenied()
    if doc.status != DocumentStatus.ISSUED:
        raise ValidationFailed("document_not_issued")


def _mark(doc: OfficialDocument, actor: User, signature: DocumentSignature, now: dt.datetime | None) -> None:
    before = doc.signature
    doc.signature = signature.value
    doc.signed_at = now or dt.datetime.now(dt.UTC)
    db.session.flush()
    if before != signature.value:
        record(
            actor,
            "update",
            case=doc.case,
            entity=doc,
            changes=[{"field": "signature", "from": before, "to": signature.value}],
        )


def attach_signed_copy(
    doc: OfficialDocument,
    actor: User,
    files: Sequence[tuple[str | None, BinaryIO | bytes]],
    *,
    upload_folder: str | Path,
    max_bytes: int,
    max_pixels: int = MAX_PIXELS,
    now: dt.datetime | None = None,
) -> list[DocumentFile]:
    """Keep the scans or photos of the signed copy of the issued ``doc`` and mark it signed; if any file is
    refused, nothing is stored. Returns the new rows (their files are removed by the caller if the commit
    fails: ``evidence.remove_files``)."""
    _check(doc, actor)
    if not files:
        raise ValidationFailed("no_files", field="files")
    owner = evidence.Owner(
        DocumentFile, {"document": doc}, audited=("document_id", "original_name"), case=doc.case
    )
    created = evidence.store_files(
        owner,
        actor=actor,
        files=files,
        upload_folder=upload_folder,
        max_bytes=max_bytes,
        max_pixels=max_pixels,
    )
    _mark(doc, actor, DocumentSignature.SIGNED, now)
    return created


def record_refusal(
    doc: OfficialDocument,
    actor: User,
    witness: str | None,
    note: str | None,
    *,
    now: dt.datetime | None = None,
) -> None:
    """The establishment's representative refused to sign the issued ``doc``: who witnessed it (required:
    a commune official or another witness, Law on Handling Administrative Violations Art. 58) and a note."""
    _check(doc, actor)
    problems = Problems()
    witness_text = problems.check(clean_text, witness, "refusal_witness", 300, required=True)
    note_text = problems.check(clean_text, note, "refusal_note", 2000, multiline=True)
    problems.raise_any()
    before = (doc.refusal_witness, doc.refusal_note)
    doc.refusal_witness, doc.refusal_note = witness_text, note_text
    db.session.flush()
    if before != (witness_text, note_text):
        record(
            actor,
            "update",
            case=doc.case,
            entity=doc,
            changes=[
                {"field": "refusal_witness", "from": before[0], "to": witness_text},
                {"field": "refusal_note", "from": before[1], "to": note_text},
            ],
        )
    _mark(doc, actor, DocumentSignature.REFUSED, now)


def delete_signed_copy(f: DocumentFile, actor: User, upload_folder: str | Path) -> list[Path]:
    """Delete one scan of a signed copy (a wrong file attached); the document stays signed while another
    scan remains. Returns the files to remove once committed."""
    doc = f.document
    _check(doc, actor)
    paths = evidence.delete_stored(f, upload_folder, actor=actor, case=doc.case)
    db.session.refresh(doc)
    if not doc.files and doc.signature == DocumentSignature.SIGNED:
        before = doc.signature
        doc.signature, doc.signed_at = None, None
        db.session.flush()
        changes = [{"field": "signature", "from": before, "to": None}]
        record(actor, "update", case=doc.case, entity=doc, changes=changes)
    return paths
