"""The data an official document shows, as plain data (dicts, lists, strings, numbers), and the SHA-256 of its
canonical JSON (``cases.audit.integrity.canonical_json``, the audit trail's): what issuing freezes, so that
editing the case afterwards never changes an issued document.

``snapshot_of(case, doc_type, finding)`` reads the case as it stands; which parts a type shows:

- every type: the case (number, kind, mode, the decision it carries out, period), the place, the
  establishment, the fields of inspection and the team;
- the inspection record: the items (instruments, prepackaged lots, goods, samples) and the findings not
  dismissed; the sampling record: the samples;
- the violation record and the sanction decision: the one finding, with the catalog's article, clause and
  point, and (the sanction decision) the decision taken on it and the issued violation record it cites.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from sqlalchemy import select

from cases.db import db
from cases.enums import DocumentStatus, DocumentType, FindingStatus
from cases.models import Case, Finding, OfficialDocument, Violation
from cases.models.case import team_roles


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def sha256_of(text: str) -> str:
    """SHA-256 (hex) of a snapshot's stored text (its canonical JSON, so ``canonical_sha256`` of its data)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_ARTICLE = re.compile(r"Điều\s+(\d+[a-z]?)", re.IGNORECASE)
_CLAUSE = re.compile(r"khoản\s+(\d+[a-z]?)", re.IGNORECASE)
_POINT = re.compile(r"điểm\s+([a-zđ])\b", re.IGNORECASE)


def legal_reference(legal_basis: str) -> dict[str, str | None]:
    """The article, clause and point a catalog entry's legal basis names ("… Điều 9 khoản 1 điểm b");
    ``None`` for a part it does not name (never guessed)."""

    def first(pattern: re.Pattern[str]) -> str | None:
        found = pattern.search(legal_basis or "")
        return found.group(1) if found else None

    return {"article": first(_ARTICLE), "clause": first(_CLAUSE), "point": first(_POINT), "text": legal_basis}


def _violation(violation: Violation) -> dict[str, Any]:
    return {
        "code": violation.code,
        "group": violation.group_name,
        "description": violation.description,
        "legal_basis": legal_reference(violation.legal_basis),
        "fine_individual_min_vnd": violation.fine_individual_min,
        "fine_individual_max_vnd": violation.fine_individual_max,
        "tiers": violation.tiers,
        "confidence": violation.confidence,
    }


def _finding(finding: Finding, *, with_decision: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": finding.id,
        "status": finding.status,
        "violation": _violation(finding.violation),
        "offender_type": finding.offender_type,
        "goods_description": finding.goods_description,
        "goods_quantity": finding.goods_quantity,
        "goods_unit": finding.goods_unit,
        "goods_value_vnd": finding.goods_value_vnd,
        "proposed_fine_vnd": finding.proposed_fine_vnd,
        "proposed_remedies": finding.proposed_remedies,
    }
    if with_decision:
        data["decision"] = {
            "sanction_form": finding.sanction_form,
            "fine_vnd": finding.decided_fine_vnd,
            "additional_penalties": finding.additional_penalties,
            "remedies": finding.remedies_decided,
            "deadline": _plain(finding.deadline),
            "seized_goods_value_vnd": finding.seized_goods_value_vnd,
        }
    return data


