"""The commune map as a figure of the annual report: drawn from the report's own by-commune figures (a
finalised report's frozen ones), in the web page and the PDF."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from flask_babel import force_locale

from cases.db import db
from cases.reporting import annual_report as ar
from inspect_app import report_output, report_tables
from tests import factories
from tests import report_support as rs

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"


def _map(report) -> str:
    with force_locale("vi"):  # the report is always in Vietnamese (inspect_app/report_output.py)
        return str(report_tables.charts(ar.document(2026, report))["map"])


def _bubbles(svg: str) -> dict[str, str]:
    return dict(re.findall(r'class="commune-bubble" data-code="(\d+)" data-cases="(\d+)"', svg))


@pytest.fixture
def finalised(app_ctx, make_user):
    data = rs.build(make_user(role="inspector"))
    manager = make_user("quanly", role="manager")
    report = ar.start_draft(2026, manager, today=dt.date(2026, 11, 24))
    text = ar.ReportText.of(report)
    text.number_symbol = "12/BC-SKHCN"
    text.report_date = dt.date(2026, 11, 5)
    text.signer_name = "Nguyễn Văn Giám Đốc"
    text.overall_assessment = "Năm 2026, Sở đã triển khai đầy đủ các nhiệm vụ của Kế hoạch."
    ar.save_text(report, rs.complete_narrative(text), manager)
    ar.finalise(report, manager)
    db.session.commit()
    return data, report


def test_report_map_uses_the_frozen_figures(finalised):
    data, report = finalised
    svg = _map(report)
    assert _bubbles(svg) == {rs.LONG_XUYEN: "3", rs.RACH_GIA: "4"}
    assert "<a " not in svg  # no links in a printed report
    # a case approved after finalising changes the live figures, not the finalised report's map
    extra = factories.case(data.inspector, "inspection", opened_on=dt.date(2026, 6, 1), commune_code="30316")
    extra.status = "approved"
    db.session.commit()
    assert _bubbles(_map(report)) == {
        rs.LONG_XUYEN: "3",
        rs.RACH_GIA: "4",
    }


def test_report_pdf_has_the_map(finalised):
    _data, report = finalised
    pdf = report_output.annual_pdf(ar.document(2026, report))
    path = ARTIFACTS / "annual-report-with-map.pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", " ", text)
    assert "Hình 4" in flat
    assert "Tỷ lệ hồ sơ có vi phạm được xác nhận" in flat  # the map's legend, drawn by WeasyPrint
