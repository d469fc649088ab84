"""Cases: list, search, create, edit and show the three kinds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import and_, or_, select
from sqlalchemy.orm.exc import StaleDataError

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db.ids import get_row
from cases.documents.register import documents_of
from cases.enums import CaseKind, CaseStatus, Role
from cases.errors import DomainError, ValidationFailed
from cases.geography import places as geography
from cases.models import Case, Establishment, Tip, User
from cases.planning import tips
from cases.recording import campaigns, takedown
from cases.recording import service as case_service
from cases.recording.queries import case_list_query
from cases.review import decisions, workflow
from forms.case_filters import parse_case_filters
from forms.cases import (
    FORMS,
    CaseFormBase,
    TakedownOutcomeForm,
    field_choices,
    form_data_from_input,
)
from forms.ids import parse_id
from inspect_app.extensions import db
from inspect_app.labels.errors import domain_message
from inspect_app.pagination import CasePagination, requested_page
from inspect_app.params import db_int
from inspect_app.views.choices import commune_choices, inspector_filter_choices, person_label
from inspect_app.views.documents import new_document_form
from inspect_app.views.support import load_case, save_form

bp = Blueprint("cases", __name__, url_prefix="/cases")


def _team_choices(keep: Any = ()) -> list[tuple[int, str]]:
    """The people an inspection team is made of: the active inspectors (PRODUCT.md: inspectors record
    cases on site; managers review them, liaisons follow their communes). ``keep``: the ids of a case's
    members already on it who no longer are active inspectors, still listed (marked) so that editing the
    case loses nobody."""
    keep_ids = {int(i) for i in keep if str(i).isdigit()}
    condition = and_(User.active.is_(True), User.role == Role.INSPECTOR)
    if keep_ids:
        condition = or_(condition, User.id.in_(keep_ids))
    users = db.session.scalars(select(User).where(condition).order_by(User.full_name_key))
    return [(u.id, person_label(u)) for u in users]


def _establishment_choices(establishment_id: Any) -> list[tuple[str, str]]:
    """The chosen establishment only; the picker finds others through /establishments/suggest."""
    est = get_row(Establishment, parse_id(establishment_id))
    if est is None or not permissions.can_use_establishment(current_user, est):
        return []
    label = f"{est.name} — {est.tax_code}" if est.tax_code else est.name
    return [(str(est.id), label)]


def _make_form(kind: str, case: Case | None = None, **kwargs: Any) -> CaseFormBase:
    form_class = FORMS[kind]
    extra: dict[str, Any] = {}
    if kind == CaseKind.INSPECTION:
        extra["team_choices"] = _team_choices(keep=[u.id for u in case.team] if case is not None else ())
    if kind == CaseKind.SURVEY:
        extra["campaign_choices"] = campaigns.campaign_choices()
    est_id = request.form.get("establishment_id") if request.method == "POST" else None
    if est_id is None and kwargs.get("data"):
        est_id = kwargs["data"].get("establishment_id")
    return form_class(
        commune_choices=commune_choices(),
        former_ward_choices=geography.former_ward_choices(),
        establishment_choices=_establishment_choices(est_id),
        **extra,
        **kwargs,
    )


def _rule_problems(form: CaseFormBase, case: Case | None = None) -> Callable[[], list[DomainError]]:
    """The case rules' problems of what the form holds (shown beside the fields WTForms left alone)."""

    def problems() -> list[DomainError]:
        from cases.recording.rules import check_case, check_once_a_year, check_references

        data = form.to_input()
        found = check_case(data) + check_references(data, actor=current_user, current=case)
        found += check_once_a_year(data, actor=current_user, current=case)
        return [p.as_error() for p in found]

    return problems


