"""Everything an official document prints, as plain data: what the PDF and the Word file are made from.

``draft_view(case, doc_type, finding)`` is a draft read from the case as it stands now (no number, no date,
marked DỰ THẢO); ``document_view(doc)`` is a document of the register: a draft the same way (with its own
texts), an issued, voided or replaced one from its frozen snapshot only — editing the case afterwards
never changes what it prints.

The view::

    type, status, draft, title, title_main, title_sub, form_code, template_version, legal_bases,
    number (None for a draft), number_blank ("…/BB-VPHC"), issued_on, handling_date, signer {name, title},
    agency {parent_name, name, place_name, symbol, treasury_account, treasury_name, signers},
    data (the snapshot: case, place, establishment, fields, team, items, findings / finding),
    texts (statement, witnesses, conclusion, copies), finding_id, replaces, void_reason,
    fine_words (the sanction decision's fine in Vietnamese words), violation_record {number, issued_on}
    (the issued record a sanction decision cites)

A value the data lacks stays ``None``: the documents print a dotted blank to fill by hand, never a guess.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from cases.documents import register
from cases.documents.agency import agency_settings
from cases.documents.snapshot import snapshot_of
from cases.documents.templates import template_in_force
from cases.enums import DocumentStatus, DocumentType
from cases.models import Case, DocumentTemplate, Finding, OfficialDocument

#: The title a type prints when no template version is in force on the handling date.
DEFAULT_TITLES = {
    DocumentType.DECISION: "QUYẾT ĐỊNH Về việc kiểm tra",
    DocumentType.INSPECTION_RECORD: "BIÊN BẢN KIỂM TRA",
    DocumentType.SAMPLING_RECORD: "BIÊN BẢN LẤY MẪU",
    DocumentType.VIOLATION_RECORD: "BIÊN BẢN VI PHẠM HÀNH CHÍNH",
    DocumentType.SANCTION_DECISION: "QUYẾT ĐỊNH Xử phạt vi phạm hành chính",
}
#: The symbol after the number when no template says it ("…/BB-VPHC").
DEFAULT_SYMBOLS = {
    DocumentType.DECISION: "QĐ-SKHCN",
    DocumentType.INSPECTION_RECORD: "BB-KT",
    DocumentType.SAMPLING_RECORD: "BB-LM",
    DocumentType.VIOLATION_RECORD: "BB-VPHC",
    DocumentType.SANCTION_DECISION: "QĐ-XPHC",
}

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", " nghìn", " triệu", " tỷ", " nghìn tỷ", " triệu tỷ")


def split_title(title: str) -> tuple[str, str]:
    """ "QUYẾT ĐỊNH Về việc kiểm tra" → ("QUYẾT ĐỊNH", "Về việc kiểm tra"): the words in capitals are the
    title, the rest (from the first word that is not) its summary line."""
    words = title.split()
    for i, word in enumerate(words):
        if word != word.upper():
            return " ".join(words[:i]), " ".join(words[i:])
    return title, ""


def _below_thousand(n: int, *, leading: bool) -> str:
    """A group of three digits read in Vietnamese; an inner group keeps its zero hundreds ("không trăm
    lẻ năm"), as amounts are written out in figures-and-words. From num2words, which reads a group alone."""
    from num2words import num2words

    if leading:
        return str(num2words(n, lang="vi"))
    if n >= 100:
        return str(num2words(n, lang="vi"))
    return "không trăm " + ("lẻ " if n < 10 else "") + str(num2words(n, lang="vi"))


def vnd_in_words(amount: int | None) -> str | None:
    """15_000_000 → "Mười lăm triệu đồng"; 1_050_000 → "Một triệu không trăm năm mươi nghìn đồng"."""
    if amount is None or amount < 0 or amount >= 10**18:
        return None
    if amount == 0:
        return "Không đồng"
    groups: list[int] = []
    rest = amount
    while rest:
        groups.append(rest % 1000)
        rest //= 1000
    parts: list[str] = []
    top = len(groups) - 1
    for index in range(top, -1, -1):
        value = groups[index]
        if value == 0:
            continue
        parts.append(_below_thousand(value, leading=index == top) + _GROUPS[index])
    words = " ".join(parts)
    return words[0].upper() + words[1:] + " đồng"


def _fine_words(data: dict[str, Any]) -> str | None:
    decision = (data.get("finding") or {}).get("decision") or {}
    return vnd_in_words(decision.get("fine_vnd"))


def _template_part(template: DocumentTemplate | None, kind: DocumentType) -> dict[str, Any]:
    if template is None:
        return {
            "title": DEFAULT_TITLES[kind],
            "form_code": None,
            "template_version": None,
            "legal_bases": [],
            "symbol": DEFAULT_SYMBOLS[kind],
        }
    return {
        "title": template.title,
        "form_code": template.form_code,
        "template_version": template.version_label,
        "legal_bases": template.legal_basis_lines,
        "symbol": _symbol(template.number_pattern, kind),
    }


def _symbol(pattern: str | None, kind: DocumentType) -> str:
    if not pattern or "{n}" not in pattern:
        return DEFAULT_SYMBOLS[kind]
    return pattern.split("{n}", 1)[1].lstrip("/") or DEFAULT_SYMBOLS[kind]


def _handling_date(case: Case, on: dt.date | None) -> dt.date:
    return on or case.start_date or dt.date.today()


def _default_signer(agency: dict[str, Any]) -> dict[str, str] | None:
    signers = agency.get("signers") or []
    if not signers:
        return None
    first = signers[0]
    return {"name": first.get("full_name"), "title": first.get("title")}


def _assemble(kind: DocumentType, part: dict[str, Any], **values: Any) -> dict[str, Any]:
    main, sub = split_title(part["title"])
    view: dict[str, Any] = {
        "type": kind.value,
        "per_finding": kind.per_finding,
        "title": part["title"],
        "title_main": main,
        "title_sub": sub,
        "form_code": part["form_code"],
        "template_version": part["template_version"],
        "legal_bases": list(part["legal_bases"]),
        "number_blank": f"……/{part['symbol']}",
        "replaces": None,
        "void_reason": None,
        "finding_id": None,
        **values,
    }
    view["fine_words"] = _fine_words(view["data"])
    view["violation_record"] = _record_of(view["data"])
    return view


def draft_view(
    case: Case,
    doc_type: DocumentType | str,
    finding: Finding | None = None,
    *,
    on: dt.date | None = None,
    texts: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A draft of ``doc_type`` for ``case`` as it stands now: the template in force on the handling date
    ``on`` (default the case's start date, else today), no number, no date of issue."""
    kind = DocumentType(doc_type)
    handling = _handling_date(case, on)
    agency = agency_settings().as_data()
    return _assemble(
        kind,
        _template_part(template_in_force(kind, handling), kind),
        status=DocumentStatus.DRAFT.value,
        draft=True,
        number=None,
        issued_on=None,
        handling_date=handling,
        signer=_default_signer(agency),
        agency=agency,
        data=snapshot_of(case, kind, finding),
        texts=dict(texts or {}),
        finding_id=None if finding is None else finding.id,
    )


def _record_of(data: dict[str, Any]) -> dict[str, Any] | None:
    """The violation record a sanction decision cites, as its data names it (frozen for an issued one)."""
    cited = data.get("violation_record")
    if not cited:
        return None
    issued = cited.get("issued_on")
    return {"number": cited.get("number"), "issued_on": dt.date.fromisoformat(issued) if issued else None}


def document_view(doc: OfficialDocument) -> dict[str, Any]:
    """A document of the register: a draft read live (with its own texts), any other from its snapshot."""
    kind = DocumentType(doc.doc_type)
    if doc.status == DocumentStatus.DRAFT or not doc.snapshot:
        view = draft_view(doc.case, kind, doc.finding, on=doc.issued_on, texts=register.texts_of(doc))
        if doc.replaces is not None:
            view["replaces"] = {"number": doc.replaces.number, "issued_on": doc.replaces.issued_on}
        return view
    data = json.loads(doc.snapshot)
    meta = data.pop("document", {}) or {}
    template = meta.get("template") or {}
    part = {
        "title": template.get("title") or DEFAULT_TITLES[kind],
        "form_code": template.get("form_code"),
        "template_version": template.get("version_label"),
        "legal_bases": template.get("legal_bases") or [],
        "symbol": _symbol(template.get("number_pattern"), kind),
    }
    agency = data.get("agency") or agency_settings().as_data()
    issued_on = meta.get("issued_on")
    replaces = meta.get("replaces")
    view = _assemble(
        kind,
        part,
        status=doc.status,
        draft=False,
        number=meta.get("number") or doc.number,
        issued_on=dt.date.fromisoformat(issued_on) if issued_on else doc.issued_on,
        handling_date=dt.date.fromisoformat(issued_on) if issued_on else doc.issued_on,
        signer=meta.get("signer") or {"name": doc.signer_name, "title": doc.signer_title},
        agency=agency,
        data=data,
        texts=dict(meta.get("texts") or {}),
        finding_id=doc.finding_id,
    )
    if replaces:
        issued = replaces.get("issued_on")
        view["replaces"] = {
            "number": replaces.get("number"),
            "issued_on": dt.date.fromisoformat(issued) if issued else None,
        }
    view["void_reason"] = doc.void_reason
    return view
