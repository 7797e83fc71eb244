"""The portfolio summary: one row per client, rendered as JSON (canonical), Markdown, CSV and HTML.

A row is built from the client's canonical report dict (report.schema.result_to_dict), so the summary shows
exactly what the client's own report says:

    {"client", "brand", "config", "status": "ok" | "incomplete" | "failed", "reason",
     "verdict", "overall", "scores": {dimension: score}, "findings": {"error", "warning", "info"},
     "sources_failed", "fix_first": [{rank, title, fix, severity, rule_id}] (at most 3),
     "change": None (first run) | {previous_started_at, previous_verdict, overall_delta, new, fixed},
     "reports": {format: path relative to the output folder}}

The HTML is one self-contained file: inline CSS, the agency's logo as a data: URI, one small inline script
(allowed by hash in its Content-Security-Policy) that makes the columns sortable; without scripts the table is
complete and in portfolio order.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .. import __version__
from ..report.csv_findings import _cell as spreadsheet_safe
from ..report.markdown import escape
from ..report.safe_text import display_data
from ..report.schema import SEVERITY_RANK
from .config import REPORT_SUFFIXES, Branding, Client

SUMMARY_SCHEMA_VERSION = "1.0"
SEVERITIES = tuple(sorted(SEVERITY_RANK, key=SEVERITY_RANK.__getitem__))  # error, warning, info
TOP_PROBLEMS = 3
# Sort rank of a client's outcome in the HTML table: the worst first when sorted ascending.
VERDICT_RANK = {"failed": 0, "fragmented": 1, "multichannel": 2, "omnichannel": 3}
VERDICTS = ("omnichannel", "multichannel", "fragmented")
SUMMARY_FORMATS = {"html": "summary.html", "markdown": "summary.md", "json": "summary.json",
                   "csv": "summary.csv"}


def top_problems(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The first three problems to fix: the report's `fix_first` list when it has one, else its first error
    and warning findings (findings are listed most severe first)."""
    ranked = report.get("fix_first")
    if isinstance(ranked, list) and ranked:
        return [
            {
                "rank": item.get("rank", index + 1),
                "title": str(item.get("title", "")),
                "fix": str(item.get("fix", "") or ""),
                "severity": str(item.get("severity", "")),
                "rule_id": str(item.get("rule_id", "")),
            }
            for index, item in enumerate(ranked[:TOP_PROBLEMS])
            if isinstance(item, dict)
        ]
    serious = [f for f in report.get("findings", []) if f.get("severity") in ("error", "warning")]
    return [
        {"rank": rank, "title": f["message"], "fix": "", "severity": f["severity"], "rule_id": f["rule_id"]}
        for rank, f in enumerate(serious[:TOP_PROBLEMS], start=1)
    ]


def _change(report: dict[str, Any]) -> dict[str, Any] | None:
    since = report.get("stats", {}).get("since_last_run")
    if not isinstance(since, dict):
        return None
    return {
        "previous_started_at": since.get("previous_started_at"),
        "previous_verdict": since.get("previous_verdict"),
        "overall_delta": since.get("overall_delta"),
        "new": len(since.get("new") or []),
        "fixed": len(since.get("fixed") or []),
    }


def report_paths(client_id: str, formats: Sequence[str]) -> dict[str, str]:
    return {fmt: f"clients/{client_id}/report.{REPORT_SUFFIXES[fmt]}" for fmt in formats}


