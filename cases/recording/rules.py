"""What a case must hold, by kind: the checks shared by the forms, the importer and the CLI.

``check_case`` returns every problem at once (field, code, parameters), so a form can show each beside
its field and an import can report each row and column.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import select

from cases.db import db
from cases.db.ids import fits_id, get_row
from cases.enums import (
    CASE_FIELDS,
    CaseKind,
    CaseStatus,
    EcommerceAction,
    InspectionMode,
    Platform,
    SuspectedIssue,
)
from cases.errors import ValidationFailed
from cases.models import AgencyCheck, Case, Commune, Establishment, FormerWard, SurveyCampaign, Tip, User
from cases.models.geo import REFORM_DATE
from cases.text import fold

MAX_URL_LENGTH = 2000
_TRACKING_PARAMS = {"fbclid", "gclid", "spm", "sp_atk", "xptdk", "scm", "from", "ref", "share", "igsh"}


@dataclass
class CaseInput:
    """Everything a user (or an import row) gives for a case. Kind-specific values stay ``None``."""

    kind: str
    opened_on: dt.date | None
    commune_code: str | None
    closed_on: dt.date | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    former_ward_code: str | None = None
    establishment_id: int | None = None
    product: str | None = None
    notes: str | None = None
    conclusion: str | None = None
    fields: list[str] = field(default_factory=list)
    # inspection
    mode: str | None = None
    decision_number: str | None = None
    decision_date: dt.date | None = None
    decision_signer: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    coordinating_agencies: str | None = None
    team_ids: list[int] = field(default_factory=list)
    # roles in the team (enums.TeamRole), each one of ``team_ids``; the other members are members
    team_leader_id: int | None = None
    technical_officer_id: int | None = None
    follow_up_of_id: int | None = None
    # e-commerce
    platform: str | None = None
    listing_url: str | None = None
    seller_name: str | None = None
    seller_platform_id: str | None = None
    price_vnd: int | None = None
    suspected_issue: str | None = None
    action: str | None = None
    action_on: dt.date | None = None
    platform_response: str | None = None
    taken_down_on: dt.date | None = None
    referral_reference: str | None = None
    # planning (issue 18): the tip the case was opened from; the once-a-year rule's clear signs and override
    tip_id: int | None = None
    clear_signs: bool = False
    clear_signs_text: str | None = None
    yearly_override_reason: str | None = None
    # survey
    campaign_id: int | None = None
    new_campaign: str | None = None  # a campaign to create (by name) when no campaign_id is chosen
    # import only
    import_ref: str | None = None
    status: str = CaseStatus.DRAFT.value


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)  # ``field`` is the name of a field here

    def as_error(self) -> ValidationFailed:
        """The problem as the error a form shows beside its field."""
        return ValidationFailed(self.code, field=self.field, **self.params)


class CaseInvalid(ValidationFailed):
    """Raised with every problem of a case at once."""

    code = "case_invalid"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("case_invalid", problems=len(problems))
        self.problems = problems
        self.all_problems = [p.as_error() for p in problems]  # a form shows each beside its field


def normalise_url(url: str) -> str:
    """A key that recognises the same listing: lower-case host without ``www.``/``m.``, no fragment,
    no tracking parameters, sorted query, no trailing slash. ``https://www.Shopee.vn/a/?utm_source=x#top``
    → ``shopee.vn/a``."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=False)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING_PARAMS
    )
    path = parts.path.rstrip("/")
    return urlunsplit(("", host, path, urlencode(query), "")).lstrip("/")[:500]


def seller_key(platform: str | None, seller_platform_id: str | None, seller_name: str | None) -> str | None:
    ident = seller_platform_id or seller_name
    if not ident:
        return None
    return f"{platform or 'other'}:{fold(ident).replace(' ', '')}"[:300]


def _check_url(url: str | None, problems: list[Problem]) -> None:
    if not url:
        problems.append(Problem("listing_url", "required"))
        return
    if len(url) > MAX_URL_LENGTH:
        problems.append(Problem("listing_url", "url_too_long"))
        return
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname or "." not in parts.hostname:
        problems.append(Problem("listing_url", "url_not_http"))


