"""Accessible charts drawn as inline SVG on the server.

Every chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>` (a text
alternative that states the figures), and the page puts the same figures in a `<table>` with a
caption right after it. Suppressed cells are not drawn; they are labelled "<10".
Colours meet WCAG 2.1 AA contrast against white (each ≥ 4.5:1) and lines also differ by dash.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .suppression import SUPPRESSED_LABEL, Cell

COLOURS = ("#1f4e79", "#a0410d", "#2e6b30", "#6b2d83", "#5c5c5c", "#8a1c3b")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2")

_counter = itertools.count(1)


def _id(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}"


def _number(cell: Cell) -> Decimal | None:
    if cell.suppressed or cell.value is None:
        return None
    value = Decimal(cell.value)
    if cell.kind == "money":
        value = value / 100
    return value


def _describe(points: list[tuple[str, Cell]]) -> str:
    return "; ".join(f"{label}: {cell.display()}" for label, cell in points)


def line_chart(title: str, series: list[tuple[str, list[tuple[dt.date, Cell]]]]) -> SafeString:
    """A time series (one line per series), months along the bottom."""
    width, height, left, right, top, bottom = 640, 260, 64, 16, 16, 48
    months = sorted({m for _label, points in series for m, _c in points})
    values = [v for _l, points in series for _m, c in points if (v := _number(c)) is not None]
    top_value = max(values, default=Decimal(0)) or Decimal(1)
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(months) - 1, 1)
    title_id, desc_id = _id("chart-title"), _id("chart-desc")
    description = " ".join(
        f"{label}: " + _describe([(f"{m:%Y-%m}", c) for m, c in points]) + "."
        for label, points in series
    )
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" '
        f'y2="{top + plot_h}" stroke="#333"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11">'
        f"{escape(_fmt(top_value))}</text>",
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11">0</text>',
    ]
    for index, month in enumerate(months):
        x = left + index * step
        if len(months) <= 12 or index % 3 == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'font-size="11">{month:%Y-%m}</text>'
            )
    for number, (label, points) in enumerate(series):
        colour, dash = COLOURS[number % len(COLOURS)], DASHES[number % len(DASHES)]
        coords = []
        for m, cell in points:
            value = _number(cell)
            if value is None:
                continue
            x = left + months.index(m) * step
            y = top + plot_h - float(value / top_value) * plot_h
            coords.append(f"{x:.1f},{y:.1f}")
        if coords:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr} '
                f'points="{" ".join(coords)}"/>'
            )
            for point in coords:
                cx, cy = point.split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        legend_y = height - 12
        legend_x = left + number * 200
        parts.append(
            f'<line x1="{legend_x}" y1="{legend_y - 4}" x2="{legend_x + 20}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            f'<text x="{legend_x + 24}" y="{legend_y}" font-size="11">{escape(label[:28])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)


def bar_chart(title: str, bars: list[tuple[str, Cell]]) -> SafeString:
    """Horizontal bars, one per label, with the value written at the end of each bar."""
    row_h, left, right, top = 26, 220, 90, 8
    width = 640
    height = top * 2 + row_h * max(len(bars), 1)
    values = [v for _l, c in bars if (v := _number(c)) is not None]
    top_value = max(values, default=Decimal(0)) or Decimal(1)
    plot_w = width - left - right
    title_id, desc_id = _id("chart-title"), _id("chart-desc")
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(_describe(bars))}.</desc>',
    ]
    for index, (label, cell) in enumerate(bars):
        y = top + index * row_h
        colour = COLOURS[index % len(COLOURS)]
        parts.append(
            f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" font-size="12">'
            f"{escape(label[:32])}</text>"
        )
        value = _number(cell)
        bar_w = 0.0 if value is None else float(value / top_value) * plot_w
        if value is not None:
            parts.append(
                f'<rect x="{left}" y="{y + 4}" width="{bar_w:.1f}" height="{row_h - 8}" '
                f'fill="{colour}"/>'
            )
        text = SUPPRESSED_LABEL if cell.suppressed else cell.display()
        parts.append(
            f'<text x="{left + bar_w + 6:.1f}" y="{y + 17}" font-size="12">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)


def _fmt(value: Decimal) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def chart_caption_suppressed() -> str:
    return _("Cells under 10 people are not drawn and are shown as “<10”.")
