"""What the readable spreadsheet of a filtered case list holds (issue 14, item 5): one row per case with
every field, and, optionally, the case's items (instruments, prepackaged lots, goods, samples) and findings.

The import-format export (``cases/transfer/exporter.py``) is for re-importing; this one is for reading: names
instead of codes (commune, former ward and district, establishment, campaign, team), and every column of a
case. The words for stored choices (status, field, platform…) and the layout are the rendering's
(``inspect_app/spreadsheet.py``): this module gives plain values — codes, names, dates, numbers.

Each sheet is ONE statement (the list's filters and the user's scope from ``filter_cases``; correlated
aggregates for the fields, team, samples, findings and fines), read in batches with ``yield_per``: the
number of queries does not grow with the number of cases, and no ORM entity is built.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import aliased

from cases.db import db
from cases.enums import FindingStatus, ItemResult
from cases.models import (
    Case,
    CaseField,
    Commune,
    Establishment,
    Finding,
    FormerDistrict,
    FormerWard,
    GoodsItem,
    InstrumentCheck,
    PrepackagedLot,
    Sample,
    SurveyCampaign,
    User,
    Violation,
)
from cases.models.case import case_team_member
from cases.recording.queries import CaseFilters, filter_cases
from cases.reporting.figures import commune_former_districts

BATCH_SIZE = 500
_LISTED_FINDINGS = (FindingStatus.CONFIRMED.value, FindingStatus.PROPOSED.value)


def _count(model: Any, *conditions: Any) -> Any:
    return select(func.count(model.id)).where(model.case_id == Case.id, *conditions).scalar_subquery()


def _sum(column: Any, *conditions: Any) -> Any:
    return select(func.sum(column)).where(Finding.case_id == Case.id, *conditions).scalar_subquery()


def case_query(filters: CaseFilters, user: Any) -> Select[Any]:
    """One row per case the user may see matching ``filters``, newest first (as the list)."""
    confirmed = Finding.status == FindingStatus.CONFIRMED.value
    fields = select(func.aggregate_strings(CaseField.field, ";")).where(CaseField.case_id == Case.id)
    team = (
        select(func.aggregate_strings(User.full_name, "; "))
        .select_from(case_team_member.join(User, User.id == case_team_member.c.user_id))
        .where(case_team_member.c.case_id == Case.id)
    )
    codes = (
        select(func.aggregate_strings(Violation.code, ";"))
        .select_from(Finding)
        .join(Violation, Violation.id == Finding.violation_id)
        .where(Finding.case_id == Case.id, Finding.status.in_(_LISTED_FINDINGS))
    )
    creator = aliased(User)
    original = aliased(Case)
    stmt = (
        select(
            Case.number,
            Case.import_ref,
            Case.kind,
            Case.status,
            fields.scalar_subquery().label("fields"),
            Case.mode,
            Case.opened_on,
            Case.closed_on,
            Establishment.name.label("establishment"),
            Establishment.tax_code,
            Establishment.business_type,
            Case.address,
            Case.commune_code,
            Commune.name.label("commune"),
            FormerWard.name.label("former_ward"),
            FormerDistrict.name.label("former_district"),
            Case.latitude,
            Case.longitude,
            Case.decision_number,
            Case.decision_date,
            Case.decision_signer,
            Case.start_date,
            Case.end_date,
            team.scalar_subquery().label("team"),
            Case.coordinating_agencies,
            Case.platform,
            Case.listing_url,
            Case.seller_name,
            Case.seller_platform_id,
            Case.price_vnd,
            Case.suspected_issue,
            Case.action,
            Case.action_on,
            Case.platform_response,
            Case.taken_down_on,
            Case.referral_reference,
            SurveyCampaign.name.label("campaign"),
            Case.product,
            _count(Sample).label("samples_taken"),
            _count(Sample, Sample.result.in_([ItemResult.PASS.value, ItemResult.FAIL.value])).label(
                "samples_tested"
            ),
            _count(Sample, Sample.result == ItemResult.FAIL.value).label("samples_failed"),
            _count(Finding, confirmed).label("findings_confirmed"),
            codes.scalar_subquery().label("violation_codes"),
            _sum(Finding.decided_fine_vnd, confirmed).label("fines_decided"),
            _sum(Finding.decided_fine_vnd, confirmed, Finding.fine_paid_on.is_not(None)).label("fines_paid"),
            _sum(Finding.seized_goods_value_vnd, confirmed).label("seized_goods"),
            Case.conclusion,
            Case.notes,
            original.number.label("follow_up_of"),
            creator.full_name.label("created_by"),
            Case.cancel_reason,
        )
        .select_from(Case)
        .join(Commune, Commune.code == Case.commune_code)
        .outerjoin(Establishment, Establishment.id == Case.establishment_id)
        .outerjoin(FormerWard, FormerWard.code == Case.former_ward_code)
        .outerjoin(FormerDistrict, FormerDistrict.code == Case.former_district_code)
        .outerjoin(SurveyCampaign, SurveyCampaign.id == Case.campaign_id)
        .outerjoin(original, original.id == Case.follow_up_of_id)
        .outerjoin(creator, creator.id == Case.created_by_id)
    )
    return filter_cases(stmt, filters, user=user).order_by(Case.opened_on.desc(), Case.id.desc())


def former_district_names() -> tuple[dict[str, str], dict[str, str]]:
    """(today's commune → the former district it was mostly formed from, former district → its name):
    for a case recorded without a former district, the one the annual report attributes it to
    (``report_figures.commune_former_districts``). Reference data: about a hundred rows."""
    names = {
        code: name for code, name in db.session.execute(select(FormerDistrict.code, FormerDistrict.name))
    }
    return commune_former_districts(), names


def _stream(stmt: Select[Any]) -> Iterator[Row[Any]]:
    result = db.session.execute(stmt.execution_options(yield_per=BATCH_SIZE))
    try:
        yield from result
    finally:
        result.close()  # a download cut short must not leave a server-side cursor open


def case_rows(filters: CaseFilters, user: Any) -> Iterator[Row[Any]]:
    """The rows of :func:`case_query`, fetched as they are consumed (attributes named as its labels)."""
    return _stream(case_query(filters, user))


def _of_cases(model: Any, filters: CaseFilters, user: Any, *columns: Any) -> Select[Any]:
    """The rows of ``model`` (a table with ``case_id``) of the cases of the list, by case as the list, then
    in the order they were recorded; the case's number first."""
    stmt = select(Case.number, *columns).select_from(model).join(Case, Case.id == model.case_id)
    return filter_cases(stmt, filters, user=user).order_by(Case.opened_on.desc(), Case.id.desc(), model.id)


def instrument_rows(filters: CaseFilters, user: Any) -> Iterator[Row[Any]]:
    i = InstrumentCheck
    return _stream(
        _of_cases(
            i,
            filters,
            user,
            i.instrument_type,
            i.description,
            i.serial_number,
            i.certificate_number,
            i.certificate_expiry,
            i.seal_condition,
            i.measured_error,
            i.error_limit,
            i.error_unit,
            i.result,
            i.notes,
        )
    )


def prepackaged_rows(filters: CaseFilters, user: Any) -> Iterator[Row[Any]]:
    p = PrepackagedLot
    return _stream(
        _of_cases(
            p,
            filters,
            user,
            p.product,
            p.nominal_quantity,
            p.unit,
            p.sample_size,
            p.mean_measured,
            p.count_short_over_t,
            p.count_short_over_2t,
            p.result,
            p.notes,
        )
    )


def goods_rows(filters: CaseFilters, user: Any) -> Iterator[Row[Any]]:
    g = GoodsItem
    return _stream(
        _of_cases(
            g,
            filters,
            user,
            g.name,
            g.product_group,
            g.origin,
            g.quantity,
            g.unit,
            g.value_vnd,
            g.label_observation,
            g.cr_mark_observation,
            g.barcode,
            g.barcode_observation,
            g.result,
        )
    )


def sample_rows(filters: CaseFilters, user: Any) -> Iterator[Row[Any]]:
    s = Sample
    return _stream(
        _of_cases(
            s,
            filters,
            user,
            s.name,
            s.code,
            s.standard,
            s.lab,
            s.sent_on,
            s.tested_on,
            s.nominal_value,
            s.measured_value,
            s.unit,
            s.result,
            s.notes,
        )
    )


def finding_rows(filters: CaseFilters, user: Any) -> Iterator[Row[Any]]:
    """Every finding of the cases, dismissed ones too (with their status), with its catalog entry."""
    f = Finding
    stmt = _of_cases(
        f,
        filters,
        user,
        Violation.code,
        Violation.group_name,
        Violation.description,
        Violation.legal_basis,
        f.status,
        f.offender_type,
        f.goods_description,
        f.goods_quantity,
        f.goods_unit,
        f.goods_value_vnd,
        f.proposed_fine_vnd,
        f.proposed_remedies,
        f.sanction_form,
        f.decision_number,
        f.decision_date,
        f.decided_fine_vnd,
        f.additional_penalties,
        f.remedies_decided,
        f.deadline,
        f.seized_goods_value_vnd,
        f.fine_paid_on,
        f.remedy_done_on,
        f.referral_agency,
        f.referral_on,
        f.referral_reference,
        f.review_reason,
        f.notes,
    ).join(Violation, Violation.id == f.violation_id)
    return _stream(stmt)
