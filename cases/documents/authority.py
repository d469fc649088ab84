"""Who may sign a sanction decision (issue 17, item 7): the sanctioning authority in force on the handling
date (Decree 189/2025: a commune chairman up to 50 % of the field's maximum fine, the Department's Director
80 %, the provincial chairman 100 %; ``cases/data/sanction_authorities.csv``), the field's maximum for the
offender's type (``cases/data/field_fine_maxima.csv``: only the fields the sources give it for), and the
transfer of the file (chuyển hồ sơ) to the competent authority when the fine is above the signer's ceiling.

A ceiling is computed only where both the authority and the field's maximum are known: nothing is
invented. Flushes, never commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select

from cases.accounts import permissions
from cases.audit.trail import record
from cases.db import db
from cases.enums import OffenderType
from cases.errors import PermissionDenied, ValidationFailed
from cases.models import AgencySigner, FieldFineMaximum, FileTransfer, Finding, SanctionAuthority, User
from cases.text import clean_text


def authorities_in_force(on: dt.date) -> list[SanctionAuthority]:
    """Every authority in force on ``on``, the lowest ceiling first."""
    stmt = (
        select(SanctionAuthority)
        .where(
            SanctionAuthority.valid_from <= on,
            or_(SanctionAuthority.valid_to.is_(None), SanctionAuthority.valid_to >= on),
        )
        .order_by(SanctionAuthority.percent_of_maximum, SanctionAuthority.code)
    )
    return list(db.session.scalars(stmt))


def authority_in_force(code: str | None, on: dt.date) -> SanctionAuthority | None:
    """The version of the authority ``code`` in force on ``on`` (``None`` when there is none)."""
    return next((a for a in authorities_in_force(on) if a.code == code), None) if code else None


def field_maximum(field: str, offender_type: str | None) -> int | None:
    """The field's maximum fine for the offender's type; ``None`` where the sources give none."""
    row = db.session.get(FieldFineMaximum, field)
    if row is None:
        return None
    return row.individual_max_vnd if offender_type == OffenderType.INDIVIDUAL else row.organisation_max_vnd


def ceiling(authority: SanctionAuthority, field: str, offender_type: str | None) -> int | None:
    """The highest fine ``authority`` may impose in ``field`` on the offender's type (``None``: unknown)."""
    maximum = field_maximum(field, offender_type)
    return None if maximum is None else maximum * authority.percent_of_maximum // 100


def competent_authority(
    fine: int, field: str, offender_type: str | None, on: dt.date
) -> SanctionAuthority | None:
    """The lowest authority in force on ``on`` whose ceiling covers ``fine`` (``None``: none does, or the
    field's maximum is not known)."""
    for authority in authorities_in_force(on):
        limit = ceiling(authority, field, offender_type)
        if limit is not None and fine <= limit:
            return authority
    return None


def _offender_type(finding: Finding) -> str:
    # an offender whose type was not recorded is held to the lower (individual) maximum
    return finding.offender_type or OffenderType.INDIVIDUAL.value


@dataclass(frozen=True)
class AuthorityCheck:
    """What the check of a signer's authority found (frozen into the sanction decision)."""

    code: str
    title: str
    percent_of_maximum: int
    legal_basis: str
    ceiling_vnd: int | None  # None: the field's maximum is not known, no ceiling computed
    fine_vnd: int

    def as_data(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "percent_of_maximum": self.percent_of_maximum,
            "legal_basis": self.legal_basis,
            "ceiling_vnd": self.ceiling_vnd,
            "fine_vnd": self.fine_vnd,
        }


def check_signer_authority(finding: Finding, signer: AgencySigner, on: dt.date) -> AuthorityCheck:
    """The signer may impose the finding's decided fine on ``on``, or ``ValidationFailed`` beside the signer
    field: he holds no authority in force that day (``document_signer_no_authority``), or the fine is above
    his ceiling (``document_fine_above_authority``, naming the competent authority, or
    ``document_fine_above_every_authority`` when none is)."""
    authority = authority_in_force(signer.authority_code, on)
    if authority is None:
        raise ValidationFailed("document_signer_no_authority", field="signer_id", name=signer.full_name)
    fine = finding.decided_fine_vnd or 0
    field = finding.violation.field
    offender = _offender_type(finding)
    limit = ceiling(authority, field, offender)
    if limit is not None and fine > limit:
        competent = competent_authority(fine, field, offender, on)
        if competent is None:
            raise ValidationFailed(
                "document_fine_above_every_authority", field="signer_id", fine=fine, ceiling=limit
            )
        raise ValidationFailed(
            "document_fine_above_authority",
            field="signer_id",
            fine=fine,
            ceiling=limit,
            authority=competent.title,
            authority_code=competent.code,
        )
    return AuthorityCheck(
        code=authority.code,
        title=authority.title,
        percent_of_maximum=authority.percent_of_maximum,
        legal_basis=authority.legal_basis,
        ceiling_vnd=limit,
        fine_vnd=fine,
    )


def _authority(to_authority: SanctionAuthority | str, on: dt.date) -> SanctionAuthority:
    if isinstance(to_authority, SanctionAuthority):
        return to_authority
    found = authority_in_force(to_authority, on)
    if found is None:
        raise ValidationFailed("transfer_authority_unknown", field="authority_code")
    return found


def transfer_file(
    finding: Finding,
    to_authority: SanctionAuthority | str,
    actor: User,
    reason: str | None,
    *,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> FileTransfer:
    """Record the transfer of the finding's file to ``to_authority`` (an authority, or its code in force
    on ``on``, by default today), instead of a sanction decision the signer may not sign. Audited (entity
    ``file_transfer``, on the finding's case)."""
    if not permissions.can_issue_document(actor, finding.case):
        raise PermissionDenied()
    authority = _authority(to_authority, on or dt.date.today())
    text = clean_text(reason, "reason", 2000, multiline=True)
    transfer = FileTransfer(
        finding=finding,
        finding_id=finding.id,
        authority=authority,
        authority_id=authority.id,
        fine_vnd=finding.decided_fine_vnd,
        reason=text,
        transferred_at=now or dt.datetime.now(dt.UTC),
        transferred_by_id=actor.id,
    )
    db.session.add(transfer)
    db.session.flush()
    record(
        actor,
        "transfer_file",
        case=finding.case,
        entity=transfer,
        changes=[
            {"field": "finding_id", "from": None, "to": finding.id},
            {"field": "authority_id", "from": None, "to": authority.title},
            {"field": "fine_vnd", "from": None, "to": finding.decided_fine_vnd},
        ],
        reason=text,
    )
    return transfer


def transfers_of(finding: Finding) -> list[FileTransfer]:
    stmt = select(FileTransfer).where(FileTransfer.finding_id == finding.id).order_by(FileTransfer.id)
    return list(db.session.scalars(stmt))
