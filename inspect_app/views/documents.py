"""Official documents (issue 17): a draft started from a case, its own texts, the preview and the Word file,
issuing (number, signer, frozen content), voiding and correcting, the signed paper copy or the refusal to
sign, and the register with its export. The domain's side is ``cases/documents/``; the PDF and the Word file
are made by ``inspect_app/document_output.py`` from ``cases.documents.view.document_view``."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cases.accounts import permissions
from cases.audit.trail import entity_timeline
from cases.documents import authority, listing, register, signed
from cases.documents.agency import agency_settings
from cases.enums import DocumentStatus, DocumentType
from cases.errors import ValidationFailed
from cases.models import Commune, DocumentFile, OfficialDocument
from forms.documents import (
    DocumentTextsForm,
    IssueForm,
    NewDocumentForm,
    RefusalForm,
    SignedCopyForm,
    TransferForm,
    VoidForm,
)
from inspect_app.extensions import db
from inspect_app.labels import codes as labels
from inspect_app.labels.errors import domain_message
from inspect_app.pagination import requested_page
from inspect_app.params import db_int
from inspect_app.views import files
from inspect_app.views.support import load, load_case, require, save_form

bp = Blueprint("documents", __name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 50


def _actor() -> Any:
    return current_user._get_current_object()


def _load(doc_id: int) -> OfficialDocument:
    return load(OfficialDocument, doc_id, lambda user, doc: permissions.can_view_case(user, doc.case))


def option_label(option: listing.DraftOption) -> str:
    """What the select of a case's page says of one document to draft."""
    words = labels.document_type_label(option.doc_type.value)
    if option.finding is None:
        return words
    violation = option.finding.violation
    return f"{words} — {violation.code}: {violation.description}"


def new_document_form(case: Any) -> NewDocumentForm:
    form = NewDocumentForm(formdata=None)
    form.option.choices = [(o.key, option_label(o)) for o in listing.draft_options(case)]
    return form


# --- from a case ----------------------------------------------------------------------------------------


@bp.post("/cases/<int:case_id>/documents")
@login_required
def start(case_id: int):
    case = load_case(case_id, permissions.can_draft_document)
    option = listing.option_for(case, request.form.get("option"))
    if option is None:
        flash(_("Choose one of the documents listed."), "danger")
        return redirect(url_for("cases.show", case_id=case.id, _anchor="documents"))
    try:
        doc = register.start_draft(case, option.doc_type, _actor(), option.finding)
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        flash(domain_message(exc), "danger")
        return redirect(url_for("cases.show", case_id=case.id, _anchor="documents"))
    flash(_("Draft started: complete its texts, preview it, then issue it."), "success")
    return redirect(url_for("documents.show", doc_id=doc.id))


# --- one document ---------------------------------------------------------------------------------------


def _signer_choices(form: IssueForm) -> IssueForm:
    """The agency's active signers, each with the sanctioning authority he holds."""
    typed = [("", _("— typed below —"))]
    form.signer_id.choices = typed + [
        (str(s.id), " — ".join(part for part in (s.full_name, " ".join(s.title.split())) if part))
        for s in agency_settings().signers
    ]
    return form


def _issue_form(doc: OfficialDocument) -> IssueForm:
    form = _signer_choices(IssueForm(formdata=None))
    form.issued_on.data = dt.date.today()
    signers = agency_settings().signers
    if DocumentType(doc.doc_type) in (DocumentType.DECISION, DocumentType.SANCTION_DECISION):
        if signers:  # the head signs: the first of the agency's signers, as a start
            form.signer_id.data = str(signers[0].id)
    else:  # the records are signed by the team's leader, on site
        form.signer_name.data = current_user.full_name
        form.signer_title.data = _("Head of the inspection team")
    return form


