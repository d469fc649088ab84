"""The readable spreadsheet of a filtered case list (issue 14, item 5): an Excel workbook in the user's
language — headers and labels in words, names of communes and former districts, real dates shown
DD/MM/YYYY, amounts stored as numbers and shown as VND — one row per case with every field, and, when
asked, a sheet per kind of item and one of findings.

The values come from ``cases/transfer/readable_export.py`` (one streamed statement per sheet); the workbook is
written in openpyxl's write-only mode, a row at a time, so that memory stays flat whatever the number of
cases. The import-format export (``cases/transfer/exporter.py``) stays the one to re-import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from cases.recording.queries import CaseFilters
from cases.transfer import readable_export as rx
from cases.transfer.exporter import neutralise
from inspect_app.labels import codes as labels

#: Shown DD/MM/YYYY (a real date: Excel sorts and filters it as one).
DATE_FORMAT = "dd/mm/yyyy"
#: A whole number of đồng. ``#,##0`` groups thousands with the separator of the reader's locale (Excel on a
#: Vietnamese system: 1.500.000); ``[$₫-42A]`` is the đồng sign of the vi-VN locale, which Excel writes
#: for its own Vietnamese currency format and which also makes LibreOffice show 1.500.000 ₫ anywhere.
VND_FORMAT = "#,##0 [$₫-42A]"
INT_FORMAT = "#,##0"

TEXT, DATE, VND, INT, NUMBER = "text", "date", "vnd", "int", "number"
_FORMATS = {DATE: DATE_FORMAT, VND: VND_FORMAT, INT: INT_FORMAT}
_WIDTHS = {TEXT: 24, DATE: 12, VND: 16, INT: 10, NUMBER: 12}


@dataclass(frozen=True)
class Column:
    header: str
    kind: str
    value: Callable[[Any], Any]
    width: int | None = None


@dataclass(frozen=True)
class Sheet:
    title: str  # at most 31 characters (Excel)
    columns: list[Column]
    rows: Callable[[CaseFilters, Any], Iterator[Any]]


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda row: getattr(row, name)


def _label(table: dict[str, str], name: str) -> Callable[[Any], Any]:
    """The words for a stored choice, from ``table`` (the labels of the locale the sheet is built in,
    looked up once: translating per cell cost more than writing the cell)."""

    def get(row: Any) -> Any:
        value = getattr(row, name)
        return table.get(value, value) if value else None

    return get


def _choice(kind: str, name: str) -> Callable[[Any], Any]:
    return _label(labels.choice_tables()[kind](), name)


def _unless(kind: str, name: str) -> Callable[[Any], Any]:
    """A count, left blank on the kind of case that cannot have it (samples of an e-commerce check, the
    violations of a survey): blank says "does not apply", 0 "none found"."""
    return lambda row: None if row.kind == kind else getattr(row, name)


def _fields(table: dict[str, str]) -> Callable[[Any], Any]:
    def get(row: Any) -> str | None:
        codes = sorted(c for c in (row.fields or "").split(";") if c)
        return "; ".join(table.get(c, c) for c in codes) or None

    return get


def _codes(row: Any) -> str | None:
    return "; ".join(sorted(c for c in (row.violation_codes or "").split(";") if c)) or None


def _team(row: Any) -> str | None:
    return "; ".join(sorted(n for n in (row.team or "").split("; ") if n)) or None


def _choices(module: str, function: str, **kwargs: Any) -> dict[str, str]:
    """The labels of a form's choices, in the current locale."""
    import importlib

    return dict(getattr(importlib.import_module(module), function)(**kwargs))


