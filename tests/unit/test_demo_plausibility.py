"""The demo data make sense to someone who knows the trade (issue 14, item 16): what each establishment is
checked for, the products, the online listings and the survey campaigns fit its trade; and every piece of
evidence has its file, so that its link and thumbnail answer.

The rules below are written from the establishment's name, independently of the generator's vocabulary:
a new kind of establishment in the generator needs its rule here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from cases.db import db
from cases.demo import generator as demo_data
from cases.models import (
    Case,
    CaseField,
    Establishment,
    EvidenceFile,
    GoodsItem,
    InstrumentCheck,
    PrepackagedLot,
    Sample,
    SurveyCampaign,
)
from cases.recording import evidence

TODAY = dt.date(2026, 11, 28)

FUEL = r"Xăng|Dầu diesel|Dầu hỏa|LPG"
GOLD = r"[Vv]àng|Nhẫn|Dây chuyền|Bông tai|Lắc tay"
FOOD = r"Nước mắm|Mắm|Kẹo dừa|Bánh phồng|Khô cá|Bánh pía|Gạo|Đường|Dầu ăn|Mì|Nước giải khát|Trà|Cà phê|Bột"
HOUSEHOLD = r"Bột giặt|Nước rửa chén|Mũ bảo hiểm|Đồ chơi|Ổ cắm|Bóng đèn|Dây điện|Sữa"
BUILDING = r"Thép|Xi măng|Gạch|Ống nhựa|Tôn"
RICE = r"Gạo|Lúa|Phân bón"
COSMETICS = r"Mỹ phẩm|Son|Kem|Sữa rửa mặt|Nước hoa|Dầu gội"
SCALES = {"spring_scale", "platform_scale", "weight"}


@dataclass(frozen=True)
class Rule:
    name: str  # a regular expression on the establishment's name
    fields: set[str]
    products: str  # what its products, goods and samples are called
    instruments: set[str] = frozenset()  # type: ignore[assignment]
    online: str | None = None  # what it may sell online (None: nothing)


RULES = (
    Rule(r"[Xx]ăng dầu", {"fuel", "instruments", "quality"}, FUEL,
         {"fuel_pump", "lpg_dispenser", "tank_gauge"}),
    Rule(r"^Tiệm vàng|Vàng bạc", {"gold", "instruments", "label"}, GOLD,
         {"precision_balance", "weight"}, GOLD),
    Rule(r"Thực phẩm|Cơ sở sản xuất", {"prepackaged", "label", "barcode", "quality"}, FOOD, SCALES, FOOD),
    Rule(r"tạp hóa|Siêu thị mini|Thương mại", {"prepackaged", "label", "barcode", "quality", "instruments"},
         f"{FOOD}|{HOUSEHOLD}", SCALES, f"{FOOD}|{HOUSEHOLD}"),
    Rule(r"^Sạp chợ", {"instruments", "label", "prepackaged"}, FOOD, {"spring_scale", "platform_scale"}),
    Rule(r"[Vv]ật liệu xây dựng", {"quality", "standards", "label", "instruments"}, BUILDING,
         {"truck_scale", "platform_scale"}),
    Rule(r"Hợp tác xã Nông nghiệp", {"prepackaged", "label", "quality", "instruments"}, RICE,
         {"moisture_meter", "platform_scale", "truck_scale"}, RICE),
    Rule(r"Cấp nước", {"instruments"}, r"Đồng hồ nước", {"water_meter"}),
    Rule(r"Taxi|Vận tải", {"instruments"}, r"Taxi|taxi", {"taximeter"}),
    Rule(r"[Mm]ỹ phẩm", {"label", "quality", "barcode"}, COSMETICS, set(), COSMETICS),
)  # fmt: skip


def rule_for(name: str) -> Rule:
    matching = [r for r in RULES if re.search(r.name, name)]
    assert len(matching) == 1, f"no single trade rule for {name!r}: {[r.name for r in matching]}"
    return matching[0]


@pytest.fixture
def demo(app_ctx, app):
    demo_data.generate(cases=600, seed=3, today=TODAY, upload_folder=app.config["UPLOAD_FOLDER"])
    db.session.commit()


def _fields() -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for case_id, f in db.session.execute(select(CaseField.case_id, CaseField.field)):
        out.setdefault(case_id, set()).add(f)
    return out


def test_each_establishment_is_checked_for_what_its_trade_is(demo):
    fields = _fields()
    names = dict(db.session.execute(select(Establishment.id, Establishment.name)).all())
    for name in names.values():
        rule_for(name)  # every establishment has a trade the rules know
    checked = 0
    for case in db.session.scalars(select(Case).where(Case.establishment_id.is_not(None))):
        rule = rule_for(names[case.establishment_id])
        where = f"{case.number} at {names[case.establishment_id]!r}"
        if case.kind == "ecommerce":
            assert rule.online is not None, f"{where}: sells nothing online"
            assert re.search(rule.online, case.product or ""), f"{where} sells {case.product!r} online"
            continue
        assert fields[case.id] <= rule.fields, f"{where} checked for {fields[case.id]}"
        assert re.search(rule.products, case.product or ""), f"{where}: product {case.product!r}"
        checked += 1
    assert checked > 300


def test_items_and_samples_fit_the_trade(demo):
    names = dict(
        db.session.execute(
            select(Case.id, Establishment.name).join(Establishment, Establishment.id == Case.establishment_id)
        ).all()
    )
    for case_id, kind in db.session.execute(select(InstrumentCheck.case_id, InstrumentCheck.instrument_type)):
        assert kind in rule_for(names[case_id]).instruments, (names[case_id], kind)
    named = ((GoodsItem, GoodsItem.name), (PrepackagedLot, PrepackagedLot.product), (Sample, Sample.name))
    for model, column in named:
        for case_id, product in db.session.execute(select(model.case_id, column)):
            assert re.search(rule_for(names[case_id]).products, product), (names[case_id], product)
    groups = set(db.session.scalars(select(GoodsItem.product_group).distinct()))
    assert groups and all(g and " " in g or g.islower() for g in groups) and "label" not in groups, groups
    for lot in db.session.scalars(select(PrepackagedLot)):
        assert lot.unit in {"g", "kg", "mL", "L"}
        assert re.search(rf"\b{re.escape(f'{lot.nominal_quantity:g}')} ?{lot.unit}\b", lot.product), (
            lot.product, lot.nominal_quantity, lot.unit,
        )  # fmt: skip


def test_survey_campaigns_are_named_properly_and_survey_their_trades(demo):
    names = dict(db.session.execute(select(Establishment.id, Establishment.name)).all())
    campaigns = {c.id: c for c in db.session.scalars(select(SurveyCampaign))}
    assert campaigns
    for c in campaigns.values():
        # "Khảo sát chất lượng xăng dầu năm 2026": a capital first, then lower case, and the year
        assert re.fullmatch(r"Khảo sát [a-zà-ỹđ ,]+ năm \d{4}", c.name), c.name
        assert c.name.endswith(str(c.year))
    fields = _fields()
    for case in db.session.scalars(select(Case).where(Case.kind == "survey")):
        campaign = campaigns[case.campaign_id]
        rule = rule_for(names[case.establishment_id])
        assert fields[case.id] == {campaign.field}, (case.number, campaign.name)
        assert campaign.field in rule.fields, (case.number, campaign.name)


def test_every_evidence_row_has_its_file_and_its_link_answers(demo, app, client, login):
    rows = db.session.scalars(select(EvidenceFile)).all()
    assert len(rows) > 50
    kinds = {r.content_type for r in rows}
    assert {"image/jpeg", "image/png", "application/pdf"} <= kinds
    folder = app.config["UPLOAD_FOLDER"]
    for ev in rows:
        path = evidence.evidence_path(ev, folder)
        assert path.is_file(), ev.stored_name
        data = path.read_bytes()
        assert len(data) == ev.size_bytes and evidence.sniff_content_type(data[:16]) == ev.content_type
        assert __import__("hashlib").sha256(data).hexdigest() == ev.sha256
        assert ev.has_thumbnail == (ev.content_type in evidence.IMAGE_TYPES)
    login("lanhdao1", demo_data.DEMO_PASSWORDS[demo_data.Role.MANAGER])
    for ev in rows[:: max(1, len(rows) // 60)]:  # a sample of them through the pages
        response = client.get(f"/evidence/{ev.id}")
        assert response.status_code == 200, ev.id
        assert response.mimetype == ev.content_type
        response.close()
        if ev.has_thumbnail:
            thumb = client.get(f"/evidence/{ev.id}/thumbnail")
            assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
            thumb.close()
    page = client.get(f"/cases/{rows[0].case_id}").get_data(as_text=True)
    assert f"/evidence/{rows[0].id}" in page


def test_without_an_upload_folder_no_evidence_is_recorded(app_ctx):
    demo_data.generate(cases=200, seed=3, today=TODAY)
    assert db.session.scalar(select(db.func.count(EvidenceFile.id))) == 0


def test_each_case_goes_through_its_workflow_in_time_order(demo):
    from cases.models import AuditEvent

    steps: dict[int, list[tuple[dt.datetime, str]]] = {}
    for case_id, at, action in db.session.execute(
        select(AuditEvent.case_id, AuditEvent.at, AuditEvent.action).where(AuditEvent.entity_type == "case")
    ):
        steps.setdefault(case_id, []).append((at, action))
    order = ["create", "submit", "return", "approve", "close", "cancel"]
    for case in db.session.scalars(select(Case)):
        actions = [a for _at, a in sorted(steps[case.id])]
        assert actions == sorted(actions, key=order.index), (case.number, actions)
        if case.closed_on is not None:
            assert case.closed_on >= case.opened_on
            approved = max(at for at, a in steps[case.id] if a == "approve")
            assert case.closed_on >= approved.date(), (case.number, case.closed_on, approved)
