"""What was checked on a case: measuring instruments, prepackaged lots, goods and samples.

Add, edit and delete them on a case the actor may edit (``permissions.can_edit_case``); flushes, never
commits. The results the rules decide are computed here, never taken from the user: an instrument fails
when its certificate expired before the inspection date, its seal is broken or missing, or its error is over
the limit (the user may add another non-conformity, never remove one); a prepackaged lot is judged by
``cases.inspection.prepackaged``.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from cases.accounts import permissions
from cases.audit import trail as audit
from cases.db import db
from cases.db.ids import get_row
from cases.enums import CaseKind, InstrumentType, ItemResult, SealCondition
from cases.errors import PermissionDenied, Problems, ValidationFailed, all_problems
from cases.inspection.barcodes import barcode_problem, normalise_barcode
from cases.inspection.prepackaged import MAX_NOMINAL_BASE, UNITS, judge_lot, mean_far_from_nominal
from cases.models import Case, Establishment, GoodsItem, InstrumentCheck, PrepackagedLot, Sample, User

INSTRUMENTS = "instruments"
PREPACKAGED = "prepackaged"
GOODS = "goods"
SAMPLES = "samples"
ITEM_KINDS = (INSTRUMENTS, PREPACKAGED, GOODS, SAMPLES)

#: Which items each kind of case records. An e-commerce check records the goods listed (label, CR mark and
#: barcode shown online, price); inspections and surveys may record every kind.
ITEM_KINDS_BY_CASE_KIND: dict[str, tuple[str, ...]] = {
    CaseKind.INSPECTION.value: ITEM_KINDS,
    CaseKind.SURVEY.value: ITEM_KINDS,
    CaseKind.ECOMMERCE.value: (GOODS,),
}

#: The fields of inspection (``CaseField``) that make a section relevant on the case page.
RELEVANT_FIELDS: dict[str, set[str]] = {
    INSTRUMENTS: {"instruments", "fuel", "gold"},
    PREPACKAGED: {"prepackaged"},
    GOODS: {"quality", "label", "barcode", "standards", "gold"},
    SAMPLES: {"quality", "standards", "fuel", "gold"},
}

GOODS_RESULTS = (ItemResult.PASS.value, ItemResult.FAIL.value)
SAMPLE_RESULTS = (ItemResult.PENDING.value, ItemResult.PASS.value, ItemResult.FAIL.value)


# --- inputs ------------------------------------------------------------------------------------------


@dataclass
class InstrumentInput:
    instrument_type: str | None
    description: str | None = None
    serial_number: str | None = None
    certificate_number: str | None = None
    certificate_expiry: dt.date | None = None
    seal_condition: str | None = None
    measured_error: float | None = None
    error_limit: float | None = None
    error_unit: str | None = None
    other_nonconformity: bool = False
    notes: str | None = None


@dataclass
class LotInput:
    product: str | None
    nominal_quantity: float | None
    unit: str | None
    sample_size: int | None
    mean_measured: float | None
    count_short_over_t: int | None = 0
    count_short_over_2t: int | None = 0
    notes: str | None = None
    #: the user confirmed a mean far from Qn (``prepackaged.mean_far_from_nominal``) is right
    confirm_far_mean: bool = False


@dataclass
class GoodsInput:
    name: str | None
    product_group: str | None = None
    origin: str | None = None
    quantity: float | None = None
    unit: str | None = None
    value_vnd: int | None = None
    label_observation: str | None = None
    cr_mark_observation: str | None = None
    barcode: str | None = None
    barcode_observation: str | None = None
    result: str | None = ItemResult.PASS.value


@dataclass
class SampleInput:
    name: str | None
    code: str | None = None
    standard: str | None = None
    lab: str | None = None
    sent_on: dt.date | None = None
    tested_on: dt.date | None = None
    nominal_value: float | None = None
    measured_value: float | None = None
    unit: str | None = None
    result: str | None = ItemResult.PENDING.value
    notes: str | None = None
    establishment_id: int | None = None


# --- shared checks -----------------------------------------------------------------------------------


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _text(value: str | None, field: str, max_length: int, *, required: bool = False) -> str | None:
    value = _clean(value)
    if value is None:
        if required:
            raise ValidationFailed("required", field=field)
        return None
    if len(value) > max_length:
        raise ValidationFailed("too_long", field=field, max=max_length)
    return value


def _number(
    value: float | None, field: str, *, required: bool = False, negative: bool = False
) -> float | None:
    """A finite number; below zero only when ``negative`` is allowed."""
    if value is None:
        if required:
            raise ValidationFailed("required", field=field)
        return None
    value = float(value)
    if not math.isfinite(value):
        raise ValidationFailed("not_a_number", field=field)
    if not negative and value < 0:
        raise ValidationFailed("negative", field=field)
    return value


def _check_editable(actor: User, case: Case, item_kind: str) -> None:
    if not permissions.can_edit_case(actor, case):
        raise PermissionDenied()
    if item_kind not in ITEM_KINDS_BY_CASE_KIND.get(case.kind, ()):
        raise ValidationFailed("item_not_for_kind", item_kind=item_kind, kind=case.kind)


def _record_update(actor: User, item: Any, before: dict[str, Any]) -> None:
    changes = audit.diff(before, audit.snapshot(item))
    if changes:
        audit.record(actor, "update", case=item.case, entity=item, changes=changes)


def allowed_item_kinds(case: Case) -> tuple[str, ...]:
    return ITEM_KINDS_BY_CASE_KIND.get(case.kind, ())


def item_sections(case: Case) -> list[str]:
    """The sections the case page shows: those with items, and those its fields make relevant."""
    fields = set(case.fields)
    # only the kinds the case may hold are looked at: the others are never loaded (an e-commerce check's
    # page reads its goods, not its instruments, lots and samples)
    collection = {
        INSTRUMENTS: "instruments",
        PREPACKAGED: "prepackaged_lots",
        GOODS: "goods",
        SAMPLES: "samples",
    }
    always = {CaseKind.ECOMMERCE.value: GOODS, CaseKind.SURVEY.value: SAMPLES}.get(case.kind)
    return [
        kind
        for kind in allowed_item_kinds(case)
        if kind == always or fields & RELEVANT_FIELDS[kind] or getattr(case, collection[kind])
    ]


def inspection_date(case: Case) -> dt.date:
    """The day the instruments were checked: the inspection's start date, else the day the case opened."""
    return case.start_date or case.opened_on


