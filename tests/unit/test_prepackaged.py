"""The tolerable deficiency T (OIML R 87 table, DOMAIN.md §13) and the prepackaged lot rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cases.inspection.prepackaged import (
    allowed_short_over_t,
    judge_lot,
    tolerable_deficiency,
    tolerable_deficiency_base,
)


@pytest.mark.parametrize(
    ("qn", "expected"),
    [
        # every bound of the table: the rows meet there
        (50, "4.5"),  # 9 % of 50
        (100, "4.5"),
        (200, "9"),  # 4.5 % of 200
        (300, "9"),
        (500, "15"),  # 3 % of 500
        (1000, "15"),
        (10000, "150"),  # 1.5 % of 10 000
        (15000, "150"),
        (50000, "500"),  # 1 % of 50 000
        # inside the rows
        (5, "0.5"),  # 9 % of 5 = 0.45 → rounded up to 0.5
        (33, "3"),  # 2.97 → 3.0
        (12.3, "1.2"),  # 1.107 → 1.2
        (75, "4.5"),
        (150, "6.8"),  # 6.75 → 6.8
        (250, "9"),
        (400, "12"),  # 3 % of 400, exactly 12 (no float noise)
        (750, "15"),
        (2500, "37.5"),
        (12000, "150"),
        (20000, "200"),
    ],
)
def test_t_in_grams(qn, expected):
    assert tolerable_deficiency(qn, "g") == Decimal(expected)
    assert tolerable_deficiency(qn, "mL") == Decimal(expected)


@pytest.mark.parametrize(
    ("qn", "unit", "expected", "base"),
    [
        (1, "kg", "0.015", "15"),
        (0.5, "kg", "0.015", "15"),
        (2.5, "kg", "0.0375", "37.5"),
        (10, "kg", "0.15", "150"),
        (25, "kg", "0.25", "250"),
        (50, "kg", "0.5", "500"),
        (0.25, "L", "0.009", "9"),
        (0.75, "L", "0.015", "15"),
        (1.5, "L", "0.0225", "22.5"),
        (5, "L", "0.075", "75"),
    ],
)
def test_t_converts_kg_and_litres(qn, unit, expected, base):
    assert tolerable_deficiency(qn, unit) == Decimal(expected)
    t_base, base_unit = tolerable_deficiency_base(qn, unit)
    assert t_base == Decimal(base)
    assert base_unit == ("g" if unit == "kg" else "mL")


def test_percentage_rounded_up_in_grams_before_converting_back():
    # 1.23 kg → 1.5 % of 1230 g = 18.45 g → 18.5 g → 0.0185 kg
    assert tolerable_deficiency(1.23, "kg") == Decimal("0.0185")


@pytest.mark.parametrize(
    ("qn", "unit"), [(0, "g"), (-1, "g"), (50001, "g"), (50.5, "kg"), (60, "L"), (1, "lb")]
)
def test_t_outside_the_table_is_refused(qn, unit):
    with pytest.raises(ValueError):
        tolerable_deficiency(qn, unit)


@pytest.mark.parametrize(
    ("n", "allowed"), [(1, 0), (20, 0), (49, 0), (50, 3), (79, 3), (80, 5), (124, 5), (125, 7), (500, 7)]
)
def test_sampling_plan(n, allowed):
    assert allowed_short_over_t(n) == allowed


def _lot(**changes):
    values = {
        "nominal_quantity": 500,
        "unit": "g",
        "sample_size": 50,
        "mean_measured": 501.2,
        "count_short_over_t": 0,
        "count_short_over_2t": 0,
    }
    values.update(changes)
    return judge_lot(**values)


def test_a_good_lot_passes():
    verdict = _lot()
    assert verdict.result == "pass"
    assert verdict.passed
    assert verdict.reasons == ()
    assert verdict.tolerable_deficiency == 15
    assert verdict.allowed_over_t == 3


def test_mean_exactly_nominal_passes_and_just_below_fails():
    assert _lot(mean_measured=500).result == "pass"
    verdict = _lot(mean_measured=499.9)
    assert verdict.result == "fail"
    assert verdict.reasons == ("mean_below_nominal",)


def test_any_unit_short_by_more_than_2t_fails():
    verdict = _lot(count_short_over_t=1, count_short_over_2t=1)
    assert verdict.result == "fail"
    assert verdict.reasons == ("short_over_2t",)


def test_short_over_t_up_to_the_allowed_number_passes():
    assert _lot(count_short_over_t=3).result == "pass"
    verdict = _lot(count_short_over_t=4)
    assert verdict.result == "fail"
    assert verdict.reasons == ("too_many_short_over_t",)


def test_a_small_sample_allows_no_unit_short_over_t():
    assert _lot(sample_size=20, count_short_over_t=0).result == "pass"
    assert _lot(sample_size=20, count_short_over_t=1).reasons == ("too_many_short_over_t",)


def test_every_failed_rule_is_reported():
    verdict = _lot(mean_measured=480, count_short_over_t=6, count_short_over_2t=2)
    assert verdict.reasons == ("mean_below_nominal", "short_over_2t", "too_many_short_over_t")


def test_a_lot_in_kilograms():
    verdict = _lot(nominal_quantity=1, unit="kg", mean_measured=1.002)
    assert verdict.result == "pass"
    assert verdict.tolerable_deficiency == Decimal("0.015")
    assert verdict.tolerable_deficiency_base == 15
    assert verdict.base_unit == "g"