def case_sheet(former: tuple[dict[str, str], dict[str, str]]) -> Sheet:
    """The sheet of cases: every field of a case, one row each."""
    attributed, district_names = former

    def district(row: Any) -> str | None:
        if row.former_district:
            return row.former_district
        return district_names.get(attributed.get(row.commune_code, ""))

    def district_source(row: Any) -> str | None:
        if row.former_district:
            return _("Recorded with the case")
        if district(row):
            return _("From today's commune, as in the annual report")
        return None

    c = Column
    return Sheet(
        _("Cases"),
        [
            c(_("Case number"), TEXT, _attr("number"), 16),
            c(_("Import reference"), TEXT, _attr("import_ref"), 16),
            c(_("Kind of case"), TEXT, _label(labels.kind_labels(), "kind"), 18),
            c(_("Status"), TEXT, _label(labels.status_labels(), "status"), 14),
            c(_("Fields of inspection"), TEXT, _fields(labels.field_labels()), 30),
            c(_("Mode"), TEXT, _choice("mode", "mode"), 16),
            c(_("Opened on"), DATE, _attr("opened_on")),
            c(_("Case closed on"), DATE, _attr("closed_on")),
            c(_("Establishment"), TEXT, _attr("establishment"), 32),
            c(_("Tax code"), TEXT, _attr("tax_code"), 14),
            c(
                _("Type of establishment"),
                TEXT,
                _label(_choices("forms.establishments", "business_type_choices"), "business_type"),
                18,
            ),
            c(_("Address"), TEXT, _attr("address"), 40),
            c(_("Commune, ward or special zone"), TEXT, _attr("commune"), 22),
            c(_("Former ward or commune"), TEXT, _attr("former_ward"), 22),
            c(_("Former district"), TEXT, district, 22),
            c(_("Former district: source"), TEXT, district_source, 22),
            c(_("Latitude"), NUMBER, _attr("latitude")),
            c(_("Longitude"), NUMBER, _attr("longitude")),
            c(_("Decision number"), TEXT, _attr("decision_number"), 18),
            c(_("Decision date"), DATE, _attr("decision_date")),
            c(_("Decision signed by"), TEXT, _attr("decision_signer")),
            c(_("Start date"), DATE, _attr("start_date")),
            c(_("End date"), DATE, _attr("end_date")),
            c(_("Inspection team"), TEXT, _team, 30),
            c(_("Coordinating agencies"), TEXT, _attr("coordinating_agencies")),
            c(_("Platform"), TEXT, _choice("platform", "platform"), 14),
            c(_("Listing URL"), TEXT, _attr("listing_url"), 40),
            c(_("Seller"), TEXT, _attr("seller_name")),
            c(_("Seller's platform ID"), TEXT, _attr("seller_platform_id")),
            c(_("Price (VND)"), VND, _attr("price_vnd")),
            c(_("Suspected issue"), TEXT, _choice("issue", "suspected_issue")),
            c(_("Action taken"), TEXT, _choice("action", "action")),
            c(_("Action date"), DATE, _attr("action_on")),
            c(_("Platform's response"), TEXT, _attr("platform_response")),
            c(_("Taken down on"), DATE, _attr("taken_down_on")),
            c(_("Referral reference"), TEXT, _attr("referral_reference")),
            c(_("Survey campaign"), TEXT, _attr("campaign"), 28),
            c(_("Product"), TEXT, _attr("product"), 28),
            c(_("Samples taken"), INT, _unless("ecommerce", "samples_taken")),
            c(_("Samples tested"), INT, _unless("ecommerce", "samples_tested")),
            c(_("Samples failed"), INT, _unless("ecommerce", "samples_failed")),
            c(_("Confirmed violations"), INT, _unless("survey", "findings_confirmed")),
            c(_("Violation codes"), TEXT, _codes, 18),
            c(_("Fines decided (VND)"), VND, _attr("fines_decided")),
            c(_("Fines paid (VND)"), VND, _attr("fines_paid")),
            c(_("Value of goods confiscated or destroyed (VND)"), VND, _attr("seized_goods"), 18),
            c(_("Conclusion"), TEXT, _attr("conclusion"), 40),
            c(_("Notes"), TEXT, _attr("notes"), 40),
            c(_("Follow-up of case"), TEXT, _attr("follow_up_of"), 16),
            c(_("Recorded by"), TEXT, _attr("created_by"), 22),
            c(_("Reason for cancelling"), TEXT, _attr("cancel_reason")),
        ],
        rx.case_rows,
    )


