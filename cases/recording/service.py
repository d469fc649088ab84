"""Writing cases: create, edit, delete a draft, open a follow-up inspection. Flushes, never commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import fields as dc_fields
from typing import Any

from sqlalchemy import or_, select

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db import db
from cases.enums import CaseKind, CaseStatus, InspectionMode, TeamRole, TipStatus
from cases.errors import PermissionDenied, ValidationFailed
from cases.models import Case, CaseField, Commune, Establishment, FormerWard, OfficialDocument, Tip, User
from cases.models.case import store_team_roles, team_roles
from cases.recording.campaigns import get_or_create_campaign
from cases.recording.numbering import next_case_number
from cases.recording.rules import (
    CaseInput,
    CaseInvalid,
    check_case,
    check_decision_scope,
    check_once_a_year,
    check_references,
    normalise_url,
    seller_key,
)
from cases.text import fold

#: CaseInput attributes copied onto the Case as they are (the bulk import writer copies the same).
PLAIN_FIELDS = (
    "opened_on",
    "closed_on",
    "commune_code",
    "address",
    "latitude",
    "longitude",
    "former_ward_code",
    "establishment_id",
    "product",
    "notes",
    "conclusion",
    "mode",
    "decision_number",
    "decision_date",
    "decision_signer",
    "start_date",
    "end_date",
    "coordinating_agencies",
    "follow_up_of_id",
    "platform",
    "listing_url",
    "seller_name",
    "seller_platform_id",
    "price_vnd",
    "suspected_issue",
    "action",
    "action_on",
    "platform_response",
    "taken_down_on",
    "referral_reference",
    "campaign_id",
    "tip_id",
    "clear_signs",
    "clear_signs_text",
    "yearly_override_reason",
)


class StaleCase(ValidationFailed):
    """Somebody else saved the case after this user opened it."""

    code = "stale_case"


def _strip(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _clean(data: CaseInput) -> CaseInput:
    for f in dc_fields(data):
        setattr(data, f.name, _strip(getattr(data, f.name)))
    data.fields = sorted(set(data.fields or []))
    data.team_ids = sorted(set(data.team_ids or []))
    data.clear_signs = bool(data.clear_signs)
    return data


def _apply(case: Case, data: CaseInput) -> None:
    with db.session.no_autoflush:  # one UPDATE per save, so the version moves by one
        _apply_values(case, data)


def _apply_values(case: Case, data: CaseInput) -> None:
    for name in PLAIN_FIELDS:
        setattr(case, name, getattr(data, name))
    case.field_rows = [CaseField(field=f) for f in data.fields]
    case.team = (
        list(db.session.scalars(select(User).where(User.id.in_(data.team_ids)))) if data.team_ids else []
    )
    case.listing_url_key = normalise_url(data.listing_url) if data.listing_url else None
    case.seller_key = seller_key(data.platform, data.seller_platform_id, data.seller_name)
    if data.former_ward_code:
        ward = db.session.get(FormerWard, data.former_ward_code)
        case.former_district_code = ward.district_code if ward else None
    else:
        case.former_district_code = None
    case.search_key = build_search_key(case)


def _store_roles(case: Case, data: CaseInput) -> None:
    """The team's roles (an inspection's), once its members are written."""
    if case.kind == CaseKind.INSPECTION and data.team_ids:
        store_team_roles(case.id, data.team_leader_id, data.technical_officer_id)


#: What a case's ``search_key`` holds, in this order (see :func:`fold_search_key`).
SEARCH_KEY_PARTS = (
    "number",
    "establishment_name",
    "tax_code",
    "product",
    "seller_name",
    "seller_platform_id",
    "listing_url_key",
    "address",
    "commune_name",
    "decision_number",
    "import_ref",
)


def fold_search_key(values: Mapping[str, Any]) -> str:
    """The folded text a search matches, from plain values named like :data:`SEARCH_KEY_PARTS`.

    Shared by :func:`build_search_key` and the bulk writers (``cases/demo/generator.py``), so both fill the
    column the same way.
    """
    return " | ".join(fold(values[name]) for name in SEARCH_KEY_PARTS if values.get(name))


def build_search_key(case: Case) -> str:
    """The folded text a search matches: number, establishment, tax code, product, seller, URL, address."""
    establishment = db.session.get(Establishment, case.establishment_id) if case.establishment_id else None
    commune = db.session.get(Commune, case.commune_code) if case.commune_code else None
    values = {name: getattr(case, name, None) for name in SEARCH_KEY_PARTS}
    values["establishment_name"] = establishment.name if establishment else None
    values["tax_code"] = establishment.tax_code if establishment else None
    values["commune_name"] = commune.name if commune else None
    return fold_search_key(values)


def _campaign_of(data: CaseInput, actor: User) -> None:
    """A survey naming a new campaign (and choosing none) gets it, created in the same transaction."""
    if data.kind != CaseKind.SURVEY or data.campaign_id is not None or not data.new_campaign:
        return
    year = data.opened_on.year if data.opened_on else dt.date.today().year
    field = data.fields[0] if data.fields else None
    campaign = get_or_create_campaign(name=data.new_campaign, year=year, field=field, actor=actor)
    data.campaign_id = campaign.id


def create_case(
    *, actor: User, data: CaseInput, today: dt.date | None = None, audit_action: str = "create"
) -> Case:
    """Record a new case (a draft, unless an import gives another status).

    ``audit_action`` names the audit entry: "create", or "import" for the importer.
    """
    if not permissions.can_create_case(actor):
        raise PermissionDenied()
    data = _clean(data)
    problems = check_case(data, today=today)
    problems += check_references(data, actor=actor)
    problems += check_once_a_year(data, actor=actor)
    if problems:
        raise CaseInvalid(problems)
    _campaign_of(data, actor)
    assert data.opened_on is not None  # check_case refused a case without its opening date
    case = Case(
        kind=data.kind,
        status=data.status,
        number=next_case_number(data.kind, data.opened_on.year),
        created_by_id=actor.id,
        import_ref=data.import_ref,
    )
    _apply(case, data)
    case.yearly_override_by_id = actor.id if case.yearly_override_reason else None
    if case.tip_id is not None:  # the tip is now the ground of a case
        tip = db.session.get(Tip, case.tip_id)
        if tip is not None and tip.status == TipStatus.OPEN:
            tip.status = TipStatus.USED.value
    db.session.add(case)
    db.session.flush()
    _store_roles(case, data)
    audit.record(actor, audit_action, case=case, changes=audit.diff({}, audit.snapshot(case)))
    return case


def update_case(
    *, case: Case, actor: User, data: CaseInput, expected_version: int | None, today: dt.date | None = None
) -> Case:
    """Save an edit. ``expected_version`` is the version the user opened; a newer one means a lost update."""
    if not permissions.can_edit_case(actor, case):
        raise PermissionDenied()
    if expected_version is not None and expected_version != case.version:
        raise StaleCase(field="version")
    data = _clean(data)
    data.kind = case.kind  # the kind never changes
    data.status = case.status
    problems = check_case(data, today=today)
    problems += check_references(data, actor=actor, current=case)
    problems += check_decision_scope(data, case)
    problems += check_once_a_year(data, actor=actor, current=case)
    if problems:
        raise CaseInvalid(problems)
    _campaign_of(data, actor)
    before = audit.snapshot(case)
    old_override = case.yearly_override_reason
    _apply(case, data)
    if case.yearly_override_reason != old_override:  # the manager who allowed a second inspection
        case.yearly_override_by_id = actor.id if case.yearly_override_reason else None
    from cases.inspection.items import refresh_instrument_results  # the inspection date may have moved

    refresh_instrument_results(case)
    db.session.flush()
    _store_roles(case, data)
    changes = audit.diff(before, audit.snapshot(case))
    if changes:
        audit.record(actor, "update", case=case, changes=changes)
    return case


def delete_draft(*, case: Case, actor: User) -> None:
    if not permissions.can_delete_case(actor, case):
        raise PermissionDenied()
    if db.session.scalar(select(OfficialDocument.id).where(OfficialDocument.case_id == case.id).limit(1)):
        raise ValidationFailed("case_has_documents")  # the register keeps every document, drafts included
    audit.record(actor, "delete", case=case, changes=audit.diff(audit.snapshot(case), {}))
    db.session.delete(case)
    db.session.flush()


def case_to_input(case: Case) -> CaseInput:
    """The editable values of a case, to fill a form."""
    data = CaseInput(kind=case.kind, opened_on=case.opened_on, commune_code=case.commune_code)
    for name in PLAIN_FIELDS:
        setattr(data, name, getattr(case, name))
    data.fields = case.fields
    data.team_ids = [u.id for u in case.team]
    roles = team_roles(case.id) if case.team else {}
    data.team_leader_id = next((i for i, r in roles.items() if r == TeamRole.LEADER), None)
    data.technical_officer_id = next((i for i, r in roles.items() if r == TeamRole.TECHNICAL), None)
    data.status = case.status
    data.import_ref = case.import_ref
    return data


def earlier_checks(
    *,
    listing_url: str | None,
    platform: str | None,
    seller_platform_id: str | None,
    seller_name: str | None,
    exclude_id: int | None = None,
    limit: int = 20,
) -> list[Case]:
    """E-commerce checks of the same listing (normalised URL) or the same seller, newest first."""
    conditions = []
    if listing_url:
        conditions.append(Case.listing_url_key == normalise_url(listing_url))
    key = seller_key(platform, seller_platform_id, seller_name)
    if key:
        conditions.append(Case.seller_key == key)
    if not conditions:
        return []
    stmt = select(Case).where(Case.kind == CaseKind.ECOMMERCE, or_(*conditions))
    if exclude_id is not None:
        stmt = stmt.where(Case.id != exclude_id)
    return list(db.session.scalars(stmt.order_by(Case.opened_on.desc(), Case.id.desc()).limit(limit)))


def follow_up_input(survey: Case) -> CaseInput:
    """A new inspection's values prefilled from a failing survey, linked to it."""
    if survey.kind != CaseKind.SURVEY:
        raise ValidationFailed("not_a_survey")
    return CaseInput(
        kind=CaseKind.INSPECTION.value,
        opened_on=dt.date.today(),
        commune_code=survey.commune_code,
        address=survey.address,
        latitude=survey.latitude,
        longitude=survey.longitude,
        establishment_id=survey.establishment_id,
        product=survey.product,
        fields=survey.fields,
        mode=InspectionMode.UNSCHEDULED.value,
        follow_up_of_id=survey.id,
        notes=f"Kiểm tra sau khảo sát {survey.number}",
    )


__all__ = [
    "CaseInput",
    "CaseInvalid",
    "CaseStatus",
    "StaleCase",
    "case_to_input",
    "create_case",
    "delete_draft",
    "earlier_checks",
    "follow_up_input",
    "update_case",
]
