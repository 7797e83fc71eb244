"""The click layer: options -> Config -> library call -> render -> exit code. Nothing else lives here.

Exit codes (as Vale's): 0 ok, 1 findings at or above --fail-on, 2 usage, config or runtime error.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import OmniauditError

F = TypeVar("F", bound=Callable[..., Any])

REPORT_FORMATS = ("text", "json", "markdown", "html", "sarif", "csv")
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


def _fail(message: str) -> None:
    click.echo(f"omniaudit: error: {message}", err=True)
    sys.exit(2)


def handle_errors(func: F) -> F:
    """Expected failures become one line on stderr and exit 2; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OmniauditError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            click.echo("omniaudit: interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


class _OneLine(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"omniaudit: {record.levelname.lower()}: {record.getMessage()}"


def configure_logging(quiet: bool = False) -> None:
    """Library warnings (a source that could not be read, a skipped rule) go to stderr as one line each;
    --quiet keeps only errors."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine())
    root = logging.getLogger("omniaudit")
    root.handlers[:] = [handler]
    root.propagate = False
    root.setLevel(logging.ERROR if quiet else logging.WARNING)


def quiet_option(func: F) -> F:
    return click.option("--quiet", "-q", is_flag=True, help="Print nothing on stderr but errors.")(func)


def output_options(func: F) -> F:
    func = click.option(
        "--output",
        "-o",
        "outputs",
        type=click.Path(dir_okay=False, allow_dash=True),
        multiple=True,
        help="Write the report to FILE ('-' is stdout); repeat for several formats (by suffix).",
    )(func)
    func = click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice(REPORT_FORMATS),
        default=None,
        help="Report format; default: from the -o suffix (.json/.md/.html), else text.",
    )(func)
    return func


def _format_for(fmt: str | None, output: str) -> str:
    """--format wins for stdout; a file's suffix picks its format, so one run can write several reports."""
    if fmt and (output == "-" or not Path(output).suffix):
        return fmt
    suffix = Path(output).suffix.lower()
    return {
        ".json": "json",
        ".md": "markdown",
        ".html": "html",
        ".htm": "html",
        ".sarif": "sarif",
        ".csv": "csv",
    }.get(suffix, "text")


def write_output(text: str, output: str) -> None:
    if output == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OmniauditError(f"{output}: cannot write the report: {exc.strerror or exc}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="omniaudit")
def main() -> None:
    """omniaudit: is a brand omnichannel, or only multichannel?

    Collects what each channel says (website, social, customer service), checks it against the brand book
    with embeddings and rules, and writes an audit report (text, JSON, Markdown, HTML).
    """
    configure_logging()


@main.command()
@click.argument("config_path", metavar="CONFIG", type=click.Path(dir_okay=False))
@output_options
@click.option(
    "--fail-on",
    type=click.Choice(["never", "info", "warning", "error"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding at or above this severity exists.",
)
@click.option(
    "--baseline",
    metavar="FILE|last",
    default=None,
    help="Count only findings not in this baseline for the exit code: a file from `omniaudit baseline`, "
    "or 'last' for the previous stored run.",
)
@click.option("--no-history", is_flag=True, help="Do not read or record the run history (nor its caches).")
@click.option(
    "--allow-failures",
    is_flag=True,
    help="Exit by the findings alone even when some sources could not be read (they stay in the report).",
)
@quiet_option
@handle_errors
def audit(config_path: str, fmt: str | None, outputs: tuple[str, ...], fail_on: str, baseline: str | None,
          no_history: bool, quiet: bool, allow_failures: bool) -> None:
    """Audit the channels in CONFIG and write the report.

    Example: omniaudit audit samples/brightmart/omniaudit.yaml -o report.html -o report.json
    """
    from .app import run_audit
    from .config import load_config
    from .progress import Progress
    from .report import render
    from .store.tracking import tracked_audit

    configure_logging(quiet)
    config = load_config(config_path)
    with Progress(enabled=not quiet) as progress:
        # The history (lock, embedding cache, "since last run", recording) wraps the audit itself.
        tracked = tracked_audit(
            config,
            lambda embedder: run_audit(config, progress=progress, embedder=embedder),
            baseline=baseline,
            history=not no_history,
        )
    result = tracked.result
    if not quiet:
        for warning in result.stats.get("warnings", []):
            click.echo(f"omniaudit: warning: {warning}", err=True)
    for output in outputs or ("-",):
        write_output(render(result, _format_for(fmt, output)), output)
    files = [output for output in outputs if output != "-"]
    if not quiet and files:
        click.echo(
            f"omniaudit: {result.verdict} ({result.overall:.0f}/100), {len(result.findings)} findings, "
            f"{len(result.failures)} failures -> {', '.join(files)}",
            err=True,
        )
    if tracked.baseline is not None and not quiet:
        gating = tracked.gating_findings(fail_on)
        click.echo(f"omniaudit: baseline {tracked.baseline.source}: {len(gating)} new finding(s) at or above "
                   f"--fail-on {fail_on}", err=True)
    if result.failures and not allow_failures:
        # The report is written and nothing collected is lost, but the audit is incomplete: say so, exit 2.
        first = result.failures[0]
        count = len(result.failures)
        more = f" (and {count - 1} more)" if count > 1 else ""
        click.echo(
            f"omniaudit: error: the audit completed and its report lists {count} source(s) that could not be "
            f"read: {first.source}: {first.error}{more}; fix the source or pass --allow-failures",
            err=True,
        )
        sys.exit(2)
    if tracked.gating_findings(fail_on):
        sys.exit(1)


@main.command("check-config")
@click.argument("config_path", metavar="CONFIG", type=click.Path(dir_okay=False))
@handle_errors
def check_config(config_path: str) -> None:
    """Validate CONFIG without collecting anything.

    Example: omniaudit check-config configs/omniaudit.example.yaml
    """
    from .collect import CollectContext, get_connector
    from .config import load_config

    config = load_config(config_path)
    context = CollectContext(base_dir=config.base_dir)
    for channel in config.channels:
        get_connector(channel, context)  # validates connector name and options
    click.echo(f"{config_path}: ok ({len(config.channels)} channels, "
               f"{len(config.brand_book.key_messages)} key messages)")


@main.command("collect")
@click.argument("config_path", metavar="CONFIG", type=click.Path(dir_okay=False))
@click.option("--output", "-o", default="-", show_default=True, metavar="FILE",
              help="Where to write the segments as JSON Lines ('-' is stdout).")
@click.option(
    "--allow-failures",
    is_flag=True,
    help="Exit 0 even when some sources could not be read (they are listed on stderr).",
)
@quiet_option
@handle_errors
def collect(config_path: str, output: str, allow_failures: bool, quiet: bool) -> None:
    """Collect every channel of CONFIG and write exactly the text an audit reads: one JSON object per
    sentence (channel, document, location, language, text), then a summary per channel on stderr.

    Example: omniaudit collect samples/brightmart/omniaudit.yaml -o collected.jsonl
    """
    import json

    from .app import collect_text
    from .config import load_config
    from .progress import Progress

    configure_logging(quiet)
    config = load_config(config_path)
    with Progress(enabled=not quiet) as progress:
        text = collect_text(config, progress=progress)
    lines = [
        json.dumps(
            {
                "channel": segment.channel_id,
                "document": segment.doc_uri,
                "location": segment.location.to_dict(),
                "scope": segment.scope,
                "language": segment.language,
                "text": segment.text,
            },
            ensure_ascii=False,
        )
        for segment in text.segments
    ]
    write_output("\n".join(lines) + ("\n" if lines else ""), output)
    if not quiet:
        for channel in text.channels:
            state = "" if channel.audited else " (nothing readable: not audited)"
            click.echo(
                f"omniaudit: {channel.id}: {channel.documents} documents, {channel.blocks} blocks, "
                f"{channel.segments} sentences, {len(channel.skipped)} skipped, {channel.failures} failed"
                f"{state}",
                err=True,
            )
    failures = text.collected.failures
    if failures and not allow_failures:
        first = failures[0]
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        click.echo(
            f"omniaudit: error: {len(failures)} source(s) could not be read: {first.source}: {first.error}"
            f"{more}; fix the source or pass --allow-failures",
            err=True,
        )
        sys.exit(2)


# Further commands are added below this line.


@main.command("lint", context_settings={"ignore_unknown_options": False})
@click.argument("paths", nargs=-1)
@click.option("--config", "config_path", default=None, help="The .vale.ini to use (default: nearest one).")
@click.option("--output", "output_format", type=click.Choice(["line", "CLI"]), default="line",
              show_default=True, help="Output format: one 'path:line:col:check:message' line per alert.")
@click.option("--ext", default=None, help="Extension to lint stdin or PATHS as, e.g. .md.")
@click.option("--minAlertLevel", "min_alert_level", type=click.Choice(["suggestion", "warning", "error"]),
              default=None, help="Lowest level to report (overrides MinAlertLevel).")
@click.option("--ignore-syntax", is_flag=True, help="Lint Markdown as plain text.")
@click.option("--no-exit", is_flag=True, help="Exit 0 even when errors are found.")
@click.option("--sort", is_flag=True, help="Accepted for Vale compatibility (output is always sorted).")
@click.option("--normalize", is_flag=True, help="Accepted for Vale compatibility (paths use '/').")
@click.option("--relative", is_flag=True, help="Accepted for Vale compatibility (paths as given).")
@click.option("--no-global", is_flag=True, help="Accepted for Vale compatibility (no global config is read).")
@handle_errors
def lint(paths: tuple[str, ...], config_path: str | None, output_format: str, ext: str | None,
         min_alert_level: str | None, ignore_syntax: bool, no_exit: bool, sort: bool, normalize: bool,
         relative: bool, no_global: bool) -> None:
    """Lint PATHS (files or folders; stdin when none) with a Vale style, like `vale --output=line`.

    Example: omniaudit lint --config styles/.vale.ini docs/
    """
    from .style import find_config, lint_paths, load_style

    found = config_path or find_config()
    if found is None:
        raise OmniauditError("no .vale.ini found in this folder or its parents; pass --config PATH")
    style = load_style(found, min_level=min_alert_level)
    for warning in style.warnings:
        click.echo(f"omniaudit: warning: {warning}", err=True)
    if ext and not ext.startswith("."):
        ext = "." + ext
    stdin = None if paths else sys.stdin.read()
    result = lint_paths(style, list(paths), ext=ext, simple=ignore_syntax, stdin=stdin)
    for alert in result.alerts:
        click.echo(alert.to_line())
    if result.errors and not no_exit:
        sys.exit(1)


def history_source_options(func: F) -> F:
    """Where the run history is: the config's history.path, or a database file given directly."""
    func = click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
                        help="The history database (default: history.path of --config).")(func)
    func = click.option("--config", "-c", "config_path", type=click.Path(dir_okay=False), default=None,
                        help="The audit config whose history to read (default: ./omniaudit.yaml).")(func)
    return func


@main.command("history")
@history_source_options
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many runs to list.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@handle_errors
def history(config_path: str | None, db: str | None, limit: int, fmt: str) -> None:
    """List stored audit runs, newest first: date, verdict and scores.

    Example: omniaudit history -c samples/brightmart/omniaudit.yaml
    """
    from .store.history import open_history
    from .store.views import history_json, history_text

    store, brand = open_history(config_path, db)
    with store:
        runs = store.list_runs(brand=brand, limit=limit)
    click.echo(history_json(runs) if fmt == "json" else history_text(runs), nl=False)


@main.command("diff")
@click.argument("run_a", metavar="[RUN_A]", required=False, default="last~1")
@click.argument("run_b", metavar="[RUN_B]", required=False, default="last")
@history_source_options
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--unchanged", "show_unchanged", is_flag=True, help="Also list the unchanged findings.")
@handle_errors
def diff(run_a: str, run_b: str, config_path: str | None, db: str | None, fmt: str, show_unchanged: bool
         ) -> None:
    """Compare two stored runs: new, fixed and unchanged findings, score deltas, changed documents.

    RUN_A and RUN_B are run ids from `omniaudit history`, `last`, `last~N` or `prev`; by default the last
    two runs.

    Example: omniaudit diff -c samples/brightmart/omniaudit.yaml
    """
    from .store.history import open_history
    from .store.views import diff_json, diff_text

    store, brand = open_history(config_path, db)
    with store:
        result = store.diff(run_a, run_b, brand=brand)
    text = diff_json(result) if fmt == "json" else diff_text(result, show_unchanged=show_unchanged)
    click.echo(text, nl=False)


@main.command("baseline")
@click.argument("run", metavar="[RUN]", required=False, default="last")
@history_source_options
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="omniaudit-baseline.json",
              show_default=True, help="The baseline file to write.")
@quiet_option
@handle_errors
def baseline(run: str, config_path: str | None, db: str | None, output: str, quiet: bool) -> None:
    """Write the findings of a stored run (default: the last) as a baseline file for `audit --baseline`.

    Example: omniaudit baseline -c samples/brightmart/omniaudit.yaml -o .omniaudit/baseline.json
    """
    from .store.baseline import write_baseline
    from .store.history import open_history

    store, brand = open_history(config_path, db)
    with store:
        stored = store.load_run(run, brand=brand)
    count = write_baseline(output, stored)
    if not quiet:
        click.echo(f"omniaudit: wrote {count} findings of run {stored.summary.id} to {output}", err=True)
