"""What was checked on a case: measuring instruments, prepackaged lots, goods and samples.

Add, edit and delete them on a case the actor may edit (``permissions.can_edit_case``); flushes, never
commits. The four kinds share one add (:func:`add_item`), one update (:func:`update_item`), one delete and
one check without saving (:func:`problems_of`); what differs is in the table :data:`KINDS`: the model, the
input dataclass, the rule of each field (:class:`Text`, :class:`Number`, :class:`Whole`, :class:`Choice`,
:class:`Barcode`), the checks across fields and the result the rules decide. Those results are computed
here, never taken from the user: an instrument fails when its certificate expired before the inspection
date, its seal is broken or missing, or its error is over the limit (the user may add another
non-conformity, never remove one); a prepackaged lot is judged by ``cases.inspection.prepackaged``.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Callable, Collection
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
from cases.text import clean_text

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
    quantity: float | None = None
    quantity_unit: str | None = None
    seal_number: str | None = None
    stock_quantity: str | None = None


# --- the rule of one field ---------------------------------------------------------------------------
# Each rule is called with the value and the field's name, and returns the cleaned value or raises
# ``ValidationFailed`` (gathered by ``errors.Problems``).


@dataclass(frozen=True)
class Text:
    """A typed text (``text.clean_text``): trimmed, ``None`` when empty."""

    max_length: int
    required: bool = False
    multiline: bool = False

    def __call__(self, value: str | None, field: str) -> str | None:
        return clean_text(value, field, self.max_length, required=self.required, multiline=self.multiline)


@dataclass(frozen=True)
class Number:
    """A finite number; below zero only when ``negative`` is allowed."""

    required: bool = False
    negative: bool = False

    def __call__(self, value: float | None, field: str) -> float | None:
        if value is None:
            if self.required:
                raise ValidationFailed("required", field=field)
            return None
        value = float(value)
        if not math.isfinite(value):
            raise ValidationFailed("not_a_number", field=field)
        if not self.negative and value < 0:
            raise ValidationFailed("negative", field=field)
        return value


@dataclass(frozen=True)
class Whole:
    """A whole number, at least ``minimum``."""

    required: bool = True
    minimum: int = 0

    def __call__(self, value: int | None, field: str) -> int | None:
        if value is None:
            if self.required:
                raise ValidationFailed("required", field=field)
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationFailed("not_an_integer", field=field)
        if value < self.minimum:
            code = "negative" if self.minimum == 0 else "below_minimum"
            raise ValidationFailed(code, field=field, min=self.minimum)
        return value


@dataclass(frozen=True)
class Choice:
    """One of ``values``; an empty one is ``default`` (``None`` unless given), refused if ``required``."""

    values: Collection[str]
    required: bool = False
    default: str | None = None

    def __call__(self, value: str | None, field: str) -> str | None:
        value = clean_text(value) or self.default
        if value is None:
            if self.required:
                raise ValidationFailed("required", field=field)
            return None
        if value not in self.values:
            raise ValidationFailed("invalid_choice", field=field)
        return value


@dataclass(frozen=True)
class Barcode:
    """A GTIN-8 or GTIN-13 with its check digit (spaces and dashes dropped); ``None`` when empty."""

    def __call__(self, value: str | None, field: str) -> str | None:
        barcode = normalise_barcode(value) or None
        if barcode is not None and (problem := barcode_problem(barcode)) is not None:
            code, params = problem
            raise ValidationFailed(code, field=field, **params)
        return barcode


Rule = Text | Number | Whole | Choice | Barcode


# --- what the rules decide ---------------------------------------------------------------------------


def allowed_item_kinds(case: Case) -> tuple[str, ...]:
    return ITEM_KINDS_BY_CASE_KIND.get(case.kind, ())


def inspection_date(case: Case) -> dt.date:
    """The day the instruments were checked: the inspection's start date, else the day the case opened."""
    return case.start_date or case.opened_on


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


# --- the checks across fields of each kind, and the results computed --------------------------------


