"""Import of historical cases (upload page) and export of filtered case lists."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from typing import IO

from flask import Blueprint, Response, abort, current_app, render_template, request, stream_with_context
from flask_babel import get_locale
from flask_login import current_user, login_required

from cases.accounts import permissions
from cases.rendering.formatting import LOCAL_TZ
from cases.transfer import exporter, importer
from forms.case_filters import parse_case_filters
from forms.transfer import MAX_IMPORT_BYTES, ImportForm
from inspect_app import spreadsheet
from inspect_app.extensions import db
from inspect_app.labels.transfer import import_error_message, value_words

bp = Blueprint("transfer", __name__, url_prefix="/cases")

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_import() -> None:
    if not permissions.can_import_cases(current_user):
        abort(403)


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_cases():
    _require_import()
    form = ImportForm()
    report = None
    messages: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_IMPORT_BYTES + 1)
        report = importer.import_cases(
            data,
            filename=upload.filename or "",
            actor=current_user,
            valid_only=form.valid_only.data,
            max_rows=current_app.config["IMPORT_MAX_ROWS"],
            words=value_words(),
            recognise=bool(form.own_headers.data or form.constants()),
            constants=form.constants() or None,
        )
        if report.imported:
            db.session.commit()
        else:
            db.session.rollback()
        messages = [import_error_message(e) for e in report.errors]
    status = 400 if form.is_submitted() and form.errors else 200
    return (
        render_template(
            "transfer/import.html",
            form=form,
            report=report,
            rows=list(zip(report.errors, messages, strict=True)) if report else [],
            columns=importer.COLUMNS,
            required_columns=importer.REQUIRED_COLUMNS,
            max_mb=MAX_IMPORT_BYTES // 1048576,
            max_rows=current_app.config["IMPORT_MAX_ROWS"],
        ),
        status,
    )


@bp.get("/import/template.csv")
@login_required
def import_template():
    """An empty file with the header row, to fill in."""
    _require_import()
    body = "".join(exporter.csv_chunks([]))
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="mau-nhap-ho-so.csv"'},
    )


def _chunks(fh: IO[bytes], size: int = 64 * 1024) -> Iterator[bytes]:
    try:
        while chunk := fh.read(size):
            yield chunk
    finally:
        fh.close()


def _download_name(extension: str, stem: str = "ho-so") -> str:
    return f"{stem}-{dt.datetime.now(LOCAL_TZ).date().isoformat()}.{extension}"


def _spooled_download(write: Callable[[IO[bytes]], object], name: str) -> Response:
    """A workbook written to a temporary file (in memory up to 8 MB, then on disk), sent in chunks."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (closed by _chunks)
    try:
        write(spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    response = Response(_chunks(spool), mimetype=XLSX_MIMETYPE)
    response.call_on_close(spool.close)  # also when the download is never read
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/export.<any(csv, xlsx):fmt>")
@login_required
def export(fmt: str):
    """The list's cases (same query-string filters, same scope) as CSV or Excel, in the import format."""
    filters = parse_case_filters(request.args)
    rows = exporter.export_rows(filters, current_user._get_current_object())
    if fmt == "csv":
        body = stream_with_context(chunk.encode("utf-8") for chunk in exporter.csv_chunks(rows))
        response = Response(body, mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{_download_name("csv")}"'
    else:
        response = _spooled_download(lambda fh: exporter.write_xlsx(rows, fh), _download_name("xlsx"))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/export-readable.xlsx")
@login_required
def export_readable():
    """The list's cases (same filters, same scope) as a spreadsheet to read: words, names, DD/MM/YYYY dates,
    amounts in đồng; ``details=1`` adds the sheets of items and findings (docs/import-export.md)."""
    filters = parse_case_filters(request.args)
    details = request.args.get("details") == "1"
    user = current_user._get_current_object()
    locale = str(get_locale() or "vi")
    return _spooled_download(
        lambda fh: spreadsheet.write_workbook(filters, user, fh, locale=locale, details=details),
        _download_name("xlsx", "bang-tinh-ho-so-chi-tiet" if details else "bang-tinh-ho-so"),
    )
