"""`omniaudit init`: look at a brand's folder and draft a commented config that a person only has to review.

Each candidate source (a folder of pages, of help articles or scripts, of locale files; an export file) is
tried with the connectors that could read it, in order, by actually collecting it: a channel goes into the
config only when its connector read at least one document from it, so `check-config` and `audit` accept
the draft as written.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .atomic import write_atomic
from .collect import CollectContext, get_connector
from .config import INTERNAL_FIELDS, Channel, ChannelType, Config
from .errors import OmniauditError, SourceError
from .extract.language import base_language, detect_language

log = logging.getLogger(__name__)

CONFIG_NAME = "omniaudit.yaml"
SCHEMA_URL = "https://raw.githubusercontent.com/omniaudit/omniaudit/main/configs/omniaudit.schema.json"
_SKIPPED_DIRS = {"node_modules", "__pycache__", "venv", ".venv", "out", "reports", "dist", "build"}
_PAGES = {".html", ".htm"}
_ARTICLES = {".md", ".markdown", ".txt", ".docx", ".pdf", ".rst"}
_LOCALES = {".po", ".pot", ".ftl", ".xlf", ".xliff", ".strings", ".arb", ".resx"}
_EXPORTS = {".json", ".csv", ".jsonl", ".ndjson", ".js"}
_LOCALE_NAME = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")
# Connectors to try per kind of source, most specific first.
_FOLDER_CONNECTORS = {
    "pages": ("website", "static_site"),
    "articles": ("service_folder", "static_site"),
    "locales": ("l10n",),
    "archive": ("twitter_archive",),
}
_FILE_CONNECTORS = ("social_export", "mastodon", "bluesky", "facebook_export", "instagram_export",
                    "linkedin_export", "rasa", "dialogflow", "feed", "l10n", "service_folder")
_TYPES: dict[str, ChannelType] = {
    "website": "website",
    "static_site": "website",
    "service_folder": "service",
    "rasa": "service",
    "dialogflow": "service",
    "zendesk_guide": "service",
    "l10n": "app",
}


@dataclass(frozen=True)
class FoundChannel:
    """A source that a connector read, with what it read: the draft's channel and its comment."""

    id: str
    type: ChannelType
    connector: str
    source: str  # relative to the folder, with "/"
    documents: int
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Survey:
    root: Path
    channels: tuple[FoundChannel, ...]
    languages: tuple[str, ...]  # the brand's, most documents first
    style: str | None = None  # a Vale config found at the top of the folder


def _visible(path: Path) -> bool:
    return not path.name.startswith((".", "_")) and path.name not in _SKIPPED_DIRS


def _files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if path.is_file() and all(_visible(Path(part)) for part in relative):
            found.append(path)
    return found


def _folder_kind(folder: Path) -> str | None:
    """What a folder holds as one channel (pages, articles, locales, archive), or None: look inside."""
    if (folder / "data" / "tweets.js").is_file() or (folder / "tweets.js").is_file():
        return "archive"
    files = _files(folder)
    suffixes = Counter(path.suffix.lower() for path in files)
    if sum(suffixes[s] for s in _LOCALES) or (
        files and all(p.suffix == ".json" and _LOCALE_NAME.match(p.stem) for p in files)
    ):
        return "locales"
    direct = [p for p in folder.iterdir() if p.is_file() and _visible(p)]
    if sum(suffixes[s] for s in _PAGES) and any(p.suffix.lower() in _PAGES for p in direct):
        return "pages"
    subfolders = [p for p in folder.iterdir() if p.is_dir() and _visible(p)]
    if any(p.suffix.lower() in _ARTICLES for p in direct) and not subfolders:
        return "articles"
    return None


def _try(channel: Channel, root: Path) -> tuple[int, tuple[str, ...]] | None:
    """(documents read, their languages) when the connector reads the source cleanly, else None."""
    try:
        result = get_connector(channel, CollectContext(base_dir=root)).collect()
    except (OmniauditError, SourceError, OSError, ValueError) as exc:
        log.debug("%s with %s: %s", channel.source, channel.connector, exc)
        return None
    if not result.documents or result.failures:
        return None
    languages = []
    for document in result.documents:
        language = base_language(document.language) or detect_language(document.text[:2000])
        if language:
            languages.append(language)
    return len(result.documents), tuple(languages)


def _channel_id(source: str, taken: set[str], connector: str) -> str:
    stem = Path(source.rstrip("/")).stem or "site"
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.").lower() or connector
    if connector == "website" and "website" not in taken:
        name = "website"
    unique, n = name, 2
    while unique in taken:
        unique, n = f"{name}-{n}", n + 1
    taken.add(unique)
    return unique


def survey(root: str | Path) -> Survey:
    """The channels in `root` that a connector can read, and the languages they are written in."""
    # A connector that cannot read a candidate says why in a warning: expected here, so not shown.
    library_log = logging.getLogger("omniaudit")
    level = library_log.level
    library_log.setLevel(logging.CRITICAL)
    try:
        return _survey(Path(root))
    finally:
        library_log.setLevel(level)


