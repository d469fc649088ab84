"""The planning pages (issue 18): recording a tip, the score on the establishment's page, the once-a-year rule
beside the establishment field of the case form, the weights' admin page, the overrides' list, the CLI."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from cases.db import db
from cases.models import AgencyCheck, Case, Establishment, RiskWeightVersion, Tip
from tests import factories

HERE = "30742"


def _establishment(app, name: str = "Cửa hàng xăng dầu Phú Hòa", **kwargs) -> int:
    with app.app_context():
        est = factories.establishment(name=name, commune_code=HERE, **kwargs)
        db.session.commit()
        return est.id


def test_a_tip_is_recorded_and_shown_with_the_score(app, client, make_user, login):
    login(make_user("thanhtra1", "inspector"))
    est_id = _establishment(app)
    page = client.get(f"/planning/establishments/{est_id}/risk?fragment=1").get_data(as_text=True)
    assert "Điểm rủi ro" in page and "Chưa có lần kiểm tra nào" in page
    form = client.get(f"/tips/new?establishment_id={est_id}").get_data(as_text=True)
    assert "Nội dung tin báo" in form
    resp = client.post(
        "/tips/new",
        data={
            "source": "hotline",
            "received_on": dt.date.today().strftime("%d/%m/%Y"),
            "content": "Bơm thiếu xăng",
            "establishment_id": str(est_id),
            "commune_code": HERE,
        },
    )
    assert resp.status_code == 302
    with app.app_context():
        tip = db.session.scalars(select(Tip)).one()
        assert (tip.establishment_id, tip.status, tip.commune_code) == (est_id, "open", HERE)
    page = client.get(f"/planning/establishments/{est_id}/risk?fragment=1").get_data(as_text=True)
    assert "1 tin báo, phản ánh chưa xử lý" in page
    assert "Mở vụ việc đột xuất" in client.get(f"/tips/{tip.id}").get_data(as_text=True)
    prefilled = client.get(f"/cases/new/inspection?tip={tip.id}").get_data(as_text=True)
    assert "Căn cứ: tin báo, phản ánh" in prefilled and f'value="{tip.id}"' in prefilled
    assert "Bơm thiếu xăng" in client.get("/tips/").get_data(as_text=True)


def test_a_tip_without_its_subject_is_refused_beside_the_field(app, client, make_user, login):
    login(make_user("thanhtra1", "inspector"))
    data = {"source": "letter", "received_on": "01/11/2026", "content": "Phản ánh"}
    resp = client.post("/tips/new", data={**data, "establishment_id": "", "commune_code": ""})
    assert resp.status_code == 400
    assert "Nhập cơ sở, hoặc địa chỉ tin đăng hay người bán mà tin báo nói đến." in resp.get_data(
        as_text=True
    )


def test_the_rule_is_shown_beside_the_establishment(app, client, make_user, login):
    inspector = make_user("thanhtra1", "inspector")
    login(inspector)
    est_id = _establishment(app)
    with app.app_context():
        first = factories.case(db.session.get(type(inspector), inspector.id), establishment_id=est_id)
        db.session.commit()
        number = first.number
    resp = client.post(
        "/cases/new/inspection",
        data={
            "opened_on": "01/05/2026",  # the year of the factories' first case (10/03/2026)
            "commune_code": HERE,
            "establishment_id": str(est_id),
            "mode": "planned",
            "fields": ["fuel"],
        },
    )
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert f"Cơ sở này đã được kiểm tra trong năm ({number}, ngày 10/03/2026)" in html
    assert 'id="establishment_id-error"' in html


def test_the_weights_page_saves_a_new_version(app, client, make_user, login):
    login(make_user("quantri1", "admin"))
    page = client.get("/planning/weights")
    assert page.status_code == 200 and "Trọng số điểm rủi ro" in page.get_data(as_text=True)
    assert "Mỗi tin báo chưa xử lý" in page.get_data(as_text=True)
    with app.app_context():
        from cases.planning import weights
        from forms.planning import weight_field_name

        current = weights.load(on=dt.date.max)
    data = {weight_field_name(c, i): str(p) for (c, i), p in current.points.items()}
    data[weight_field_name("tips", "per_open")] = "9"
    data.update(effective_from=dt.date.today().strftime("%d/%m/%Y"), note="Tăng trọng số tin báo")
    assert client.post("/planning/weights", data=data).status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(select(RiskWeightVersion.number).order_by(RiskWeightVersion.number.desc())) == 2
        )
        assert weights.load(2).get("tips", "per_open") == 9
    data[weight_field_name("tips", "per_open")] = "-3"
    assert client.post("/planning/weights", data=data).status_code == 400


def test_the_overrides_are_listed_for_managers(app, client, make_user, login):
    manager = make_user("lanhdao1", "manager")
    est_id = _establishment(app)
    with app.app_context():
        actor = db.session.get(type(manager), manager.id)
        factories.case(actor, establishment_id=est_id)
        factories.case(actor, establishment_id=est_id, yearly_override_reason="Chỉ đạo của Bộ")
        db.session.commit()
    login(manager)
    html = client.get("/planning/second-inspections").get_data(as_text=True)
    assert "Chỉ đạo của Bộ" in html and manager.full_name in html


def test_the_cli_imports_other_agencies_checks(app, runner, make_user, tmp_path):
    make_user("quantri1", "admin")
    _establishment(app, tax_code="0312345670")
    bad = tmp_path / "bad.csv"
    bad.write_text("tax_code,agency,checked_on\n0312345670,QLTT,99/99/2026\n", encoding="utf-8")
    result = runner.invoke(args=["import-agency-checks", str(bad)])
    assert result.exit_code == 1 and "Dòng 2, cột checked_on" in result.output
    good = tmp_path / "good.csv"
    good.write_text("tax_code,agency,checked_on,content\n0312345670,QLTT,01/03/2026,Nhãn\n", encoding="utf-8")
    result = runner.invoke(args=["import-agency-checks", str(good)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(AgencyCheck.agency)) == "QLTT"
        assert (
            db.session.scalars(select(Case)).all() == [] and db.session.scalars(select(Establishment)).all()
        )