def _render_form(form: CaseFormBase, kind: str, case: Case | None, status: int = 200):
    earlier: list[Case] = []
    if kind == CaseKind.ECOMMERCE and (form.listing_url.data or form.seller_name.data):
        earlier = [
            c
            for c in case_service.earlier_checks(
                listing_url=form.listing_url.data,
                platform=form.platform.data or None,
                seller_platform_id=form.seller_platform_id.data,
                seller_name=form.seller_name.data,
                exclude_id=case.id if case else None,
            )
            if permissions.can_view_case(current_user, c)
        ]
    follow_up_of = None
    if kind == CaseKind.INSPECTION and not form.follow_up_of_id.errors:
        linked = get_row(Case, form.follow_up_of_id.data)
        follow_up_of = linked if linked and permissions.can_link_follow_up(current_user, linked) else None
    tip = None
    if kind == CaseKind.INSPECTION and not form.tip_id.errors and form.tip_id.data:
        found = get_row(Tip, form.tip_id.data)
        tip = found if found and permissions.can_view_tip(current_user, found) else None
    return (
        render_template(
            "cases/form.html",
            form=form,
            kind=kind,
            case=case,
            earlier=earlier,
            follow_up_of=follow_up_of,
            tip=tip,
            can_override_yearly=permissions.can_override_yearly_rule(current_user),
        ),
        status,
    )


@bp.get("/")
@login_required
def index():
    filters = parse_case_filters(request.args)
    page = CasePagination(
        select=case_list_query(filters, user=current_user),
        page=requested_page(),
        session=db.session(),
        per_page=current_app.config["PAGE_SIZE"],
        max_per_page=None,
        error_out=False,
    )
    return render_template(
        "cases/list.html",
        page=page,
        filters=filters,
        commune_choices=commune_choices(),
        field_choices=field_choices(),
        district_choices=geography.former_district_choices(),
        inspector_choices=inspector_filter_choices(filters.inspector_id),
    )


@bp.route("/new/<kind>", methods=["GET", "POST"])
@login_required
def new(kind: str):
    if kind not in FORMS:
        abort(404)
    if not permissions.can_create_case(current_user):
        abort(403)
    prefill: dict[str, Any] | None = None
    follow_of = request.args.get("follow_up_of", type=db_int)
    if request.method == "GET" and kind == CaseKind.INSPECTION and follow_of:
        survey = load_case(follow_of)
        try:
            prefill = form_data_from_input(case_service.follow_up_input(survey))
        except ValidationFailed as exc:  # not a survey: a plain new inspection, and why
            flash(domain_message(exc), "warning")
    tip_arg = request.args.get("tip", type=db_int)
    if request.method == "GET" and kind == CaseKind.INSPECTION and tip_arg:
        tip = get_row(Tip, tip_arg)
        if tip is None or not permissions.can_view_tip(current_user, tip):
            abort(404)
        prefill = form_data_from_input(tips.case_input_from_tip(tip, today=_today()))
    est_arg = request.args.get("establishment_id", type=db_int)
    if request.method == "GET" and not prefill and est_arg and db.session.get(Establishment, est_arg):
        est = db.session.get(Establishment, est_arg)
        prefill = {"establishment_id": str(est.id), "address": est.address or ""}
        if est.latitude is not None and est.longitude is not None:  # where the case happens: its premises
            prefill.update(latitude=est.latitude, longitude=est.longitude)
        if est.commune_code and permissions.can_see_commune(current_user, est.commune_code):
            prefill["commune_code"] = est.commune_code
        prefill["opened_on"] = _today()
    form = _make_form(kind, data=prefill) if prefill else _make_form(kind)
    if request.method == "GET" and not prefill:
        form.opened_on.data = form.opened_on.data or _today()
        scope = permissions.commune_scope(current_user)
        if scope and len(scope) == 1:
            form.commune_code.data = next(iter(scope))

    def done(case: Case):
        flash(_("Case %(number)s saved as a draft.", number=case.number), "success")
        return redirect(url_for("cases.show", case_id=case.id))

    return save_form(
        form,
        lambda: case_service.create_case(actor=current_user, data=form.to_input()),
        done=done,
        again=lambda status: _render_form(form, kind, None, status),
        problems=_rule_problems(form),
    )


def _today():
    import datetime as dt

    return dt.date.today()


@bp.get("/<int:case_id>")
@login_required
def show(case_id: int):
    return _render_show(load_case(case_id))