def _check_dates(data: CaseInput, today: dt.date, problems: list[Problem]) -> None:
    dated = {
        "opened_on": data.opened_on,
        "closed_on": data.closed_on,
        "decision_date": data.decision_date,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "action_on": data.action_on,
        "taken_down_on": data.taken_down_on,
    }
    for name, value in dated.items():
        if value is not None and value > today:
            problems.append(Problem(name, "date_in_future"))
        if value is not None and value.year < 2000:
            problems.append(Problem(name, "date_too_old"))
    if data.opened_on is None:
        problems.append(Problem("opened_on", "required"))
    elif data.closed_on is not None and data.closed_on < data.opened_on:
        problems.append(Problem("closed_on", "closed_before_opened"))
    if data.start_date and data.end_date and data.end_date < data.start_date:
        problems.append(Problem("end_date", "end_before_start"))
    if data.taken_down_on and data.action_on and data.taken_down_on < data.action_on:
        problems.append(Problem("taken_down_on", "takedown_before_action"))


def _check_location(data: CaseInput, problems: list[Problem]) -> None:
    from cases.geography import places as geography

    if not data.commune_code:
        problems.append(Problem("commune_code", "required"))
    elif db.session.get(Commune, data.commune_code) is None:
        problems.append(Problem("commune_code", "unknown_commune", {"codes": data.commune_code}))
    if (data.latitude is None) != (data.longitude is None):
        problems.append(Problem("latitude", "coordinates_pair"))
    elif data.latitude is not None and data.longitude is not None:
        try:
            geography.suggest_from_point(data.latitude, data.longitude)
        except ValidationFailed as exc:
            problems.append(Problem("latitude", exc.code))
    if data.former_ward_code:
        ward = db.session.get(FormerWard, data.former_ward_code)
        if ward is None:
            problems.append(Problem("former_ward_code", "unknown_former_ward"))
        elif data.opened_on and data.opened_on >= REFORM_DATE:
            problems.append(Problem("former_ward_code", "former_ward_after_reform"))


def _check_kind_specific(data: CaseInput, problems: list[Problem]) -> None:
    kind = data.kind
    if kind in {CaseKind.INSPECTION, CaseKind.SURVEY}:
        if not data.fields:
            problems.append(Problem("fields", "required"))
        elif any(f not in {x.value for x in CASE_FIELDS} for f in data.fields):
            problems.append(Problem("fields", "unknown_field"))
        elif kind == CaseKind.SURVEY and len(data.fields) > 1:
            problems.append(Problem("fields", "survey_one_field"))
        if data.establishment_id is None:
            problems.append(Problem("establishment_id", "required"))
    if data.establishment_id is not None and get_row(Establishment, data.establishment_id) is None:
        problems.append(Problem("establishment_id", "unknown_establishment"))
    if kind == CaseKind.INSPECTION:
        if data.mode not in {m.value for m in InspectionMode}:
            problems.append(Problem("mode", "required"))
        if data.clear_signs and not data.clear_signs_text:
            problems.append(Problem("clear_signs_text", "required"))
        elif data.clear_signs_text and not data.clear_signs:
            problems.append(Problem("clear_signs", "clear_signs_tick_required"))
        if data.team_ids:
            possible = [i for i in data.team_ids if fits_id(i)]
            found = set(db.session.scalars(select(User.id).where(User.id.in_(possible or [0]))))
            if found != set(data.team_ids):
                problems.append(Problem("team_ids", "unknown_user"))
        for role_field in ("team_leader_id", "technical_officer_id"):
            chosen = getattr(data, role_field)
            if chosen is not None and chosen not in (data.team_ids or []):
                problems.append(Problem(role_field, "team_role_not_in_team"))
        if data.team_leader_id is not None and data.team_leader_id == data.technical_officer_id:
            problems.append(Problem("technical_officer_id", "team_roles_same_person"))
    if kind == CaseKind.ECOMMERCE:
        if data.platform not in {p.value for p in Platform}:
            problems.append(Problem("platform", "required"))
        _check_url(data.listing_url, problems)
        if not (data.seller_name or data.seller_platform_id):
            problems.append(Problem("seller_name", "required"))
        if data.suspected_issue and data.suspected_issue not in {s.value for s in SuspectedIssue}:
            problems.append(Problem("suspected_issue", "invalid_choice"))
        if data.action and data.action not in {a.value for a in EcommerceAction}:
            problems.append(Problem("action", "invalid_choice"))
        if data.price_vnd is not None and data.price_vnd < 0:
            problems.append(Problem("price_vnd", "negative"))
    if data.tip_id is not None and get_row(Tip, data.tip_id) is None:
        problems.append(Problem("tip_id", "unknown_tip"))
    campaign_missing = data.campaign_id is not None and get_row(SurveyCampaign, data.campaign_id) is None
    if kind == CaseKind.SURVEY and campaign_missing:
        problems.append(Problem("campaign_id", "unknown_campaign"))


