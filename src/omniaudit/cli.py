"""The click layer: options -> Config -> library call -> render -> exit code. Nothing else lives here.

Exit codes (as Vale's): 0 ok, 1 findings at or above --fail-on, 2 usage, config or runtime error.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import OmniauditError

F = TypeVar("F", bound=Callable[..., Any])

REPORT_FORMATS = ("text", "json", "markdown", "html")
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


def quiet_option(func: F) -> F:
    return click.option("--quiet", "-q", is_flag=True, help="Print nothing on stderr but errors.")(func)


def output_options(func: F) -> F:
    func = click.option(
        "--output",
        "-o",
        "outputs",
        type=click.Path(dir_okay=False, allow_dash=True),
        multiple=True,
        help="Write the report to FILE ('-' is stdout); repeat for several formats (by suffix). Default: stdout.",
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
    return {".json": "json", ".md": "markdown", ".html": "html", ".htm": "html"}.get(suffix, "text")


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
@quiet_option
@handle_errors
def audit(config_path: str, fmt: str | None, outputs: tuple[str, ...], fail_on: str, quiet: bool) -> None:
    """Audit the channels in CONFIG and write the report.

    Example: omniaudit audit samples/brightmart/omniaudit.yaml -o report.html -o report.json
    """
    from .app import run_audit
    from .config import load_config
    from .progress import Progress
    from .report import render

    config = load_config(config_path)
    with Progress(enabled=not quiet) as progress:
        result = run_audit(config, progress=progress)
    for output in outputs or ("-",):
        write_output(render(result, _format_for(fmt, output)), output)
    files = [output for output in outputs if output != "-"]
    if not quiet and files:
        click.echo(
            f"omniaudit: {result.verdict} ({result.overall:.0f}/100), {len(result.findings)} findings, "
            f"{len(result.failures)} failures -> {', '.join(files)}",
            err=True,
        )
    if fail_on != "never" and any(
        SEVERITY_ORDER[finding.severity] >= SEVERITY_ORDER[fail_on] for finding in result.findings
    ):
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


# Further commands are added below this line.
