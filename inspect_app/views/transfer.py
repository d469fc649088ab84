"""Import of historical cases (upload page) and export of filtered case lists."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cases.accounts import permissions
from cases.errors import ValidationFailed
from cases.models import ImportMapping
from cases.rendering.formatting import LOCAL_TZ
from cases.transfer import exporter, importer, saved_mappings, staging
from cases.transfer.mapping import HEADER_SEARCH_ROWS, columns_at, propose, recognised_columns
from forms.case_filters import parse_case_filters
from forms.transfer import (
    CONSTANT_COLUMNS,
    MAX_IMPORT_BYTES,
    PREVIEW_ROWS,
    ImportForm,
    MappingForm,
    column_labels,
    mapping_form,
)
from inspect_app import spreadsheet
from inspect_app.extensions import db
from inspect_app.labels.errors import domain_message
from inspect_app.labels.transfer import import_error_message, value_words

bp = Blueprint("transfer", __name__, url_prefix="/cases")

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_import() -> None:
    if not permissions.can_import_cases(current_user):
        abort(403)


def _staging_folder() -> Path:
    return Path(current_app.config["IMPORT_STAGING_FOLDER"])


def _mapping_choices() -> list[tuple[str, str]]:
    return [(str(m.id), m.name) for m in saved_mappings.all_mappings()]


def _upload_page(form: ImportForm, report: importer.ImportReport | None, status: int = 200):
    messages = [import_error_message(e) for e in report.errors] if report else []
    mappings = saved_mappings.all_mappings()
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
            saved=mappings,
            can_delete=lambda m: permissions.can_delete_import_mapping(current_user, m),
        ),
        status,
    )


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_cases():
    _require_import()
    form = ImportForm(mappings=_mapping_choices())
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_IMPORT_BYTES + 1)
        if form.map_columns.data or form.saved_mapping.data:
            # the mapping step: the file is kept on the server under a token, once it reads
            table = importer.read_sheet(
                data, upload.filename or "", max_rows=current_app.config["IMPORT_MAX_ROWS"]
            )
            if isinstance(table, importer.RowError):
                report = importer.ImportReport()
                report.errors.append(table)
                return _upload_page(form, report)
            token = staging.stage(
                _staging_folder(),
                data,
                filename=upload.filename or "",
                user_id=current_user.id,
                max_bytes=MAX_IMPORT_BYTES,
                saved_mapping_id=int(form.saved_mapping.data) if form.saved_mapping.data else None,
                constants=form.constants(),
            )
            return redirect(url_for("transfer.map_columns", token=token))
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
    return _upload_page(form, report, 400 if form.is_submitted() and form.errors else 200)


def _initial_choices(staged: staging.Staged, table: importer.Table) -> tuple[dict[str, Any], list[str]]:
    """The mapping page's first choices: the saved mapping chosen on the upload page, applied (and its
    headers not found in the sheet), else the proposal; the constants chosen on the upload page."""
    saved = db.session.get(ImportMapping, staged.saved_mapping_id) if staged.saved_mapping_id else None
    missing: list[str] = []
    if saved is not None:
        mapping, _headers, missing = saved_mappings.as_header_mapping(saved).resolve(table)
    else:
        proposal = propose(table)
        mapping = proposal.mapping
    data: dict[str, Any] = {"header_row": str(mapping.header_row)}
    data.update({f"col_{p}": c for p, c in mapping.columns.items()})
    constants = {**mapping.constants, **staged.constants}
    data.update({f"c_{c}": v for c, v in constants.items() if c in CONSTANT_COLUMNS})
    return data, missing


def _run(
    staged: staging.Staged, form: MappingForm, headers: list[str], **kwargs: Any
) -> importer.ImportReport:
    """The import (or its preview) of the staged sheet through the form's mapping; the report names the
    sheet's headers ("how the sheet was read")."""
    report = importer.import_cases(
        staged.data,
        filename=staged.filename,
        actor=current_user,
        max_rows=current_app.config["IMPORT_MAX_ROWS"],
        words=value_words(),
        mapping=form.mapping(),
        **kwargs,
    )
    report.headers = headers
    return report


