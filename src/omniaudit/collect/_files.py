"""File reading shared by the file-based connectors: a one-line, fixable reason for each bad file."""

from __future__ import annotations

import csv
import json
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import yaml

from ..errors import SourceError


def read_text(path: Path, shown: str, encoding: str = "utf-8-sig") -> str:
    """The file's text, or a SourceError naming the file and the fix."""
    try:
        return path.read_text(encoding=encoding)
    except FileNotFoundError:
        raise SourceError(shown, "file not found; check the channel's source path") from None
    except IsADirectoryError:
        raise SourceError(shown, "is a folder, not a file") from None
    except UnicodeDecodeError as exc:
        name = "UTF-8" if encoding.lower().replace("_", "-") in ("utf-8", "utf-8-sig", "utf8") else encoding
        raise SourceError(
            shown,
            f"not {name} text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); "
            "re-save it as UTF-8 or set options.encoding",
        ) from None
    except OSError as exc:
        raise SourceError(shown, f"cannot read the file: {exc.strerror or exc}") from None


def read_bytes(path: Path, shown: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError(shown, "file not found; check the channel's source path") from None
    except OSError as exc:
        raise SourceError(shown, f"cannot read the file: {exc.strerror or exc}") from None


def parse_json(text: str, shown: str) -> Any:
    """Parsed JSON, or a SourceError that tells a truncated export from a file that is not JSON at all."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if not text.strip():
            raise SourceError(shown, "the file is empty; re-export it") from None
        if text.lstrip().startswith("<"):
            raise SourceError(
                shown, "an HTML or XML page, not JSON; check the source path or the connector"
            ) from None
        if text.lstrip()[:1] not in '[{"':
            start = text.lstrip()[:15].replace("\n", " ")
            raise SourceError(
                shown, f"not JSON (it starts with {start!r}); check the file or the connector"
            ) from None
        # A cut-off export ends inside a value: the error is at the very end, or in a string never closed.
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise SourceError(
                shown,
                f"invalid JSON: the file ends early at line {exc.lineno} (truncated export?); re-export it",
            ) from None
        raise SourceError(shown, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None


def csv_rows(
    text: str, shown: str, delimiter: str | None = None
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and an iterator of (line where the row starts, row); the delimiter is sniffed if not set."""
    if not text.strip():
        raise SourceError(shown, "the file is empty; re-export it with a header row")
    if delimiter is None:
        first_line = text.splitlines()[0]
        delimiter = max([",", ";", "\t", "|"], key=first_line.count)
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
    except csv.Error as exc:
        raise SourceError(shown, f"invalid CSV header: {exc}") from None

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        start = reader.line_num + 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise SourceError(shown, f"invalid CSV at line {reader.line_num}: {exc}") from None
            if any(value.strip() for value in values):
                yield start, dict(zip(header, values, strict=False))
            start = reader.line_num + 1

    return header, rows()


def find_column(columns: list[str], wanted: str) -> str | None:
    """The column named `wanted`, exactly or else ignoring case and surrounding spaces."""
    if wanted in columns:
        return wanted
    folded = wanted.strip().casefold()
    return next((column for column in columns if column.strip().casefold() == folded), None)


def dig(item: Any, dotted: str) -> Any:
    """`item["a"]["b"]` for "a.b" (a key that itself holds dots wins); None when any step is missing."""
    if isinstance(item, dict) and dotted in item:
        return item[dotted]
    current = item
    for part in dotted.split("."):
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


def source_files(root: Path, suffixes: Collection[str] | None = None) -> list[Path] | None:
    """A channel source's files: every file under a folder (recursively, sorted, hidden ones skipped)
    whose suffix is in `suffixes` (all when None), or the source itself when it is a file; None when it is
    missing."""
    if root.is_file():
        return [root]
    if not root.is_dir():
        return None
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and (suffixes is None or path.suffix.lower() in suffixes)
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )


def split_front_matter(text: str, shown: str) -> tuple[dict[str, Any], str, list[str]]:
    """YAML (`---`) or TOML (`+++`) front matter at the top of a page: the data, the text with it blanked out
    (same number of lines, so lines stay right), and the front matter's own lines (to place its values)."""
    lines = text.split("\n")
    fence = lines[0].strip() if lines else ""
    if fence not in ("---", "+++"):
        return {}, text, []
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in (fence, "...")), None)
    if end is None:
        return {}, text, []
    raw = "\n".join(lines[1:end])
    try:
        if fence == "---":
            data = yaml.safe_load(raw)
        else:
            import tomllib

            data = tomllib.loads(raw)
    except (yaml.YAMLError, ValueError) as exc:
        raise SourceError(shown, f"invalid front matter: {str(exc).splitlines()[0]}") from None
    body = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    return (data if isinstance(data, dict) else {}), body, lines[: end + 1]