def check_references(data: CaseInput, *, actor: Any, current: Any = None) -> list[Problem]:
    """The rows a case's input names by id, checked for the right of ``actor`` to see and use them.

    ``check_case`` says whether they exist; this says whether this user may name them
    (``cases/accounts/permissions.py`` decides), on the field that named them. ``current`` is the case being
    edited:
    what it already holds (its follow-up link, its team) stays as it is. A row the user may not see gets
    the same code as a row that does not exist, so that its existence is not told either.
    """
    from cases.accounts import permissions

    problems: list[Problem] = []
    if data.commune_code and not permissions.can_see_commune(actor, data.commune_code):
        problems.append(Problem("commune_code", "commune_out_of_scope"))
    follow = data.follow_up_of_id
    if follow is not None and (current is None or follow != current.follow_up_of_id):
        target = get_row(Case, follow)
        if target is None or not permissions.can_link_follow_up(actor, target):
            problems.append(Problem("follow_up_of_id", "unknown_case"))
        elif data.kind != CaseKind.INSPECTION or target.kind != CaseKind.SURVEY:
            problems.append(Problem("follow_up_of_id", "follow_up_of_survey_only"))
    if data.establishment_id is not None and (
        current is None or data.establishment_id != current.establishment_id
    ):
        establishment = get_row(Establishment, data.establishment_id)
        if establishment is not None and not permissions.can_use_establishment(actor, establishment):
            problems.append(Problem("establishment_id", "unknown_establishment"))
    kept = {member.id for member in current.team} if current is not None else set()
    added = [i for i in data.team_ids or [] if i not in kept and fits_id(i)]
    members = list(db.session.scalars(select(User).where(User.id.in_(added)))) if added else []
    if any(not permissions.can_join_team(member) for member in members):
        problems.append(Problem("team_ids", "unknown_user"))
    if data.campaign_id is not None and (current is None or data.campaign_id != current.campaign_id):
        campaign = get_row(SurveyCampaign, data.campaign_id)
        if campaign is not None and not permissions.can_use_campaign(actor, campaign):
            problems.append(Problem("campaign_id", "unknown_campaign"))
    return problems


@dataclass(frozen=True)
class EarlierCheck:
    """An inspection or check of the establishment earlier in the year: a case of the app (its number) or
    another agency's check (the agency)."""

    on: dt.date
    case_number: str | None = None
    agency: str | None = None

    @property
    def name(self) -> str:
        return self.case_number or self.agency or ""