@dataclass(frozen=True)
class _Context:
    actor: User
    today: dt.date
    current: Any = None  # the stored item being edited, if any


def _check_instrument(data: InstrumentInput, p: Problems, _ctx: _Context) -> None:
    if data.error_limit is not None and data.error_limit <= 0:
        p.add("error_limit_positive", field="error_limit")
    elif data.measured_error is not None and data.error_limit is None and not p.on("error_limit"):
        p.add("error_limit_required", field="error_limit")
    if data.other_nonconformity and not data.notes and not p.on("notes"):
        p.add("other_reason_required", field="notes")


def _judge_instrument(item: InstrumentCheck, data: InstrumentInput, case: Case) -> None:
    failed = bool(instrument_reasons(data, case)) or data.other_nonconformity
    item.result = ItemResult.FAIL.value if failed else ItemResult.PASS.value


def _instrument_input_extra(item: InstrumentCheck) -> dict[str, Any]:
    return {"other_nonconformity": other_nonconformity(item, item.case)}


def _check_lot(data: LotInput, p: Problems, ctx: _Context) -> None:
    """A mean far from Qn (``mean_far_from_nominal``) needs ``confirm_far_mean``, unless both are as
    already stored."""
    if data.nominal_quantity is not None:
        if data.nominal_quantity <= 0:
            p.add("nominal_positive", field="nominal_quantity")
        elif data.unit in UNITS and data.nominal_quantity * UNITS[data.unit][1] > MAX_NOMINAL_BASE:
            p.add("nominal_above_table", field="nominal_quantity")
    over_t, over_2t, n = data.count_short_over_t, data.count_short_over_2t, data.sample_size
    if n is not None and over_t is not None and over_t > n:
        p.add("count_above_sample", field="count_short_over_t", n=n)
    if over_t is not None and over_2t is not None and over_2t > over_t:
        p.add("count_2t_above_t", field="count_short_over_2t")
    qn, mean, current = data.nominal_quantity, data.mean_measured, ctx.current
    if qn is not None and mean is not None and not p.on("nominal_quantity") and not data.confirm_far_mean:
        unchanged = current is not None and (current.nominal_quantity, current.mean_measured) == (qn, mean)
        if mean_far_from_nominal(qn, mean) and not unchanged:
            p.add("mean_far_from_nominal", field="confirm_far_mean", mean=mean, nominal=qn, unit=data.unit)


def _judge_lot(lot: PrepackagedLot, _data: LotInput, _case: Case) -> None:
    verdict = judge_lot(
        nominal_quantity=lot.nominal_quantity,
        unit=lot.unit,
        sample_size=lot.sample_size,
        mean_measured=lot.mean_measured,
        count_short_over_t=lot.count_short_over_t,
        count_short_over_2t=lot.count_short_over_2t,
    )
    lot.result = verdict.result


def _check_sample(data: SampleInput, p: Problems, ctx: _Context) -> None:
    if data.sent_on is not None and data.sent_on > ctx.today:
        p.add("date_in_future", field="sent_on")
    if data.tested_on is not None:
        if data.tested_on > ctx.today:
            p.add("date_in_future", field="tested_on")
        elif data.sent_on is not None and data.tested_on < data.sent_on:
            p.add("tested_before_sent", field="tested_on")
    if data.establishment_id is not None:
        establishment = get_row(Establishment, data.establishment_id)
        if establishment is None or not permissions.can_use_establishment(ctx.actor, establishment):
            p.add("unknown_establishment", field="establishment_id")


# --- the table of the kinds --------------------------------------------------------------------------

Item = InstrumentCheck | PrepackagedLot | GoodsItem | Sample
ItemInput = InstrumentInput | LotInput | GoodsInput | SampleInput


