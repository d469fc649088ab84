"""The annual report's tables and charts, built once from a report document
(cases.reporting.annual_report.document)
for the page, the PDF and the workbook alike.

Figures are not computed here: they come ready from the document (live or frozen). This module only
chooses rows, words them (through Babel, so the official PDF and workbook are rendered in Vietnamese
under ``force_locale("vi")``) and gives each cell a type, so that the page shows ``1.500.000 ₫`` while the
workbook stores the number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from cases.rendering import svg_charts
from cases.rendering.commune_map import render_commune_map
from cases.rendering.formatting import format_number, format_vnd
from cases.reporting.dashboard import commune_positions, figures_from_rows
from inspect_app.labels.codes import field_label, kind_label, target_status_label
from inspect_app.labels.map import map_labels

TOP_COMMUNES = 15

#: Column types: how a cell is shown and stored.
TEXT, INT, VND, PCT = "text", "int", "vnd", "pct"

TASK_GROUP_TITLES = {
    "1": "Nâng cao nhận thức, kiến thức về vai trò, vị trí và tầm quan trọng của công tác tiêu chuẩn, "
    "đo lường, chất lượng",
    "2": "Rà soát, hoàn thiện hệ thống cơ chế, chính sách đối với hoạt động tiêu chuẩn, đo lường, chất lượng",
    "3": "Kiện toàn tổ chức, xây dựng, đào tạo nguồn nhân lực về tiêu chuẩn, đo lường, chất lượng bảo đảm "
    "số lượng và chất lượng",
    "4": "Tăng cường đầu tư ngân sách nhà nước cho công tác tiêu chuẩn, đo lường, chất lượng",
    "5": "Tăng cường công tác thanh tra, kiểm tra, giám sát về tiêu chuẩn, đo lường, chất lượng",
    "6": "Đẩy mạnh hội nhập quốc tế về công tác tiêu chuẩn, đo lường, chất lượng",
}


@dataclass
class Column:
    title: str
    kind: str = INT


@dataclass
class Table:
    key: str  # also the workbook's sheet name (short, no accents)
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    note: str | None = None
    row_kinds: dict[int, str] = field(default_factory=dict)  # rows whose figures are money or rates

    @property
    def empty(self) -> bool:
        return not self.rows

    def kind(self, row: int, column: int) -> str:
        """The type of a cell: the column's, or the row's for the figures of a row of money or rates."""
        if column > 0 and row in self.row_kinds:
            return self.row_kinds[row]
        return self.columns[column].kind

    def cells(self) -> list[list[tuple[Any, str]]]:
        """The rows as (value, type) pairs."""
        return [[(v, self.kind(r, c)) for c, v in enumerate(row)] for r, row in enumerate(self.rows)]


def cell_text(value: Any, kind: str) -> str:
    """How a cell reads on the page and in the PDF."""
    if value is None:
        return "–"
    if kind == VND:
        return format_vnd(value)
    if kind == PCT:
        return f"{format_number(value, 1)} %"
    if kind == INT:
        return format_number(value)
    return str(value)


def _change(current: Any, previous: Any) -> Any:
    if isinstance(current, int | float) and isinstance(previous, int | float):
        return current - previous
    return None


# --- the tables -----------------------------------------------------------------------------------


def plan_table(doc: dict[str, Any]) -> Table:
    """The plan's appendix completed with the year's actuals (all 14 tasks and II.1.a)."""
    table = Table(
        "KeHoach",
        _("Tasks of the plan: targets and results in %(year)s", year=doc["year"]),
        [
            Column(_("No."), TEXT),
            Column(_("Task"), TEXT),
            Column(_("Lead unit"), TEXT),
            Column(_("Timing"), TEXT),
            Column(_("Target"), TEXT),
            Column(_("Result in the year"), INT),
            Column(_("Cumulative since 2025"), INT),
            Column(_("Assessment"), TEXT),
        ],
    )
    for task in doc["figures"]["tasks"]:
        table.rows.append(
            [
                task["code"],
                task["content"],
                task["lead_unit"],
                task["timing"],
                task["target_text"] or "–",
                task["actual_year"],
                task["actual_cumulative"],
                target_status_label(task["status"]),
            ]
        )
    table.note = _(
        "Task 5.2 counts the cases of the year that are approved or closed; the other tasks count the "
        "activities recorded for them. Cumulative targets count from 2025."
    )
    return table


def summary_table(doc: dict[str, Any]) -> Table:
    """Task 5.2 in figures, this year against last year."""
    year = doc["year"]
    now, before = doc["figures"]["task52"], doc["figures"]["previous"]
    table = Table(
        "KiemTra",
        _(
            "Inspection, checking and surveys (task 5.2): %(year)s against %(previous)s",
            year=year,
            previous=year - 1,
        ),
        [Column(_("Indicator"), TEXT), Column(str(year - 1)), Column(str(year)), Column(_("Change"))],
    )

    def row(label: str, path: tuple[str, ...], kind: str = INT) -> None:
        current, previous = _dig(now, path), _dig(before, path)
        table.rows.append([label, previous, current, _change(current, previous)])
        if kind != INT:
            table.row_kinds[len(table.rows) - 1] = kind

    row(_("Cases counted (approved or closed)"), ("status", "counted"))
    for kind in ("inspection", "ecommerce", "survey"):
        row("  " + kind_label(kind), ("by_kind", kind))
    row("  " + _("Planned inspections"), ("by_mode", "planned"))
    row("  " + _("Unscheduled inspections"), ("by_mode", "unscheduled"))
    row(_("Establishments inspected"), ("establishments", "inspected"))
    row(_("Establishments with confirmed violations"), ("establishments", "with_violations"))
    row(_("Violation rate (%)"), ("establishments", "violation_rate"), PCT)
    row(_("Confirmed violations"), ("sanctions", "confirmed_findings"))
    row(_("Cases with confirmed violations"), ("sanctions", "cases_with_violations"))
    row(_("Fines decided"), ("sanctions", "fines_decided_vnd"), VND)
    row(_("Fines collected"), ("sanctions", "fines_collected_vnd"), VND)
    row(_("Value of goods confiscated or destroyed"), ("sanctions", "seized_goods_vnd"), VND)
    row(_("Samples taken"), ("samples", "taken"))
    row(_("Samples tested"), ("samples", "tested"))
    row(_("Samples failed"), ("samples", "failed"))
    row(_("Failure rate (%)"), ("samples", "failure_rate"), PCT)
    row(_("E-commerce listings checked"), ("ecommerce", "listings_checked"))
    row(_("Takedowns requested"), ("ecommerce", "takedowns_requested"))
    row(_("Takedowns done"), ("ecommerce", "takedowns_done"))
    row(_("Referrals to other agencies"), ("ecommerce", "referrals"))
    row(_("Cases of the year not yet reviewed (draft, submitted, returned)"), ("status", "not_reviewed"))
    table.note = _(
        "A case belongs to the year it was opened in and counts once approved or closed. "
        "Fines collected are those of the year's cases with a payment date."
    )
    return table


def _dig(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None  # type: ignore[assignment]
        if data is None:
            return None
    return data


def field_table(doc: dict[str, Any]) -> Table:
    now = doc["figures"]["task52"]["by_field"]
    before = doc["figures"]["previous"]["by_field"]
    year = doc["year"]
    table = Table(
        "LinhVuc",
        _("Cases by field of inspection"),
        [Column(_("Field"), TEXT), Column(str(year - 1)), Column(str(year))],
    )
    for name in sorted(set(now) | set(before), key=lambda f: (-now.get(f, 0), f)):
        table.rows.append([field_label(name), before.get(name, 0), now.get(name, 0)])
    return table


def findings_table(doc: dict[str, Any]) -> Table:
    table = Table(
        "ViPham",
        _("Confirmed violations by group of the catalog"),
        [Column(_("Group"), TEXT), Column(_("Violations")), Column(_("Fines decided"), VND)],
    )
    for row in doc["figures"]["task52"]["findings_by_group"]:
        table.rows.append([row["group"], row["findings"], row["fines_vnd"]])
    return table


def sanctions_table(doc: dict[str, Any]) -> Table:
    """The Ministry's inspection statistics rows for standards, metrology and quality."""
    s = doc["figures"]["task52"]["sanctions"]
    forms = s["by_form"]
    table = Table(
        "XuPhat",
        _("Sanctions (standards, metrology and quality)"),
        [Column(_("Indicator"), TEXT), Column(_("Value"), INT)],
    )
    table.rows = [
        [_("Violation cases"), s["cases_with_violations"]],
        [_("Warnings"), forms.get("warning", 0)],
        [_("Fines"), forms.get("fine", 0)],
        [_("Revocations or suspensions"), forms.get("revocation", 0)],
        [_("Confiscations"), forms.get("confiscation", 0)],
        [_("Fines decided"), s["fines_decided_vnd"]],
        [_("Fines collected"), s["fines_collected_vnd"]],
        [_("Value of goods confiscated or destroyed"), s["seized_goods_vnd"]],
        [_("Findings referred to other agencies"), s["referred_findings"]],
    ]
    table.row_kinds = {5: VND, 6: VND, 7: VND}  # the amounts; the other rows are counts
    # the official documents issued in the year (a report finalised before they were counted has none)
    documents = doc["figures"]["task52"].get("documents") or {}
    table.rows += [
        [_("Decisions to inspect issued"), documents.get("decisions")],
        [_("Violation records issued"), documents.get("violation_records")],
        [_("Sanction decisions issued"), documents.get("sanction_decisions")],
        [_("Fines by the sanction decisions issued"), documents.get("fines_by_decision_vnd")],
    ]
    table.row_kinds[len(table.rows) - 1] = VND
    return table


