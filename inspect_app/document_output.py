"""An official document (the view of ``cases/documents/view.py``) as a PDF and as a Word file: one code path
for the pages and the CLI. Always in Vietnamese, in the layout of Decree 30/2020/NĐ-CP.

The PDF is the print template (``templates/documents/print/print_<type>.html``) through WeasyPrint
(``inspect_app/pdf.py``, the annual report's machinery). The Word file is read from the same HTML
(:func:`html_to_docx`): its paragraphs, tables, bold, italics and underlines become python-docx's, so the two
never say different things. A draft's DỰ THẢO is a watermark on every PDF page and in every Word page header.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup

from cases.enums import DocumentType
from cases.rendering.formatting import decree_place_date, format_date, format_number

BLANK = "……………………"
BLANK_SHORT = "………"
BLANK_DATE = "……/……/………"

#: Words for a member's role in the team (the snapshot's ``team_role``).
TEAM_ROLES = {
    "leader": "Trưởng đoàn",
    "team_leader": "Trưởng đoàn",
    "deputy_leader": "Phó trưởng đoàn",
    "member": "Thành viên",
    "technical": "Cán bộ kỹ thuật",
    "technical_officer": "Cán bộ kỹ thuật",
    "secretary": "Thư ký",
}
LEADER_ROLES = {"leader", "team_leader"}


def blank(value: Any = None, lines: int = 1) -> Markup:
    """A dotted line to fill by hand (``lines`` of them)."""
    if lines <= 1:
        return Markup('<span class="blank">{}</span>').format(BLANK)
    return Markup("<br>").join(
        Markup('<span class="blank">{}</span>').format(BLANK * 4) for _ in range(lines)
    )


def as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    return dt.date.fromisoformat(str(value)[:10])


def date_text(value: Any) -> str:
    """DD/MM/YYYY, or a dotted date to fill."""
    found = as_date(value)
    return format_date(found) if found is not None else BLANK_DATE


def hour_text(value: str | None) -> str:
    """ "14:30" → "14 giờ 30 phút"; a dotted blank when the draft has none."""
    if not value or ":" not in value:
        return "……… giờ ……… phút"
    hours, minutes = value.split(":", 1)
    return f"{int(hours)} giờ {int(minutes):02d} phút"


def money(value: int | None) -> str:
    """``1500000`` → ``"1.500.000 đồng"``; empty when not known."""
    if value is None:
        return ""
    return f"{format_number(int(value))}\u00a0đồng"


def number_text(value: float | int | None) -> str:
    """A measured value with a decimal comma and no trailing zeros: ``0.50`` → ``"0,5"``."""
    if value is None:
        return ""
    if float(value).is_integer():
        return format_number(int(value))
    text = f"{float(value):,.6f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def legal_reference_text(ref: dict[str, Any] | None) -> str:
    """ "điểm b khoản 1 Điều 9 Nghị định số 119/2017/NĐ-CP (được sửa đổi, bổ sung bởi Nghị định số
    126/2021/NĐ-CP)" from the catalog's article, clause and point; the catalog's text when it names none."""
    if not ref:
        return BLANK
    text = ref.get("text") or ""
    if not ref.get("article"):
        return text or BLANK
    parts = []
    if ref.get("point"):
        parts.append(f"điểm {ref['point']}")
    if ref.get("clause"):
        parts.append(f"khoản {ref['clause']}")
    parts.append(f"Điều {ref['article']}")
    decree = "Nghị định số 119/2017/NĐ-CP" if "119/2017" in text else None
    if decree and "126/2021" in text:
        decree += " (được sửa đổi, bổ sung bởi Nghị định số 126/2021/NĐ-CP)"
    return " ".join(parts) + " " + (decree or f"({text})")


def where(address: str | None, commune: str | None) -> str:
    """An address with its commune, the commune not written twice ("Số 76 Tôn Đức Thắng, Phường Long
    Xuyên" already names it); empty when neither is known."""
    address = (address or "").strip()
    if not commune or commune.casefold() in address.casefold():
        return address
    return f"{address}, {commune}" if address else commune


def leader_name(team: list[dict[str, Any]] | None) -> str | None:
    for member in team or []:
        if member.get("team_role") in LEADER_ROLES:
            return str(member.get("full_name"))
    return None


def _expired(view: dict[str, Any]) -> Any:
    on = view["handling_date"]

    def expired(value: Any) -> bool:
        found = as_date(value)
        return found is not None and on is not None and found < on

    return expired


def _authority(view: dict[str, Any]) -> str:
    agency = view["agency"]
    if agency.get("authority_title"):
        return str(agency["authority_title"])
    return f"GIÁM ĐỐC {agency.get('name') or BLANK}".upper()


def _place_date(view: dict[str, Any]) -> str:
    place = view["agency"].get("place_name") or BLANK
    if view["issued_on"] is None:
        return f"{place}, ngày …… tháng …… năm ……"
    return decree_place_date(place, view["issued_on"])


class _Lenient(dict[str, Any]):
    """A part of the view whose missing keys read as ``None`` (the templates print a blank for them)."""

    def __getattr__(self, name: str) -> Any:
        return self.get(name)


