"""The portfolio file: which brand configs to audit, shared defaults, the output folder, the agency's brand.

    clients: [clients/*/omniaudit.yaml, {path: ../acme/omniaudit.yaml, id: acme}]
    defaults: {thresholds: {coverage: 0.5}, style: styles/.vale.ini}   # merged under every client's config
    output: portfolio-report
    agency: {name: Northlight, logo: logo.png, colors: {primary: "#1f3a5f", accent: "#e07a24"}}

Validated like an audit config (pydantic, extra="forbid", `file:line: dotted.key: message`), with the same
helpers. A client's own config is loaded exactly as `omniaudit audit` loads it, so its errors read the same;
a client whose config is broken is reported as failed and the others still run. An error that only appears
once the defaults are merged in is the portfolio file's, located under `defaults.`.
"""

from __future__ import annotations

import base64
import glob
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator

from ..config import Config, _line_of, load_config, parse_config, read_yaml, validation_error
from ..errors import ConfigError

ReportFormat = Literal["html", "json", "markdown", "text", "sarif", "csv"]
# Reports a client gets when the portfolio does not say: the page to read and the data behind it.
DEFAULT_REPORTS: tuple[ReportFormat, ...] = ("html", "json")
REPORT_SUFFIXES: dict[str, str] = {
    "html": "html", "json": "json", "markdown": "md", "text": "txt", "sarif": "sarif", "csv": "csv"
}
# A logo is inlined into every summary: keep the file small enough that the page stays light.
MAX_LOGO_BYTES = 512 * 1024
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
              ".svg": "image/svg+xml", ".webp": "image/webp"}
# Config keys that are about one file's place, never shared: set by the loader.
_NOT_SHARED = frozenset({"base_dir", "path"})
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
_HEX_COLOUR = r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Colours(_Strict):
    # Hex only: the values go into the summary's CSS, so nothing else may get through.
    primary: str = Field("#1f3a5f", pattern=_HEX_COLOUR)  # the header band
    accent: str = Field("#c2410c", pattern=_HEX_COLOUR)  # links and highlights


class Agency(_Strict):
    """White label: the agency's name, logo (a local image, inlined) and colours on the portfolio summary."""

    name: str = Field(min_length=1)
    logo: str | None = None  # an image file, relative to the portfolio file
    colors: Colours = Colours()


class ClientEntry(_Strict):
    path: str = Field(min_length=1)  # a brand config, or a glob of them (relative to the portfolio file)
    id: str | None = Field(None, pattern=_CLIENT_ID.pattern)  # default: the config's folder name


class PortfolioConfig(_Strict):
    clients: list[ClientEntry] = Field(min_length=1)
    # Merged under every client's config: mappings key by key (the client's value wins), lists and values
    # replaced. Relative paths in `style` and in `model.name`/`model.judge` folders are the portfolio's.
    defaults: dict[str, Any] = {}
    output: str = "portfolio-report"  # relative to the portfolio file
    reports: list[ReportFormat] = Field(list(DEFAULT_REPORTS), min_length=1)  # per client
    agency: Agency | None = None

    @field_validator("clients", mode="before")
    @classmethod
    def _paths_as_entries(cls, value: Any) -> Any:
        # A plain string is the short form of {path: ...}.
        if isinstance(value, list):
            return [{"path": item} if isinstance(item, str) else item for item in value]
        return value


@dataclass(frozen=True)
class Branding:
    """What the summary shows of the agency: name, logo as a data: URI (nothing fetched), colours."""

    name: str
    logo_data_uri: str | None
    primary: str
    accent: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "logo": self.logo_data_uri is not None,
                "colors": {"primary": self.primary, "accent": self.accent}}


@dataclass(frozen=True)
class Client:
    """One client of the portfolio: its config merged with the defaults, or why it cannot be audited."""

    id: str
    config_path: str  # as resolved from the portfolio file
    config: Config | None
    error: str = ""  # set when config is None: the one-line reason, as `omniaudit audit` would print it