# --- instruments -------------------------------------------------------------------------------------


def certificate_expired(item: Any, case: Case) -> bool:
    """The verification certificate (or stamp) expired before the inspection date."""
    expiry = getattr(item, "certificate_expiry", None)
    return expiry is not None and expiry < inspection_date(case)


def error_over_limit(item: Any) -> bool:
    error, limit = getattr(item, "measured_error", None), getattr(item, "error_limit", None)
    return error is not None and limit is not None and abs(error) > limit


def instrument_reasons(item: Any, case: Case) -> list[str]:
    """The rules an instrument fails: ``certificate_expired``, ``seal_broken``, ``seal_missing``,
    ``error_over_limit``. Works on a stored ``InstrumentCheck`` and on an ``InstrumentInput``."""
    reasons = []
    if certificate_expired(item, case):
        reasons.append("certificate_expired")
    seal = getattr(item, "seal_condition", None)
    if seal == SealCondition.BROKEN:
        reasons.append("seal_broken")
    elif seal == SealCondition.MISSING:
        reasons.append("seal_missing")
    if error_over_limit(item):
        reasons.append("error_over_limit")
    return reasons


def other_nonconformity(item: InstrumentCheck, case: Case) -> bool:
    """A failed instrument that no rule fails was marked failed by the user for another reason."""
    return item.result == ItemResult.FAIL and not instrument_reasons(item, case)


