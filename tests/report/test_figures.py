"""Every figure of task 5.2 and of the plan's targets, on a known data set (tests/report_support.py)."""

from __future__ import annotations

import pytest

from cases.reporting import figures as rf
from cases.reporting import plan_results
from tests import report_support as rs


@pytest.fixture
def data(app_ctx, make_user):
    return rs.build(make_user(role="inspector"))


def test_status_rule_and_year_boundaries(data):
    status = rf.status_summary(rf.Scope.of(2026))
    # c1 c2 c3 c4 c5 c6 c13 count; c7 c8 c9 are not reviewed; c10 cancelled; c11 (31/12/2025) and
    # c12 (01/01/2027) belong to other years
    assert status["counted"] == 7
    assert status["not_reviewed"] == 3
    assert (status["draft"], status["submitted"], status["returned"]) == (1, 1, 1)
    assert status["cancelled"] == 1
    assert rf.status_summary(rf.Scope.of(2025))["counted"] == 3  # c11, c14, c15
    assert rf.status_summary(rf.Scope.of(2027))["counted"] == 1  # c12


def test_counts_by_kind_field_mode_month(data):
    scope = rf.Scope.of(2026)
    assert rf.cases_by_kind(scope) == {"inspection": 4, "ecommerce": 2, "survey": 1}
    assert rf.cases_by_field(scope) == {"fuel": 3, "gold": 1, "instruments": 1, "label": 1}
    assert rf.inspections_by_mode(scope) == {"planned": 3, "unscheduled": 1}
    assert rf.cases_by_month(scope) == [1, 0, 1, 0, 2, 1, 1, 1, 0, 0, 0, 0]


def test_establishments_findings_sanctions(data):
    scope = rf.Scope.of(2026)
    assert rf.establishments(scope) == {"inspected": 4, "with_violations": 2, "violation_rate": 50.0}
    groups = {row["group"]: row["findings"] for row in rf.findings_by_group(scope)}
    assert groups == {
        "Đo lường: kinh doanh xăng dầu": 2,
        "Nhãn hàng hóa": 1,
        "Thương mại điện tử: hàng giả": 1,
    }
    s = rf.sanctions(scope)
    assert s["confirmed_findings"] == 4  # the dismissed and the proposed ones are not
    assert s["cases_with_violations"] == 4
    assert s["fines_decided_vnd"] == 20_000_000
    assert s["fines_collected_vnd"] == 15_000_000
    assert s["fines_outstanding_vnd"] == 5_000_000
    assert s["collection_rate"] == 75.0
    assert s["seized_goods_vnd"] == 2_000_000
    assert s["referred_findings"] == 1
    assert s["by_form"] == {"fine": 2, "warning": 1}


def test_samples_ecommerce_surveys(data):
    scope = rf.Scope.of(2026)
    assert rf.samples(scope) == {"taken": 5, "tested": 4, "failed": 2, "pending": 1, "failure_rate": 50.0}
    assert rf.ecommerce(scope) == {
        "listings_checked": 2,
        "takedowns_requested": 1,
        "takedowns_done": 1,
        "takedowns_open": 0,
        "referrals": 1,
        "warnings": 0,
    }
    assert rf.surveys_by_campaign(scope) == [
        {"campaign": rs.CAMPAIGN, "surveys": 1, "samples": 2, "failed": 1}
    ]


def test_by_commune(data):
    rows = {r["code"]: r for r in rf.by_commune(rf.Scope.of(2026))}
    assert set(rows) == {rs.LONG_XUYEN, rs.RACH_GIA}
    lx, rg = rows[rs.LONG_XUYEN], rows[rs.RACH_GIA]
    assert (lx["name"], lx["cases"], lx["with_violations"], lx["findings"], lx["fines_vnd"]) == (
        "Phường Long Xuyên",
        3,
        2,
        2,
        20_000_000,
    )
    assert (rg["cases"], rg["with_violations"], rg["findings"], rg["fines_vnd"]) == (4, 2, 2, 0)
    assert rg["violation_share"] == 50.0
    assert [r["code"] for r in rf.by_commune(rf.Scope.of(2026))] == [
        rs.RACH_GIA,
        rs.LONG_XUYEN,
    ]  # busiest first


