"""Review by managers: the queue of submitted cases and the review page; the counts in the navigation."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from cases.accounts import permissions
from cases.errors import ValidationFailed
from cases.geography import places as geography
from cases.models import Case, Finding
from cases.recording.queries import returned_count, review_queue_query
from cases.review import decisions as review
from cases.review import workflow
from forms.case_filters import parse_case_filters
from forms.cases import field_choices
from forms.ids import parse_version
from forms.review import DecisionForm, PaymentForm
from inspect_app.extensions import db
from inspect_app.labels.errors import domain_message
from inspect_app.pagination import requested_page
from inspect_app.views.choices import commune_choices, inspector_filter_choices
from inspect_app.views.support import load_case, save_form

bp = Blueprint("review", __name__, url_prefix="/review")
logger = logging.getLogger(__name__)


def _require_reviewer() -> None:
    if not permissions.can_review(current_user):
        abort(403)


@bp.get("/")
@login_required
def index():
    _require_reviewer()
    filters = parse_case_filters(request.args)
    filters.status = None
    page = db.paginate(
        review_queue_query(filters, user=current_user),
        page=requested_page(),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template(
        "review/index.html",
        page=page,
        filters=filters,
        commune_choices=commune_choices(),
        field_choices=field_choices(),
        district_choices=geography.former_district_choices(),
        inspector_choices=inspector_filter_choices(filters.inspector_id),
    )


@bp.get("/overdue")
@login_required
def overdue():
    """Sanctions whose deadline has passed while the fine is unpaid or the remedy not done."""
    _require_reviewer()
    from cases.recording.queries import overdue_sanctions_query

    page = db.paginate(
        overdue_sanctions_query(user=current_user, today=dt.date.today()),
        page=requested_page(),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("review/overdue.html", page=page, today=dt.date.today())


def _load_case(case_id: int) -> Case:
    _require_reviewer()
    return load_case(case_id)


def _decision_form(finding: Finding) -> DecisionForm:
    """The decision form of a finding, filled with what was decided (or proposed) so far."""
    return DecisionForm(
        formdata=None,
        prefix=f"d{finding.id}",
        data={
            "reason": finding.review_reason,
            "offender_type": finding.offender_type,
            "sanction_form": finding.sanction_form,
            "decision_number": finding.decision_number,
            "decision_date": finding.decision_date,
            "fine_vnd": finding.decided_fine_vnd
            if finding.decided_fine_vnd is not None
            else finding.proposed_fine_vnd,
            "override_reason": finding.fine_override_reason,
            "additional_penalties": finding.additional_penalties,
            "remedies": finding.remedies_decided or finding.proposed_remedies,
            "deadline": finding.deadline,
            "seized_goods_value_vnd": finding.seized_goods_value_vnd,
            "referral_agency": finding.referral_agency,
            "referral_on": finding.referral_on,
            "referral_reference": finding.referral_reference,
            "version": finding.version,
        },
    )


def _payment_form(finding: Finding) -> PaymentForm:
    return PaymentForm(
        formdata=None,
        prefix=f"p{finding.id}",
        data={
            "fine_paid_on": finding.fine_paid_on,
            "remedy_done_on": finding.remedy_done_on,
            "version": finding.version,
        },
    )


def render_page(
    case,
    status: int = 200,
    posted: dict[str, Any] | None = None,
    workflow_errors: dict[str, str] | None = None,
):
    """The review page; ``posted`` holds the submitted form (with its errors) in place of the stored one,
    ``workflow_errors`` a refused transition's message ({action: message}, beside its text field)."""
    posted = posted or {}
    decision_forms = {f.id: posted.get(f"d{f.id}") or _decision_form(f) for f in case.findings}
    payment_forms = {f.id: posted.get(f"p{f.id}") or _payment_form(f) for f in case.findings}
    return (
        render_template(
            "review/show.html",
            case=case,
            can_edit=False,
            missing=workflow.missing_for_submission(case),
            workflow_errors=workflow_errors or {},
            unsettled=workflow.unsettled_sanctions(case) if permissions.can_close(current_user, case) else [],
            decision_forms=decision_forms,
            totals=review.case_totals(case.id),
            payment_forms=payment_forms,
            # shown again after a refused form (at the form's address): the address bar says the review page
            page_address=url_for("review.show", case_id=case.id) if status != 200 else None,
        ),
        status,
    )