def _clean_instrument(data: InstrumentInput) -> InstrumentInput:
    """Clean and check an instrument; raises every problem at once (``errors.Problems``)."""
    p = Problems()
    if data.instrument_type not in {t.value for t in InstrumentType}:
        p.add("required" if not data.instrument_type else "invalid_choice", field="instrument_type")
    data.description = p.check(_text, data.description, "description", 300)
    data.serial_number = p.check(_text, data.serial_number, "serial_number", 100)
    data.certificate_number = p.check(_text, data.certificate_number, "certificate_number", 100)
    data.seal_condition = _clean(data.seal_condition)
    if data.seal_condition is not None and data.seal_condition not in {s.value for s in SealCondition}:
        p.add("invalid_choice", field="seal_condition")
    data.measured_error = p.check(_number, data.measured_error, "measured_error", negative=True)
    data.error_limit = p.check(_number, data.error_limit, "error_limit", negative=True)
    if data.error_limit is not None and data.error_limit <= 0:
        p.add("error_limit_positive", field="error_limit")
    elif data.measured_error is not None and data.error_limit is None and not p.on("error_limit"):
        p.add("error_limit_required", field="error_limit")
    data.error_unit = p.check(_text, data.error_unit, "error_unit", 20)
    data.notes = p.check(_text, data.notes, "notes", 5000)
    if data.other_nonconformity and not data.notes and not p.on("notes"):
        p.add("other_reason_required", field="notes")
    p.raise_any()
    return data


def _apply_instrument(item: InstrumentCheck, data: InstrumentInput, case: Case) -> None:
    for name in (
        "instrument_type",
        "description",
        "serial_number",
        "certificate_number",
        "certificate_expiry",
        "seal_condition",
        "measured_error",
        "error_limit",
        "error_unit",
        "notes",
    ):
        setattr(item, name, getattr(data, name))
    failed = bool(instrument_reasons(data, case)) or data.other_nonconformity
    item.result = ItemResult.FAIL.value if failed else ItemResult.PASS.value


def add_instrument(*, case: Case, actor: User, data: InstrumentInput) -> InstrumentCheck:
    _check_editable(actor, case, INSTRUMENTS)
    data = _clean_instrument(data)
    item = InstrumentCheck(case=case)
    _apply_instrument(item, data, case)
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "create", case=case, entity=item, changes=audit.diff({}, audit.snapshot(item)))
    return item


def update_instrument(*, item: InstrumentCheck, actor: User, data: InstrumentInput) -> InstrumentCheck:
    _check_editable(actor, item.case, INSTRUMENTS)
    before = audit.snapshot(item)
    data = _clean_instrument(data)
    _apply_instrument(item, data, item.case)
    db.session.flush()
    _record_update(actor, item, before)
    return item


def instrument_to_input(item: InstrumentCheck) -> InstrumentInput:
    return InstrumentInput(
        instrument_type=item.instrument_type,
        description=item.description,
        serial_number=item.serial_number,
        certificate_number=item.certificate_number,
        certificate_expiry=item.certificate_expiry,
        seal_condition=item.seal_condition,
        measured_error=item.measured_error,
        error_limit=item.error_limit,
        error_unit=item.error_unit,
        other_nonconformity=other_nonconformity(item, item.case),
        notes=item.notes,
    )


def refresh_instrument_results(case: Case) -> int:
    """Fail the instruments that a rule now fails (e.g. after the inspection date moved past an expiry).

    Never turns a failed instrument back to pass: it may have been failed for another reason. Returns how
    many changed. For the case service to call after a case's dates are edited.
    """
    changed = 0
    for item in case.instruments:
        if item.result != ItemResult.FAIL and instrument_reasons(item, case):
            item.result = ItemResult.FAIL.value
            changed += 1
    if changed:
        db.session.flush()
    return changed


# --- prepackaged lots --------------------------------------------------------------------------------


def _int(value: int | None, field: str, *, required: bool = True, minimum: int = 0) -> int | None:
    if value is None:
        if required:
            raise ValidationFailed("required", field=field)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed("not_an_integer", field=field)
    if value < minimum:
        raise ValidationFailed("negative" if minimum == 0 else "below_minimum", field=field, min=minimum)
    return value


