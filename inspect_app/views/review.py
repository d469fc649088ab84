"""Review by managers: the queue of submitted cases and the review page; the counts in the navigation."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError

from cases import geography, permissions, review, workflow
from cases.case_queries import case_detail_query, returned_count, review_queue_query
from cases.errors import PermissionDenied, ValidationFailed
from cases.models import Finding
from forms.case_filters import parse_case_filters
from forms.cases import field_choices
from forms.ids import parse_version
from forms.review import DecisionForm, PaymentForm
from inspect_app.extensions import db
from inspect_app.formatting import status_label
from inspect_app.messages import domain_message, show_beside_field, submission_field_label
from inspect_app.pagination import requested_page

bp = Blueprint("review", __name__, url_prefix="/review")
logger = logging.getLogger(__name__)


def _require_reviewer() -> None:
    if not permissions.can_review(current_user):
        abort(403)


@bp.get("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    _require_reviewer()
    from inspect_app.views.cases import _commune_choices, _team_choices

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
        commune_choices=_commune_choices(),
        field_choices=field_choices(),
        district_choices=geography.former_district_choices(),
        inspector_choices=_team_choices(),
    )


@bp.get("/overdue")
@login_required
def overdue():  # type: ignore[no-untyped-def]
    """Sanctions whose deadline has passed while the fine is unpaid or the remedy not done."""
    _require_reviewer()
    from cases.case_queries import overdue_sanctions_query

    page = db.paginate(
        overdue_sanctions_query(user=current_user, today=dt.date.today()),
        page=requested_page(),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("review/overdue.html", page=page, today=dt.date.today())


def _load_case(case_id: int):  # type: ignore[no-untyped-def]
    _require_reviewer()
    case = db.session.scalar(case_detail_query(case_id))
    if case is None:
        abort(404)
    if not permissions.can_view_case(current_user, case):
        abort(403)
    return case


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


def _render(case, status: int = 200, posted: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    """The review page; ``posted`` holds the submitted form (with its errors) in place of the stored one."""
    posted = posted or {}
    decision_forms = {f.id: posted.get(f"d{f.id}") or _decision_form(f) for f in case.findings}
    payment_forms = {f.id: posted.get(f"p{f.id}") or _payment_form(f) for f in case.findings}
    return (
        render_template(
            "review/show.html",
            case=case,
            can_edit=False,
            missing=workflow.missing_for_submission(case),
            decision_forms=decision_forms,
            payment_forms=payment_forms,
        ),
        status,
    )


@bp.get("/<int:case_id>")
@login_required
def show(case_id: int):  # type: ignore[no-untyped-def]
    return _render(_load_case(case_id))


def _finding_of(case, finding_id: int) -> Finding:  # type: ignore[no-untyped-def]
    finding = next((f for f in case.findings if f.id == finding_id), None)
    if finding is None:
        abort(404)
    return finding


def _version(form: Any) -> int | None:
    return parse_version(form.version.data)


def _apply_error(form: Any, exc: ValidationFailed) -> None:
    if exc.field == "version":  # a stale save: said above the form, not beside the hidden field
        form.form_errors.append(domain_message(exc))
    else:
        show_beside_field(form, exc, fallback=form.form_errors.append)


def _save(case, finding: Finding, form: Any, key: str, do: Any, done: str):  # type: ignore[no-untyped-def]
    """Validate the form, save through the domain, commit; or show the page again (400), input kept."""
    if form.validate_on_submit():
        try:
            do()
        except PermissionDenied:
            db.session.rollback()
            abort(403)
        except ValidationFailed as exc:
            db.session.rollback()
            _apply_error(form, exc)
        except StaleDataError:  # saved by somebody else between our check and our write
            db.session.rollback()
            _apply_error(form, ValidationFailed("stale_finding", field="version"))
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("review.show", case_id=case.id) + f"#finding-{finding.id}")
    case = _load_case(case.id)
    return _render(case, 400, {key: form})


@bp.post("/<int:case_id>/findings/<int:finding_id>")
@login_required
def decide(case_id: int, finding_id: int):  # type: ignore[no-untyped-def]
    case = _load_case(case_id)
    finding = _finding_of(case, finding_id)
    form = DecisionForm(prefix=f"d{finding.id}")
    decision = request.form.get("decision")
    if decision not in {"confirm", "dismiss", "refer"}:
        abort(400)

    def do() -> None:
        version = _version(form)
        if decision == "confirm":
            review.confirm_finding(
                finding,
                current_user,
                reason=form.reason.data,
                offender_type=form.offender_type.data,
                sanction_form=form.sanction_form.data,
                decision_number=form.decision_number.data,
                decision_date=form.decision_date.data,
                fine_vnd=form.fine_vnd.data,
                override_reason=form.override_reason.data,
                additional_penalties=form.additional_penalties.data,
                remedies=form.remedies.data,
                deadline=form.deadline.data,
                seized_goods_value_vnd=form.seized_goods_value_vnd.data,
                expected_version=version,
            )
        elif decision == "dismiss":
            review.dismiss_finding(finding, current_user, form.reason.data, expected_version=version)
        else:
            review.refer_finding(
                finding,
                current_user,
                agency=form.referral_agency.data,
                referred_on=form.referral_on.data,
                reference=form.referral_reference.data,
                reason=form.reason.data,
                expected_version=version,
            )

    done = {
        "confirm": _("Finding confirmed."),
        "dismiss": _("Finding dismissed."),
        "refer": _("Finding referred to another agency."),
    }[decision]
    return _save(case, finding, form, f"d{finding.id}", do, done)


@bp.post("/<int:case_id>/findings/<int:finding_id>/payment")
@login_required
def payment(case_id: int, finding_id: int):  # type: ignore[no-untyped-def]
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

    return _save(case, finding, form, f"p{finding.id}", do, _("Payment and remedy dates saved."))


@bp.app_context_processor
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
        from cases.case_queries import review_badge_counts

        waiting, overdue = review_badge_counts(today=dt.date.today())
        return {"kind": "review", "count": waiting, "overdue": overdue}
    if permissions.can_create_case(current_user):
        return {"kind": "returned", "count": returned_count(current_user)}
    return None


# --- words for the timeline and the workflow ----------------------------------------------------------


@bp.app_template_global()
def finding_totals(case_id: int) -> review.Totals:
    """Fines decided and collected on a case, derived in SQL (``review.case_totals``)."""
    return review.case_totals(case_id)


@bp.app_template_global()
def sanction_form_label(value: str | None) -> str:
    from forms.review import sanction_form_choices

    return dict(sanction_form_choices()).get(value or "", "—") if value else "—"


@bp.app_template_global()
def audit_action_label(action: str) -> str:
    return {
        "create": lambda: _("Created"),
        "import": lambda: _("Imported"),
        "update": lambda: _("Edited"),
        "delete": lambda: _("Deleted"),
        "upload": lambda: _("File uploaded"),
        "submit": lambda: _("Submitted for review"),
        "return": lambda: _("Returned to the inspector"),
        "approve": lambda: _("Approved"),
        "close": lambda: _("Closed"),
        "reopen": lambda: _("Reopened for an amendment"),
        "cancel": lambda: _("Cancelled"),
        "confirm": lambda: _("Finding confirmed"),
        "dismiss": lambda: _("Finding dismissed"),
        "refer": lambda: _("Finding referred to another agency"),
        "payment": lambda: _("Payment and remedy dates recorded"),
    }.get(action, lambda: action)()


@bp.app_template_global()
def audit_entity_label(entity_type: str) -> str:
    return {
        "instrument": lambda: _("measuring instrument"),
        "prepackaged_lot": lambda: _("prepackaged lot"),
        "goods": lambda: _("goods"),
        "sample": lambda: _("sample"),
        "finding": lambda: _("finding"),
        "evidence": lambda: _("evidence file"),
    }.get(entity_type, lambda: entity_type)()


@bp.app_template_global()
def audit_value(value: Any, field: str = "") -> str:
    """A stored value as a person reads it: dates DD/MM/YYYY, money in đồng, names rather than ids."""
    from cases import formatting
    from cases.models import User
    from inspect_app.formatting import choice_label, field_label

    if value is None or value == "" or value == []:
        return "—"
    if field == "status":
        return status_label(str(value))
    if field == "sanction_form":
        return sanction_form_label(str(value))
    if field in {"platform", "mode", "action"}:
        return choice_label(field, str(value))
    if field == "suspected_issue":
        return choice_label("issue", str(value))
    if field == "fields" and isinstance(value, list):
        return ", ".join(field_label(str(v)) for v in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.endswith("_by_id") and isinstance(value, int):
        user = db.session.get(User, value)
        return user.full_name if user else str(value)
    if field.endswith("_vnd") and isinstance(value, int):
        return formatting.format_vnd(value)
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return formatting.format_date(dt.date.fromisoformat(value))
            return formatting.format_datetime(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


bp.add_app_template_filter(submission_field_label, "submission_field_label")


def _form_labels(*form_classes: type) -> dict[str, Any]:
    """The (lazy) labels of the forms' fields, by field name: the words the user typed them under."""
    from wtforms.fields.core import UnboundField

    labels: dict[str, Any] = {}
    for form_class in form_classes:
        for klass in reversed(form_class.__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, UnboundField):
                    label = value.kwargs.get("label", value.args[0] if value.args else None)
                    if label is not None:
                        labels[name] = label
    return labels


