"""Forms of the official documents: start a draft on a case, the draft's own texts, issue, void, the signed
copy or the refusal to sign, and the register's filters."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cases.documents.register import TEXT_PARTS
from forms import BaseForm
from forms.fields import VnDateField, WholeNumberField
from forms.ids import parse_id, parse_version

_TEXT_MAX = 10_000


class NewDocumentForm(BaseForm):
    """The document to draft: a type, and for a violation record or a sanction decision its finding (one
    select: ``violation-record:12``). Its choices are the case's (``documents.listing.draft_options``)."""

    option = SelectField(_l("Document to draft"), validators=[DataRequired()], choices=[])


class DocumentTextsForm(BaseForm):
    """The parts that belong to the document rather than to its case (``register.TEXT_PARTS``)."""

    version = HiddenField()
    statement = TextAreaField(
        _l("Statement of the establishment's representative"),
        validators=[Optional(), Length(max=_TEXT_MAX)],
        render_kw={"rows": 4},
    )
    witnesses = TextAreaField(
        _l("Witnesses"),
        validators=[Optional(), Length(max=_TEXT_MAX)],
        description=_l("Name, position and address of each witness or commune official present."),
        render_kw={"rows": 2},
    )
    conclusion = TextAreaField(
        _l("Conclusion"),
        validators=[Optional(), Length(max=_TEXT_MAX)],
        description=_l("Left empty, the document prints the case's conclusion."),
        render_kw={"rows": 4},
    )
    copies = WholeNumberField(_l("Number of copies"), validators=[Optional()])
    invoices = TextAreaField(
        _l("Invoices and papers of the goods sampled"),
        validators=[Optional(), Length(max=_TEXT_MAX)],
        description=_l("One per line: number, date, seller."),
        render_kw={"rows": 2},
    )
    time_started = StringField(
        _l("Opened at"),
        validators=[Optional(), Length(max=30)],
        description=_l("The time the record was opened on site, e.g. 14:30."),
        render_kw={"inputmode": "numeric", "placeholder": "14:30", "autocomplete": "off"},
    )
    time_ended = StringField(
        _l("Closed at"),
        validators=[Optional(), Length(max=30)],
        render_kw={"inputmode": "numeric", "placeholder": "16:15", "autocomplete": "off"},
    )
    sampling_allowed = SelectField(
        _l("Samples may be taken before the decision is presented"),
        choices=[],
        validators=[Optional()],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sampling_allowed.choices = [("", _("Not said")), ("yes", _("Yes")), ("no", _("No"))]

    #: The parts each type prints (``TEXT_PARTS``: statement, witnesses, conclusion, copies, times, sampling).
    PARTS = {
        "decision": ("conclusion", "copies", "sampling_allowed"),
        "inspection-record": ("time_started", "time_ended", "statement", "witnesses", "conclusion", "copies"),
        "sampling-record": ("time_started", "time_ended", "invoices", "statement", "witnesses", "copies"),
        "violation-record": ("time_started", "time_ended", "statement", "witnesses", "copies"),
        "sanction-decision": ("conclusion", "copies"),
    }

    def parts(self, doc_type: str) -> list[Any]:
        """The fields of the parts a document of ``doc_type`` prints, in the form's order."""
        wanted = self.PARTS.get(doc_type, TEXT_PARTS)
        return [getattr(self, part) for part in wanted]

    def fill(self, texts: dict[str, Any], version: int) -> None:
        for part in TEXT_PARTS:
            getattr(self, part).data = texts.get(part)
        self.version.data = str(version)

    def texts(self, doc_type: str) -> dict[str, Any]:
        """The parts of ``doc_type`` as typed (the others are not sent)."""
        return {part: getattr(self, part).data for part in self.PARTS.get(doc_type, TEXT_PARTS)}

    def expected_version(self) -> int | None:
        return parse_version(self.version.data)


class IssueForm(BaseForm):
    """Issue a draft: its date and its signer — one of the agency's signers (whose sanctioning authority is
    checked on a sanction decision), or a name and title typed."""

    issued_on = VnDateField(_l("Date of the document"), validators=[DataRequired()])
    signer_id = SelectField(
        _l("Signer from the agency's list"),
        choices=[],
        validators=[Optional()],
        description=_l("Leave “typed below” to type the signer's name and title."),
    )
    signer_name = StringField(_l("Signer"), validators=[Length(max=120)])
    signer_title = TextAreaField(
        _l("Signer's title"),
        validators=[Length(max=200)],
        description=_l("On two lines when signing for the head, e.g. “KT. GIÁM ĐỐC” then “PHÓ GIÁM ĐỐC”."),
        render_kw={"rows": 2},
    )

    def chosen_signer(self) -> int | None:
        return parse_id(self.signer_id.data)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.signer_id.data and self.chosen_signer() is None:
            self.signer_id.errors = [*self.signer_id.errors, _("Choose one of the signers listed.")]
            ok = False
        if self.chosen_signer() is None:  # typed: both are needed
            for field in (self.signer_name, self.signer_title):
                if not (field.data or "").strip():
                    field.errors = [*field.errors, _("This field is required.")]
                    ok = False
        return ok


class TransferForm(BaseForm):
    """The finding's file transferred to the authority competent for its fine (instead of a decision the
    agency's signers may not sign)."""

    authority_code = SelectField(_l("Competent authority"), choices=[], validators=[DataRequired()])
    transfer_reason = TextAreaField(
        _l("Reason for the transfer"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}
    )


class VoidForm(BaseForm):
    void_reason = TextAreaField(
        _l("Reason for voiding"), validators=[DataRequired(), Length(max=_TEXT_MAX)], render_kw={"rows": 2}
    )


class SignedCopyForm(BaseForm):
    files = MultipleFileField(
        _l("Scan or photo of the signed copy"),
        description=_l("JPEG, PNG or PDF; each page may be a file."),
        render_kw={"accept": "image/jpeg,image/png,application/pdf"},
    )


class RefusalForm(BaseForm):
    refusal_witness = StringField(
        _l("Witness of the refusal to sign"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("A commune official or another witness: name and position."),
    )
    refusal_note = TextAreaField(
        _l("Note on the refusal to sign"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}
    )
