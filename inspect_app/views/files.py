"""The views' one way with stored evidence files, a case's (``views/evidence.py``) or an activity's
(``views/activities.py``): send a file or its thumbnail, store an upload, delete one.

Files are served only through these helpers, after the caller's permission check, with the type sniffed
when they were stored and :data:`FILE_HEADERS`; PDFs are always downloads, never shown inline. The domain's
side is ``cases/recording/evidence.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, send_file
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cases.errors import NotFound, ValidationFailed
from cases.models import StoredFile
from cases.recording import evidence
from inspect_app.extensions import db
from inspect_app.labels.errors import domain_message

#: Sent with every evidence file: no sniffing, no scripts, no embedding elsewhere, no shared caches.
FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "private, no-cache",
}

#: What an upload is handed: ``(name the browser sent, stream)`` of each file chosen.
Uploads = list[tuple[str | None, Any]]


def upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def limits() -> dict[str, int]:
    """The size and pixel limits of one file, for ``evidence.store_files`` and its callers."""
    return {
        "max_bytes": current_app.config["EVIDENCE_MAX_BYTES"],
        "max_pixels": current_app.config["EVIDENCE_MAX_PIXELS"],
    }


def chosen_files(files: Sequence[Any]) -> Uploads:
    """The files of a file input that were chosen (a browser sends an empty part for none)."""
    return [(f.filename, f.stream) for f in files if f.filename]


def _send(path: Path, *, mimetype: str, download_name: str, as_attachment: bool) -> Response:
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


def send_stored(f: StoredFile, *, images_inline: bool) -> Response:
    """Send a stored file (already permission-checked) with its sniffed type; 404 when it is gone.

    PDFs are always downloads; photos are shown inline only when ``images_inline``.
    """
    try:
        path = evidence.evidence_path(f, upload_folder())
        mimetype = evidence.served_content_type(f)
    except NotFound:
        abort(404)
    return _send(
        path,
        mimetype=mimetype,
        download_name=f.original_name,
        as_attachment=not (images_inline and mimetype in evidence.IMAGE_TYPES),
    )


def send_thumbnail(f: StoredFile) -> Response:
    """Send the JPEG thumbnail of a stored photo (404 when it has none)."""
    try:
        path = evidence.thumbnail_path(f, upload_folder())
    except NotFound:
        abort(404)
    stem = f.original_name.rsplit(".", 1)[0] or "evidence"
    return _send(path, mimetype="image/jpeg", download_name=f"{stem}_thumb.jpg", as_attachment=False)


def commit_stored(rows: Sequence[StoredFile]) -> None:
    """Commit; if that fails, the files of the new ``rows`` go too (nothing half-stored)."""
    written = [path for row in rows for path in evidence.files_of(row, upload_folder())]
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        evidence.remove_files(written)
        raise


def upload(
    store: Callable[[Uploads], Sequence[StoredFile]], files: Uploads, back: Callable[[], Response]
) -> Response:
    """Store the chosen ``files`` through ``store`` (the domain's, for one owner) and commit; a refusal
    stores nothing and is flashed (``PermissionDenied`` is the app's 403). Goes ``back`` either way."""
    try:
        created = store(files)
    except ValidationFailed as exc:
        db.session.rollback()
        flash(domain_message(exc), "danger")
        return back()
    commit_stored(created)
    flash(_("Files attached: %(num)d.", num=len(created)), "success")
    return back()


def delete(f: StoredFile, remove: Callable[[], list[Path]], back: Callable[[], Response]) -> Response:
    """Delete the row of ``f`` through ``remove`` (the domain's: it returns the files), commit, then remove
    the files; a refusal is flashed (``PermissionDenied`` is the app's 403). Goes ``back`` either way."""
    name = f.original_name
    try:
        paths = remove()
    except ValidationFailed as exc:
        db.session.rollback()
        flash(domain_message(exc), "danger")
        return back()
    db.session.commit()
    evidence.remove_files(paths)
    flash(_("The file %(name)s was deleted.", name=name), "success")
    return back()
