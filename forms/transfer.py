"""The upload form of the case import."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField
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
    case_type = SelectField(_l("Kind of case, for the rows that do not say"), default="")
    status = SelectField(_l("Status, for the rows that do not say"), default="")
    field = SelectField(_l("Field of inspection, for the rows that do not say"), default="")
    mode = SelectField(_l("Planned or unscheduled, for the rows that do not say"), default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from cases.transfer.importer import IMPORT_STATUSES
        from forms.cases import field_choices, mode_choices

        super().__init__(*args, **kwargs)
        none = [("", str(_l("— the sheet says —")))]
        self.case_type.choices = none + [
            ("inspection", str(_l("Inspection"))),
            ("ecommerce", str(_l("E-commerce check"))),
            ("survey", str(_l("Survey"))),
        ]
        status_words = {
            "draft": _l("Draft"),
            "submitted": _l("Submitted"),
            "approved": _l("Approved"),
            "closed": _l("Closed"),
        }
        self.status.choices = none + [(s, str(status_words[s])) for s in IMPORT_STATUSES]
        self.field.choices = none + field_choices()
        self.mode.choices = none + mode_choices()

    def constants(self) -> dict[str, str]:
        """The values chosen for the rows that leave a column empty."""
        chosen = {name: getattr(self, name).data for name in ("case_type", "status", "field", "mode")}
        return {name: value for name, value in chosen.items() if value}