def _clean_lot(data: LotInput, current: PrepackagedLot | None = None) -> LotInput:
    """Clean and check a lot; raises every problem at once (``errors.Problems``). A mean far from Qn
    (``mean_far_from_nominal``) needs ``confirm_far_mean``, unless both are as already stored."""
    p = Problems()
    data.product = p.check(_text, data.product, "product", 300, required=True)
    data.unit = _clean(data.unit)
    if data.unit not in UNITS:
        p.add("required" if not data.unit else "invalid_choice", field="unit")
    data.nominal_quantity = p.check(_number, data.nominal_quantity, "nominal_quantity", required=True)
    if data.nominal_quantity is not None:
        if data.nominal_quantity <= 0:
            p.add("nominal_positive", field="nominal_quantity")
        elif data.unit in UNITS and data.nominal_quantity * UNITS[data.unit][1] > MAX_NOMINAL_BASE:
            p.add("nominal_above_table", field="nominal_quantity")
    data.sample_size = p.check(_int, data.sample_size, "sample_size", minimum=1)
    data.mean_measured = p.check(_number, data.mean_measured, "mean_measured", required=True)
    data.count_short_over_t = p.check(_int, data.count_short_over_t, "count_short_over_t")
    data.count_short_over_2t = p.check(_int, data.count_short_over_2t, "count_short_over_2t")
    over_t, over_2t, n = data.count_short_over_t, data.count_short_over_2t, data.sample_size
    if n is not None and over_t is not None and over_t > n:
        p.add("count_above_sample", field="count_short_over_t", n=n)
    if over_t is not None and over_2t is not None and over_2t > over_t:
        p.add("count_2t_above_t", field="count_short_over_2t")
    data.notes = p.check(_text, data.notes, "notes", 5000)
    qn, mean = data.nominal_quantity, data.mean_measured
    if qn is not None and mean is not None and not p.on("nominal_quantity") and not data.confirm_far_mean:
        unchanged = current is not None and (current.nominal_quantity, current.mean_measured) == (qn, mean)
        if mean_far_from_nominal(qn, mean) and not unchanged:
            p.add("mean_far_from_nominal", field="confirm_far_mean", mean=mean, nominal=qn, unit=data.unit)
    p.raise_any()
    return data


def _apply_lot(lot: PrepackagedLot, data: LotInput) -> None:
    for name in (
        "product",
        "nominal_quantity",
        "unit",
        "sample_size",
        "mean_measured",
        "count_short_over_t",
        "count_short_over_2t",
        "notes",
    ):
        setattr(lot, name, getattr(data, name))
    verdict = judge_lot(
        nominal_quantity=lot.nominal_quantity,
        unit=lot.unit,
        sample_size=lot.sample_size,
        mean_measured=lot.mean_measured,
        count_short_over_t=lot.count_short_over_t,
        count_short_over_2t=lot.count_short_over_2t,
    )
    lot.result = verdict.result


def add_lot(*, case: Case, actor: User, data: LotInput) -> PrepackagedLot:
    _check_editable(actor, case, PREPACKAGED)
    data = _clean_lot(data)
    lot = PrepackagedLot(case=case)
    _apply_lot(lot, data)
    db.session.add(lot)
    db.session.flush()
    audit.record(actor, "create", case=case, entity=lot, changes=audit.diff({}, audit.snapshot(lot)))
    return lot


def update_lot(*, item: PrepackagedLot, actor: User, data: LotInput) -> PrepackagedLot:
    _check_editable(actor, item.case, PREPACKAGED)
    before = audit.snapshot(item)
    data = _clean_lot(data, item)
    _apply_lot(item, data)
    db.session.flush()
    _record_update(actor, item, before)
    return item


def lot_to_input(lot: PrepackagedLot) -> LotInput:
    return LotInput(
        product=lot.product,
        nominal_quantity=lot.nominal_quantity,
        unit=lot.unit,
        sample_size=lot.sample_size,
        mean_measured=lot.mean_measured,
        count_short_over_t=lot.count_short_over_t,
        count_short_over_2t=lot.count_short_over_2t,
        notes=lot.notes,
    )