@bp.get("/<int:case_id>")
@login_required
def show(case_id: int):
    return render_page(_load_case(case_id))


def _finding_of(case, finding_id: int) -> Finding:
    finding = next((f for f in case.findings if f.id == finding_id), None)
    if finding is None:
        abort(404)
    return finding


def _version(form: Any) -> int | None:
    return parse_version(form.version.data)


def _save(case: Case, finding: Finding, form: Any, key: str, do: Any, done: str, check: Any = None):
    """Validate the form, save through the domain, commit; or show the page again (400), input kept.

    When the form's own checks fail, ``check()`` gives the domain's rule problems of what could be read,
    shown with them: every error in one answer. A message with no field of its own (a stale save) is said
    above the form."""

    def saved(_result: Any):
        flash(done, "success")
        return redirect(url_for("review.show", case_id=case.id) + f"#finding-{finding.id}")

    return save_form(
        form,
        do,
        done=saved,
        again=lambda status: render_page(_load_case(case.id), 400, {key: form}),
        problems=check,
        fallback=form.form_errors.append,
        stale=domain_message(ValidationFailed("stale_finding")),
    )


@bp.post("/<int:case_id>/findings/<int:finding_id>")
@login_required
def decide(case_id: int, finding_id: int):
    case = _load_case(case_id)
    finding = _finding_of(case, finding_id)
    form = DecisionForm(prefix=f"d{finding.id}")
    decision = request.form.get("decision")
    if decision not in {"confirm", "dismiss", "refer"}:
        abort(400)

    def do() -> None:
        version = _version(form)
        if decision == "confirm":
            values = vars(form.to_input())
            review.confirm_finding(finding, current_user, **values, expected_version=version)
        elif decision == "dismiss":
            review.dismiss_finding(finding, current_user, form.reason.data, expected_version=version)
        else:
            referral = form.to_referral()
            review.refer_finding(
                finding,
                current_user,
                agency=referral.agency,
                referred_on=referral.referred_on,
                reference=referral.reference,
                reason=form.reason.data,
                expected_version=version,
            )

    def check() -> list[ValidationFailed]:
        return review.decision_problems(
            finding,
            decision,
            form.to_input(),
            referral=form.to_referral(),
        )

    done = {
        "confirm": _("Finding confirmed."),
        "dismiss": _("Finding dismissed."),
        "refer": _("Finding referred to another agency."),
    }[decision]
    return _save(case, finding, form, f"d{finding.id}", do, done, check)


@bp.post("/<int:case_id>/findings/<int:finding_id>/payment")
@login_required
def payment(case_id: int, finding_id: int):
    case = _load_case(case_id)
    finding = _finding_of(case, finding_id)
    form = PaymentForm(prefix=f"p{finding.id}")

    def do() -> None:
        review.record_payment(
            finding,
            current_user,
            paid_on=form.fine_paid_on.data,
            remedy_done_on=form.remedy_done_on.data,
            expected_version=_version(form),
        )

    def check() -> list[ValidationFailed]:
        return review.payment_problems(
            finding, paid_on=form.fine_paid_on.data, remedy_done_on=form.remedy_done_on.data
        )

    return _save(case, finding, form, f"p{finding.id}", do, _("Payment and remedy dates saved."), check)


def nav_counts() -> dict[str, Any]:
    """The navigation badge: a manager's cases waiting for review, anyone else's returned cases.

    One COUNT per request, only for a signed-in user, computed when a template first asks for it.
    """

    def badge() -> dict[str, Any] | None:
        if "nav_badge" not in g:
            g.nav_badge = _compute_badge()
        return g.nav_badge

    return {"nav_badge": badge}


def _compute_badge() -> dict[str, Any] | None:
    if not permissions.is_signed_in(current_user):
        return None
    try:
        return _count_badge()
    except SQLAlchemyError:  # a badge never breaks a page (e.g. an error page after a failed query)
        logger.warning("navigation count failed", exc_info=True)
        return None


def _count_badge() -> dict[str, Any] | None:
    if permissions.can_review(current_user):
        from cases.recording.queries import review_badge_counts

        waiting, overdue = review_badge_counts(today=dt.date.today())
        return {"kind": "review", "count": waiting, "overdue": overdue}
    if permissions.can_create_case(current_user):
        return {"kind": "returned", "count": returned_count(current_user)}
    return None
