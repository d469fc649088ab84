"""The outcome of an e-commerce check's action, recorded while the check is reviewed or after it.

A takedown requested from a platform is often answered days or weeks later, when the check has been
submitted, approved or even closed and can no longer be edited (``permissions.can_edit_case``). The
platform's response, the date the listing was taken down and the referral's reference are the follow-up of
the action, not a correction of the check: they are recorded here, by the check's author or team or a
manager, each change in the audit trail ("takedown"). The dashboard's "takedowns still open" and the
report's "takedowns done" read ``taken_down_on``.

While the check is a draft or returned, the same values are typed in the case form. Flushes, never commits.
"""

from __future__ import annotations

import datetime as dt

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db import db
from cases.errors import PermissionDenied
from cases.models import Case, User
from cases.recording.rules import CaseInvalid, Problem
from cases.recording.service import StaleCase
from cases.text import clean_text

RESPONSE_MAX = 5000
REFERENCE_MAX = 200


def record_outcome(
    case: Case,
    actor: User,
    *,
    platform_response: str | None,
    taken_down_on: dt.date | None,
    referral_reference: str | None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    """Record (or correct) the platform's response, the takedown date and the referral reference.

    Every problem is raised at once (:class:`CaseInvalid`); a newer version than ``expected_version``
    means somebody else saved the check meanwhile (:class:`StaleCase`).
    """
    if not permissions.can_record_takedown(actor, case):
        raise PermissionDenied()
    if expected_version is not None and expected_version != case.version:
        raise StaleCase(field="version")
    today = today or dt.date.today()
    platform_response = clean_text(platform_response, multiline=True)
    referral_reference = clean_text(referral_reference)
    problems: list[Problem] = []
    if taken_down_on is not None:
        if taken_down_on > today:
            problems.append(Problem("taken_down_on", "date_in_future"))
        elif taken_down_on.year < 2000:
            problems.append(Problem("taken_down_on", "date_too_old"))
        elif case.action_on is not None and taken_down_on < case.action_on:
            problems.append(Problem("taken_down_on", "takedown_before_action"))
    if platform_response and len(platform_response) > RESPONSE_MAX:
        problems.append(Problem("platform_response", "too_long"))
    if referral_reference and len(referral_reference) > REFERENCE_MAX:
        problems.append(Problem("referral_reference", "too_long"))
    if problems:
        raise CaseInvalid(problems)
    before = audit.snapshot(case)
    case.platform_response = platform_response
    case.taken_down_on = taken_down_on
    case.referral_reference = referral_reference
    db.session.flush()
    changes = audit.diff(before, audit.snapshot(case))
    if changes:
        audit.record(actor, "takedown", case=case, changes=changes)
    return case


__all__ = ["record_outcome"]
