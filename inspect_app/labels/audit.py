"""Words for the audit trail: a label for every audited field of every audited model, and each stored value
written the house way (dates DD/MM/YYYY, money ``1.500.000 ₫``, decimals ``1.250`` / ``0,43``, Có/Không,
a choice by its label, a reference by the thing's name or number).

One table, :data:`AUDITED`, says it all, by ``entity_type`` (``cases.audit.trail.ENTITY_TYPES``):

- ``forms``: the form classes whose field labels name the columns (the words the user typed them under);
- ``labels``: the labels of the columns no form has (bookkeeping set by the workflow, derived values);
- ``kinds``: how a value is written when the column's type does not say it (a choice, a reference, money,
  coordinates, a year...); dates, times, booleans, decimals and whole numbers follow the column's type.

A new audited model (or a new column) gets its entry here: ``tests/unit/test_audit_labels.py`` walks the
audited columns of every model of ``ENTITY_TYPES`` and fails for a column without a label. Another part of
the app may add an entity with :func:`register`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Float, Integer
from sqlalchemy import inspect as sa_inspect

#: How a value is written: ``("choice", table)``, ``("ref", thing)``, or one of the plain kinds below.
Kind = str | tuple[str, str]
MONEY, COORDINATE, YEAR, BYTES, TEXT, CODES = "money", "coordinate", "year", "bytes", "text", "codes"


@dataclass
class Audited:
    """What the trail needs to speak about one audited model."""

    name: Any  # the (lazy) words for the thing: "measuring instrument"
    forms: tuple[str, ...] = ()  # "module:Class" of the forms whose labels name the columns
    labels: dict[str, Any] = field(default_factory=dict)
    kinds: dict[str, Kind] = field(default_factory=dict)
    #: labels that differ by kind of case (the e-commerce form's "Outcome" is the conclusion)
    kind_forms: dict[str, str] = field(default_factory=dict)


_CASE_FORMS = "forms.cases:InspectionForm", "forms.cases:EcommerceForm", "forms.cases:SurveyForm"

AUDITED: dict[str, Audited] = {
    "case": Audited(
        name=_l("case"),
        forms=_CASE_FORMS,
        kind_forms={
            "inspection": "forms.cases:InspectionForm",
            "ecommerce": "forms.cases:EcommerceForm",
            "survey": "forms.cases:SurveyForm",
        },
        labels={
            "number": _l("Case number"),
            "kind": _l("Kind of case"),
            "status": _l("Status"),
            "fields": _l("Fields checked"),
            "team_ids": _l("Team members"),
            "follow_up_of_id": _l("Follow-up of"),
            "submitted_at": _l("Submitted at"),
            "return_note": _l("Note for the inspector"),
            "returned_at": _l("Returned at"),
            "cancel_reason": _l("Reason for the cancellation"),
            "import_ref": _l("Reference in the imported file"),
            "tip_id": _l("Tip or complaint (ground of the case)"),
            "clear_signs": _l("Clear signs of a violation"),
            "clear_signs_text": _l("The clear signs of a violation"),
            "yearly_override_reason": _l("Reason for a second inspection this year"),
            "yearly_override_by_id": _l("Second inspection this year allowed by"),
        },
        kinds={
            "kind": ("choice", "case_kind"),
            "status": ("choice", "status"),
            "mode": ("choice", "mode"),
            "platform": ("choice", "platform"),
            "action": ("choice", "action"),
            "suspected_issue": ("choice", "issue"),
            "fields": ("choice", "field"),
            "commune_code": ("ref", "commune"),
            "former_ward_code": ("ref", "former_ward"),
            "establishment_id": ("ref", "establishment"),
            "follow_up_of_id": ("ref", "case"),
            "campaign_id": ("ref", "campaign"),
            "yearly_override_by_id": ("ref", "user"),
            "team_ids": ("ref", "user"),
            "team_leader_id": ("ref", "user"),
            "technical_officer_id": ("ref", "user"),
            "price_vnd": MONEY,
            "latitude": COORDINATE,
            "longitude": COORDINATE,
        },
    ),
    "instrument": Audited(
        name=_l("measuring instrument"),
        forms=("forms.case_items:InstrumentForm",),
        labels={"result": _l("Result")},
        kinds={
            "instrument_type": ("choice", "instrument_type"),
            "seal_condition": ("choice", "seal"),
            "result": ("choice", "item_result"),
        },
    ),
    "prepackaged_lot": Audited(
        name=_l("prepackaged lot"),
        forms=("forms.case_items:LotForm",),
        labels={"result": _l("Result")},
        kinds={"result": ("choice", "item_result")},
    ),
    "goods": Audited(
        name=_l("goods"),
        forms=("forms.case_items:GoodsForm",),
        kinds={"result": ("choice", "item_result"), "value_vnd": MONEY},
    ),
    "sample": Audited(
        name=_l("sample"),
        forms=("forms.case_items:SampleForm",),
        kinds={"result": ("choice", "item_result"), "establishment_id": ("ref", "establishment")},
    ),
    "finding": Audited(
        name=_l("finding"),
        forms=("forms.case_items:FindingForm", "forms.review:DecisionForm", "forms.review:PaymentForm"),
        labels={
            "status": _l("Status"),
            "decided_fine_vnd": _l("Fine decided (VND)"),
            "review_reason": _l("Reason"),
            "reviewed_by_id": _l("Reviewed by"),
            "reviewed_at": _l("Reviewed at"),
            "fine_override_reason": _l("Reason for a fine outside the catalog range"),
            "remedies_decided": _l("Remedial measures decided"),
            # the decision form's field names differ from the columns they fill
            "sanction_form": _l("Sanction"),
        },
        kinds={
            "violation_id": ("ref", "violation"),
            "offender_type": ("choice", "offender"),
            "status": ("choice", "status"),
            "sanction_form": ("choice", "sanction_form"),
            "reviewed_by_id": ("ref", "user"),
            "goods_value_vnd": MONEY,
            "proposed_fine_vnd": MONEY,
            "decided_fine_vnd": MONEY,
            "seized_goods_value_vnd": MONEY,
        },
    ),
    "evidence": Audited(
        name=_l("evidence file"),
        labels={
            "finding_id": _l("Finding"),
            "original_name": _l("File name"),
            "content_type": _l("Type of file"),
            "size_bytes": _l("Size"),
            "captured_at": _l("Taken at"),
            "note": _l("Note"),
        },
        kinds={
            "finding_id": ("ref", "finding"),
            "content_type": ("choice", "content_type"),
            "size_bytes": BYTES,
        },
    ),
    "activity": Audited(
        name=_l("activity"),
        forms=("forms.activities:ActivityForm",),
        kinds={
            "task_code": ("ref", "task"),
            "activity_type": ("choice", "activity_type"),
            "commune_code": ("ref", "commune"),
        },
    ),
    "activity_file": Audited(
        name=_l("activity file"),
        labels={
            "activity_id": _l("Activity"),
            "original_name": _l("File name"),
            "content_type": _l("Type of file"),
            "size_bytes": _l("Size"),
        },
        kinds={
            "activity_id": ("ref", "activity"),
            "content_type": ("choice", "content_type"),
            "size_bytes": BYTES,
        },
    ),
    "plan_task": Audited(
        name=_l("task of the plan"),
        forms=("forms.activities:TargetForm",),
        labels={
            "code": _l("Task"),
            "task_group": _l("Task group"),
            "sort_order": _l("Order in the plan"),
            "content": _l("Content of the task"),
            "lead_unit": _l("Lead unit"),
            "coordinating_units": _l("Coordinating units"),
            "timing": _l("Timing"),
            "target_following_years": _l("Target for the following years"),
            "actual_source": _l("Where the actual figure comes from"),
        },
        kinds={
            "task_group": ("choice", "task_group"),
            "target_measure": ("choice", "target_measure"),
            "actual_source": ("choice", "actual_source"),
            "counts_activity_types": CODES,
            "cumulative_from": YEAR,
            "cumulative_to": YEAR,
        },
    ),
    "annual_report": Audited(
        name=_l("annual report"),
        forms=("forms.reports:ReportTextForm",),
        labels={
            "year": _l("Year"),
            "revision": _l("Revision"),
            "status": _l("Status"),
            "group_results": _l("Results by task group"),
            "snapshot": _l("Figures frozen when finalised"),
            "snapshot_sha256": _l("Fingerprint of the frozen figures"),
            "finalised_at": _l("Finalised at"),
            "finalised_by_id": _l("Finalised by"),
            "superseded_at": _l("Superseded at"),
            "supersede_reason": _l("Reason for the new revision"),
            "updated_by_id": _l("Last edited by"),
            "nothing_to_report": _l("Sections marked “nothing to report”"),
        },
        kinds={
            "year": YEAR,
            "status": ("choice", "report_status"),
            "nothing_to_report": ("choice", "report_section"),
            "finalised_by_id": ("ref", "user"),
            "updated_by_id": ("ref", "user"),
            "snapshot_sha256": TEXT,
        },
    ),
    "document": Audited(
        name=_l("official document"),
        labels={
            "doc_type": _l("Type of document"),
            "template_id": _l("Template version"),
            "finding_id": _l("Finding"),
            "status": _l("Status"),
            "year": _l("Year"),
            "sequence": _l("Sequence number"),
            "number": _l("Document number"),
            "issued_on": _l("Date of the document"),
            "issued_at": _l("Issued at"),
            "issued_by_id": _l("Issued by"),
            "signer_name": _l("Signer"),
            "signer_title": _l("Signer's title"),
            "fine_vnd": _l("Fine"),
            "snapshot": _l("Content frozen at issue"),
            "sha256": _l("Fingerprint of the frozen content"),
            "replaces_id": _l("Replaces document"),
            "void_reason": _l("Reason for voiding"),
            "voided_at": _l("Voided at"),
            "texts": _l("Texts of the document"),
            # the draft's own texts, recorded part by part (cases.documents.register.TEXT_PARTS)
            "statement": _l("Statement of the establishment's representative"),
            "witnesses": _l("Witnesses"),
            "conclusion": _l("Conclusion"),
            "copies": _l("Number of copies"),
            "time_started": _l("Opened at"),
            "invoices": _l("Invoices and papers of the goods sampled"),
            "time_ended": _l("Closed at"),
            "sampling_allowed": _l("Samples may be taken before the decision is presented"),
            "signature": _l("Paper copy"),
            "signed_at": _l("Signature recorded at"),
            "refusal_witness": _l("Witness of the refusal to sign"),
            "refusal_note": _l("Note on the refusal to sign"),
        },
        kinds={
            "doc_type": ("choice", "document_type"),
            "status": ("choice", "document_status"),
            "signature": ("choice", "document_signature"),
            "sampling_allowed": ("choice", "yes_no"),
            "year": YEAR,
            "issued_by_id": ("ref", "user"),
            "fine_vnd": MONEY,
            "snapshot": TEXT,
            "sha256": TEXT,
            "texts": TEXT,
        },
    ),
    "document_template": Audited(
        name=_l("version of a document form"),
        forms=("forms.agency:TemplateForm",),
        kinds={
            "doc_type": ("choice", "document_type"),
            "confidence": ("choice", "confidence"),
            "legal_bases": TEXT,
        },
    ),
    "document_file": Audited(
        name=_l("signed copy"),
        labels={
            "document_id": _l("Document"),
            "original_name": _l("File name"),
            "content_type": _l("Type of file"),
            "size_bytes": _l("Size"),
        },
        kinds={
            "content_type": ("choice", "content_type"),
            "size_bytes": BYTES,
        },
    ),
    "agency": Audited(name=_l("agency that issues the documents"), forms=("forms.agency:AgencyForm",)),
    "signer": Audited(
        name=_l("signer of documents"),
        forms=("forms.agency:SignerForm",),
        kinds={"authority_code": ("choice", "sanction_authority")},
    ),
    "file_transfer": Audited(
        name=_l("file transferred to the competent authority"),
        labels={
            "finding_id": _l("Finding"),
            "authority_id": _l("Competent authority"),
            "fine_vnd": _l("Fine"),
            "reason": _l("Reason"),
            "transferred_at": _l("Transferred at"),
            "transferred_by_id": _l("Transferred by"),
        },
        kinds={"fine_vnd": MONEY, "transferred_by_id": ("ref", "user")},
    ),
    "import_mapping": Audited(
        name=_l("saved import mapping"),
        labels={
            "name": _l("Name of the mapping"),
            "columns": _l("Headers and the columns they are read as"),
            "constants": _l("Values for the rows that do not say"),
        },
    ),
    "account": Audited(
        name=_l("account"),
        forms=("forms.users:UserCreateForm", "forms.users:UserEditForm"),
        labels={
            "must_change_password": _l("Must change the password at the next sign-in"),
        },
        kinds={"role": ("choice", "role"), "communes": ("ref", "commune")},
    ),
    "establishment": Audited(
        name=_l("establishment"),
        forms=("forms.establishments:EstablishmentForm",),
        kinds={
            "business_type": ("choice", "business_type"),
            "commune_code": ("ref", "commune"),
            "latitude": COORDINATE,
            "longitude": COORDINATE,
        },
    ),
    "campaign": Audited(
        name=_l("survey campaign"),
        labels={
            "name": _l("Campaign"),
            "year": _l("Year"),
            "field": _l("Field surveyed"),
            "description": _l("Description"),
        },
        kinds={"year": YEAR, "field": ("choice", "field")},
    ),
    "tip": Audited(
        name=_l("tip or complaint"),
        forms=("forms.planning:TipForm",),
        labels={"status": _l("Status"), "recorded_by_id": _l("Recorded by")},
        kinds={
            "source": ("choice", "tip_source"),
            "status": ("choice", "tip_status"),
            "establishment_id": ("ref", "establishment"),
            "commune_code": ("ref", "commune"),
            "recorded_by_id": ("ref", "user"),
        },
    ),
    "risk_weights": Audited(
        name=_l("risk score weights"),
        labels={
            "number": _l("Version"),
            "effective_from": _l("In force from"),
            "note": _l("Reason for the change"),
        },
    ),
    "agency_check": Audited(
        name=_l("check by another agency"),
        labels={
            "establishment_id": _l("Establishment"),
            "agency": _l("Agency"),
            "checked_on": _l("Date of the check"),
            "content": _l("Content"),
        },
        kinds={"establishment_id": ("ref", "establishment")},
    ),
}


def register(entity_type: str, audited: Audited) -> None:
    """Add (or replace) the words of an audited model, e.g. accounts or establishments."""
    AUDITED[entity_type] = audited
    _FORM_LABELS.pop(entity_type, None)


# --- labels -----------------------------------------------------------------------------------------


def _import(path: str) -> type:
    module, _sep, name = path.partition(":")
    return getattr(__import__(module, fromlist=[name]), name)


def form_labels(*form_paths: str) -> dict[str, Any]:
    """The (lazy) labels of the forms' fields, by field name."""
    from wtforms.fields.core import UnboundField

    labels: dict[str, Any] = {}
    for path in form_paths:
        for klass in reversed(_import(path).__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, UnboundField):
                    label = value.kwargs.get("label", value.args[0] if value.args else None)
                    if label is not None:
                        labels[name] = label
    return labels


