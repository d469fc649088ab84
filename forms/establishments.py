"""The establishment form (create and edit)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cases.enums import BusinessType
from cases.recording.taxcode import normalise_tax_code
from forms import BaseForm
from forms.validators import Coordinate, TaxCode, VietnamesePhone, parse_coordinate


def business_type_choices() -> list[tuple[str, str]]:
    return [
        (BusinessType.ENTERPRISE.value, str(_l("Enterprise"))),
        (BusinessType.BRANCH.value, str(_l("Branch or dependent unit"))),
        (BusinessType.COOPERATIVE.value, str(_l("Cooperative"))),
        (BusinessType.HOUSEHOLD.value, str(_l("Household business"))),
        (BusinessType.INDIVIDUAL.value, str(_l("Individual trader"))),
        (BusinessType.OTHER.value, str(_l("Other"))),
    ]


def business_type_label(value: str | None) -> str:
    return dict(business_type_choices()).get(value or "", value or "")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _tax_code_filter(value: Any) -> Any:
    return normalise_tax_code(value) if isinstance(value, str) else value


class EstablishmentForm(BaseForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=300)],
        filters=[_strip],
        description=_l("As on the business registration, e.g. Công ty TNHH Xăng dầu Rạch Giá."),
    )
    tax_code = StringField(
        _l("Tax code"),
        validators=[Optional(), Length(max=20), TaxCode()],
        filters=[_tax_code_filter],
        description=_l("10 digits, or 10 digits-3 digits for a branch. Leave empty if not known."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    business_type = SelectField(_l("Type of business"), validators=[DataRequired()])
    address = TextAreaField(
        _l("Address"), validators=[Optional(), Length(max=1000)], filters=[_strip], render_kw={"rows": 2}
    )
    commune_code = SelectField(_l("Commune"), validate_choice=True)
    latitude = StringField(
        _l("Latitude"),
        validators=[Optional(), Coordinate("lat")],
        filters=[_strip],
        description=_l("Decimal degrees, e.g. 10.3661. Give both coordinates or neither."),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    longitude = StringField(
        _l("Longitude"),
        validators=[Optional(), Coordinate("lon")],
        filters=[_strip],
        description=_l("Decimal degrees, e.g. 105.4237."),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    representative = StringField(
        _l("Legal representative or owner"), validators=[Optional(), Length(max=200)], filters=[_strip]
    )
    phone = StringField(
        _l("Phone"),
        validators=[Optional(), Length(max=30), VietnamesePhone()],
        filters=[_strip],
        render_kw={"inputmode": "tel", "autocomplete": "off"},
    )

    #: The commune the page proposed from the address or GPS and the user then left empty on purpose.
    commune_declined = HiddenField()

    def __init__(
        self,
        *args: Any,
        commune_choices: list[tuple[str, str]] | None = None,
        commune_required: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.business_type.choices = business_type_choices()
        placeholder = _l("Choose a commune") if commune_required else _l("— not known —")
        self.commune_code.choices = [("", str(placeholder)), *(commune_choices or [])]
        if commune_required:
            self.commune_code.validators = [DataRequired()]
            self.commune_code.flags.required = True

    def coordinates(self) -> tuple[float | None, float | None]:
        """The latitude and longitude as numbers (``None`` when empty); call after validation."""

        def number(raw: str | None, kind: str) -> float | None:
            return parse_coordinate(raw, kind=kind) if raw else None

        return number(self.latitude.data, "lat"), number(self.longitude.data, "lon")

    def values_readable(self) -> dict[str, Any]:
        """:meth:`values` after a failed validation: a field with an error counts as empty."""
        coordinates = (None, None) if self.latitude.errors or self.longitude.errors else self.coordinates()
        return {
            name: None if name in self.errors else value for name, value in self._values(*coordinates).items()
        }

    def values(self) -> dict[str, Any]:
        """The keyword arguments of ``create_establishment`` / ``update_establishment``."""
        return self._values(*self.coordinates())

    def _values(self, latitude: float | None, longitude: float | None) -> dict[str, Any]:
        return {
            "name": self.name.data,
            "tax_code": self.tax_code.data or None,
            "business_type": self.business_type.data,
            "address": self.address.data or None,
            "commune_code": self.commune_code.data or None,
            "latitude": latitude,
            "longitude": longitude,
            "representative": self.representative.data or None,
            "phone": self.phone.data or None,
        }
