"""One self-contained HTML file: inline CSS and SVG, no scripts, nothing fetched.

The Jinja2 environment autoescapes everything; only the SVG from `svg.py` (which escapes its own labels) is
inserted as Markup.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import urlsplit

import jinja2

from . import sections, svg

VERDICT_NOTES = {
    "omnichannel": "Channels carry the same messages and facts and point to each other.",
    "multichannel": "Channels exist side by side but differ in what they say.",
    "fragmented": "Channels contradict each other or miss the key messages.",
}


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("omniaudit.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def link_for(uri: str | None) -> str | None:
    """The URI as a link target when it is a web address; files and other schemes are shown as text only."""
    if not uri:
        return None
    try:
        scheme = urlsplit(uri).scheme.lower()
    except ValueError:
        return None
    return uri if scheme in ("http", "https") else None


def _coverage_chart(report: dict[str, Any]) -> Any:
    coverage = report.get("coverage", {})
    messages, channels = coverage.get("messages", []), coverage.get("channels", [])
    if not messages or not channels:
        return None
    by_key = {(c["message"], c["channel"]): c for c in coverage.get("cells", [])}
    cells: list[list[svg.Cell | None]] = []
    for message in messages:
        row: list[svg.Cell | None] = []
        for channel in channels:
            cell = by_key.get((message, channel))
            if cell is None:
                row.append(None)
                continue
            similarity = cell["similarity"]
            number = "n/a" if similarity is None else f"{similarity:.2f}"
            where = sections.location_text(cell.get("location"))
            title = f"{message} · {channel}: {number}"
            if cell.get("quote"):
                title += f"\n“{cell['quote']}”" + (f"\n{where}" if where else "")
            row.append(
                svg.Cell(
                    value=similarity,
                    label=f"{'✓' if cell['covered'] else '✗'} {number}",
                    state="good" if cell["covered"] else "bad",
                    title=title,
                )
            )
        cells.append(row)
    return svg.grid(messages, channels, cells, aria="Key message coverage by channel")


def _topics_chart(topics: sections.Topics) -> Any:
    cells = [
        [
            None
            if value is None
            else svg.Cell(
                value=value,
                label=f"{value:.0%}" + (" ≠" if topics.disagrees(i, j) else ""),
                state="bad" if topics.disagrees(i, j) else None,
                title=f"{topic} · {channel}"
                + (": differs from another channel (see the findings)" if topics.disagrees(i, j) else ""),
            )
            for j, (value, channel) in enumerate(zip(row, topics.channels, strict=True))
        ]
        for i, (topic, row) in enumerate(zip(topics.topics, topics.values, strict=True))
    ]
    return svg.grid(
        topics.topics,
        topics.channels,
        cells,
        aria="Topics by channel",
        legend_id="topics-scale",
        scale="amount",
    )


def render_html(report: dict[str, Any]) -> str:
    alignment = report.get("alignment", {})
    topics = sections.topics(report)
    coverage_cells = [c for c in report.get("coverage", {}).get("cells", []) if c.get("quote")]
    context = {
        "r": report,
        "counts": sections.severity_counts(report),
        "verdict_note": VERDICT_NOTES.get(report["verdict"], ""),
        "ring": svg.ring(report.get("overall")),
        "bars": svg.bars([(s["name"], s["score"]) for s in report.get("scores", [])])
        if report.get("scores")
        else None,
        "heatmap": svg.heatmap(alignment["channels"], alignment["matrix"], uid="alignment-scale")
        if alignment.get("channels") and alignment.get("matrix")
        else None,
        "coverage_chart": _coverage_chart(report),
        "coverage_quotes": coverage_cells,
        "topics": topics,
        "topics_chart": _topics_chart(topics) if topics else None,
        "since": sections.since_last_run(report),
        "groups": sections.grouped_findings(report),
        "stats": sections.plain_stats(report),
        "where": sections.location_text,
        "link_for": link_for,
        "score_color": svg.score_color,
    }
    return _environment().get_template("report.html.j2").render(**context)
