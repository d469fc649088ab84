"""Forms of the annual report page: the text (heading, narrative, signature), finalising, a new revision."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cases.reporting.annual_report import MAX_TEXT, MAY_BE_EMPTY, TASK_GROUPS, ReportText
from forms import BaseForm
from forms.fields import VnDateField
from forms.ids import parse_version


def _area(label: str, rows: int = 5) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=MAX_TEXT)], render_kw={"rows": rows})


def _none() -> BooleanField:
    """The tick that says a section has nothing to report this year (then the PDF says so in words)."""
    return BooleanField(
        _l("Nothing to report"),
        description=_l("Tick when there is nothing to report under this heading this year."),
    )


class ReportTextForm(BaseForm):
    version = HiddenField()
    number_symbol = StringField(
        _l("Number and symbol"),
        validators=[Optional(), Length(max=60)],
        description=_l(
            "As in Decree 30/2020, e.g. 05/BC-SKHCN; keep …/BC-SKHCN until the office numbers it."
        ),
    )
    report_date = VnDateField(_l("Date of the report"), validators=[Optional()])
    signer_authority = StringField(
        _l("Signing authority"),
        validators=[Optional(), Length(max=30)],
        description=_l("e.g. KT. GIÁM ĐỐC, TM. …, or empty when the director signs"),
    )
    signer_title = StringField(_l("Signer's title"), validators=[Optional(), Length(max=100)])
    signer_name = StringField(_l("Signer's name"), validators=[Optional(), Length(max=120)])
    recipients = TextAreaField(
        _l("Recipients"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 4},
        description=_l("One per line; the last one is the archive, e.g. Lưu: VT, TĐC."),
    )
    overall_assessment = _area(_l("Overall assessment"), 6)
    group_1 = _area(_l("Task group 1: awareness"))
    group_2 = _area(_l("Task group 2: policies and support to enterprises"))
    group_3 = _area(_l("Task group 3: organisation and people"))
    group_4 = _area(_l("Task group 4: investment and funding"))
    group_5 = _area(_l("Task group 5: inspection, checking and supervision"))
    group_6 = _area(_l("Task group 6: international integration"))
    limitations = _area(_l("Limitations and their causes"))
    directions = _area(_l("Directions and tasks for next year"))
    recommendations = _area(_l("Recommendations"))
    group_1_none = _none()
    group_2_none = _none()
    group_3_none = _none()
    group_4_none = _none()
    group_5_none = _none()
    group_6_none = _none()
    limitations_none = _none()
    recommendations_none = _none()

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields' own checks, then a section both written and ticked "nothing to report" (every such
        section is named at once, beside its tick)."""
        valid = super().validate(extra_validators)
        for section in MAY_BE_EMPTY:
            tick = getattr(self, f"{section}_none")
            if tick.data and (getattr(self, section).data or "").strip():
                tick.errors = [
                    *tick.errors,
                    _("This section has text: delete the text, or untick “nothing to report”."),
                ]
                valid = False
        return valid

    def fill_from(self, text: ReportText, version: int | None) -> None:
        for name in (
            "number_symbol",
            "report_date",
            "signer_authority",
            "signer_title",
            "signer_name",
            "recipients",
            "overall_assessment",
            "limitations",
            "directions",
            "recommendations",
        ):
            getattr(self, name).data = getattr(text, name)
        for group in TASK_GROUPS:
            getattr(self, f"group_{group}").data = text.group_results.get(group)
        for section in MAY_BE_EMPTY:
            getattr(self, f"{section}_none").data = section in text.nothing_to_report
        self.version.data = str(version) if version is not None else ""

    def to_text(self) -> ReportText:
        return ReportText(
            number_symbol=self.number_symbol.data,
            report_date=self.report_date.data,
            signer_authority=self.signer_authority.data,
            signer_title=self.signer_title.data,
            signer_name=self.signer_name.data,
            recipients=self.recipients.data,
            overall_assessment=self.overall_assessment.data,
            group_results={g: getattr(self, f"group_{g}").data or "" for g in TASK_GROUPS},
            limitations=self.limitations.data,
            directions=self.directions.data,
            recommendations=self.recommendations.data,
            nothing_to_report=[s for s in MAY_BE_EMPTY if getattr(self, f"{s}_none").data],
        )

    def expected_version(self) -> int | None:
        return parse_version(self.version.data)


class FinaliseForm(BaseForm):
    version = HiddenField()


class RevisionForm(BaseForm):
    reason = TextAreaField(
        _l("Why a new revision"),
        validators=[DataRequired(), Length(max=2000)],
        render_kw={"rows": 2},
        description=_l("The reason is kept with the new revision and in the audit trail."),
    )