def checks_in_year(
    establishment_id: int, year: int, *, exclude_case_id: int | None = None
) -> list[EarlierCheck]:
    """The inspections of the establishment in the calendar year (planned or unscheduled, imported ones
    included; cancelled cases do not count) and the other agencies' checks, earliest first. Surveys and
    e-commerce checks are not inspections and do not count."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cases = select(Case.opened_on, Case.number).where(
        Case.establishment_id == establishment_id,
        Case.kind == CaseKind.INSPECTION.value,
        Case.status != CaseStatus.CANCELLED.value,
        Case.opened_on.between(start, end),
    )
    if exclude_case_id is not None:
        cases = cases.where(Case.id != exclude_case_id)
    found = [EarlierCheck(on=on, case_number=number) for on, number in db.session.execute(cases)]
    agencies = select(AgencyCheck.checked_on, AgencyCheck.agency).where(
        AgencyCheck.establishment_id == establishment_id, AgencyCheck.checked_on.between(start, end)
    )
    found += [EarlierCheck(on=on, agency=agency) for on, agency in db.session.execute(agencies)]
    return sorted(found, key=lambda c: (c.on, c.name))


def check_once_a_year(data: CaseInput, *, actor: Any, current: Any = None) -> list[Problem]:
    """The once-a-year rule (Resolution 198/2025/QH15, Directive 20/CT-TTg): a second inspection of the same
    establishment in the same calendar year is refused, beside the establishment, naming the earlier check,
    unless the case records clear signs of a violation, or a manager allows it with a reason.

    An edit that keeps the establishment and the year of a case is not asked again (a case recorded before
    the rule stays editable), unless it takes away the clear signs or the override that allowed it."""
    from cases.accounts import permissions

    problems: list[Problem] = []
    kept_override = current is not None and data.yearly_override_reason == current.yearly_override_reason
    may_override = kept_override or permissions.can_override_yearly_rule(actor)
    if data.yearly_override_reason and not may_override:
        problems.append(Problem("yearly_override_reason", "yearly_override_managers_only"))
    if data.kind != CaseKind.INSPECTION or data.establishment_id is None or data.opened_on is None:
        return problems
    if not fits_id(data.establishment_id):
        return problems
    unchanged = (
        current is not None
        and current.establishment_id == data.establishment_id
        and current.opened_on is not None
        and current.opened_on.year == data.opened_on.year
        # what allowed a second inspection is not taken away without asking again
        and not (current.clear_signs and not data.clear_signs)
        and not (current.yearly_override_reason and not data.yearly_override_reason)
    )
    if unchanged or data.clear_signs:
        return problems
    earlier = checks_in_year(
        data.establishment_id,
        data.opened_on.year,
        exclude_case_id=current.id if current is not None else None,
    )
    if earlier and not (data.yearly_override_reason and may_override):
        first = earlier[0]
        problems.append(
            Problem(
                "establishment_id",
                "checked_this_year",
                {"check": first.name, "on": first.on.strftime("%d/%m/%Y")},
            )
        )
    return problems


def check_case(data: CaseInput, *, today: dt.date | None = None) -> list[Problem]:
    """Every problem with ``data``, in field order; an empty list when the case may be saved."""
    today = today or dt.date.today()
    problems: list[Problem] = []
    if data.kind not in {k.value for k in CaseKind}:
        return [Problem("kind", "invalid_choice")]
    if data.status not in {s.value for s in CaseStatus}:
        problems.append(Problem("status", "invalid_choice"))
    _check_dates(data, today, problems)
    _check_location(data, problems)
    _check_kind_specific(data, problems)
    return problems


#: What a decision to inspect fixes once issued (LEGAL-2025.md §1.4: its scope is locked): the establishment,
#: the fields and content, the period, the team, and the decision itself.
DECISION_SCOPE = (
    "establishment_id",
    "fields",
    "product",
    "start_date",
    "end_date",
    "team_ids",
    "decision_number",
    "decision_date",
    "decision_signer",
)


def check_decision_scope(data: CaseInput, case: Any) -> list[Problem]:
    """Once the case's decision to inspect is issued, its scope stays as the decision says: a change of
    any of ``DECISION_SCOPE`` is refused beside its field, naming the decision. A draft correction of the
    decision opens the scope again (the correction, issued, fixes the new one)."""
    from sqlalchemy import exists, select
    from sqlalchemy.orm import aliased

    from cases.db import db
    from cases.enums import DocumentStatus, DocumentType
    from cases.models import OfficialDocument

    correction = aliased(OfficialDocument)
    number = db.session.scalar(
        select(OfficialDocument.number).where(
            OfficialDocument.case_id == case.id,
            OfficialDocument.doc_type == DocumentType.DECISION.value,
            OfficialDocument.status == DocumentStatus.ISSUED.value,
            ~exists().where(
                correction.replaces_id == OfficialDocument.id,
                correction.status == DocumentStatus.DRAFT.value,
            ),
        )
    )
    if number is None:
        return []
    now = {
        "fields": sorted(case.fields),
        "team_ids": sorted(u.id for u in case.team),
        **{name: getattr(case, name) for name in DECISION_SCOPE if name not in ("fields", "team_ids")},
    }
    return [
        Problem(name, "decision_scope_locked", {"number": number})
        for name in DECISION_SCOPE
        if getattr(data, name) != now[name]
    ]