def _render(
    doc: OfficialDocument,
    status: int = 200,
    *,
    texts_form: DocumentTextsForm | None = None,
    issue_form: IssueForm | None = None,
    void_form: VoidForm | None = None,
    refusal_form: RefusalForm | None = None,
    transfer_form: TransferForm | None = None,
) -> tuple[str, int]:
    user = current_user
    case = doc.case
    draft = doc.status == DocumentStatus.DRAFT
    can_draft = draft and permissions.can_draft_document(user, case)
    if texts_form is None and can_draft:
        texts_form = DocumentTextsForm(formdata=None)
        texts_form.fill(register.texts_of(doc), doc.version)
    can_issue = draft and permissions.can_issue_document(user, case, doc.doc_type)
    if issue_form is None and can_issue:
        issue_form = _issue_form(doc)
    issued = doc.status == DocumentStatus.ISSUED
    can_void = issued and permissions.can_void_document(user, case)
    can_sign = issued and permissions.can_record_signature(user, case, doc.doc_type)
    sanction = doc.doc_type == DocumentType.SANCTION_DECISION and doc.finding is not None
    if transfer_form is None and sanction and can_issue:
        transfer_form = _transfer_form(TransferForm(formdata=None))
    transfers = authority.transfers_of(doc.finding) if sanction and doc.finding is not None else []
    correction = db.session.scalar(
        db.select(OfficialDocument)
        .where(OfficialDocument.replaces_id == doc.id)
        .order_by(OfficialDocument.id.desc())
        .limit(1)
    )
    return (
        render_template(
            "documents/show.html",
            doc=doc,
            case=case,
            texts=register.texts_of(doc),
            texts_form=texts_form,
            issue_form=issue_form,
            void_form=void_form or (VoidForm(formdata=None) if can_void else None),
            signed_form=SignedCopyForm(formdata=None) if can_sign else None,
            refusal_form=refusal_form or (RefusalForm(formdata=None) if can_sign else None),
            can_void=can_void,
            transfer_form=transfer_form,
            transfers=transfers,
            correction=correction,
            timeline=entity_timeline("document", doc.id),
        ),
        status,
    )


@bp.get("/documents/<int:doc_id>")
@login_required
def show(doc_id: int):
    return _render(_load(doc_id))


@bp.post("/documents/<int:doc_id>/texts")
@login_required
def save_texts(doc_id: int):
    doc = _load(doc_id)
    require(permissions.can_draft_document(current_user, doc.case))
    form = DocumentTextsForm()
    return save_form(
        form,
        lambda: register.update_draft_text(doc, _actor(), form.texts(doc.doc_type), form.expected_version()),
        done=lambda _doc: (
            flash(_("The draft's texts were saved."), "success"),
            redirect(url_for("documents.show", doc_id=doc_id)),
        )[1],
        again=lambda status: _render(_load(doc_id), status, texts_form=form),
        problems=lambda: register.text_problems(doc.doc_type, form.texts(doc.doc_type)),
        stale=_(
            "Somebody else saved this draft while you were editing it. Your texts were not saved: "
            "they are below; check the draft and save them again."
        ),
    )


@bp.post("/documents/<int:doc_id>/issue")
@login_required
def issue(doc_id: int):
    doc = _load(doc_id)
    require(permissions.can_issue_document(current_user, doc.case, doc.doc_type))
    form = _signer_choices(IssueForm())
    return save_form(
        form,
        lambda: register.issue(
            doc,
            _actor(),
            form.signer_name.data,
            form.signer_title.data,
            on=form.issued_on.data,
            signer_id=form.chosen_signer(),
        ),
        done=lambda issued: (
            flash(_("Issued as number %(number)s.", number=issued.number), "success"),
            redirect(url_for("documents.show", doc_id=doc_id)),
        )[1],
        again=lambda status: _render(_load(doc_id), status, issue_form=form),
    )


@bp.post("/documents/<int:doc_id>/void")
@login_required
def void(doc_id: int):
    doc = _load(doc_id)
    require(permissions.can_void_document(current_user, doc.case))
    form = VoidForm()
    return save_form(
        form,
        lambda: register.void(doc, _actor(), form.void_reason.data),
        done=lambda _none: (
            flash(_("The document was voided; its number stays taken."), "success"),
            redirect(url_for("documents.show", doc_id=doc_id)),
        )[1],
        again=lambda status: _render(_load(doc_id), status, void_form=form),
    )


