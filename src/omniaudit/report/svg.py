"""Inline SVG charts for the HTML report: score bars, a heatmap, a coloured grid and a score ring.

Every function escapes each label and tooltip itself and returns `markupsafe.Markup`, so the template can
insert the chart as is while autoescaping everything else. No scripts, no external fonts: the charts take
their font from the page's CSS (`font-family: inherit`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT = 12  # px; label widths below are estimated from it (no font metrics without a browser)
CHAR_W = 6.9

# Score bands (the default thresholds: fragmented < 45 <= multichannel < 75 <= omnichannel).
GOOD, FAIR, POOR, NONE = "#2e8b57", "#d08c00", "#c8463d", "#e9ecef"
# Colour scales for 0..1 values, low to high: "quality" where high is good (alignment, similarity), "amount"
# where a value is neither good nor bad (a topic's share of a channel).
SCALES: dict[str, tuple[tuple[float, tuple[int, int, int]], ...]] = {
    "quality": ((0.0, (200, 70, 61)), (0.5, (244, 210, 122)), (1.0, (46, 139, 87))),
    "amount": ((0.0, (241, 244, 251)), (0.5, (140, 166, 230)), (1.0, (38, 63, 156))),
}


@dataclass(frozen=True)
class Cell:
    """One grid cell: `value` picks the colour on the 0..1 scale unless `state` says good/bad."""

    value: float | None
    label: str = ""
    state: str | None = None  # "good" | "bad" | None (colour by value)
    title: str = ""  # tooltip, e.g. the best-matching quote


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _text_width(text: str, size: float = FONT) -> float:
    return len(text) * CHAR_W * size / FONT


def _truncate(text: str, width: float, size: float = FONT) -> str:
    max_chars = max(3, int(width / (CHAR_W * size / FONT) + 1e-6))
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def score_color(score: float | None) -> str:
    if score is None:
        return NONE
    return GOOD if score >= 75 else FAIR if score >= 45 else POOR


def scale_color(value: float | None, scale: str = "quality") -> str:
    """#rrggbb for a value in 0..1 on a colour scale (see SCALES); grey when there is no value."""
    if value is None or not math.isfinite(value):
        return NONE
    value = min(1.0, max(0.0, value))
    stops = SCALES[scale]
    for (lo, c_lo), (hi, c_hi) in zip(stops, stops[1:], strict=False):
        if value <= hi:
            t = (value - lo) / (hi - lo)
            rgb = [round(a + (b - a) * t) for a, b in zip(c_lo, c_hi, strict=True)]
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#{:02x}{:02x}{:02x}".format(*stops[-1][1])


def _ink(fill: str) -> str:
    """Dark or white text, whichever reads better on `fill`."""
    r, g, b = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#1f2328" if luminance > 150 else "#ffffff"


def _svg(width: float, height: float, body: list[str], label: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{escape(label)}" '
        f'viewBox="0 0 {_fmt(width)} {_fmt(height)}" width="{_fmt(width)}" height="{_fmt(height)}" '
        f'style="max-width:100%;height:auto" font-family="inherit" font-size="{FONT}">'
        f"<title>{escape(label)}</title>" + "".join(body) + "</svg>"
    )


def _label(x: float, y: float, text: str, width: float, anchor: str = "end", **attrs: str) -> str:
    shown = _truncate(text, width)
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    tooltip = f"<title>{escape(text)}</title>" if shown != text else ""
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="{anchor}" dominant-baseline="central"{extra}>'
        f"{tooltip}{escape(shown)}</text>"
    )


