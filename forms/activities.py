"""The activity form, the activity list's filters, and the admin's target form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from cases.enums import ActivityType, TargetMeasure
from cases.plan.activities import MAX_QUERY, ActivityFilters, ActivityInput
from cases.plan.activity_tasks import group_label
from cases.plan.targets import TargetInput
from forms import BaseForm
from forms.fields import MultiCheckboxField, VnDateField, WholeNumberField, YearField
from forms.ids import parse_version


def activity_type_choices() -> list[tuple[str, str]]:
    labels = {
        ActivityType.MEDIA: _l("Media campaign or broadcast"),
        ActivityType.CONFERENCE: _l("Conference or workshop"),
        ActivityType.TRAINING: _l("Training class"),
        ActivityType.ENTERPRISE_SUPPORT: _l("Support to enterprises"),
        ActivityType.SERVICE_FIELD: _l("Service field added"),
        ActivityType.GUIDANCE: _l("Guidance document issued"),
        ActivityType.POLICY_REVIEW: _l("Review of legal documents, policy advice"),
        ActivityType.PROJECT: _l("Project or scheme funded"),
        ActivityType.EQUIPMENT: _l("Equipment purchased"),
        ActivityType.ORGANISATION: _l("Organisation and experts"),
        ActivityType.TBT_ANSWER: _l("TBT enquiry answered or notified"),
        ActivityType.EXCHANGE: _l("Exchange or cooperation"),
        ActivityType.OTHER: _l("Other"),
    }
    return [(t.value, str(labels[t])) for t in ActivityType]


def activity_type_label(value: str | None) -> str:
    return dict(activity_type_choices()).get(value or "", value or "")


def target_measure_choices() -> list[tuple[str, str]]:
    return [
        (TargetMeasure.PER_YEAR.value, str(_l("Per year"))),
        (TargetMeasure.CUMULATIVE.value, str(_l("Cumulative over several years"))),
        (TargetMeasure.NONE.value, str(_l("No numeric target"))),
    ]


def target_measure_label(value: str | None) -> str:
    return dict(target_measure_choices()).get(value or "", value or "")


def grouped_task_choices(tasks: list[tuple[str, str, str]]) -> dict[str, list[tuple[str, str]]]:
    """``{group heading: [(code, label)]}`` for a select with option groups."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for group, code, label in tasks:
        grouped.setdefault(group_label(group), []).append((code, label))
    return grouped


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class ActivityForm(BaseForm):
    task_code = SelectField(_l("Task of the plan"), validators=[DataRequired()], validate_choice=False)
    activity_type = SelectField(_l("Type of activity"), validators=[DataRequired()], validate_choice=False)
    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=300)],
        filters=[_strip],
        description=_l("E.g. Hội nghị phổ biến Luật Chất lượng sản phẩm, hàng hóa sửa đổi."),
    )
    held_on = VnDateField(_l("Date held"), validators=[DataRequired()])
    end_on = VnDateField(
        _l("Last day"), validators=[Optional()], description=_l("Only for an activity of several days.")
    )
    quantity = WholeNumberField(
        _l("Quantity"),
        validators=[InputRequired()],
        description=_l("What counts towards the task: 1 broadcast, 1 class, 12 enterprises supported."),
    )
    unit = StringField(
        _l("Unit"),
        validators=[Optional(), Length(max=100)],
        filters=[_strip],
        description=_l("As the task counts it: lượt, lớp, doanh nghiệp…"),
    )
    participants = WholeNumberField(_l("Participants"), validators=[Optional()])
    responsible_unit = StringField(
        _l("Responsible unit"),
        validators=[Optional(), Length(max=300)],
        filters=[_strip],
        description=_l("E.g. Phòng Quản lý chuyên ngành, Sở Khoa học và Công nghệ."),
    )
    commune_code = SelectField(_l("Commune"), validate_choice=False)
    location = StringField(_l("Place"), validators=[Optional(), Length(max=300)], filters=[_strip])
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 3}
    )
    files = MultipleFileField(
        _l("Evidence files"),
        description=_l("Invitation, photos, attendance list: JPEG, PNG or WebP photos, or PDF."),
        render_kw={"accept": "image/jpeg,image/png,image/webp,application/pdf"},
    )
    version = HiddenField()

    def __init__(
        self,
        *args: Any,
        task_choices: dict[str, list[tuple[str, str]]] | None = None,
        commune_choices: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.task_code.choices = {"": [("", str(_l("Choose a task")))], **(task_choices or {})}
        self.activity_type.choices = [("", str(_l("Choose a type"))), *activity_type_choices()]
        self.commune_code.choices = [
            ("", str(_l("— province-wide or not tied to a commune —"))),
            *(commune_choices or []),
        ]

    def fill(self, data: ActivityInput) -> None:
        """Put an activity's values in the fields (a GET)."""
        for name in ActivityInput.__dataclass_fields__:
            getattr(self, name).data = getattr(data, name)
        self.commune_code.data = data.commune_code or ""

    def values(self) -> ActivityInput:
        """The typed values (fields WTForms could not parse are ``None``)."""
        return ActivityInput(
            task_code=self.task_code.data or None,
            activity_type=self.activity_type.data or None,
            held_on=self.held_on.data,
            end_on=self.end_on.data,
            title=self.title.data,
            quantity=self.quantity.data,
            unit=self.unit.data,
            participants=self.participants.data,
            responsible_unit=self.responsible_unit.data,
            commune_code=self.commune_code.data or None,
            location=self.location.data,
            description=self.description.data,
        )

    def chosen_files(self) -> list[Any]:
        return [f for f in (self.files.data or []) if getattr(f, "filename", None)]

    def expected_version(self) -> int | None:
        return parse_version(self.version.data)


def _arg(args: Mapping[str, str], name: str, limit: int) -> str:
    """A query-string value without control characters (PostgreSQL refuses NUL), at most ``limit`` long."""
    value = "".join(ch for ch in (args.get(name) or "") if ch >= " " and ch != "\x7f")
    return value.strip()[:limit]


def filters_from_args(
    args: Mapping[str, str], *, default_year: int | None
) -> tuple[ActivityFilters, dict[str, str]]:
    """The list's filters from the query string, and the values to show back in the filter form.

    ``year`` defaults to ``default_year``; ``year=all`` lists every year. Nonsense is ignored, never a 500.
    """
    raw_year = (args.get("year") or "").strip()
    year: int | None
    if raw_year == "all":
        year = None
    elif re.fullmatch(r"[0-9]{4}", raw_year) and 2000 <= int(raw_year) <= 2100:
        year = int(raw_year)
    else:
        year = default_year
        raw_year = str(default_year) if default_year else "all"
    shown = {
        "year": raw_year if year is None or raw_year == "all" else str(year),
        "task": _arg(args, "task", 20),
        "type": _arg(args, "type", 30),
        "commune": _arg(args, "commune", 10),
        "unit": _arg(args, "unit", MAX_QUERY),
        "q": _arg(args, "q", MAX_QUERY),
    }
    filters = ActivityFilters(
        year=year,
        task_code=shown["task"] or None,
        activity_type=shown["type"] or None,
        commune_code=shown["commune"] or None,
        responsible_unit=shown["unit"] or None,
        q=shown["q"] or None,
    )
    return filters, shown


class TargetForm(BaseForm):
    target_text = StringField(
        _l("Target as the plan words it"),
        validators=[Optional(), Length(max=300)],
        filters=[_strip],
        description=_l("E.g. 02 lượt/năm."),
    )
    target_measure = SelectField(_l("How the target is measured"), validators=[DataRequired()])
    target_value = WholeNumberField(
        _l("Numeric target"),
        validators=[Optional()],
        description=_l("Needed per year or cumulative; cleared when there is no numeric target."),
    )
    target_unit = StringField(
        _l("Unit of the target"), validators=[Optional(), Length(max=100)], filters=[_strip]
    )
    cumulative_from = YearField(_l("Counted from year"), validators=[Optional()])
    cumulative_to = YearField(_l("Until year"), validators=[Optional()])
    counts_activity_types = MultiCheckboxField(
        _l("Also counts every activity of these types, whatever its task"),
        validate_choice=False,
        description=_l("Objective II.1.a counts every conference and training class of the plan."),
    )
    reason = StringField(
        _l("Reason for the change"),
        validators=[Optional(), Length(max=300)],
        filters=[_strip],
        description=_l("E.g. the new plan's number and date. Kept in the audit trail."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target_measure.choices = target_measure_choices()
        self.counts_activity_types.choices = activity_type_choices()

    def fill(self, data: TargetInput) -> None:
        for name in TargetInput.__dataclass_fields__:
            getattr(self, name).data = getattr(data, name)

    def values(self) -> TargetInput:
        return TargetInput(
            target_text=self.target_text.data,
            target_value=self.target_value.data,
            target_unit=self.target_unit.data,
            target_measure=self.target_measure.data,
            cumulative_from=self.cumulative_from.data,
            cumulative_to=self.cumulative_to.data,
            counts_activity_types=list(self.counts_activity_types.data or []),
        )