_LABELS: dict[str, dict[str, Any]] = {}


@bp.app_template_global()
def audit_field_label(entity_type: str, field: str, kind: str | None = None) -> str:
    """The form's label of a changed field (a case's from its kind's form), else the field's code."""
    if not _LABELS:
        from forms import case_items as item_forms
        from forms.cases import FORMS

        _LABELS["case"] = _form_labels(*FORMS.values())
        for case_kind, form_class in FORMS.items():
            _LABELS[f"case:{case_kind}"] = _form_labels(form_class)
        _LABELS["instrument"] = _form_labels(item_forms.InstrumentForm)
        _LABELS["prepackaged_lot"] = _form_labels(item_forms.LotForm)
        _LABELS["goods"] = _form_labels(item_forms.GoodsForm)
        _LABELS["sample"] = _form_labels(item_forms.SampleForm)
        from forms.review import DecisionForm as _Decision
        from forms.review import PaymentForm as _Payment

        _LABELS["finding"] = _form_labels(item_forms.FindingForm) | _form_labels(_Decision, _Payment)
        _LABELS["finding"].update(
            {
                "decided_fine_vnd": _Decision.fine_vnd.kwargs.get("label") or _Decision.fine_vnd.args[0],
                "review_reason": _Decision.reason.args[0],
                "fine_override_reason": _Decision.override_reason.args[0],
                "remedies_decided": _Decision.remedies.args[0],
                "reviewed_by_id": _l("Reviewed by"),
                "reviewed_at": _l("Reviewed at"),
            }
        )
    label = _LABELS.get(f"{entity_type}:{kind}", {}).get(field) or _LABELS.get(entity_type, {}).get(field)
    if field == "status":
        return _("Status")
    return str(label) if label is not None else field
