"""Review of findings: confirm with the sanction decided, dismiss, refer (e-commerce), payment and remedy
dates, totals derived in SQL, approval refused while a finding is undecided, lost updates refused."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.audit import trail as audit
from cases.db import db
from cases.errors import PermissionDenied, ValidationFailed
from cases.review import decisions as review
from cases.review import findings, workflow
from cases.review.findings import FindingInput
from tests.case_items_support import attached, make_case, violation

TODAY = dt.date(2026, 11, 24)
DECIDED = dt.date(2026, 11, 20)


@pytest.fixture
def people(app_ctx, make_user):
    return {
        "inspector": attached(make_user("rv-inspector", "inspector")),
        "manager": attached(make_user("rv-manager", "manager")),
        "admin": attached(make_user("rv-admin", "admin")),
    }


def _finding(people, code: str = "MV-02", kind: str = "inspection", offender: str = "individual"):
    """A proposed finding on a submitted case."""
    case = make_case(people["inspector"], kind, fields=("barcode", "label"))
    found = findings.add_finding(
        case=case,
        actor=people["inspector"],
        data=FindingInput(
            violation_id=violation(code).id, offender_type=offender, proposed_fine_vnd=7_000_000
        ),
    )
    case.status = "submitted"
    db.session.flush()
    return found


def _confirm(finding, actor, **changes):
    values = {
        "reason": "Đúng vi phạm.",
        "offender_type": "individual",
        "sanction_form": "fine",
        "decision_number": "12/QĐ-XPHC",
        "decision_date": DECIDED,
        "fine_vnd": 8_000_000,
        "override_reason": None,
        "additional_penalties": None,
        "remedies": "Buộc kiểm định lại phương tiện đo.",
        "deadline": dt.date(2026, 12, 20),
        "seized_goods_value_vnd": None,
        "expected_version": finding.version,
        "today": TODAY,
    }
    values.update(changes)
    return review.confirm_finding(finding, actor, **values)


def _error(exc_info) -> tuple[str, str | None]:
    return exc_info.value.code, exc_info.value.field


def test_confirm_within_the_range(people):
    f = _finding(people)
    _confirm(f, people["manager"])
    assert f.status == "confirmed" and f.decided_fine_vnd == 8_000_000 and f.sanction_form == "fine"
    assert f.reviewed_by_id == people["manager"].id and f.reviewed_at is not None
    assert f.fine_override_reason is None


def test_a_fine_outside_the_range_needs_an_override_reason(people):
    f = _finding(people)
    with pytest.raises(ValidationFailed) as exc:
        _confirm(f, people["manager"], fine_vnd=12_000_000)
    assert _error(exc) == ("fine_outside_range", "fine_vnd")
    assert exc.value.params["min"] == 6_000_000 and exc.value.params["max"] == 10_000_000
    assert f.status == "proposed"
    _confirm(f, people["manager"], fine_vnd=12_000_000, override_reason="Tái phạm nhiều lần.")
    assert f.decided_fine_vnd == 12_000_000 and f.fine_override_reason == "Tái phạm nhiều lần."


def test_an_organisation_range_is_doubled(people):
    f = _finding(people, offender="organisation")
    with pytest.raises(ValidationFailed) as exc:
        _confirm(f, people["manager"], offender_type="organisation", fine_vnd=10_000_000)
    assert exc.value.params["min"] == 12_000_000 and exc.value.params["max"] == 20_000_000
    _confirm(f, people["manager"], offender_type="organisation", fine_vnd=20_000_000)
    assert f.offender_type == "organisation" and f.decided_fine_vnd == 20_000_000


def test_an_unknown_range_accepts_any_amount(people):
    f = _finding(people, code="DL-SX-02")
    _confirm(f, people["manager"], fine_vnd=123_456_789)
    assert f.decided_fine_vnd == 123_456_789 and f.fine_override_reason is None


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"sanction_form": None}, "required", "sanction_form"),
        ({"sanction_form": "jail"}, "invalid_choice", "sanction_form"),
        ({"offender_type": ""}, "required", "offender_type"),
        ({"decision_number": " "}, "required", "decision_number"),
        ({"decision_date": None}, "required", "decision_date"),
        ({"decision_date": TODAY + dt.timedelta(days=1)}, "date_in_future", "decision_date"),
        ({"fine_vnd": None}, "required", "fine_vnd"),
        ({"fine_vnd": -1}, "negative", "fine_vnd"),
        ({"deadline": DECIDED - dt.timedelta(days=1)}, "deadline_before_decision", "deadline"),
        ({"seized_goods_value_vnd": -5}, "negative", "seized_goods_value_vnd"),
    ],
)
def test_confirmation_checks(people, changes, code, field):
    f = _finding(people)
    with pytest.raises(ValidationFailed) as exc:
        _confirm(f, people["manager"], **changes)
    assert _error(exc) == (code, field)


def test_a_warning_needs_no_fine_and_seized_goods_are_recorded(people):
    f = _finding(people)
    _confirm(f, people["manager"], sanction_form="warning", fine_vnd=None, seized_goods_value_vnd=3_500_000)
    assert (
        f.sanction_form == "warning" and f.decided_fine_vnd is None and f.seized_goods_value_vnd == 3_500_000
    )


def test_dismiss_needs_a_reason(people):
    f = _finding(people)
    with pytest.raises(ValidationFailed) as exc:
        review.dismiss_finding(f, people["manager"], "  ", expected_version=f.version)
    assert _error(exc) == ("required", "reason")
    review.dismiss_finding(f, people["manager"], "Không đủ chứng cứ.", expected_version=f.version)
    assert f.status == "dismissed" and f.review_reason == "Không đủ chứng cứ."


def test_an_ecommerce_finding_is_referred(people):
    f = _finding(people, code="TMDT-01", kind="ecommerce")
    with pytest.raises(ValidationFailed) as exc:
        review.refer_finding(f, people["manager"], agency="", referred_on=DECIDED, today=TODAY)
    assert _error(exc) == ("required", "referral_agency")
    review.refer_finding(
        f,
        people["manager"],
        agency="Chi cục QLTT An Giang",
        referred_on=DECIDED,
        reference="45/CV-QLTT",
        expected_version=f.version,
        today=TODAY,
    )
    assert f.status == "confirmed" and f.referral_agency == "Chi cục QLTT An Giang"
    assert f.referral_reference == "45/CV-QLTT" and f.sanction_form is None


def test_only_ecommerce_findings_are_referred(people):
    f = _finding(people)
    with pytest.raises(ValidationFailed) as exc:
        review.refer_finding(f, people["manager"], agency="QLTT", referred_on=DECIDED, today=TODAY)
    assert exc.value.code == "referral_ecommerce_only"


def test_payment_and_remedy_dates(people):
    f = _finding(people)
    _confirm(f, people["manager"])
    with pytest.raises(ValidationFailed) as exc:
        review.record_payment(
            f, people["manager"], paid_on=DECIDED - dt.timedelta(days=1), remedy_done_on=None, today=TODAY
        )
    assert _error(exc) == ("before_decision", "fine_paid_on")
    with pytest.raises(ValidationFailed) as exc:
        review.record_payment(
            f, people["manager"], paid_on=None, remedy_done_on=TODAY + dt.timedelta(days=1), today=TODAY
        )
    assert _error(exc) == ("date_in_future", "remedy_done_on")
    f.case.status = "approved"
    review.record_payment(
        f,
        people["manager"],
        paid_on=dt.date(2026, 11, 22),
        remedy_done_on=TODAY,
        expected_version=f.version,
        today=TODAY,
    )
    assert f.fine_paid_on == dt.date(2026, 11, 22) and f.remedy_done_on == TODAY


def test_payment_needs_a_decision(people):
    f = _finding(people)
    with pytest.raises(ValidationFailed) as exc:
        review.record_payment(f, people["manager"], paid_on=DECIDED, remedy_done_on=None, today=TODAY)
    assert exc.value.code == "finding_not_sanctioned"


def test_totals_are_derived_in_sql(people):
    a = _finding(people)
    case = a.case
    case.status = "draft"
    b = findings.add_finding(
        case=case,
        actor=people["inspector"],
        data=FindingInput(violation_id=violation("MV-02").id, offender_type="individual"),
    )
    c = findings.add_finding(
        case=case,
        actor=people["inspector"],
        data=FindingInput(violation_id=violation("MV-02").id, offender_type="individual"),
    )
    case.status = "submitted"
    db.session.flush()
    _confirm(a, people["manager"], fine_vnd=8_000_000, seized_goods_value_vnd=1_000_000)
    _confirm(b, people["manager"], fine_vnd=6_000_000)
    review.record_payment(b, people["manager"], paid_on=DECIDED, remedy_done_on=None, today=TODAY)
    totals = review.case_totals(case.id)
    assert (totals.fines_decided_vnd, totals.fines_collected_vnd) == (14_000_000, 6_000_000)
    assert totals.seized_goods_value_vnd == 1_000_000
    assert (totals.confirmed, totals.dismissed, totals.undecided) == (2, 0, 1)
    review.dismiss_finding(c, people["manager"], "Trùng lặp.")
    assert review.case_totals(case.id).undecided == 0


def test_approval_is_refused_while_a_finding_is_undecided(people):
    f = _finding(people)
    with pytest.raises(ValidationFailed) as exc:
        workflow.approve(f.case, people["manager"])
    assert exc.value.code == "findings_undecided" and exc.value.params["codes"] == ["MV-02"]
    review.dismiss_finding(f, people["manager"], "Không vi phạm.")
    workflow.approve(f.case, people["manager"])
    assert f.case.status == "approved"
    with pytest.raises(ValidationFailed) as exc:
        review.dismiss_finding(f, people["manager"], "Lại.")
    assert exc.value.code == "case_not_under_review"


@pytest.mark.parametrize("role", ["inspector", "admin"])
def test_only_managers_review(people, role):
    f = _finding(people)
    with pytest.raises(PermissionDenied):
        _confirm(f, people[role])
    with pytest.raises(PermissionDenied):
        review.dismiss_finding(f, people[role], "x")
    with pytest.raises(PermissionDenied):
        review.record_payment(f, people[role], paid_on=None, remedy_done_on=None)


def test_a_stale_version_is_refused(people):
    f = _finding(people)
    loaded = f.version
    _confirm(f, people["manager"], expected_version=loaded)
    assert f.version == loaded + 1
    with pytest.raises(ValidationFailed) as exc:
        review.dismiss_finding(f, people["manager"], "Không vi phạm.", expected_version=loaded)
    assert exc.value.code == "stale_finding"
    assert f.status == "confirmed"


def test_every_action_is_audited(people):
    f = _finding(people)
    _confirm(f, people["manager"])
    review.record_payment(f, people["manager"], paid_on=DECIDED, remedy_done_on=None, today=TODAY)
    events = [e for e in reversed(audit.case_timeline(f.case_id)) if e.entity_type == "finding"]
    assert [e.action for e in events][-2:] == ["confirm", "payment"]
    confirm = {c["field"]: (c["from"], c["to"]) for c in events[-2].changes}
    assert confirm["status"] == ("proposed", "confirmed")
    assert confirm["decided_fine_vnd"] == (None, 8_000_000)
    assert confirm["decision_number"] == (None, "12/QĐ-XPHC")
    assert events[-2].actor_id == people["manager"].id and events[-2].reason == "Đúng vi phạm."
    assert {c["field"] for c in events[-1].changes} == {"fine_paid_on"}
