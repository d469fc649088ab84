"""Forms for what was checked on a case (instruments, prepackaged lots, goods, samples) and its findings."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from cases.enums import InstrumentType, ItemResult, OffenderType, SealCondition
from cases.inspection.items import GoodsInput, InstrumentInput, LotInput, SampleInput
from cases.inspection.prepackaged import UNITS
from cases.review.findings import FindingInput
from forms import BaseForm
from forms.fields import DecimalNumberField, VnDateField, VndField, WholeNumberField
from forms.ids import parse_id

# --- fields ------------------------------------------------------------------------------------------


def _date_field(label: Any, **kwargs: Any) -> VnDateField:
    """An optional date typed as DD/MM/YYYY (the house style, ``forms.fields.VnDateField``)."""
    return VnDateField(label, validators=[Optional()], **kwargs)


def _count_field(label: Any, **kwargs: Any) -> WholeNumberField:
    return WholeNumberField(
        label,
        validators=[InputRequired(), NumberRange(min=0, message=_l("This cannot be negative."))],
        default=0,
        render_kw={"inputmode": "numeric", "min": 0},
        **kwargs,
    )


# --- choices -----------------------------------------------------------------------------------------


def instrument_type_choices() -> list[tuple[str, str]]:
    labels = {
        InstrumentType.FUEL_PUMP: _l("Fuel dispenser"),
        InstrumentType.LPG_DISPENSER: _l("LPG dispenser"),
        InstrumentType.FUEL_METER: _l("Fuel flow meter"),
        InstrumentType.TANK_GAUGE: _l("Automatic fuel tank gauge"),
        InstrumentType.TANKER: _l("Tanker truck"),
        InstrumentType.SPRING_SCALE: _l("Dial spring scale"),
        InstrumentType.PLATFORM_SCALE: _l("Platform, pan or hanging scale"),
        InstrumentType.PRECISION_BALANCE: _l("Analytical or precision balance"),
        InstrumentType.TRUCK_SCALE: _l("Truck scale"),
        InstrumentType.WEIGHT: _l("Standard weight"),
        InstrumentType.WATER_METER: _l("Water meter"),
        InstrumentType.ELECTRICITY_METER: _l("Electricity meter"),
        InstrumentType.GAS_METER: _l("Gas meter"),
        InstrumentType.TAXIMETER: _l("Taximeter"),
        InstrumentType.MOISTURE_METER: _l("Grain moisture meter"),
        InstrumentType.OTHER: _l("Other"),
    }
    return [(t.value, str(labels[t])) for t in InstrumentType]


def seal_choices() -> list[tuple[str, str]]:
    return [
        (SealCondition.INTACT.value, str(_l("Seal intact"))),
        (SealCondition.BROKEN.value, str(_l("Seal broken"))),
        (SealCondition.MISSING.value, str(_l("No seal"))),
    ]


def result_choices(*, pending: bool = False) -> list[tuple[str, str]]:
    choices = [(ItemResult.PASS.value, str(_l("Pass"))), (ItemResult.FAIL.value, str(_l("Fail")))]
    if pending:
        choices.insert(0, (ItemResult.PENDING.value, str(_l("Waiting for the result"))))
    return choices


def offender_choices() -> list[tuple[str, str]]:
    return [
        (OffenderType.INDIVIDUAL.value, str(_l("Individual"))),
        (OffenderType.ORGANISATION.value, str(_l("Organisation (fines × 2)"))),
    ]


def unit_choices() -> list[tuple[str, str]]:
    return [(u, u) for u in UNITS]


#: Suggestions for the goods' product group (DOMAIN.md §7); the field stays free text.
PRODUCT_GROUPS = (
    "xăng dầu",
    "khí LPG",
    "vàng trang sức mỹ nghệ",
    "mũ bảo hiểm",
    "đồ chơi trẻ em",
    "thiết bị điện-điện tử",
    "thép",
    "hàng đóng gói sẵn",
    "phân bón",
    "thực phẩm",
    "mỹ phẩm",
)

#: Suggestions for the unit of an instrument's error.
ERROR_UNITS = ("%", "mL", "L", "g", "kg", "mg")


# --- forms -------------------------------------------------------------------------------------------


class _InputForm(BaseForm):
    """A form whose fields are named as the fields of the domain's input dataclass ``input_class``."""

    input_class: type

    def to_input(self, **values: Any) -> Any:
        """The input of what was typed (``values`` given here replace the fields')."""
        for f in dataclasses.fields(self.input_class):
            if f.name in self._fields and f.name not in values:
                values[f.name] = self._fields[f.name].data
        return self.input_class(**values)


