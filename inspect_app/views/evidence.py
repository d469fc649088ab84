"""Evidence files of a case: upload to a case or finding, download, thumbnails, delete.

Files are served through ``views/files.py`` (shared with the evidence of activities), after the case's
permission check.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from cases.accounts.permissions import can_add_evidence, can_view_case
from cases.db.ids import get_row
from cases.errors import ValidationFailed
from cases.models import Case, EvidenceFile, Finding
from cases.recording import evidence
from forms.ids import parse_id
from inspect_app.auth import safe_next_url
from inspect_app.extensions import db
from inspect_app.views import files

bp = Blueprint("evidence", __name__, url_prefix="/evidence")


def _back(case_id: int) -> Response:
    """To the page the form came from (a local path only), else the case page, else home."""
    target = safe_next_url(request.form.get("next"))
    if target is None:
        if "cases.show" in current_app.view_functions:
            target = url_for("cases.show", case_id=case_id)
        else:
            target = url_for("main.index")
    return redirect(target)


def _visible_evidence(evidence_id: int) -> EvidenceFile:
    ev = db.session.get(EvidenceFile, evidence_id)
    if ev is None:
        abort(404)
    if not can_view_case(current_user, ev.case):
        abort(403)
    return ev


def _finding_of(case: Case, raw: str | None) -> Finding | None:
    """The finding the files are attached to (none when empty); any other value is refused with a message
    (``finding_not_in_case``): not an id, no such finding, or a finding of another case."""
    raw = (raw or "").strip()
    if not raw:
        return None
    finding = get_row(Finding, parse_id(raw))
    if finding is None or finding.case_id != case.id:
        raise ValidationFailed("finding_not_in_case", field="finding_id")
    return finding


@bp.post("/case/<int:case_id>")
@login_required
def upload(case_id: int):
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    if not can_view_case(current_user, case) or not can_add_evidence(current_user, case):
        abort(403)

    def store(chosen: files.Uploads) -> list[EvidenceFile]:
        return evidence.store_many(
            case=case,
            actor=current_user._get_current_object(),
            files=chosen,
            upload_folder=files.upload_folder(),
            finding=_finding_of(case, request.form.get("finding_id")),
            note=request.form.get("note"),
            **files.limits(),
        )

    return files.upload(store, files.chosen_files(request.files.getlist("files")), lambda: _back(case.id))


@bp.get("/<int:evidence_id>")
@login_required
def download(evidence_id: int):
    return files.send_stored(_visible_evidence(evidence_id), images_inline=True)


@bp.get("/<int:evidence_id>/thumbnail")
@login_required
def thumbnail(evidence_id: int):
    return files.send_thumbnail(_visible_evidence(evidence_id))


@bp.post("/<int:evidence_id>/delete")
@login_required
def delete(evidence_id: int):
    ev = _visible_evidence(evidence_id)
    case = ev.case
    if not can_add_evidence(current_user, case):
        abort(403)
    return files.delete(
        ev,
        lambda: evidence.delete_evidence(ev, files.upload_folder(), actor=current_user),
        lambda: _back(case.id),
    )