_FORM_LABELS: dict[str, dict[str, Any]] = {}


def labels_of(entity_type: str, case_kind: str | None = None) -> dict[str, Any]:
    """Every label of an entity's audited fields (a case's from its kind's form first)."""
    key = f"{entity_type}:{case_kind or ''}"
    if key not in _FORM_LABELS:
        audited = AUDITED.get(entity_type)
        if audited is None:
            return {}
        labels = form_labels(*audited.forms)
        kind_form = audited.kind_forms.get(case_kind or "")
        if kind_form:
            labels |= form_labels(kind_form)
        _FORM_LABELS[key] = labels | audited.labels
    return _FORM_LABELS[key]


def field_label(entity_type: str, field_name: str, case_kind: str | None = None) -> str:
    """The words for a changed field: the form's label, else the table's; the code only if neither has it
    (which the labels test forbids)."""
    label = labels_of(entity_type, case_kind).get(field_name)
    return str(label) if label is not None else field_name


def entity_label(entity_type: str) -> str:
    audited = AUDITED.get(entity_type)
    return str(audited.name) if audited is not None else entity_type


def action_label(action: str) -> str:
    return {
        "create": lambda: _("Created"),
        "import": lambda: _("Imported"),
        "update": lambda: _("Edited"),
        "delete": lambda: _("Deleted"),
        "upload": lambda: _("File uploaded"),
        "submit": lambda: _("Submitted for review"),
        "return": lambda: _("Returned to the inspector"),
        "approve": lambda: _("Approved"),
        "self_approve": lambda: _("Approved by its own author or team member (self-approval allowed)"),
        "password_reset": lambda: _("Password reset"),
        "close": lambda: _("Closed"),
        "reopen": lambda: _("Reopened for an amendment"),
        "cancel": lambda: _("Cancelled"),
        "confirm": lambda: _("Finding confirmed"),
        "dismiss": lambda: _("Finding dismissed"),
        "refer": lambda: _("Finding referred to another agency"),
        "payment": lambda: _("Payment and remedy dates recorded"),
        "takedown": lambda: _("Outcome of the action recorded"),
        "finalise": lambda: _("Finalised"),
        "supersede": lambda: _("Superseded"),
        "issue": lambda: _("Document issued"),
        "void": lambda: _("Document voided"),
        "correct": lambda: _("Correction drafted"),
        "replace": lambda: _("Replaced by a correction"),
        "transfer_file": lambda: _("File transferred to the competent authority"),
    }.get(action, lambda: action)()


