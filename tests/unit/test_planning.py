"""Planning (issue 18): the risk score's components on a known establishment, the ranking, the weights'
versions, tips, and the once-a-year rule (same year, next year, clear signs, a manager's override, another
agency's check). Run on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from cases.accounts import users as accounts
from cases.db import db
from cases.errors import PermissionDenied, ValidationFailed
from cases.models import AgencyCheck, Case, Finding, InstrumentCheck, Sample, Tip, Violation
from cases.planning import agency_checks, score, tips, weights
from cases.recording import service as case_service
from cases.recording.rules import CaseInvalid
from tests import factories

ON = dt.date(2026, 11, 24)


@pytest.fixture
def inspector(app_ctx):
    user, _ = accounts.create_user(username="kiemtra1", full_name="Kiểm Tra Một", role="inspector")
    return user


@pytest.fixture
def manager(app_ctx):
    user, _ = accounts.create_user(username="quanly1", full_name="Quản Lý Một", role="manager")
    return user


@pytest.fixture
def admin(app_ctx):
    user, _ = accounts.create_user(username="quantri1", full_name="Quản Trị", role="admin")
    return user


def _codes(exc: CaseInvalid) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in exc.problems}


def _known_establishment(inspector):
    """A fuel station: inspected 14 months ago with a confirmed serious finding and an instrument whose
    verification expired, one failed survey sample 5 months ago, an open tip."""
    est = factories.establishment(name="Cửa hàng xăng dầu Số 5")
    old = factories.case(inspector, "inspection", establishment_id=est.id, opened_on=dt.date(2025, 9, 10))
    violation = db.session.scalars(
        select(Violation).where(Violation.fine_individual_max >= 20_000_000).order_by(Violation.id)
    ).first()
    assert violation is not None
    db.session.add(
        Finding(case_id=old.id, violation_id=violation.id, offender_type="organisation", status="confirmed")
    )
    db.session.add(
        InstrumentCheck(
            case_id=old.id, instrument_type="fuel_pump", certificate_expiry=dt.date(2026, 6, 1), result="pass"
        )
    )
    survey = factories.case(inspector, "survey", establishment_id=est.id, opened_on=dt.date(2026, 6, 20))
    db.session.add(Sample(case_id=survey.id, name="Xăng RON 95", result="fail"))
    tips.record_tip(
        actor=inspector,
        data=tips.TipInput(
            source="hotline", received_on=dt.date(2026, 11, 1), content="Bơm thiếu", establishment_id=est.id
        ),
        today=ON,
    )
    db.session.flush()
    return est


def test_the_components_of_a_known_establishment(inspector):
    est = _known_establishment(inspector)
    result = score.score_of(est, on=ON)
    points = {c.name: c.points for c in result.components}
    # one confirmed finding 12–36 months ago (5) + serious (5); fuel (20); last check 14 months ago (10);
    # one expired instrument (5); one failed sample (8); one open tip (6); no e-commerce; small
    assert points == {
        "violations": 10,
        "hazard": 20,
        "last_check": 10,
        "instruments": 5,
        "samples": 8,
        "tips": 6,
        "ecommerce": 0,
        "size": 0,
    }
    assert result.total == 59 and result.band == "B" and result.interval_months == 12
    assert result.weights_version == 1
    reasons = {r.code: r.params for c in result.components for r in c.reasons}
    assert reasons["risk_middle_findings"]["count"] == 1
    assert reasons["risk_hazard_field"] == {"field": "fuel"}
    assert reasons["risk_last_check"]["months"] == 14
    assert reasons["risk_open_tips"]["count"] == 1


def test_an_establishment_never_checked_and_the_ceilings(inspector):
    est = factories.establishment(name="Cơ sở mới")
    result = score.score_of(est.id, on=ON)
    assert result.component("last_check").points == 20
    assert [r.code for r in result.component("last_check").reasons] == ["risk_never_checked"]
    for n in range(5):
        tips.record_tip(
            actor=inspector,
            data=tips.TipInput(
                source="letter", received_on=ON, content=f"Phản ánh {n}", establishment_id=est.id
            ),
            today=ON,
        )
    tip_component = score.score_of(est.id, on=ON).component("tips")
    assert tip_component.points == tip_component.ceiling == 18


def test_the_ranking_orders_everyone_in_a_few_statements(inspector, app_ctx):
    from tests.sql_statements import recorded_statements

    risky = _known_establishment(inspector)
    calm = factories.establishment(name="Tạp hóa bình thường")
    factories.case(
        inspector, "inspection", establishment_id=calm.id, opened_on=dt.date(2026, 10, 1), fields=["label"]
    )
    with recorded_statements() as statements:
        ranking = score.ranked(on=ON, limit=None)
    assert len(statements) <= 12
    ids = [s.establishment_id for s in ranking]
    assert ids.index(risky.id) < ids.index(calm.id)
    assert ranking == sorted(ranking, key=lambda s: (-s.total, s.establishment_id))
    only = score.ranked(score.RankFilters(field="label"), on=ON)
    assert [s.establishment_id for s in only] == [calm.id]


def test_a_new_weights_version_changes_the_score_and_keeps_the_old(inspector, admin):
    est = _known_establishment(inspector)
    current = weights.load(on=ON)
    changed = dict(current.points)
    changed[("tips", "per_open")] = 10
    version = weights.save_version(
        actor=admin, points=changed, effective_from=ON, note="Sửa trọng số tin báo"
    )
    assert version.number == 2
    assert score.score_of(est, on=ON).component("tips").points == 10
    assert score.score_of(est, on=ON, weights=1).component("tips").points == 6
    assert score.score_of(est, on=ON - dt.timedelta(days=1)).weights_version == 1
    with pytest.raises(PermissionDenied):
        weights.save_version(actor=inspector, points=changed, effective_from=ON)
    with pytest.raises(ValidationFailed):
        weights.save_version(actor=admin, points={**changed, ("tips", "per_open"): -1}, effective_from=ON)


def test_the_inspectors_identity_is_not_an_input(inspector, manager):
    est = _known_establishment(inspector)
    before = score.score_of(est, on=ON)
    case = db.session.scalars(
        select(Case).where(Case.establishment_id == est.id, Case.kind == "inspection")
    ).one()
    case.created_by_id = manager.id
    db.session.flush()
    assert score.score_of(est, on=ON) == before


# --- the once-a-year rule --------------------------------------------------------------------------------


def test_a_second_inspection_in_the_same_year_is_refused_naming_the_first(inspector):
    est = factories.establishment(name="Tiệm vàng Kim")
    first = factories.case(inspector, "inspection", establishment_id=est.id, opened_on=dt.date(2026, 2, 1))
    with pytest.raises(CaseInvalid) as refused:
        factories.case(inspector, "inspection", establishment_id=est.id, opened_on=dt.date(2026, 9, 1))
    assert ("establishment_id", "checked_this_year") in _codes(refused.value)
    problem = next(p for p in refused.value.problems if p.code == "checked_this_year")
    assert problem.params == {"check": first.number, "on": "01/02/2026"}
    # the next year is allowed; a survey or an e-commerce check does not count
    factories.case(inspector, "inspection", establishment_id=est.id, opened_on=dt.date(2025, 12, 31))
    factories.case(inspector, "survey", establishment_id=est.id, opened_on=dt.date(2026, 3, 1))


def test_clear_signs_allow_it_given_with_their_text(inspector):
    est = factories.establishment(name="Tiệm vàng Ngọc")
    factories.case(inspector, "inspection", establishment_id=est.id, opened_on=dt.date(2026, 2, 1))
    with pytest.raises(CaseInvalid) as half:
        factories.case(inspector, "inspection", establishment_id=est.id, clear_signs=True)
    assert ("clear_signs_text", "required") in _codes(half.value)
    with pytest.raises(CaseInvalid) as other_half:
        factories.case(inspector, "inspection", establishment_id=est.id, clear_signs_text="Cân sai")
    assert ("clear_signs", "clear_signs_tick_required") in _codes(other_half.value)
    second = factories.case(
        inspector,
        "inspection",
        establishment_id=est.id,
        clear_signs=True,
        clear_signs_text="Tin báo cân sai 20%",
    )
    assert second.clear_signs and second.mode == "planned"


def test_taking_the_clear_signs_away_asks_the_rule_again(inspector):
    est = factories.establishment(name="Tiệm vàng Phúc")
    factories.case(inspector, "inspection", establishment_id=est.id, opened_on=dt.date(2026, 2, 1))
    second = factories.case(
        inspector,
        "inspection",
        establishment_id=est.id,
        clear_signs=True,
        clear_signs_text="Tin báo vàng non tuổi",
    )
    data = case_service.case_to_input(second)
    data.notes = "Ghi chú"  # an edit that keeps them is not asked again
    case_service.update_case(
        case=second, actor=inspector, data=data, expected_version=second.version, today=ON
    )
    data = case_service.case_to_input(second)
    data.clear_signs, data.clear_signs_text = False, None
    with pytest.raises(CaseInvalid) as refused:
        case_service.update_case(
            case=second, actor=inspector, data=data, expected_version=second.version, today=ON
        )
    assert ("establishment_id", "checked_this_year") in _codes(refused.value)


def test_a_managers_override_needs_a_reason_and_is_audited(inspector, manager):
    from cases.models import AuditEvent

    est = factories.establishment(name="Cây xăng Mười")
    factories.case(inspector, "inspection", establishment_id=est.id, opened_on=dt.date(2026, 2, 1))
    with pytest.raises(CaseInvalid) as not_a_manager:
        factories.case(
            inspector, "inspection", establishment_id=est.id, yearly_override_reason="Cần kiểm tra"
        )
    assert ("yearly_override_reason", "yearly_override_managers_only") in _codes(not_a_manager.value)
    allowed = factories.case(
        manager, "inspection", establishment_id=est.id, yearly_override_reason="Chỉ đạo của Sở"
    )
    assert allowed.yearly_override_by_id == manager.id
    entry = db.session.scalars(select(AuditEvent).where(AuditEvent.case_id == allowed.id)).one()
    assert {"field": "yearly_override_reason", "from": None, "to": "Chỉ đạo của Sở"} in entry.changes
    # the inspector may still edit the case the manager allowed
    data = case_service.case_to_input(allowed)
    data.notes = "Ghi chú"
    case_service.update_case(
        case=allowed, actor=manager, data=data, expected_version=allowed.version, today=ON
    )


def test_another_agencys_check_counts(inspector, manager):
    est = factories.establishment(name="Cửa hàng Hòa Bình", tax_code="0312345678")
    csv = (
        "tax_code,agency,checked_on,content\n"
        "0312345678,Chi cục Quản lý thị trường,15/04/2026,Kiểm tra nhãn hàng hóa\n"
    ).encode()
    result = agency_checks.import_agency_checks(actor=manager, content=csv, today=ON)
    assert result.imported == 1 and not result.problems
    with pytest.raises(CaseInvalid) as refused:
        factories.case(inspector, "inspection", establishment_id=est.id, opened_on=dt.date(2026, 6, 1))
    problem = next(p for p in refused.value.problems if p.code == "checked_this_year")
    assert problem.params["check"] == "Chi cục Quản lý thị trường"
    assert score.score_of(est, on=ON).component("last_check").reasons[0].code == "risk_last_check_agency"


def test_the_agency_import_reports_every_bad_row_and_writes_nothing(manager):
    factories.establishment(name="Có mã", tax_code="0312345679")
    csv = (
        b"tax_code,agency,checked_on,content\n"
        b"0312345679,QLTT,01/03/2026,\n"
        b"9999999999,QLTT,01/03/2026,\n"
        b"0312345679,,31/02/2026,\n"
    )
    result = agency_checks.import_agency_checks(actor=manager, content=csv, today=ON)
    assert result.imported == 0
    assert {(p.row, p.column, p.code) for p in result.problems} == {
        (3, "tax_code", "unknown_establishment"),
        (4, "agency", "required"),
        (4, "checked_on", "agency_invalid_date"),
    }
    assert db.session.scalar(select(AgencyCheck.id)) is None


# --- tips ----------------------------------------------------------------------------------------------


def test_a_tip_opens_an_unscheduled_case_with_it_as_ground(inspector):
    est = factories.establishment(name="Cân sai chợ")
    tip = tips.record_tip(
        actor=inspector,
        data=tips.TipInput(
            source="hotline", received_on=ON, content="Cân thiếu 100 g", establishment_id=est.id
        ),
        today=ON,
    )
    assert tip.status == "open" and tip.commune_code == est.commune_code
    data = tips.case_input_from_tip(tip, today=ON)
    assert data.mode == "unscheduled" and data.tip_id == tip.id and data.establishment_id == est.id
    data.fields = ["instruments"]
    case = case_service.create_case(actor=inspector, data=data, today=ON)
    assert case.tip_id == tip.id
    assert db.session.get(Tip, tip.id).status == "used"


def test_a_tip_needs_its_subject_and_content(inspector):
    with pytest.raises(ValidationFailed) as refused:
        tips.record_tip(
            actor=inspector, data=tips.TipInput(source="hotline", received_on=ON, content=""), today=ON
        )
    from cases.errors import all_problems

    assert {(p.field, p.code) for p in all_problems(refused.value)} >= {
        ("content", "required"),
        ("establishment_id", "tip_subject_required"),
    }
