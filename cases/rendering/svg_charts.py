"""Small SVG charts drawn from plain figures: the same markup in a page and in a WeasyPrint PDF.

Plain SVG only (rect, line, text, title; no script, no CSS variables), so it renders offline in a browser
and in WeasyPrint alike. Every bar carries a ``<title>`` (the hover label in a browser). Labels are
escaped; the result is ``Markup``, safe to insert in a template.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from cases.rendering.formatting import format_number

FONT = "Liberation Serif, Times New Roman, DejaVu Serif, serif"
PALETTE = ("#1f5fa8", "#9db9dd", "#c0392b", "#7f8c8d")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int | float]
    color: str = PALETTE[0]


def _nice_max(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value:
            return candidate
    return 10 ** (exponent + 1)


def _nice_step(value: float, most: int = 5) -> float:
    """A round gridline step (1, 2, 5 × 10^n, at least 1) giving at most ``most`` steps up to ``value``."""
    step = _nice_max(value / most) if value > most else 1
    while value / step > most:
        step = _nice_max(step * 1.01)
    return step


def _svg(width: int, height: int, body: list[str], label: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(label)}" font-family="{FONT}" font-size="11" '
        f'class="chart">' + "".join(body) + "</svg>"
    )


def _linked(markup: str, href: str | None) -> str:
    return f'<a href="{escape(href)}">{markup}</a>' if href else markup


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    label: str,
    width: int = 640,
    height: int = 240,
    fmt: Callable[[float], str] = format_number,
    link: Callable[[int, int], str | None] | None = None,
) -> Markup:
    """Vertical bars per category, one per series side by side (e.g. months: this year and last).

    ``link(category_index, series_index)``, when given, makes each bar a link (e.g. the filtered list).
    """
    left, right, top, bottom = 40, 10, 24, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    step = _nice_step(max((v for s in series for v in s.values), default=0))
    ticks = max(1, math.ceil(max((v for s in series for v in s.values), default=0) / step))
    peak = step * ticks
    body: list[str] = []
    for i in range(ticks + 1):  # gridlines and axis labels, at round values (counts stay whole numbers)
        value = step * i
        y = top + plot_h - plot_h * i / ticks
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        body.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{escape(fmt(value))}</text>'
        )
    slot = plot_w / max(len(categories), 1)
    bar_w = slot * 0.8 / max(len(series), 1)
    for ci, category in enumerate(categories):
        x0 = left + ci * slot + slot * 0.1
        for si, s in enumerate(series):
            value = s.values[ci] if ci < len(s.values) else 0
            h = plot_h * value / peak
            x, y = x0 + si * bar_w, top + plot_h - h
            bar = (
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" fill="{s.color}">'
                f"<title>{escape(category)} · {escape(s.label)}: {escape(fmt(value))}</title></rect>"
            )
            body.append(_linked(bar, link(ci, si) if link and value else None))
        body.append(
            f'<text x="{left + ci * slot + slot / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle" '
            f'fill="#333">{escape(category)}</text>'
        )
    for si, s in enumerate(series):  # legend
        x = left + si * 130
        body.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{s.color}"/>')
        body.append(f'<text x="{x + 14}" y="15" fill="#333">{escape(s.label)}</text>')
    return _svg(width, height, body, label)


def horizontal_bars(
    items: Sequence[tuple[str, int | float]],
    *,
    label: str,
    width: int = 640,
    bar_height: int = 18,
    label_width: int = 210,
    color: str = PALETTE[0],
    fmt: Callable[[float], str] = format_number,
    link: Callable[[int], str | None] | None = None,
) -> Markup:
    """One horizontal bar per item, largest scale first as given (e.g. cases per field or per commune).

    ``link(index)``, when given, makes each bar and its value a link.
    """
    top, gap, right = 6, 4, 60
    height = top * 2 + len(items) * (bar_height + gap)
    plot_w = width - label_width - right
    peak = max((v for _, v in items), default=0) or 1
    body: list[str] = []
    for i, (name, value) in enumerate(items):
        y = top + i * (bar_height + gap)
        w = plot_w * value / peak
        short = name if len(name) <= 34 else name[:33] + "…"
        body.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.72:.1f}" text-anchor="end" fill="#333">'
            f"{escape(short)}</text>"
        )
        href = link(i) if link else None
        body.append(
            _linked(
                f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{color}">'
                f"<title>{escape(name)}: {escape(fmt(value))}</title></rect>"
                f'<text x="{label_width + w + 4:.1f}" y="{y + bar_height * 0.72:.1f}" fill="#333">'
                f"{escape(fmt(value))}</text>",
                href,
            )
        )
    return _svg(width, max(height, 30), body, label)