def bars(items: Sequence[tuple[str, float | None]], *, max_value: float = 100.0) -> Markup:
    """Horizontal bars, one per (label, value); coloured by score band, value printed at the end."""
    row, bar_h, track = 32.0, 16.0, 280.0
    label_w = min(200.0, max([_text_width(label, 13) for label, _ in items] + [40.0]) + 12)
    width, height = label_w + track + 56, row * len(items) + 22
    body = []
    for tick in (0, 25, 50, 75, 100):
        x = label_w + track * tick / 100
        body.append(f'<line x1="{_fmt(x)}" y1="4" x2="{_fmt(x)}" y2="{_fmt(height - 18)}" stroke="#e3e6ea"/>')
        body.append(
            f'<text x="{_fmt(x)}" y="{_fmt(height - 6)}" text-anchor="middle" fill="#8a929b" '
            f'font-size="10">{tick}</text>'
        )
    for i, (label, value) in enumerate(items):
        y = 4 + i * row + row / 2
        body.append(_label(label_w - 12, y, label, label_w - 12, font_size="13", fill="#1f2328"))
        body.append(
            f'<rect x="{_fmt(label_w)}" y="{_fmt(y - bar_h / 2)}" width="{_fmt(track)}" '
            f'height="{_fmt(bar_h)}" rx="4" fill="#f1f3f5"/>'
        )
        if value is None:
            text = "n/a"
        else:
            share = min(1.0, max(0.0, value / max_value))
            body.append(
                f'<rect x="{_fmt(label_w)}" y="{_fmt(y - bar_h / 2)}" width="{_fmt(track * share)}" '
                f'height="{_fmt(bar_h)}" rx="4" fill="{score_color(value)}"/>'
            )
            text = f"{value:.0f}"
        body.append(
            f'<text x="{_fmt(label_w + track + 10)}" y="{_fmt(y)}" dominant-baseline="central" '
            f'font-size="13" font-weight="600" fill="#1f2328">{escape(text)}</text>'
        )
    return _svg(width, height, body, "Score per dimension, 0 to 100")


def _legend(x: float, y: float, width: float, uid: str, scale: str) -> list[str]:
    stops = "".join(
        f'<stop offset="{_fmt(pos * 100)}%" stop-color="{scale_color(pos, scale)}"/>'
        for pos, _ in SCALES[scale]
    )
    return [
        f'<defs><linearGradient id="{uid}" x1="0" x2="1" y1="0" y2="0">{stops}</linearGradient></defs>',
        f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(width)}" height="10" rx="2" fill="url(#{uid})"/>',
        f'<text x="{_fmt(x)}" y="{_fmt(y + 24)}" font-size="10" fill="#5b636b">0</text>',
        f'<text x="{_fmt(x + width / 2)}" y="{_fmt(y + 24)}" font-size="10" fill="#5b636b" '
        f'text-anchor="middle">0.5</text>',
        f'<text x="{_fmt(x + width)}" y="{_fmt(y + 24)}" font-size="10" fill="#5b636b" '
        f'text-anchor="end">1</text>',
    ]


def _matrix(
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    cells: Sequence[Sequence[Cell | None]],
    aria: str,
    legend_id: str | None,
    scale: str,
) -> Markup:
    cell_w = min(120.0, max([_text_width(c) for c in col_labels] + [48.0]) + 14)
    cell_h = 34.0
    label_w = min(220.0, max([_text_width(r) for r in row_labels] + [40.0]) + 14)
    top = 28.0
    grid_w, grid_h = cell_w * len(col_labels), cell_h * len(row_labels)
    legend_h = 40.0 if legend_id else 0.0
    width = label_w + max(grid_w, 180.0) + 8
    height = top + grid_h + legend_h + 6
    body = []
    for j, col in enumerate(col_labels):
        body.append(
            _label(label_w + cell_w * (j + 0.5), top / 2, col, cell_w - 10, anchor="middle", fill="#1f2328")
        )
    for i, row in enumerate(row_labels):
        y = top + cell_h * i
        body.append(_label(label_w - 10, y + cell_h / 2, row, label_w - 10, fill="#1f2328"))
        for j in range(len(col_labels)):
            cell = cells[i][j] if j < len(cells[i]) else None
            x = label_w + cell_w * j
            if cell is None:
                fill, text, title = NONE, "–", ""
            else:
                if cell.state == "good":
                    fill = "#d3efdf"
                elif cell.state == "bad":
                    fill = "#f9dcd9"
                else:
                    fill = scale_color(cell.value, scale)
                text, title = cell.label, cell.title
            ink = {"#d3efdf": "#17603a", "#f9dcd9": "#9b2f26"}.get(fill, _ink(fill))
            tip = f"<title>{escape(title)}</title>" if title else ""
            body.append(
                f'<g>{tip}<rect x="{_fmt(x + 1)}" y="{_fmt(y + 1)}" width="{_fmt(cell_w - 2)}" '
                f'height="{_fmt(cell_h - 2)}" rx="3" fill="{fill}"/>'
                f'<text x="{_fmt(x + cell_w / 2)}" y="{_fmt(y + cell_h / 2)}" text-anchor="middle" '
                f'dominant-baseline="central" fill="{ink}" font-weight="600">{escape(text)}</text></g>'
            )
    if legend_id:
        body += _legend(label_w, top + grid_h + 12, min(180.0, max(grid_w, 120.0)), legend_id, scale)
    return _svg(width, height, body, aria)


