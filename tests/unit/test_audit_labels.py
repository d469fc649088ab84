"""Every audited field of every audited model has words in the timeline, and every value is written the
house way (issue 14, item 8). A new audited column without a label fails here."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect as sa_inspect

import cases.models as models
from cases.accounts.users import account_values
from cases.audit.trail import _SKIPPED, ENTITY_TYPES
from inspect_app.labels import audit as audit_labels
from inspect_app.labels.audit import field_label, format_value, labels_of

CASE_EXTRAS = ("fields", "team_ids")  # audited with a case's columns (``cases.audit.trail.snapshot``)


def _audited_columns(model_name: str) -> list[str]:
    if model_name == "User":  # an account's entries hold what accounts.account_values gives, never a password
        return list(account_values(models.User()))
    columns = [a.key for a in sa_inspect(getattr(models, model_name)).column_attrs if a.key not in _SKIPPED]
    return columns + list(CASE_EXTRAS) if model_name == "Case" else columns


AUDITED_FIELDS = [
    (entity, column) for model, entity in ENTITY_TYPES.items() for column in _audited_columns(model)
]


@pytest.mark.parametrize(("entity", "column"), AUDITED_FIELDS, ids=[f"{e}.{c}" for e, c in AUDITED_FIELDS])
def test_every_audited_column_has_a_label_in_vietnamese(app, entity, column):
    with app.test_request_context():
        assert column in labels_of(entity), f"no label for {entity}.{column}: add it to audit_labels.AUDITED"
        label = field_label(entity, column)
        assert label != column and "_" not in label


@pytest.mark.parametrize("kind", ["inspection", "ecommerce", "survey"])
def test_a_case_field_is_named_as_its_kinds_form_names_it(app, kind):
    with app.test_request_context():
        for column in _audited_columns("Case"):
            assert field_label("case", column, kind) != column
        if kind == "ecommerce":
            assert field_label("case", "conclusion", kind) == "Kết quả"


def test_every_audited_model_has_a_name(app):
    with app.test_request_context():
        for entity in ENTITY_TYPES.values():
            assert audit_labels.entity_label(entity) != entity


def _sample(model_name: str, column: str):
    attr = sa_inspect(getattr(models, model_name)).column_attrs.get(column)
    if attr is None:
        return None
    python_type = None
    try:
        python_type = attr.columns[0].type.python_type
    except NotImplementedError:
        return None
    return {bool: True, float: 1250.5, str: None}.get(python_type)


@pytest.mark.parametrize(("entity", "column"), AUDITED_FIELDS, ids=[f"{e}.{c}" for e, c in AUDITED_FIELDS])
def test_decimals_and_booleans_are_written_the_house_way(app, entity, column):
    model = next(m for m, e in ENTITY_TYPES.items() if e == entity)
    value = _sample(model, column)
    with app.test_request_context():
        if value is True:
            assert (
                format_value(True, column, entity) == "Có" and format_value(False, column, entity) == "Không"
            )
        elif value == 1250.5 and column not in ("latitude", "longitude"):
            assert format_value(1250.5, column, entity) == "1.250,5"


def test_the_values_named_in_the_report(app, make_user):
    with app.test_request_context():
        assert format_value(1.25, "quantity", "goods") + " → " + format_value(
            1250.0, "quantity", "goods"
        ) == ("1,25 → 1.250")
        assert format_value(0.43, "measured_error", "instrument") == "0,43"
        assert format_value(10.366123, "latitude", "case") == "10.366123"  # decimal degrees keep their point
        assert format_value("fail", "result", "goods") == "Không đạt"
        assert format_value("organisation", "offender_type", "finding") == "Tổ chức"
        assert format_value("image/jpeg", "content_type", "evidence") == "Ảnh JPEG"
        assert format_value(1_572_864, "size_bytes", "evidence") == "1,5 MB"
        assert format_value(2025, "cumulative_from", "plan_task") == "2025"
        assert format_value(50, "sample_size", "prepackaged_lot") == "50"
        assert format_value(1000, "participants", "activity") == "1.000"