class InstrumentForm(_InputForm):
    input_class = InstrumentInput
    instrument_type = SelectField(_l("Type of instrument"), validators=[DataRequired()])
    description = StringField(
        _l("Name, model, maker"),
        validators=[Optional(), Length(max=300)],
        description=_l("E.g. Tatsuno, pump no. 2"),
    )
    serial_number = StringField(_l("Serial number"), validators=[Optional(), Length(max=100)])
    certificate_number = StringField(
        _l("Verification stamp or certificate number"), validators=[Optional(), Length(max=100)]
    )
    certificate_expiry = _date_field(_l("Verification valid until"))
    seal_condition = SelectField(_l("Seal"), validators=[Optional()])
    measured_error = DecimalNumberField(
        _l("Measured error"), validators=[Optional()], description=_l("Negative when the delivery is short.")
    )
    error_limit = DecimalNumberField(
        _l("Maximum permissible error"),
        validators=[Optional()],
        description=_l("Required with a measured error; the instrument fails when |error| is above it."),
    )
    error_unit = StringField(_l("Unit of the error"), validators=[Optional(), Length(max=20)])
    other_nonconformity = BooleanField(
        _l("Other non-conformity"),
        description=_l("Tick to mark the instrument failed for another reason, and say why in the notes."),
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 3})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument_type.choices = [("", str(_l("— choose —"))), *instrument_type_choices()]
        self.seal_condition.choices = [("", str(_l("— not checked —"))), *seal_choices()]


