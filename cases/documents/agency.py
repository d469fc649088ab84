"""Who issues the documents: the agency's names for the letterhead, the place written beside the date, the
symbol in the document numbers, the signers (name, title, the sanctioning authority they hold) and the
treasury account fines are paid into.

``agency_settings()`` is the one reader: what a document shows, and what issuing freezes into the snapshot
(``snapshot["agency"]``). An administrator sets the agency (``update_agency``) and its signers
(``save_signer``) on the admin page; until then the defaults below are An Giang's, and the treasury account
has none: the document says it is to be filled in rather than invent one. Each change is audited (entity
``agency`` and ``signer``). Flushes, never commits.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from sqlalchemy import select

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db import db
from cases.errors import PermissionDenied, Problems
from cases.models import AgencySetting, AgencySigner, SanctionAuthority, User
from cases.text import clean_text

AGENCY_ID = 1  # the one row of ``agency_setting``
_LIMITS = {
    "parent_name": 200,
    "name": 200,
    "place_name": 100,
    "symbol": 30,
    "treasury_account": 100,
    "treasury_name": 200,
}
_REQUIRED = ("parent_name", "name", "place_name", "symbol")


@dataclass(frozen=True)
class Signer:
    full_name: str
    title: str  # e.g. "GIÁM ĐỐC", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    id: int | None = None
    authority_code: str | None = None  # cases.models.SanctionAuthority.code
    delegation_reference: str | None = None  # the delegation decision (giao quyền xử phạt), if any


@dataclass(frozen=True)
class Agency:
    parent_name: str = "UBND TỈNH AN GIANG"
    name: str = "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    place_name: str = "An Giang"
    symbol: str = "SKHCN"
    treasury_account: str | None = None  # "Số tài khoản … tại Kho bạc Nhà nước …" (not known: left blank)
    treasury_name: str | None = None
    signers: tuple[Signer, ...] = field(default_factory=tuple)  # the active ones

    def as_data(self) -> dict[str, Any]:
        """Plain data (what a snapshot keeps)."""
        return asdict(self)


def _signer(row: AgencySigner) -> Signer:
    return Signer(
        full_name=row.full_name,
        title=row.title,
        id=row.id,
        authority_code=row.authority_code,
        delegation_reference=row.delegation_reference,
    )


def agency_settings() -> Agency:
    """The agency as configured now (the defaults where nothing is set), with its active signers."""
    row = db.session.get(AgencySetting, AGENCY_ID)
    signers = tuple(_signer(s) for s in list_signers(active_only=True))
    if row is None:
        return Agency(signers=signers)
    return Agency(
        parent_name=row.parent_name,
        name=row.name,
        place_name=row.place_name,
        symbol=row.symbol,
        treasury_account=row.treasury_account,
        treasury_name=row.treasury_name,
        signers=signers,
    )


def list_signers(*, active_only: bool = False) -> list[AgencySigner]:
    stmt = select(AgencySigner).order_by(AgencySigner.active.desc(), AgencySigner.full_name, AgencySigner.id)
    if active_only:
        stmt = stmt.where(AgencySigner.active.is_(True))
    return list(db.session.scalars(stmt))


@dataclass
class AgencyInput:
    parent_name: str | None = None
    name: str | None = None
    place_name: str | None = None
    symbol: str | None = None
    treasury_account: str | None = None
    treasury_name: str | None = None


def agency_to_input(agency: Agency) -> AgencyInput:
    return AgencyInput(**{f.name: getattr(agency, f.name) for f in fields(AgencyInput)})


def _clean_agency(data: AgencyInput) -> dict[str, str | None]:
    problems = Problems()
    cleaned: dict[str, str | None] = {}
    for name, limit in _LIMITS.items():
        cleaned[name] = problems.check(
            clean_text, getattr(data, name), name, limit, required=name in _REQUIRED
        )
    symbol = cleaned.get("symbol")
    if symbol is not None and not all(ch.isalnum() or ch in "-." for ch in symbol):
        problems.add("agency_symbol_invalid", field="symbol")
    problems.raise_any()
    return cleaned


def update_agency(actor: User, data: AgencyInput) -> AgencySetting:
    """Set the agency's names, symbol and treasury account (every problem at once, beside its field)."""
    if not permissions.can_manage_agency(actor):
        raise PermissionDenied()
    cleaned = _clean_agency(data)
    row = db.session.get(AgencySetting, AGENCY_ID)
    created = row is None
    if row is None:
        defaults = Agency()
        row = AgencySetting(id=AGENCY_ID, **{name: getattr(defaults, name) for name in _LIMITS})
        db.session.add(row)
        db.session.flush()
    before = audit.snapshot(row)
    for name, value in cleaned.items():
        setattr(row, name, value)
    db.session.flush()
    changes = audit.diff(before, audit.snapshot(row))
    if changes or created:
        audit.record(actor, "update", entity=row, changes=changes)
    return row


@dataclass
class SignerInput:
    full_name: str | None = None
    title: str | None = None
    authority_code: str | None = None
    delegation_reference: str | None = None
    active: bool = True


def signer_to_input(signer: AgencySigner) -> SignerInput:
    return SignerInput(
        full_name=signer.full_name,
        title=signer.title,
        authority_code=signer.authority_code,
        delegation_reference=signer.delegation_reference,
        active=signer.active,
    )


def authority_codes() -> list[tuple[str, str]]:
    """(code, title) of every sanctioning authority, each once (its latest version's title)."""
    rows = db.session.execute(
        select(
            SanctionAuthority.code, SanctionAuthority.title, SanctionAuthority.percent_of_maximum
        ).order_by(SanctionAuthority.percent_of_maximum, SanctionAuthority.valid_from)
    ).all()
    found: dict[str, str] = {}
    for code, title, _percent in rows:
        found[code] = title
    return list(found.items())


def _clean_signer(data: SignerInput) -> dict[str, Any]:
    problems = Problems()
    cleaned: dict[str, Any] = {
        "full_name": problems.check(clean_text, data.full_name, "full_name", 120, required=True),
        "title": problems.check(clean_text, data.title, "title", 200, required=True, multiline=True),
        "delegation_reference": problems.check(
            clean_text, data.delegation_reference, "delegation_reference", 200
        ),
        "authority_code": (data.authority_code or "").strip() or None,
        "active": bool(data.active),
    }
    if cleaned["authority_code"] is not None and cleaned["authority_code"] not in dict(authority_codes()):
        problems.add("signer_authority_unknown", field="authority_code")
    problems.raise_any()
    return cleaned


def save_signer(actor: User, data: SignerInput, signer: AgencySigner | None = None) -> AgencySigner:
    """Add a signer (``signer`` None) or change one; a signer no longer signing is made inactive (the
    documents he signed keep his name: they froze it)."""
    if not permissions.can_manage_agency(actor):
        raise PermissionDenied()
    cleaned = _clean_signer(data)
    if signer is None:
        signer = AgencySigner(**cleaned)
        db.session.add(signer)
        db.session.flush()
        changes = [{"field": k, "from": None, "to": v} for k, v in cleaned.items() if v is not None]
        audit.record(actor, "create", entity=signer, changes=changes)
        return signer
    before = audit.snapshot(signer)
    for name, value in cleaned.items():
        setattr(signer, name, value)
    db.session.flush()
    changes = audit.diff(before, audit.snapshot(signer))
    if changes:
        audit.record(actor, "update", entity=signer, changes=changes)
    return signer
