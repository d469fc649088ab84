"""Words for the values of the enums (``cases.enums``) and the choices of the forms, per locale."""

from __future__ import annotations

import functools
from collections.abc import Callable

from cases import enums
from cases.plan import targets as plan_targets
from forms.activities import activity_type_label


def per_locale(factory: Callable[[], dict[str, str]]) -> Callable[[], dict[str, str]]:
    """``factory()`` (a dictionary of translated labels) built once per locale, not once per call.

    A page shows a label per row (status, kind, field...); translating every label of the dictionary for
    each row made up most of a list page's rendering time. The result is shared: never modify it.
    """
    built: dict[str, dict[str, str]] = {}

    @functools.wraps(factory)
    def labels() -> dict[str, str]:
        from flask_babel import get_locale

        key = str(get_locale())
        found = built.get(key)
        if found is None:
            found = built[key] = factory()
        return found

    return labels


@per_locale
def _role_labels() -> dict[str, str]:
    from forms.users import role_choices

    return dict(role_choices())


def role_label(role: str) -> str:
    return _role_labels().get(role, role)


@per_locale
def _kind_labels() -> dict[str, str]:
    from flask_babel import gettext as _

    return {
        "inspection": _("Inspection"),
        "ecommerce": _("E-commerce check"),
        "survey": _("Survey"),
    }


def kind_labels() -> dict[str, str]:
    """Every kind's words in the current locale (shared: never modify it)."""
    return _kind_labels()


def kind_label(kind: str) -> str:
    return _kind_labels().get(kind, kind)


@per_locale
def _status_labels() -> dict[str, str]:
    from flask_babel import gettext as _

    return {
        "draft": _("Draft"),
        "submitted": _("Submitted"),
        "returned": _("Returned"),
        "approved": _("Approved"),
        "closed": _("Closed"),
        "cancelled": _("Cancelled"),
        # a finding's review state (cases.enums.FindingStatus), shown in the timeline
        "proposed": _("Proposed"),
        "confirmed": _("Confirmed"),
        "dismissed": _("Dismissed"),
    }


def status_labels() -> dict[str, str]:
    return _status_labels()


def status_label(status: str) -> str:
    return _status_labels().get(status, status)


def status_badge(status: str) -> str:
    return {
        "draft": "text-bg-secondary",
        "submitted": "text-bg-primary",
        "returned": "text-bg-warning",
        "approved": "text-bg-success",
        "closed": "text-bg-dark",
        "cancelled": "text-bg-light border",
    }.get(status, "text-bg-secondary")


@per_locale
def _field_labels() -> dict[str, str]:
    from flask_babel import gettext as _

    from forms.cases import field_choices

    # the catalog's e-commerce violations have a field of their own, which no case form offers
    return {**dict(field_choices()), "ecommerce": _("E-commerce")}


def field_labels() -> dict[str, str]:
    return _field_labels()


def field_label(field: str) -> str:
    return _field_labels().get(field, field)


def _choice_table(name: str) -> Callable[[], dict[str, str]]:
    def build() -> dict[str, str]:
        from forms import cases as case_forms

        return dict(getattr(case_forms, f"{name}_choices")())

    build.__name__ = f"_{name}_labels"
    return per_locale(build)


#: Words for a stored choice, by the kind of choice (``choice_label``'s first argument).
_CHOICE_TABLES: dict[str, Callable[[], dict[str, str]]] = {
    "platform": _choice_table("platform"),
    "issue": _choice_table("issue"),
    "action": _choice_table("action"),
    "mode": _choice_table("mode"),
}


def choice_tables() -> dict[str, Callable[[], dict[str, str]]]:
    """The label tables of ``choice_label``, by kind of choice."""
    return _CHOICE_TABLES


def choice_label(kind: str, value: str | None) -> str:
    """Words for a stored choice (platform, suspected issue, action, mode, business type)."""
    if not value:
        return ""
    table = _CHOICE_TABLES.get(kind)
    return table().get(value, value) if table else value


def sanction_form_label(value: str | None) -> str:
    from forms.review import sanction_form_choices

    return dict(sanction_form_choices()).get(value or "", "—") if value else "—"


def activity_types_named(value: str | None) -> str:
    return ", ".join(activity_type_label(t) for t in plan_targets.split_types(value))


@per_locale
def _target_status_labels() -> dict[str, str]:
    from flask_babel import gettext as _

    return {
        "met": _("Met"),
        "not_met": _("Not met"),
        "in_progress": _("In progress"),
        "no_target": _("No numeric target"),
    }


def target_status_label(status: str) -> str:
    return _target_status_labels().get(status, status)


@per_locale
def _report_status_labels() -> dict[str, str]:
    from flask_babel import gettext as _

    return {"draft": _("Draft"), "final": _("Finalised"), "superseded": _("Superseded")}


def report_status_label(status: str) -> str:
    return _report_status_labels().get(status, status)


@per_locale
def _document_type_labels() -> dict[str, str]:
    from flask_babel import gettext as _

    return {
        "decision": _("Decision to inspect"),
        "inspection-record": _("Inspection record"),
        "sampling-record": _("Sampling record"),
        "violation-record": _("Administrative violation record"),
        "sanction-decision": _("Sanction decision"),
    }


def document_type_label(doc_type: str) -> str:
    return _document_type_labels().get(doc_type, doc_type)


@per_locale
def _document_status_labels() -> dict[str, str]:
    from flask_babel import gettext as _

    return {
        "draft": _("Draft document"),
        "issued": _("Issued"),
        "voided": _("Voided"),
        "replaced": _("Replaced by a correction"),
    }


