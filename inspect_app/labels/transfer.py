"""Words for the import's error codes (``cases.transfer.importer.RowError``), shared by the upload page and
the CLI."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from cases.rendering.formatting import format_number
from cases.transfer.importer import RowError
from forms.validators import tax_code_message


def _messages(p: dict) -> dict[str, Callable[[], str]]:
    return {
        # the file as a whole
        "unsupported_format": lambda: _("Only .csv and .xlsx files can be imported."),
        "not_utf8": lambda: _(
            "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”, or upload the .xlsx workbook."
        ),
        "bad_csv": lambda: _("This line cannot be read as CSV (a quote left open, or a cell far too long)."),
        "bad_xlsx": lambda: _("The file is not a readable Excel workbook (.xlsx)."),
        "too_many_rows": lambda: _(
            "The file has more than %(max)s case rows (or more than %(scanned)s rows counting the empty "
            "ones); at most %(max)s can be imported at once. Split it into several files, and delete the "
            "empty rows below the data. Nothing was read.",
            max=_number(p.get("max")),
            scanned=_number(p.get("scanned")),
        ),
        "xlsx_too_large": lambda: _(
            "The workbook holds more data than an import can take (its sheets or its table of texts are "
            "too large once unpacked). Save it as CSV UTF-8, or split it into several files. "
            "Nothing was read."
        ),
        "no_header": lambda: _("The file is empty: the first row must hold the column names."),
        "no_rows": lambda: _("The file has a header row but no case rows."),
        "unknown_column": lambda: _("Unknown column; remove it or correct its name."),
        "duplicate_column": lambda: _("This column appears twice."),
        "missing_column": lambda: _("This required column is missing."),
        "cell_outside_header": lambda: _("A value in a column without a name."),
        # values
        "required": lambda: _("A value is required."),
        "invalid_choice": lambda: _(
            "“%(value)s” is not one of: %(choices)s.", value=p.get("value", ""), choices=p.get("choices", "")
        ),
        "invalid_date": lambda: _(
            "“%(value)s” is not a valid date (YYYY-MM-DD or DD/MM/YYYY).", value=p.get("value", "")
        ),
        "date_in_future": lambda: _("The date is in the future."),
        "date_too_old": lambda: _("The date is before the year 2000."),
        "closed_before_opened": lambda: _("The closing date is before the opening date."),
        "invalid_decimal": lambda: _(
            "“%(value)s” is not a decimal number of degrees, e.g. 10.3866.", value=p.get("value", "")
        ),
        "invalid_integer": lambda: _("“%(value)s” is not a whole number.", value=p.get("value", "")),
        "invalid_amount": lambda: _(
            "“%(value)s” is not an amount in VND (write 1500000, 1.500.000 or 1,500,000).",
            value=p.get("value", ""),
        ),
        "negative": lambda: _("The number cannot be negative."),
        "too_large": lambda: _("The number is too large (at most %(max)s).", max=p.get("max", "")),
        "too_long": lambda: _(
            "The text is too long (%(length)s characters; at most %(max)s).",
            length=p.get("length", ""),
            max=p.get("max", ""),
        ),
        "control_characters": lambda: _("The text contains control characters."),
        "failed_more_than_tested": lambda: _("More samples failed than were tested."),
        "unknown_violation": lambda: _("Not in the violation catalog: %(codes)s.", codes=p.get("codes", "")),
        "fine_without_confirmed_violation": lambda: _(
            "A fine needs at least one violation code on an approved or closed case."
        ),
        "tax_code_taken": lambda: _("Another establishment already has this tax code."),
        "not_for_kind": lambda: _("This column does not apply to this type of case; leave it empty."),
        "required_with_tax_code": lambda: _("A tax code needs the establishment's name."),
        "name_required": lambda: _("A value is required."),
        # location
        "coordinates_pair": lambda: _("Give both the latitude and the longitude, or neither."),
        "outside_province": lambda: _("These coordinates are outside An Giang province."),
        "invalid_coordinates": lambda: _("These coordinates are not valid."),
        "unknown_commune": lambda: _("Unknown commune code: %(codes)s.", codes=p.get("codes", "")),
        "address_not_found": lambda: _(
            "No commune of An Giang was recognised in this address; add commune_code or lat/lon."
        ),
        "unlocatable": lambda: _("The case cannot be located: give commune_code, an address or lat/lon."),
        "commune_out_of_scope": lambda: _("You may not record cases in this commune."),
        "former_ward_after_reform": lambda: _("A former ward only applies to cases before 1 July 2025."),
        "unknown_former_ward": lambda: _("Unknown former ward."),
        # kinds
        "url_not_http": lambda: _("The link must be a web address starting with http:// or https://."),
        "url_too_long": lambda: _("The link is too long."),
        "unknown_field": lambda: _("Unknown field of inspection."),
        "survey_one_field": lambda: _("A survey covers one field only."),
        "unknown_establishment": lambda: _("Unknown establishment."),
        "unknown_campaign": lambda: _("Unknown survey campaign."),
        "conflict": lambda: _(
            "Somebody else saved the same records while the file was being imported; import it again."
        ),
        # the file's own references
        "duplicate_ref": lambda: _(
            "This ref already appears on row %(row)s of the file.", row=p.get("first_row", "")
        ),
    }


def _number(value: object) -> str:
    return format_number(value) if isinstance(value, int) else str(value or "")


def import_error_message(error: RowError) -> str:
    if error.code.startswith("tax_code_") and error.code != "tax_code_taken":
        return tax_code_message(error.code)
    factory = _messages(error.params).get(error.code)
    return factory() if factory else _("The value is not valid (%(code)s).", code=error.code)


def import_error_line(error: RowError) -> str:
    """``row N, column C: message``, as the import format words it (the whole file: ``file: message``)."""
    message = import_error_message(error)
    if error.row == 0:
        return f"file: {message}"
    if not error.column:
        return f"row {error.row}: {message}"
    return f"row {error.row}, column {error.column}: {message}"


#: The import's columns whose values are codes of an enum (``cases.transfer.importer``).
_CHOICE_COLUMNS = {
    "case_type": "CaseKind",
    "status": "CaseStatus",
    "field": "InspectionField",
    "mode": "InspectionMode",
    "platform": "Platform",
}


def value_words() -> dict[str, dict[str, str]]:
    """The words of the import's choices in every language of the app, folded (no diacritics, lower case),
    each to its code: a sheet may say "Đột xuất", "Dot xuat" or "Unscheduled" for ``unscheduled``."""
    from flask import current_app
    from flask_babel import force_locale

    from cases import enums
    from cases.text import fold
    from inspect_app.labels.codes import enum_labels

    tables = enum_labels()
    words: dict[str, dict[str, str]] = {column: {} for column in _CHOICE_COLUMNS}
    for locale in current_app.config["LANGUAGES"]:
        with force_locale(locale):
            for column, enum_name in _CHOICE_COLUMNS.items():
                for code, label in tables[getattr(enums, enum_name)]().items():
                    words[column].setdefault(fold(label), code)
    return words
