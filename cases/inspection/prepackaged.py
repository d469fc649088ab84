"""Quantity of prepackaged goods (hàng đóng gói sẵn): the tolerable deficiency T and the lot rule.

TT 21/2014/TT-BKHCN follows OIML R 87. A lot conforms when

1. the mean actual quantity is not below the nominal quantity Qn,
2. no unit of the sample is short by more than 2T, and
3. no more units than the sampling plan allows are short by more than T.

The mean rule here is the plain one (mean ≥ Qn) that the record form holds; R 87's statistical correction
(mean ≥ Qn − k·s) needs the standard deviation, which the record does not carry.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING

from cases.enums import ItemResult

if TYPE_CHECKING:
    from cases.models import PrepackagedLot

#: Units a nominal quantity may be given in, with the base unit of the T table and the factor to it.
UNITS: dict[str, tuple[str, int]] = {"g": ("g", 1), "kg": ("g", 1000), "mL": ("mL", 1), "L": ("mL", 1000)}

#: The T table of OIML R 87 (DOMAIN.md §13), Qn in g or mL: (upper bound of Qn, percentage of Qn, or
#: absolute T). The rows meet at their bounds (50 g → 4.5 g either way, 100 g → 4.5 g, …, 15 000 g →
#: 150 g), so which row a bound belongs to does not change T. Check against TT 21/2014 before legal use.
T_TABLE: tuple[tuple[Decimal, Decimal | None, Decimal | None], ...] = (
    (Decimal(50), Decimal("9"), None),
    (Decimal(100), None, Decimal("4.5")),
    (Decimal(200), Decimal("4.5"), None),
    (Decimal(300), None, Decimal("9")),
    (Decimal(500), Decimal("3"), None),
    (Decimal(1000), None, Decimal("15")),
    (Decimal(10000), Decimal("1.5"), None),
    (Decimal(15000), None, Decimal("150")),
    (Decimal(50000), Decimal("1"), None),
)
MAX_NOMINAL_BASE = T_TABLE[-1][0]  # 50 kg or 50 L: the table stops there

#: How many units of a sample may be short by more than T, by sample size n: (smallest n, allowed).
#: Source: OIML R 87:2004, Table 2 (inspection lot 100–500 → n = 50, 3 allowed; 501–3 200 → n = 80,
#: 5 allowed; more than 3 200 → n = 125, 7 allowed). A sample size between two rows uses the smaller row.
#: Below n = 50 (lots under 100 units, checked unit by unit, or a smaller sample) none is allowed: that is
#: this application's conservative choice, not a figure from R 87 or the circular.
#: MUST be checked against TT 21/2014/TT-BKHCN, Annex IV (and the ĐLVN inspection procedure) before
#: the verdict is used in a legal document: the project's sources (DOMAIN.md §6, §13) do not state it.
SAMPLING_PLAN: tuple[tuple[int, int], ...] = ((125, 7), (80, 5), (50, 3), (1, 0))

_TENTH = Decimal("0.1")


#: A mean more than this many times Qn, or less than Qn divided by it, is most likely a typing slip (a
#: thousands separator read as a decimal mark, grams typed for kilograms): the form asks to confirm it.
FAR_FROM_NOMINAL = 10


def mean_far_from_nominal(nominal_quantity: float | Decimal, mean_measured: float | Decimal) -> bool:
    """The mean is more than 10 times Qn or less than a tenth of it (a plausibility check, not a rule)."""
    qn, mean = _dec(nominal_quantity), _dec(mean_measured)
    if qn <= 0:
        return False
    return mean > qn * FAR_FROM_NOMINAL or mean * FAR_FROM_NOMINAL < qn


def _dec(value: float | int | Decimal | str) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def tolerable_deficiency_base(qn: float | int | Decimal, unit: str) -> tuple[Decimal, str]:
    """T in the table's base unit (g or mL) for a nominal quantity ``qn`` given in ``unit``.

    Raises ``ValueError`` for an unknown unit, a quantity not above zero or above 50 kg / 50 L.
    """
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}")
    base_unit, factor = UNITS[unit]
    base = _dec(qn) * factor
    if base <= 0:
        raise ValueError("the nominal quantity must be above zero")
    for upper, percent, absolute in T_TABLE:
        if base <= upper:
            if absolute is not None:
                return absolute, base_unit
            assert percent is not None
            return (base * percent / 100).quantize(_TENTH, rounding=ROUND_CEILING), base_unit
    raise ValueError("the T table stops at 50 kg (50 L)")


def tolerable_deficiency(qn: float | int | Decimal, unit: str) -> Decimal:
    """T for a nominal quantity, in the same unit as ``qn`` (g, kg, mL or L).

    ``tolerable_deficiency(500, "g") == 15``; ``tolerable_deficiency(1, "kg") == Decimal("0.015")``.
    A percentage is rounded up to the next 0.1 g (mL) before converting back to kg (L).
    """
    t_base, _ = tolerable_deficiency_base(qn, unit)
    return t_base / UNITS[unit][1]


def allowed_short_over_t(sample_size: int) -> int:
    """How many units of a sample of ``sample_size`` may be short by more than T (see ``SAMPLING_PLAN``)."""
    for smallest, allowed in SAMPLING_PLAN:
        if sample_size >= smallest:
            return allowed
    return 0


@dataclass(frozen=True)
class LotVerdict:
    result: str  # ItemResult.PASS or FAIL
    tolerable_deficiency: Decimal  # in the lot's unit
    tolerable_deficiency_base: Decimal  # in g or mL
    base_unit: str
    allowed_over_t: int
    reasons: tuple[str, ...]  # "mean_below_nominal", "short_over_2t", "too_many_short_over_t"

    @property
    def passed(self) -> bool:
        return self.result == ItemResult.PASS


def judge_lot(
    *,
    nominal_quantity: float | Decimal,
    unit: str,
    sample_size: int,
    mean_measured: float | Decimal,
    count_short_over_t: int | None,
    count_short_over_2t: int | None,
) -> LotVerdict:
    """Apply the three rules. Raises ``ValueError`` when T cannot be found (see ``tolerable_deficiency``)."""
    t_base, base_unit = tolerable_deficiency_base(nominal_quantity, unit)
    allowed = allowed_short_over_t(sample_size)
    reasons = []
    if _dec(mean_measured) < _dec(nominal_quantity):
        reasons.append("mean_below_nominal")
    if (count_short_over_2t or 0) > 0:
        reasons.append("short_over_2t")
    if (count_short_over_t or 0) > allowed:
        reasons.append("too_many_short_over_t")
    return LotVerdict(
        result=ItemResult.FAIL.value if reasons else ItemResult.PASS.value,
        tolerable_deficiency=t_base / UNITS[unit][1],
        tolerable_deficiency_base=t_base,
        base_unit=base_unit,
        allowed_over_t=allowed,
        reasons=tuple(reasons),
    )


def lot_verdict(lot: PrepackagedLot) -> LotVerdict | None:
    """The verdict for a stored ``PrepackagedLot`` (``None`` if its values cannot be judged)."""
    try:
        return judge_lot(
            nominal_quantity=lot.nominal_quantity,
            unit=lot.unit,
            sample_size=lot.sample_size,
            mean_measured=lot.mean_measured,
            count_short_over_t=lot.count_short_over_t,
            count_short_over_2t=lot.count_short_over_2t,
        )
    except (ValueError, TypeError, ArithmeticError):
        return None
