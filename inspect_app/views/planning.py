"""Planning pages: the risk score's weights (an administrator saves a new version) and the second
inspections of a year a manager allowed (the once-a-year rule's overrides)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from cases.accounts import permissions
from cases.errors import ValidationFailed
from cases.models import Case, Establishment
from cases.planning import score, tips, weights
from forms.planning import risk_weights_form, weight_field_name
from inspect_app.extensions import db
from inspect_app.labels.planning import component_label, weight_item_label
from inspect_app.views.support import load, require, save_form

bp = Blueprint("planning", __name__, url_prefix="/planning")


@bp.route("/weights", methods=["GET", "POST"])
@login_required
def risk_weights():
    require(permissions.can_edit_risk_weights(current_user))
    current = weights.load(on=dt.date.max)
    names = {c: component_label(c) for c in (*weights.COMPONENTS,)}
    names.update(band=_("Band: least score"), interval=_("Band: months between inspections"))
    items = {(c, i): weight_item_label(c, i) for (c, i) in current.points}
    form = risk_weights_form(current, items)()
    if not form.is_submitted():
        form.effective_from.data = dt.date.today()
    groups = [
        (names[c], [getattr(form, weight_field_name(c, i)) for i, _p in sorted(current.items(c))])
        for c in (*weights.COMPONENTS, *weights.TABLES)
    ]

    def done(version):
        flash(_("Weights version %(number)s saved.", number=version.number), "success")
        return redirect(url_for("planning.risk_weights"))

    def save():
        try:
            return weights.save_version(
                actor=current_user,
                points=form.points(),
                effective_from=form.effective_from.data,
                note=form.note.data,
            )
        except ValidationFailed as exc:
            if exc.field and exc.field != "effective_from":
                exc.field = None
            raise

    return save_form(
        form,
        save,
        done=done,
        again=lambda status: (
            render_template(
                "planning/weights.html",
                form=form,
                groups=groups,
                current=current,
                versions=weights.versions(),
            ),
            status,
        ),
    )


@bp.get("/establishments/<int:establishment_id>/risk")
@login_required
def risk_card(establishment_id: int):
    """The risk score of an establishment with its reasons, and its tips: a page, or (``fragment``) the
    card its page fetches."""
    require(permissions.can_view_risk_score(current_user) or permissions.can_view_tips(current_user))
    establishment = load(Establishment, establishment_id)
    risk = score.score_of(establishment) if permissions.can_view_risk_score(current_user) else None
    found = (
        list(
            db.session.scalars(tips.tip_list_query(current_user, establishment_id=establishment.id).limit(10))
        )
        if permissions.can_view_tips(current_user)
        else []
    )
    template = "establishments/_planning.html" if request.args.get("fragment") else "planning/risk_card.html"
    return render_template(template, establishment=establishment, risk=risk, tips=found)


@bp.get("/second-inspections")
@login_required
def second_inspections():
    """The second inspections of an establishment in a year that a manager allowed, newest first."""
    require(permissions.can_review(current_user))
    stmt = (
        select(Case)
        .where(Case.yearly_override_reason.is_not(None))
        .order_by(Case.opened_on.desc(), Case.id.desc())
        .limit(200)
    )
    cases = [c for c in db.session.scalars(stmt) if permissions.can_view_case(current_user, c)]
    return render_template("planning/second_inspections.html", cases=cases)