# --- values -----------------------------------------------------------------------------------------


def _choices() -> dict[str, Callable[[], dict[str, str]]]:
    from forms import case_items, review
    from forms.activities import activity_type_choices, target_measure_choices
    from inspect_app.labels import codes as formatting

    return {
        "case_kind": lambda: {k: formatting.kind_label(k) for k in ("inspection", "ecommerce", "survey")},
        "status": formatting._status_labels,
        "mode": formatting._CHOICE_TABLES["mode"],
        "platform": formatting._CHOICE_TABLES["platform"],
        "action": formatting._CHOICE_TABLES["action"],
        "issue": formatting._CHOICE_TABLES["issue"],
        "field": formatting._field_labels,
        "instrument_type": lambda: dict(case_items.instrument_type_choices()),
        "seal": lambda: dict(case_items.seal_choices()),
        "item_result": lambda: dict(case_items.result_choices(pending=True)),
        "offender": lambda: {"individual": _("Individual"), "organisation": _("Organisation")},
        "sanction_form": lambda: dict(review.sanction_form_choices()),
        "activity_type": lambda: dict(activity_type_choices()),
        "target_measure": lambda: dict(target_measure_choices()),
        "actual_source": formatting._actual_source_labels,
        "task_group": _task_groups,
        "report_status": formatting._report_status_labels,
        "document_type": formatting._document_type_labels,
        "document_status": formatting._document_status_labels,
        "document_signature": formatting._document_signature_labels,
        "yes_no": lambda: {"yes": _("Yes"), "no": _("No")},
        "sanction_authority": _sanction_authorities,
        "team_role": formatting._team_role_labels,
        "tip_source": formatting._tip_source_labels,
        "tip_status": formatting._tip_status_labels,
        "role": lambda: dict(_role_choices()),
        "business_type": lambda: dict(_business_types()),
        "report_section": lambda: {
            name: str(label)
            for name, label in labels_of("annual_report").items()
            if name in _report_sections()
        },
        "content_type": lambda: {
            "image/jpeg": _("JPEG photo"),
            "image/png": _("PNG image"),
            "image/webp": _("WebP image"),
            "application/pdf": _("PDF document"),
        },
    }


