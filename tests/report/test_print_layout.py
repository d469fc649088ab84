"""What keeps the annual report's PDF quick without changing its look: the tables' fixed column widths
(templates/reports/_print_annual.css) and the trimmed user-agent stylesheet (inspect_app/pdf.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from flask_babel import force_locale
from PIL import Image, ImageChops

from cases.reporting import annual_report as ar
from inspect_app import report_tables as rt
from inspect_app.pdf import html_to_pdf, lean_user_agent_css
from tests import report_support as rs

PRINT_CSS = Path(__file__).resolve().parents[2] / "templates" / "reports" / "_print_annual.css"
WIDTH = re.compile(r"table\.table-(\w+) th:nth-child\((\d+)\) \{ width: ([\d.]+)%; \}")


def test_every_printed_table_has_a_width_for_each_column_adding_up_to_the_full_width(app_ctx, make_user):
    """In the fixed layout a column without a width would take an equal share of what is left: a column
    added to a table (inspect_app/report_tables.py) needs its width in the print stylesheet."""
    rs.build(make_user(role="inspector"))
    widths: dict[str, dict[int, float]] = {}
    for key, column, width in WIDTH.findall(PRINT_CSS.read_text(encoding="utf-8")):
        widths.setdefault(key, {})[int(column)] = float(width)
    with force_locale("vi"):
        tables = rt.all_tables(ar.document(2026))
    assert set(widths) == set(tables)
    for key, table in tables.items():
        assert sorted(widths[key]) == list(range(1, len(table.columns) + 1)), key
        assert sum(widths[key].values()) == pytest.approx(100, abs=0.01), key


def test_the_lean_user_agent_stylesheet_differs_only_by_the_rules_for_every_element():
    from weasyprint.html import UA

    ours, theirs = lean_user_agent_css(UA).split("\n"), UA.split("\n")
    assert [line for line in ours if line not in theirs] == [
        "li::marker { font-variant-numeric: tabular-nums; white-space: pre; text-transform: none }"
    ]
    left_out = [line.split(" {")[0] for line in theirs if line not in ours]
    assert left_out == [
        "::marker",
        "::footnote-call",
        "::footnote-marker",
        "::note-call",
        "::note-marker",
        "::note-callback",
    ]


SAMPLE = """<html><head><style>
@page { size: A6; margin: 10mm }
table { border-collapse: collapse } td, th { border: 0.5pt solid #000; padding: 2pt }
</style></head><body>
<h1>Tiêu đề</h1>
<ol><li>Một</li><li>Hai</li><li>Ba</li></ol><ul><li>Mục</li><li>Khác</li></ul>
<table><thead><tr><th>Xã</th><th>Vụ việc</th></tr></thead><tbody><tr><td>Mỹ Hòa Hưng</td><td>1.234</td></tr>
</tbody></table><p>Đoạn văn <b>đậm</b> và <i>nghiêng</i>.</p>
</body></html>"""


def _png(pdf: bytes, tmp_path: Path, name: str) -> Image.Image:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    command = ["pdftoppm", "-r", "72", "-png", "-singlefile", str(path), str(tmp_path / name)]
    subprocess.run(command, check=True)
    return Image.open(tmp_path / f"{name}.png").convert("RGB")


def test_a_page_looks_the_same_as_with_weasyprints_own_stylesheet(app_ctx, tmp_path):
    """Lists (their markers), a collapsed-border table and text render pixel for pixel as before."""
    from weasyprint import HTML

    ours = _png(html_to_pdf(SAMPLE), tmp_path, "ours")
    theirs = _png(HTML(string=SAMPLE).write_pdf(), tmp_path, "theirs")
    assert ours.size == theirs.size
    assert ImageChops.difference(ours, theirs).getbbox() is None