def commune_table(doc: dict[str, Any]) -> Table:
    previous = {r["code"]: r["cases"] for r in doc["figures"]["previous"].get("by_commune", [])}
    year = doc["year"]
    table = Table(
        "XaPhuong",
        _("By commune (today's communes)"),
        [
            Column(_("Commune")),
            Column(_("Cases %(year)s", year=year - 1)),
            Column(_("Cases %(year)s", year=year)),
            Column(_("With violations")),
            Column(_("Share with violations (%)"), PCT),
            Column(_("Violations")),
            Column(_("Fines decided"), VND),
        ],
    )
    table.columns[0].kind = TEXT
    for r in doc["figures"]["task52"]["by_commune"]:
        table.rows.append(
            [
                r["name"],
                previous.get(r["code"], 0),
                r["cases"],
                r["with_violations"],
                r["violation_share"],
                r["findings"],
                r["fines_vnd"],
            ]
        )
    return table


def district_table(doc: dict[str, Any]) -> Table:
    previous = {r["code"]: r["cases"] for r in doc["figures"]["previous"].get("by_former_district", [])}
    year = doc["year"]
    table = Table(
        "HuyenCu",
        _("By former district (before 1 July 2025)"),
        [
            Column(_("Former district"), TEXT),
            Column(_("Former province"), TEXT),
            Column(_("Cases %(year)s", year=year - 1)),
            Column(_("Cases %(year)s", year=year)),
            Column(_("of which attributed through today's commune")),
            Column(_("With violations")),
            Column(_("Fines decided"), VND),
        ],
    )
    for r in doc["figures"]["task52"]["by_former_district"]:
        table.rows.append(
            [
                r["name"] or _("Unknown"),
                r["province"] or "–",
                previous.get(r["code"], 0),
                r["cases"],
                r["derived_cases"],
                r["with_violations"],
                r["fines_vnd"],
            ]
        )
    table.note = _(
        "Cases dated before 1 July 2025 count in the former district recorded with them. Later cases are "
        "attributed to the former district that most of their commune's former wards belonged to."
    )
    return table


