"""One self-contained HTML file: inline CSS, one small inline script for filter and search, nothing fetched.

The Jinja2 environment autoescapes everything, and every string of the report first goes through
`safe_text.display_data` (no bidi overrides, no control characters). A Content-Security-Policy lets no
script run but the report's own (by hash) and nothing load from anywhere. With scripts off the report still
shows everything: the filter bar stays hidden and the collapsed groups open by hand.

Size matters at volume (10,000 findings stay under 3 MB): the markup per finding is compact, the rule and
severity are said once per group, and a finding repeats its channel only when it has several.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.resources
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from . import sections, svg
from .safe_text import display_data

VERDICT_NOTES = {
    "omnichannel": "Channels carry the same messages and facts and point to each other.",
    "multichannel": "Channels exist side by side but differ in what they say.",
    "fragmented": "Channels contradict each other or miss the key messages.",
}
# Findings of a rule shown before the rest of the group is folded into a <details>.
SHOWN_PER_GROUP = 5
SEVERITY_LETTER = {"error": "e", "warning": "w", "info": "i"}
# Quotes shown per finding; further evidence is listed by location only, up to MAX_PLACES places in all. A
# merged finding (one sentence on a thousand duplicate pages) keeps every location in the JSON report.
MAX_QUOTES = 3
MAX_PLACES = 12
# Above this many findings, those folded away in each group are one line each (message, first place,
# channels): 10,000 findings with every quote would not stay under 3 MB, and nobody reads them all.
COMPACT_ABOVE = 1000
# Scopes that say nothing about where on a page a sentence is.
_PLAIN_SECTIONS = ("main", "body")


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("omniaudit.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["plural"] = sections.plural
    env.filters["t"] = text_node
    env.filters["wbr"] = breakable
    return env


@functools.cache
def inline_script(package: str, resource: str) -> tuple[Markup, str]:
    """A packaged script to inline in a page, and its CSP source ('sha256-...'): a page's Content-Security-
    Policy names that hash, so the script is the only one the page may run."""
    code = importlib.resources.files(package).joinpath(resource).read_text("utf-8")
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
    return Markup(code), f"'sha256-{digest}'"


def link_for(uri: str | None) -> str | None:
    """The URI as a link target when it is a web address; files and other schemes are shown as text only."""
    if not uri:
        return None
    try:
        scheme = urlsplit(uri).scheme.lower()
    except ValueError:
        return None
    return uri if scheme in ("http", "https") else None


def anchor(prefix: str, name: str) -> str:
    """An id for a rule or finding that is also a clean URL fragment."""
    return prefix + re.sub(r"[^A-Za-z0-9._-]+", "-", name)


def text_node(value: Any) -> Markup:
    """Escape for element content: & < > only (quotes need no escaping outside attributes, and at 10,000
    findings `&#39;` for every apostrophe adds up)."""
    text = "" if value is None else str(value)
    return Markup(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def breakable(value: Any) -> Markup:
    """Escaped text with a line-break opportunity after each _ - . /, so a narrow grid column breaks
    `value_proposition` after the underscore rather than in the middle of a word."""
    return Markup(re.sub(r"([_./-])", r"\1<wbr>", str(text_node(value))))


@dataclass(frozen=True)
class Place:
    """One piece of a finding's evidence as shown: the quote (empty when it repeats the one above), the
    channel when the finding has several, the location and its link."""

    quote: str
    channel: str
    where: str
    href: str | None


def places(finding: dict[str, Any], compact: bool = False) -> tuple[list[Place], int]:
    """The evidence to show for a finding, and how many further places are left out of the HTML; `compact`
    shows only the first place, without its quote."""
    evidence = finding.get("evidence") or []
    channels = finding.get("channels") or []
    several = len(channels) != 1
    shown: list[Place] = []
    quotes = 0
    previous = None
    limit = 1 if compact else MAX_PLACES
    for item in evidence[:limit]:
        location = dict(item.get("location") or {})
        if location.get("section") in _PLAIN_SECTIONS:
            location["section"] = None
        quote = str(item.get("quote") or "")
        repeat = quote == previous
        previous = quote
        if compact or repeat or quotes >= MAX_QUOTES:
            quote = ""
        else:
            quotes += 1
        channel = str(item.get("channel") or "")
        shown.append(
            Place(
                quote=quote,
                channel=channel if several or (channels and channel != channels[0]) else "",
                where=sections.location_text(location),
                href=link_for(location.get("uri")),
            )
        )
    return shown, max(0, len(evidence) - limit)


@dataclass(frozen=True)
class GridCell:
    text: str
    sub: str = ""  # a second, smaller line (the number under a ✓)
    background: str = ""  # inline colour on a continuous scale; empty: the CSS class decides
    css: str = ""  # "ok" | "no" | "" (colour by background)
    title: str = ""
    lead_zero: bool = False  # "0.72": the 0 may be hidden where the column is narrow

    @property
    def shown(self) -> Markup:
        escaped = text_node(self.text)
        if self.lead_zero and self.text.startswith("0."):
            return Markup('<span class="lz">0</span>') + escaped[1:]
        return escaped

    @property
    def style(self) -> str:
        return f"background:{self.background};color:{svg.ink(self.background)}" if self.background else ""


@dataclass(frozen=True)
class Grid:
    """A table of coloured cells: rows x cols, None where a cell is left empty (the heatmap's upper half)."""

    rows: tuple[str, ...]
    cols: tuple[str, ...]
    cells: tuple[tuple[GridCell | None, ...], ...]
    caption: str
    legend: str = ""  # a CSS gradient for a continuous scale


def _alignment_grid(report: dict[str, Any]) -> Grid | None:
    """One triangle of the symmetric channel x channel matrix, without the 1.00 diagonal; channels that were
    not audited are left out (their row would be empty)."""
    alignment = report.get("alignment") or {}
    labels, matrix = list(alignment.get("channels") or []), alignment.get("matrix") or []
    skipped = {c["id"] for c in report.get("channels", []) if c.get("audited") is False}
    keep = [i for i, label in enumerate(labels) if label not in skipped and i < len(matrix)]
    if len(keep) < 2:
        return None
    rows, cols = keep[1:], keep[:-1]
    cells = []
    for i in rows:
        row: list[GridCell | None] = []
        for j in cols:
            value = matrix[i][j] if j < len(matrix[i]) else None
            if j >= i:
                row.append(None)
            elif not value:
                # 0.0 is what the analysis writes when a channel had no text to compare.
                row.append(GridCell("–", title=f"{labels[i]} ↔ {labels[j]}: no text to compare"))
            else:
                row.append(
                    GridCell(
                        f"{value:.2f}",
                        lead_zero=value < 1,
                        background=svg.scale_color(value),
                        title=f"{labels[i]} ↔ {labels[j]}: similarity {value:.2f}",
                    )
                )
        cells.append(tuple(row))
    return Grid(
        rows=tuple(labels[i] for i in rows),
        cols=tuple(labels[j] for j in cols),
        cells=tuple(cells),
        caption="How closely each pair of channels says the same things: the mean similarity of each "
        "channel's sentences to their best match in the other (0 to 1)",
        legend=svg.scale_gradient("quality"),
    )


def _coverage_grid(report: dict[str, Any]) -> Grid | None:
    coverage = report.get("coverage") or {}
    messages, channels = coverage.get("messages") or [], coverage.get("channels") or []
    if not messages or not channels:
        return None
    by_key = {(c["message"], c["channel"]): c for c in coverage.get("cells", [])}
    cells = []
    for message in messages:
        row: list[GridCell | None] = []
        for channel in channels:
            cell = by_key.get((message, channel))
            if cell is None:
                row.append(GridCell("–"))
                continue
            similarity = cell.get("similarity")
            number = "n/a" if similarity is None else f"{similarity:.2f}"
            title = f"{message} · {channel}: best similarity {number}"
            if cell.get("quote"):
                where = sections.location_text(cell.get("location"))
                title += f"\n“{cell['quote']}”" + (f"\n{where}" if where else "")
            covered = bool(cell.get("covered"))
            row.append(GridCell("✓" if covered else "✗", number, css="ok" if covered else "no", title=title))
        cells.append(tuple(row))
    return Grid(
        rows=tuple(messages),
        cols=tuple(channels),
        cells=tuple(cells),
        caption="Key messages (rows) carried by each channel (columns): ✓ covered, ✗ missing, with the best "
        "similarity found",
    )


def _topics_grid(topics: sections.Topics) -> Grid:
    cells = []
    for i, (topic, values) in enumerate(zip(topics.topics, topics.values, strict=True)):
        row: list[GridCell | None] = []
        for j, (value, channel) in enumerate(zip(values, topics.channels, strict=True)):
            if value is None:
                row.append(GridCell("–", title=f"{topic} · {channel}: no data"))
                continue
            differs = topics.disagrees(i, j)
            row.append(
                GridCell(
                    f"{value:.0%}",
                    "≠" if differs else "",
                    css="no" if differs else "",
                    background="" if differs else svg.scale_color(value, "amount"),
                    title=f"{topic} · {channel}: {value:.0%}"
                    + (" (differs from another channel; see the findings)" if differs else ""),
                )
            )
        cells.append(tuple(row))
    return Grid(
        rows=topics.topics,
        cols=topics.channels,
        cells=tuple(cells),
        caption=topics.label or "How much of each channel is about each topic",
        legend=svg.scale_gradient("amount"),
    )


def _scores(report: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for score in report.get("scores", []):
        value = score.get("score")
        rows.append(
            {
                "name": score["name"],
                "score": value,
                "width": 0 if value is None else round(min(100.0, max(0.0, value)), 1),
                "color": svg.score_color(value),
                "explanation": score.get("explanation") or "",
            }
        )
    return rows


def delta_class(delta: float) -> str:
    """Green up, red down, grey when the change rounds to nothing ("+0.0" is not an improvement)."""
    if round(delta, 1) == 0:
        return "flat"
    return "up" if delta > 0 else "down"


def render_html(raw: dict[str, Any]) -> str:
    report = display_data(raw)
    topics = sections.topics(report)
    groups = sections.rule_groups(report)
    script, script_hash = inline_script("omniaudit.report", "templates/filter.js")
    verdict = str(report.get("verdict") or "")
    context = {
        "r": report,
        "counts": sections.severity_counts(report),
        "rule_counts": [(g.rule_id, g.severity, len(g.findings)) for g in groups],
        "channel_counts": sections.channel_counts(report),
        "verdict_note": VERDICT_NOTES.get(verdict, ""),
        "ring": svg.ring(report.get("overall"), color=svg.verdict_color(verdict, report.get("overall"))),
        "scores": _scores(report),
        "alignment": _alignment_grid(report),
        "coverage": _coverage_grid(report),
        "coverage_quotes": [c for c in (report.get("coverage") or {}).get("cells", []) if c.get("quote")],
        "topics": topics,
        "topics_grid": _topics_grid(topics) if topics else None,
        "since": sections.since_last_run(report),
        "fix_first": sections.fix_first(report),
        "ignored": sections.ignored(report),
        "groups": groups,
        "shown": SHOWN_PER_GROUP,
        "compact": len(report.get("findings", [])) > COMPACT_ABOVE,
        "letter": SEVERITY_LETTER,
        "stats": sections.plain_stats(report),
        "where": sections.location_text,
        "places": places,
        "link_for": link_for,
        "anchor": anchor,
        "delta_class": delta_class,
        "script": script,
        "script_hash": script_hash,
    }
    return _environment().get_template("report.html.j2").render(**context)