@per_locale
def _document_signature_labels() -> dict[str, str]:
    from flask_babel import gettext as _

    return {"signed": _("Signed"), "refused": _("Refused to sign")}


def document_signature_label(signature: str) -> str:
    return _document_signature_labels().get(signature, signature)


def document_status_label(status: str) -> str:
    return _document_status_labels().get(status, status)


@per_locale
def _team_role_labels() -> dict[str, str]:
    from flask_babel import gettext as _

    return {"leader": _("Team leader"), "member": _("Team member"), "technical": _("Technical officer")}


def team_role_label(role: str | None) -> str:
    return _team_role_labels().get(role or "", role or "")


def _tip_source_labels() -> dict[str, str]:
    from flask_babel import gettext as _

    return {
        "hotline": _("Hotline"),
        "letter": _("Letter or petition"),
        "email": _("E-mail or web portal"),
        "in_person": _("In person"),
        "media": _("Press or social media"),
        "agency": _("Passed on by another agency"),
        "other": _("Other source"),
    }


def tip_source_label(source: str) -> str:
    return _tip_source_labels().get(source, source)


@per_locale
def _tip_status_labels() -> dict[str, str]:
    from flask_babel import gettext as _

    return {"open": _("Open"), "used": _("Used as a ground"), "closed": _("Closed")}


def tip_status_label(status: str) -> str:
    return _tip_status_labels().get(status, status)


@per_locale
def _risk_band_labels() -> dict[str, str]:
    from flask_babel import gettext as _

    return {
        "A": _("A — highest risk"),
        "B": _("B — high risk"),
        "C": _("C — medium risk"),
        "D": _("D — low risk"),
        "E": _("E — lowest risk"),
    }


def risk_band_label(band: str) -> str:
    return _risk_band_labels().get(band, band)


@per_locale
def _actual_source_labels() -> dict[str, str]:
    from flask_babel import gettext as _

    return {"cases": _("The recorded cases"), "activities": _("The recorded activities")}


@per_locale
def _confidence_labels() -> dict[str, str]:
    from flask_babel import gettext as _

    return {
        "legal-text": _("Verified from the legal text"),
        "secondary": _("From a secondary source"),
        "uncertain": _("Uncertain"),
    }


def confidence_label(confidence: str) -> str:
    return _confidence_labels().get(confidence, confidence)


@per_locale
def _unit_type_labels() -> dict[str, str]:
    """The types of administrative units, today's and the former ones (Vietnamese words in both)."""
    from flask_babel import gettext as _

    return {
        "phuong": _("Ward (phường)"),
        "xa": _("Commune (xã)"),
        "dac_khu": _("Special zone (đặc khu)"),
        "thi_tran": _("Township (thị trấn)"),
        "thanh_pho": _("Provincial city (thành phố)"),
        "thi_xa": _("Town (thị xã)"),
        "huyen": _("District (huyện)"),
    }


def _table(choices: Callable[[], list[tuple[str, str]]]) -> Callable[[], dict[str, str]]:
    return per_locale(lambda: {value: str(label) for value, label in choices() if value})


def _security_kinds() -> dict[str, str]:
    from inspect_app.labels.accounts import security_kind_label

    return {kind.value: security_kind_label(kind.value) for kind in enums.SecurityEventKind}


def _session_ends() -> dict[str, str]:
    from inspect_app.labels.accounts import session_end_label

    return {reason.value: session_end_label(reason.value) for reason in enums.SessionEndReason}


@functools.cache
def enum_labels() -> dict[type, Callable[[], dict[str, str]]]:
    """The words for the values of every enum (``cases.enums``): the one table;
    ``tests/unit/test_every_code_has_words.py`` fails for an enum or a value missing here."""
    from forms import case_items, review
    from forms.activities import activity_type_choices, target_measure_choices
    from forms.establishments import business_type_choices

    return {
        enums.Role: _role_labels,
        enums.CommuneType: _unit_type_labels,
        enums.FormerDistrictType: _unit_type_labels,
        enums.FormerWardType: _unit_type_labels,
        enums.TargetMeasure: _table(target_measure_choices),
        enums.ActualSource: _actual_source_labels,
        enums.Confidence: _confidence_labels,
        enums.InspectionField: _field_labels,
        enums.CaseKind: _kind_labels,
        enums.CaseStatus: _status_labels,
        enums.InspectionMode: _CHOICE_TABLES["mode"],
        enums.BusinessType: _table(business_type_choices),
        enums.Platform: _CHOICE_TABLES["platform"],
        enums.SuspectedIssue: _CHOICE_TABLES["issue"],
        enums.EcommerceAction: _CHOICE_TABLES["action"],
        enums.ItemResult: _table(lambda: case_items.result_choices(pending=True)),
        enums.SealCondition: _table(case_items.seal_choices),
        enums.InstrumentType: _table(case_items.instrument_type_choices),
        enums.OffenderType: _table(case_items.offender_choices),
        enums.FindingStatus: _status_labels,
        enums.SanctionForm: _table(review.sanction_form_choices),
        enums.ActivityType: _table(activity_type_choices),
        enums.ReportStatus: _report_status_labels,
        enums.DocumentType: _document_type_labels,
        enums.DocumentStatus: _document_status_labels,
        enums.DocumentSignature: _document_signature_labels,
        enums.TeamRole: _team_role_labels,
        enums.TargetStatus: _target_status_labels,
        enums.SecurityEventKind: _security_kinds,
        enums.SessionEndReason: _session_ends,
        enums.TipSource: _tip_source_labels,
        enums.TipStatus: _tip_status_labels,
        enums.RiskBand: _risk_band_labels,
    }
