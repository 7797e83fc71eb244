"""The click layer: options -> Config -> library call -> render -> exit code. Nothing else lives here.

Exit codes (as Vale's): 0 ok, 1 findings at or above --fail-on, 2 usage, config or runtime error.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .errors import OmniauditError, StorageError

if TYPE_CHECKING:
    from .analyze.embed import Embedder
    from .models import AuditResult

F = TypeVar("F", bound=Callable[..., Any])

REPORT_FORMATS = ("text", "json", "markdown", "html", "sarif", "csv", "pdf")
# The report format each output suffix stands for; any other suffix is a usage error.
REPORT_SUFFIXES = {
    ".txt": "text",
    ".json": "json",
    ".md": "markdown",
    ".html": "html",
    ".htm": "html",
    ".sarif": "sarif",
    ".csv": "csv",
    ".pdf": "pdf",
}
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
        help="Report format; default: from the -o suffix (.txt .json .md .html .sarif .csv .pdf), else text.",
    )(func)
    return func


def _format_for(fmt: str | None, output: str) -> str:
    """--format wins for stdout and for a file with no or an unknown suffix; otherwise the suffix picks the
    format, so one run can write several reports. An unknown suffix without --format is a usage error (a
    `report.pdf` written as plain text would be a silent surprise)."""
    suffix = "" if output == "-" else Path(output).suffix.lower()
    if fmt and (not suffix or suffix not in REPORT_SUFFIXES):
        return fmt
    if not suffix:
        return "text"
    if suffix not in REPORT_SUFFIXES:
        raise OmniauditError(
            f"{output}: unknown report suffix {suffix!r}: use {', '.join(REPORT_SUFFIXES)}, "
            "or say the format with --format"
        )
    return REPORT_SUFFIXES[suffix]


def check_outputs(fmt: str | None, outputs: Sequence[str]) -> None:
    """Refuse a bad output before the audit runs rather than after it: unknown suffixes, and a PDF when
    Chromium is missing."""
    if "pdf" in {_format_for(fmt, output) for output in outputs}:
        from .report.pdf import check_pdf_support

        check_pdf_support()


def terminal_width() -> int | None:
    """The width to wrap the text report at when stdout is a terminal ($COLUMNS, else the terminal's own);
    None when it is a pipe or a file, so every line is written whole."""
    import shutil

    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def render_output(result: AuditResult, fmt: str, output: str) -> str | bytes:
    """The report for one output: PDF as bytes, the text report wrapped to the terminal on stdout."""
    from .report import render

    if fmt == "pdf":
        from .report.pdf import render_pdf
        from .report.schema import result_to_dict

        return render_pdf(result_to_dict(result))
    return render(result, fmt, width=terminal_width() if output == "-" else None)


def write_output(text: str | bytes, output: str, what: str = "the report") -> None:
    """`text` to stdout ('-') or to the file `output`, atomically: a failed write leaves the old file (or
    none), never an empty or cut one, and raises a StorageError naming the file."""
    from .atomic import write_atomic

    if output == "-":
        try:
            if isinstance(text, bytes):
                sys.stdout.buffer.write(text)
            else:
                click.echo(text, nl=not text.endswith("\n"))
            sys.stdout.flush()
        except BrokenPipeError:
            pass  # the reader stopped early (`| head`): nothing is wrong with the audit
        except OSError as exc:
            from .atomic import os_error_reason
            from .errors import StorageError

            reason, advice = os_error_reason(exc)
            raise StorageError(f"standard output: cannot write {what}: {reason}; {advice}") from None
        return
    write_atomic(output, text, what=what)


def write_reports(result: AuditResult, fmt: str | None, outputs: Sequence[str], *, history: bool) -> None:
    """Every requested report, each written even when another one fails (what could be written is kept);
    then one StorageError for the first failure, saying the run was not recorded."""
    failed: list[StorageError] = []
    written = 0
    for output in outputs:
        try:
            write_output(render_output(result, _format_for(fmt, output), output), output)
            written += 1
        except StorageError as exc:
            failed.append(exc)
    if failed:
        notes = [f"{len(failed) - 1} more report(s) failed"] if len(failed) > 1 else []
        if written:
            notes.append(f"{written} other report(s) were written")
        if history:
            notes.append("this run is not recorded in the history")
        suffix = f" ({'; '.join(notes)})" if notes else ""
        raise StorageError(f"{failed[0]}{suffix}")


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
    """Audit the channels in CONFIG and write the report (stdout unless -o; with -q and no -o, nothing but
    errors and the exit code: a CI gate; add `-o -` to print the report anyway).

    Example: omniaudit audit samples/brightmart/omniaudit.yaml -o report.html -o report.json
    """
    from .app import run_audit
    from .config import load_config
    from .progress import Progress
    from .store.tracking import tracked_audit

    configure_logging(quiet)
    check_outputs(fmt, outputs)
    config = load_config(config_path)

    def run(embedder: Embedder | None) -> AuditResult:
        with Progress(enabled=not quiet) as progress:
            return run_audit(config, progress=progress, embedder=embedder)

    def publish(result: AuditResult) -> None:
        if not quiet:
            for warning in result.stats.get("warnings", []):
                click.echo(f"omniaudit: warning: {warning}", err=True)
        # -q without -o is a CI gate: errors and the exit code only; `-o -` still prints the report.
        write_reports(result, fmt, outputs or (() if quiet else ("-",)), history=recorded)

    recorded = not no_history and config.history.enabled
    # The history (lock, embedding cache, "since last run") wraps the audit; it records the run only after
    # `publish` wrote every report, so a run is in the history only with its reports.
    tracked = tracked_audit(config, run, publish=publish, baseline=baseline, history=not no_history)
    result = tracked.result
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
    from .config import load_config

    config = load_config(config_path)  # connectors and their options included
    click.echo(f"{config_path}: ok ({len(config.channels)} channels, "
               f"{len(config.brand_book.key_messages)} key messages)")
    for channel in config.channels:  # where each local channel really reads from (links resolved)
        local = Path(config.resolve(channel.source))
        if "://" in channel.source or not (local.exists() or "/" in channel.source):
            continue  # a URL, or an account name
        found = "" if local.exists() else " (not found)"
        outside = " (allow_outside)" if channel.allow_outside else ""
        click.echo(f"  {channel.id}: {channel.source} -> {local.resolve()}{found}{outside}")


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
    write_output("\n".join(lines) + ("\n" if lines else ""), output, what="the collected text")
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


@main.command("init")
@click.argument("folder", metavar="[DIR]", required=False, default=".",
                type=click.Path(file_okay=False))
@click.option("--name", default=None, help="The brand's name (default: from the folder's name).")
@click.option("--force", is_flag=True, help="Replace an existing omniaudit.yaml.")
@handle_errors
def init(folder: str, name: str | None, force: bool) -> None:
    """Look at DIR (default: here) and write DIR/omniaudit.yaml: a commented config with a channel for every
    source a connector can read (site pages, help articles, scripts, exports, locale files), to review.

    Example: omniaudit init brand-material/ && omniaudit check-config brand-material/omniaudit.yaml
    """
    from .onboarding import write_config

    target, found = write_config(folder, force=force, name=name)
    languages = ", ".join(found.languages)
    click.echo(f"omniaudit: wrote {target}: {len(found.channels)} channel(s) in {languages}; "
               "review its TODOs (brand_book.key_messages is required)", err=True)


@main.command("schema")
@click.option("--output", "-o", default="-", show_default=True, metavar="FILE",
              help="Where to write the JSON Schema ('-' is stdout).")
@handle_errors
def schema(output: str) -> None:
    """Print the config's JSON Schema, for editor completion and validation of omniaudit.yaml files.

    Example: omniaudit schema -o configs/omniaudit.schema.json
    """
    from .onboarding import config_schema

    write_output(config_schema(), output, what="the schema")


@main.command("portfolio")
@click.argument("portfolio_path", metavar="PORTFOLIO", type=click.Path(dir_okay=False))
@click.option("--workers", "-j", type=click.IntRange(min=0), default=None,
              help="Local worker processes, each loading the model once (default: one per core); 0 audits in "
              "this process, one client at a time. With --ray: how many model actors (default: one per GPU, "
              "else one per two CPUs).")
@click.option("--ray", "ray_address", metavar="auto|ADDRESS", default=None,
              help="Run on Ray: 'auto' joins the running cluster (RAY_ADDRESS or `ray start` here) or starts "
              "a local one; or a cluster address. Needs `pip install 'omniaudit[ray]'`.")
@click.option("--output", "-o", type=click.Path(file_okay=False), default=None,
              help="The output folder (default: `output` of PORTFOLIO).")
@click.option("--fail-on", type=click.Choice(["never", "info", "warning", "error"]), default="error",
              show_default=True, help="Exit 1 when a client has a finding at or above this severity.")
@click.option("--resume", is_flag=True,
              help="Audit only the clients the last run in the output folder did not finish.")
@click.option("--no-history", is_flag=True, help="Do not read or record the clients' run histories.")
@click.option("--allow-failures", is_flag=True,
              help="A client whose sources could not all be read does not make the exit status 2.")
@quiet_option
@handle_errors
def portfolio(portfolio_path: str, workers: int | None, ray_address: str | None, output: str | None,
              fail_on: str, resume: bool, no_history: bool, allow_failures: bool, quiet: bool) -> None:
    """Audit every client brand in PORTFOLIO: each client's reports and history as `omniaudit audit` writes
    them, and a summary of all clients (HTML, Markdown, JSON, CSV). Exit status: 2 when a client failed, else
    1 when a client has findings at or above --fail-on, else 0.

    Example: omniaudit portfolio configs/portfolio.example.yaml --workers 2
    """
    import os

    from .portfolio import ProcessExecutor, RayExecutor, SequentialExecutor, load_portfolio, run_portfolio
    from .portfolio.executors import Executor
    from .portfolio.progress import PortfolioProgress, describe

    configure_logging(quiet)
    loaded = load_portfolio(portfolio_path)
    executor: Executor
    if ray_address:
        executor = RayExecutor(ray_address, actors=workers or None)
    elif workers == 0:
        executor = SequentialExecutor()
    else:
        executor = ProcessExecutor(workers or os.cpu_count() or 1)
    if not quiet:
        count = len(loaded.clients)
        click.echo(f"omniaudit: portfolio {portfolio_path}: {count} client{'s' if count != 1 else ''}, "
                   f"{executor.description}", err=True)
    progress = PortfolioProgress(len(loaded.clients), enabled=not quiet)
    try:
        result = run_portfolio(loaded, executor, fail_on=fail_on, history=not no_history, resume=resume,
                               output=Path(output) if output else None, on_event=progress)
    finally:
        progress.close()
    totals = result.summary.totals()
    if not quiet:
        click.echo(
            f"omniaudit: {totals['clients']} clients in {result.wall_seconds:.0f} s: {totals['ok']} ok, "
            f"{totals['incomplete']} incomplete, {totals['failed']} failed -> "
            f"{', '.join(str(path) for path in result.files)}",
            err=True,
        )
    broken = [o for o in result.outcomes if o.status == "failed" or (o.status == "incomplete" and not
                                                                    allow_failures)]
    if broken:
        more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
        click.echo(f"omniaudit: error: client {broken[0].client}: {describe(broken[0])}{more}; the other "
                   "clients were audited; `--resume` audits again only the clients that failed", err=True)
    code = result.exit_code(allow_failures=allow_failures)
    if code:
        sys.exit(code)
