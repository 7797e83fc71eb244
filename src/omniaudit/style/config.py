"""Reading a `.vale.ini` and the style folders it names into a `StyleSet`.

Supported: StylesPath, MinAlertLevel, BasedOnStyles (root and per glob section), per-rule
`Style.Rule = YES|NO|suggestion|warning|error`, Vocab (accept.txt/reject.txt), [formats],
IgnoredScopes and SkippedScopes. Vale's built-in `Vale` style gives Vale.Repetition,
Vale.Terms (accepted vocabulary) and Vale.Avoid (rejected vocabulary).

`Packages = Google, https://example.com/Acme.zip` is resolved offline: each package must already be on
StylesPath as a folder (what `vale sync` leaves there) or as `<name>.zip` next to it, which is unpacked into
StylesPath the first time. Nothing is downloaded.
"""

from __future__ import annotations

import logging
import os
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from ..errors import ConfigError
from .rules import LEVELS, UNSUPPORTED_KINDS, Rule, build_rule

log = logging.getLogger(__name__)

CONFIG_NAMES = (".vale.ini", "_vale.ini", ".vale", "_vale", "vale.ini")
RULE_SUFFIXES = (".yml", ".yaml")


@dataclass
class Section:
    pattern: str
    regex: re.Pattern[str]
    base_styles: list[str] | None = None
    checks: dict[str, bool] = field(default_factory=dict)


@dataclass
class StyleSet:
    """Everything a lint run needs: compiled rules and which of them apply to which files."""

    path: str
    styles_path: str
    min_level: str = "suggestion"
    rules: dict[str, Rule] = field(default_factory=dict)
    global_styles: list[str] = field(default_factory=list)
    global_checks: dict[str, bool] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    ignored_scopes: list[str] = field(default_factory=lambda: ["tt", "code", "kbd"])
    skipped_scopes: list[str] = field(default_factory=list)
    ignored_classes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def rules_for(self, path: str) -> list[Rule]:
        """The rules that apply to a file at `path` (as given on the command line or walked)."""
        return self._rules_for(path.replace(os.sep, "/"))

    def _rules_for(self, path: str) -> list[Rule]:
        key = path
        cached = self._cache.get(key) if hasattr(self, "_cache") else None
        if cached is not None:
            return cached
        base = list(self.global_styles)
        checks: dict[str, bool] = {}
        candidates = [path]
        ext = os.path.splitext(path)[1].lstrip(".")
        if ext in self.formats:
            candidates.append(path[: len(path) - len(ext)] + self.formats[ext])
        for candidate in candidates:
            for section in self.sections:
                if section.regex.fullmatch(candidate) or section.regex.fullmatch(os.path.basename(candidate)):
                    if section.base_styles is not None:
                        base = section.base_styles
                    checks.update(section.checks)
        min_rank = LEVELS[self.min_level]
        selected = []
        for name, rule in self.rules.items():
            if LEVELS[rule.level] < min_rank:
                continue
            short = ".".join(name.split(".")[:2])
            if short in checks:
                if not checks[short]:
                    continue
            elif short in self.global_checks:
                if not self.global_checks[short]:
                    continue
            elif short.split(".")[0] not in base:
                continue
            selected.append(rule)
        if not hasattr(self, "_cache"):
            self._cache: dict[str, list[Rule]] = {}
        self._cache[key] = selected
        return selected

    def applies_to(self, path: str) -> bool:
        """Vale lints a walked file only when some section matches it (or there are global styles)."""
        if self.global_styles or self.global_checks:
            return True
        path = path.replace(os.sep, "/")
        name = os.path.basename(path)
        return any(s.regex.fullmatch(path) or s.regex.fullmatch(name) for s in self.sections)


def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """gobwas/glob as Vale uses it: `*` matches any run of characters, `{a,b}` alternatives."""
    out: list[str] = []
    i = 0
    depth = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            out.append(".*")
            while i + 1 < len(pattern) and pattern[i + 1] == "*":
                i += 1
        elif ch == "?":
            out.append(".")
        elif ch == "{":
            out.append("(?:")
            depth += 1
        elif ch == "}" and depth:
            out.append(")")
            depth -= 1
        elif ch == "," and depth:
            out.append("|")
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1: end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body + "]")
                i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out), re.S)