@dataclass(frozen=True)
class Portfolio:
    path: Path
    clients: tuple[Client, ...]
    output: Path
    reports: tuple[str, ...]
    branding: Branding | None


def merge_defaults(defaults: Mapping[str, Any], own: Mapping[str, Any]) -> dict[str, Any]:
    """`own` over `defaults`: mappings merge key by key, anything else (values, lists) is taken from `own`."""
    merged = dict(defaults)
    for key, value in own.items():
        base = merged.get(key)
        if isinstance(base, Mapping) and isinstance(value, Mapping):
            merged[key] = merge_defaults(base, value)
        else:
            merged[key] = value
    return merged


def _portfolio_paths(defaults: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Relative paths in the defaults point from the portfolio file, not from each client's folder."""

    def anchored(value: Any, must_exist: bool) -> Any:
        if not isinstance(value, str) or "://" in value or Path(value).expanduser().is_absolute():
            return value
        candidate = folder / value
        return str(candidate) if (candidate.exists() or not must_exist) else value

    out = dict(defaults)
    if "style" in out:
        out["style"] = anchored(out["style"], must_exist=False)
    model = out.get("model")
    if isinstance(model, dict):
        # A model name is a folder only when that folder exists; otherwise it is a model name.
        out["model"] = {key: anchored(value, must_exist=True) if key in ("name", "judge") else value
                        for key, value in model.items()}
    return out


def _check_defaults(defaults: dict[str, Any], file: str, root: yaml.Node | None) -> None:
    """Validate each default against the type of the config key it sets, so a mistake is reported at its line
    in the portfolio file (a default alone is not a whole config, so it cannot be validated as one)."""

    def check(model: type[BaseModel], key: str, value: Any, loc: tuple[Any, ...]) -> None:
        field = model.model_fields.get(key)
        if field is None or key in _NOT_SHARED:
            line = _line_of(root, loc)
            raise ConfigError(f"{file}:{line}: {'.'.join(map(str, loc))}: unknown key (defaults take the "
                              "keys of a brand config; see configs/omniaudit.example.yaml)")
        annotation = field.annotation
        partial = (
            isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(value, dict)
            and any(sub.is_required() for sub in annotation.model_fields.values())
        )
        if partial and isinstance(annotation, type):
            # brand and brand_book have required keys that only each client has: check what is given.
            for sub_key, sub_value in value.items():
                check(annotation, sub_key, sub_value, (*loc, sub_key))
            return
        # A one-field model with the key's own type and constraints (ranges, lengths).
        definition: Any = (annotation, field)
        probe = create_model("Default", __config__=ConfigDict(extra="forbid"), **{key: definition})
        try:
            probe.model_validate({key: value})
        except ValidationError as exc:
            raise validation_error(exc, file, root, loc[:-1]) from None

    for key, value in defaults.items():
        check(Config, key, value, ("defaults", key))


def _client_config(config_path: Path, defaults: dict[str, Any], portfolio_file: str) -> Config:
    """The client's config as `omniaudit audit` would load it, then with the defaults merged under it."""
    own = load_config(config_path)  # the client's own errors, worded exactly as for `omniaudit audit`
    if not defaults:
        return own
    text, data = read_yaml(config_path)
    try:
        return parse_config(merge_defaults(defaults, data), path=str(config_path), text=text,
                            base_dir=own.base_dir)
    except ConfigError as exc:
        # Each default is valid and so is the client alone: it is the combination that is not.
        raise ConfigError(f"{exc} (with the defaults of {portfolio_file})") from None


def _client_id(config_path: Path) -> str:
    folder = config_path.resolve().parent.name or config_path.stem
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", folder).strip("-") or "client"


def _expand(entry: ClientEntry, folder: Path) -> list[Path]:
    pattern = Path(entry.path).expanduser()
    pattern = pattern if pattern.is_absolute() else folder / pattern
    if glob.has_magic(str(pattern)):
        return [Path(match) for match in sorted(glob.glob(str(pattern), recursive=True))]
    return [pattern]


def _branding(agency: Agency | None, folder: Path, file: str, root: yaml.Node | None) -> Branding | None:
    if agency is None:
        return None
    logo_uri = None
    if agency.logo:
        where = f"{file}:{_line_of(root, ('agency', 'logo'))}" if root is not None else file
        logo = Path(agency.logo).expanduser()
        logo = logo if logo.is_absolute() else folder / logo
        if "://" in agency.logo or agency.logo.startswith("data:"):
            raise ConfigError(f"{where}: agency.logo: must be a local image file (it is inlined, never "
                              "fetched)")
        kind = LOGO_TYPES.get(logo.suffix.lower())
        if kind is None:
            raise ConfigError(f"{where}: agency.logo: unsupported image type {logo.suffix or '(none)'!r}: "
                              f"use one of {', '.join(sorted(LOGO_TYPES))}")
        try:
            data = logo.read_bytes()
        except OSError as exc:
            raise ConfigError(f"{where}: agency.logo: cannot read {logo}: {exc.strerror or exc}") from None
        if len(data) > MAX_LOGO_BYTES:
            raise ConfigError(f"{where}: agency.logo: {logo} is {len(data) // 1024} KiB; the logo is inlined "
                              f"into the summary, keep it under {MAX_LOGO_BYTES // 1024} KiB")
        logo_uri = f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
    return Branding(agency.name, logo_uri, agency.colors.primary, agency.colors.accent)


def load_portfolio(path: str | Path) -> Portfolio:
    """Read and validate a portfolio file and every client's config.

    A problem in the portfolio file itself (or in its defaults) is a ConfigError naming file, line and key; a
    client whose own config is broken becomes a Client with `error` set, so the others can still be audited.
    """
    file = Path(path)
    text, data = read_yaml(file, "portfolio")
    if not isinstance(data, dict):
        raise ConfigError(f"{file}:1: the portfolio must be a mapping with clients (and defaults, output, "
                          "reports, agency)")
    root = yaml.compose(text)
    try:
        config = PortfolioConfig.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, str(file), root) from None
    # Paths stay as the user sees them (relative to the working folder), as in `omniaudit audit` messages.
    folder = file.parent
    _check_defaults(config.defaults, str(file), root)
    defaults = _portfolio_paths(config.defaults, folder)

    clients: list[Client] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(config.clients):
        matches = _expand(entry, folder)
        if not matches:
            line = _line_of(root, ("clients", index))
            raise ConfigError(f"{file}:{line}: clients.{index}: no brand config matches {entry.path!r}")
        if entry.id and len(matches) > 1:
            line = _line_of(root, ("clients", index, "id"))
            raise ConfigError(f"{file}:{line}: clients.{index}.id: {entry.path!r} matches {len(matches)} "
                              "configs; an id names one client")
        for match in matches:
            client_id = entry.id or _client_id(match)
            if client_id in seen:
                line = _line_of(root, ("clients", index))
                raise ConfigError(
                    f"{file}:{line}: clients.{index}: client id {client_id!r} is used twice "
                    f"({seen[client_id]} and {match}); give one of them an id: {{path: ..., id: ...}}"
                )
            seen[client_id] = str(match)
            try:
                client_config = _client_config(match, defaults, str(file))
            except ConfigError as exc:
                clients.append(Client(client_id, str(match), None, str(exc)))
                continue
            clients.append(Client(client_id, str(match), client_config))
    output = Path(config.output).expanduser()
    return Portfolio(
        path=file,
        clients=tuple(clients),
        output=output if output.is_absolute() else folder / output,
        reports=tuple(dict.fromkeys(config.reports)),
        branding=_branding(config.agency, folder, str(file), root),
    )
