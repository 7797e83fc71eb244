"""Plain-text service documents: call-centre/IVR/chatbot scripts with speaker turns, and Markdown articles.

A file is read as a script when at least two of its lines start with a known speaker label (`Agent:`,
`Client:`, `الموظف:` ...); otherwise as a Markdown article (headings, paragraphs, list items, table rows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import SourceError
from ._files import split_front_matter
from ._posts import find_urls, unique

SPEAKER_SCOPES = ("agent", "customer", "bot", "user", "ivr")

# Speaker labels as written in scripts, case-folded, in the brand languages we meet most (en, fr, pl, ar,
# es, de, it, pt). A channel adds its own with `options.labels`.
LABELS: dict[str, str] = {
    **dict.fromkeys(
        [
            "agent",
            "representative",
            "rep",
            "advisor",
            "adviser",
            "operator",
            "support",
            "support agent",
            "customer service",
            "csr",
            "associate",
            "specialist",
            "conseiller",
            "conseillère",
            "conseillere",
            "opérateur",
            "opératrice",
            "téléconseiller",
            "konsultant",
            "konsultantka",
            "doradca",
            "pracownik",
            "agent obsługi",
            "agente",
            "asesor",
            "asesora",
            "operador",
            "operadora",
            "berater",
            "beraterin",
            "mitarbeiter",
            "mitarbeiterin",
            "operatore",
            "atendente",
            "الموظف",
            "موظف",
            "الوكيل",
            "وكيل",
            "خدمة العملاء",
            "ممثل خدمة العملاء",
        ],
        "agent",
    ),
    **dict.fromkeys(
        [
            "customer",
            "client",
            "caller",
            "guest",
            "shopper",
            "cliente",
            "cliente",
            "appelant",
            "appelante",
            "klient",
            "klientka",
            "dzwoniący",
            "dzwoniąca",
            "llamante",
            "kunde",
            "kundin",
            "anrufer",
            "anruferin",
            "العميل",
            "عميل",
            "الزبون",
            "زبون",
            "المتصل",
            "المتصلة",
        ],
        "customer",
    ),
    **dict.fromkeys(
        [
            "bot",
            "chatbot",
            "assistant",
            "virtual assistant",
            "va",
            "assistant virtuel",
            "asystent",
            "wirtualny asystent",
            "asistente",
            "asistente virtual",
            "assistente",
            "البوت",
            "بوت",
            "المساعد",
            "المساعد الافتراضي",
            "روبوت المحادثة",
        ],
        "bot",
    ),
    **dict.fromkeys(
        [
            "user",
            "visitor",
            "utilisateur",
            "utilisatrice",
            "visiteur",
            "użytkownik",
            "użytkowniczka",
            "usuario",
            "usuaria",
            "benutzer",
            "nutzer",
            "utente",
            "المستخدم",
            "مستخدم",
            "الزائر",
        ],
        "user",
    ),
    **dict.fromkeys(
        [
            "ivr",
            "svi",
            "system",
            "système",
            "systeme",
            "prompt",
            "menu",
            "voice",
            "automated message",
            "recorded message",
            "message d'accueil",
            "serveur vocal",
            "system ivr",
            "automat",
            "zapowiedź",
            "sistema",
            "النظام",
            "الرد الآلي",
            "الرد الصوتي",
        ],
        "ivr",
    ),
}

_LEAD = re.compile(
    r"^\s*(?:[-*+>]\s+)?"  # list or quote marker
    r"(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s*[-–]?\s*)?"  # a timestamp such as [00:41] or 10:02 -
)
# No two unbounded runs of spaces side by side (a line of spaces would be tried every way): linear.
_TURN = re.compile(
    r"^(?P<label>[^:：\n]{1,40}?)\s*(?:(?:\*\*|__)\s*)?[:：]\s*(?:(?:\*\*|__)\s*)?(?P<text>.*)$"
)
# Matched on the line without trailing spaces; the closing #s are cut in code (a pattern would be quadratic).
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+(.*)$")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
# Matched on the line with its whitespace removed: unambiguous, so linear on a long line.
_TABLE_SEPARATOR = re.compile(r"\|?:?-{2,}:?(?:\|:?-{2,}:?)*\|?")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
# An emphasised span is short: bounded, so many unclosed markers cost a bounded scan each.
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~|`)(?=\S)([^\n]{1,300}?)(?<=\S)\1")


@dataclass
class Block:
    text: str
    scope: str
    line: int
    section: str | None


@dataclass
class Parsed:
    title: str | None = None
    kind: str = "article"  # article | script
    blocks: list[Block] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


def _without_closing_hashes(text: str) -> str:
    """An ATX heading's text without its optional closing sequence ("Returns ##" -> "Returns"; "C#" stays)."""
    text = text.rstrip()
    bare = text.rstrip("#")
    return bare.rstrip() if bare != text and (not bare or bare[-1].isspace()) else text