def client_row(client: Client, report: dict[str, Any], *, status: str, reports: Sequence[str]
               ) -> dict[str, Any]:
    """The client's summary row, from its canonical report dict."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in report.get("findings", []):
        counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
    failures = report.get("failures", [])
    reason = ""
    if failures:
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        reason = (f"{len(failures)} source(s) could not be read: {failures[0]['source']}: "
                  f"{failures[0]['error']}{more}")
    return {
        "client": client.id,
        "brand": report.get("brand", ""),
        "config": client.config_path,
        "status": status,
        "reason": reason,
        "verdict": report.get("verdict"),
        "overall": report.get("overall"),
        "scores": {score["name"]: score["score"] for score in report.get("scores", [])},
        "findings": counts,
        "sources_failed": len(failures),
        "fix_first": top_problems(report),
        "change": _change(report),
        "reports": report_paths(client.id, reports),
    }


def failed_row(client: Client, reason: str) -> dict[str, Any]:
    """The row of a client that could not be audited: why, and nothing else."""
    return {
        "client": client.id,
        "brand": client.config.brand.name if client.config is not None else "",
        "config": client.config_path,
        "status": "failed",
        "reason": reason,
        "verdict": None,
        "overall": None,
        "scores": {},
        "findings": None,
        "sources_failed": 0,
        "fix_first": [],
        "change": None,
        "reports": {},
    }


@dataclass(frozen=True)
class PortfolioSummary:
    portfolio: str
    generated_at: str
    fail_on: str
    rows: tuple[dict[str, Any], ...]
    branding: Branding | None = None
    # How the run went (backend, seconds, workers): differs between runs of the same portfolio, unlike rows.
    execution: dict[str, Any] = field(default_factory=dict)

    @property
    def dimensions(self) -> list[str]:
        """Every dimension any client was scored on, in the order the reports list them."""
        return list(dict.fromkeys(name for row in self.rows for name in row["scores"]))

    def totals(self) -> dict[str, Any]:
        statuses = [row["status"] for row in self.rows]
        verdicts = [row["verdict"] for row in self.rows if row["verdict"]]
        return {
            "clients": len(self.rows),
            "ok": statuses.count("ok"),
            "incomplete": statuses.count("incomplete"),
            "failed": statuses.count("failed"),
            "verdicts": {name: verdicts.count(name) for name in VERDICTS},
            "at_or_above_fail_on": sum(1 for row in self.rows if gating_count(row, self.fail_on)),
        }


def gating_count(row: dict[str, Any], fail_on: str) -> int:
    """The client's findings at or above `fail_on` ("never" | "info" | "warning" | "error")."""
    if fail_on == "never" or not row.get("findings"):
        return 0
    return sum(row["findings"].get(s, 0) for s in SEVERITIES if SEVERITY_RANK[s] <= SEVERITY_RANK[fail_on])


def summary_to_dict(summary: PortfolioSummary) -> dict[str, Any]:
    return {
        "schema_version": SUMMARY_SCHEMA_VERSION,
        "kind": "portfolio",
        "tool": {"name": "omniaudit", "version": __version__},
        "portfolio": summary.portfolio,
        "generated_at": summary.generated_at,
        "fail_on": summary.fail_on,
        "agency": summary.branding.to_dict() if summary.branding else None,
        "totals": summary.totals(),
        "dimensions": summary.dimensions,
        "clients": list(summary.rows),
        "execution": summary.execution,
    }


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def _delta(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}"


def _change_text(row: dict[str, Any]) -> str:
    change = row.get("change")
    if row["status"] == "failed":
        return ""
    if not change:
        return "first run"
    return f"{_delta(change.get('overall_delta'))} ({change['new']} new, {change['fixed']} fixed)"


def _outcome_text(row: dict[str, Any]) -> str:
    if row["status"] == "failed":
        return "failed"
    return row["verdict"] + (" (incomplete)" if row["status"] == "incomplete" else "")


def render_summary_json(summary: PortfolioSummary) -> str:
    return json.dumps(summary_to_dict(summary), ensure_ascii=False, indent=2) + "\n"


