"""Colours for the HTML report, and its one drawing: the overall score ring (inline SVG).

The grids (alignment, coverage, topics) and the score bars are HTML tables and boxes styled by CSS, so their
text keeps the page's font size at any width and reflows on a phone; only the ring is a drawing. The ring
takes its ink from the page (`currentColor`, CSS variables), so it follows the dark colour scheme.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

# Score bands (the default thresholds: fragmented < 45 <= multichannel < 75 <= omnichannel).
GOOD, FAIR, POOR, NONE = "#2e8b57", "#d08c00", "#c8463d", "#e9ecef"
VERDICT_COLORS = {"omnichannel": GOOD, "multichannel": FAIR, "fragmented": POOR}
# Colour scales for 0..1 values, low to high: "quality" where high is good (alignment, similarity), "amount"
# where a value is neither good nor bad (a topic's share of a channel).
SCALES: dict[str, tuple[tuple[float, tuple[int, int, int]], ...]] = {
    "quality": ((0.0, (200, 70, 61)), (0.5, (244, 210, 122)), (1.0, (46, 139, 87))),
    "amount": ((0.0, (241, 244, 251)), (0.5, (140, 166, 230)), (1.0, (38, 63, 156))),
}


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def score_color(score: float | None) -> str:
    """The band colour of a 0..100 dimension score."""
    if score is None:
        return NONE
    return GOOD if score >= 75 else FAIR if score >= 45 else POOR


def verdict_color(verdict: str, overall: float | None) -> str:
    """The colour of the verdict, so the overall ring never reads "good" next to a MULTICHANNEL badge; the
    score band only when the verdict is not one of the three known."""
    return VERDICT_COLORS.get(verdict, score_color(overall))


def scale_color(value: float | None, scale: str = "quality") -> str:
    """#rrggbb for a value in 0..1 on a colour scale (see SCALES); grey when there is no value."""
    if scale not in SCALES:
        raise ValueError(f"unknown colour scale {scale!r}: use one of {', '.join(SCALES)}")
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


def scale_gradient(scale: str = "quality") -> str:
    """A CSS linear-gradient of a colour scale, for its legend."""
    stops = ", ".join(f"{scale_color(pos, scale)} {_fmt(pos * 100)}%" for pos, _ in SCALES[scale])
    return f"linear-gradient(to right, {stops})"


def ink(fill: str) -> str:
    """Dark or white text, whichever reads better on the background `fill` (#rrggbb)."""
    r, g, b = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#1f2328" if luminance > 150 else "#ffffff"


def ring(score: float | None, *, color: str | None = None, size: float = 96.0) -> Markup:
    """A donut showing a 0..100 score with the number in the middle, drawn in `color` (default: the score's
    band)."""
    radius, stroke = size / 2 - 8, 10.0
    circumference = 2 * math.pi * radius
    share = 0.0 if score is None else min(1.0, max(0.0, score / 100))
    centre = size / 2
    text = "n/a" if score is None else f"{score:.0f}"
    label = f"Overall score {text} of 100"
    body = [
        f'<circle cx="{_fmt(centre)}" cy="{_fmt(centre)}" r="{_fmt(radius)}" fill="none" '
        f'style="stroke:var(--track)" stroke-width="{_fmt(stroke)}"/>',
        f'<circle cx="{_fmt(centre)}" cy="{_fmt(centre)}" r="{_fmt(radius)}" fill="none" '
        f'stroke="{escape(color or score_color(score))}" stroke-width="{_fmt(stroke)}" '
        'stroke-linecap="round" '
        f'stroke-dasharray="{circumference * share:.2f} {circumference:.2f}" '
        f'transform="rotate(-90 {_fmt(centre)} {_fmt(centre)})"/>',
        f'<text x="{_fmt(centre)}" y="{_fmt(centre - 2)}" text-anchor="middle" dominant-baseline="central" '
        f'font-size="26" font-weight="700" fill="currentColor">{escape(text)}</text>',
        f'<text x="{_fmt(centre)}" y="{_fmt(centre + 19)}" text-anchor="middle" font-size="10" '
        f'style="fill:var(--muted)">/ 100</text>',
    ]
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ring" role="img" aria-label="{escape(label)}" '
        f'viewBox="0 0 {_fmt(size)} {_fmt(size)}" width="{_fmt(size)}" height="{_fmt(size)}">'
        f"<title>{escape(label)}</title>" + "".join(body) + "</svg>"
    )