def _survey(folder: Path) -> Survey:
    if not folder.is_dir():
        raise OmniauditError(f"{folder}: not a folder; give the folder that holds the brand's material")
    found: list[FoundChannel] = []
    taken: set[str] = set()
    pending = [folder]
    while pending:
        current = pending.pop(0)
        kind = _folder_kind(current) if current != folder else None
        if kind is not None:
            source = current.relative_to(folder).as_posix() + "/"
            for connector in _FOLDER_CONNECTORS[kind]:
                if _add(found, taken, folder, source, connector):
                    break
            continue
        for path in sorted(current.iterdir()):
            if not _visible(path):
                continue
            if path.is_dir():
                pending.append(path)
            elif path.suffix.lower() in _EXPORTS:  # loose notes (README.md) are not a channel; exports are
                source = path.relative_to(folder).as_posix()
                for connector in _FILE_CONNECTORS:
                    if _add(found, taken, folder, source, connector):
                        break
    counts = Counter(language for channel in found for language in channel.languages)
    total = sum(counts.values())
    # A language of at least a tenth of the documents is the brand's; a stray English post is not.
    languages = tuple(lang for lang, n in counts.most_common() if total and n / total >= 0.1) or ("en",)
    style = next((name for name in (".vale.ini", "_vale.ini", "vale.ini") if (folder / name).is_file()), None)
    return Survey(folder, tuple(found), languages, style)


def _add(found: list[FoundChannel], taken: set[str], root: Path, source: str, connector: str) -> bool:
    channel_type = _TYPES.get(connector, "social")
    probe = Channel(id="probe", type=channel_type, connector=connector, source=source)
    read = _try(probe, root)
    if read is None:
        return False
    documents, languages = read
    channel_id = _channel_id(source, taken, connector)
    found.append(
        FoundChannel(channel_id, channel_type, connector, source, documents, tuple(sorted(set(languages))))
    )
    return True


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def draft_config(found: Survey, *, name: str | None = None) -> str:
    """The commented YAML of a config for `found`; `check-config` accepts it as it is."""
    brand = name or found.root.resolve().name.replace("-", " ").replace("_", " ").title() or "Brand"
    lines = [
        f"# yaml-language-server: $schema={SCHEMA_URL}",
        f"# Drafted by `omniaudit init` from {found.root.resolve().name}/: review every TODO, then run",
        f"#   omniaudit check-config {CONFIG_NAME} && omniaudit audit {CONFIG_NAME} -o report.html",
        "# Every key is explained in configs/omniaudit.example.yaml; `omniaudit schema` prints the schema.",
        "",
        "brand:",
        f"  name: {_quote(brand)}  # TODO: the brand's name as customers see it (required)",
        f"  languages: [{', '.join(found.languages)}]  # detected in the material below",
        "  # website: https://www.example.com  # TODO: the brand's site, to recognise links back to it",
        "  # country: GB  # ISO code: reads phone numbers written without +44 (default: website's domain)",
        "",
        "brand_book:",
        "  # REQUIRED: at least one key message every channel should carry. TODO: replace the placeholder.",
        "  key_messages:",
        "    - id: value-proposition",
        "      kind: value_proposition",
        "      text: \"TODO: the brand's promise in one sentence\"",
        "  # What the brand book says is true; a channel that says otherwise gets a finding. TODO: fill in.",
        "  facts: {}",
        "  #   return_window: 30 days",
        "  #   support_hours: Monday to Friday, 9am-5pm",
        "  #   phone: +44 20 7946 0958",
        "  #   prices: {Product name: $49}  # prices are compared per product listed here",
        "",
    ]
    if found.style:
        lines += [f"style: {found.style}  # the Vale styles found here, applied to every channel", ""]
    lines += ["channels:"]
    if not found.channels:
        lines += [
            "  # TODO: no readable source was found here; add the channels by hand, e.g.",
            "  - {id: website, type: website, connector: website, source: https://www.example.com/}",
        ]
    for channel in found.channels:
        languages = f" in {', '.join(channel.languages)}" if channel.languages else ""
        plural = "s" if channel.documents != 1 else ""
        lines += [
            f"  # {channel.documents} document{plural}{languages} read by the {channel.connector} connector",
            f"  - id: {channel.id}",
            f"    type: {channel.type}",
            f"    connector: {channel.connector}",
            f"    source: {_quote(channel.source)}",
        ]
    return "\n".join(lines) + "\n"


def config_schema() -> str:
    """The JSON Schema of an omniaudit.yaml (from the pydantic models), as indented JSON text."""
    schema = Config.model_json_schema(mode="validation")
    for internal in INTERNAL_FIELDS:
        schema["properties"].pop(internal, None)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_URL,
        **schema,
        "title": "omniaudit config",
        "description": "An omniaudit.yaml: the brand, its brand book and the channels to audit. "
        "Connector options (channels[].options) are checked by `omniaudit check-config`.",
    }
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_config(folder: str | Path, *, force: bool = False, name: str | None = None) -> tuple[Path, Survey]:
    """Survey `folder` and write `<folder>/omniaudit.yaml`; an existing config is kept unless `force`."""
    target = Path(folder) / CONFIG_NAME
    if target.exists() and not force:
        raise OmniauditError(f"{target}: a config already exists; review it, or pass --force to replace it")
    found = survey(folder)
    write_atomic(target, draft_config(found, name=name), what="the config")
    return target, found