@bp.post("/documents/<int:doc_id>/correct")
@login_required
def correct(doc_id: int):
    doc = _load(doc_id)
    require(permissions.can_void_document(current_user, doc.case))
    try:
        draft = register.correct(doc, _actor())
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        flash(domain_message(exc), "danger")
        return redirect(url_for("documents.show", doc_id=doc_id))
    flash(_("A correction was started: it replaces %(number)s once issued.", number=doc.number), "success")
    return redirect(url_for("documents.show", doc_id=draft.id))


def _transfer_form(form: TransferForm) -> TransferForm:
    form.authority_code.choices = [
        (a.code, f"{a.title} ({a.percent_of_maximum} %)")
        for a in authority.authorities_in_force(dt.date.today())
    ]
    return form


@bp.post("/documents/<int:doc_id>/transfer")
@login_required
def transfer(doc_id: int):
    doc = _load(doc_id)
    require(permissions.can_issue_document(current_user, doc.case, doc.doc_type))
    if doc.doc_type != DocumentType.SANCTION_DECISION or doc.finding is None:
        abort(404)
    finding = doc.finding
    form = _transfer_form(TransferForm())
    return save_form(
        form,
        lambda: authority.transfer_file(
            finding, form.authority_code.data, _actor(), form.transfer_reason.data
        ),
        done=lambda moved: (
            flash(
                _("The file was transferred to %(authority)s.", authority=moved.authority.title), "success"
            ),
            redirect(url_for("documents.show", doc_id=doc_id, _anchor="transfer")),
        )[1],
        again=lambda status: _render(_load(doc_id), status, transfer_form=form),
    )


# --- the paper copy -------------------------------------------------------------------------------------


@bp.post("/documents/<int:doc_id>/signed-copy")
@login_required
def upload_signed(doc_id: int):
    doc = _load(doc_id)
    require(permissions.can_record_signature(current_user, doc.case, doc.doc_type))

    def store(chosen: files.Uploads) -> list[DocumentFile]:
        return signed.attach_signed_copy(
            doc, _actor(), chosen, upload_folder=files.upload_folder(), **files.limits()
        )

    back = lambda: redirect(url_for("documents.show", doc_id=doc_id, _anchor="paper-copy"))  # noqa: E731
    return files.upload(store, files.chosen_files(request.files.getlist("files")), back)


@bp.post("/documents/<int:doc_id>/refusal")
@login_required
def refusal(doc_id: int):
    doc = _load(doc_id)
    require(permissions.can_record_signature(current_user, doc.case, doc.doc_type))
    form = RefusalForm()
    return save_form(
        form,
        lambda: signed.record_refusal(doc, _actor(), form.refusal_witness.data, form.refusal_note.data),
        done=lambda _none: (
            flash(_("The refusal to sign was recorded."), "success"),
            redirect(url_for("documents.show", doc_id=doc_id, _anchor="paper-copy")),
        )[1],
        again=lambda status: _render(_load(doc_id), status, refusal_form=form),
    )


def _signed_file(file_id: int) -> DocumentFile:
    f = db.session.get(DocumentFile, file_id)
    if f is None:
        abort(404)
    require(permissions.can_view_case(current_user, f.document.case))
    return f


@bp.get("/documents/files/<int:file_id>")
@login_required
def signed_file(file_id: int):
    return files.send_stored(_signed_file(file_id), images_inline=True)


@bp.get("/documents/files/<int:file_id>/thumbnail")
@login_required
def signed_thumbnail(file_id: int):
    return files.send_thumbnail(_signed_file(file_id))


@bp.post("/documents/files/<int:file_id>/delete")
@login_required
def delete_signed(file_id: int):
    f = _signed_file(file_id)
    doc = f.document
    require(permissions.can_record_signature(current_user, doc.case, doc.doc_type))
    doc_id = doc.id
    return files.delete(
        f,
        lambda: signed.delete_signed_copy(f, _actor(), files.upload_folder()),
        lambda: redirect(url_for("documents.show", doc_id=doc_id, _anchor="paper-copy")),
    )


