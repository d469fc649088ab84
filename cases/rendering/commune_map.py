"""The map of today's communes as an SVG string: one circle per commune with cases, no tiles, no network.

Pure: figures in, SVG text out; no Flask, no database (the figures come from ``cases.reporting.dashboard`` or
the report's queries). The same SVG goes into the dashboard page and the annual report's PDF (WeasyPrint):
plain SVG elements only — no CSS variables, no script, fonts named explicitly.

* Positions: each commune's centroid projected to UTM zone 48N (``cases.rendering.projection``), so distances
and directions on the drawing are true to the ground (west is left, north is up, one scale both ways).
* Far-offshore communes (a nearest neighbour more than ``OFFSHORE_KM`` away — Thổ Châu, 100 km out in the
  Gulf of Thailand) would leave most of the drawing empty sea: they go into an inset box in the lower-left
  corner, and a note under the map says how far and in which direction they really are.
* Size: the circle's *area* is proportional to the number of cases (radius ∝ √count), never below a
  readable minimum. Colour: the share of those cases with at least one confirmed violation, in five
  classes (ColorBrewer YlOrRd). Communes without cases are small grey dots, so the province keeps its shape.
* Hover: each circle has an SVG ``<title>`` (name and counts); with ``link`` given, each circle is a link
  (the commune's filtered case list).
* Optional layer: GPS points of cases, already aggregated into grid cells by the query.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from cases.rendering.formatting import format_number
from cases.rendering.projection import utm48n

OFFSHORE_KM = 60.0  # a commune farther than this from every other one goes into the inset
PAD_KM = 6.0  # margin around the communes' extent
INSET_RADIUS_KM = 40.0  # GPS points this close to an inset commune are drawn in the inset
FONT = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif"
#: ColorBrewer YlOrRd, 5 classes: share of cases with confirmed violations 0–20 %, …, 80–100 %.
SHARE_COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
EMPTY_COLOUR = "#9aa0a6"
GPS_COLOUR = "#1f4e79"


@dataclass(frozen=True)
class CommuneFigure:
    """One commune's figures for the map (``confirmed``: cases with at least one confirmed violation)."""

    code: str
    name: str
    latitude: float
    longitude: float
    cases: int = 0
    confirmed: int = 0
    in_scope: bool = True  # False: outside the viewer's communes, drawn only to give the province its shape

    @property
    def share(self) -> float:
        return self.confirmed / self.cases if self.cases else 0.0


@dataclass(frozen=True)
class GpsCell:
    """Cases whose GPS point falls in one small grid cell (the query rounds the coordinates)."""

    latitude: float
    longitude: float
    cases: int


@dataclass(frozen=True)
class MapLabels:
    """The words on the map (English here; the caller passes them translated). ``{…}`` are filled in."""

    title: str = "Cases by commune"
    hover: str = "{name}: {cases} cases, {confirmed} with confirmed violations ({share})"
    hover_empty: str = "{name}: no case"
    share_legend: str = "Share of cases with confirmed violations"
    size_legend: str = "Number of cases"
    no_case: str = "no case"
    inset_title: str = "Inset"
    inset_note: str = "{name}: about {km} km {direction} of {anchor}, drawn in the inset."
    gps_legend: str = "GPS points of cases ({count})"
    north: str = "N"
    directions: tuple[str, ...] = field(
        default=("north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west")
    )


@dataclass(frozen=True)
class _Placed:
    figure: CommuneFigure
    x: float
    y: float
    inset: bool


@dataclass(frozen=True)
class MapLegend:
    """What the legend says, as plain data: drawn under the map in the SVG (the report's PDF), or written
    as HTML by a page that wants it to wrap on a narrow screen (the dashboard, ``legend=False``)."""

    share_title: str
    shares: tuple[tuple[str, str], ...]  # (colour, "0–20%")
    no_case_colour: str
    no_case: str
    size_title: str
    sizes: tuple[tuple[float, str], ...]  # (circle radius in px, the count it stands for)
    gps: str | None  # the GPS layer's line, when it is drawn
    notes: tuple[str, ...]  # where the inset's communes really are


