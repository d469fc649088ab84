"""The administrator's forms for the agency that issues the documents, and for its signers."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from cases.documents.agency import AgencyInput, SignerInput
from cases.documents.templates import TemplateInput
from forms import BaseForm
from forms.fields import VnDateField


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class AgencyForm(BaseForm):
    # the lengths and the required ones are the domain's rules (cases/documents/agency.py), shown beside
    # the fields all at once
    parent_name = StringField(
        _l("Governing body"),
        filters=[_strip],
        description=_l("First line of the letterhead: UBND TỈNH AN GIANG."),
    )
    name = StringField(_l("Agency name"), filters=[_strip], description=_l("E.g. SỞ KHOA HỌC VÀ CÔNG NGHỆ."))
    place_name = StringField(
        _l("Place name beside the date"),
        filters=[_strip],
        description=_l("E.g. An Giang (An Giang, ngày …)."),
    )
    symbol = StringField(
        _l("Agency symbol in document numbers"), filters=[_strip], description=_l("E.g. SKHCN (…/QĐ-SKHCN).")
    )
    treasury_account = StringField(
        _l("Treasury account for fines"),
        filters=[_strip],
        description=_l(
            "The account number a sanction decision names; left blank, the decision leaves a space."
        ),
    )
    treasury_name = StringField(
        _l("Treasury holding the account"),
        filters=[_strip],
        description=_l("E.g. Kho bạc Nhà nước khu vực …"),
    )

    def fill(self, data: AgencyInput) -> None:
        for name in AgencyInput.__dataclass_fields__:
            getattr(self, name).data = getattr(data, name)

    def values(self) -> AgencyInput:
        return AgencyInput(**{name: getattr(self, name).data for name in AgencyInput.__dataclass_fields__})


class SignerForm(BaseForm):
    full_name = StringField(_l("Signer's full name"), filters=[_strip])
    title = TextAreaField(
        _l("Title as printed above the signature"),
        filters=[_strip],
        description=_l("One or two lines, e.g. KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC."),
        render_kw={"rows": 2},
    )
    authority_code = SelectField(
        _l("Sanctioning authority held"),
        validators=[Optional()],
        validate_choice=False,  # the domain refuses an unknown one, beside the field
        description=_l("Decides the highest fine a sanction decision he signs may impose."),
    )
    delegation_reference = StringField(
        _l("Delegation decision"),
        filters=[_strip],
        description=_l("When the authority is delegated (giao quyền xử phạt): its number and date."),
    )
    active = BooleanField(_l("Signs documents now"), default=True)

    def __init__(
        self, *args: Any, authority_choices: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.authority_code.choices = [("", str(_l("None")))] + list(authority_choices or [])

    def fill(self, data: SignerInput) -> None:
        for name in SignerInput.__dataclass_fields__:
            getattr(self, name).data = getattr(data, name)
        self.authority_code.data = data.authority_code or ""

    def values(self) -> SignerInput:
        return SignerInput(
            full_name=self.full_name.data,
            title=self.title.data,
            authority_code=self.authority_code.data or None,
            delegation_reference=self.delegation_reference.data,
            active=bool(self.active.data),
        )


class TemplateForm(BaseForm):
    """A version of a document type: its form, legal bases and number symbol, from the date it takes effect
    (the rules are the domain's, ``cases/documents/templates.py``, shown beside the fields all at once)."""

    doc_type = SelectField(_l("Type of document"), choices=[], validators=[Optional()])
    version_label = StringField(
        _l("Version"), filters=[_strip], description=_l("What changed, e.g. “MBB01, Nghị định 190/2025”.")
    )
    effective_from = VnDateField(_l("In force from"), validators=[Optional()])
    effective_to = VnDateField(
        _l("In force until"),
        validators=[Optional()],
        description=_l("Left empty while in force; a later version ends it the day before it starts."),
    )
    form_code = StringField(_l("Form code"), filters=[_strip], description=_l("E.g. MBB01, MQĐ02."))
    title = StringField(_l("Title as printed"), filters=[_strip])
    legal_bases = TextAreaField(
        _l("Legal bases"),
        description=_l("One per line, as printed after “Căn cứ”."),
        render_kw={"rows": 6},
    )
    number_pattern = StringField(
        _l("Number and symbol"), filters=[_strip], description=_l("{n} is the number, e.g. {n}/BB-VPHC.")
    )
    confidence = SelectField(_l("How sure the source is"), choices=[], validators=[Optional()])
    confidence_note = TextAreaField(_l("Source and note"), render_kw={"rows": 2})

    def __init__(
        self,
        *args: Any,
        type_choices: list[tuple[str, str]],
        confidence_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.doc_type.choices = type_choices
        self.confidence.choices = confidence_choices

    def fill(self, data: TemplateInput) -> None:
        for name in TemplateInput.__dataclass_fields__:
            getattr(self, name).data = getattr(data, name)

    def values(self) -> TemplateInput:
        return TemplateInput(
            **{name: getattr(self, name).data for name in TemplateInput.__dataclass_fields__}
        )