def _takedown_form(case: Case) -> TakedownOutcomeForm | None:
    """The form recording the outcome of an e-commerce check's action, where the user may record it."""
    if not permissions.can_record_takedown(current_user, case):
        return None
    return TakedownOutcomeForm(
        formdata=None,
        data={
            "platform_response": case.platform_response,
            "taken_down_on": case.taken_down_on,
            "referral_reference": case.referral_reference,
            "version": str(case.version),
        },
    )


def _render_show(
    case: Case,
    status: int = 200,
    workflow_errors: dict[str, str] | None = None,
    takedown_form: TakedownOutcomeForm | None = None,
):
    earlier: list[Case] = []
    if case.kind == CaseKind.ECOMMERCE:
        earlier = [
            c
            for c in case_service.earlier_checks(
                listing_url=case.listing_url,
                platform=case.platform,
                seller_platform_id=case.seller_platform_id,
                seller_name=case.seller_name,
                exclude_id=case.id,
            )
            if permissions.can_view_case(current_user, c)
        ]
    warning = None
    if case.latitude is not None and case.longitude is not None:
        try:
            warning = geography.check_commune_plausibility(case.commune_code, case.latitude, case.longitude)
        except ValidationFailed:
            warning = None
    # both ways, only the cases this user may see (a link recorded before the checks existed included)
    follow_ups = [
        c
        for c in db.session.scalars(select(Case).where(Case.follow_up_of_id == case.id).order_by(Case.id))
        if permissions.can_view_case(current_user, c)
    ]
    follow_up_of = case.follow_up_of
    if follow_up_of is not None and not permissions.can_view_case(current_user, follow_up_of):
        follow_up_of = None
    return (
        render_template(
            "cases/show.html",
            case=case,
            earlier=earlier,
            plausibility=warning,
            follow_ups=follow_ups,
            follow_up_of=follow_up_of,
            documents=documents_of(case),
            document_form=new_document_form(case)
            if permissions.can_draft_document(current_user, case)
            else None,
            can_edit=permissions.can_edit_case(current_user, case),
            can_delete=permissions.can_delete_case(current_user, case),
            timeline=audit.case_timeline(case.id),
            # the findings' totals, shown under the findings (a survey carries none)
            totals=decisions.case_totals(case.id) if case.findings else None,
            workflow_errors=workflow_errors or {},
            unsettled=workflow.unsettled_sanctions(case) if permissions.can_close(current_user, case) else [],
            takedown_form=takedown_form or _takedown_form(case),
            missing=workflow.missing_for_submission(case)
            if case.status in {CaseStatus.DRAFT, CaseStatus.RETURNED}
            else [],
            # shown again after a refused form (at the form's address): the address bar says the case page
            page_address=url_for("cases.show", case_id=case.id) if status != 200 else None,
        ),
        status,
    )


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@login_required
def edit(case_id: int):
    case = load_case(case_id, permissions.can_edit_case)
    if request.method == "GET":
        data = form_data_from_input(case_service.case_to_input(case))
        data["version"] = str(case.version)
        form = _make_form(case.kind, case, data=data)
    else:
        form = _make_form(case.kind, case)

    def _after(status: int) -> Case:
        """After a rollback the case is loaded again: the page shows what is saved, the form what is typed."""
        return load_case(case_id) if status == 400 else case

    def done(case: Case):
        flash(_("Case %(number)s saved.", number=case.number), "success")
        return redirect(url_for("cases.show", case_id=case.id))

    return save_form(
        form,
        lambda: case_service.update_case(
            case=case, actor=current_user, data=form.to_input(), expected_version=form.expected_version()
        ),
        done=done,
        # after a rollback the case is loaded again: the page shows what is saved, the form what was typed
        again=lambda status: _render_form(
            form, case.kind, load_case(case_id) if status == 400 else case, status
        ),
        problems=_rule_problems(form, case),
        stale=_(
            "Somebody else saved this case while you were editing it. Your changes were not saved: "
            "they are still in the form below. Open the case in a new tab to see the other changes."
        ),
    )


