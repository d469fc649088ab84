"""Field types shared by the forms: numbers and VND amounts as the user's language writes them,
coordinates, dates in both Vietnamese and ISO forms."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectMultipleField, StringField, widgets


class VndField(StringField):
    """A VND amount typed the Vietnamese way (``forms.validators.parse_vnd``); ``data`` is an int or ``None``.

    A negative amount is refused beside the field; what the user typed is shown back on an error.
    """

    data: int | None  # type: ignore[assignment]  # the stubs: a StringField's data is a str

    def process_formdata(self, valuelist: list[Any]) -> None:
        from forms.validators import parse_vnd

        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            value = parse_vnd(str(valuelist[0]))
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter an amount in đồng, e.g. 1.500.000.")) from None
        if value < 0:
            self.data = None
            raise ValueError(_l("The amount cannot be negative."))
        self.data = value

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        if self.data is None:
            return ""
        return f"{int(self.data):,}".replace(",", ".")


class DecimalNumberField(StringField):
    """A decimal number as the current locale writes it (``forms.numbers``): ``1.250,5`` in Vietnamese.

    ``data`` is a float or ``None``. An entry the locale would not write (``1.25`` in Vietnamese) is refused
    beside the field with the way to write it; ``min_value=0`` refuses a negative number. The value is
    written back in the same locale's format, and what the user typed is shown back on an error.
    """

    data: float | None  # type: ignore[assignment]  # the stubs: a StringField's data is a str

    def __init__(self, *args: Any, min_value: float | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "decimal")
        kwargs["render_kw"].setdefault("autocomplete", "off")
        super().__init__(*args, **kwargs)
        self.min_value = min_value

    def _parse(self, text: str) -> Any:
        from forms.numbers import parse_float

        return parse_float(text)

    def process_formdata(self, valuelist: list[Any]) -> None:
        from forms.numbers import NumberInputError

        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            value = self._parse(str(valuelist[0]))
        except NumberInputError as exc:
            self.data = None
            raise ValueError(str(exc)) from None
        if self.min_value is not None and value < self.min_value:
            self.data = None
            raise ValueError(_l("This cannot be negative."))
        self.data = value

    def _value(self) -> str:
        from forms.numbers import format_number_input

        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else format_number_input(self.data)


class WholeNumberField(DecimalNumberField):
    """A whole number as the current locale writes it (``1.000`` is one thousand in Vietnamese); ``data``
    is an int or ``None``. Pair with ``NumberRange`` for bounds. Not for years: see ``YearField``."""

    data: int | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "numeric")
        super().__init__(*args, **kwargs)

    def _parse(self, text: str) -> Any:
        from forms.numbers import parse_whole_number

        return parse_whole_number(text)


class YearField(StringField):
    """A year, four digits as everybody writes it (never grouped: ``2025``, not ``2.025``)."""

    data: int | None  # type: ignore[assignment]  # the stubs: a StringField's data is a str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        render_kw = kwargs.setdefault("render_kw", {})
        render_kw.setdefault("inputmode", "numeric")
        render_kw.setdefault("maxlength", 4)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip() if valuelist else ""
        if not text:
            self.data = None
            return
        if not (len(text) == 4 and text.isascii() and text.isdigit()):
            self.data = None
            raise ValueError(_l("Enter a year of four digits, e.g. 2025."))
        self.data = int(text)

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else str(self.data)


class CoordinateField(StringField):
    """A latitude or longitude in decimal degrees (a decimal comma is accepted)."""

    data: float | None  # type: ignore[assignment]  # the stubs: a StringField's data is a str

    def __init__(self, *args: Any, kind: str = "lat", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def process_formdata(self, valuelist: list[Any]) -> None:
        from forms.validators import parse_coordinate

        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = parse_coordinate(str(valuelist[0]), kind=self.kind)
        except ValueError as exc:
            self.data = None
            raise ValueError(str(exc)) from None

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else f"{self.data:.6f}".rstrip("0").rstrip(".")


class VnDateField(DateField):
    """A date typed as DD/MM/YYYY (shown that way whatever the browser's language); YYYY-MM-DD is accepted."""

    widget = widgets.TextInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%d/%m/%Y", "%Y-%m-%d"])
        render_kw = kwargs.setdefault("render_kw", {})
        render_kw.setdefault("placeholder", "dd/mm/yyyy")
        render_kw.setdefault("inputmode", "numeric")
        render_kw.setdefault("autocomplete", "off")
        render_kw.setdefault("data-date", "")
        super().__init__(*args, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime("%d/%m/%Y") if self.data else ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a real date as DD/MM/YYYY.")) from None


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