def _sanction_authorities() -> dict[str, str]:
    from cases.documents.agency import authority_codes

    return dict(authority_codes())


def _role_choices() -> list[tuple[str, str]]:
    from forms.users import role_choices

    return role_choices()


def _business_types() -> list[tuple[str, str]]:
    from forms.establishments import business_type_choices

    return business_type_choices()


def _report_sections() -> tuple[str, ...]:
    from cases.reporting.annual_report import SECTIONS

    return SECTIONS


def _task_groups() -> dict[str, str]:
    from cases.plan.activity_tasks import GROUP_NAMES, group_label

    return {group: group_label(group) for group in GROUP_NAMES}


def _ref(thing: str, value: Any) -> str:
    """The name or number of the thing a stored id or code points to (the id if it is gone)."""
    from cases.db import db
    from cases.models import (
        Activity,
        Case,
        Commune,
        Establishment,
        Finding,
        FormerWard,
        PlanTask,
        SurveyCampaign,
        User,
        Violation,
    )

    model = {
        "commune": Commune,
        "former_ward": FormerWard,
        "establishment": Establishment,
        "case": Case,
        "campaign": SurveyCampaign,
        "user": User,
        "violation": Violation,
        "finding": Finding,
        "activity": Activity,
        "task": PlanTask,
    }[thing]
    found = db.session.get(model, value)
    if found is None:
        return f"#{value}"
    if thing == "establishment":
        return f"{found.name} — {found.tax_code}" if found.tax_code else found.name
    if thing == "case":
        return found.number
    if thing == "user":
        return found.full_name or found.username
    if thing == "violation":
        return f"{found.code} — {_short(found.description)}"
    if thing == "finding":
        violation = found.violation
        return f"{violation.code} — {_short(violation.description)}" if violation else f"#{value}"
    if thing == "activity":
        return found.title
    if thing == "task":
        return f"{found.code} — {_short(found.content)}"
    if thing == "former_ward":
        return f"{found.name}, {found.district.name}" if found.district else found.name
    return found.name