def survey_table(doc: dict[str, Any]) -> Table:
    table = Table(
        "KhaoSat",
        _("Surveys by campaign"),
        [
            Column(_("Campaign"), TEXT),
            Column(_("Surveys")),
            Column(_("Samples")),
            Column(_("Samples failed")),
        ],
    )
    for r in doc["figures"]["task52"]["surveys"]:
        table.rows.append([r["campaign"] or _("No campaign"), r["surveys"], r["samples"], r["failed"]])
    return table


def all_tables(doc: dict[str, Any]) -> dict[str, Table]:
    """Every table of the report, by key, in the report's order."""
    tables = [
        summary_table(doc),
        field_table(doc),
        findings_table(doc),
        sanctions_table(doc),
        commune_table(doc),
        district_table(doc),
        survey_table(doc),
        plan_table(doc),
    ]
    return {t.key: t for t in tables}


# --- the charts -----------------------------------------------------------------------------------

MONTHS = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12")


def charts(doc: dict[str, Any]) -> dict[str, Markup]:
    year = doc["year"]
    now, before = doc["figures"]["task52"], doc["figures"]["previous"]
    by_month = svg_charts.grouped_bars(
        MONTHS,
        [
            svg_charts.Series(str(year - 1), before["by_month"], svg_charts.PALETTE[1]),
            svg_charts.Series(str(year), now["by_month"], svg_charts.PALETTE[0]),
        ],
        label=_("Cases counted by month, %(year)s against %(previous)s", year=year, previous=year - 1),
    )
    by_field = svg_charts.horizontal_bars(
        [(field_label(f), n) for f, n in now["by_field"].items()],
        label=_("Cases by field of inspection"),
    )
    communes = now.get("by_commune", [])[:TOP_COMMUNES]
    by_commune = svg_charts.horizontal_bars(
        [(r["name"], r["cases"]) for r in communes],
        label=_("Cases by commune"),
        color=svg_charts.PALETTE[2],
    )
    return {
        "by_month": by_month,
        "by_field": by_field,
        "by_commune": by_commune,
        "map": commune_map(now.get("by_commune", [])),
    }


