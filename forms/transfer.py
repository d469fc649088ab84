"""The upload form of the case import."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField
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
