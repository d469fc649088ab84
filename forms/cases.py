"""The case forms: fields common to every kind, then one form per kind."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from cases.enums import CaseKind
from cases.recording.rules import CaseInput
from forms import BaseForm
from forms.fields import CoordinateField, MultiCheckboxField, VnDateField, VndField
from forms.ids import IdField, parse_id, parse_version


def _team_member_id(value: Any) -> int:
    """The ``coerce`` of the team's select: an id, else ``ValueError`` (WTForms: an error beside it)."""
    number = parse_id(value)
    if number is None:
        raise ValueError(value)
    return number


def _optional_member_id(value: Any) -> int | None:
    """The ``coerce`` of a team role's select: empty is none chosen; else an id, as for the team."""
    if value is None or value == "" or value == "None":
        return None
    return _team_member_id(value)


def field_choices() -> list[tuple[str, str]]:
    return [
        ("instruments", str(_l("Measuring instruments"))),
        ("prepackaged", str(_l("Quantity of prepackaged goods"))),
        ("quality", str(_l("Quality of goods"))),
        ("label", str(_l("Goods labels"))),
        ("barcode", str(_l("Barcodes"))),
        ("fuel", str(_l("Fuel retail"))),
        ("gold", str(_l("Gold retail"))),
        ("standards", str(_l("Standards and technical regulations"))),
    ]


def platform_choices() -> list[tuple[str, str]]:
    return [
        ("shopee", "Shopee"),
        ("lazada", "Lazada"),
        ("tiktok", "TikTok Shop"),
        ("facebook", "Facebook"),
        ("zalo", "Zalo"),
        ("website", str(_l("Website"))),
        ("other", str(_l("Other"))),
    ]


def issue_choices() -> list[tuple[str, str]]:
    return [
        ("counterfeit", str(_l("Counterfeit"))),
        ("imitation", str(_l("Imitation"))),
        ("substandard", str(_l("Substandard"))),
        ("unlabelled", str(_l("Unlabelled"))),
        ("unknown_origin", str(_l("Unknown origin"))),
    ]


def action_choices() -> list[tuple[str, str]]:
    return [
        ("none", str(_l("None yet"))),
        ("takedown_request", str(_l("Takedown request to the platform"))),
        ("warning", str(_l("Warning to the seller"))),
        ("referral_qltt", str(_l("Referral to market surveillance (QLTT)"))),
        ("referral_police", str(_l("Referral to the police"))),
    ]


def mode_choices() -> list[tuple[str, str]]:
    return [("planned", str(_l("Planned"))), ("unscheduled", str(_l("Unscheduled")))]