# --- goods -------------------------------------------------------------------------------------------


def _clean_goods(data: GoodsInput) -> GoodsInput:
    """Clean and check goods; raises every problem at once (``errors.Problems``)."""
    p = Problems()
    data.name = p.check(_text, data.name, "name", 300, required=True)
    data.product_group = p.check(_text, data.product_group, "product_group", 100)
    data.origin = p.check(_text, data.origin, "origin", 200)
    data.quantity = p.check(_number, data.quantity, "quantity")
    data.unit = p.check(_text, data.unit, "unit", 30)
    if data.value_vnd is not None and data.value_vnd < 0:
        p.add("negative", field="value_vnd")
    data.label_observation = p.check(_text, data.label_observation, "label_observation", 5000)
    data.cr_mark_observation = p.check(_text, data.cr_mark_observation, "cr_mark_observation", 5000)
    data.barcode_observation = p.check(_text, data.barcode_observation, "barcode_observation", 5000)
    barcode = normalise_barcode(data.barcode) or None
    if barcode is not None and (problem := barcode_problem(barcode)) is not None:
        code, params = problem
        p.add(code, field="barcode", **params)
    data.barcode = barcode
    data.result = _clean(data.result) or ItemResult.PASS.value
    if data.result not in GOODS_RESULTS:
        p.add("invalid_choice", field="result")
    p.raise_any()
    return data


_GOODS_FIELDS = (
    "name",
    "product_group",
    "origin",
    "quantity",
    "unit",
    "value_vnd",
    "label_observation",
    "cr_mark_observation",
    "barcode",
    "barcode_observation",
    "result",
)


def add_goods(*, case: Case, actor: User, data: GoodsInput) -> GoodsItem:
    _check_editable(actor, case, GOODS)
    data = _clean_goods(data)
    item = GoodsItem(case=case)
    for name in _GOODS_FIELDS:
        setattr(item, name, getattr(data, name))
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "create", case=case, entity=item, changes=audit.diff({}, audit.snapshot(item)))
    return item


def update_goods(*, item: GoodsItem, actor: User, data: GoodsInput) -> GoodsItem:
    _check_editable(actor, item.case, GOODS)
    before = audit.snapshot(item)
    data = _clean_goods(data)
    for name in _GOODS_FIELDS:
        setattr(item, name, getattr(data, name))
    db.session.flush()
    _record_update(actor, item, before)
    return item


def goods_to_input(item: GoodsItem) -> GoodsInput:
    return GoodsInput(**{name: getattr(item, name) for name in _GOODS_FIELDS})


# --- samples -----------------------------------------------------------------------------------------


_SAMPLE_FIELDS = (
    "name",
    "code",
    "standard",
    "lab",
    "sent_on",
    "tested_on",
    "nominal_value",
    "measured_value",
    "unit",
    "result",
    "notes",
    "establishment_id",
)


def _clean_sample(data: SampleInput, today: dt.date, actor: User) -> SampleInput:
    """Clean and check a sample; raises every problem at once (``errors.Problems``)."""
    p = Problems()
    data.name = p.check(_text, data.name, "name", 300, required=True)
    data.code = p.check(_text, data.code, "code", 50)
    data.standard = p.check(_text, data.standard, "standard", 100)
    data.lab = p.check(_text, data.lab, "lab", 200)
    if data.sent_on is not None and data.sent_on > today:
        p.add("date_in_future", field="sent_on")
    if data.tested_on is not None:
        if data.tested_on > today:
            p.add("date_in_future", field="tested_on")
        elif data.sent_on is not None and data.tested_on < data.sent_on:
            p.add("tested_before_sent", field="tested_on")
    data.nominal_value = p.check(_number, data.nominal_value, "nominal_value", negative=True)
    data.measured_value = p.check(_number, data.measured_value, "measured_value", negative=True)
    data.unit = p.check(_text, data.unit, "unit", 30)
    data.result = _clean(data.result) or ItemResult.PENDING.value
    if data.result not in SAMPLE_RESULTS:
        p.add("invalid_choice", field="result")
    data.notes = p.check(_text, data.notes, "notes", 5000)
    if data.establishment_id is not None:
        establishment = get_row(Establishment, data.establishment_id)
        if establishment is None or not permissions.can_use_establishment(actor, establishment):
            p.add("unknown_establishment", field="establishment_id")
    p.raise_any()
    return data


