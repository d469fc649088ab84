"""A realistic inspection case for the tests of the official documents: an establishment with its tax code
and representative, a team of two, an instrument, a prepackaged lot, goods, a sample, and a confirmed finding
with a decided fine (issue 17)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from cases.db import db
from cases.models import (
    Case,
    Finding,
    GoodsItem,
    InstrumentCheck,
    PrepackagedLot,
    Sample,
    User,
    Violation,
)
from tests import factories

ON = dt.date(2026, 11, 13)
FINE = 7_500_000


def realistic_case(leader: User, member: User) -> Case:
    est = factories.establishment(
        name="Công ty TNHH Xăng dầu Kiên Lương",
        tax_code="1700123456",
        address="45 Lê Lợi",
        representative="Phạm Văn Đại",
        phone="0297 3811 222",
    )
    case = factories.case(
        leader,
        "inspection",
        establishment_id=est.id,
        address="45 Lê Lợi",
        fields=["instruments", "prepackaged", "quality"],
        product="Xăng RON 95, gas đóng bình, mũ bảo hiểm",
        decision_number="123/QĐ-SKHCN",
        decision_date=dt.date(2026, 11, 10),
        decision_signer="Giám đốc Sở Khoa học và Công nghệ",
        start_date=dt.date(2026, 11, 12),
        end_date=dt.date(2026, 11, 13),
        team_ids=[leader.id, member.id],
        conclusion="Cơ sở vi phạm về kiểm định phương tiện đo.",
    )
    db.session.add_all(
        [
            InstrumentCheck(
                case_id=case.id,
                instrument_type="fuel_pump",
                description="Cột đo Tatsuno 2 vòi",
                serial_number="TS-88123",
                certificate_number="KĐ-2025-0456",
                certificate_expiry=dt.date(2026, 10, 1),
                seal_condition="intact",
                measured_error=0.62,
                error_limit=0.5,
                error_unit="%",
                result="fail",
            ),
            PrepackagedLot(
                case_id=case.id,
                product="Gas Petrolimex bình 12 kg",
                nominal_quantity=12,
                unit="kg",
                sample_size=20,
                mean_measured=11.85,
                count_short_over_t=3,
                count_short_over_2t=0,
                result="fail",
            ),
            GoodsItem(
                case_id=case.id,
                name="Mũ bảo hiểm Sơn Hà",
                product_group="Mũ bảo hiểm",
                origin="Việt Nam",
                quantity=40,
                unit="chiếc",
                value_vnd=4_000_000,
                label_observation="Thiếu ngày sản xuất",
                cr_mark_observation="Không có dấu CR",
                barcode="8934567000123",
                barcode_observation="Mã hợp lệ",
                result="fail",
            ),
            Sample(
                case_id=case.id,
                name="Xăng RON 95-III",
                code="M-2026-017",
                standard="QCVN 1:2022/BKHCN",
                lab="Trung tâm Kỹ thuật TĐC 3",
                sent_on=dt.date(2026, 11, 13),
                notes="Niêm phong bằng tem của Đoàn",
            ),
        ]
    )
    db.session.flush()
    db.session.refresh(case)
    return case


def confirmed_finding(case: Case) -> Finding:
    violation = db.session.scalar(select(Violation).where(Violation.code == "DL-BB-04"))
    found = Finding(
        case_id=case.id,
        violation_id=violation.id,
        offender_type="organisation",
        status="confirmed",
        sanction_form="fine",
        decided_fine_vnd=FINE,
        additional_penalties="Không",
        remedies_decided="Buộc kiểm định lại cột đo trước khi sử dụng",
        deadline=dt.date(2026, 12, 20),
        goods_description="Cột đo xăng dầu TS-88123",
    )
    db.session.add(found)
    db.session.flush()
    db.session.refresh(case)
    return found
