"""The reference data: administrative units, the violation catalog and the plan's tasks."""

from __future__ import annotations

from sqlalchemy import func, select

from cases.db import db
from cases.geography import reference
from cases.models import Commune, FormerDistrict, FormerWard, FormerWardCommune, PlanTask, Violation


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_102_communes_of_today(app_ctx):
    assert _count(Commune) == 102
    by_type = dict(
        db.session.execute(select(Commune.unit_type, func.count()).group_by(Commune.unit_type)).all()
    )
    assert by_type == {"phuong": 14, "xa": 85, "dac_khu": 3}
    assert db.session.scalar(select(func.count()).where(Commune.latitude.is_(None))) == 0
    long_xuyen = db.session.get(Commune, "30307")
    assert long_xuyen.name == "Phường Long Xuyên"
    assert round(long_xuyen.latitude, 3) == 10.366 and round(long_xuyen.longitude, 3) == 105.423
    special = set(db.session.scalars(select(Commune.name).where(Commune.unit_type == "dac_khu")))
    assert special == {"Đặc khu Phú Quốc", "Đặc khu Thổ Châu", "Đặc khu Kiên Hải"}


def test_former_districts_of_both_former_provinces(app_ctx):
    assert _count(FormerDistrict, FormerDistrict.province_code == "89") == 11  # former An Giang
    assert _count(FormerDistrict, FormerDistrict.province_code == "91") == 15  # former Kiên Giang
    assert db.session.get(FormerDistrict, "883").name == "Thành phố Long Xuyên"
    assert db.session.get(FormerDistrict, "899").name == "Thành phố Rạch Giá"
    assert {d.valid_to.isoformat() for d in db.session.scalars(select(FormerDistrict))} == {"2025-06-30"}


def test_every_former_ward_maps_to_todays_commune(app_ctx):
    assert _count(FormerWard) == 155 + 143
    unmapped = db.session.scalars(
        select(FormerWard.code).where(~FormerWard.code.in_(select(FormerWardCommune.former_ward_code)))
    ).all()
    assert unmapped == []
    defaults = db.session.execute(
        select(FormerWardCommune.former_ward_code, func.count())
        .where(FormerWardCommune.is_default.is_(True))
        .group_by(FormerWardCommune.former_ward_code)
    ).all()
    assert len(defaults) == 298 and {n for _, n in defaults} == {1}
    split = db.session.scalars(
        select(FormerWard.name).join(FormerWardCommune).where(FormerWardCommune.is_split.is_(True)).distinct()
    ).all()
    assert sorted(split) == ["Xã Phú Hội", "Xã Phước Hưng", "Xã Vĩnh Châu"]
    assert _count(FormerWardCommune) == 302
    # every commune of today was formed from at least one former ward
    assert _count(Commune, ~Commune.code.in_(select(FormerWardCommune.commune_code))) == 0


def test_catalog_and_plan_tasks(app_ctx):
    assert _count(Violation) == 55
    label = db.session.scalar(select(Violation).where(Violation.code == "MV-02"))
    assert label.fine_individual_min == 6_000_000 and label.fine_individual_max == 10_000_000
    assert label.fine_organisation_max == 20_000_000
    unknown = db.session.scalar(select(Violation).where(Violation.code == "DL-SX-02"))
    assert unknown.fine_individual_min is None and unknown.fine_individual_max is None  # never invented
    assert _count(PlanTask) == 15
    t22 = db.session.get(PlanTask, "2.2")
    assert (t22.target_value, t22.target_measure) == (10, "per_year")
    cumulative = set(db.session.scalars(select(PlanTask.code).where(PlanTask.target_measure == "cumulative")))
    assert cumulative == {"2.3", "4.2", "II.1.a"}
    assert db.session.get(PlanTask, "5.2").actual_source == "cases"


def _snapshot() -> dict[str, list[tuple]]:
    models = (Commune, FormerDistrict, FormerWard, FormerWardCommune, Violation, PlanTask)
    out = {}
    for model in models:
        cols = [c for c in model.__table__.columns]
        rows = db.session.execute(select(*cols).order_by(*model.__table__.primary_key.columns)).all()
        out[model.__tablename__] = [tuple(r) for r in rows]
    return out