def add_sample(*, case: Case, actor: User, data: SampleInput, today: dt.date | None = None) -> Sample:
    _check_editable(actor, case, SAMPLES)
    data = _clean_sample(data, today or dt.date.today(), actor)
    item = Sample(case=case)
    for name in _SAMPLE_FIELDS:
        setattr(item, name, getattr(data, name))
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "create", case=case, entity=item, changes=audit.diff({}, audit.snapshot(item)))
    return item


def update_sample(*, item: Sample, actor: User, data: SampleInput, today: dt.date | None = None) -> Sample:
    _check_editable(actor, item.case, SAMPLES)
    before = audit.snapshot(item)
    data = _clean_sample(data, today or dt.date.today(), actor)
    for name in _SAMPLE_FIELDS:
        setattr(item, name, getattr(data, name))
    db.session.flush()
    _record_update(actor, item, before)
    return item


def sample_to_input(item: Sample) -> SampleInput:
    return SampleInput(**{name: getattr(item, name) for name in _SAMPLE_FIELDS})


@dataclass(frozen=True)
class SampleCounts:
    taken: int
    tested: int  # a pass or fail result
    failed: int
    pending: int


def sample_counts(samples: list[Sample]) -> SampleCounts:
    results = [s.result for s in samples]
    return SampleCounts(
        taken=len(results),
        tested=sum(r in (ItemResult.PASS, ItemResult.FAIL) for r in results),
        failed=sum(r == ItemResult.FAIL for r in results),
        pending=sum(r == ItemResult.PENDING for r in results),
    )


# --- deleting ----------------------------------------------------------------------------------------

_KIND_OF_MODEL: dict[type, str] = {
    InstrumentCheck: INSTRUMENTS,
    PrepackagedLot: PREPACKAGED,
    GoodsItem: GOODS,
    Sample: SAMPLES,
}


def delete_item(*, item: InstrumentCheck | PrepackagedLot | GoodsItem | Sample, actor: User) -> None:
    """Delete an instrument, lot, goods item or sample of a case the actor may edit."""
    case = item.case
    if not permissions.can_edit_case(actor, case):
        raise PermissionDenied()
    kind = _KIND_OF_MODEL[type(item)]
    collections: dict[str, list[Any]] = {
        INSTRUMENTS: case.instruments,
        PREPACKAGED: case.prepackaged_lots,
        GOODS: case.goods,
        SAMPLES: case.samples,
    }
    collection = collections[kind]
    audit.record(actor, "delete", case=case, entity=item, changes=audit.diff(audit.snapshot(item), {}))
    collection.remove(item)  # delete-orphan cascade deletes the row
    db.session.flush()


# --- checking without saving -------------------------------------------------------------------------


def problems_of(
    kind: str,
    data: InstrumentInput | LotInput | GoodsInput | SampleInput,
    *,
    actor: User,
    item: Any = None,
    today: dt.date | None = None,
) -> list[ValidationFailed]:
    """Every rule problem of an item's values, without saving (a form that failed its own checks shows
    these beside the other fields, so that the user sees all at once)."""
    data = copy.copy(data)
    try:
        if kind == INSTRUMENTS:
            _clean_instrument(data)  # type: ignore[arg-type]
        elif kind == PREPACKAGED:
            _clean_lot(data, item)  # type: ignore[arg-type]
        elif kind == GOODS:
            _clean_goods(data)  # type: ignore[arg-type]
        elif kind == SAMPLES:
            _clean_sample(data, today or dt.date.today(), actor)  # type: ignore[arg-type]
        else:
            raise KeyError(kind)
    except ValidationFailed as exc:
        return all_problems(exc)
    return []
