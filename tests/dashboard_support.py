"""The report's known data set (tests/report_support.py) plus what only the dashboard counts.

Added to the report's cases:

* ``c_open``: an e-commerce check in Rạch Giá, submitted, takedown requested on 06/10/2026 and not done;
* ``c_cancelled``: the same, but cancelled (never an open takedown);
* a sanction deadline of 01/06/2026 on c2's unpaid 5.000.000 ₫ fine (overdue on 24/11/2026), and one on
  c1's paid fine (paid: not overdue);
* GPS points on c1 and c2 (the same 0.01° cell) and c3; one on c7 (submitted: not counted).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from cases.db import db
from cases.models import Finding, User
from tests import factories
from tests import report_support as rs
from tests.report_support import LONG_XUYEN, RACH_GIA  # noqa: F401 (re-exported for the tests)

TODAY = dt.date(2026, 11, 24)


def build(inspector: User) -> rs.ReportData:
    data = rs.build(inspector)
    c = data.cases
    d = dt.date
    c["c_open"] = factories.case(
        inspector,
        "ecommerce",
        opened_on=d(2026, 10, 5),
        commune_code=RACH_GIA,
        action="takedown_request",
        action_on=d(2026, 10, 6),
        listing_url="https://shopee.vn/product/7/7",
        seller_name="Shop Mở",
    )
    c["c_open"].status = "submitted"
    c["c_cancelled"] = factories.case(
        inspector,
        "ecommerce",
        opened_on=d(2026, 10, 7),
        commune_code=RACH_GIA,
        action="takedown_request",
        action_on=d(2026, 10, 8),
        listing_url="https://shopee.vn/product/8/8",
    )
    c["c_cancelled"].status = "cancelled"
    for name, deadline in (("c2", d(2026, 6, 1)), ("c1", d(2026, 5, 1))):
        finding = db.session.scalars(
            select(Finding).where(Finding.case_id == c[name].id, Finding.status == "confirmed")
        ).one()
        finding.deadline = deadline
    for name, (lat, lon) in {
        "c1": (10.3864, 105.4352),
        "c2": (10.3861, 105.4351),
        "c3": (10.0123, 105.0811),
        "c7": (10.3864, 105.4352),
    }.items():
        c[name].latitude, c[name].longitude = lat, lon
    db.session.commit()
    return data
