"""Review by managers: the queue of submitted cases and the review page; the counts in the navigation."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, abort, current_app, g, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from cases import geography, permissions, workflow
from cases.case_queries import case_detail_query, returned_count, review_queue_query, waiting_for_review_count
from forms.case_filters import parse_case_filters
from forms.cases import field_choices
from inspect_app.extensions import db
from inspect_app.formatting import status_label
from inspect_app.messages import submission_field_label

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


@bp.get("/<int:case_id>")
@login_required
def show(case_id: int):  # type: ignore[no-untyped-def]
    _require_reviewer()
    case = db.session.scalar(case_detail_query(case_id))
    if case is None:
        abort(404)
    if not permissions.can_view_case(current_user, case):
        abort(403)
    return render_template(
        "review/show.html", case=case, can_edit=False, missing=workflow.missing_for_submission(case)
    )


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
        return {"kind": "review", "count": waiting_for_review_count()}
    if permissions.can_create_case(current_user):
        return {"kind": "returned", "count": returned_count(current_user)}
    return None


# --- words for the timeline and the workflow ----------------------------------------------------------


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
    if value is None or value == "" or value == []:
        return "—"
    if field == "status":
        return status_label(str(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
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
        _LABELS["finding"] = _form_labels(item_forms.FindingForm)
    label = _LABELS.get(f"{entity_type}:{kind}", {}).get(field) or _LABELS.get(entity_type, {}).get(field)
    if field == "status":
        return _("Status")
    return str(label) if label is not None else field