def document_html(view: dict[str, Any]) -> str:
    """The print template of the view's type, rendered (Vietnamese)."""
    from inspect_app.labels.codes import choice_label, field_label, sanction_form_label
    from inspect_app.labels.items import instrument_type_label, item_result_label, seal_label

    kind = DocumentType(view["type"])
    data = view["data"]
    finding = data.get("finding") or {}
    with force_locale("vi"):
        fields = ", ".join(field_label(f) for f in view["data"].get("fields") or [])
        return render_template(
            f"documents/print/print_{kind.value}.html",
            v=view,
            data=data,
            agency=_Lenient(view["agency"]),
            est=_Lenient(data.get("establishment") or {}),
            case=_Lenient(data.get("case") or {}),
            place=_Lenient(data.get("place") or {}),
            texts=_Lenient(view["texts"]),
            f=_Lenient(finding),
            vio=_Lenient(finding.get("violation") or {}),
            dec=_Lenient(finding.get("decision") or {}),
            org=finding.get("offender_type") == "organisation",
            b=blank,
            bs=Markup('<span class="blank">{}</span>').format(BLANK_SHORT),
            d=date_text,
            money=money,
            num=number_text,
            legal_ref=legal_reference_text,
            leader_name=leader_name,
            where=where,
            expired=_expired(view),
            role=lambda code: TEAM_ROLES.get(code, code) if code else "",
            instrument=instrument_type_label,
            seal=seal_label,
            result=item_result_label,
            mode=lambda code: choice_label("mode", code),
            sanction=sanction_form_label,
            fields=fields,
            authority=_authority(view),
            place_date=_place_date(view),
            year=(view["handling_date"].year if view["handling_date"] else None),
            record=view.get("violation_record"),
            sampling_allowed={"yes": True, "no": False}.get(view["texts"].get("sampling_allowed") or ""),
            hour=hour_text,
        )


def document_pdf(view: dict[str, Any]) -> bytes:
    from inspect_app.pdf import html_to_pdf

    return html_to_pdf(document_html(view))


# --- Word --------------------------------------------------------------------------------------------

_BLOCKS = {"p", "div", "h1", "h2", "h3", "li"}
_SPACE = re.compile(r"\s+")


def document_docx(view: dict[str, Any]) -> bytes:
    """The same document as a Word file (A4, Times New Roman 13 pt, the heading and signatures as
    borderless tables, the data tables with borders; a draft says DỰ THẢO in every page's header)."""
    return html_to_docx(document_html(view), draft=bool(view["draft"]))