def _items(case: Case, doc_type: DocumentType) -> dict[str, Any]:
    samples = [
        {
            "name": s.name,
            "code": s.code,
            "standard": s.standard,
            "lab": s.lab,
            "sent_on": _plain(s.sent_on),
            "unit": s.unit,
            "nominal_value": s.nominal_value,
            "quantity": s.quantity,
            "quantity_unit": s.quantity_unit,
            "seal_number": s.seal_number,
            "stock_quantity": s.stock_quantity,
            "establishment": s.establishment.name if s.establishment is not None else None,
            "notes": s.notes,
        }
        for s in case.samples
    ]
    if doc_type == DocumentType.SAMPLING_RECORD:
        return {"samples": samples}
    if doc_type != DocumentType.INSPECTION_RECORD:
        return {}
    return {
        "instruments": [
            {
                "type": i.instrument_type,
                "description": i.description,
                "serial_number": i.serial_number,
                "certificate_number": i.certificate_number,
                "certificate_expiry": _plain(i.certificate_expiry),
                "seal_condition": i.seal_condition,
                "measured_error": i.measured_error,
                "error_limit": i.error_limit,
                "error_unit": i.error_unit,
                "result": i.result,
            }
            for i in case.instruments
        ],
        "prepackaged_lots": [
            {
                "product": lot.product,
                "nominal_quantity": lot.nominal_quantity,
                "unit": lot.unit,
                "sample_size": lot.sample_size,
                "mean_measured": lot.mean_measured,
                "count_short_over_t": lot.count_short_over_t,
                "count_short_over_2t": lot.count_short_over_2t,
                "result": lot.result,
            }
            for lot in case.prepackaged_lots
        ],
        "goods": [
            {
                "name": g.name,
                "product_group": g.product_group,
                "origin": g.origin,
                "quantity": g.quantity,
                "unit": g.unit,
                "value_vnd": g.value_vnd,
                "label_observation": g.label_observation,
                "cr_mark_observation": g.cr_mark_observation,
                "barcode": g.barcode,
                "barcode_observation": g.barcode_observation,
                "result": g.result,
            }
            for g in case.goods
        ],
        "samples": samples,
    }


def snapshot_of(case: Case, doc_type: DocumentType | str, finding: Finding | None = None) -> dict[str, Any]:
    """The data a document of ``doc_type`` shows about ``case`` (and ``finding``, for the per-finding
    types), read now, as plain data."""
    kind = DocumentType(doc_type)
    est = case.establishment
    roles = team_roles(case.id) if case.team else {}
    data: dict[str, Any] = {
        "case": {
            "number": case.number,
            "kind": case.kind,
            "mode": case.mode,
            "opened_on": _plain(case.opened_on),
            "decision_number": case.decision_number,
            "decision_date": _plain(case.decision_date),
            "decision_signer": case.decision_signer,
            "start_date": _plain(case.start_date),
            "end_date": _plain(case.end_date),
            "product": case.product,
            "coordinating_agencies": case.coordinating_agencies,
            "conclusion": case.conclusion,
        },
        "place": {
            "address": case.address,
            "commune_code": case.commune_code,
            "commune": case.commune.name if case.commune is not None else None,
            "latitude": case.latitude,
            "longitude": case.longitude,
        },
        "establishment": None
        if est is None
        else {
            "name": est.name,
            "tax_code": est.tax_code,
            "business_type": est.business_type,
            "address": est.address,
            "commune": est.commune.name if est.commune is not None else None,
            "representative": est.representative,
            "phone": est.phone,
        },
        "fields": sorted(case.fields),
        # each member with his role in the team (enums.TeamRole: leader, member, technical; None: not given)
        "team": [{"full_name": member.full_name, "team_role": roles.get(member.id)} for member in case.team],
        **_items(case, kind),
    }
    if kind == DocumentType.INSPECTION_RECORD:
        data["findings"] = [
            _finding(f, with_decision=False) for f in case.findings if f.status != FindingStatus.DISMISSED
        ]
    if kind.per_finding and finding is not None:
        data["finding"] = _finding(finding, with_decision=kind == DocumentType.SANCTION_DECISION)
    if kind == DocumentType.SANCTION_DECISION and finding is not None:
        data["violation_record"] = _violation_record(finding)
    return data


def _violation_record(finding: Finding) -> dict[str, Any] | None:
    """The issued violation record of ``finding`` (the latest) a sanction decision cites ("Căn cứ Biên bản
    vi phạm hành chính số …"), or ``None`` when none is issued yet."""
    stmt = (
        select(OfficialDocument)
        .where(
            OfficialDocument.finding_id == finding.id,
            OfficialDocument.doc_type == DocumentType.VIOLATION_RECORD.value,
            OfficialDocument.status == DocumentStatus.ISSUED.value,
        )
        .order_by(OfficialDocument.issued_on.desc(), OfficialDocument.id.desc())
        .limit(1)
    )
    record = db.session.scalars(stmt).first()
    if record is None:
        return None
    return {"number": record.number, "issued_on": _plain(record.issued_on)}
