"""Establishments: list, page with case history, create and edit, and the suggestions for the case form."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from sqlalchemy import select

from cases.accounts import permissions
from cases.errors import ValidationFailed
from cases.geography import places as geography
from cases.models import Establishment
from cases.recording import establishments
from forms.establishments import EstablishmentForm, business_type_choices
from inspect_app.extensions import db
from inspect_app.labels.errors import domain_message
from inspect_app.pagination import requested_page
from inspect_app.views.choices import commune_choices
from inspect_app.views.support import load, require, save_form, show_beside_field

bp = Blueprint("establishments", __name__, url_prefix="/establishments")


def _form(**kwargs: Any) -> EstablishmentForm:
    return EstablishmentForm(
        commune_choices=commune_choices(),
        commune_required=permissions.commune_scope(current_user) is not None,
        **kwargs,
    )


def _field_error(form: EstablishmentForm, exc: ValidationFailed) -> None:
    if exc.code == "tax_code_taken" and exc.params.get("id") is not None:
        link = Markup('<a href="{}">{}</a>').format(
            url_for("establishments.show", establishment_id=exc.params["id"]), exc.params.get("name")
        )
        # the same msgid as in inspect_app/labels/errors.py, with the name as a link to the existing one
        message = escape(_("The tax code is already recorded for %(name)s.")) % {"name": link}
    else:
        message = domain_message(exc)
    show_beside_field(form, exc, message)


def _propose_commune(form: EstablishmentForm) -> geography.CommuneSuggestion | None:
    """With the commune left empty, the commune the address (or the GPS point) names without doubt:
    put into the field for the user to check, rather than saving "not known". ``None`` when there is
    none, when it is not one the user may choose, or when the user already left this proposal empty."""
    if form.commune_code.data or form.latitude.errors or form.longitude.errors:
        return None
    latitude, longitude = form.coordinates()
    suggestion = geography.confident_commune(form.address.data, latitude, longitude)
    if suggestion is None or suggestion.commune.code == (form.commune_declined.data or "").strip():
        return None
    if suggestion.commune.code not in {code for code, _name in form.commune_code.choices}:
        return None
    form.commune_code.data = suggestion.commune.code
    form.commune_code.errors = []  # a liaison's "required": answered by the proposal
    form.commune_declined.data = suggestion.commune.code
    return suggestion


def _save(form: EstablishmentForm, establishment: Establishment | None):
    """Create (``establishment`` None) or edit; with the commune left empty and one the address names
    without doubt, the form comes back with it proposed, for the user to check, unsaved."""
    valid = form.validate_on_submit()
    proposed = _propose_commune(form) if form.is_submitted() else None

    def save() -> Establishment:
        if establishment is None:
            return establishments.create_establishment(actor=current_user, **form.values())
        return establishments.update_establishment(establishment, actor=current_user, **form.values())

    def done(saved: Establishment):
        if establishment is None:
            flash(_("Establishment %(name)s recorded.", name=saved.name), "success")
        else:
            flash(_("Establishment %(name)s saved.", name=saved.name), "success")
        return redirect(url_for("establishments.show", establishment_id=saved.id))

    return save_form(
        form,
        save,
        done=done,
        again=lambda status: (
            render_template(
                "establishments/form.html", form=form, establishment=establishment, proposed=proposed
            ),
            status,
        ),
        problems=lambda: establishments.problems_of(
            actor=current_user,
            establishment_id=establishment.id if establishment is not None else None,
            **form.values_readable(),
        ),
        show=_field_error,
        valid=valid,
        hold=proposed is not None,
    )


@bp.get("/")
@login_required
def index():
    require(permissions.can_view_establishments(current_user))
    q = request.args.get("q", "").strip()[: establishments.MAX_QUERY]
    commune = request.args.get("commune", "").strip()
    business_type = request.args.get("type", "").strip()
    stmt = establishments.establishment_list_query(
        q or None, commune_code=commune or None, business_type=business_type or None
    )
    page = db.paginate(stmt, page=requested_page(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    repeat_ids = establishments.repeat_offender_ids((e.id for e in page.items), user=current_user)
    filters = {"q": q, "commune": commune, "type": business_type}
    any_recorded = bool(page.items) or db.session.scalar(select(Establishment.id).limit(1)) is not None
    return render_template(
        "establishments/list.html",
        page=page,
        filters=filters,
        filtered=any(filters.values()),
        any_recorded=any_recorded,
        repeat_ids=repeat_ids,
        commune_choices=geography.commune_choices(),
        business_types=business_type_choices(),
    )


@bp.get("/<int:establishment_id>")
@login_required
def show(establishment_id: int):
    require(permissions.can_view_establishments(current_user))
    establishment = load(Establishment, establishment_id)
    history = establishments.establishment_history(establishment.id, user=current_user)
    return render_template(
        "establishments/show.html",
        establishment=establishment,
        history=history,
        repeat_offender=establishments.is_repeat_offender(establishment.id, user=current_user),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require(permissions.can_edit_establishment(current_user))
    form = _form()
    if request.method == "GET" and request.args.get("name"):
        form.name.data = request.args["name"][: establishments.MAX_NAME]
    return _save(form, None)


@bp.route("/<int:establishment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(establishment_id: int):
    establishment = load(Establishment, establishment_id)
    require(permissions.can_edit_establishment(current_user, establishment))
    form = _form(obj=establishment)
    return _save(form, establishment)


@bp.get("/suggest")
def suggest():
    """Establishments matching ``q`` (name without diacritics, or tax code), for the case form's picker."""
    if not current_user.is_authenticated:
        return jsonify(error=_("Please sign in to open this page."), status=401), 401
    if not permissions.can_view_establishments(current_user):
        return jsonify(error=_("You do not have permission to open this page."), status=403), 403
    q = request.args.get("q", "").strip()
    if len(q) > establishments.MAX_QUERY:
        message = _("The search text is too long (at most %(max)d characters).", max=establishments.MAX_QUERY)
        return jsonify(error=message, status=400), 400
    if len(q) < 2:
        return jsonify(results=[])
    found = establishments.find_similar(q, tax_code=q)
    return jsonify(
        results=[
            {
                "id": e.id,
                "name": e.name,
                "tax_code": e.tax_code,
                "address": e.address,
                "commune_code": e.commune_code,
                "commune_name": e.commune.name if e.commune else None,
                "latitude": e.latitude,
                "longitude": e.longitude,
            }
            for e in found
        ]
    )
