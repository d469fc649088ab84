"""Proposed findings: which cases carry them, fine ranges by offender type, the catalog search."""

from __future__ import annotations

import pytest

from cases.db import db
from cases.errors import PermissionDenied, ValidationFailed
from cases.review import findings
from cases.review.findings import FindingInput
from tests.case_items_support import attached, make_case, violation


@pytest.fixture
def author(app_ctx, make_user):
    return attached(make_user("tac_gia_kl"))


@pytest.fixture
def case(author):
    return make_case(author, fields=("barcode", "label"))


def _finding(code: str, offender: str = "individual", **changes) -> FindingInput:
    values = {"violation_id": violation(code).id, "offender_type": offender}
    values.update(changes)
    return FindingInput(**values)


# --- fine ranges -------------------------------------------------------------------------------------


def test_an_organisation_pays_double():
    v = _Violation(6_000_000, 10_000_000)
    assert findings.fine_range(v, "individual") == (6_000_000, 10_000_000)
    assert findings.fine_range(v, "organisation") == (12_000_000, 20_000_000)


def test_the_catalog_range_of_mv_02(app_ctx):
    mv02 = violation("MV-02")
    individual = findings.fine_range(mv02, "individual")
    assert individual == (mv02.fine_individual_min, mv02.fine_individual_max) == (6_000_000, 10_000_000)
    assert findings.fine_range(mv02, "organisation") == tuple(2 * x for x in individual)


def test_unknown_amounts_give_no_range_and_no_warning():
    v = _Violation(None, None)
    assert findings.fine_range(v, "individual") is None
    assert findings.fine_range(v, "organisation") is None
    assert findings.fine_warning(v, "organisation", 50_000_000) is None


def test_a_half_known_range():
    v = _Violation(1_000_000, None)  # e.g. a tiered violation whose lowest tier is known
    assert findings.fine_range(v, "organisation") == (2_000_000, None)
    assert findings.fine_warning(v, "individual", 500_000) == "below_range"
    assert findings.fine_warning(v, "individual", 90_000_000) is None


@pytest.mark.parametrize(
    ("offender", "fine", "warning"),
    [
        ("individual", 6_000_000, None),
        ("individual", 10_000_000, None),
        ("individual", 5_999_999, "below_range"),
        ("individual", 12_000_000, "above_range"),
        ("organisation", 12_000_000, None),
        ("organisation", 20_000_000, None),
        ("organisation", 10_000_000, "below_range"),
        ("organisation", 25_000_000, "above_range"),
        ("organisation", None, None),
    ],
)
def test_fine_outside_the_range_is_flagged(offender, fine, warning):
    assert findings.fine_warning(_Violation(6_000_000, 10_000_000), offender, fine) == warning


class _Violation:
    def __init__(self, low, high, verified=False):
        self.fine_individual_min, self.fine_individual_max = low, high
        self.fine_verified = verified


# --- findings ----------------------------------------------------------------------------------------


def test_a_finding_outside_the_range_is_saved_and_flagged(case, author):
    finding = findings.add_finding(
        case=case, actor=author, data=_finding("MV-02", "organisation", proposed_fine_vnd=30_000_000)
    )
    assert finding.id is not None and finding.status == "proposed"
    assert finding.created_by_id == author.id
    assert findings.finding_fine_warning(finding) == "above_range"


def test_a_finding_whose_amounts_are_unknown(case, author):
    unknown = violation("DL-SX-02")
    assert unknown.fine_individual_min is None and unknown.fine_individual_max is None
    finding = findings.add_finding(
        case=case, actor=author, data=_finding("DL-SX-02", proposed_fine_vnd=5_000_000)
    )
    assert findings.finding_fine_warning(finding) is None
    assert findings.violation_as_dict(unknown)["fine_organisation"] is None


def test_remedies_are_prefilled_from_the_catalog(case, author):
    finding = findings.add_finding(case=case, actor=author, data=_finding("NH-01"))
    assert finding.proposed_remedies == violation("NH-01").remedies
    own = findings.add_finding(
        case=case, actor=author, data=_finding("NH-01", proposed_remedies="Buộc ghi nhãn")
    )
    assert own.proposed_remedies == "Buộc ghi nhãn"


def test_a_survey_never_carries_findings(author):
    survey = make_case(author, "survey", fields=("quality",))
    with pytest.raises(ValidationFailed) as exc:
        findings.add_finding(case=survey, actor=author, data=_finding("NH-01"))
    assert exc.value.code == "survey_no_findings"


