"""File reading shared by the file-based connectors: the one place where a channel's local files are opened
(confined to the brand's folder, bounded by the config's limits), and a one-line, fixable reason for each bad
file."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import zipfile
import zlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..config import Channel, Limits
from ..errors import SourceError


@dataclass(frozen=True)
class LocalFiles:
    """How one channel reads the local disk: every file it reads must really lie inside `folder` (links and
    `..` resolved), and no file or archive may be bigger than the limits. A refused file is a SourceError
    naming it, the reason and what to change; the connector records it and reads the rest of the channel.

    `folder` is the brand's folder (the config's), or the channel's own source when the user wrote an
    absolute path elsewhere; None when the channel sets `allow_outside: true`.
    """

    folder: Path | None
    limits: Limits
    where: str = "the brand's folder"

    @classmethod
    def for_channel(cls, channel: Channel, base_dir: Path, limits: Limits) -> LocalFiles:
        if channel.allow_outside:
            return cls(None, limits)
        brand = base_dir.resolve()
        written = Path(channel.source.strip()).expanduser()
        if "://" in channel.source or not written.is_absolute():
            return cls(brand, limits)
        real = written.resolve()
        if _inside(real, brand):
            return cls(brand, limits)
        # An absolute path the user wrote is explicit: that tree is the channel's, and nothing beyond it.
        return cls(real, limits, "the channel's folder")

    def check(self, path: Path, shown: str) -> Path:
        """The real path of `path`, or a SourceError when it lies outside the folder (a link pointing out)."""
        real = Path(os.path.realpath(path))
        if self.folder is None or _inside(real, self.folder):
            return real
        what = f"a link to {real}" if path.is_symlink() else f"points to {real}"
        raise SourceError(
            shown,
            f"{what}, outside {self.where} ({self.folder}); not read "
            "(set allow_outside: true on the channel if that is intended)",
        )

    def read_bytes(self, path: Path, shown: str) -> bytes:
        """The file's bytes, at most `limits.max_file_bytes` of them."""
        real = self.check(path, shown)
        limit = self.limits.max_file_bytes
        # O_NOFOLLOW: the checked path cannot be swapped for a link in between; O_NONBLOCK: a FIFO planted
        # in the folder cannot hang the audit (it is refused below as not a regular file).
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            descriptor = os.open(real, flags)
        except FileNotFoundError:
            raise SourceError(shown, "file not found; check the channel's source path") from None
        except OSError as exc:
            raise SourceError(shown, f"cannot read the file: {exc.strerror or exc}") from None
        try:
            with os.fdopen(descriptor, "rb") as file:
                info = os.fstat(file.fileno())
                if stat.S_ISDIR(info.st_mode):
                    raise SourceError(shown, "is a folder, not a file")
                if not stat.S_ISREG(info.st_mode):
                    raise SourceError(shown, "not a regular file (a device, pipe or socket); not read")
                if info.st_size > limit:
                    raise _file_too_big(shown, f"is {info.st_size:,} bytes,", self.limits)
                # Sized by the file, not the limit: read(n) allocates n bytes up front.
                data = file.read(info.st_size + 1)
                if len(data) > info.st_size:  # it grew since fstat (or says 0, like /proc files)
                    data += file.read(limit + 1 - len(data))
        except OSError as exc:
            raise SourceError(shown, f"cannot read the file: {exc.strerror or exc}") from None
        if len(data) > limit:  # the file grew while it was read
            raise _file_too_big(shown, "is", self.limits)
        return data

    def read_text(self, path: Path, shown: str, encoding: str = "utf-8-sig", errors: str = "strict") -> str:
        """The file's text, or a SourceError naming the file and the fix."""
        data = self.read_bytes(path, shown)
        try:
            return data.decode(encoding, errors)
        except LookupError:
            raise SourceError(
                shown, f"unknown encoding {encoding!r}; set options.encoding to one Python knows"
            ) from None
        except UnicodeDecodeError as exc:
            name = (
                "UTF-8" if encoding.lower().replace("_", "-") in ("utf-8", "utf-8-sig", "utf8") else encoding
            )
            raise SourceError(
                shown,
                f"not {name} text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); "
                "re-save it as UTF-8 or set options.encoding",
            ) from None

    def archive(self, path: Path, shown: str) -> Archive:
        """A zip file (a platform export, a bot export) to read member by member within the limits."""
        # The zip itself may be big (an export with its media): what counts is what is inflated from it.
        real = self.check(path, shown)
        try:
            with zipfile.ZipFile(real) as zipped:
                members = {info.filename: info for info in zipped.infolist() if not info.is_dir()}
        except FileNotFoundError:
            raise SourceError(shown, "file not found; check the channel's source path") from None
        except _ZIP_ERRORS as exc:
            raise SourceError(
                shown, f"not a readable zip file ({exc}); download or export it again"
            ) from None
        return Archive(real, shown, members, self.limits)

    def check_archive(self, data: bytes, shown: str) -> None:
        """Refuse a zip-based document (.docx) whose parts inflate past `limits.max_archive_bytes`, before
        anything inflates it. The declared sizes are a sound bound: Python's zipfile stops each part at its
        declared size (a part that holds more fails its CRC check)."""
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zipped:
                declared = sum(info.file_size for info in zipped.infolist())
        except _ZIP_ERRORS:
            return  # not a zip: the document's reader says what is wrong with it
        if declared > self.limits.max_archive_bytes:
            raise _archive_too_big(shown, declared, self.limits)