class CaseFormBase(BaseForm):
    """Fields every kind of case has: dates, location, establishment, product, notes."""

    version = HiddenField()
    opened_on = VnDateField(_l("Opened on"), validators=[InputRequired()])
    closed_on = VnDateField(_l("Closed on"), validators=[Optional()])
    commune_code = SelectField(
        _l("Commune (since 1 July 2025)"),
        validators=[InputRequired()],
        description=_l("Choose, or let the address or your location suggest it."),
    )
    address = StringField(
        _l("Street address"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "Old format (ward, district, province) or new format (ward, province) are both understood."
        ),
    )
    latitude = CoordinateField(_l("Latitude"), kind="lat", validators=[Optional()])
    longitude = CoordinateField(_l("Longitude"), kind="lon", validators=[Optional()])
    former_ward_code = SelectField(
        _l("Former ward (as recorded before 1 July 2025)"),
        validators=[Optional()],
        description=_l("Only for cases dated before 1 July 2025."),
    )
    establishment_id = SelectField(_l("Establishment"), validators=[Optional()], coerce=str)
    product = StringField(_l("Product"), validators=[Optional(), Length(max=300)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])

    kind: str = ""

    def __init__(
        self,
        *args: Any,
        commune_choices: list[tuple[str, str]] | None = None,
        former_ward_choices: list[tuple[str, str]] | None = None,
        establishment_choices: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.commune_code.choices = [("", str(_l("— choose —")))] + (commune_choices or [])
        self.former_ward_code.choices = [("", str(_l("— none —")))] + (former_ward_choices or [])
        self.establishment_id.choices = [("", str(_l("— none —")))] + (establishment_choices or [])

    def to_input(self) -> CaseInput:
        est = self.establishment_id.data
        return CaseInput(
            kind=self.kind,
            opened_on=self.opened_on.data,
            closed_on=self.closed_on.data,
            commune_code=self.commune_code.data or None,
            address=self.address.data,
            latitude=self.latitude.data,
            longitude=self.longitude.data,
            former_ward_code=self.former_ward_code.data or None,
            establishment_id=parse_id(est) if est else None,
            product=self.product.data,
            notes=self.notes.data,
        )

    def expected_version(self) -> int | None:
        return parse_version(self.version.data)


class InspectionForm(CaseFormBase):
    kind = CaseKind.INSPECTION.value
    mode = RadioField(_l("Inspection type"), validators=[InputRequired()])
    fields = MultiCheckboxField(_l("Fields checked"), validators=[DataRequired()])
    decision_number = StringField(_l("Decision number"), validators=[Optional(), Length(max=100)])
    decision_date = VnDateField(_l("Decision date"), validators=[Optional()])
    decision_signer = StringField(_l("Signed by"), validators=[Optional(), Length(max=200)])
    start_date = VnDateField(_l("Inspection from"), validators=[Optional()])
    end_date = VnDateField(_l("Inspection to"), validators=[Optional()])
    team_ids = SelectMultipleField(_l("Team members"), coerce=_team_member_id, validators=[Optional()])
    # chosen among the team (the domain checks it: cases/recording/rules.py); the others are members
    team_leader_id = SelectField(
        _l("Team leader"), coerce=_optional_member_id, validators=[Optional()], validate_choice=False
    )
    technical_officer_id = SelectField(
        _l("Technical officer"), coerce=_optional_member_id, validators=[Optional()], validate_choice=False
    )
    coordinating_agencies = TextAreaField(
        _l("Coordinating agencies"),
        validators=[Optional(), Length(max=1000)],
        description=_l("E.g. market surveillance (QLTT), police, commune People's Committee."),
    )
    conclusion = TextAreaField(_l("Conclusion"), validators=[Optional(), Length(max=10000)])
    follow_up_of_id = IdField()
    tip_id = IdField()
    clear_signs = BooleanField(
        _l("Clear signs of a violation"),
        description=_l("Needed for a second inspection of the establishment in the same year."),
    )
    clear_signs_text = TextAreaField(
        _l("The clear signs of a violation"), validators=[Optional(), Length(max=5000)]
    )
    yearly_override_reason = TextAreaField(
        _l("Reason for a second inspection this year"),
        validators=[Optional(), Length(max=5000)],
        description=_l("A manager only: allows a second inspection without clear signs (audited)."),
    )

    def __init__(self, *args: Any, team_choices: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mode.choices = mode_choices()
        self.fields.choices = field_choices()
        self.team_ids.choices = team_choices or []
        for role_field in (self.team_leader_id, self.technical_officer_id):
            role_field.choices = [("", "—"), *(team_choices or [])]

    def to_input(self) -> CaseInput:
        data = super().to_input()
        data.mode = self.mode.data or None
        data.fields = list(self.fields.data or [])
        data.decision_number = self.decision_number.data
        data.decision_date = self.decision_date.data
        data.decision_signer = self.decision_signer.data
        data.start_date = self.start_date.data
        data.end_date = self.end_date.data
        data.team_ids = list(self.team_ids.data or [])
        data.team_leader_id = self.team_leader_id.data
        data.technical_officer_id = self.technical_officer_id.data
        data.coordinating_agencies = self.coordinating_agencies.data
        data.conclusion = self.conclusion.data
        data.follow_up_of_id = self.follow_up_of_id.data
        data.tip_id = self.tip_id.data
        data.clear_signs = bool(self.clear_signs.data)
        data.clear_signs_text = self.clear_signs_text.data
        data.yearly_override_reason = self.yearly_override_reason.data
        return data


class EcommerceForm(CaseFormBase):
    kind = CaseKind.ECOMMERCE.value
    platform = SelectField(_l("Platform"), validators=[InputRequired()])
    listing_url = StringField(
        _l("Listing URL"),
        validators=[InputRequired(), Length(max=2000)],
        description=_l("http:// or https://"),
    )
    seller_name = StringField(_l("Seller name"), validators=[Optional(), Length(max=300)])
    seller_platform_id = StringField(
        _l("Seller ID on the platform"), validators=[Optional(), Length(max=200)]
    )
    price_vnd = VndField(_l("Price (VND)"), validators=[Optional()])
    suspected_issue = SelectField(_l("Suspected issue"), validators=[Optional()])
    action = SelectField(_l("Action taken"), validators=[Optional()])
    action_on = VnDateField(_l("Action date"), validators=[Optional()])
    platform_response = TextAreaField(_l("Platform's response"), validators=[Optional(), Length(max=5000)])
    taken_down_on = VnDateField(_l("Taken down on"), validators=[Optional()])
    referral_reference = StringField(_l("Referral reference"), validators=[Optional(), Length(max=200)])
    conclusion = TextAreaField(_l("Outcome"), validators=[Optional(), Length(max=10000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.platform.choices = [("", str(_l("— choose —")))] + platform_choices()
        self.suspected_issue.choices = [("", str(_l("— choose —")))] + issue_choices()
        # no default: the user says what was done (even "none yet") before the check can be submitted
        self.action.choices = [("", str(_l("— choose —")))] + action_choices()

    def to_input(self) -> CaseInput:
        data = super().to_input()
        data.platform = self.platform.data or None
        data.listing_url = self.listing_url.data
        data.seller_name = self.seller_name.data
        data.seller_platform_id = self.seller_platform_id.data
        data.price_vnd = self.price_vnd.data
        data.suspected_issue = self.suspected_issue.data or None
        data.action = self.action.data or None
        data.action_on = self.action_on.data
        data.platform_response = self.platform_response.data
        data.taken_down_on = self.taken_down_on.data
        data.referral_reference = self.referral_reference.data
        data.conclusion = self.conclusion.data
        return data


class TakedownOutcomeForm(BaseForm):
    """The outcome of an e-commerce check's action, recorded after submission
    (``cases/recording/takedown.py``)."""

    version = HiddenField()
    platform_response = TextAreaField(_l("Platform's response"), validators=[Optional(), Length(max=5000)])
    taken_down_on = VnDateField(_l("Taken down on"), validators=[Optional()])
    referral_reference = StringField(_l("Referral reference"), validators=[Optional(), Length(max=200)])

    def expected_version(self) -> int | None:
        value = (self.version.data or "").strip()
        return int(value) if value.isdigit() else None


class SurveyForm(CaseFormBase):
    kind = CaseKind.SURVEY.value
    field_aliases = {"fields": "field"}  # the domain's name of a problem's field -> this form's field
    campaign_id = SelectField(_l("Campaign"), validators=[Optional()])
    new_campaign = StringField(
        _l("…or a new campaign"),
        validators=[Optional(), Length(max=200)],
        description=_l('E.g. "Khảo sát xăng dầu 2026".'),
    )
    field = SelectField(_l("Field surveyed"), validators=[InputRequired()])
    conclusion = TextAreaField(_l("Survey findings"), validators=[Optional(), Length(max=10000)])

    def __init__(
        self, *args: Any, campaign_choices: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.campaign_id.choices = [("", str(_l("— choose —")))] + (campaign_choices or [])
        self.field.choices = [("", str(_l("— choose —")))] + field_choices()

    def to_input(self) -> CaseInput:
        data = super().to_input()
        data.fields = [self.field.data] if self.field.data else []
        camp = self.campaign_id.data
        data.campaign_id = parse_id(camp) if camp else None
        data.new_campaign = self.new_campaign.data or None
        data.conclusion = self.conclusion.data
        return data


FORMS: dict[str, type[CaseFormBase]] = {
    CaseKind.INSPECTION.value: InspectionForm,
    CaseKind.ECOMMERCE.value: EcommerceForm,
    CaseKind.SURVEY.value: SurveyForm,
}


def form_data_from_input(data: CaseInput) -> dict[str, Any]:
    """Values to prefill a form from a CaseInput (``data=`` for WTForms)."""
    values: dict[str, Any] = {k: v for k, v in vars(data).items() if v is not None}
    values["establishment_id"] = str(data.establishment_id) if data.establishment_id else ""
    values["campaign_id"] = str(data.campaign_id) if data.campaign_id else ""
    values["field"] = data.fields[0] if data.fields else ""
    values["follow_up_of_id"] = str(data.follow_up_of_id) if data.follow_up_of_id else ""
    values["tip_id"] = str(data.tip_id) if data.tip_id else ""
    return values


__all__ = ["FORMS", "EcommerceForm", "InspectionForm", "SurveyForm", "TakedownOutcomeForm"]