def detail_sheets() -> list[Sheet]:
    """The items and the findings of the same cases, a sheet each; every row starts with its case number."""
    c = Column
    number = c(_("Case number"), TEXT, _attr("number"), 16)
    result = c(
        _("Result"), TEXT, _label(_choices("forms.case_items", "result_choices", pending=True), "result"), 14
    )
    return [
        Sheet(
            _("Measuring instruments"),
            [
                number,
                c(
                    _("Type of instrument"),
                    TEXT,
                    _label(_choices("forms.case_items", "instrument_type_choices"), "instrument_type"),
                    26,
                ),
                c(_("Description"), TEXT, _attr("description"), 28),
                c(_("Serial number"), TEXT, _attr("serial_number")),
                c(_("Verification certificate or stamp"), TEXT, _attr("certificate_number")),
                c(_("Verification valid until"), DATE, _attr("certificate_expiry")),
                c(
                    _("Seal"),
                    TEXT,
                    _label(_choices("forms.case_items", "seal_choices"), "seal_condition"),
                    14,
                ),
                c(_("Measured error"), NUMBER, _attr("measured_error")),
                c(_("Maximum permissible error"), NUMBER, _attr("error_limit")),
                c(_("Unit of the error"), TEXT, _attr("error_unit"), 10),
                result,
                c(_("Notes"), TEXT, _attr("notes"), 30),
            ],
            rx.instrument_rows,
        ),
        Sheet(
            _("Prepackaged goods"),
            [
                number,
                c(_("Product"), TEXT, _attr("product"), 28),
                c(_("Nominal quantity (Qn)"), NUMBER, _attr("nominal_quantity")),
                c(_("Unit"), TEXT, _attr("unit"), 8),
                c(_("Sample size"), INT, _attr("sample_size")),
                c(_("Mean measured quantity"), NUMBER, _attr("mean_measured")),
                c(_("Units short by more than T"), INT, _attr("count_short_over_t")),
                c(_("Units short by more than 2T"), INT, _attr("count_short_over_2t")),
                result,
                c(_("Notes"), TEXT, _attr("notes"), 30),
            ],
            rx.prepackaged_rows,
        ),
        Sheet(
            _("Goods"),
            [
                number,
                c(_("Goods"), TEXT, _attr("name"), 28),
                c(_("Product group"), TEXT, _attr("product_group"), 20),
                c(_("Origin"), TEXT, _attr("origin")),
                c(_("Quantity"), NUMBER, _attr("quantity")),
                c(_("Unit"), TEXT, _attr("unit"), 8),
                c(_("Value (VND)"), VND, _attr("value_vnd")),
                c(_("Label"), TEXT, _attr("label_observation"), 30),
                c(_("CR mark"), TEXT, _attr("cr_mark_observation")),
                c(_("Barcode"), TEXT, _attr("barcode"), 16),
                c(_("Barcode check"), TEXT, _attr("barcode_observation")),
                result,
            ],
            rx.goods_rows,
        ),
        Sheet(
            _("Samples"),
            [
                number,
                c(_("Sample"), TEXT, _attr("name"), 28),
                c(_("Sample code"), TEXT, _attr("code")),
                c(_("Standard (TCVN/QCVN)"), TEXT, _attr("standard"), 20),
                c(_("Laboratory"), TEXT, _attr("lab")),
                c(_("Sent on"), DATE, _attr("sent_on")),
                c(_("Tested on"), DATE, _attr("tested_on")),
                c(_("Declared value"), NUMBER, _attr("nominal_value")),
                c(_("Measured value"), NUMBER, _attr("measured_value")),
                c(_("Unit"), TEXT, _attr("unit"), 8),
                result,
                c(_("Notes"), TEXT, _attr("notes"), 30),
            ],
            rx.sample_rows,
        ),
        Sheet(
            _("Violations found"),
            [
                number,
                c(_("Violation code"), TEXT, _attr("code"), 12),
                c(_("Group"), TEXT, _attr("group_name"), 24),
                c(_("Violation"), TEXT, _attr("description"), 40),
                c(_("Legal basis"), TEXT, _attr("legal_basis"), 30),
                c(_("Review outcome"), TEXT, _label(labels.status_labels(), "status"), 14),
                c(
                    _("Offender"),
                    TEXT,
                    _label(
                        {"individual": _("Individual"), "organisation": _("Organisation")}, "offender_type"
                    ),
                    14,
                ),
                c(_("Goods involved"), TEXT, _attr("goods_description")),
                c(_("Quantity"), NUMBER, _attr("goods_quantity")),
                c(_("Unit"), TEXT, _attr("goods_unit"), 8),
                c(_("Value of the goods (VND)"), VND, _attr("goods_value_vnd")),
                c(_("Proposed fine (VND)"), VND, _attr("proposed_fine_vnd")),
                c(_("Proposed remedies"), TEXT, _attr("proposed_remedies")),
                c(
                    _("Form of sanction"),
                    TEXT,
                    _label(_choices("forms.review", "sanction_form_choices"), "sanction_form"),
                ),
                c(_("Sanction decision number"), TEXT, _attr("decision_number"), 18),
                c(_("Sanction decision date"), DATE, _attr("decision_date")),
                c(_("Fine decided (VND)"), VND, _attr("decided_fine_vnd")),
                c(_("Additional penalties"), TEXT, _attr("additional_penalties")),
                c(_("Remedies decided"), TEXT, _attr("remedies_decided")),
                c(_("Deadline"), DATE, _attr("deadline")),
                c(
                    _("Value of goods confiscated or destroyed (VND)"),
                    VND,
                    _attr("seized_goods_value_vnd"),
                    18,
                ),
                c(_("Fine paid on"), DATE, _attr("fine_paid_on")),
                c(_("Remedy done on"), DATE, _attr("remedy_done_on")),
                c(_("Referred to"), TEXT, _attr("referral_agency")),
                c(_("Referred on"), DATE, _attr("referral_on")),
                c(_("Referral reference"), TEXT, _attr("referral_reference")),
                c(_("Reason of the review"), TEXT, _attr("review_reason"), 30),
                c(_("Notes"), TEXT, _attr("notes"), 30),
            ],
            rx.finding_rows,
        ),
    ]