def map_legend(
    communes: Sequence[CommuneFigure],
    *,
    gps_cells: int = 0,
    labels: MapLabels | None = None,
    number: Callable[[int], str] = format_number,
) -> MapLegend:
    """The legend of :func:`render_commune_map` for the same ``communes`` (and ``len(gps)``)."""
    labels = labels or MapLabels()
    far = offshore_codes(communes)
    projected = {c.code: utm48n(c.latitude, c.longitude) for c in communes}
    far_list = [c for c in communes if c.code in far]
    max_count = max((c.cases for c in communes if c.in_scope), default=0)
    return MapLegend(
        share_title=labels.share_legend,
        shares=tuple((colour, f"{i * 20}–{(i + 1) * 20}%") for i, colour in enumerate(SHARE_COLOURS)),
        no_case_colour=EMPTY_COLOUR,
        no_case=labels.no_case,
        size_title=labels.size_legend,
        sizes=tuple((bubble_radius(n, max_count), number(n)) for n in _nice_counts(max_count)),
        gps=labels.gps_legend.format(count=number(gps_cells)) if gps_cells else None,
        notes=tuple(_inset_notes(far_list, communes, projected, far, labels)),
    )


def bubble_radius(count: int, max_count: int, *, r_max: float = 18.0, r_min: float = 2.5) -> float:
    """Area proportional to the count: r = r_max·√(count/max), at least ``r_min`` for a non-zero count."""
    if count <= 0 or max_count <= 0:
        return 0.0
    return max(r_min, r_max * math.sqrt(count / max_count))


def share_colour(share: float) -> str:
    index = min(len(SHARE_COLOURS) - 1, max(0, int(share * len(SHARE_COLOURS))))
    return SHARE_COLOURS[index]


def offshore_codes(communes: Sequence[CommuneFigure], *, limit_km: float = OFFSHORE_KM) -> set[str]:
    """Communes whose nearest other commune is farther than ``limit_km`` (drawn in the inset)."""
    return set(_offshore(tuple((c.code, c.latitude, c.longitude) for c in communes), limit_km))


@functools.lru_cache(maxsize=8)
def _offshore(positions: tuple[tuple[str, float, float], ...], limit_km: float) -> frozenset[str]:
    """``offshore_codes`` for given positions: the same reference points on every map, so computed once."""
    points = {code: utm48n(lat, lon) for code, lat, lon in positions}
    far: set[str] = set()
    for code, (x, y) in points.items():
        nearest = min(
            (math.hypot(x - ox, y - oy) for other, (ox, oy) in points.items() if other != code),
            default=0.0,
        )
        if nearest > limit_km * 1000:
            far.add(code)
    return frozenset(far)