def test_an_ecommerce_check_carries_findings(author):
    check = make_case(author, "ecommerce")
    assert findings.add_finding(case=check, actor=author, data=_finding("TMDT-01")).id is not None


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"violation_id": None}, "required", "violation_id"),
        ({"violation_id": 999_999}, "unknown_violation", "violation_id"),
        ({"offender_type": "company"}, "invalid_choice", "offender_type"),
        ({"proposed_fine_vnd": -1}, "negative", "proposed_fine_vnd"),
        ({"goods_quantity": -2.0}, "negative", "goods_quantity"),
        ({"goods_value_vnd": -5}, "negative", "goods_value_vnd"),
    ],
)
def test_finding_values_are_checked(case, author, changes, code, field):
    with pytest.raises(ValidationFailed) as exc:
        findings.add_finding(case=case, actor=author, data=_finding("MV-01", **changes))
    assert (exc.value.code, exc.value.field) == (code, field)


def test_a_retired_entry_cannot_be_chosen_but_stays_on_old_findings(case, author):
    mv01 = violation("MV-01")
    finding = findings.add_finding(case=case, actor=author, data=_finding("MV-01"))
    mv01.retired = True
    try:
        with pytest.raises(ValidationFailed) as exc:
            findings.add_finding(case=case, actor=author, data=_finding("MV-01"))
        assert exc.value.code == "violation_retired"
        findings.update_finding(
            finding=finding, actor=author, data=_finding("MV-01", proposed_fine_vnd=2_000_000)
        )
        assert finding.proposed_fine_vnd == 2_000_000
    finally:
        db.session.rollback()  # the catalog is shared by every test


def test_a_reviewed_finding_is_not_changed(case, author):
    finding = findings.add_finding(case=case, actor=author, data=_finding("MV-01"))
    finding.status = "confirmed"
    with pytest.raises(ValidationFailed) as exc:
        findings.update_finding(finding=finding, actor=author, data=_finding("MV-02"))
    assert exc.value.code == "finding_reviewed"
    with pytest.raises(ValidationFailed):
        findings.delete_finding(finding=finding, actor=author)


def test_a_lost_update_is_refused(case, author):
    finding = findings.add_finding(case=case, actor=author, data=_finding("MV-01"))
    with pytest.raises(ValidationFailed) as exc:
        findings.update_finding(finding=finding, actor=author, data=_finding("MV-02"), expected_version=99)
    assert exc.value.code == "stale_finding"


def test_update_and_delete(case, author):
    finding = findings.add_finding(case=case, actor=author, data=_finding("MV-01"))
    findings.update_finding(
        finding=finding,
        actor=author,
        data=_finding("MV-03", "organisation"),
        expected_version=finding.version,
    )
    assert finding.violation.code == "MV-03"
    assert finding.offender_type == "organisation"
    findings.delete_finding(finding=finding, actor=author)
    assert case.findings == []


def test_nothing_on_an_approved_case_or_someone_elses(author, make_user):
    other = attached(make_user("nguoi_ngoai"))
    approved = make_case(author, status="approved")
    draft = make_case(author)
    with pytest.raises(PermissionDenied):
        findings.add_finding(case=approved, actor=author, data=_finding("MV-01"))
    with pytest.raises(PermissionDenied):
        findings.add_finding(case=draft, actor=other, data=_finding("MV-01"))


# --- the catalog search ------------------------------------------------------------------------------


def test_search_without_diacritics_finds_labels(app_ctx):
    found = findings.search_violations("nhan hang hoa")
    codes = [v.code for v in found]
    assert "NH-01" in codes
    assert found[0].code.startswith("NH-")  # the label group ("Nhãn hàng hóa") before looser matches
    assert [v.code for v in findings.search_violations("Nhãn   HÀNG hóa")] == codes


def test_search_by_code_puts_the_exact_code_first(app_ctx):
    found = findings.search_violations("MV-02")
    assert found[0].code == "MV-02"
    assert findings.search_violations("mv-02")[0].code == "MV-02"


def test_search_by_field_and_limit(app_ctx):
    assert {v.field for v in findings.search_violations("", field="barcode")} == {"barcode"}
    assert len(findings.search_violations("", field="barcode")) == 5
    assert len(findings.search_violations("", limit=3)) == 3
    assert findings.search_violations("khong co tu nay") == []
    assert findings.search_violations("100%") == []  # LIKE wildcards are taken literally


def test_search_leaves_out_retired_entries(app_ctx):
    violation("MV-02").retired = True
    try:
        assert "MV-02" not in [v.code for v in findings.search_violations("MV-02")]
        groups = dict(findings.active_violations_by_group())
        assert "MV-02" not in [v.code for v in groups["Mã số mã vạch"]]
    finally:
        db.session.rollback()
