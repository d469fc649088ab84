"""Forms of the review page: the decision on a finding (confirm with the sanction, dismiss, refer) and the
payment and remedy dates recorded later. Several sit on one page, so each is built with a prefix."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from cases.enums import SanctionForm
from cases.review.decisions import Decision, Referral
from forms import BaseForm
from forms.case_items import offender_choices
from forms.fields import VnDateField, VndField

DECISIONS = ("confirm", "dismiss", "refer")


def sanction_form_choices() -> list[tuple[str, str]]:
    labels = {
        SanctionForm.WARNING: _l("Warning"),
        SanctionForm.FINE: _l("Fine"),
        SanctionForm.REVOCATION: _l("Licence withdrawn or activity suspended"),
        SanctionForm.CONFISCATION: _l("Confiscation or destruction of goods"),
    }
    return [("", str(_l("— choose —"))), *((s.value, str(labels[s])) for s in SanctionForm)]


class DecisionForm(BaseForm):
    decision = HiddenField()
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 2})
    offender_type = SelectField(_l("Offender"), validators=[Optional()])
    sanction_form = SelectField(_l("Sanction"), validators=[Optional()])
    decision_number = StringField(_l("Decision number"), validators=[Optional(), Length(max=100)])
    decision_date = VnDateField(_l("Decision date"), validators=[Optional()])
    fine_vnd = VndField(_l("Fine decided (VND)"), validators=[Optional()], render_kw={"inputmode": "numeric"})
    override_reason = TextAreaField(
        _l("Reason for a fine outside the catalog range"),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 2},
    )
    additional_penalties = TextAreaField(
        _l("Additional penalties"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 2}
    )
    remedies = TextAreaField(
        _l("Remedial measures decided"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 2}
    )
    deadline = VnDateField(_l("Deadline"), validators=[Optional()])
    seized_goods_value_vnd = VndField(
        _l("Value of goods confiscated or destroyed (VND)"),
        validators=[Optional()],
        render_kw={"inputmode": "numeric"},
    )
    referral_agency = StringField(_l("Agency referred to"), validators=[Optional(), Length(max=255)])
    referral_on = VnDateField(_l("Referred on"), validators=[Optional()])
    referral_reference = StringField(_l("Their reference"), validators=[Optional(), Length(max=100)])
    version = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offender_type.choices = offender_choices()
        self.sanction_form.choices = sanction_form_choices()

    def to_input(self) -> Decision:
        """What the form holds, as the domain reads a decision."""
        return Decision(**{name: getattr(self, name).data for name in Decision.__dataclass_fields__})

    def to_referral(self) -> Referral:
        return Referral(
            agency=self.referral_agency.data,
            referred_on=self.referral_on.data,
            reference=self.referral_reference.data,
        )


class PaymentForm(BaseForm):
    fine_paid_on = VnDateField(_l("Fine paid on"), validators=[Optional()])
    remedy_done_on = VnDateField(_l("Remedy done on"), validators=[Optional()])
    version = HiddenField()