def _direction(dx: float, dy: float, words: Sequence[str]) -> str:
    bearing = math.degrees(math.atan2(dx, dy)) % 360  # 0 = north, clockwise
    return words[int((bearing + 22.5) // 45) % 8]


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def render_commune_map(
    communes: Sequence[CommuneFigure],
    *,
    link: Callable[[str], str] | None = None,
    gps: Sequence[GpsCell] = (),
    labels: MapLabels | None = None,
    width: int = 640,
    number: Callable[[int], str] = format_number,
    legend: bool = True,
) -> Markup:
    """The SVG (``Markup``) of ``communes``; ``link(code)`` gives each circle's URL (none: no links).

    ``legend=False`` leaves the legend out of the drawing: the page writes :func:`map_legend` as HTML,
    which wraps on a phone where the drawing is scaled down to fit its box.

    Pass every commune of the province (``in_scope=False`` for those outside the viewer's communes): the
    extent, the scale and the far-offshore inset are worked out from all of them.
    """
    labels = labels or MapLabels()
    margin = 12.0
    far = offshore_codes(communes)
    projected = {c.code: utm48n(c.latitude, c.longitude) for c in communes}
    main = [projected[c.code] for c in communes if c.code not in far] or [utm48n(10.4, 105.1)]
    pad = PAD_KM * 1000
    min_e, max_e = min(p[0] for p in main) - pad, max(p[0] for p in main) + pad
    min_n, max_n = min(p[1] for p in main) - pad, max(p[1] for p in main) + pad
    scale = (width - 2 * margin) / (max_e - min_e)  # px per metre, the same both ways
    map_h = (max_n - min_n) * scale + 2 * margin

    def to_main(e: float, n: float) -> tuple[float, float]:
        return margin + (e - min_e) * scale, margin + (max_n - n) * scale

    # the inset: lower-left corner, the far communes around their own centre at the same scale
    far_list = [c for c in communes if c.code in far]
    inset_w, inset_h = 120.0, 84.0
    inset_x, inset_y = margin + 4, map_h - margin - inset_h - 4
    if far_list:
        centre_e = sum(projected[c.code][0] for c in far_list) / len(far_list)
        centre_n = sum(projected[c.code][1] for c in far_list) / len(far_list)
    else:
        centre_e = centre_n = 0.0

    def to_inset(e: float, n: float) -> tuple[float, float]:
        return inset_x + inset_w / 2 + (e - centre_e) * scale, inset_y + inset_h / 2 + 6 - (
            n - centre_n
        ) * scale

    placed = [
        _Placed(c, *(to_inset if c.code in far else to_main)(*projected[c.code]), inset=c.code in far)
        for c in communes
    ]
    max_count = max((c.cases for c in communes if c.in_scope), default=0)

    out: list[str] = []
    legend_top = map_h + 8
    key = map_legend(communes, gps_cells=len(gps), labels=labels, number=number) if legend else None
    legend_h = 124 + 16 * len(key.notes) + (16 if key.gps else 0) if key else 0
    height = legend_top + legend_h if key else map_h
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {_fmt(height)}" '
        f'width="{width}" height="{_fmt(height)}" role="img" aria-label={quoteattr(labels.title)} '
        f'font-family="{FONT}" font-size="11" class="commune-map">'
    )
    out.append(f"<title>{escape(labels.title)}</title>")
    out.append(
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{_fmt(map_h - 1)}" fill="#f4f8fb" '
        'stroke="#c8d3dc"/>'
    )
    if far_list:
        out.append(
            f'<g class="map-inset"><rect x="{_fmt(inset_x)}" y="{_fmt(inset_y)}" width="{_fmt(inset_w)}" '
            f'height="{_fmt(inset_h)}" fill="#ffffff" stroke="#6c757d" stroke-dasharray="3 2"/>'
            f'<text x="{_fmt(inset_x + 4)}" y="{_fmt(inset_y + 11)}" font-size="9" fill="#495057">'
            f"{escape(labels.inset_title)}</text></g>"
        )
    out.extend(_gps_layer(gps, far, communes, projected, to_main, to_inset, width, map_h, margin))
    for p in placed:
        if not p.figure.in_scope:
            out.append(
                f'<circle class="commune-context" cx="{_fmt(p.x)}" cy="{_fmt(p.y)}" r="1.2" fill="#ced4da"/>'
            )
        elif p.figure.cases == 0:
            out.append(
                f'<circle class="commune-empty" cx="{_fmt(p.x)}" cy="{_fmt(p.y)}" r="1.6" '
                f'fill="{EMPTY_COLOUR}"><title>{escape(labels.hover_empty.format(name=p.figure.name))}'
                "</title></circle>"
            )
    for p in sorted(
        (p for p in placed if p.figure.in_scope and p.figure.cases > 0), key=lambda p: -p.figure.cases
    ):
        out.append(_bubble(p, max_count, link, labels, number))
    for p in placed:
        if p.inset:
            out.append(
                f'<text x="{_fmt(p.x)}" y="{_fmt(inset_y + inset_h - 6)}" text-anchor="middle" '
                f'font-size="9" fill="#212529">{escape(p.figure.name)}</text>'
            )
    out.extend(_north_and_scale(width, margin, map_h, scale, labels))
    if key:
        out.extend(_legend(legend_top, width, key))
    out.append("</svg>")
    return Markup("".join(out))


def _bubble(
    p: _Placed,
    max_count: int,
    link: Callable[[str], str] | None,
    labels: MapLabels,
    number: Callable[[int], str],
) -> str:
    f = p.figure
    radius = bubble_radius(f.cases, max_count)
    hover = labels.hover.format(
        name=f.name,
        cases=number(f.cases),
        confirmed=number(f.confirmed),
        share=f"{round(100 * f.share)}%",
    )
    circle = (
        f'<circle class="commune-bubble" data-code={quoteattr(f.code)} data-cases="{f.cases}" '
        f'data-confirmed="{f.confirmed}" cx="{_fmt(p.x)}" cy="{_fmt(p.y)}" r="{_fmt(radius)}" '
        f'fill="{share_colour(f.share)}" fill-opacity="0.85" stroke="#343a40" stroke-width="0.7">'
        f"<title>{escape(hover)}</title></circle>"
    )
    if link is None:
        return circle
    return f"<a href={quoteattr(link(f.code))} aria-label={quoteattr(hover)}>{circle}</a>"


def _inset_notes(
    far_list: Sequence[CommuneFigure],
    communes: Sequence[CommuneFigure],
    projected: dict[str, tuple[float, float]],
    far: set[str],
    labels: MapLabels,
) -> list[str]:
    notes = []
    for c in far_list:
        e, n = projected[c.code]
        anchor = min(
            (o for o in communes if o.code not in far),
            key=lambda o: math.hypot(projected[o.code][0] - e, projected[o.code][1] - n),
            default=None,
        )
        if anchor is None:
            continue
        ae, an = projected[anchor.code]
        km = round(math.hypot(e - ae, n - an) / 1000 / 5) * 5
        notes.append(
            labels.inset_note.format(
                name=c.name,
                km=km,
                direction=_direction(e - ae, n - an, labels.directions),
                anchor=anchor.name,
            )
        )
    return notes


def _gps_layer(
    gps: Sequence[GpsCell],
    far: set[str],
    communes: Sequence[CommuneFigure],
    projected: dict[str, tuple[float, float]],
    to_main: Callable[[float, float], tuple[float, float]],
    to_inset: Callable[[float, float], tuple[float, float]],
    width: int,
    map_h: float,
    margin: float,
) -> list[str]:
    if not gps:
        return []
    far_points = [projected[c.code] for c in communes if c.code in far]
    dots = []
    for cell in gps:
        e, n = utm48n(cell.latitude, cell.longitude)
        if any(math.hypot(e - fe, n - fn) < INSET_RADIUS_KM * 1000 for fe, fn in far_points):
            x, y = to_inset(e, n)
        else:
            x, y = to_main(e, n)
            if not (margin / 2 <= x <= width - margin / 2 and margin / 2 <= y <= map_h - margin / 2):
                continue  # outside the drawing (a point far out at sea or across the border)
        radius = 1.2 if cell.cases < 5 else 1.8
        dots.append(f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{radius}"/>')
    return [
        f'<g class="gps-points" fill="{GPS_COLOUR}" fill-opacity="0.45" pointer-events="none">',
        *dots,
        "</g>",
    ]


def _north_and_scale(width: int, margin: float, map_h: float, scale: float, labels: MapLabels) -> list[str]:
    x = width - margin - 14
    y = margin + 6
    arrow = (
        f'<g class="north-arrow"><path d="M {x} {y + 22} L {x + 6} {y + 4} L {x + 12} {y + 22} '
        f'L {x + 6} {y + 17} Z" fill="#343a40"/>'
        f'<text x="{x + 6}" y="{y}" text-anchor="middle" font-size="10" font-weight="bold">'
        f"{escape(labels.north)}</text></g>"
    )
    km = 50 if scale * 50000 < width / 3 else 20
    bar = scale * km * 1000
    bx, by = width - margin - bar - 4, map_h - margin - 6
    scale_bar = (
        f'<g class="scale-bar"><rect x="{_fmt(bx)}" y="{_fmt(by)}" width="{_fmt(bar / 2)}" height="4" '
        f'fill="#343a40"/><rect x="{_fmt(bx + bar / 2)}" y="{_fmt(by)}" width="{_fmt(bar / 2)}" height="4" '
        f'fill="#ffffff" stroke="#343a40" stroke-width="0.6"/>'
        f'<text x="{_fmt(bx)}" y="{_fmt(by - 3)}" font-size="9">0</text>'
        f'<text x="{_fmt(bx + bar)}" y="{_fmt(by - 3)}" font-size="9" text-anchor="end">{km} km</text></g>'
    )
    return [arrow, scale_bar]


def _nice_counts(max_count: int) -> list[int]:
    """Up to three round reference counts for the size legend (e.g. 200, 50, 10)."""
    if max_count <= 0:
        return []
    values = {max_count}
    for fraction in (0.25, 0.05):
        raw = max_count * fraction
        if raw < 1:
            continue
        magnitude = 10 ** int(math.floor(math.log10(raw)))
        nice = max(1, int(round(raw / magnitude)) * magnitude)
        values.add(nice)
    return sorted(values, reverse=True)[:3]


def _legend(top: float, width: int, key: MapLegend) -> list[str]:
    out = [f'<g class="map-legend" transform="translate(12 {_fmt(top)})">']
    out.append(f'<text x="0" y="12" font-weight="bold">{escape(key.share_title)}</text>')
    step = min(80.0, (width - 24) / 6)
    for i, (colour, text) in enumerate(key.shares):
        x = i * step
        out.append(
            f'<rect class="legend-swatch" x="{_fmt(x)}" y="20" width="{_fmt(step - 4)}" height="12" '
            f'fill="{colour}" stroke="#343a40" stroke-width="0.5"/>'
            f'<text x="{_fmt(x)}" y="44" font-size="10">{escape(text)}</text>'
        )
    x = 5 * step
    out.append(
        f'<circle cx="{_fmt(x + 6)}" cy="26" r="3" fill="{key.no_case_colour}"/>'
        f'<text x="{_fmt(x + 14)}" y="30" font-size="10">{escape(key.no_case)}</text>'
    )
    out.append(f'<text x="0" y="62" font-weight="bold">{escape(key.size_title)}</text>')
    cx = 20.0
    for radius, text in key.sizes:
        out.append(
            f'<circle class="legend-size" cx="{_fmt(cx)}" cy="{_fmt(106 - radius)}" r="{_fmt(radius)}" '
            f'fill="none" stroke="#343a40" stroke-width="0.8"/>'
            f'<text x="{_fmt(cx + radius + 4)}" y="{_fmt(106 - radius + 4)}" font-size="10">'
            f"{escape(text)}</text>"
        )
        cx += 2 * radius + 48
    y = 126.0
    if key.gps:
        out.append(
            f'<circle cx="6" cy="{_fmt(y - 4)}" r="2" fill="{GPS_COLOUR}" fill-opacity="0.6"/>'
            f'<text x="14" y="{_fmt(y)}" font-size="10">{escape(key.gps)}</text>'
        )
        y += 16
    for note in key.notes:
        out.append(f'<text class="map-note" x="0" y="{_fmt(y)}" font-size="10">{escape(note)}</text>')
        y += 16
    out.append("</g>")
    return out
