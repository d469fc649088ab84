"""The upload form of the case import."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import ValidationError

from forms import BaseForm

#: The largest file the upload page accepts.
MAX_IMPORT_BYTES = 10 * 1024 * 1024


class MaxFileSize:
    """WTForms validator: the uploaded file is at most ``max_bytes`` long."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes

    def __call__(self, form: Any, field: Any) -> None:
        stream = getattr(field.data, "stream", None)
        if stream is None:
            return
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(0)
        if size > self.max_bytes:
            raise ValidationError(
                _(
                    "The file is too large (%(size)s MB); the limit is %(max)s MB.",
                    size=f"{size / 1048576:.1f}",
                    max=self.max_bytes // 1048576,
                )
            )


class ImportForm(BaseForm):
    file = FileField(
        _l("File (.csv or .xlsx)"),
        validators=[
            FileRequired(_l("Choose a file to import.")),
            FileAllowed(["csv", "xlsx"], _l("Only .csv and .xlsx files can be imported.")),
            MaxFileSize(MAX_IMPORT_BYTES),
        ],
        description=_l("At most 10 MB. The first row holds the column names; see the format below."),
    )
    valid_only = BooleanField(
        _l("Import the valid rows only"),
        description=_l("Without this, nothing is imported while any row has an error."),
    )
    own_headers = BooleanField(
        _l("The sheet has its own headers (a team's register)"),
        description=_l(
            "Its header row is found below any title rows, headers such as “Tên cơ sở”, “Mã số thuế” or "
            "“Ngày kiểm tra” are recognised, and the other columns are ignored."
        ),
    )
    map_columns = BooleanField(
        _l("Check the columns and preview the first rows before importing"),
        description=_l(
            "A page then shows each column of the sheet with the field it is read as, to correct, and the "
            "first rows as they will be imported; nothing is imported before you confirm."
        ),
    )
    case_type = SelectField(_l("Kind of case, for the rows that do not say"), default="")
    status = SelectField(_l("Status, for the rows that do not say"), default="")
    field = SelectField(_l("Field of inspection, for the rows that do not say"), default="")
    mode = SelectField(_l("Planned or unscheduled, for the rows that do not say"), default="")
    saved_mapping = SelectField(
        _l("A saved mapping, for a sheet of the same shape"),
        default="",
        description=_l("The page of the columns opens with it applied."),
        validate_choice=False,
    )

    def __init__(self, *args: Any, mappings: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = constant_choices()
        for name in ("case_type", "status", "field", "mode"):
            getattr(self, name).choices = choices[name]
        self.saved_mapping.choices = [("", str(_l("— none —")))] + list(mappings or [])

    def validate_saved_mapping(self, field: Any) -> None:
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_("This mapping no longer exists; choose another."))

    def constants(self) -> dict[str, str]:
        """The values chosen for the rows that leave a column empty."""
        chosen = {name: getattr(self, name).data for name in ("case_type", "status", "field", "mode")}
        return {name: value for name, value in chosen.items() if value}


def constant_choices() -> dict[str, list[tuple[str, str]]]:
    """The choices of the constants a sheet may lack: the kind, status, field, mode and platform."""
    from cases.transfer.importer import IMPORT_STATUSES
    from forms.cases import field_choices, mode_choices, platform_choices

    none = [("", str(_l("— the sheet says —")))]
    status_words = {
        "draft": _l("Draft"),
        "submitted": _l("Submitted"),
        "approved": _l("Approved"),
        "closed": _l("Closed"),
    }
    return {
        "case_type": none
        + [
            ("inspection", str(_l("Inspection"))),
            ("ecommerce", str(_l("E-commerce check"))),
            ("survey", str(_l("Survey"))),
        ],
        "status": none + [(s, str(status_words[s])) for s in IMPORT_STATUSES],
        "field": none + field_choices(),
        "mode": none + mode_choices(),
        "platform": none + platform_choices(),
    }


def column_labels() -> dict[str, str]:
    """The import's columns in words (the mapping page's choices)."""
    return {
        "ref": str(_l("Reference of the case (ref)")),
        "case_type": str(_l("Kind of case")),
        "field": str(_l("Field of inspection")),
        "mode": str(_l("Planned or unscheduled")),
        "opened_on": str(_l("Opened on")),
        "closed_on": str(_l("Closed on")),
        "status": str(_l("Status")),
        "establishment": str(_l("Establishment")),
        "tax_code": str(_l("Tax code")),
        "address": str(_l("Address")),
        "commune_code": str(_l("Commune code")),
        "lat": str(_l("Latitude")),
        "lon": str(_l("Longitude")),
        "platform": str(_l("Platform")),
        "listing_url": str(_l("Link of the listing")),
        "seller": str(_l("Seller")),
        "product": str(_l("Product")),
        "samples_tested": str(_l("Samples tested")),
        "samples_failed": str(_l("Samples failed")),
        "violations": str(_l("Violation codes")),
        "fine_vnd": str(_l("Fine (VND)")),
        "notes": str(_l("Notes")),
    }


#: The columns a constant may be set for on the mapping page: the choices above, and a date.
CONSTANT_COLUMNS = ("case_type", "status", "field", "mode", "platform", "opened_on")
#: Rows shown in the preview.
PREVIEW_ROWS = 5


