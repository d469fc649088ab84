"""The annual plan report: the page (figures, charts, narrative editor), finalising, revisions, PDF and
Excel. The figures come from ``cases.reporting.annual_report.document`` (live for a draft, frozen once
finalised)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cases.accounts import permissions
from cases.errors import ValidationFailed
from cases.models import AnnualReport
from cases.reporting import annual_report as ar
from forms.ids import parse_version
from forms.reports import FinaliseForm, ReportTextForm, RevisionForm
from inspect_app import report_output
from inspect_app.extensions import db
from inspect_app.labels.errors import domain_message
from inspect_app.params import db_int
from inspect_app.views.support import save_form

bp = Blueprint("reports", __name__, url_prefix="/reports")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(check: Any) -> None:
    if not check(current_user):
        abort(403)


def _year(year: int) -> int:
    try:
        return ar.check_year(year)
    except ValidationFailed:
        abort(404)


def _chosen_report(year: int) -> AnnualReport | None:
    """The revision asked for (``?revision=N``), else the year's draft, else its final report."""
    revision = request.args.get("revision", type=db_int)
    reports = ar.revisions(year)
    if revision is not None:
        for report in reports:
            if report.revision == revision:
                return report
        abort(404)
    return ar.draft_of(year) or ar.final_of(year)


@bp.get("/annual")
@login_required
def annual_index():
    _require(permissions.can_view_reports)
    return redirect(url_for("reports.annual", year=dt.date.today().year))


@bp.get("/annual/<int:year>")
@login_required
def annual(year: int, form: ReportTextForm | None = None):
    _require(permissions.can_view_reports)
    year = _year(year)
    report = _chosen_report(year)
    doc = ar.document(year, report)
    draft = ar.draft_of(year)
    final = ar.final_of(year)
    revisions = ar.revisions(year)
    if form is None:
        form = ReportTextForm(formdata=None)
        form.fill_from(doc["text"], draft.version if draft else None)
    return render_template(
        "reports/annual.html",
        year=year,
        report=report,
        draft=draft,
        final=final,
        revisions=revisions,
        years=list(range(dt.date.today().year, ar.FIRST_YEAR - 1, -1)),
        form=form,
        finalise_form=FinaliseForm(formdata=None, version=str(draft.version) if draft else ""),
        revision_form=RevisionForm(formdata=None),
        missing=ar.missing_for_finalising(draft) if draft else [],
        editing=draft is not None or not revisions,
        **report_output.context(doc),
    )


@bp.post("/annual/<int:year>/text")
@login_required
def save_text(year: int):
    _require(permissions.can_write_report)
    year = _year(year)
    form = ReportTextForm()

    def save() -> None:
        report = ar.start_draft(year, current_user)
        ar.save_text(report, form.to_text(), current_user, expected_version=form.expected_version())

    def done(_result: None):
        flash(_("The report's text was saved."), "success")
        return redirect(url_for("reports.annual", year=year) + "#narrative")

    def again(_status: int):
        if form.errors:
            flash(_("The report was not saved: correct the fields marked in red."), "error")
        return annual(year, form=form), 422

    return save_form(form, save, done=done, again=again, valid=form.validate())


@bp.post("/annual/<int:year>/finalise")
@login_required
def finalise(year: int):
    _require(permissions.can_write_report)
    year = _year(year)
    form = FinaliseForm()
    draft = ar.draft_of(year)
    if draft is None or not form.validate():
        flash(_("There is no draft to finalise."), "error")
        return redirect(url_for("reports.annual", year=year))
    expected = parse_version(form.version.data)
    try:
        ar.finalise(draft, current_user, expected_version=expected)
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        flash(domain_message(exc), "error")
        return redirect(url_for("reports.annual", year=year))
    flash(_("The report of %(year)s is finalised. Its figures and text are frozen.", year=year), "success")
    return redirect(url_for("reports.annual", year=year))


@bp.post("/annual/<int:year>/revise")
@login_required
def revise(year: int):
    _require(permissions.can_write_report)
    year = _year(year)
    form = RevisionForm()
    if not form.validate():
        flash(_("Give the reason for a new revision."), "error")
        return redirect(url_for("reports.annual", year=year) + "#revisions")
    try:
        ar.new_revision(year, current_user, form.reason.data)
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        flash(domain_message(exc), "error")
        return redirect(url_for("reports.annual", year=year))
    flash(
        _("A new revision was started from the finalised report. Finalise it to supersede the old one."),
        "success",
    )
    return redirect(url_for("reports.annual", year=year) + "#narrative")


def _download_name(year: int, report: AnnualReport | None, ext: str) -> str:
    if report is not None and report.snapshot is not None:
        return f"bao-cao-ke-hoach-345-nam-{year}-lan-{report.revision}.{ext}"
    return f"bao-cao-ke-hoach-345-nam-{year}-du-thao.{ext}"


def _download(year: int, build: Callable[[dict[str, Any]], bytes], mimetype: str, ext: str, disposition: str):
    """The chosen revision (or the live figures) of a year's report as a file."""
    _require(permissions.can_view_reports)
    year = _year(year)
    report = _chosen_report(year)
    return Response(
        build(ar.document(year, report)),
        mimetype=mimetype,
        headers={"Content-Disposition": f'{disposition}; filename="{_download_name(year, report, ext)}"'},
    )


@bp.get("/annual/<int:year>/report.pdf")
@login_required
def pdf(year: int):
    disposition = "inline" if request.args.get("preview") == "1" else "attachment"
    return _download(year, report_output.annual_pdf, "application/pdf", "pdf", disposition)


@bp.get("/annual/<int:year>/report.xlsx")
@login_required
def xlsx(year: int):
    return _download(year, report_output.annual_workbook, XLSX, "xlsx", "attachment")