# --- output ---------------------------------------------------------------------------------------------


def _file_stem(doc: OfficialDocument) -> str:
    number = (doc.number or _("draft")).replace("/", "-")
    return f"{doc.case.number}_{doc.doc_type}_{number}"


def _disposition(kind: str, filename: str) -> str:
    """``Content-Disposition`` for a name with Vietnamese letters: an ASCII fallback and the UTF-8 name
    (RFC 6266); a header must be Latin-1, so the name itself would break the answer."""
    from urllib.parse import quote

    plain = unicodedata.normalize("NFKD", filename.replace("Đ", "D").replace("đ", "d").replace(" ", "-"))
    ascii_name = "".join(c for c in plain if c.isascii() and (c.isalnum() or c in "-_.")) or "document"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


@bp.get("/documents/<int:doc_id>/pdf")
@login_required
def pdf(doc_id: int):
    from cases.documents.view import document_view
    from inspect_app.document_output import document_pdf

    doc = _load(doc_id)
    data = document_pdf(document_view(doc))
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = _disposition("inline", f"{_file_stem(doc)}.pdf")
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/documents/<int:doc_id>/docx")
@login_required
def docx(doc_id: int):
    from cases.documents.view import document_view
    from inspect_app.document_output import document_docx

    doc = _load(doc_id)
    data = document_docx(document_view(doc))
    response = Response(data, mimetype=DOCX)
    response.headers["Content-Disposition"] = _disposition("attachment", f"{_file_stem(doc)}.docx")
    response.headers["Cache-Control"] = "private, no-cache"
    return response


# --- the register ---------------------------------------------------------------------------------------


def _filters() -> listing.RegisterFilters:
    args = request.args
    doc_type = args.get("doc_type") or None
    if doc_type not in {t.value for t in DocumentType}:
        doc_type = None
    status = args.get("status") or None
    if status not in {s.value for s in DocumentStatus}:
        status = None
    year = args.get("year", type=db_int)
    if year is not None and not 2000 <= year <= 2100:
        year = None
    commune = (args.get("commune") or "").strip() or None
    if commune is not None and (len(commune) > 10 or not commune.isascii() or not commune.isalnum()):
        commune = None
    return listing.RegisterFilters(doc_type=doc_type, year=year, status=status, commune_code=commune)


def _communes() -> list[Commune]:
    scope = permissions.commune_scope(current_user)
    stmt = db.select(Commune).order_by(Commune.name)
    if scope is not None:
        stmt = stmt.where(Commune.code.in_(sorted(scope)))
    return list(db.session.scalars(stmt))


@bp.get("/documents/")
@login_required
def index():
    filters = _filters()
    stmt = listing.register_query(filters, current_user)
    export = request.args.get("format")
    if export == "xlsx":
        return _export(stmt)
    page = db.paginate(stmt, page=requested_page(), per_page=PER_PAGE, error_out=False)
    return render_template(
        "documents/index.html",
        filters=filters,
        page=page,
        rows=[listing.register_row(doc) for doc in page.items],
        years=listing.register_years(),
        communes=_communes(),
        doc_types=[(t.value, labels.document_type_label(t.value)) for t in DocumentType],
        statuses=[(s.value, labels.document_status_label(s.value)) for s in DocumentStatus],
        args={k: v for k, v in request.args.items() if k != "page" and v},
    )


def _export(stmt: Any) -> Response:
    from inspect_app.spreadsheet import register_workbook

    buffer = io.BytesIO()
    rows = (listing.register_row(doc) for doc in db.session.scalars(stmt).unique())
    register_workbook(rows, buffer)
    response = Response(buffer.getvalue(), mimetype=XLSX)
    stamp = dt.date.today().strftime("%Y%m%d")
    response.headers["Content-Disposition"] = f'attachment; filename="so-van-ban-{stamp}.xlsx"'
    return response
