"""The annual report as a page context, a PDF (WeasyPrint) and a workbook (openpyxl): one code path for
the views and the CLI. The PDF and the workbook are official documents and always in Vietnamese."""

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from cases.rendering.formatting import decree_place_date
from cases.reporting import annual_report as ar
from cases.transfer.exporter import neutralise
from inspect_app import report_tables as rt
from inspect_app.labels.codes import target_status_label

PLACE = "An Giang"


def context(doc: dict[str, Any]) -> dict[str, Any]:
    """What the page and the print template need besides the document itself."""
    text = doc["text"]
    when = text.report_date or dt.date.today()
    return {
        "doc": doc,
        "tables": rt.all_tables(doc),
        "charts": rt.charts(doc),
        "quotes": rt.quotable_figures(doc),
        "group_titles": rt.TASK_GROUP_TITLES,
        "place_date": decree_place_date(PLACE, when),
        "top_communes": rt.TOP_COMMUNES,
        "cell_text": rt.cell_text,
        "status_word": target_status_label,
        "now": dt.datetime.now(dt.UTC),
        "sections": ar.SECTIONS,
        "empty_words": nothing_to_report_words(doc["year"]),
    }


def nothing_to_report_words(year: int) -> dict[str, str]:
    """What the report says under a section marked "nothing to report", in the words of an official
    report (the PDF is rendered in Vietnamese)."""
    group = _("In %(year)s, there is nothing to report under this task group.", year=year)
    words = {f"group_{g}": group for g in ar.TASK_GROUPS}
    words["limitations"] = _("In %(year)s, there are no limitations or difficulties to report.", year=year)
    words["recommendations"] = _("There are no recommendations or proposals.")
    return words


def annual_html(doc: dict[str, Any]) -> str:
    with force_locale("vi"):
        values = context(doc)
        values["charts"] = {name: svg_as_image(svg) for name, svg in values["charts"].items()}
        return render_template("reports/print_annual.html", **values)


def svg_as_image(svg: Markup) -> Markup:
    """A chart's inline SVG as an ``<img>`` of the same SVG (a ``data:`` URL), for the PDF.

    WeasyPrint draws both alike, but runs the HTML's style cascade over every element of an inline SVG
    (the charts and the map are a fifth of the document's elements): as an image the PDF takes 0.2–0.3 s
    less for a year's report (measured in one process; docs/performance.md). The web page keeps the
    inline SVG, whose bubbles and bars are links.
    """
    data = base64.b64encode(str(svg).encode("utf-8")).decode("ascii")
    return Markup(f'<img class="chart" src="data:image/svg+xml;base64,{data}" alt="">')


def annual_pdf(doc: dict[str, Any]) -> bytes:
    from inspect_app.pdf import html_to_pdf

    return html_to_pdf(annual_html(doc))


def annual_workbook(doc: dict[str, Any]) -> bytes:
    """One sheet per table, numbers stored as numbers, Vietnamese headers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    number_formats = {rt.INT: "#,##0", rt.VND: '#,##0 "₫"', rt.PCT: '0.0 "%"'}
    with force_locale("vi"):
        tables = rt.all_tables(doc)
        status = _status_line(doc)
    book = Workbook()
    book.remove(book.active)
    for table in tables.values():
        sheet = book.create_sheet(table.key)
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([status])
        sheet["A2"].font = Font(italic=True)
        sheet.append([col.title for col in table.columns])
        for cell in sheet[3]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for r, row in enumerate(table.cells(), start=4):
            for c, (value, kind) in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c, value=neutralise(value))
                if kind in number_formats and isinstance(value, int | float):
                    cell.number_format = number_formats[kind]
                elif kind == rt.TEXT:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        if table.note:
            sheet.cell(row=sheet.max_row + 2, column=1, value=table.note).font = Font(italic=True)
        for c, col in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = 50 if col.kind == rt.TEXT and c <= 2 else 16
        sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _status_line(doc: dict[str, Any]) -> str:
    from flask_babel import gettext as _

    from cases.rendering.formatting import format_datetime

    if doc["is_final"]:
        return _(
            "Finalised report, revision %(revision)s, finalised on %(when)s; SHA-256 %(sha)s",
            revision=doc["revision"],
            when=format_datetime(_as_datetime(doc["finalised_at"])),
            sha=doc["sha256"],
        )
    return _(
        "Live figures (the report is not finalised), computed on %(when)s",
        when=format_datetime(dt.datetime.now(dt.UTC)),
    )


def _as_datetime(value: Any) -> dt.datetime | None:
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value