def html_to_docx(html: str, *, draft: bool) -> bytes:
    import lxml.html
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor

    tree = lxml.html.document_fromstring(html)
    body = tree.find("body")
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.paragraph_format.space_after = Pt(3)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if draft:
        mark = header.add_run("DỰ THẢO — chưa ban hành")
        mark.bold = True
        mark.font.size = Pt(14)
        mark.font.color.rgb = RGBColor(0xB0, 0x00, 0x00)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(footer)
    writer = _DocxWriter(document)
    if body is not None:
        writer.blocks(body, container=document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page_field(paragraph: Any) -> None:
    """A PAGE field (the page number), as Word writes it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split())


class _DocxWriter:
    """Walks the print template's HTML into python-docx paragraphs and tables."""

    def __init__(self, document: Any) -> None:
        self.document = document

    def blocks(self, parent: Any, container: Any, inherited: set[str] | None = None) -> None:
        """Each block child of ``parent`` as a paragraph or a table of ``container`` (the document or a
        table cell); loose text and inline children become one paragraph."""
        inline: list[Any] = []
        leading = (parent.text or "").strip()
        if leading:
            inline.append(parent.text)
        for child in parent:
            tag = child.tag if isinstance(child.tag, str) else ""
            classes = _classes(child)
            if tag in {"style", "title", "head", "hr"} or "watermark" in classes:
                if child.tail and child.tail.strip():
                    inline.append(child.tail)
                continue
            if tag == "table":
                self.flush(inline, container, parent, inherited)
                inline = []
                self.table(child, container)
            elif tag in _BLOCKS:
                self.flush(inline, container, parent, inherited)
                inline = []
                if any(isinstance(c.tag, str) and (c.tag in _BLOCKS or c.tag == "table") for c in child):
                    self.blocks(child, container, (inherited or set()) | classes)
                else:
                    self.paragraph(child, container, (inherited or set()) | classes)
            else:
                inline.append(child)
            if child.tail and child.tail.strip() and tag in _BLOCKS | {"table"}:
                inline.append(child.tail)
        self.flush(inline, container, parent, inherited)

    def flush(self, inline: list[Any], container: Any, parent: Any, inherited: set[str] | None) -> None:
        if not inline:
            return
        if all(isinstance(item, str) and not item.strip() for item in inline):
            return
        paragraph = container.add_paragraph()
        self.style(paragraph, parent.tag, (inherited or set()) | _classes(parent))
        for item in inline:
            if isinstance(item, str):
                self.text(paragraph, item, set())
            else:
                self.inline(paragraph, item, set())
                if item.tail:
                    self.text(paragraph, item.tail, set())

    def paragraph(self, element: Any, container: Any, classes: set[str]) -> None:
        paragraph = container.add_paragraph()
        self.style(paragraph, element.tag, classes)
        marks = set()
        if element.tag in {"h1", "h2"} or classes & {"bold", "role", "name", "decide", "authority"}:
            marks.add("b")
        if classes & {"italic", "basis", "place-date", "hint", "label"}:
            marks.add("i")
        if "label" in classes:
            marks.add("b")
        if element.tag == "h1" or classes & {"title-sub", "decide", "authority"}:
            marks.add("big")
        if classes & {"title-sub", "form-code"}:
            marks.add("b")
        if element.text:
            self.text(paragraph, element.text, marks)
        for child in element:
            self.inline(paragraph, child, marks)
            if child.tail:
                self.text(paragraph, child.tail, marks)

    def style(self, paragraph: Any, tag: str, classes: set[str]) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        fmt = paragraph.paragraph_format
        fmt.space_after = Pt(3)
        centred = tag == "h1" or classes & {
            "center",
            "title-sub",
            "decide",
            "authority",
            "role",
            "name",
            "hint",
            "agency",
            "nation",
            "place-date",
            "number",
            "draft-note",
            "signer",
        }
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif classes & {"right", "form-code"}:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif tag == "p":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            if "sub" in classes:
                fmt.left_indent = Cm(1)
            elif "plain" not in classes:
                fmt.first_line_indent = Cm(1)
        if "space" in classes:
            fmt.space_after = Pt(48)
        if tag == "h1":
            fmt.space_before = Pt(10)

    def inline(self, paragraph: Any, element: Any, marks: set[str]) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "br":
            paragraph.add_run().add_break()
            return
        here = set(marks)
        if tag in {"b", "strong"} or "bold" in _classes(element):
            here.add("b")
        if tag in {"i", "em"} or "italic" in _classes(element):
            here.add("i")
        if tag == "u":
            here.add("u")
        if element.text:
            self.text(paragraph, element.text, here)
        for child in element:
            self.inline(paragraph, child, here)
            if child.tail:
                self.text(paragraph, child.tail, here)

    @staticmethod
    def text(paragraph: Any, text: str, marks: set[str]) -> None:
        words = _SPACE.sub(" ", text)
        if not paragraph.runs or not paragraph.text:
            words = words.lstrip()
        if not words:
            return
        run = paragraph.add_run(words)
        run.bold = "b" in marks or None
        run.italic = "i" in marks or None
        run.underline = "u" in marks or None
        if "big" in marks:
            from docx.shared import Pt

            run.font.size = Pt(14)

    def table(self, element: Any, container: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt

        rows = list(element.iter("tr"))
        if not rows:
            return
        width = max(len([c for c in row if c.tag in {"td", "th"}]) for row in rows)
        kind = _classes(element)
        grid = "grid" in kind
        table = container.add_table(rows=len(rows), cols=width)
        table.autofit = False
        if grid:
            table.style = "Table Grid"
        shares = _column_shares(rows[0], width, kind)
        for column, share in zip(table.columns, shares, strict=True):
            column.width = Mm(TEXT_WIDTH_MM * share / 100)  # the grid Word and LibreOffice lay out by
        size = Pt(10.5) if grid else Pt(12) if "heading" in kind else None
        for r, row in enumerate(rows):
            cells = [c for c in row if c.tag in {"td", "th"}]
            for c, source in enumerate(cells):
                cell = table.cell(r, c)
                cell.width = Mm(TEXT_WIDTH_MM * shares[c] / 100)
                cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
                classes = _classes(source) | ({"bold", "center"} if source.tag == "th" else set())
                if grid and not any(isinstance(x.tag, str) and x.tag in _BLOCKS for x in source):
                    self.paragraph(source, cell, classes)
                else:
                    self.blocks(source, cell, classes)
                if not cell.paragraphs:
                    cell.add_paragraph()
                for paragraph in cell.paragraphs:
                    if grid:
                        paragraph.paragraph_format.first_line_indent = None
                        paragraph.paragraph_format.space_after = Pt(0)
                        if "num" in classes:
                            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                        elif source.tag != "th":
                            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
                    if size is not None:
                        for run in paragraph.runs:
                            run.font.size = size


#: The text width of an A4 page with the decree's margins (210 − 30 − 15 mm).
TEXT_WIDTH_MM = 165
#: Column shares (percent) of the borderless tables, near the print CSS's: the agency's name may wrap, the
#: national heading stays on one line.
_TABLE_SHARES = {"heading": [44, 56], "closing": [45, 55], "signatures": [50, 50]}
_WIDTH = re.compile(r"width:\s*([\d.]+)%")


def _column_shares(first_row: Any, width: int, kind: set[str]) -> list[float]:
    for name, shares in _TABLE_SHARES.items():
        if name in kind and len(shares) == width:
            return [float(x) for x in shares]
    found = [_WIDTH.search(c.get("style") or "") for c in first_row if c.tag in {"td", "th"}]
    if len(found) == width and all(found):
        return [float(m.group(1)) for m in found if m]
    return [100 / width] * width
