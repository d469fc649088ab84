"""The home page: the dashboard (managers, administrators, liaisons) or an inspector's own work."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from cases.accounts import permissions
from cases.enums import CASE_FIELDS, CaseKind, Role
from cases.geography import places as geography
from cases.recording.queries import my_open_cases
from cases.rendering.commune_map import CommuneFigure, MapLegend, map_legend, render_commune_map
from cases.rendering.formatting import format_number
from cases.rendering.svg_charts import PALETTE, Series, grouped_bars, horizontal_bars
from cases.reporting import dashboard
from cases.reporting import figures as rf
from inspect_app.labels.map import map_labels
from inspect_app.params import db_int

bp = Blueprint("main", __name__)


def _today() -> dt.date:
    return dt.date.today()


def _year(years: list[int], today: dt.date) -> int:
    value = request.args.get("year", type=db_int)
    return value if value in years else today.year


def _list_args(scope: rf.Scope) -> dict[str, Any]:
    """The case-list filters matching the map's scope (the year's counted cases, of a kind and field)."""
    args: dict[str, Any] = {"year": scope.year, "counted": 1}
    if scope.kind:
        args["kind"] = scope.kind
    if scope.field:
        args["field"] = scope.field
    return args


def _map(scope: rf.Scope, figures: list[CommuneFigure], show_gps: bool) -> tuple[Markup, MapLegend]:
    """The map's drawing and its legend: the page writes the legend as HTML, so that it wraps on a phone
    while the drawing is scaled down to fit its card."""
    # one url_for for the 102 communes: only the commune's code differs between their links
    base = url_for("cases.index", **_list_args(scope))

    def link(code: str) -> str:
        return f"{base}&{urlencode({'commune_code': code})}"

    gps = dashboard.gps_cells(scope) if show_gps else ()
    labels = map_labels()
    svg = render_commune_map(figures, link=link, gps=gps, labels=labels, legend=False)
    return Markup(svg), map_legend(figures, gps_cells=len(gps), labels=labels, number=format_number)


def _month_chart(data: dict[str, Any]) -> Markup:
    year = data["year"]
    months = [f"{m:02d}" for m in range(1, 13)]

    def link(month_index: int, series_index: int) -> str:
        return url_for("cases.index", year=year - series_index, month=month_index + 1, counted=1)

    return grouped_bars(
        months,
        [
            Series(str(year), data["by_month"], PALETTE[0]),
            Series(str(year - 1), data["by_month_previous"], PALETTE[1]),
        ],
        label=_("Cases per month, %(year)s against %(previous)s", year=year, previous=year - 1),
        fmt=format_number,
        link=link,
        width=520,
        height=220,
    )


def _groups_chart(data: dict[str, Any]) -> Markup | None:
    groups = data["groups"]
    if not groups:
        return None
    year = data["year"]
    return horizontal_bars(
        [(g["group"], g["findings"]) for g in groups],
        label=_("Confirmed violations by group"),
        fmt=format_number,
        width=560,
        label_width=230,
        color=PALETTE[2],
        link=lambda i: url_for("cases.index", year=year, counted=1, violation_group=groups[i]["group"]),
    )


@bp.get("/")
@login_required
def index():
    today = _today()
    years = dashboard.available_years(today)
    year = _year(years, today)
    context: dict[str, Any] = {"year": year, "years": years, "today": today}
    if permissions.can_create_case(current_user):
        context["open_cases"] = my_open_cases(current_user)
    if permissions.has_role(current_user, Role.MANAGER, Role.ADMIN, Role.LIAISON):
        scope_communes = permissions.commune_scope(current_user)
        data = dashboard.overview(year, today=today, communes=scope_communes)
        map_kind = request.args.get("kind") if request.args.get("kind") in set(CaseKind) else None
        map_field = request.args.get("field") if request.args.get("field") in set(CASE_FIELDS) else None
        show_gps = request.args.get("gps") == "1"
        scope = rf.Scope.of(year, communes=scope_communes, kind=map_kind, field=map_field)
        figures = dashboard.map_figures(scope)
        commune_map, commune_map_legend = _map(scope, figures, show_gps)
        context.update(
            data=data,
            month_chart=_month_chart(data),
            groups_chart=_groups_chart(data),
            commune_map=commune_map,
            commune_map_legend=commune_map_legend,
            map_filters={"kind": map_kind, "field": map_field, "gps": show_gps},
            top_communes=dashboard.busiest(figures),
            map_list_args=_list_args(scope),
        )
    elif permissions.has_role(current_user, Role.INSPECTOR):
        context["own"] = dashboard.own_work(current_user.id, year)
    if permissions.has_role(current_user, Role.ADMIN):
        context["summary"] = geography.reference_summary()
    return render_template("main/index.html", **context)
