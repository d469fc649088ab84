"""The import's bulk writer (``cases/transfer/writer.py``): what it writes is what creating the cases one
by one through the services wrote (``tests/import_reference.py``), the audit chain stays intact, and the
number of statements does not grow with the number of rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from cases.db import db
from cases.models import AuditEvent, Case, CaseField, Establishment, Finding, Sample, SurveyCampaign, User
from cases.recording import service as case_service
from cases.recording.establishments import create_establishment
from cases.transfer import importer
from cases.transfer import writer as import_writer
from cases.transfer.importer import import_cases
from tests import factories
from tests.import_reference import OneByOneWriter
from tests.sql_statements import recorded_statements
from tests.transfer_helpers import csv_bytes, sample_rows

#: Beyond the sample file: an establishment known without a tax code gets one, a namesake with another
#: tax code is another establishment, the same name without a tax code is the one it last led to, two
#: violations (the fine on the first), a listing URL with tracking parameters, a survey of another year.
EXTRA_ROWS = [
    {
        "ref": "EXTRA-1",
        "case_type": "inspection",
        "field": "fuel",
        "mode": "planned",
        "opened_on": "2026-03-02",
        "status": "approved",
        "establishment": "Cửa hàng xăng dầu Số Một",
        "tax_code": "8901234569",
        "commune_code": "30341",
        "product": "Xăng RON 95",
        "violations": "MV-03;NH-01",
        "fine_vnd": "2.000.000",
    },
    {
        "ref": "EXTRA-2",
        "case_type": "inspection",
        "field": "fuel",
        "mode": "unscheduled",
        "opened_on": "2026-03-03",
        "status": "submitted",
        "establishment": "Cua hang xang dau so mot",
        "tax_code": "8901234576",
        "commune_code": "30341",
        "violations": "MV-03",
    },
    {
        "ref": "EXTRA-3",
        "case_type": "survey",
        "field": "quality",
        "opened_on": "2024-11-05",
        "status": "closed",
        "closed_on": "2024-11-20",
        "establishment": "CỬA HÀNG XĂNG DẦU SỐ MỘT",
        "commune_code": "30341",
        "samples_tested": "3",
        "samples_failed": "1",
    },
    {
        "ref": "EXTRA-4",
        "case_type": "ecommerce",
        "opened_on": "2026-04-01",
        "status": "draft",
        "commune_code": "30341",
        "platform": "shopee",
        "listing_url": "https://www.Shopee.vn/p/77/?utm_source=zalo#top",
        "seller": "Shop Ánh Dương",
        "product": "Nồi cơm điện",
    },
]


@pytest.fixture
def admin(app_ctx, make_user) -> User:
    user = make_user("quantri-bulk", "admin")
    return db.session.get(User, user.id)


def _file() -> bytes:
    rows = [row for row in sample_rows() if row["ref"]]
    return csv_bytes([*rows, *EXTRA_ROWS])


def _columns(obj: Any, *, skip: set[str]) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in type(obj).__table__.columns if c.key not in skip}


def _written() -> dict[str, Any]:
    """Everything an import writes, as plain values; ids replaced by what they point at (the ids of two
    runs differ on PostgreSQL, whose sequences do not roll back), timestamps checked then left out."""
    establishments = {e.id: e for e in db.session.scalars(select(Establishment))}
    campaigns = {c.id: c.name for c in db.session.scalars(select(SurveyCampaign))}

    def named(establishment_id: int | None) -> Any:
        found = establishments.get(establishment_id)  # type: ignore[arg-type]
        return (found.name, found.tax_code) if found else None

    cases = {}
    for case in db.session.scalars(select(Case).order_by(Case.import_ref)):
        assert case.created_at is not None and case.updated_at is not None
        values = _columns(case, skip={"id", "created_at", "updated_at"})
        values["establishment_id"] = named(case.establishment_id)
        values["campaign_id"] = campaigns.get(case.campaign_id)  # type: ignore[arg-type]
        values["fields"] = [
            f.field for f in db.session.scalars(select(CaseField).where(CaseField.case_id == case.id))
        ]
        values["samples"] = [
            {**_columns(s, skip={"id", "case_id"}), "establishment_id": named(s.establishment_id)}
            for s in db.session.scalars(select(Sample).where(Sample.case_id == case.id).order_by(Sample.id))
        ]
        values["findings"] = [
            _columns(f, skip={"id", "case_id", "created_at"})
            for f in db.session.scalars(
                select(Finding).where(Finding.case_id == case.id).order_by(Finding.id)
            )
        ]
        entries = list(db.session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id)))
        assert len(entries) == 1 and entries[0].entity_id == case.id and entries[0].at is not None
        changes = [
            {**c, "to": named(c["to"])}
            if c["field"] == "establishment_id"
            else {**c, "to": campaigns.get(c["to"])}
            if c["field"] == "campaign_id"
            else c
            for c in entries[0].changes or []
        ]
        entry = _columns(entries[0], skip={"id", "at", "case_id", "entity_id", "prev_hash", "entry_hash"})
        values["audit"] = {**entry, "changes": changes}
        cases[case.import_ref] = values
    return {
        "cases": cases,
        "establishments": sorted(
            (tuple(_columns(e, skip={"id", "created_at"}).items()) for e in establishments.values()), key=str
        ),
        "campaigns": sorted(campaigns.values()),
    }


def test_the_bulk_writer_writes_what_creating_cases_one_by_one_wrote(admin, monkeypatch):
    # known before the import, without a tax code: the first extra row fills it in
    create_establishment(actor=None, name="Cửa hàng xăng dầu Số Một", commune_code="30341")
    db.session.commit()

    report = import_cases(_file(), filename="f.csv", actor=admin)
    assert report.imported and report.created == 16, report.errors
    bulk = _written()
    numbers = report.created_numbers
    db.session.rollback()

    monkeypatch.setattr(importer, "ImportWriter", OneByOneWriter)
    report = import_cases(_file(), filename="f.csv", actor=admin)
    assert report.imported and report.created == 16, report.errors
    one_by_one = _written()
    db.session.rollback()

    assert report.created_numbers == numbers
    assert bulk["establishments"] == one_by_one["establishments"]
    assert bulk["campaigns"] == one_by_one["campaigns"]
    assert bulk["cases"].keys() == one_by_one["cases"].keys()
    for ref, values in bulk["cases"].items():
        assert values == one_by_one["cases"][ref], ref
    # what the extra rows check, beyond being equal
    known = bulk["cases"]["EXTRA-1"]
    assert known["establishment_id"] == ("Cửa hàng xăng dầu Số Một", "8901234569")
    assert bulk["cases"]["EXTRA-2"]["establishment_id"] == ("Cua hang xang dau so mot", "8901234576")
    # the same name without a tax code: the establishment that name last led to (the namesake)
    assert bulk["cases"]["EXTRA-3"]["establishment_id"] == bulk["cases"]["EXTRA-2"]["establishment_id"]
    assert [f["decided_fine_vnd"] for f in known["findings"]] == [2_000_000, None]
    assert bulk["cases"]["EXTRA-4"]["listing_url_key"] == "shopee.vn/p/77"


def _verify(runner):
    db.session.remove()  # the command reads what is committed, on its own session
    return runner.invoke(args=["audit", "verify"])


def test_the_audit_chain_stays_intact_around_an_import(admin, runner):
    factories.case(admin, "inspection", product="Trước khi nhập")
    db.session.commit()
    report = import_cases(_file(), filename="f.csv", actor=admin)
    db.session.commit()
    again = import_cases(csv_bytes([{**EXTRA_ROWS[0], "ref": "EXTRA-9"}]), filename="g.csv", actor=admin)
    db.session.commit()
    actor = db.session.get(User, admin.id)
    factories.case(actor, "inspection", product="Sau khi nhập")
    db.session.commit()
    assert report.created == 16 and again.created == 1

    result = _verify(runner)
    assert result.exit_code == 0, result.output
    entries = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert f"OK: {len(entries)} audit entries" in result.output
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.entry_hash
    # the administrator's account and the survey campaigns the import created are in the same chain
    of_cases = [e.action for e in entries if e.entity_type == "case"]
    assert of_cases == ["create", *["import"] * 17, "create"]
    assert {e.entity_type for e in entries} == {"account", "campaign", "case"}


def test_numbers_continue_the_counters_and_cases_made_afterwards_continue_them(admin):
    factories.case(admin, "inspection", opened_on=dt.date(2026, 1, 5))
    rows = [{**EXTRA_ROWS[1], "ref": f"N-{n}", "tax_code": ""} for n in range(3)]
    report = import_cases(csv_bytes(rows), filename="n.csv", actor=admin)
    after = case_service.create_case(actor=admin, data=factories.case_input("inspection"))
    assert report.created_numbers == ["KT-2026-0002", "KT-2026-0003", "KT-2026-0004"]
    assert after.number == "KT-2026-0005"


def _rows(count: int, start: int) -> list[dict[str, str]]:
    """Rows of the three kinds, each with its own establishment, samples and findings."""
    rows = []
    for n in range(start, start + count):
        kind = ("inspection", "survey", "ecommerce")[n % 3]
        row = {
            "ref": f"Q-{n}",
            "case_type": kind,
            "opened_on": "2026-02-10",
            "status": "approved" if kind == "inspection" else "draft",
            "commune_code": "30341",
            "product": f"Sản phẩm {n}",
        }
        if kind == "ecommerce":
            row.update(platform="shopee", listing_url=f"https://shopee.vn/p/{n}", seller=f"shop_{n}")
        else:
            row.update(field="quality", establishment=f"Cơ sở số {n}", samples_tested="2", samples_failed="1")
        if kind == "inspection":
            row.update(mode="planned", violations="MV-03", fine_vnd="1000000")
        rows.append(row)
    return rows


def test_the_number_of_statements_does_not_grow_with_the_rows(admin):
    counts = {}
    for size, start in ((20, 0), (200, 1000)):
        with recorded_statements() as seen:
            report = import_cases(csv_bytes(_rows(size, start)), filename="q.csv", actor=admin)
        assert report.imported and report.created == size, report.errors
        counts[size] = len(seen)
        db.session.rollback()
    assert counts[200] <= counts[20] + 2, counts


def test_a_tax_code_saved_meanwhile_is_a_conflict_on_the_row_that_meant_to_create_it(admin, monkeypatch):
    create_establishment(actor=None, name="Công ty Nhanh Tay", tax_code="8901234583", commune_code="30341")
    db.session.commit()
    rows = [
        {**EXTRA_ROWS[2], "ref": "T-1", "establishment": "Cơ sở Không Mã"},
        {**EXTRA_ROWS[1], "ref": "T-2", "establishment": "Công ty Chậm Chân", "tax_code": "8901234583"},
    ]
    # the other import saved its establishment after this one read the establishments of the file
    monkeypatch.setattr(import_writer._Establishments, "_load", lambda self, rows: None)
    report = import_cases(csv_bytes(rows), filename="t.csv", actor=admin)
    db.session.commit()

    assert not report.imported and [(e.row, e.code) for e in report.errors] == [(3, "conflict")]
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0
    assert list(db.session.scalars(select(Establishment.name))) == ["Công ty Nhanh Tay"]
