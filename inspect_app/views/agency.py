"""The agency that issues the documents (admin only): its names, symbol and treasury account, and its
signers with the sanctioning authority they hold. Each change is in the audit trail."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases.audit import trail as audit
from cases.documents import agency as agency_config
from cases.enums import Role
from cases.models import AgencySigner
from forms.agency import AgencyForm, SignerForm
from inspect_app.auth import role_required
from inspect_app.views.support import load, save_form

bp = Blueprint("agency", __name__, url_prefix="/admin/agency")


def _render(form: AgencyForm, status: int):
    return (
        render_template(
            "agency/form.html",
            form=form,
            signers=agency_config.list_signers(),
            authorities=dict(agency_config.authority_codes()),
            history=audit.entity_timeline("agency", agency_config.AGENCY_ID, limit=20),
        ),
        status,
    )


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit():
    form = AgencyForm()
    if request.method == "GET":
        form.fill(agency_config.agency_to_input(agency_config.agency_settings()))

    def done(_result: Any):
        flash(_("The agency's details were saved."), "success")
        return redirect(url_for("agency.edit"))

    return save_form(
        form,
        lambda: agency_config.update_agency(current_user._get_current_object(), form.values()),
        done=done,
        again=lambda status: _render(form, status),
    )


def _signer_page(form: SignerForm, signer: AgencySigner | None, status: int):
    return render_template("agency/signer_form.html", form=form, signer=signer), status


def _save_signer(signer: AgencySigner | None):
    form = SignerForm(authority_choices=agency_config.authority_codes())
    if request.method == "GET" and signer is not None:
        form.fill(agency_config.signer_to_input(signer))

    def done(saved: AgencySigner):
        flash(_("Signer %(name)s saved.", name=saved.full_name), "success")
        return redirect(url_for("agency.edit"))

    return save_form(
        form,
        lambda: agency_config.save_signer(current_user._get_current_object(), form.values(), signer),
        done=done,
        again=lambda status: _signer_page(form, signer, status),
    )


@bp.route("/signers/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def signer_new():
    return _save_signer(None)


@bp.route("/signers/<int:signer_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def signer_edit(signer_id: int):
    return _save_signer(load(AgencySigner, signer_id))