@dataclass
class Archive:
    """An opened zip: its members by name, read one at a time. Each read is bounded as it inflates (a
    member's declared size can lie), and all reads together stay within `limits.max_archive_bytes`."""

    path: Path
    shown: str
    members: dict[str, zipfile.ZipInfo]
    limits: Limits
    inflated: int = 0

    def names(self) -> list[str]:
        return sorted(self.members)

    def read(self, name: str) -> bytes:
        where = f"{self.shown}!/{name}"
        info = self.members.get(name)
        if info is None:
            raise SourceError(where, "not in the archive")
        budget = self.limits.max_archive_bytes - self.inflated
        if info.file_size > budget:
            raise _archive_too_big(self.shown, self.inflated + info.file_size, self.limits)
        if info.file_size > self.limits.max_file_bytes:
            raise _file_too_big(where, f"is {info.file_size:,} bytes,", self.limits)
        chunks: list[bytes] = []
        size = 0
        try:
            with zipfile.ZipFile(self.path) as zipped, zipped.open(info) as stream:
                while chunk := stream.read(1 << 20):
                    size += len(chunk)
                    if size > self.limits.max_file_bytes:
                        raise _file_too_big(where, "is", self.limits)
                    if size > budget:
                        raise _archive_too_big(self.shown, self.inflated + size, self.limits)
                    chunks.append(chunk)
        except _ZIP_ERRORS as exc:
            raise SourceError(
                where, f"cannot read it from the archive ({exc}); download or export it again"
            ) from None
        finally:
            self.inflated += size
        return b"".join(chunks)


# What zipfile raises on a damaged or unusual archive: RuntimeError for an encrypted member,
# NotImplementedError for a zip version or compression it cannot read, zlib.error for broken deflate data.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    ValueError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
)


def _inside(real: Path, folder: Path) -> bool:
    return real == folder or folder in real.parents


def _file_too_big(shown: str, size: str, limits: Limits) -> SourceError:
    return SourceError(
        shown,
        f"{size} more than limits.max_file_bytes ({limits.max_file_bytes:,}); skipped "
        "(raise limits.max_file_bytes in the config to read it)",
    )


def _archive_too_big(shown: str, size: int, limits: Limits) -> SourceError:
    return SourceError(
        shown,
        f"inflates to at least {size:,} bytes, more than limits.max_archive_bytes "
        f"({limits.max_archive_bytes:,}); skipped (raise limits.max_archive_bytes in the config to read it)",
    )


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