def commune_map(by_commune: list[dict[str, Any]]) -> Markup:
    """The dashboard's map of the year's counted cases per commune (no links in a PDF); the figures come
    from the report's own ``by_commune`` rows, so a finalised report draws its frozen figures."""
    figures = figures_from_rows(by_commune, commune_positions())
    return Markup(render_commune_map(figures, labels=map_labels(), width=520))


def quotable_figures(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """Short sentences of the year's key figures, for the manager to quote in the narrative."""
    t = doc["figures"]["task52"]
    s, e = t["sanctions"], t["ecommerce"]
    k = t["by_kind"]
    return [
        (
            _("Cases"),
            _(
                "%(n)s cases counted (inspections %(i)s, e-commerce checks %(e)s, surveys %(s)s)",
                n=format_number(t["status"]["counted"]),
                i=format_number(k["inspection"]),
                e=format_number(k["ecommerce"]),
                s=format_number(k["survey"]),
            ),
        ),
        (
            _("Establishments"),
            _(
                "%(n)s establishments inspected, %(v)s with violations",
                n=format_number(t["establishments"]["inspected"]),
                v=format_number(t["establishments"]["with_violations"]),
            ),
        ),
        (_("Violations"), _("%(n)s violations confirmed", n=format_number(s["confirmed_findings"]))),
        (
            _("Fines"),
            _(
                "fines decided %(d)s, collected %(c)s",
                d=format_vnd(s["fines_decided_vnd"]),
                c=format_vnd(s["fines_collected_vnd"]),
            ),
        ),
        (
            _("Samples"),
            _(
                "%(t)s samples tested, %(f)s failed",
                t=format_number(t["samples"]["tested"]),
                f=format_number(t["samples"]["failed"]),
            ),
        ),
        (
            _("E-commerce"),
            _(
                "%(n)s listings checked, %(r)s takedowns requested, %(d)s done",
                n=format_number(e["listings_checked"]),
                r=format_number(e["takedowns_requested"]),
                d=format_number(e["takedowns_done"]),
            ),
        ),
    ]