class LotForm(_InputForm):
    input_class = LotInput

    product = StringField(_l("Product"), validators=[DataRequired(), Length(max=300)])
    nominal_quantity = DecimalNumberField(
        _l("Nominal quantity Qn"),
        validators=[InputRequired()],
        min_value=0,
        description=_l("As printed on the package."),
    )
    unit = SelectField(_l("Unit"), validators=[DataRequired()])
    sample_size = WholeNumberField(
        _l("Sample size n"),
        validators=[InputRequired(), NumberRange(min=1, message=_l("The sample has at least one unit."))],
        render_kw={"inputmode": "numeric", "min": 1},
    )
    mean_measured = DecimalNumberField(
        _l("Mean actual quantity"),
        validators=[InputRequired()],
        min_value=0,
        description=_l("In the same unit as Qn."),
    )
    count_short_over_t = _count_field(_l("Units short by more than T"))
    count_short_over_2t = _count_field(_l("Units short by more than 2T"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 3})
    confirm_far_mean = BooleanField(_l("Yes, the mean and Qn are right as typed"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit.choices = unit_choices()


class GoodsForm(_InputForm):
    input_class = GoodsInput

    name = StringField(_l("Goods"), validators=[DataRequired(), Length(max=300)])
    product_group = StringField(
        _l("Product group"),
        validators=[Optional(), Length(max=100)],
        description=_l("Choose a suggestion or type another group."),
    )
    origin = StringField(_l("Origin"), validators=[Optional(), Length(max=200)])
    quantity = DecimalNumberField(_l("Quantity"), validators=[Optional()], min_value=0)
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=30)])
    value_vnd = VndField(_l("Value (VND)"), validators=[Optional()], render_kw={"inputmode": "numeric"})
    label_observation = TextAreaField(
        _l("Label"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 2}
    )
    cr_mark_observation = TextAreaField(
        _l("CR mark and conformity declaration"),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 2},
    )
    barcode = StringField(
        _l("Barcode"),
        validators=[Optional(), Length(max=20)],
        description=_l("8 or 13 digits, e.g. 8931234567897."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    barcode_observation = TextAreaField(
        _l("Barcode observations"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Also where to write down a barcode that is not valid."),
        render_kw={"rows": 2},
    )
    result = SelectField(_l("Result"), validators=[DataRequired()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.result.choices = result_choices()


class SampleForm(_InputForm):
    input_class = SampleInput

    name = StringField(_l("Sample"), validators=[DataRequired(), Length(max=300)])
    code = StringField(_l("Sample code"), validators=[Optional(), Length(max=50)])
    standard = StringField(
        _l("Standard or regulation"),
        validators=[Optional(), Length(max=100)],
        description=_l("E.g. QCVN 1:2022/BKHCN, TCVN 6776:2018."),
    )
    lab = StringField(_l("Laboratory"), validators=[Optional(), Length(max=200)])
    sent_on = _date_field(_l("Sent to the lab on"))
    tested_on = _date_field(_l("Tested on"))
    nominal_value = DecimalNumberField(_l("Declared or nominal value"), validators=[Optional()])
    measured_value = DecimalNumberField(_l("Measured value"), validators=[Optional()])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=30)])
    result = SelectField(_l("Result"), validators=[DataRequired()])
    establishment_id = SelectField(_l("Establishment where the sample was taken"), validators=[Optional()])
    quantity = DecimalNumberField(_l("Quantity taken"), validators=[Optional()], min_value=0)
    quantity_unit = StringField(
        _l("Unit of the quantity taken"),
        validators=[Optional(), Length(max=30)],
        description=_l("E.g. lít, chai, kg."),
    )
    seal_number = StringField(_l("Seal number"), validators=[Optional(), Length(max=60)])
    stock_quantity = StringField(
        _l("Quantity held by the establishment when sampled"),
        validators=[Optional(), Length(max=100)],
        description=_l("E.g. 12.000 lít in the tank, 40 thùng."),
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 3})

    def __init__(self, *args: Any, establishment_choices: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.result.choices = result_choices(pending=True)
        self.establishment_id.choices = [("", str(_l("— none —"))), *(establishment_choices or [])]
        if self.establishment_id.data is None:
            self.establishment_id.data = ""

    def to_input(self, **values: Any) -> SampleInput:
        raw = self.establishment_id.data
        return super().to_input(establishment_id=parse_id(raw) if raw else None, **values)


class FindingForm(_InputForm):
    input_class = FindingInput

    violation_id = SelectField(_l("Violation"), validators=[DataRequired()])
    offender_type = SelectField(_l("Offender"), validators=[DataRequired()])
    goods_description = TextAreaField(
        _l("Goods involved"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 2}
    )
    goods_quantity = DecimalNumberField(_l("Quantity of goods"), validators=[Optional()], min_value=0)
    goods_unit = StringField(_l("Unit"), validators=[Optional(), Length(max=30)])
    goods_value_vnd = VndField(
        _l("Value of the goods (VND)"), validators=[Optional()], render_kw={"inputmode": "numeric"}
    )
    proposed_fine_vnd = VndField(
        _l("Proposed fine (VND)"), validators=[Optional()], render_kw={"inputmode": "numeric"}
    )
    proposed_remedies = TextAreaField(
        _l("Proposed remedial measures"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Left empty, the catalog's usual measures are filled in."),
        render_kw={"rows": 3},
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 2})
    version = HiddenField()

    def __init__(
        self, *args: Any, violation_choices: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        """``violation_choices``: ``(id, label)`` of the entries one may choose (the template groups them)."""
        super().__init__(*args, **kwargs)
        self.violation_id.choices = [("", str(_l("— choose —"))), *(violation_choices or [])]
        self.offender_type.choices = offender_choices()

    def to_input(self, **values: Any) -> FindingInput:
        raw = self.violation_id.data
        return super().to_input(violation_id=parse_id(raw) if raw else None, **values)