@bp.route("/import/map/<token>", methods=["GET", "POST"])
@login_required
def map_columns(token: str):
    """The mapping step of a sheet in its own shape: each column's header, samples and the import column it
    is read as (proposed, corrected here), the constants, a preview of the first rows; save, import."""
    _require_import()
    folder = _staging_folder()
    staged = staging.load(folder, token, user_id=current_user.id)
    if staged is None:
        flash(
            _("The uploaded file is no longer kept (it was imported, or 2 hours went by): upload it again."),
            "warning",
        )
        return redirect(url_for("transfer.import_cases"))
    max_rows = current_app.config["IMPORT_MAX_ROWS"]
    table = importer.read_sheet(staged.data, staged.filename, max_rows=max_rows)
    if isinstance(table, importer.RowError):  # the upload read it; a changed limit may refuse it now
        staging.discard(folder, token)
        flash(import_error_message(table), "danger")
        return redirect(url_for("transfer.import_cases"))
    missing_headers: list[str] = []
    first_rows = table[:HEADER_SEARCH_ROWS]
    action = request.form.get("action", "preview") if request.method == "POST" else "preview"
    if request.method == "POST":
        try:
            header_row = int(request.form.get("header_row", "1"))
        except ValueError:
            header_row = 1
        if header_row not in {number for number, _cells in table}:
            header_row = table[0][0]
        headers, samples = columns_at(table, header_row)
        form = mapping_form(headers, samples, header_rows=first_rows, formdata=request.form)
        if not form.validate():  # the CSRF token
            abort(400)
        if form.shown_header_row.data and form.shown_header_row.data != str(header_row):
            # another header row chosen: its headers' fields proposed afresh, the constants kept
            proposed = recognised_columns(headers)
            for position in form.positions:
                form.column_field(position).data = proposed.get(position, "")
            if action != "preview":
                action = "preview"  # look at the new columns before saving or importing them
    else:
        data, missing_headers = _initial_choices(staged, table)
        headers, samples = columns_at(table, int(data["header_row"]))
        form = mapping_form(headers, samples, header_rows=first_rows, data=data)
        header_row = int(data["header_row"])
    form.header_row.data = form.shown_header_row.data = str(header_row)
    ok = form.check()
    report = preview = None
    status = 200
    if not ok:
        status = 400 if request.method == "POST" else 200
    elif action == "save":
        name = (form.name.data or "").strip()
        try:
            saved = saved_mappings.save_mapping(name, form.mapping(), headers, actor=current_user)
        except ValidationFailed as exc:
            db.session.rollback()
            form.name.errors = [domain_message(exc)]
            status = 400
        else:
            db.session.commit()
            flash(
                _(
                    "Mapping saved as “%(name)s”: choose it on the upload page for the next sheet.",
                    name=saved.name,
                ),
                "success",
            )
        preview = _run(staged, form, headers, preview=PREVIEW_ROWS)
        db.session.rollback()
    elif action == "import":
        report = _run(staged, form, headers, valid_only=form.valid_only.data)
        if report.imported:
            db.session.commit()
            staging.discard(folder, token)
            return _upload_page(ImportForm(formdata=None, mappings=_mapping_choices()), report)
        db.session.rollback()
        status = 400
    else:
        preview = _run(staged, form, headers, preview=PREVIEW_ROWS)
        db.session.rollback()
    messages = [import_error_message(e) for e in report.errors] if report else []
    return (
        render_template(
            "transfer/map.html",
            form=form,
            token=token,
            filename=staged.filename,
            headers=headers,
            samples=samples,
            words=column_labels(),
            missing_headers=missing_headers,
            preview=preview,
            preview_errors=_errors_by_row(preview) if preview else {},
            preview_shown=_as_imported(preview) if preview else {},
            report=report,
            rows=list(zip(report.errors, messages, strict=True)) if report else [],
            columns=importer.COLUMNS,
            preview_count=PREVIEW_ROWS,
        ),
        status,
    )


def _as_imported(report: importer.ImportReport) -> dict[int, dict[str, str]]:
    """The previewed rows that passed the checks, in words as the case will hold them (the kind, the
    fields, dates DD/MM/YYYY, the tax code with its leading zero, the commune found from the address)."""
    from cases.models import Commune
    from cases.rendering.formatting import format_date, format_number
    from inspect_app.labels.codes import choice_label, field_label, kind_label, status_label

    shown: dict[int, dict[str, str]] = {}
    for number, row in report.preview_checked.items():
        data = row.data
        commune = db.session.get(Commune, data.commune_code) if data.commune_code else None
        values = {
            "case_type": kind_label(data.kind),
            "status": status_label(data.status),
            "field": ", ".join(field_label(f) for f in data.fields),
            "mode": choice_label("mode", data.mode),
            "platform": choice_label("platform", data.platform),
            "opened_on": format_date(data.opened_on),
            "closed_on": format_date(data.closed_on),
            "establishment": row.establishment_name or "",
            "tax_code": row.tax_code or "",
            "commune_code": f"{commune.name} ({commune.code})" if commune else (data.commune_code or ""),
            "fine_vnd": f"{format_number(row.fine_vnd)} ₫" if row.fine_vnd else "",
        }
        shown[number] = {column: text for column, text in values.items() if text}
    return shown


def _errors_by_row(report: importer.ImportReport) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    for error in report.errors:
        found.setdefault(error.row, []).append((error.column, import_error_message(error)))
    return found


@bp.post("/import/mappings/<int:mapping_id>/delete")
@login_required
def delete_mapping(mapping_id: int):
    _require_import()
    saved = db.session.get(ImportMapping, mapping_id)
    if saved is None:
        abort(404)
    if not permissions.can_delete_import_mapping(current_user, saved):
        abort(403)
    name = saved.name
    saved_mappings.delete_mapping(saved, actor=current_user)
    db.session.commit()
    flash(_("Mapping “%(name)s” deleted.", name=name), "success")
    return redirect(url_for("transfer.import_cases"))


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
