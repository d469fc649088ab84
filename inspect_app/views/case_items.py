"""What was checked on a case (instruments, prepackaged lots, goods, samples) and its proposed findings.

Each kind has an add page, an edit page and a delete action; a success goes back to the case page at the
kind's section, a refusal re-renders the form with the messages beside the fields (400). The four kinds of
item share one view of each (``item_new``, ``item_edit``, ``item_delete``), routed once per kind from the
table ``ITEM_PAGES`` (URL word, endpoint name, form, words); the domain's table is ``items.KINDS``. The
template helpers registered here are also used by ``case_items/_items.html`` and ``_findings.html``, which
the case page includes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from cases.accounts import permissions
from cases.db.ids import get_row
from cases.enums import CaseKind
from cases.errors import ValidationFailed
from cases.inspection import items
from cases.models import (
    Case,
    Establishment,
    Finding,
    Violation,
)
from cases.review import findings
from forms.case_items import (
    ERROR_UNITS,
    PRODUCT_GROUPS,
    FindingForm,
    GoodsForm,
    InstrumentForm,
    LotForm,
    SampleForm,
)
from forms.ids import parse_id, parse_version
from inspect_app.extensions import db
from inspect_app.labels.errors import domain_message
from inspect_app.labels.items import fine_warning_label
from inspect_app.params import db_int
from inspect_app.views.support import load, save_form

bp = Blueprint("case_items", __name__, url_prefix="/cases/<int:case_id>")

#: The anchor of each section on the case page.
ANCHORS = {
    items.INSTRUMENTS: "instruments",
    items.PREPACKAGED: "prepackaged",
    items.GOODS: "goods",
    items.SAMPLES: "samples",
    "findings": "findings",
}
MAX_ESTABLISHMENT_CHOICES = 500


# --- loading and answering ---------------------------------------------------------------------------


def _load_case(case_id: int) -> Case:
    """The case, if the current user may change it (403 otherwise: viewing is not enough)."""
    return load(Case, case_id, permissions.can_edit_case)


def _load_item(case: Case, model: type, item_id: int) -> Any:
    """An item of this case (404 for another case's)."""
    item = load(model, item_id)
    if item.case_id != case.id:
        abort(404)
    return item


def _require_kind(case: Case, item_kind: str) -> None:
    """404 for a kind of item this kind of case does not record (e.g. instruments on an e-commerce check)."""
    if item_kind == "findings":
        allowed = case.kind in findings.FINDING_CASE_KINDS
    else:
        allowed = item_kind in items.allowed_item_kinds(case)
    if not allowed:
        abort(404)


def case_url(case: Case, anchor: str | None = None) -> str:
    """The case page (at a section)."""
    return url_for("cases.show", case_id=case.id) + (f"#{anchor}" if anchor else "")


def _form_view(
    *,
    case: Case,
    item_kind: str,
    form: Any,
    save: Callable[[], Any],
    saved_message: str,
    title: str,
    item: Any = None,
    extra: dict[str, Any] | None = None,
    after_save: Callable[[Any], None] | None = None,
    check: Callable[[], list[Any]] | None = None,
):
    """Validate, save through the domain, commit and go back to the case; or show the form again.

    When the form's own checks fail, ``check`` gives the domain's rule problems of what could be read,
    shown too: every error of the input in one answer."""

    def done(saved: Any):
        flash(saved_message, "success")
        if after_save is not None:
            after_save(saved)
        return redirect(case_url(case, ANCHORS[item_kind]))

    return save_form(
        form,
        save,
        done=done,
        again=lambda status: _render_item_form(form, case, item_kind, title, item, extra, status),
        problems=check,
        fallback=form.form_errors.append,
    )


def _render_item_form(
    form: Any, case: Case, item_kind: str, title: str, item: Any, extra: dict[str, Any] | None, status: int
):
    context = {
        "form": form,
        "case": case,
        "item": item,
        "item_kind": item_kind,
        "title": title,
        "cancel_url": case_url(case, ANCHORS[item_kind]),
        "delete_url": None,
    }
    if item is not None:
        context["delete_url"] = url_for(
            f"case_items.{_ENDPOINT_PREFIX[item_kind]}_delete", case_id=case.id, item_id=item.id
        )
    context.update(extra or {})
    return render_template("case_items/edit.html", **context), status


def _delete_view(case: Case, item_kind: str, delete: Callable[[], None], message: str):
    try:
        delete()
    except ValidationFailed as exc:
        db.session.rollback()
        flash(domain_message(exc), "danger")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(case_url(case, ANCHORS[item_kind]))


def _establishment_choices(case: Case, current_id: int | None) -> list[tuple[str, str]]:
    """Establishments to name on a survey's sample (the current one always among them)."""
    if case.kind != CaseKind.SURVEY:
        return []
    rows = list(
        db.session.scalars(
            select(Establishment)
            .order_by(Establishment.name_key, Establishment.id)
            .limit(MAX_ESTABLISHMENT_CHOICES)
        )
    )
    if (
        current_id
        and all(e.id != current_id for e in rows)
        and (current := db.session.get(Establishment, current_id))
    ):
        rows.insert(0, current)
    return [(str(e.id), f"{e.name} — {e.tax_code}" if e.tax_code else e.name) for e in rows]


def _nothing(_case: Case) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class _ItemPage:
    """The pages of one kind of item (``items.KINDS``): its URLs, its form, its words."""

    segment: str  # in the URL: /cases/<id>/<segment>/new, …/<item_id>/edit, …/<item_id>/delete
    endpoint: str  # case_items.<endpoint>_new, _edit, _delete
    #: the form for the case (and the item edited, with its stored values to show, or None)
    form: Callable[[Case, Any, dict[str, Any] | None], Any]
    add_title: Any
    edit_title: Any
    added: Any
    saved: Any
    deleted: Any
    extra: Callable[[Case], dict[str, Any]] = _nothing  # what else the form's template needs


ITEM_PAGES: dict[str, _ItemPage] = {
    items.INSTRUMENTS: _ItemPage(
        "instruments",
        "instrument",
        lambda _case, _item, data: InstrumentForm(data=data),
        _l("Add a measuring instrument"),
        _l("Edit a measuring instrument"),
        _l("Instrument added."),
        _l("Instrument saved."),
        _l("Instrument deleted."),
        extra=lambda case: {"inspection_date": items.inspection_date(case), "error_units": ERROR_UNITS},
    ),
    items.PREPACKAGED: _ItemPage(
        "lots",
        "lot",
        lambda _case, _item, data: LotForm(data=data),
        _l("Add a lot of prepackaged goods"),
        _l("Edit a lot of prepackaged goods"),
        _l("Prepackaged lot added."),
        _l("Prepackaged lot saved."),
        _l("Prepackaged lot deleted."),
    ),
    items.GOODS: _ItemPage(
        "goods",
        "goods",
        lambda _case, _item, data: GoodsForm(data=data),
        _l("Add goods checked"),
        _l("Edit goods checked"),
        _l("Goods added."),
        _l("Goods saved."),
        _l("Goods deleted."),
        extra=lambda _case: {"product_groups": PRODUCT_GROUPS},
    ),
    items.SAMPLES: _ItemPage(
        "samples",
        "sample",
        lambda case, item, data: SampleForm(
            data=data,
            establishment_choices=_establishment_choices(case, item.establishment_id if item else None),
        ),
        _l("Add a sample"),
        _l("Edit a sample"),
        _l("Sample added."),
        _l("Sample saved."),
        _l("Sample deleted."),
    ),
}

_ENDPOINT_PREFIX = {**{kind: page.endpoint for kind, page in ITEM_PAGES.items()}, "findings": "finding"}


# --- instruments, prepackaged lots, goods, samples: one set of routes, one rule per kind ------------


@login_required
def item_new(case_id: int, kind: str):
    case = _load_case(case_id)
    _require_kind(case, kind)
    page = ITEM_PAGES[kind]
    form = page.form(case, None, None)
    return _form_view(
        case=case,
        item_kind=kind,
        form=form,
        save=lambda: items.add_item(case=case, actor=current_user, data=form.to_input()),
        saved_message=str(page.added),
        title=str(page.add_title),
        extra=page.extra(case),
        check=lambda: items.problems_of(kind, form.to_input(), actor=current_user),
    )


@login_required
def item_edit(case_id: int, item_id: int, kind: str):
    case = _load_case(case_id)
    item = _load_item(case, items.KINDS[kind].model, item_id)
    page = ITEM_PAGES[kind]
    form = page.form(case, item, None if request.method == "POST" else asdict(items.to_input(item)))
    return _form_view(
        case=case,
        item_kind=kind,
        form=form,
        save=lambda: items.update_item(item=item, actor=current_user, data=form.to_input()),
        saved_message=str(page.saved),
        title=str(page.edit_title),
        item=item,
        extra=page.extra(case),
        check=lambda: items.problems_of(kind, form.to_input(), item=item, actor=current_user),
    )


@login_required
def item_delete(case_id: int, item_id: int, kind: str):
    case = _load_case(case_id)
    item = _load_item(case, items.KINDS[kind].model, item_id)
    return _delete_view(
        case, kind, lambda: items.delete_item(item=item, actor=current_user), str(ITEM_PAGES[kind].deleted)
    )


def _of_kind(view: Callable[..., Any], kind: str) -> Callable[..., Any]:
    """``view`` for one kind of item (the kind is not in the URL's arguments: the URL's word names it)."""

    def routed(**args: Any) -> Any:
        return view(kind=kind, **args)

    return routed


for _kind, _page in ITEM_PAGES.items():
    _base = f"/{_page.segment}"
    _methods = ["GET", "POST"]
    bp.add_url_rule(f"{_base}/new", f"{_page.endpoint}_new", _of_kind(item_new, _kind), methods=_methods)
    bp.add_url_rule(
        f"{_base}/<int:item_id>/edit", f"{_page.endpoint}_edit", _of_kind(item_edit, _kind), methods=_methods
    )
    bp.add_url_rule(
        f"{_base}/<int:item_id>/delete",
        f"{_page.endpoint}_delete",
        _of_kind(item_delete, _kind),
        methods=["POST"],
    )


# --- findings ----------------------------------------------------------------------------------------


def _violation_choices(
    current_violation_id: int | None,
) -> tuple[list[tuple[str, str]], list[tuple[str, list[Any]]]]:
    """Flat choices (for validation) and the same entries grouped (for the ``<select>``'s optgroups)."""
    groups = findings.active_violations_by_group()
    if current_violation_id and all(v.id != current_violation_id for _g, vs in groups for v in vs):
        retired = db.session.get(Violation, current_violation_id)
        if retired is not None:
            groups.insert(0, (retired.group_name, [retired]))
    flat = [(str(v.id), f"{v.code} — {v.description}") for _g, vs in groups for v in vs]
    return flat, groups


def _finding_extra(form: FindingForm, groups: list[tuple[str, list[Any]]]) -> dict[str, Any]:
    """The chosen violation (for the range beside the fine) and the warning when the fine is outside it."""
    violation = get_row(Violation, parse_id(form.violation_id.data))
    offender = form.offender_type.data
    fine = form.proposed_fine_vnd.data if not form.proposed_fine_vnd.errors else None
    return {
        "violation_groups": groups,
        "chosen_violation": violation,
        "fine_bounds": findings.fine_range(violation, offender) if violation and offender else None,
        "fine_warning": findings.fine_warning(violation, offender, fine),
    }


def _flash_fine_warning(finding: Finding) -> None:
    if (code := findings.finding_fine_warning(finding)) is not None:
        flash(fine_warning_label(code), "warning")


@bp.route("/findings/new", methods=["GET", "POST"])
@login_required
def finding_new(case_id: int):
    case = _load_case(case_id)
    if case.kind == CaseKind.SURVEY:
        flash(domain_message(ValidationFailed("survey_no_findings")), "warning")
        return redirect(case_url(case))
    _require_kind(case, "findings")
    flat, groups = _violation_choices(None)
    form = FindingForm(violation_choices=flat)
    if request.method == "GET" and (preset := request.args.get("violation_id", type=db_int)):
        form.violation_id.data = str(preset)
    return _form_view(
        case=case,
        item_kind="findings",
        form=form,
        save=lambda: findings.add_finding(case=case, actor=current_user, data=form.to_input()),
        saved_message=_("Finding added."),
        title=_("Propose a finding"),
        extra=_finding_extra(form, groups),
        after_save=_flash_fine_warning,
        check=lambda: findings.problems_of(form.to_input(), actor=current_user),
    )


@bp.route("/findings/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def finding_edit(case_id: int, item_id: int):
    case = _load_case(case_id)
    _require_kind(case, "findings")
    finding = _load_item(case, Finding, item_id)
    flat, groups = _violation_choices(finding.violation_id)
    data = None
    if request.method != "POST":
        data = asdict(findings.finding_to_input(finding))
        data["violation_id"] = str(finding.violation_id)
        data["version"] = str(finding.version)
    form = FindingForm(data=data, violation_choices=flat)
    version = form.version.data

    def save() -> Finding:
        expected = parse_version(version)
        return findings.update_finding(
            finding=finding, actor=current_user, data=form.to_input(), expected_version=expected
        )

    return _form_view(
        case=case,
        item_kind="findings",
        form=form,
        save=save,
        saved_message=_("Finding saved."),
        title=_("Edit a proposed finding"),
        item=finding,
        extra=_finding_extra(form, groups),
        after_save=_flash_fine_warning,
        check=lambda: findings.problems_of(form.to_input(), finding, actor=current_user),
    )


@bp.post("/findings/<int:item_id>/delete")
@login_required
def finding_delete(case_id: int, item_id: int):
    case = _load_case(case_id)
    finding = _load_item(case, Finding, item_id)
    return _delete_view(
        case,
        "findings",
        lambda: findings.delete_finding(finding=finding, actor=current_user),
        _("Finding deleted."),
    )