def find_config(start: str | Path | None = None) -> Path | None:
    """The nearest Vale config from `start` (default: cwd) upwards."""
    env = os.environ.get("VALE_CONFIG_PATH")
    if env and Path(env).is_file():
        return Path(env)
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def _parse_ini(path: Path) -> list[tuple[str | None, str, str, int]]:
    """(section, key, value, line) entries in file order; section None is the root."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the Vale config: {exc.strerror or exc}") from None
    entries: list[tuple[str | None, str, str, int]] = []
    section: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            entries.append((section, "", "", number))
            continue
        if "=" not in line:
            raise ConfigError(f"{path}:{number}: expected 'key = value' or '[section]', got '{line}'")
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        entries.append((section, key.strip(), value, number))
    return entries


def _split_list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def load_style(ini_path: str | Path, *, min_level: str | None = None) -> StyleSet:
    """Read a `.vale.ini` and the styles it names. Raises ConfigError with `file:line: message`."""
    path = Path(ini_path)
    if not path.is_file():
        raise ConfigError(f"{path}: Vale config not found; give the path of a .vale.ini")
    base_dir = path.resolve().parent
    entries = _parse_ini(path)
    styles_path = ""
    level_overrides: dict[str, str] = {}
    vocab_names: list[str] = []
    package_names: list[str] = []
    style = StyleSet(path=str(path), styles_path="")
    sections: dict[str, Section] = {}
    for section, key, value, number in entries:
        if section is not None and key == "":
            if section not in ("formats",) and section not in sections:
                sections[section] = Section(section, glob_to_regex(section))
                style.sections.append(sections[section])
            continue
        lower = key.lower()
        if section == "formats":
            style.formats[key.lstrip(".")] = value.lstrip(".")
            continue
        if section is None:
            if lower == "stylespath":
                styles_path = value
            elif lower == "minalertlevel":
                if value not in LEVELS:
                    raise ConfigError(f"{path}:{number}: MinAlertLevel: '{value}' must be one of "
                                      "suggestion, warning, error")
                style.min_level = value
            elif lower == "vocab":
                vocab_names = _split_list(value)
            elif lower == "packages":
                package_names = _split_list(value)
            elif lower == "basedonstyles":
                style.global_styles = _split_list(value)
            elif lower == "ignoredscopes":
                style.ignored_scopes = _split_list(value)
            elif lower == "ignoredclasses":
                style.ignored_classes = _split_list(value)
            elif lower == "skippedscopes":
                style.skipped_scopes = _split_list(value)
            elif "." in key:
                _rule_setting(style.global_checks, level_overrides, key, value, path, number)
            continue
        sec = sections[section]
        if lower == "basedonstyles":
            sec.base_styles = _split_list(value)
        elif "." in key:
            _rule_setting(sec.checks, level_overrides, key, value, path, number)
    if min_level:
        style.min_level = min_level
    style.styles_path = str((base_dir / styles_path).resolve()) if styles_path else ""
    for package in package_names:
        _resolve_package(style, package, path)
    for name in vocab_names:
        folder = Path(style.styles_path) / "config" / "vocabularies" / name
        if not folder.is_dir():
            raise ConfigError(f"{path}: Vocab: '{name}' is not a folder under "
                              f"{Path(style.styles_path) / 'config' / 'vocabularies'}")
        style.accepted += _read_terms(folder / "accept.txt")
        style.rejected += _read_terms(folder / "reject.txt")
    wanted: set[str] = set(style.global_styles)
    for sec in style.sections:
        wanted.update(sec.base_styles or [])
    named_rules = set(style.global_checks) | {k for s in style.sections for k in s.checks}
    wanted.update(name.split(".")[0] for name in named_rules)
    for style_name in sorted(wanted):
        _load_style_folder(style, style_name, path)
    for name, level in level_overrides.items():
        if name in style.rules:
            style.rules[name].level = level
    return style


def _rule_setting(checks: dict[str, bool], levels: dict[str, str], key: str, value: str,
                  path: Path, number: int) -> None:
    if value in LEVELS:
        levels[key] = value
        checks[key] = True
    elif value.upper() in ("YES", "NO", "TRUE", "FALSE", "ON", "OFF"):
        checks[key] = value.upper() in ("YES", "TRUE", "ON")
    else:
        raise ConfigError(f"{path}:{number}: {key}: '{value}' must be YES, NO or a level "
                          "(suggestion, warning, error)")


def _read_terms(path: Path) -> list[str]:
    if not path.is_file():
        return []
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            terms.append(line)
    return terms


def _package_name(package: str) -> str:
    """`Google` or `https://github.com/errata-ai/Google/releases/latest/download/Google.zip` -> `Google`."""
    return package.rstrip("/").rsplit("/", 1)[-1].removesuffix(".zip")


def _resolve_package(style: StyleSet, package: str, ini: Path) -> None:
    """Make a Vale package's styles available on StylesPath: a folder already there, or `<name>.zip` there,
    unpacked like `vale sync` does (its styles, or the `styles/` folder of a packaged config)."""
    name = _package_name(package)
    styles = Path(style.styles_path) if style.styles_path else None
    if styles is not None and (styles / name).is_dir():
        return
    if styles is None or not (styles / f"{name}.zip").is_file():
        raise ConfigError(
            f"{ini}: style package '{name}' is not on StylesPath ({style.styles_path or 'not set'}): "
            f"download it with `vale sync` or unzip it there"
        )
    archive = styles / f"{name}.zip"
    try:
        with zipfile.ZipFile(archive) as zipped:
            for member in zipped.infolist():
                parts = PurePosixPath(member.filename).parts
                if member.is_dir() or not parts or ".." in parts or parts[0] in ("/", ""):
                    continue
                inner = parts[1:] if parts[0] == name else parts
                if inner[:1] == ("styles",):
                    inner = inner[1:]  # a packaged config: its styles go on StylesPath
                elif parts[0] == name:
                    inner = (name, *inner)
                else:
                    continue  # a packaged .vale.ini or vocabulary: only the styles are used
                if not inner:
                    continue
                target = styles.joinpath(*inner)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zipped.read(member))
    except (OSError, zipfile.BadZipFile) as exc:
        raise ConfigError(f"{archive}: cannot unpack the style package: {exc}") from None


def _load_style_folder(style: StyleSet, name: str, ini: Path) -> None:
    folder = Path(style.styles_path) / name if style.styles_path else None
    if name == "Vale" and (folder is None or not folder.is_dir()):
        _add_builtin(style)
        return
    if folder is None or not folder.is_dir():
        raise ConfigError(f"{ini}: style '{name}' does not exist on StylesPath "
                          f"({style.styles_path or 'not set'}); set StylesPath or fix BasedOnStyles")
    for rule_path in sorted(folder.rglob("*")):
        if rule_path.suffix not in RULE_SUFFIXES or not rule_path.is_file():
            continue
        rel = rule_path.relative_to(folder).with_suffix("")
        rule_name = ".".join((name, *rel.parts))
        definition = _read_rule(str(rule_path), rule_path.stat().st_mtime)
        if definition is None:
            continue
        _add_rule(style, rule_name, dict(definition), str(rule_path))


@lru_cache(maxsize=4096)
def _read_rule(path: str, mtime: float) -> dict[str, Any] | None:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the rule: {exc.strerror or exc}") from None
    try:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            # Go's YAML reader accepts `\'` inside double quotes (Joblint does this); PyYAML does not.
            data = yaml.safe_load(text.replace("\\'", "'"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}:{line}: {problem}") from None
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: a rule must be a YAML mapping with 'extends' and 'message'")
    return data


def _add_rule(style: StyleSet, name: str, definition: dict[str, Any], path: str) -> None:
    kind = str(definition.get("extends", ""))
    if kind in UNSUPPORTED_KINDS:
        warning = f"{name}: rule kind '{kind}' is not supported; skipped ({path})"
        style.warnings.append(warning)
        log.warning(warning)
        return
    style.rules[name] = build_rule(name, definition, path, style.accepted)


def _add_builtin(style: StyleSet) -> None:
    _add_rule(style, "Vale.Repetition", {
        "extends": "repetition", "level": "error", "message": "'%s' is repeated!", "scope": "text",
        "ignorecase": True, "alpha": True, "tokens": [r"[^\s.!?]+"],
        "action": {"name": "edit", "params": ["truncate", " "]},
    }, "internal")
    if style.accepted:
        swap = {}
        for term in style.accepted:
            swap[term.lower() if _plain(term) else term] = term
        _add_rule(style, "Vale.Terms", {
            "extends": "substitution", "level": "error", "message": "Use '%s' instead of '%s'.",
            "scope": "text", "ignorecase": True, "vocab": False, "swap": swap,
        }, "internal")
    if style.rejected:
        _add_rule(style, "Vale.Avoid", {
            "extends": "existence", "level": "error", "message": "Avoid using '%s'.", "scope": "text",
            "ignorecase": False, "vocab": False, "tokens": list(style.rejected),
        }, "internal")
    _add_rule(style, "Vale.Spelling", {"extends": "spelling", "message": "Did you really mean '%s'?"},
              "internal")


def _plain(term: str) -> bool:
    return re.fullmatch(r"[\w\s\-']+", term) is not None
