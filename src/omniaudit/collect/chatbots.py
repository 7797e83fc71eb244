"""Chatbot flows: what the bot says, from a Rasa project or a Dialogflow ES agent export.

- `rasa`: `responses:` (`templates:` in Rasa 1) of `domain.yml` (or the `domain/` folder) and of any YAML
  under `data/`; one block per response variation and button, located by file, line and response name.
  `include_examples: true` adds the NLU training examples as `user` blocks.
- `dialogflow`: `intents/*.json` of an ES agent export (zip or folder): the text, simple-response, card,
  quick-reply and suggestion messages of each intent's responses, located by file and intent (and language).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ..errors import SourceError
from ..models import Document, Location, TextBlock
from ._files import parse_json
from ._posts import relative
from .base import CollectResult, Connector, ConnectorOptions, now_iso, register

log = logging.getLogger(__name__)


class ChatbotOptions(ConnectorOptions):
    include_examples: bool = False  # also audit what users are expected to say (NLU examples, user says)


def _bot_document(
    connector: Connector, uri: str, title: str, blocks: list[TextBlock], **meta: Any
) -> Document:
    return Document(
        channel_id=connector.channel.id,
        channel_type=connector.channel.type,
        uri=uri,
        title=title,
        blocks=tuple(blocks),
        language=connector.channel.language or meta.pop("language", None),
        fetched_at=now_iso(),
        metadata=meta,
    )


# ---------------------------------------------------------------------------------------------------------
# Rasa


def _mapping_get(node: Any, key: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == key:
                return value_node
    return None


def _scalar(node: Any) -> tuple[str, int] | None:
    if isinstance(node, yaml.ScalarNode) and str(node.value).strip():
        return " ".join(str(node.value).split()), node.start_mark.line + 1
    return None


def _rasa_responses(root: Any, shown: str) -> Iterator[TextBlock]:
    responses = _mapping_get(root, "responses") or _mapping_get(root, "templates")
    if not isinstance(responses, yaml.MappingNode):
        return
    for name_node, variants in responses.value:
        name = str(name_node.value)
        if not isinstance(variants, yaml.SequenceNode):
            continue
        for variant in variants.value:
            channel = _scalar(_mapping_get(variant, "channel"))
            section = f"response: {name}" + (f" [{channel[0]}]" if channel else "")
            text = _scalar(_mapping_get(variant, "text"))
            if text:
                yield TextBlock(text[0], "bot", Location(shown, line=text[1], section=section))
            buttons = _mapping_get(variant, "buttons")
            for button in buttons.value if isinstance(buttons, yaml.SequenceNode) else []:
                title = _scalar(_mapping_get(button, "title"))
                if title:
                    yield TextBlock(
                        title[0], "bot", Location(shown, line=title[1], section=f"{section}, button")
                    )


_EXAMPLE = re.compile(r"^\s*-\s+(.*)$")
_ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def _rasa_examples(root: Any, shown: str) -> Iterator[TextBlock]:
    nlu = _mapping_get(root, "nlu")
    for item in nlu.value if isinstance(nlu, yaml.SequenceNode) else []:
        intent = _scalar(_mapping_get(item, "intent"))
        examples = _mapping_get(item, "examples")
        if not intent or not isinstance(examples, yaml.ScalarNode):
            continue
        # A block scalar (`examples: |`) starts on the line after its indicator.
        first = examples.start_mark.line + (2 if examples.style == "|" else 1)
        for offset, line in enumerate(str(examples.value).splitlines()):
            match = _EXAMPLE.match(line)
            if match:
                text = _ENTITY.sub(r"\1", match.group(1)).strip()
                yield TextBlock(
                    text, "user", Location(shown, line=first + offset, section=f"intent: {intent[0]}")
                )


@register("rasa")
class RasaConnector(Connector):
    """A Rasa project folder (domain.yml or domain/, data/), or one domain/responses YAML file."""

    Options = ChatbotOptions
    options: ChatbotOptions

    def collect(self) -> CollectResult:
        result = CollectResult(stats={"files": 0, "responses": 0})
        root = self.context.resolve(self.channel.source)
        shown_root = relative(root, self.context.base_dir)
        if root.is_file():
            files = [root]
        elif root.is_dir():
            domain = [root / "domain.yml", root / "domain.yaml"]
            files = [p for p in domain if p.is_file()]
            for folder in (root / "domain", root / "data"):
                if folder.is_dir():
                    files += sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".yml", ".yaml"))
            if not files:
                result.failures.append(
                    self.failure(shown_root, "no domain.yml, domain/ or data/ found; is this a Rasa project?")
                )
                return result
        else:
            result.failures.append(self.failure(shown_root, "not found; check the channel's source path"))
            return result
        for path in files:
            shown = relative(path, self.context.base_dir)
            result.stats["files"] += 1
            try:
                blocks = self._read(path, shown)
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
                continue
            if blocks:
                result.stats["responses"] += sum(1 for b in blocks if b.scope == "bot")
                result.documents.append(
                    _bot_document(
                        self, shown, f"Rasa bot: {path.name}", blocks, format="rasa", kind="chatbot"
                    )
                )
        if not result.documents and not result.failures:
            result.failures.append(self.failure(shown_root, "no bot responses found (no 'responses:' key)"))
        return result

    def _read(self, path: Path, shown: str) -> list[TextBlock]:
        text = self.files.read_text(path, shown)
        try:
            root = yaml.compose(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            problem = str(getattr(exc, "problem", None) or exc).split("\n", 1)[0]  # a failure is one line
            raise SourceError(shown, f"invalid YAML{where}: {problem}") from None
        blocks = list(_rasa_responses(root, shown))
        if self.options.include_examples:
            blocks += list(_rasa_examples(root, shown))
        return blocks


# ---------------------------------------------------------------------------------------------------------
# Dialogflow ES


def _speech(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [" ".join(str(v).split()) for v in values if isinstance(v, str) and v.strip()]


def dialogflow_texts(message: dict[str, Any]) -> list[str]:
    """The texts a Dialogflow ES response message shows or speaks, whatever its type."""
    kind = str(message.get("type", ""))
    texts: list[str] = []
    if kind in ("0", "text"):
        texts += _speech(message.get("speech"))
    elif kind == "simple_response":
        for item in message.get("items") or []:
            texts += _speech(item.get("displayText") or item.get("textToSpeech"))
        texts += _speech(message.get("textToSpeech") or message.get("displayText"))
    elif kind in ("1", "card", "basic_card"):
        texts += _speech(message.get("title")) + _speech(message.get("subtitle"))
        texts += _speech(message.get("formattedText"))
        texts += [t for b in message.get("buttons") or [] for t in _speech(b.get("text") or b.get("title"))]
    elif kind in ("2", "quick_replies"):
        texts += _speech(message.get("title")) + _speech(message.get("replies"))
    elif kind == "suggestion_chips":
        texts += [t for s in message.get("suggestions") or [] for t in _speech(s.get("title"))]
    return texts


@register("dialogflow")
class DialogflowConnector(Connector):
    """A Dialogflow ES agent export: the .zip from the console's Export, or its unpacked folder."""

    Options = ChatbotOptions
    options: ChatbotOptions

    def collect(self) -> CollectResult:
        result = CollectResult(stats={"intents": 0, "responses": 0})
        root = self.context.resolve(self.channel.source)
        shown_root = relative(root, self.context.base_dir)
        try:
            files = self._files(root, shown_root, result)
        except SourceError as exc:
            result.failures.append(self.failure_from(exc))
            return result
        language = None
        agent = files.pop("agent.json", None)
        if agent is not None:
            try:
                data = parse_json(agent[1].decode("utf-8-sig", errors="replace"), agent[0])
                language = data.get("language") if isinstance(data, dict) else None
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
        intents = {name: file for name, file in files.items() if re.match(r"intents/[^/]+\.json$", name)}
        if not intents:
            result.failures.append(
                self.failure(shown_root, "no intents/*.json found; is this a Dialogflow ES export?")
            )
            return result
        examples = {n: f for n, f in intents.items() if re.search(r"_usersays_[\w-]+\.json$", n)}
        for name in sorted(set(intents) - set(examples)):
            shown, data = intents[name]
            try:
                intent = parse_json(data.decode("utf-8-sig", errors="replace"), shown)
                if not isinstance(intent, dict):
                    raise SourceError(shown, "expected an intent object with 'name' and 'responses'")
                blocks = self._intent_blocks(intent, shown)
                if self.options.include_examples:
                    stem = name[: -len(".json")]
                    for example_name in sorted(n for n in examples if n.startswith(f"{stem}_usersays_")):
                        blocks += self._examples(examples[example_name], str(intent.get("name", "")))
            except SourceError as exc:
                result.failures.append(self.failure_from(exc))
                continue
            result.stats["intents"] += 1
            if blocks:
                result.stats["responses"] += sum(1 for b in blocks if b.scope == "bot")
                title = f"Dialogflow intent: {intent.get('name') or Path(name).stem}"
                result.documents.append(
                    _bot_document(
                        self, shown, title, blocks, language=language, format="dialogflow", kind="chatbot"
                    )
                )
        return result

    def _files(self, root: Path, shown: str, result: CollectResult) -> dict[str, tuple[str, bytes]]:
        """Export paths (without the agent's own top folder) -> (shown location, content); a file that
        cannot be read is a failure in `result`, and the others are still read."""
        files: dict[str, tuple[str, bytes]] = {}
        if root.is_dir():
            for path in sorted(p for p in root.rglob("*.json") if p.is_file()):
                name = path.relative_to(root).as_posix()
                where = relative(path, self.context.base_dir)
                try:
                    files[_export_name(name)] = (where, self.files.read_bytes(path, where))
                except SourceError as exc:
                    result.failures.append(self.failure_from(exc))
        elif root.suffix.lower() == ".zip" and root.is_file():
            archive = self.files.archive(root, shown)
            for name in (n for n in archive.names() if n.endswith(".json")):
                try:
                    files[_export_name(name)] = (f"{shown}!/{name}", archive.read(name))
                except SourceError as exc:
                    result.failures.append(self.failure_from(exc))
        elif root.is_file():
            files[f"intents/{root.name}"] = (shown, self.files.read_bytes(root, shown))
        else:
            raise SourceError(shown, "not found; check the channel's source path")
        return files

    def _intent_blocks(self, intent: dict[str, Any], shown: str) -> list[TextBlock]:
        name = str(intent.get("name") or "")
        blocks: list[TextBlock] = []
        for response in intent.get("responses") or []:
            for message in response.get("messages") or [] if isinstance(response, dict) else []:
                if not isinstance(message, dict):
                    continue
                lang = message.get("lang")
                section = f"intent: {name}" + (f" ({lang})" if lang else "")
                for text in dialogflow_texts(message):
                    blocks.append(TextBlock(text, "bot", Location(shown, section=section)))
        return blocks

    def _examples(self, file: tuple[str, bytes], intent: str) -> list[TextBlock]:
        shown, data = file
        items = parse_json(data.decode("utf-8-sig", errors="replace"), shown)
        blocks = []
        for item in items if isinstance(items, list) else []:
            parts = item.get("data") if isinstance(item, dict) else None
            text = "".join(str(p.get("text", "")) for p in parts or [] if isinstance(p, dict)).strip()
            if text:
                blocks.append(TextBlock(text, "user", Location(shown, section=f"intent: {intent}")))
        return blocks


def _export_name(name: str) -> str:
    """`MyAgent/intents/x.json` -> `intents/x.json`: exports may wrap everything in the agent's folder."""
    parts = name.split("/")
    for index, part in enumerate(parts):
        if part in ("intents", "entities") or part in ("agent.json", "package.json"):
            return "/".join(parts[index:])
    return name