@dataclass(frozen=True)
class ItemKind:
    """One kind of item: where it is stored, what is typed, and the rules."""

    name: str  # INSTRUMENTS, PREPACKAGED, GOODS or SAMPLES
    model: type
    input: type
    collection: str  # the case's relationship holding them
    #: the fields copied from the input to the row, in the order they are checked, each with its rule
    #: (``None``: copied as it is)
    fields: dict[str, Rule | None]
    #: the checks across fields, after the fields' own (``Problems.on`` tells which fields failed)
    check: Callable[[Any, Problems, _Context], None] | None = None
    #: sets the result the rules decide, once the fields are copied
    judge: Callable[[Any, Any, Case], None] | None = None
    #: input values that are not stored as they are (read back from the row)
    input_extra: Callable[[Any], dict[str, Any]] | None = None


_NOTES = Text(5000, multiline=True)

KINDS: dict[str, ItemKind] = {
    INSTRUMENTS: ItemKind(
        INSTRUMENTS,
        InstrumentCheck,
        InstrumentInput,
        "instruments",
        {
            "instrument_type": Choice({t.value for t in InstrumentType}, required=True),
            "description": Text(300),
            "serial_number": Text(100),
            "certificate_number": Text(100),
            "certificate_expiry": None,
            "seal_condition": Choice({s.value for s in SealCondition}),
            "measured_error": Number(negative=True),
            "error_limit": Number(negative=True),
            "error_unit": Text(20),
            "notes": _NOTES,
        },
        check=_check_instrument,
        judge=_judge_instrument,
        input_extra=_instrument_input_extra,
    ),
    PREPACKAGED: ItemKind(
        PREPACKAGED,
        PrepackagedLot,
        LotInput,
        "prepackaged_lots",
        {
            "product": Text(300, required=True),
            "nominal_quantity": Number(required=True),
            "unit": Choice(UNITS, required=True),
            "sample_size": Whole(minimum=1),
            "mean_measured": Number(required=True),
            "count_short_over_t": Whole(),
            "count_short_over_2t": Whole(),
            "notes": _NOTES,
        },
        check=_check_lot,
        judge=_judge_lot,
    ),
    GOODS: ItemKind(
        GOODS,
        GoodsItem,
        GoodsInput,
        "goods",
        {
            "name": Text(300, required=True),
            "product_group": Text(100),
            "origin": Text(200),
            "quantity": Number(),
            "unit": Text(30),
            "value_vnd": Whole(required=False),
            "label_observation": _NOTES,
            "cr_mark_observation": _NOTES,
            "barcode": Barcode(),
            "barcode_observation": _NOTES,
            "result": Choice(GOODS_RESULTS, default=ItemResult.PASS.value),
        },
    ),
    SAMPLES: ItemKind(
        SAMPLES,
        Sample,
        SampleInput,
        "samples",
        {
            "name": Text(300, required=True),
            "code": Text(50),
            "standard": Text(100),
            "lab": Text(200),
            "sent_on": None,
            "tested_on": None,
            "nominal_value": Number(negative=True),
            "measured_value": Number(negative=True),
            "unit": Text(30),
            "result": Choice(SAMPLE_RESULTS, default=ItemResult.PENDING.value),
            "notes": _NOTES,
            "establishment_id": None,
            "quantity": Number(),
            "quantity_unit": Text(30),
            "seal_number": Text(60),
            "stock_quantity": Text(100),
        },
        check=_check_sample,
    ),
}
_KIND_OF_MODEL = {k.model: k for k in KINDS.values()}
_KIND_OF_INPUT = {k.input: k for k in KINDS.values()}


def kind_of(item: Item) -> str:
    """``INSTRUMENTS``, ``PREPACKAGED``, ``GOODS`` or ``SAMPLES``: the kind of a stored item."""
    return _KIND_OF_MODEL[type(item)].name


def item_sections(case: Case) -> list[str]:
    """The sections the case page shows: those with items, and those its fields make relevant."""
    fields = set(case.fields)
    # only the kinds the case may hold are looked at: the others are never loaded (an e-commerce check's
    # page reads its goods, not its instruments, lots and samples)
    always = {CaseKind.ECOMMERCE.value: GOODS, CaseKind.SURVEY.value: SAMPLES}.get(case.kind)
    return [
        kind
        for kind in allowed_item_kinds(case)
        if kind == always or fields & RELEVANT_FIELDS[kind] or getattr(case, KINDS[kind].collection)
    ]


