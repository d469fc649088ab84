"""The agency that issues the documents (admin only): its names, symbol and treasury account, and its
signers with the sanctioning authority they hold. Each change is in the audit trail."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases.audit import trail as audit
from cases.documents import agency as agency_config
from cases.documents import templates as document_templates
from cases.enums import Confidence, DocumentType, Role
from cases.models import AgencySigner, DocumentTemplate
from forms.agency import AgencyForm, SignerForm, TemplateForm
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


# --- the dated versions of the documents' forms ---------------------------------------------------------


def _template_form(formdata: Any = ...) -> TemplateForm:
    from inspect_app.labels.codes import confidence_label, document_type_label

    kwargs = {} if formdata is ... else {"formdata": formdata}
    return TemplateForm(
        type_choices=[(t.value, document_type_label(t.value)) for t in DocumentType],
        confidence_choices=[(c.value, confidence_label(c.value)) for c in Confidence],
        **kwargs,
    )


@bp.get("/templates/")
@role_required(Role.ADMIN)
def templates():
    return render_template("agency/templates.html", versions=document_templates.versions())


def _save_template(template: DocumentTemplate | None):
    form = _template_form()
    if request.method == "GET":
        if template is not None:
            form.fill(document_templates.template_to_input(template))
        else:
            wanted = request.args.get("doc_type")
            if wanted in {t.value for t in DocumentType}:
                form.doc_type.data = wanted
    if template is not None:
        form.doc_type.data = template.doc_type  # a version's type never changes

    def done(saved: DocumentTemplate):
        flash(_("Version “%(label)s” saved.", label=saved.version_label), "success")
        return redirect(url_for("agency.templates"))

    return save_form(
        form,
        lambda: document_templates.save_template(current_user._get_current_object(), form.values(), template),
        done=done,
        again=lambda status: (
            render_template("agency/template_form.html", form=form, template=template),
            status,
        ),
    )


@bp.route("/templates/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def template_new():
    return _save_template(None)


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def template_edit(template_id: int):
    return _save_template(load(DocumentTemplate, template_id))