def sheets(*, details: bool) -> list[Sheet]:
    found = [case_sheet(rx.former_district_names())]
    return found + detail_sheets() if details else found


def _text(value: str, illegal: Any) -> str | None:
    """Text as a cell: without the control characters Excel refuses, a formula-looking start neutralised."""
    if illegal.search(value):
        value = illegal.sub("", value)
    return neutralise(value) if value else None


def _write_sheet(workbook: Any, sheet: Sheet, rows: Iterable[Any]) -> int:
    """One sheet, a row at a time. A styled column (dates, amounts, counts) reuses one cell whose value
    changes per row (openpyxl writes an appended row at once), so no style is looked up per cell."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = workbook.create_sheet(sheet.title)
    ws.freeze_panes = "B2"
    for i, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width or _WIDTHS[column.kind]
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font, cell.alignment = bold, wrap
        header.append(cell)
    ws.append(header)
    styled: list[Any] = []
    for column in sheet.columns:
        template = None
        if column.kind in _FORMATS:
            template = WriteOnlyCell(ws)
            template.number_format = _FORMATS[column.kind]
        styled.append(template)
    getters = [(column.value, column.kind == TEXT, styled[i]) for i, column in enumerate(sheet.columns)]
    count = 0
    for row in rows:
        values: list[Any] = []
        for get, is_text, template in getters:
            value = get(row)
            if value is None or value == "":
                values.append(None)
            elif is_text:
                values.append(_text(value if value.__class__ is str else str(value), ILLEGAL_CHARACTERS_RE))
            elif template is not None:
                if isinstance(value, dt.datetime):
                    value = value.replace(tzinfo=None)
                template.value = value
                values.append(template)
            else:
                values.append(value)
        ws.append(values)
        count += 1
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A1:{last}{count + 1}"
    return count


def write_workbook(
    filters: CaseFilters, user: Any, target: Any, *, locale: str = "vi", details: bool = False
) -> int:
    """Write the readable workbook of the cases ``user`` may see matching ``filters`` to ``target`` (a path
    or a binary file), its words in ``locale`` (the page's: the user's language; the command's: the
    app's default). Returns the number of cases."""
    from flask_babel import force_locale
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    with force_locale(locale):
        counts = [_write_sheet(workbook, s, s.rows(filters, user)) for s in sheets(details=details)]
    workbook.save(target)
    return counts[0]


def register_sheet() -> Sheet:
    """The register of official documents (sổ theo dõi văn bản), a row per document
    (``cases.documents.listing.register_row``)."""

    def get(name: str) -> Callable[[Any], Any]:
        return lambda row: row[name]

    def words(table: Callable[[str], str], name: str) -> Callable[[Any], Any]:
        return lambda row: table(row[name]) if row[name] else None

    return Sheet(
        title=_("Register of documents")[:31],
        columns=[
            Column(_("Document number"), TEXT, get("number"), 16),
            Column(_("Type of document"), TEXT, words(labels.document_type_label, "doc_type"), 30),
            Column(_("Date of the document"), DATE, get("issued_on")),
            Column(_("Status"), TEXT, words(labels.document_status_label, "status"), 16),
            Column(_("Case"), TEXT, get("case_number"), 16),
            Column(_("Establishment"), TEXT, get("establishment"), 30),
            Column(_("Commune"), TEXT, get("commune")),
            Column(_("Violation"), TEXT, get("violation"), 12),
            Column(_("Signer"), TEXT, get("signer_name")),
            Column(_("Signer's title"), TEXT, get("signer_title")),
            Column(_("Paper copy"), TEXT, words(labels.document_signature_label, "signature"), 16),
            Column(_("Fingerprint of the frozen content"), TEXT, get("sha256"), 66),
        ],
        rows=lambda _filters, _user: iter(()),
    )


def register_workbook(rows: Iterable[dict[str, Any]], target: Any) -> int:
    """Write the register's ``rows`` as a workbook to ``target`` (the page's language); returns the count."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    count = _write_sheet(workbook, register_sheet(), rows)
    workbook.save(target)
    return count