# --- adding, editing, deleting -----------------------------------------------------------------------


def _check_editable(actor: User, case: Case, item_kind: str) -> None:
    if not permissions.can_edit_case(actor, case):
        raise PermissionDenied()
    if item_kind not in allowed_item_kinds(case):
        raise ValidationFailed("item_not_for_kind", item_kind=item_kind, kind=case.kind)


def _clean(kind: ItemKind, data: Any, ctx: _Context) -> Any:
    """Clean and check an item's values; raises every problem at once (``errors.Problems``)."""
    if not isinstance(data, kind.input):
        raise TypeError(f"{kind.name} takes a {kind.input.__name__}, not a {type(data).__name__}")
    p = Problems()
    for name, rule in kind.fields.items():
        if rule is not None:
            setattr(data, name, p.check(rule, getattr(data, name), name))
    if kind.check is not None:
        kind.check(data, p, ctx)
    p.raise_any()
    return data


def _apply(kind: ItemKind, item: Any, data: Any, case: Case) -> None:
    for name in kind.fields:
        setattr(item, name, getattr(data, name))
    if kind.judge is not None:
        kind.judge(item, data, case)


def add_item(*, case: Case, actor: User, data: ItemInput, today: dt.date | None = None) -> Item:
    """Add an instrument, lot, goods item or sample (which one: the type of ``data``) to ``case``."""
    kind = _KIND_OF_INPUT[type(data)]
    _check_editable(actor, case, kind.name)
    data = _clean(kind, data, _Context(actor, today or dt.date.today()))
    item = kind.model(case=case)
    _apply(kind, item, data, case)
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "create", case=case, entity=item, changes=audit.diff({}, audit.snapshot(item)))
    return item


def update_item(*, item: Item, actor: User, data: ItemInput, today: dt.date | None = None) -> Item:
    """Change a stored instrument, lot, goods item or sample to the values of ``data``."""
    kind = _KIND_OF_MODEL[type(item)]
    _check_editable(actor, item.case, kind.name)
    before = audit.snapshot(item)
    data = _clean(kind, data, _Context(actor, today or dt.date.today(), item))
    _apply(kind, item, data, item.case)
    db.session.flush()
    changes = audit.diff(before, audit.snapshot(item))
    if changes:
        audit.record(actor, "update", case=item.case, entity=item, changes=changes)
    return item


def to_input(item: Item) -> ItemInput:
    """The values of a stored item, as its form shows them to edit."""
    kind = _KIND_OF_MODEL[type(item)]
    values = {name: getattr(item, name) for name in kind.fields}
    if kind.input_extra is not None:
        values.update(kind.input_extra(item))
    return kind.input(**values)


def delete_item(*, item: Item, actor: User) -> None:
    """Delete an instrument, lot, goods item or sample of a case the actor may edit."""
    case = item.case
    if not permissions.can_edit_case(actor, case):
        raise PermissionDenied()
    collection: list[Any] = getattr(case, _KIND_OF_MODEL[type(item)].collection)
    audit.record(actor, "delete", case=case, entity=item, changes=audit.diff(audit.snapshot(item), {}))
    collection.remove(item)  # delete-orphan cascade deletes the row
    db.session.flush()


# --- checking without saving -------------------------------------------------------------------------


def problems_of(
    kind: str,
    data: ItemInput,
    *,
    actor: User,
    item: Item | None = None,
    today: dt.date | None = None,
) -> list[ValidationFailed]:
    """Every rule problem of an item's values, without saving (a form that failed its own checks shows
    these beside the other fields, so that the user sees all at once)."""
    try:
        _clean(KINDS[kind], copy.copy(data), _Context(actor, today or dt.date.today(), item))
    except ValidationFailed as exc:
        return all_problems(exc)
    return []
