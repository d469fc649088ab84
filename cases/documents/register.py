"""The register of official documents (sổ theo dõi văn bản): draft, edit the draft's own texts, issue, void,
correct. Who may do what is decided in ``cases/accounts/permissions.py``; every operation writes its audit
entry (``cases/audit/trail.py``: ``record``), so the hash chain covers the register; flushes, never commits.

A draft has no number. Issuing it picks the template version in force on the handling date, gives it the
next number of its type and year (``numbering``), the signer, and freezes what it shows (``snapshot``:
canonical JSON with its SHA-256): editing the case afterwards changes nothing of it. An issued document is
never edited: it is voided (with a reason) or corrected (a new draft naming it; issuing the correction marks
it replaced).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from cases.accounts import permissions
from cases.audit.integrity import canonical_json
from cases.audit.trail import record
from cases.db import db
from cases.documents.agency import agency_settings, list_signers
from cases.documents.authority import check_signer_authority
from cases.documents.numbering import next_document_sequence
from cases.documents.snapshot import sha256_of, snapshot_of
from cases.documents.templates import template_in_force
from cases.enums import DocumentStatus, DocumentType, FindingStatus
from cases.errors import PermissionDenied, Problems, ValidationFailed, all_problems
from cases.models import AgencySigner, Case, DocumentTemplate, Finding, OfficialDocument, User
from cases.text import clean_text

#: The free-text parts that belong to a document rather than to its case, edited on the draft.
TEXT_PARTS = (
    "statement",
    "witnesses",
    "conclusion",
    "copies",
    "time_started",  # a record: the time it was opened and closed on site ("14:30")
    "time_ended",
    "invoices",  # a sampling record: the invoices and papers of the goods shown
    "sampling_allowed",  # a decision to inspect: may the team take samples before presenting it ("yes"/"no")
)
TIME_PARTS = ("time_started", "time_ended")
_TEXT_MAX = 10_000
_COPIES_MAX = 50
#: A violation record is made in at least two copies (Law on Handling Administrative Violations, Art. 58(4)).
MIN_COPIES = {DocumentType.VIOLATION_RECORD: 2}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def texts_of(doc: OfficialDocument) -> dict[str, Any]:
    """The draft's own texts (``{}`` when none was written)."""
    return dict(json.loads(doc.texts)) if doc.texts else {}


def _check_finding(case: Case, doc_type: DocumentType, finding: Finding | None) -> None:
    if not doc_type.per_finding:
        if finding is not None:
            raise ValidationFailed("document_finding_not_expected", field="finding_id")
        return
    if finding is None:
        raise ValidationFailed("document_finding_required", field="finding_id")
    if finding.case_id != case.id:
        raise ValidationFailed("document_finding_not_on_case", field="finding_id")
    if finding.status == FindingStatus.DISMISSED:
        raise ValidationFailed("document_finding_dismissed", field="finding_id")
    if doc_type == DocumentType.SANCTION_DECISION and finding.status != FindingStatus.CONFIRMED:
        raise ValidationFailed("document_finding_not_confirmed", field="finding_id")


def _check_draft(doc: OfficialDocument) -> None:
    if doc.status != DocumentStatus.DRAFT:
        raise ValidationFailed("document_not_draft")


def _check_issued(doc: OfficialDocument) -> None:
    if doc.status != DocumentStatus.ISSUED:
        raise ValidationFailed("document_not_issued")


def start_draft(
    case: Case,
    doc_type: DocumentType | str,
    actor: User,
    finding: Finding | None = None,
    *,
    today: dt.date | None = None,
) -> OfficialDocument:
    """A new draft of ``doc_type`` for ``case`` (a violation record or a sanction decision: for one
    ``finding``). Its template is the version in force today, for the preview; issuing picks it again."""
    if not permissions.can_draft_document(actor, case):
        raise PermissionDenied()
    try:
        kind = DocumentType(doc_type)
    except ValueError:
        raise ValidationFailed("document_type_unknown", field="doc_type") from None
    _check_finding(case, kind, finding)
    template = template_in_force(kind, today or dt.date.today())
    doc = OfficialDocument(
        doc_type=kind.value,
        case=case,
        case_id=case.id,
        finding=finding,
        template=template,
        status=DocumentStatus.DRAFT.value,
        created_by_id=actor.id,
    )
    db.session.add(doc)
    db.session.flush()
    record(
        actor,
        "create",
        case=case,
        entity=doc,
        changes=[
            {"field": "doc_type", "from": None, "to": kind.value},
            *([{"field": "finding_id", "from": None, "to": finding.id}] if finding is not None else []),
        ],
    )
    return doc