def _short(text: str | None, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _column_kind(entity_type: str, field_name: str) -> Kind:
    """The kind of a column that the table leaves to its type."""
    from cases.audit.trail import ENTITY_TYPES

    model_name = next((m for m, e in ENTITY_TYPES.items() if e == entity_type), None)
    if model_name is None:
        return TEXT
    import cases.models as models

    attrs = sa_inspect(getattr(models, model_name)).column_attrs
    attr = attrs.get(field_name)
    if attr is None:
        return TEXT
    column_type = attr.columns[0].type
    if isinstance(column_type, DateTime):
        return "datetime"
    if isinstance(column_type, Date):
        return "date"
    if isinstance(column_type, Boolean):
        return "bool"
    if isinstance(column_type, Float):
        return "decimal"
    if isinstance(column_type, BigInteger) and field_name.endswith("_vnd"):
        return MONEY
    if isinstance(column_type, Integer):
        if attr.columns[0].foreign_keys and field_name.endswith("_by_id"):
            return ("ref", "user")
        return "integer"
    if isinstance(column_type, JSON):
        return "json"
    return TEXT


def value_kind(entity_type: str, field_name: str) -> Kind:
    audited = AUDITED.get(entity_type)
    if audited is not None and field_name in audited.kinds:
        return audited.kinds[field_name]
    return _column_kind(entity_type, field_name)


def format_value(value: Any, field_name: str = "", entity_type: str = "case") -> str:
    """A stored value as a person reads it, in the page's language and the house formats."""
    from cases.rendering import formatting
    from forms.numbers import format_number_input

    if value is None or value == "" or value == [] or value == {}:
        return "—"
    kind = value_kind(entity_type, field_name)
    if isinstance(value, list):
        return ", ".join(format_value(v, field_name, entity_type) for v in value)
    if isinstance(kind, tuple):
        how, table = kind
        if how == "choice":
            labels = _choices()[table]()
            return labels.get(str(value), str(value))
        return _ref(table, value)
    if isinstance(value, bool) or kind == "bool":
        return _("Yes") if value else _("No")
    if kind == "date" and isinstance(value, str):
        try:
            return formatting.format_date(dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    if kind == "datetime" and isinstance(value, str):
        try:
            return formatting.format_datetime(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    if kind == MONEY and isinstance(value, int | float):
        return formatting.format_vnd(int(value))
    if kind == COORDINATE and isinstance(value, int | float):
        return f"{float(value):.6f}".rstrip("0").rstrip(".")
    if kind == YEAR:
        return str(value)
    if kind == BYTES and isinstance(value, int | float):
        if value >= 1024 * 1024:
            return f"{format_number_input(round(value / 1024 / 1024, 1))} MB"
        return f"{format_number_input(max(1, round(value / 1024)))} KB"
    if kind == CODES and isinstance(value, str):
        labels = _choices()["activity_type"]()
        return ", ".join(labels.get(code.strip(), code.strip()) for code in value.split(",") if code.strip())
    if kind in ("decimal", "integer") and isinstance(value, int | float | str):
        try:
            return format_number_input(float(value) if kind == "decimal" else int(value))
        except (TypeError, ValueError):
            return str(value)
    if kind == "json" and isinstance(value, dict):
        plain = "; ".join(f"{k}: {v}" for k, v in value.items() if not isinstance(v, dict | list))
        return _short(plain, 160) or "…"
    return str(value)
