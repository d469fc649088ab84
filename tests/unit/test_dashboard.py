"""The dashboard's figures on a known data set (tests/dashboard_support.py), the liaison's restriction, the
case-list filters its numbers link to, and a number of queries that does not grow with the data."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.db import db
from cases.models import Case, Finding
from cases.recording.queries import CaseFilters, case_list_query
from cases.reporting import dashboard, plan_results
from cases.reporting import figures as rf
from tests import dashboard_support as ds
from tests import factories
from tests.dashboard_support import LONG_XUYEN, RACH_GIA, TODAY
from tests.sql_statements import recorded_statements


@pytest.fixture
def data(app_ctx, make_user):
    return ds.build(make_user("thanhtra1", role="inspector"))


def _names(data, cases) -> set[str]:
    ids = {c.id for c in cases}
    return {name for name, c in data.cases.items() if c.id in ids}


def test_province_overview(data):
    o = dashboard.overview(2026, today=TODAY)
    assert o["queue"] == {"submitted": 2, "returned": 1}  # c7 and c_open; c9
    assert o["overdue"] == {"findings": 1, "cases": 1}  # c2's unpaid fine; c1's is paid
    assert o["status"]["counted"] == 7
    assert (o["status"]["draft"], o["status"]["submitted"], o["status"]["returned"]) == (1, 2, 1)
    assert o["by_kind"] == {"inspection": 4, "ecommerce": 2, "survey": 1}
    assert o["by_kind_previous"] == {"inspection": 3, "ecommerce": 0, "survey": 0}  # c11 c14 c15
    assert o["by_month"] == [1, 0, 1, 0, 2, 1, 1, 1, 0, 0, 0, 0]
    assert o["by_month_previous"] == [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    s = o["sanctions"]
    assert (s["fines_decided_vnd"], s["fines_collected_vnd"], s["fines_outstanding_vnd"]) == (
        20_000_000,
        15_000_000,
        5_000_000,
    )
    assert s["cases_with_violations"] == 4
    assert [(g["group"], g["findings"]) for g in o["groups"]] == [
        ("Đo lường: kinh doanh xăng dầu", 2),
        ("Nhãn hàng hóa", 1),
        ("Thương mại điện tử: hàng giả", 1),
    ]
    assert o["takedowns"]["total"] == 1
    assert [t["number"] for t in o["takedowns"]["rows"]] == [data.cases["c_open"].number]
    assert o["takedowns"]["rows"][0]["since"] == dt.date(2026, 10, 6)
    repeat = o["repeat_offenders"]
    assert repeat["total"] == 1  # Cửa hàng xăng dầu Số 1: confirmed findings in c1 and c3
    assert [(r["name"], r["cases"], r["latest"]) for r in repeat["rows"]] == [
        ("Cửa hàng xăng dầu Số 1", 2, dt.date(2026, 5, 20))
    ]
    # Số 1's violations are of 2026: in 2025 it was not (yet) a repeat offender active that year
    assert dashboard.repeat_offenders(rf.Scope.of(2025))["total"] == 0
    assert o["plan"]["counts"]["met"] == 5  # 1.1 1.2 2.3 3.2 5.1 (tests/report_support.py)
    assert o["plan"]["counts"]["not_met"] == 1  # 2.2
    assert o["plan"]["counts"]["in_progress"] == 2  # 4.2 II.1.a


def test_figures_are_the_report_figures(data):
    """One place computes each figure: the dashboard's shared figures are the report's, unchanged."""
    o = dashboard.overview(2026, today=TODAY)
    scope = rf.Scope.of(2026)
    assert o["sanctions"] == rf.sanctions(scope)
    assert o["groups"] == rf.findings_by_group(scope)
    assert o["by_month"] == rf.cases_by_month(scope)
    assert o["plan"]["tasks"] == plan_results.task_results(2026)  # given the counted cases it already has
    by_commune = {r["code"]: (r["cases"], r["with_violations"]) for r in rf.by_commune(scope)}
    on_map = {f.code: (f.cases, f.confirmed) for f in dashboard.map_figures(scope) if f.cases}
    assert on_map == by_commune == {LONG_XUYEN: (3, 2), RACH_GIA: (4, 2)}


@pytest.mark.parametrize("communes", [None, {RACH_GIA}, {LONG_XUYEN}])
def test_months_and_kinds_in_one_pass_are_the_reports_figures(data, communes):
    """``months_and_kinds`` (the dashboard's one pass over a year) gives the report's own monthly and
    per-kind counts, for this year and last; a case of 31 December counts in its year."""
    inspector = data.inspector
    for opened in (dt.date(2025, 12, 31), dt.date(2026, 1, 1)):
        case = factories.case(inspector, "ecommerce", opened_on=opened, commune_code=RACH_GIA)
        case.status = "approved"
    db.session.flush()
    for year in (2025, 2026):
        scope = rf.Scope.of(year, communes=communes)
        assert rf.months_and_kinds(scope) == {
            "by_month": rf.cases_by_month(scope),
            "by_kind": rf.cases_by_kind(scope),
        }, year
    if communes != {LONG_XUYEN}:
        assert rf.cases_by_month(rf.Scope.of(2025, communes=communes))[11] >= 1


def test_liaison_sees_only_their_communes(data):
    rach_gia = dashboard.overview(2026, today=TODAY, communes={RACH_GIA})
    assert rach_gia["status"]["counted"] == 4  # c3 c4 c5 c13
    assert rach_gia["queue"] == {"submitted": 1, "returned": 1}  # c_open; c9
    assert rach_gia["overdue"] == {"findings": 0, "cases": 0}
    assert rach_gia["by_kind"] == {"inspection": 2, "ecommerce": 2, "survey": 0}
    assert rach_gia["sanctions"]["fines_decided_vnd"] == 0
    assert rach_gia["takedowns"]["total"] == 1
    assert rach_gia["repeat_offenders"]["total"] == 0  # only one of Số 1's two cases is in Rạch Giá
    assert rach_gia["plan"] is None  # the plan is the province's, not a commune's
    long_xuyen = dashboard.overview(2026, today=TODAY, communes={LONG_XUYEN})
    assert long_xuyen["status"]["counted"] == 3
    assert long_xuyen["overdue"] == {"findings": 1, "cases": 1}
    assert long_xuyen["takedowns"]["total"] == 0
    assert long_xuyen["sanctions"]["fines_collected_vnd"] == 15_000_000
    figures = dashboard.map_figures(rf.Scope.of(2026, communes={RACH_GIA}))
    assert len(figures) == 102  # every commune is placed, for the province's shape
    assert [f.code for f in figures if f.in_scope] == [RACH_GIA]
    assert [(f.code, f.cases) for f in figures if f.cases] == [(RACH_GIA, 4)]


def test_map_figures_by_kind_and_field(data):
    fuel = dashboard.map_figures(rf.Scope.of(2026, field="fuel"))
    assert {f.code: f.cases for f in fuel if f.cases} == {LONG_XUYEN: 2, RACH_GIA: 1}  # c1 c6; c3
    ecommerce = dashboard.map_figures(rf.Scope.of(2026, kind="ecommerce"))
    assert {f.code: (f.cases, f.confirmed) for f in ecommerce if f.cases} == {RACH_GIA: (2, 1)}


def test_gps_cells_group_counted_cases(data):
    cells = dashboard.gps_cells(rf.Scope.of(2026))
    assert [(c.latitude, c.longitude, c.cases) for c in cells] == [
        (10.39, 105.44, 2),  # c1 and c2; c7 (submitted) is not counted
        (10.01, 105.08, 1),
    ]


def test_own_work(data):
    own = dashboard.own_work(data.inspector.id, 2026)
    assert own == {"draft": 1, "returned": 1, "submitted": 2, "counted": 7}
    assert dashboard.own_work(data.inspector.id + 999, 2026) == {
        "draft": 0,
        "returned": 0,
        "submitted": 0,
        "counted": 0,
    }


def test_available_years(data):
    assert dashboard.available_years(TODAY) == [2027, 2026, 2025]


def test_list_filters_behind_the_numbers(data):
    def listed(**filters) -> set[str]:
        rows = db.session.scalars(case_list_query(CaseFilters(**filters), user=data.inspector)).unique()
        return _names(data, rows)

    assert listed(year=2026, counted=True) == {"c1", "c2", "c3", "c4", "c5", "c6", "c13"}
    assert listed(year=2026, month=5, counted=True) == {"c2", "c3"}
    assert listed(year=2025, month=12) == {"c11"}
    assert listed(year=2026, counted=True, has_violation=True) == {"c1", "c2", "c3", "c4"}
    assert listed(year=2026, counted=True, violation_group="Nhãn hàng hóa") == {"c2"}  # c1's is dismissed
    assert listed(year=2026, counted=True, fine="decided") == {"c1", "c2"}
    assert listed(year=2026, counted=True, fine="paid") == {"c1"}
    assert listed(year=2026, counted=True, fine="unpaid") == {"c2"}
    assert listed(overdue=True) == {"c2"}
    assert listed(takedown_open=True) == {"c_open"}
    assert listed(year=2026, counted=True, commune_code=LONG_XUYEN) == {"c1", "c2", "c6"}


def test_filters_round_trip_through_the_url(app):
    from forms.case_filters import parse_case_filters

    filters = CaseFilters(
        year=2026, month=3, counted=True, has_violation=True, fine="paid", kind="inspection"
    )
    args = filters.as_args()
    assert args == {
        "kind": "inspection",
        "year": 2026,
        "month": 3,
        "counted": 1,
        "has_violation": 1,
        "fine": "paid",
    }
    assert parse_case_filters({k: str(v) for k, v in args.items()}) == filters
    assert "month" not in filters.without("year") and "year" not in filters.without("year")
    bad = parse_case_filters({"year": "abc", "month": "13", "fine": "x", "counted": "maybe"})
    assert (bad.year, bad.month, bad.fine, bad.counted) == (None, None, None, False)


def _dashboard_queries(communes: set[str] | None = None) -> int:
    db.session.expire_all()
    with recorded_statements() as statements:
        dashboard.overview(2026, today=TODAY, communes=communes)
        scope = rf.Scope.of(2026, communes=communes)
        dashboard.map_figures(scope)
        dashboard.gps_cells(scope)
        dashboard.available_years(TODAY)
    return len(statements)


def test_query_count_does_not_depend_on_data_size(data):
    small, small_liaison = _dashboard_queries(), _dashboard_queries({RACH_GIA})
    inspector = data.inspector
    violation_id = db.session.scalars(db.select(Finding.violation_id)).first()
    for i in range(40):
        commune = ("30307", "30742", "30313", "30316")[i % 4]
        est = factories.establishment(f"Cơ sở thêm {i}", commune_code=commune)
        case = factories.case(
            inspector,
            "inspection",
            opened_on=dt.date(2026, 1 + i % 11, 1 + i % 27),
            commune_code=commune,
            establishment_id=est.id,
            latitude=10.0 + i / 100,
            longitude=105.0 + i / 100,
        )
        case.status = ("approved", "closed", "submitted")[i % 3]
        db.session.add(
            Finding(
                case_id=case.id,
                violation_id=violation_id,
                offender_type="individual",
                status="confirmed",
                decided_fine_vnd=1_000_000,
                deadline=dt.date(2026, 2, 1),
            )
        )
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Case.id))) > 50
    assert _dashboard_queries() == small
    assert _dashboard_queries({RACH_GIA}) == small_liaison
    assert (small, small_liaison) == (18, 15)  # docs/dashboard.md