def test_by_former_district_recorded_before_the_reform_derived_after(data):
    rows = {r["code"]: r for r in rf.by_former_district(rf.Scope.of(2025))}
    # c14 and c15 carry former ward Mỹ Bình (883) — c15 although its commune today is Rạch Giá;
    # c11 (31/12/2025, no former ward) is attributed through its commune Long Xuyên to 883 as well
    assert set(rows) == {"883"}
    assert rows["883"]["cases"] == 3
    assert rows["883"]["derived_cases"] == 1
    assert rows["883"]["name"] == "Thành phố Long Xuyên"
    assert rows["883"]["fines_vnd"] == 3_000_000
    later = {r["code"]: r for r in rf.by_former_district(rf.Scope.of(2026))}
    assert {code: r["cases"] for code, r in later.items()} == {"883": 3, "899": 4}
    assert all(r["derived_cases"] == r["cases"] for r in later.values())


def test_scope_narrows_every_figure(data):
    scope = rf.Scope.of(2026, communes=[rs.LONG_XUYEN])
    assert rf.status_summary(scope)["counted"] == 3
    assert rf.sanctions(scope)["fines_decided_vnd"] == 20_000_000
    assert rf.ecommerce(scope)["listings_checked"] == 0
    fuel = rf.Scope.of(2026, field="fuel")
    assert rf.cases_by_kind(fuel) == {"inspection": 2, "ecommerce": 0, "survey": 1}
    assert rf.sanctions(fuel)["confirmed_findings"] == 2  # F1 on c1, F4 on c3
    assert rf.cases_by_kind(rf.Scope.of(2026, kind="ecommerce")) == {
        "inspection": 0,
        "ecommerce": 2,
        "survey": 0,
    }


def test_task_results_targets_and_cumulative(data):
    results = {r["code"]: r for r in plan_results.task_results(2026)}
    assert list(results) == list(rs.EXPECTED_TASKS_2026)  # all 14 tasks and II.1.a, in the plan's order
    for code, (actual, cumulative, status) in rs.EXPECTED_TASKS_2026.items():
        row = results[code]
        assert (row["actual_year"], row["actual_cumulative"], row["status"]) == (
            actual,
            cumulative,
            status,
        ), code
    earlier = {r["code"]: r for r in plan_results.task_results(2025)}
    assert earlier["2.3"]["actual_cumulative"] == 1
    assert earlier["2.3"]["status"] == "in_progress"
    assert earlier["1.1"]["actual_year"] == 1
    assert earlier["1.1"]["status"] == "not_met"
    assert earlier["II.1.a"]["actual_cumulative"] == 1  # the 5.1 conference of 2025
    later = {r["code"]: r for r in plan_results.task_results(2027)}
    assert later["2.3"]["actual_cumulative"] == 2
    assert later["2.3"]["status"] == "met"


def test_task_results_after_the_last_cumulative_year_is_not_met(data):
    results = {r["code"]: r for r in plan_results.task_results(2031)}
    assert results["4.2"]["status"] == "not_met"
    assert results["4.2"]["actual_cumulative"] == 0
    assert results["2.3"]["actual_cumulative"] == 2  # 2025–2030 only


def test_activities_by_task(data):
    listed = plan_results.activities_by_task(2026)
    assert [a["date"] for a in listed["1.1"]] == ["2026-02-01", "2026-09-01"]
    assert listed["2.2"][0]["quantity"] == 6


def test_task_results_given_the_counted_cases_are_the_same(data):
    counted = rf.status_summary(rf.Scope.of(2026))["counted"]
    assert plan_results.task_results(2026, counted_cases=counted) == plan_results.task_results(2026)