def heatmap(labels: Sequence[str], matrix: Sequence[Sequence[float | None]], *, uid: str = "heat") -> Markup:
    """A square labels x labels grid coloured on the 0..1 scale, with the value in each cell and a legend.

    `uid` names the legend's gradient; give each heatmap on one page its own.
    """
    cells = [
        [
            None
            if j >= len(row) or row[j] is None
            else Cell(value=row[j], label=f"{row[j]:.2f}", title=f"{labels[i]} ↔ {labels[j]}: {row[j]:.2f}")
            for j in range(len(labels))
        ]
        for i, row in enumerate(matrix)
    ]
    return _matrix(labels, labels, cells, "Channel alignment heatmap, 0 to 1", uid, "quality")


def grid(
    rows: Sequence[str],
    cols: Sequence[str],
    cells: Sequence[Sequence[Cell | None]],
    *,
    aria: str = "Grid",
    legend_id: str | None = None,
    scale: str = "quality",
) -> Markup:
    """rows x cols coloured cells: by `state` (good/bad) or by `value` on a 0..1 scale; None is grey.

    `legend_id` (unique on the page) adds a colour legend; `scale` is a key of SCALES.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown colour scale {scale!r}: use one of {', '.join(SCALES)}")
    return _matrix(rows, cols, cells, aria, legend_id, scale)


def ring(score: float | None, *, size: float = 96.0) -> Markup:
    """A donut showing a 0..100 score with the number in the middle."""
    radius, stroke = size / 2 - 8, 10.0
    circumference = 2 * math.pi * radius
    share = 0.0 if score is None else min(1.0, max(0.0, score / 100))
    centre = size / 2
    text = "n/a" if score is None else f"{score:.0f}"
    body = [
        f'<circle cx="{_fmt(centre)}" cy="{_fmt(centre)}" r="{_fmt(radius)}" fill="none" stroke="#e9ecef" '
        f'stroke-width="{_fmt(stroke)}"/>',
        f'<circle cx="{_fmt(centre)}" cy="{_fmt(centre)}" r="{_fmt(radius)}" fill="none" '
        f'stroke="{score_color(score)}" stroke-width="{_fmt(stroke)}" stroke-linecap="round" '
        f'stroke-dasharray="{circumference * share:.2f} {circumference:.2f}" '
        f'transform="rotate(-90 {_fmt(centre)} {_fmt(centre)})"/>',
        f'<text x="{_fmt(centre)}" y="{_fmt(centre - 2)}" text-anchor="middle" dominant-baseline="central" '
        f'font-size="26" font-weight="700" fill="#1f2328">{escape(text)}</text>',
        f'<text x="{_fmt(centre)}" y="{_fmt(centre + 19)}" text-anchor="middle" font-size="10" '
        f'fill="#5b636b">/ 100</text>',
    ]
    return _svg(size, size, body, f"Overall score {text} of 100")
