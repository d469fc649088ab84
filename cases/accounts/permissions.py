"""Who may do what: the one place where permissions are decided.

Views call these to refuse (403) and templates call them (as ``perm``) to hide what a user cannot do.
Every function takes the acting user (or ``None``/an anonymous user) and plain values.
"""

from __future__ import annotations

from typing import Any

from cases.enums import CaseKind, CaseStatus, Role


def _role(user: Any) -> Role | None:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    try:
        return Role(user.role)
    except (AttributeError, ValueError):
        return None


def has_role(user: Any, *roles: Role) -> bool:
    return _role(user) in roles


def is_signed_in(user: Any) -> bool:
    return _role(user) is not None


def can_manage_users(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_manage_reference_data(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_view_catalog(user: Any) -> bool:
    return is_signed_in(user)


def sees_all_communes(user: Any) -> bool:
    """Managers, admins and inspectors work across the province; a liaison only in their communes."""
    return has_role(user, Role.MANAGER, Role.ADMIN, Role.INSPECTOR)


def commune_scope(user: Any) -> set[str] | None:
    """The commune codes a user is limited to, or ``None`` for the whole province."""
    if sees_all_communes(user):
        return None
    if has_role(user, Role.LIAISON):
        return {c.code for c in user.communes}
    return set()


def can_see_commune(user: Any, commune_code: str) -> bool:
    scope = commune_scope(user)
    return scope is None or commune_code in scope


# --- cases ------------------------------------------------------------------------------------------

EDITABLE_STATUSES = {CaseStatus.DRAFT, CaseStatus.RETURNED}


def can_create_case(user: Any) -> bool:
    return has_role(user, Role.INSPECTOR, Role.LIAISON, Role.MANAGER, Role.ADMIN)


def can_view_case(user: Any, case: Any) -> bool:
    """Everyone signed in sees the province's cases, except a liaison: only their communes' cases."""
    if not is_signed_in(user):
        return False
    return can_see_commune(user, case.commune_code)


def _is_author_or_team(user: Any, case: Any) -> bool:
    return case.created_by_id == user.id or any(member.id == user.id for member in case.team)


def can_edit_case(user: Any, case: Any) -> bool:
    """Drafts and returned cases are edited by their author or team (managers and admins: any)."""
    if not can_view_case(user, case) or case.status not in EDITABLE_STATUSES:
        return False
    if has_role(user, Role.MANAGER, Role.ADMIN):
        return True
    return _is_author_or_team(user, case)


def can_delete_case(user: Any, case: Any) -> bool:
    """Only a draft, only by its creator; anything past draft is cancelled, never deleted."""
    return is_signed_in(user) and case.status == CaseStatus.DRAFT and case.created_by_id == user.id


def can_add_evidence(user: Any, case: Any) -> bool:
    return can_edit_case(user, case)


def can_view_establishments(user: Any) -> bool:
    return is_signed_in(user)


def can_edit_establishment(user: Any, establishment: Any = None) -> bool:
    """Any role records establishments; a liaison edits only those of their communes (or with none yet)."""
    if not has_role(user, Role.INSPECTOR, Role.LIAISON, Role.MANAGER, Role.ADMIN):
        return False
    if establishment is None or establishment.commune_code is None:
        return True
    return can_see_commune(user, establishment.commune_code)


def can_use_establishment(user: Any, establishment: Any) -> bool:
    """Name an establishment on a case or a sample: the register is shared, so whoever may view it."""
    return can_view_establishments(user) and establishment is not None


def can_link_follow_up(user: Any, case: Any) -> bool:
    """Record a case as the follow-up of ``case``: only of a case the user may see (its number is shown)."""
    return case is not None and can_view_case(user, case)


def can_join_team(member: Any) -> bool:
    """Who may be put on a case's team (the form's choices): active inspectors, managers and liaisons."""
    return bool(getattr(member, "active", False)) and getattr(member, "role", None) in {
        Role.INSPECTOR,
        Role.MANAGER,
        Role.LIAISON,
    }


def can_use_violation(user: Any, violation: Any) -> bool:
    """Name a catalog entry on a finding: the catalog is reference data every signed-in user reads."""
    return violation is not None and can_view_catalog(user)


def can_use_campaign(user: Any, campaign: Any) -> bool:
    """Survey campaigns are the Department's: whoever records cases may put a survey in one."""
    return campaign is not None and can_create_case(user)


def can_import_cases(user: Any) -> bool:
    return has_role(user, Role.MANAGER, Role.ADMIN)


def can_delete_import_mapping(user: Any, mapping: Any) -> bool:
    """A mapping saved for the import (``cases/transfer/saved_mappings.py``): its author or an admin."""
    if has_role(user, Role.ADMIN):
        return True
    return can_import_cases(user) and mapping.created_by_id is not None and mapping.created_by_id == user.id


# --- review workflow (cases/review/workflow.py) ------------------------------------------------------------

SUBMITTABLE_STATUSES = {CaseStatus.DRAFT, CaseStatus.RETURNED}
CANCELLABLE_STATUSES = {CaseStatus.SUBMITTED, CaseStatus.RETURNED, CaseStatus.APPROVED}


def can_override_yearly_rule(user: Any) -> bool:
    """A manager may allow a second inspection of an establishment in a year (with a reason, audited)."""
    return has_role(user, Role.MANAGER)


def can_record_tip(user: Any) -> bool:
    """Inspectors, managers and a liaison (in their communes) record tips and complaints."""
    return has_role(user, Role.INSPECTOR, Role.MANAGER, Role.LIAISON)


def can_view_tips(user: Any) -> bool:
    return has_role(user, Role.INSPECTOR, Role.MANAGER, Role.LIAISON, Role.ADMIN)


def can_view_tip(user: Any, tip: Any) -> bool:
    if not can_view_tips(user) or tip is None:
        return False
    return (
        tip.commune_code is None
        and sees_all_communes(user)
        or (tip.commune_code is not None and can_see_commune(user, tip.commune_code))
    )


def can_view_risk_score(user: Any) -> bool:
    """The score counts every case of the establishment, so only those who see every commune see it."""
    return sees_all_communes(user)


def can_edit_risk_weights(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_review(user: Any) -> bool:
    """Only managers review (return, approve, close, reopen, cancel); PRODUCT.md keeps admins out."""
    return has_role(user, Role.MANAGER)


def can_submit(user: Any, case: Any) -> bool:
    """The author or a team member (or a manager) submits a draft or a returned case."""
    if not can_view_case(user, case) or case.status not in SUBMITTABLE_STATUSES:
        return False
    return has_role(user, Role.MANAGER) or (can_create_case(user) and _is_author_or_team(user, case))


def can_return(user: Any, case: Any) -> bool:
    return can_review(user) and case.status == CaseStatus.SUBMITTED


def can_approve(user: Any, case: Any, *, self_approval: bool = False) -> bool:
    """A manager approves a submitted case, unless they wrote it or are in its team: then another manager
    must (four eyes), except where ``self_approval`` is allowed (``ALLOW_SELF_APPROVAL``: a department with
    a single manager), and such an approval is marked in the case's history."""
    if not (can_review(user) and case.status == CaseStatus.SUBMITTED):
        return False
    return self_approval or not _is_author_or_team(user, case)


def needs_another_manager(user: Any, case: Any, *, self_approval: bool = False) -> bool:
    """The manager could approve this case but for having written it or being in its team."""
    return (
        can_review(user)
        and case.status == CaseStatus.SUBMITTED
        and not can_approve(user, case, self_approval=self_approval)
    )


def is_self_approval(user: Any, case: Any) -> bool:
    return _is_author_or_team(user, case)


def can_close(user: Any, case: Any) -> bool:
    return can_review(user) and case.status == CaseStatus.APPROVED


def can_reopen(user: Any, case: Any) -> bool:
    return can_review(user) and case.status in {CaseStatus.APPROVED, CaseStatus.CLOSED}


def can_cancel(user: Any, case: Any) -> bool:
    return can_review(user) and case.status in CANCELLABLE_STATUSES


def can_review_findings(user: Any, case: Any) -> bool:
    """Confirm, dismiss or refer a case's findings: a manager, while the case is submitted."""
    return can_review(user) and case.status == CaseStatus.SUBMITTED


def can_record_payment(user: Any, case: Any) -> bool:
    """Record when a fine was paid and a remedy done: a manager, also after approval."""
    return can_review(user) and case.status in {CaseStatus.SUBMITTED, CaseStatus.APPROVED, CaseStatus.CLOSED}


TAKEDOWN_FOLLOW_UP_STATUSES = {CaseStatus.SUBMITTED, CaseStatus.APPROVED, CaseStatus.CLOSED}


def can_record_takedown(user: Any, case: Any) -> bool:
    """Record an e-commerce check's outcome (the platform's response, the takedown date, the referral)
    once it is past editing: its author or team, or a manager. Drafts and returned checks use the form."""
    if case.kind != CaseKind.ECOMMERCE or case.status not in TAKEDOWN_FOLLOW_UP_STATUSES:
        return False
    if not can_view_case(user, case):
        return False
    return has_role(user, Role.MANAGER) or (can_create_case(user) and _is_author_or_team(user, case))


# --- activities and targets of the plan (cases/plan/activities.py, cases/plan/targets.py) ---------------


def can_view_activities(user: Any) -> bool:
    """The plan's activities are the Department's work, not a commune's: liaisons do not see them."""
    return has_role(user, Role.INSPECTOR, Role.MANAGER, Role.ADMIN)


def can_record_activity(user: Any) -> bool:
    return has_role(user, Role.INSPECTOR, Role.MANAGER, Role.ADMIN)


def can_edit_activity(user: Any, activity: Any) -> bool:
    """Its author edits an activity (and its files); managers and admins edit any."""
    if not can_record_activity(user):
        return False
    return has_role(user, Role.MANAGER, Role.ADMIN) or activity.created_by_id == user.id


def can_delete_activity(user: Any, activity: Any) -> bool:
    return can_edit_activity(user, activity)


def can_manage_targets(user: Any) -> bool:
    """The plan's targets change only when a new plan changes them: administrators."""
    return has_role(user, Role.ADMIN)


def can_manage_agency(user: Any) -> bool:
    """The agency's names, treasury account and signers (what the documents print): administrators."""
    return has_role(user, Role.ADMIN)


def can_view_reports(user: Any) -> bool:
    """The annual plan report: managers write it, administrators read it too."""
    return has_role(user, Role.MANAGER, Role.ADMIN)


def can_write_report(user: Any) -> bool:
    """Write the narrative, finalise, start a new revision: managers."""
    return has_role(user, Role.MANAGER)


# --- official documents (issue 17) ---------------------------------------------------------------------


def can_view_documents(user: Any, case: Any) -> bool:
    """A case's documents are seen by whoever sees the case."""
    return can_view_case(user, case)


def can_draft_document(user: Any, case: Any) -> bool:
    """An inspector drafts (and edits the drafts of) the documents of his cases, as author or team member;
    a manager or an administrator on any case. Never on a cancelled case."""
    if not can_view_case(user, case) or case.status == CaseStatus.CANCELLED:
        return False
    if has_role(user, Role.MANAGER, Role.ADMIN):
        return True
    return has_role(user, Role.INSPECTOR) and _is_author_or_team(user, case)


#: The records the team makes and signs on site (LEGAL-2025.md §1.7: the team leader and the members sign the
#: inspection and sampling records, the recorder the violation record); decisions are signed by the head.
ON_SITE_RECORDS = frozenset({"inspection-record", "sampling-record", "violation-record"})


def can_issue_document(user: Any, case: Any, doc_type: str | None = None) -> bool:
    """Issuing gives the number and freezes the content: a manager (or an administrator) issues any
    document; an inspector of the case (author or team) issues the records made on site."""
    if not can_view_case(user, case) or case.status == CaseStatus.CANCELLED:
        return False
    if has_role(user, Role.MANAGER, Role.ADMIN):
        return True
    return doc_type in ON_SITE_RECORDS and has_role(user, Role.INSPECTOR) and _is_author_or_team(user, case)


def can_void_document(user: Any, case: Any) -> bool:
    """Voiding or correcting an issued document: a manager (or an administrator)."""
    return has_role(user, Role.MANAGER, Role.ADMIN) and can_view_case(user, case)


def can_record_signature(user: Any, case: Any, doc_type: str) -> bool:
    """Attaching the signed paper copy, or noting a refusal to sign: whoever may issue the document."""
    return can_issue_document(user, case, doc_type)