_TIME = re.compile(r"(\d{1,2})\s*(?::|h|giờ)\s*(\d{1,2})?\s*(?:phút|p)?", re.IGNORECASE)


def _clean_copies(doc_type: DocumentType, value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        copies = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed("document_copies_invalid", field="copies", max=_COPIES_MAX) from None
    if not 1 <= copies <= _COPIES_MAX:
        raise ValidationFailed("document_copies_invalid", field="copies", max=_COPIES_MAX)
    minimum = MIN_COPIES.get(doc_type, 1)
    if copies < minimum:
        raise ValidationFailed("document_copies_too_few", field="copies", min=minimum)
    return copies


def _clean_time(part: str, value: Any) -> str | None:
    """A time of day as typed on site ("14:30", "14h30", "14 giờ 30 phút", "9h") → "14:30"."""
    text = clean_text(None if value is None else str(value), part, 30)
    if text is None:
        return None
    found = _TIME.fullmatch(text)
    if found is None or int(found.group(1)) > 23 or int(found.group(2) or 0) > 59:
        raise ValidationFailed("document_time_invalid", field=part)
    return f"{int(found.group(1)):02d}:{int(found.group(2) or 0):02d}"


def _clean_choice(part: str, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if value not in ("yes", "no"):
        raise ValidationFailed("invalid_choice", field=part)
    return str(value)


def _clean_texts(doc_type: DocumentType, texts: Mapping[str, Any]) -> dict[str, Any]:
    """The draft's texts checked part by part, every problem at once (``Problems``)."""
    problems = Problems()
    cleaned: dict[str, Any] = {}
    for part, value in texts.items():
        if part not in TEXT_PARTS:
            problems.add("document_text_unknown", field=part, part=part)
            continue
        if part == "copies":
            result = problems.check(_clean_copies, doc_type, value)
        elif part in TIME_PARTS:
            result = problems.check(_clean_time, part, value)
        elif part == "sampling_allowed":
            result = problems.check(_clean_choice, part, value)
        else:
            result = problems.check(
                clean_text, None if value is None else str(value), part, _TEXT_MAX, multiline=True
            )
        if result is not None:
            cleaned[part] = result
    problems.raise_any()
    return cleaned


def text_problems(doc_type: DocumentType | str, texts: Mapping[str, Any]) -> list[ValidationFailed]:
    """Every problem of the draft's ``texts`` (none: an empty list), for a form that failed its own checks
    to show them too."""
    try:
        _clean_texts(DocumentType(doc_type), texts)
    except ValidationFailed as exc:
        return all_problems(exc)
    return []


def update_draft_text(
    doc: OfficialDocument, actor: User, texts: Mapping[str, Any], expected_version: int | None
) -> OfficialDocument:
    """Replace the draft's own texts (statement, witnesses, conclusion, number of copies) with ``texts``.
    ``expected_version`` is the version the user opened; a newer one means somebody saved meanwhile."""
    if not permissions.can_draft_document(actor, doc.case):
        raise PermissionDenied()
    _check_draft(doc)
    if expected_version is not None and expected_version != doc.version:
        raise ValidationFailed("document_changed_meanwhile")
    before = texts_of(doc)
    after = _clean_texts(DocumentType(doc.doc_type), texts)
    if after == before:
        return doc
    doc.texts = canonical_json(after) if after else None
    db.session.flush()
    changes = [  # part by part, as a case's edit is recorded field by field
        {"field": part, "from": before.get(part), "to": after.get(part)}
        for part in TEXT_PARTS
        if before.get(part) != after.get(part)
    ]
    record(actor, "update", case=doc.case, entity=doc, changes=changes)
    return doc


def _template_data(template: DocumentTemplate) -> dict[str, Any]:
    return {
        "id": template.id,
        "version_label": template.version_label,
        "effective_from": template.effective_from.isoformat(),
        "form_code": template.form_code,
        "title": template.title,
        "legal_bases": template.legal_basis_lines,
        "number_pattern": template.number_pattern,
    }


def _chosen_signer(signer_id: int | None) -> AgencySigner | None:
    if signer_id is None:
        return None
    signer = db.session.get(AgencySigner, signer_id)
    if signer is None or not signer.active:
        raise ValidationFailed("document_signer_unknown", field="signer_id")
    return signer


def _signer_data(chosen: AgencySigner | None) -> dict[str, Any]:
    """What a chosen signer adds to the name and title: who he is among the signers, the authority he
    holds and the delegation decision he holds it by (cited by the sanction decision)."""
    if chosen is None:
        return {}
    return {
        "signer_id": chosen.id,
        "authority_code": chosen.authority_code,
        "delegation_reference": chosen.delegation_reference,
    }


def issue(
    doc: OfficialDocument,
    actor: User,
    signer_name: str | None = None,
    signer_title: str | None = None,
    *,
    on: dt.date,
    now: dt.datetime | None = None,
    signer_id: int | None = None,
) -> OfficialDocument:
    """Issue a draft on the handling date ``on``: the template in force that day, the next number of its
    type and year, the signer, and its content frozen (snapshot and SHA-256), with the agency as it is
    configured now (``snapshot["agency"]``: the letterhead stays what it was). The signer is one of the
    agency's active signers (``signer_id``: his name and title, unless others are typed) or a name and
    title typed. A correction's issue marks the document it replaces replaced."""
    case = doc.case
    if not permissions.can_issue_document(actor, case, doc.doc_type):
        raise PermissionDenied()
    _check_draft(doc)
    chosen = _chosen_signer(signer_id)
    if chosen is None and doc.doc_type == DocumentType.SANCTION_DECISION and list_signers(active_only=True):
        # who may fine how much is checked against the signer's authority: he must be one of the list
        raise ValidationFailed("document_sanction_signer_listed", field="signer_id")
    if chosen is not None:
        signer_name = signer_name or chosen.full_name
        signer_title = signer_title or chosen.title
    name = clean_text(signer_name, "signer_name", 120, required=True)
    # a title on two lines: "KT. GIÁM ĐỐC" above "PHÓ GIÁM ĐỐC"
    title = clean_text(signer_title, "signer_title", 200, required=True, multiline=True)
    kind = DocumentType(doc.doc_type)
    _check_finding(case, kind, doc.finding)
    template = template_in_force(kind, on)
    if template is None:
        raise ValidationFailed("document_no_template", field="issued_on", doc_type=kind.value)
    replaced = doc.replaces
    if replaced is not None and replaced.status != DocumentStatus.ISSUED:
        raise ValidationFailed("document_replaced_not_issued")
    authority = None
    if kind == DocumentType.SANCTION_DECISION and chosen is not None and doc.finding is not None:
        # a fine above the signer's ceiling is refused, naming the competent authority (transfer_file)
        authority = check_signer_authority(doc.finding, chosen, on).as_data()
    sequence = next_document_sequence(kind, on.year)
    number = template.number(sequence)
    data = snapshot_of(case, kind, doc.finding)
    data["agency"] = agency_settings().as_data()
    data["document"] = {
        "type": kind.value,
        "number": number,
        "year": on.year,
        "sequence": sequence,
        "issued_on": on.isoformat(),
        "template": _template_data(template),
        "signer": {"name": name, "title": title, **_signer_data(chosen)},
        **({"authority": authority} if authority is not None else {}),
        "texts": texts_of(doc),
        "replaces": None if replaced is None else {"number": replaced.number, "issued_on": _iso(replaced)},
    }
    frozen = canonical_json(data)
    previewed_template_id = doc.template_id
    doc.template = template
    doc.year, doc.sequence, doc.number = on.year, sequence, number
    doc.issued_on, doc.issued_at, doc.issued_by_id = on, now or _now(), actor.id
    doc.signer_name, doc.signer_title = name, title
    if kind == DocumentType.SANCTION_DECISION and doc.finding is not None:
        doc.fine_vnd = doc.finding.decided_fine_vnd  # what the reports sum (the fines by decision)
    doc.snapshot, doc.sha256 = frozen, sha256_of(frozen)
    doc.status = DocumentStatus.ISSUED.value
    db.session.flush()
    record(
        actor,
        "issue",
        case=case,
        entity=doc,
        changes=[
            {"field": "status", "from": DocumentStatus.DRAFT.value, "to": DocumentStatus.ISSUED.value},
            {"field": "number", "from": None, "to": number},
            {"field": "issued_on", "from": None, "to": on.isoformat()},
            {"field": "template_id", "from": previewed_template_id, "to": template.id},
            {"field": "signer_name", "from": None, "to": name},
            {"field": "signer_title", "from": None, "to": title},
            {"field": "sha256", "from": None, "to": doc.sha256},
        ],
    )
    if kind == DocumentType.DECISION:
        _carry_out(doc, actor, doc.signer_name or "", doc.signer_title or "")
    if replaced is not None:
        replaced.status = DocumentStatus.REPLACED.value
        db.session.flush()
        record(
            actor,
            "replace",
            case=replaced.case,
            entity=replaced,
            changes=[
                {"field": "status", "from": DocumentStatus.ISSUED.value, "to": DocumentStatus.REPLACED.value},
            ],
            reason=number,
        )
    return doc


def _carry_out(doc: OfficialDocument, actor: User, name: str, title: str) -> None:
    """The case carries out the decision just issued: its decision's number, date and signer are the
    register's (the inspection record cites them), and its scope is locked from now on
    (``recording.rules.check_decision_scope``)."""
    case = doc.case
    signer = f"{name}, {' '.join(title.split())}"[:200]
    wanted = {"decision_number": doc.number, "decision_date": doc.issued_on, "decision_signer": signer}
    plain = lambda v: v.isoformat() if isinstance(v, dt.date) else v  # noqa: E731
    changes = [
        {"field": field, "from": plain(getattr(case, field)), "to": plain(value)}
        for field, value in wanted.items()
        if getattr(case, field) != value
    ]
    if not changes:
        return
    for field, value in wanted.items():
        setattr(case, field, value)
    db.session.flush()
    record(actor, "update", case=case, changes=changes, reason=doc.number)


def _iso(doc: OfficialDocument) -> str | None:
    return doc.issued_on.isoformat() if doc.issued_on is not None else None


def void(doc: OfficialDocument, actor: User, reason: str | None, *, now: dt.datetime | None = None) -> None:
    """Void an issued document; the reason is required. Its number stays taken (no reuse, no gap)."""
    if not permissions.can_void_document(actor, doc.case):
        raise PermissionDenied()
    _check_issued(doc)
    text = clean_text(reason, "void_reason", _TEXT_MAX, multiline=True)
    if text is None:
        raise ValidationFailed("document_void_reason_required", field="void_reason")
    doc.status = DocumentStatus.VOIDED.value
    doc.void_reason = text
    doc.voided_at = now or _now()
    db.session.flush()
    record(
        actor,
        "void",
        case=doc.case,
        entity=doc,
        changes=[{"field": "status", "from": DocumentStatus.ISSUED.value, "to": DocumentStatus.VOIDED.value}],
        reason=text,
    )


def correct(doc: OfficialDocument, actor: User) -> OfficialDocument:
    """A new draft correcting the issued ``doc``: same type, case and finding, its texts copied, naming
    ``doc`` as the one it replaces (marked replaced when the correction is issued)."""
    if not permissions.can_void_document(actor, doc.case):
        raise PermissionDenied()
    _check_issued(doc)
    pending = db.session.scalar(
        select(OfficialDocument.id).where(
            OfficialDocument.replaces_id == doc.id, OfficialDocument.status == DocumentStatus.DRAFT.value
        )
    )
    if pending is not None:
        raise ValidationFailed("document_correction_exists")
    draft = OfficialDocument(
        doc_type=doc.doc_type,
        case=doc.case,
        case_id=doc.case_id,
        finding=doc.finding,
        template=doc.template,
        replaces=doc,
        replaces_id=doc.id,
        texts=doc.texts,
        status=DocumentStatus.DRAFT.value,
        created_by_id=actor.id,
    )
    db.session.add(draft)
    db.session.flush()
    record(
        actor,
        "correct",
        case=doc.case,
        entity=draft,
        changes=[
            {"field": "doc_type", "from": None, "to": doc.doc_type},
            {"field": "replaces_id", "from": None, "to": doc.id},
        ],
    )
    return draft


def documents_of(case: Case) -> list[OfficialDocument]:
    """A case's documents, oldest first."""
    stmt = select(OfficialDocument).where(OfficialDocument.case_id == case.id).order_by(OfficialDocument.id)
    return list(db.session.scalars(stmt))