def speaker(line: str, labels: dict[str, str]) -> tuple[str, str, str] | None:
    """(label as written, scope, text after the label) when the line opens a speaker turn."""
    rest = _LEAD.sub("", line, count=1)
    rest = re.sub(r"^(\*\*|__)", "", rest)
    match = _TURN.match(rest)
    if not match:
        return None
    label = match.group("label").strip().strip("*_").strip()
    base = re.sub(r"\s*[(\[].*$", "", label).strip()  # "Agent (Sarah)" -> "Agent"
    scope = labels.get(base.casefold()) or labels.get(label.casefold())
    if scope is None:
        return None
    return label, scope, match.group("text").strip()


def inline(text: str, links: list[str]) -> str:
    """Markdown inline markup reduced to its text; link targets go to `links`."""

    def link(match: re.Match[str]) -> str:
        if match.group(2).startswith(("http://", "https://", "mailto:", "tel:")):
            links.append(match.group(2))
        return match.group(1)

    text = _MD_LINK.sub(link, text)

    def autolink(match: re.Match[str]) -> str:
        links.append(match.group(1))
        return match.group(1)

    text = _AUTOLINK.sub(autolink, text)
    text = _TAG.sub("", text)
    for _ in range(2):  # nested emphasis such as ***bold italic***
        text = _EMPHASIS.sub(r"\2", text)
    links.extend(find_urls(text))
    return re.sub(r"\s+", " ", text).strip()


def _front_matter(text: str) -> tuple[dict[str, Any], int]:
    """Front matter at the top of a script, and the index of the first line after it; a script whose front
    matter cannot be read is read without it."""
    try:
        data, _, lines = split_front_matter(text, "")
    except SourceError:
        return {}, 0
    return data, len(lines)


def parse_text(text: str, labels: dict[str, str] | None = None) -> Parsed:
    """Blocks of a .md/.txt service document, each with its 1-based line and section."""
    labels = labels or LABELS
    lines = text.splitlines()
    front, start = _front_matter(text)
    parsed = Parsed(metadata={k: v for k, v in front.items() if isinstance(v, (str, int, float, bool))})
    if isinstance(front.get("title"), str):
        parsed.title = front["title"].strip()
    turn_lines = sum(1 for line in lines[start:] if speaker(line, labels))
    parsed.kind = "script" if turn_lines >= 2 else "article"

    links: list[str] = []
    section: str | None = None
    turns = 0
    speakers: list[str] = []
    # The block being built: [scope, first line, section, [text parts]]
    current: list[Any] | None = None
    in_code = False

    def flush() -> None:
        nonlocal current
        if current is not None:
            body = inline(" ".join(current[3]), links)
            if body:
                parsed.blocks.append(Block(body, current[0], current[1], current[2]))
        current = None

    def start_block(scope: str, number: int, where: str | None, body: str) -> None:
        nonlocal current
        flush()
        current = [scope, number, where, [body]]

    index = start
    while index < len(lines):
        raw = lines[index]
        number = index + 1
        stripped = raw.strip()
        index += 1
        if stripped.startswith(("```", "~~~")):
            flush()
            in_code = not in_code
            continue
        if in_code or (stripped.startswith("<!--") and stripped.endswith("-->")):
            continue
        if not stripped:
            flush()
            continue
        heading = _HEADING.match(raw.rstrip())
        # A setext heading: one line of text underlined with === or --- on the next line.
        if (
            not heading
            and current is None
            and index < len(lines)
            and _SETEXT.match(lines[index])
            and not _LIST_ITEM.match(raw)
            and not speaker(raw, labels)
        ):
            heading_text, level = stripped, 1 if lines[index].strip().startswith("=") else 2
            index += 1
        elif heading:
            heading_text, level = _without_closing_hashes(heading.group(2)), len(heading.group(1))
        else:
            heading_text, level = "", 0
        if level:
            flush()
            title = inline(heading_text, links)
            if level == 1 and parsed.title is None:
                parsed.title = title
            section = title
            parsed.blocks.append(Block(title, "heading", number, section))
            continue
        if _RULE.match(raw):
            flush()
            continue
        if parsed.kind == "script":
            turn = speaker(raw, labels)
            if turn:
                turns += 1
                label, scope, body = turn
                speakers.append(scope)
                start_block(scope, number, f"turn {turns} ({label})", body)
                continue
        if stripped.startswith("|") or (stripped.count("|") >= 2 and current is None):
            flush()
            if not _TABLE_SEPARATOR.fullmatch("".join(stripped.split())):
                cells = [cell.strip() for cell in stripped.strip("|").split("|")]
                body = inline(" | ".join(cell for cell in cells if cell), links)
                if body:
                    parsed.blocks.append(Block(body, "main", number, section))
            continue
        item = _LIST_ITEM.match(raw)
        if item:
            start_block("main", number, section, item.group(1))
            continue
        body = re.sub(r"^\s*>\s?", "", raw).strip()
        if current is None:
            start_block("main", number, section, body)
        else:
            current[3].append(body)
    flush()
    parsed.links = unique(links)
    if parsed.kind == "script":
        parsed.metadata.update({"turns": turns, "speakers": unique(speakers)})
    return parsed