@bp.post("/<int:case_id>/delete")
@login_required
def delete(case_id: int):
    case = load_case(case_id, permissions.can_delete_case)
    number = case.number
    try:
        case_service.delete_draft(case=case, actor=current_user)
    except ValidationFailed as exc:  # documents in the register
        db.session.rollback()
        flash(domain_message(exc), "danger")
        return redirect(url_for("cases.show", case_id=case_id))
    db.session.commit()
    flash(_("Draft %(number)s deleted.", number=number), "success")
    return redirect(url_for("cases.index"))


@bp.post("/<int:case_id>/takedown")
@login_required
def record_takedown(case_id: int):
    """The platform's response, the takedown date, the referral: recorded after the check was submitted."""
    case = load_case(case_id, permissions.can_record_takedown)
    form = TakedownOutcomeForm()

    def done(_result: Any):
        flash(_("The outcome of the action on %(number)s is saved.", number=case.number), "success")
        return redirect(url_for("cases.show", case_id=case.id) + "#takedown")

    return save_form(
        form,
        lambda: takedown.record_outcome(
            case,
            current_user,
            platform_response=form.platform_response.data,
            taken_down_on=form.taken_down_on.data,
            referral_reference=form.referral_reference.data,
            expected_version=form.expected_version(),
        ),
        done=done,
        again=lambda status: _render_show(load_case(case_id), 400, takedown_form=form),
        fallback=form.form_errors.append,
        stale=_("Somebody else saved this case meanwhile. Reload the page and record the outcome again."),
    )


# --- review workflow: one small POST form per transition (cases/review/workflow.py decides)
# ------------------

_TRANSITIONS = {
    "submit": (lambda case, text: workflow.submit(case, current_user), None),
    "return": (lambda case, text: workflow.return_to_inspector(case, current_user, text), "note"),
    "approve": (
        lambda case, text: workflow.approve(
            case, current_user, self_approval=bool(current_app.config["ALLOW_SELF_APPROVAL"])
        ),
        None,
    ),
    "close": (lambda case, text: workflow.close(case, current_user, reason=text), "reason"),
    "reopen": (lambda case, text: workflow.reopen(case, current_user, text), "reason"),
    "cancel": (lambda case, text: workflow.cancel(case, current_user, text), "reason"),
}


def _done_message(action: str, number: str) -> str:
    return {
        "submit": lambda: _("Case %(number)s submitted for review.", number=number),
        "return": lambda: _("Case %(number)s returned to the inspector.", number=number),
        "approve": lambda: _("Case %(number)s approved.", number=number),
        "close": lambda: _("Case %(number)s closed.", number=number),
        "reopen": lambda: _("Case %(number)s reopened for an amendment.", number=number),
        "cancel": lambda: _("Case %(number)s cancelled.", number=number),
    }[action]()


@bp.post("/<int:case_id>/<any(submit, return, approve, close, reopen, cancel):action>")
@login_required
def transition(case_id: int, action: str):
    case = load_case(case_id)
    run, text_field = _TRANSITIONS[action]
    text = request.form.get(text_field) if text_field else None
    try:
        run(case, text)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(_("Somebody else saved this case at the same moment. Please try again."), "danger")
        return redirect(url_for("cases.show", case_id=case_id))
    except ValidationFailed as exc:
        db.session.rollback()
        case = load_case(case_id)
        message = domain_message(exc)
        errors = {action: message} if exc.field in {"note", "reason"} else {}
        if not errors:
            flash(message, "danger")
        # the page the form was on, again, with the message beside the text and the text kept
        if request.form.get("from") == "review" and permissions.can_review(current_user):
            from inspect_app.views.review import render_page as render_review

            return render_review(case, 400, workflow_errors=errors)
        return _render_show(case, 400, errors)
    flash(_done_message(action, case.number), "success")
    if action in {"return", "approve"} and permissions.can_review(current_user):
        return redirect(url_for("review.index"))
    return redirect(url_for("cases.show", case_id=case_id))
