"""The case history speaks the user's language with the house formats (issue 14, item 8): the report saw
``finding_id: — → 1``, ``original_name``, ``Số lượng hàng hóa: 1.25 → 1250.0`` and hover titles like
``decided_fine_vnd``."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import io
import re

import pytest
from sqlalchemy import select

from cases.db import db
from cases.models import Case, GoodsItem, User
from cases.review import decisions as review
from cases.review import findings, workflow
from cases.review.findings import FindingInput
from tests import evidence_samples, factories
from tests.case_items_support import violation
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def inspector(make_user):
    return make_user("kt-lichsu", "inspector", full_name="Phạm Kiểm Tra")


def _sign_in(app, user: User):
    client = app.test_client()
    assert (
        client.post("/login", data={"username": user.username, "password": TEST_PASSWORD}).status_code == 302
    )
    return client


def _timeline(client, case_id: int) -> str:
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    return html_lib.unescape(page[page.index('data-testid="timeline"') :])


def _entries(timeline: str) -> list[str]:
    """Each change as shown: "label: from → to", tags removed."""
    return [
        re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", "", li)).strip()
        for li in re.findall(r"<li>(.*?)</li>", timeline, re.S)
    ]


def _new_case(app, inspector) -> int:
    with app.app_context():
        case = factories.case(db.session.get(User, inspector.id), "inspection", fields=("label", "fuel"))
        db.session.commit()
        return case.id


def test_a_quantity_edit_reads_in_vietnamese_numbers(app, inspector):
    case_id = _new_case(app, inspector)
    client = _sign_in(app, inspector)
    data = {"name": "Xăng RON 95", "quantity": "1,25", "unit": "lít", "result": "pass"}
    assert client.post(f"/cases/{case_id}/goods/new", data=data).status_code == 302
    with app.app_context():
        goods_id = db.session.scalar(select(GoodsItem.id).where(GoodsItem.case_id == case_id))
    data = {**data, "quantity": "1.250", "result": "fail"}
    assert client.post(f"/cases/{case_id}/goods/{goods_id}/edit", data=data).status_code == 302
    entries = _entries(_timeline(client, case_id))
    assert "Số lượng: 1,25 → 1.250" in entries
    assert "Kết quả: Đạt → Không đạt" in entries


def test_evidence_linked_to_a_finding_names_the_finding_and_the_file(app, inspector):
    case_id = _new_case(app, inspector)
    with app.app_context():
        finding = findings.add_finding(
            case=db.session.get(Case, case_id),
            actor=db.session.get(User, inspector.id),
            data=FindingInput(violation_id=violation("MV-02").id, offender_type="individual"),
        )
        db.session.commit()
        finding_id = finding.id
    client = _sign_in(app, inspector)
    data = {
        "files": [(io.BytesIO(evidence_samples.jpeg()), "tem-kiem-dinh.jpg")],
        "finding_id": str(finding_id),
    }
    resp = client.post(f"/evidence/case/{case_id}", data=data, content_type="multipart/form-data")
    assert resp.status_code == 302
    timeline = _timeline(client, case_id)
    entries = _entries(timeline)
    assert "Tên tệp: — → tem-kiem-dinh.jpg" in entries
    assert any(e.startswith("Vi phạm: — → MV-02 — ") for e in entries), entries
    assert "finding_id" not in timeline and "original_name" not in timeline


def test_a_decision_reads_in_money_names_and_dates_without_column_names(app, inspector, make_user):
    manager = make_user("ld-lichsu", "manager", full_name="Võ Lãnh Đạo")
    with app.app_context():
        actor = db.session.get(User, inspector.id)
        case = factories.case(
            actor,
            "inspection",
            decision_number="15/QĐ-SKHCN",
            decision_date=dt.date(2026, 3, 1),
            start_date=dt.date(2026, 3, 10),
            end_date=dt.date(2026, 3, 12),
            conclusion="Vi phạm.",
        )
        f = findings.add_finding(
            case=case,
            actor=actor,
            data=FindingInput(violation_id=violation("MV-02").id, offender_type="individual"),
        )
        workflow.submit(case, actor)
        review.confirm_finding(
            f,
            db.session.get(User, manager.id),
            reason=None,
            offender_type="organisation",
            sanction_form="fine",
            decision_number="12/QĐ-XPHC",
            decision_date=dt.date(2026, 3, 20),
            fine_vnd=15_000_000,
        )
        db.session.commit()
        case_id = case.id
    timeline = _timeline(_sign_in(app, manager), case_id)
    entries = _entries(timeline)
    for shown in (
        "Số tiền phạt quyết định (đồng): — → 15.000.000\u00a0₫",
        "Ngày quyết định: — → 20/03/2026",
        "Người xem xét: — → Võ Lãnh Đạo",
        "Đối tượng vi phạm: Cá nhân → Tổ chức",
        "Hình thức xử phạt: — → Phạt tiền",
        "Trạng thái: Đề xuất → Đã xác nhận",
    ):
        assert shown in entries, (shown, entries)
    assert "title=" not in timeline[: timeline.index("</section>")]
    assert not re.search(
        r"\b[a-z]+_[a-z_]+\b", re.sub(r"<[^>]+>", "", timeline[: timeline.index("</section>")])
    )
