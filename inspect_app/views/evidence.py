"""Evidence files: upload to a case or finding, download, thumbnails, delete.

Files are served only through these views, after the case's permission check, with the type sniffed
when they were stored and ``nosniff``; PDFs are always downloads, never shown inline.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from cases.accounts.permissions import can_add_evidence, can_view_case
from cases.db.ids import get_row
from cases.errors import NotFound, ValidationFailed
from cases.models import Case, EvidenceFile, Finding
from cases.recording import evidence
from forms.ids import parse_id
from inspect_app.auth import safe_next_url
from inspect_app.extensions import db
from inspect_app.labels.errors import domain_message

bp = Blueprint("evidence", __name__, url_prefix="/evidence")

#: Sent with every evidence file: no sniffing, no scripts, no embedding elsewhere, no shared caches.
FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "private, no-cache",
}


def _upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


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


def send_stored_file(path: Path, *, mimetype: str, download_name: str, as_attachment: bool) -> Response:
    """Send a stored file (case or activity evidence) with :data:`FILE_HEADERS`; 404 when it is gone."""
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=mimetype,
        as_attachment=as_attachment,
        download_name=download_name,
        conditional=True,
        max_age=0,
    )
    response.headers.update(FILE_HEADERS)
    return response


def send_evidence(f: evidence.StoredFile, *, images_inline: bool) -> Response:
    """Send a stored file (a case's or an activity's, already permission-checked) with its sniffed type.

    PDFs are always downloads; photos are shown inline only when ``images_inline``.
    """
    try:
        path = evidence.evidence_path(f, _upload_folder())
        mimetype = evidence.served_content_type(f)
    except NotFound:
        abort(404)
    return send_stored_file(
        path,
        mimetype=mimetype,
        download_name=f.original_name,
        as_attachment=not (images_inline and mimetype in evidence.IMAGE_TYPES),
    )


def send_thumbnail(f: evidence.StoredFile) -> Response:
    """Send the JPEG thumbnail of a stored photo (404 when it has none)."""
    try:
        path = evidence.thumbnail_path(f, _upload_folder())
    except NotFound:
        abort(404)
    stem = f.original_name.rsplit(".", 1)[0] or "evidence"
    return send_stored_file(
        path, mimetype="image/jpeg", download_name=f"{stem}_thumb.jpg", as_attachment=False
    )


@bp.post("/case/<int:case_id>")
@login_required
def upload(case_id: int):
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    if not can_view_case(current_user, case) or not can_add_evidence(current_user, case):
        abort(403)
    chosen = [f for f in request.files.getlist("files") if f.filename]
    folder = _upload_folder()
    try:
        finding = _finding_of(case, request.form.get("finding_id"))
        created = evidence.store_many(
            case=case,
            actor=current_user._get_current_object(),
            files=[(f.filename, f.stream) for f in chosen],
            upload_folder=folder,
            max_bytes=current_app.config["EVIDENCE_MAX_BYTES"],
            max_pixels=current_app.config["EVIDENCE_MAX_PIXELS"],
            finding=finding,
            note=request.form.get("note"),
        )
    except ValidationFailed as exc:
        db.session.rollback()
        flash(domain_message(exc), "danger")
        return _back(case.id)
    written = [path for ev in created for path in evidence.files_of(ev, folder)]
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        evidence.remove_files(written)
        raise
    flash(_("Files attached: %(num)d.", num=len(created)), "success")
    return _back(case.id)


@bp.get("/<int:evidence_id>")
@login_required
def download(evidence_id: int):
    return send_evidence(_visible_evidence(evidence_id), images_inline=True)


@bp.get("/<int:evidence_id>/thumbnail")
@login_required
def thumbnail(evidence_id: int):
    return send_thumbnail(_visible_evidence(evidence_id))


@bp.post("/<int:evidence_id>/delete")
@login_required
def delete(evidence_id: int):
    ev = _visible_evidence(evidence_id)
    case = ev.case
    if not can_add_evidence(current_user, case):
        abort(403)
    name = ev.original_name
    try:
        paths = evidence.delete_evidence(ev, _upload_folder(), actor=current_user)
    except ValidationFailed as exc:
        db.session.rollback()
        flash(domain_message(exc), "danger")
        return _back(case.id)
    db.session.commit()
    evidence.remove_files(paths)
    flash(_("The file %(name)s was deleted.", name=name), "success")
    return _back(case.id)