def render_summary_markdown(summary: PortfolioSummary) -> str:
    dims = summary.dimensions
    totals = summary.totals()
    title = f"{escape(summary.branding.name)}: portfolio audit" if summary.branding else "Portfolio audit"
    verdicts = ", ".join(f"{count} {name}" for name, count in totals["verdicts"].items())
    out = [
        f"# {title}",
        "",
        f"{totals['clients']} clients: {verdicts}, {totals['failed']} failed, {totals['incomplete']} "
        f"incomplete · {totals['at_or_above_fail_on']} with findings at or above {summary.fail_on} · "
        f"_{escape(summary.generated_at)}_",
        "",
        "| " + " | ".join(["Client", "Verdict", "Overall", *map(escape, dims), "Errors", "Warnings", "Info",
                          "Since last run", "Fix first"]) + " |",
        "| " + " | ".join(["---", "---", "---:", *["---:"] * len(dims), "---:", "---:", "---:", "---", "---"])
        + " |",
    ]
    for row in summary.rows:
        client = escape(row["client"])
        if "markdown" in row["reports"]:
            client = f"[{client}]({row['reports']['markdown']})"
        counts = row["findings"] or {}
        if row["status"] == "failed":
            fix = "**failed:** " + escape(row["reason"])
        else:
            fix = "<br>".join(
                f"{p['rank']}. {escape(p['title'], 160)} ({escape(p['severity'])})" for p in row["fix_first"]
            )
            if row["status"] == "incomplete":
                fix = (fix + "<br>" if fix else "") + "**incomplete:** " + escape(row["reason"])
        cells = [
            client,
            escape(_outcome_text(row)),
            _score(row["overall"]),
            *[_score(row["scores"].get(name)) for name in dims],
            *[str(counts.get(severity, "")) for severity in SEVERITIES],
            escape(_change_text(row)),
            fix,
        ]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


CSV_FIXED = ("client", "brand", "status", "verdict", "overall")
CSV_TAIL = ("errors", "warnings", "info", "sources_failed", "overall_delta", "new_findings", "fixed_findings",
            "previous_verdict", "fix_first_1", "fix_first_2", "fix_first_3", "reason", "config")


def render_summary_csv(summary: PortfolioSummary) -> str:
    """One line per client; a `score_<dimension>` column per dimension; spreadsheet-safe cells."""
    dims = summary.dimensions
    columns = [*CSV_FIXED, *(f"score_{name}" for name in dims), *CSV_TAIL]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for row in summary.rows:
        counts = row["findings"] or {}
        change = row["change"] or {}
        problems = [f"{p['severity']}: {p['title']}" + (f" -> {p['fix']}" if p["fix"] else "")
                    for p in row["fix_first"]]
        values: dict[str, Any] = {
            "client": row["client"], "brand": row["brand"], "status": row["status"],
            "verdict": row["verdict"], "overall": row["overall"],
            **{f"score_{name}": row["scores"].get(name) for name in dims},
            "errors": counts.get("error"), "warnings": counts.get("warning"), "info": counts.get("info"),
            "sources_failed": row["sources_failed"],
            "overall_delta": change.get("overall_delta"), "new_findings": change.get("new"),
            "fixed_findings": change.get("fixed"), "previous_verdict": change.get("previous_verdict"),
            **{f"fix_first_{i + 1}": problems[i] if i < len(problems) else "" for i in range(TOP_PROBLEMS)},
            "reason": row["reason"], "config": row["config"],
        }
        writer.writerow({key: spreadsheet_safe(value) for key, value in values.items()})
    return buffer.getvalue()


def _ink_on(colour: str) -> str:
    """Black or white text, whichever reads better on `colour` (#rgb or #rrggbb)."""
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    r, g, b = (int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#111111" if luminance > 0.55 else "#ffffff"


def render_summary_html(summary: PortfolioSummary) -> str:
    import jinja2

    from ..report.html import inline_script

    # Fix-first titles and reasons quote the clients' channels: shown without bidi or control characters.
    summary = replace(summary, rows=tuple(display_data(list(summary.rows))))
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("omniaudit.portfolio", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    script, script_hash = inline_script("omniaudit.portfolio", "templates/sort.js")
    branding = summary.branding
    primary = branding.primary if branding else "#1f3a5f"
    return environment.get_template("summary.html.j2").render(
        summary=summary,
        totals=summary.totals(),
        dims=summary.dimensions,
        branding=branding,
        primary=primary,
        accent=branding.accent if branding else "#c2410c",
        on_primary=_ink_on(primary),
        script=script,
        script_hash=script_hash,
        severities=SEVERITIES,
        verdict_rank=VERDICT_RANK,
        outcome_text=_outcome_text,
        change_text=_change_text,
        score=_score,
        gating=lambda row: gating_count(row, summary.fail_on),
        version=__version__,
    )


RENDERERS = {
    "html": render_summary_html,
    "markdown": render_summary_markdown,
    "json": render_summary_json,
    "csv": render_summary_csv,
}
