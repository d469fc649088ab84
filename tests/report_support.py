"""A known set of cases and activities for the annual report's tests, with the figures it must give.

Cases are created through the case service; their review outcome (status, findings, sanctions, samples) is
then set on the rows, so the data set states plainly what each figure must count.

Communes: 30307 Phường Long Xuyên (formed from wards of the former Long Xuyên city, 883) and 30742
Phường Rạch Giá (former Rạch Giá city, 899). Former ward 30280 (Phường Mỹ Bình) was in 883.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from cases.db import db
from cases.models import Activity, Case, Finding, Sample, SurveyCampaign, User, Violation
from tests import factories

LONG_XUYEN = "30307"
RACH_GIA = "30742"
MY_BINH_WARD = "30280"  # former ward of the former Long Xuyên city (883)
CAMPAIGN = "Khảo sát xăng dầu 2026"


@dataclass
class ReportData:
    inspector: User
    cases: dict[str, Case] = field(default_factory=dict)


def _violation(code: str) -> Violation:
    return db.session.scalars(select(Violation).where(Violation.code == code)).one()


def _finding(case: Case, code: str, status: str = "confirmed", **values: Any) -> Finding:
    f = Finding(
        case_id=case.id, violation_id=_violation(code).id, offender_type="individual", status=status, **values
    )
    db.session.add(f)
    return f


def _sample(case: Case, result: str) -> None:
    db.session.add(Sample(case_id=case.id, name=f"Mẫu {result}", result=result))


def _case(
    inspector: User, kind: str, status: str, opened_on: dt.date, commune: str, **overrides: Any
) -> Case:
    created = factories.case(inspector, kind, opened_on=opened_on, commune_code=commune, **overrides)
    created.status = status
    return created


def _activity(task: str, kind: str, held_on: dt.date, quantity: int = 1, title: str | None = None) -> None:
    db.session.add(
        Activity(
            task_code=task,
            activity_type=kind,
            held_on=held_on,
            title=title or f"Hoạt động {task} {held_on.isoformat()}",
            quantity=quantity,
            unit="lượt",
        )
    )


def build(inspector: User) -> ReportData:
    """The data set. Figures for 2026 and 2025 are in ``EXPECTED_2026`` / the tests."""
    data = ReportData(inspector)
    d = dt.date
    est1 = factories.establishment("Cửa hàng xăng dầu Số 1", commune_code=LONG_XUYEN)
    est2 = factories.establishment("Tạp hóa Minh Anh", commune_code=LONG_XUYEN)
    est3 = factories.establishment("Tiệm vàng Kim Phát", commune_code=RACH_GIA)
    est4 = factories.establishment("Cửa hàng xăng dầu Số 4", commune_code=LONG_XUYEN)
    campaign = SurveyCampaign(name=CAMPAIGN, year=2026, field="fuel")
    db.session.add(campaign)
    db.session.flush()

    c = data.cases
    # --- 2026: seven counted cases --------------------------------------------------------------
    c["c1"] = _case(
        inspector,
        "inspection",
        "closed",
        d(2026, 3, 10),
        LONG_XUYEN,
        mode="planned",
        fields=["fuel", "instruments"],
        establishment_id=est1.id,
    )
    c["c2"] = _case(
        inspector,
        "inspection",
        "approved",
        d(2026, 5, 2),
        LONG_XUYEN,
        mode="unscheduled",
        fields=["label"],
        establishment_id=est2.id,
    )
    c["c3"] = _case(
        inspector,
        "inspection",
        "approved",
        d(2026, 5, 20),
        RACH_GIA,
        mode="planned",
        fields=["fuel"],
        establishment_id=est1.id,
        # a second inspection of est1 in 2026: the once-a-year rule needs clear signs of a violation
        clear_signs=True,
        clear_signs_text="Tin báo cột đo bơm thiếu",
    )
    c["c4"] = _case(
        inspector,
        "ecommerce",
        "closed",
        d(2026, 6, 1),
        RACH_GIA,
        action="takedown_request",
        action_on=d(2026, 6, 2),
        taken_down_on=d(2026, 6, 10),
    )
    c["c5"] = _case(
        inspector,
        "ecommerce",
        "approved",
        d(2026, 7, 1),
        RACH_GIA,
        action="referral_qltt",
        action_on=d(2026, 7, 3),
        listing_url="https://shopee.vn/product/9/9",
    )
    c["c6"] = _case(
        inspector,
        "survey",
        "closed",
        d(2026, 8, 1),
        LONG_XUYEN,
        campaign_id=campaign.id,
        establishment_id=est4.id,
    )
    c["c13"] = _case(
        inspector,
        "inspection",
        "approved",
        d(2026, 1, 1),
        RACH_GIA,
        mode="planned",
        fields=["gold"],
        establishment_id=est3.id,
    )
    # --- 2026: not yet reviewed, cancelled ------------------------------------------------------
    c["c7"] = _case(inspector, "inspection", "submitted", d(2026, 9, 1), LONG_XUYEN)
    c["c8"] = _case(inspector, "inspection", "draft", d(2026, 10, 1), LONG_XUYEN)
    c["c9"] = _case(inspector, "inspection", "returned", d(2026, 4, 1), RACH_GIA)
    c["c10"] = _case(inspector, "inspection", "cancelled", d(2026, 2, 1), RACH_GIA)
    # --- other years ----------------------------------------------------------------------------
    c["c11"] = _case(inspector, "inspection", "closed", d(2025, 12, 31), LONG_XUYEN)
    c["c12"] = _case(inspector, "inspection", "closed", d(2026, 11, 1), LONG_XUYEN)
    c["c14"] = _case(
        inspector, "inspection", "closed", d(2025, 3, 15), LONG_XUYEN, former_ward_code=MY_BINH_WARD
    )
    c["c15"] = _case(
        inspector, "inspection", "closed", d(2025, 4, 1), RACH_GIA, former_ward_code=MY_BINH_WARD
    )
    db.session.flush()
    c["c12"].opened_on = d(2027, 1, 1)  # next year (the service refuses a future date)

    # findings: F1 fine paid, F2 dismissed, F3 fine unpaid + goods seized, F4 warning, F5 e-commerce referral
    _finding(
        c["c1"], "DL-XD-01", decided_fine_vnd=15_000_000, sanction_form="fine", fine_paid_on=d(2026, 4, 1)
    )
    _finding(c["c1"], "NH-01", status="dismissed")
    _finding(
        c["c2"], "NH-01", decided_fine_vnd=5_000_000, sanction_form="fine", seized_goods_value_vnd=2_000_000
    )
    _finding(c["c3"], "DL-XD-02", sanction_form="warning")
    _finding(c["c4"], "TMDT-01", referral_agency="Quản lý thị trường An Giang")
    _finding(c["c7"], "NH-01", status="proposed", proposed_fine_vnd=1_000_000)  # not reviewed: never counted
    _finding(c["c14"], "DL-XD-01", decided_fine_vnd=3_000_000, sanction_form="fine")
    _finding(c["c12"], "DL-XD-01", decided_fine_vnd=99_000_000, sanction_form="fine")
    for result in ("fail", "pass"):
        _sample(c["c1"], result)
    _sample(c["c2"], "pending")
    for result in ("fail", "pass"):
        _sample(c["c6"], result)
    _sample(c["c8"], "fail")  # a draft: not counted

    # activities
    _activity("1.1", "media", d(2026, 2, 1))
    _activity("1.1", "media", d(2026, 9, 1))
    _activity("1.1", "media", d(2027, 1, 1))  # next year
    _activity("1.1", "media", d(2025, 12, 31))  # last year
    _activity("1.2", "conference", d(2026, 4, 1))
    _activity("2.2", "enterprise_support", d(2026, 6, 1), quantity=6)
    _activity("2.3", "service_field", d(2025, 6, 1))
    _activity("2.3", "service_field", d(2026, 6, 1))
    _activity("3.2", "training", d(2026, 7, 1))
    _activity("5.1", "conference", d(2025, 5, 1))
    _activity("5.1", "guidance", d(2026, 3, 1))
    db.session.commit()
    return data


# task code → (actual for the year, cumulative actual or None, status), 2026
EXPECTED_TASKS_2026 = {
    "1.1": (2, None, "met"),
    "1.2": (1, None, "met"),
    "2.1": (0, None, "no_target"),
    "2.2": (6, None, "not_met"),
    "2.3": (1, 2, "met"),
    "3.1": (0, None, "no_target"),
    "3.2": (1, None, "met"),
    "3.3": (0, None, "no_target"),
    "4.1": (0, None, "no_target"),
    "4.2": (0, 0, "in_progress"),
    "5.1": (1, None, "met"),
    "5.2": (7, None, "no_target"),
    "6.1": (0, None, "no_target"),
    "6.2": (0, None, "no_target"),
    "II.1.a": (2, 3, "in_progress"),
}


def complete_narrative(text: Any) -> Any:
    """A ``cases.reporting.annual_report.ReportText`` with every narrative section it leaves blank written,
    as a
    report must be before it is finalised (issue 14, item 4)."""
    from cases.reporting.annual_report import TASK_GROUPS

    groups = dict(text.group_results or {})
    for group in TASK_GROUPS:
        groups.setdefault(group, f"Kết quả nhóm nhiệm vụ {group} năm 2026.")
    text.group_results = groups
    text.overall_assessment = text.overall_assessment or "Năm 2026, Sở hoàn thành cơ bản các nhiệm vụ."
    text.limitations = text.limitations or "Lực lượng kiểm tra còn mỏng."
    text.directions = text.directions or "Tiếp tục kiểm tra xăng dầu, vàng trang sức."
    text.recommendations = text.recommendations or "Đề nghị Bộ hỗ trợ thiết bị thử nghiệm nhanh."
    return text
