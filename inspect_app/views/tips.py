"""Tips and complaints (tin báo, phản ánh): the list, recording one, a tip's page (close it, open an
unscheduled case from it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from cases.accounts import permissions
from cases.db.ids import get_row
from cases.models import Case, Establishment, Tip
from cases.planning import tips
from forms.ids import parse_id
from forms.planning import TipForm, TipStatusForm, tip_status_choices
from inspect_app.extensions import db
from inspect_app.pagination import requested_page
from inspect_app.views.choices import commune_choices
from inspect_app.views.support import load, require, save_form

bp = Blueprint("tips", __name__, url_prefix="/tips")


def _establishment_choices(raw: Any) -> list[tuple[str, str]]:
    est = get_row(Establishment, parse_id(raw))
    if est is None or not permissions.can_use_establishment(current_user, est):
        return []
    return [(str(est.id), f"{est.name} — {est.tax_code}" if est.tax_code else est.name)]


@bp.get("/")
@login_required
def index():
    require(permissions.can_view_tips(current_user))
    status = request.args.get("status") or None
    if status not in {None, *(v for v, _label in tip_status_choices())}:
        status = None
    page = db.paginate(
        tips.tip_list_query(current_user, status=status),
        page=requested_page(),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("tips/list.html", page=page, status=status, statuses=tip_status_choices())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require(permissions.can_record_tip(current_user))
    raw = (
        request.form.get("establishment_id")
        if request.method == "POST"
        else request.args.get("establishment_id")
    )
    form = TipForm(establishment_choices=_establishment_choices(raw), commune_choices=commune_choices())
    if request.method == "GET":
        form.received_on.data = dt.date.today()
        if raw and form.establishment_id.choices[1:]:
            form.establishment_id.data = form.establishment_id.choices[1][0]
            est = get_row(Establishment, parse_id(raw))
            if est is not None and est.commune_code in {c for c, _n in form.commune_code.choices}:
                form.commune_code.data = est.commune_code

    def done(tip: Tip):
        flash(_("Tip recorded."), "success")
        return redirect(url_for("tips.show", tip_id=tip.id))

    return save_form(
        form,
        lambda: tips.record_tip(actor=current_user, data=form.to_input()),
        done=done,
        again=lambda status: (render_template("tips/form.html", form=form), status),
    )


@bp.get("/<int:tip_id>")
@login_required
def show(tip_id: int):
    tip = load(Tip, tip_id, permissions.can_view_tip)
    cases = [
        c
        for c in db.session.scalars(select(Case).where(Case.tip_id == tip.id).order_by(Case.id))
        if permissions.can_view_case(current_user, c)
    ]
    form = TipStatusForm(status=tip.status)
    return render_template("tips/show.html", tip=tip, cases=cases, form=form)


@bp.post("/<int:tip_id>/status")
@login_required
def status(tip_id: int):
    tip = load(Tip, tip_id, permissions.can_view_tip)
    require(permissions.can_record_tip(current_user))
    form = TipStatusForm()

    def done(_tip: Tip):
        flash(_("Status saved."), "success")
        return redirect(url_for("tips.show", tip_id=tip.id))

    return save_form(
        form,
        lambda: tips.set_status(actor=current_user, tip=tip, status=form.status.data),
        done=done,
        again=lambda code: (render_template("tips/show.html", tip=tip, cases=[], form=form), code),
    )