def test_seed_reference_twice_changes_nothing(app, runner):
    with app.app_context():
        before = _snapshot()
    result = runner.invoke(args=["seed-reference"])
    assert result.exit_code == 0, result.output
    assert "already up to date" in result.output
    assert "inserted    0" in result.output
    result = runner.invoke(args=["seed-reference"])
    assert result.exit_code == 0
    with app.app_context():
        assert _snapshot() == before


def test_update_keeps_amounts_an_administrator_set(app_ctx):
    entry = db.session.scalar(select(Violation).where(Violation.code == "DL-SX-02"))
    entry.fine_individual_min, entry.fine_individual_max = 3_000_000, 5_000_000
    entry.description = "sửa tay"
    db.session.flush()
    result = reference.load_catalog()  # default: existing rows are the administrators'
    assert not result.changed
    assert entry.description == "sửa tay"
    result = reference.load_catalog(update=True)
    assert result.updated.get("violation") == 1
    assert entry.description.startswith("Sản xuất phương tiện đo")  # text refreshed from the file
    assert (entry.fine_individual_min, entry.fine_individual_max) == (3_000_000, 5_000_000)  # kept
    db.session.rollback()


def test_reference_data_does_not_read_shared_folder():
    """The app ships its own copies of the reference files."""
    assert reference.DATA_DIR.name == "data"
    assert (reference.DATA_DIR / "violations.csv").exists()
    assert "shared" not in str(reference.DATA_DIR.resolve())


def test_the_catalog_carries_the_tiers_of_the_research_file(app_ctx):
    """``tiers_vi`` of reference/violations.csv is loaded (issue 17, item 8)."""
    rows = db.session.execute(select(Violation.code, Violation.tiers).where(Violation.tiers.is_not(None)))
    tiered = {code: tiers for code, tiers in rows}
    assert set(tiered) == {"DL-HC-02", "DL-XD-01", "DL-XD-03", "TMDT-01", "TMDT-02"}
    assert tiered["DL-XD-03"].startswith("đến 10.000.000: 5.000.000–10.000.000")


def test_update_brings_an_older_database_up_to_the_file_without_touching_decided_findings(
    app, runner, make_user
):
    """A database seeded before the tiers is brought up to the file by ``seed-reference --update``; the
    findings decided on those entries keep their decision."""
    from cases.models import Finding, User
    from tests import factories

    inspector_id = make_user("kiemtra.capnhat", "inspector").id
    with app.app_context():
        case = factories.case(db.session.get(User, inspector_id), "inspection")
        entry = db.session.scalar(select(Violation).where(Violation.code == "DL-XD-03"))
        original = (entry.tiers, entry.fine_individual_min, entry.fine_individual_max, entry.remedies)
        entry.tiers = None  # as seeded before the column existed
        entry.description = "mô tả cũ"
        finding = Finding(
            case_id=case.id,
            violation_id=entry.id,
            offender_type="organisation",
            status="confirmed",
            decided_fine_vnd=12_345_000,
            sanction_form="fine",
            remedies_decided="Buộc kiểm định lại",
        )
        db.session.add(finding)
        db.session.commit()
        finding_id, decided = finding.id, (finding.status, finding.decided_fine_vnd, finding.remedies_decided)

    result = runner.invoke(args=["seed-reference", "--update"])
    assert result.exit_code == 0, result.output

    with app.app_context():
        entry = db.session.scalar(select(Violation).where(Violation.code == "DL-XD-03"))
        assert (entry.tiers, entry.fine_individual_min, entry.fine_individual_max, entry.remedies) == original
        assert original[0] is not None and entry.description != "mô tả cũ"
        again = db.session.get(Finding, finding_id)
        assert (again.status, again.decided_fine_vnd, again.remedies_decided) == decided
        assert again.violation_id == entry.id
