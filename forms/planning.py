"""The planning forms: a tip or complaint, a tip's status, the risk score's weights (one field per weight)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from cases.enums import TipSource, TipStatus
from cases.planning.tips import TipInput
from cases.planning.weights import Weights
from forms import BaseForm
from forms.fields import VnDateField
from forms.ids import IdField


def tip_source_choices() -> list[tuple[str, str]]:
    words = {
        TipSource.HOTLINE: _l("Hotline"),
        TipSource.LETTER: _l("Letter or petition"),
        TipSource.EMAIL: _l("E-mail or web portal"),
        TipSource.IN_PERSON: _l("In person"),
        TipSource.MEDIA: _l("Press or social media"),
        TipSource.AGENCY: _l("Passed on by another agency"),
        TipSource.OTHER: _l("Other source"),
    }
    return [(s.value, str(words[s])) for s in TipSource]


def tip_status_choices() -> list[tuple[str, str]]:
    words = {
        TipStatus.OPEN: _l("Open"),
        TipStatus.USED: _l("Used as a ground"),
        TipStatus.CLOSED: _l("Closed"),
    }
    return [(s.value, str(words[s])) for s in TipStatus]


class TipForm(BaseForm):
    source = SelectField(_l("Source"), validators=[DataRequired()])
    received_on = VnDateField(_l("Received on"), validators=[InputRequired()])
    content = TextAreaField(_l("Content of the tip"), validators=[DataRequired(), Length(max=10000)])
    establishment_id = SelectField(_l("Establishment"), validate_choice=True)
    listing_url = StringField(
        _l("Listing's web address"),
        validators=[Optional(), Length(max=2000)],
        description=_l("For a tip about an online listing."),
    )
    seller_name = StringField(_l("Seller"), validators=[Optional(), Length(max=300)])
    commune_code = SelectField(_l("Commune"), validate_choice=True)

    def __init__(
        self,
        *args: Any,
        establishment_choices: list[tuple[str, str]] | None = None,
        commune_choices: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.source.choices = [("", "—"), *tip_source_choices()]
        self.establishment_id.choices = [
            ("", str(_l("None (an online listing or seller)"))),
            *(establishment_choices or []),
        ]
        self.commune_code.choices = [("", "—"), *(commune_choices or [])]

    def to_input(self) -> TipInput:
        est = self.establishment_id.data
        return TipInput(
            source=self.source.data or None,
            received_on=self.received_on.data,
            content=self.content.data,
            establishment_id=int(est) if est and str(est).isdigit() else None,
            listing_url=self.listing_url.data,
            seller_name=self.seller_name.data,
            commune_code=self.commune_code.data or None,
        )


class TipStatusForm(BaseForm):
    status = SelectField(_l("Status"), validators=[DataRequired()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = tip_status_choices()


def weight_field_name(component: str, item: str) -> str:
    return f"w__{component}__{item}"


def risk_weights_form(current: Weights, labels: dict[tuple[str, str], str]) -> type[BaseForm]:
    """A form class with a whole-number field per weight of ``current`` (named by ``weight_field_name``,
    labelled by ``labels[(component, item)]``),
    the date the new version starts and a note (the reason, audited)."""

    class RiskWeightsForm(BaseForm):
        effective_from = VnDateField(_l("In force from"), validators=[InputRequired()])
        note = TextAreaField(_l("Reason for the change"), validators=[DataRequired(), Length(max=2000)])
        version_shown = IdField()

        def points(self) -> dict[tuple[str, str], int]:
            return {(c, i): getattr(self, weight_field_name(c, i)).data for (c, i) in sorted(current.points)}

    for (component, item), value in sorted(current.points.items()):
        field = IntegerField(
            labels.get((component, item), item),
            validators=[InputRequired(), NumberRange(min=0, max=1_000_000_000)],
            default=value,
        )
        setattr(RiskWeightsForm, weight_field_name(component, item), field)
    return RiskWeightsForm