class MappingForm(BaseForm):
    """The mapping page: a select per column of the sheet (the import column it is read as, or none), the
    constants, a name to save the mapping under. Built for one sheet by :func:`mapping_form`; every fault
    of the mapping is put beside its select (:meth:`check`), all at once."""

    header_row = SelectField(
        _l("Row of the headers"),
        description=_l("Choose another row and press “Preview”: its cells become the columns' headers."),
        validate_choice=False,
    )
    #: The header row the columns below were read from (a new choice above proposes their fields again).
    shown_header_row = HiddenField()
    c_case_type = SelectField(
        _l("Kind of case, for the rows that do not say"), default="", validate_choice=False
    )
    c_status = SelectField(_l("Status, for the rows that do not say"), default="", validate_choice=False)
    c_field = SelectField(
        _l("Field of inspection, for the rows that do not say"), default="", validate_choice=False
    )
    c_mode = SelectField(
        _l("Planned or unscheduled, for the rows that do not say"), default="", validate_choice=False
    )
    c_platform = SelectField(_l("Platform, for the rows that do not say"), default="", validate_choice=False)
    c_opened_on = StringField(
        _l("Opened on, for the rows that do not say"),
        description=_l("A date such as 15/06/2024."),
    )
    valid_only = BooleanField(
        _l("Import the valid rows only"),
        description=_l("Without this, nothing is imported while any row has an error."),
    )
    name = StringField(_l("Save this mapping under the name"))

    positions: list[int]
    #: A few values under each column of the sheet.
    samples: list[list[str]]
    #: The required columns that no column reads and no constant could give (the ref): said above the columns.
    missing_required: list[str]

    def column_field(self, position: int) -> Any:
        return self[f"col_{position}"]

    def constant_field(self, column: str) -> Any:
        return self[f"c_{column}"]

    def mapping(self) -> Any:
        """The :class:`~cases.transfer.mapping.ColumnMapping` the form says."""
        from cases.transfer.mapping import ColumnMapping

        columns = {p: self.column_field(p).data for p in self.positions if self.column_field(p).data}
        constants = {
            c: (self.constant_field(c).data or "").strip()
            for c in CONSTANT_COLUMNS
            if (self.constant_field(c).data or "").strip()
        }
        try:
            header_row = int(self.header_row.data or 1)
        except ValueError:
            header_row = 1
        return ColumnMapping(header_row=header_row, columns=columns, constants=constants)

    def check(self, *, today: Any = None) -> bool:
        """Every fault of the mapping beside its select (or its constant), all at once."""
        import datetime as dt

        from cases.transfer.importer import REQUIRED_COLUMNS, parse_typed_date
        from cases.transfer.mapping import mapping_problems

        ok = True
        words = column_labels()
        choices = constant_choices()
        for column, options in choices.items():
            value = self.constant_field(column).data or ""
            if value and value not in {v for v, _label in options}:
                self.constant_field(column).errors = [
                    _("“%(value)s” is not one of the choices.", value=value)
                ]
                ok = False
        date_text = (self.c_opened_on.data or "").strip()
        if date_text and parse_typed_date(date_text, today or dt.date.today()) is None:
            self.c_opened_on.errors = [_("“%(value)s” is not a date (DD/MM/YYYY).", value=date_text)]
            ok = False
        known = set(words)
        for position in self.positions:
            value = self.column_field(position).data
            if value and value not in known:
                self.column_field(position).errors = [
                    _("Unknown column of the import; choose one of the list.")
                ]
                ok = False
        mapping = self.mapping()
        mapping.columns = {p: c for p, c in mapping.columns.items() if c in known}
        self.missing_required = []
        for problem in mapping_problems(mapping, REQUIRED_COLUMNS):
            ok = False
            if isinstance(problem.target, int):
                field = self.column_field(problem.target)
                others = [
                    self.column_field(p).label.text
                    for p in self.positions
                    if p != problem.target and self.column_field(p).data == problem.column
                ]
                field.errors = [
                    *field.errors,
                    _(
                        "“%(column)s” is also read from %(others)s: one column only.",
                        column=words.get(problem.column, problem.column),
                        others=", ".join(f"“{o}”" for o in others),
                    ),
                ]
            elif problem.code == "missing_column":
                message = _(
                    "“%(column)s” is required: choose the column that holds it, or a value for every row.",
                    column=words.get(problem.column, problem.column),
                )
                if problem.target in CONSTANT_COLUMNS:
                    field = self.constant_field(str(problem.target))
                    field.errors = [*field.errors, message]
                else:
                    self.missing_required.append(message)
        return ok


def mapping_form(
    headers: list[str],
    samples: list[list[str]],
    *,
    header_rows: list[tuple[int, list[str]]] | None = None,
    formdata: Any = None,
    data: dict[str, Any] | None = None,
) -> MappingForm:
    """The mapping form for a sheet whose header row holds ``headers``; ``data`` gives the initial
    choices (``col_N``, ``c_COLUMN``, ``header_row``) when nothing was posted; ``header_rows``, the first
    rows of the sheet, are the choices of the header row."""
    choices = [("", str(_l("— ignore this column —")))] + list(column_labels().items())

    class SheetMappingForm(MappingForm):
        pass

    for position, header in enumerate(headers):
        text = " ".join(header.split())
        text = text if len(text) <= 80 else text[:79] + "…"
        label = text or str(_l("Column %(number)s (no header)", number=position + 1))
        setattr(
            SheetMappingForm,
            f"col_{position}",
            SelectField(label, default="", validate_choice=False),
        )
    form = SheetMappingForm(formdata=formdata, data=data or {})
    form.positions = list(range(len(headers)))
    for position in form.positions:
        form.column_field(position).choices = choices
    form.samples = samples
    for column, options in constant_choices().items():
        form.constant_field(column).choices = options
    form.header_row.choices = [
        (str(number), _row_words(number, cells)) for number, cells in header_rows or []
    ]
    form.missing_required = []
    return form


def _row_words(number: int, cells: list[str]) -> str:
    text = " · ".join(" ".join(c.split()) for c in cells if c.strip())
    text = text if len(text) <= 70 else text[:69] + "…"
    return str(_l("Row %(number)s: %(cells)s", number=number, cells=text))
