"""Language versions of the same page or message file, compared sentence by sentence and fact by fact.

Versions are found without any configuration:

- `hreflang` alternates (`<link rel="alternate" hreflang="pl" href="...">`, in
  `Document.metadata["hreflang"]`) link the pages that name each other;
- a connector may name the version a document belongs to (`metadata["version_key"]`: the static-site and
  localization connectors do), or its translation key (`metadata["translation_key"]`, Hugo's
  `translationKey`);
- otherwise the same file in two locale folders (`site/fr/retours.html`, `site/pl/retours.html`) or with two
  locale suffixes (`faq.fr.md`, `faq.pl.md`) is one page in two languages.

Within a group of versions in different languages, a fact about the same subject that shares no value is
`versions.fact_differs`; a statement in one version whose best match in another is below the threshold is
`versions.missing_statement` (by embeddings, so it needs a multilingual model). Message files compare by key.
`untranslated_findings` reports localization messages left in the source language.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from ..models import Document, Evidence, Fact, Finding, Segment
from ..placeholders import PLACEHOLDER, clean_string
from .consistency import subject_name

# Cosine similarity below which a statement has no counterpart in the other version. With USE multilingual
# v3, translations of one sentence score 0.6-0.85 and unrelated sentences 0.0-0.3.
MISSING_THRESHOLD = 0.45
# Short pieces (buttons, labels, headings of two words) are not statements.
MIN_STATEMENT_WORDS = 4
MAX_MISSING_PER_PAIR = 12
# The neighbours of a dropped statement must have counterparts at least this close (a translation).
MATCHED = 0.5
QUOTES_PER_VERSION = 2
COMPARED_KINDS = frozenset({"duration", "hours", "money", "phone", "email", "percentage"})
STATEMENT_SCOPES = frozenset({"main"})
_IGNORED_SCOPES = frozenset({"nav"})
# ISO 639-1 codes: a path part or suffix that is one of them (optionally with a region) is a locale.
_ISO_639_1 = frozenset(
    "aa ab af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de "
    "dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia "
    "id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo "
    "lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl "
    "ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk "
    "tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu".split()
)
_LOCALE_PART = re.compile(r"^([a-z]{2})(?:[-_]([A-Za-z]{2,4}|\d{3}))?$")
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


@dataclass(frozen=True)
class VersionGroup:
    """Documents that are one page (or message file) in several languages."""

    key: str
    documents: tuple[Document, ...]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({doc.language for doc in self.documents if doc.language}))


def locale_of_part(part: str) -> str | None:
    """ "fr" / "fr-FR" / "pt_BR" -> the language code; anything else (e.g. "js", "img") -> None."""
    match = _LOCALE_PART.match(part)
    if match and match.group(1) in _ISO_639_1:
        return match.group(1)
    return None


def locale_free_path(uri: str) -> tuple[str, str] | None:
    """(the path with its locale replaced by "*", the locale's language) when `uri` has a locale folder or
    a locale suffix, else None. "site/fr/retours.html" -> ("site/*/retours.html", "fr")."""
    split = urlsplit(uri)
    parts = split.path.split("/")
    # The innermost locale wins: "docs/en/fr/x.md" is unusual, and the folder nearest the file is the locale.
    name = parts[-1]
    stem, dot, extension = name.rpartition(".")
    if dot:
        pieces = stem.split(".")
        if len(pieces) >= 2 and locale_of_part(pieces[-1]):  # faq.fr.md
            language = locale_of_part(pieces[-1]) or ""
            parts[-1] = ".".join([*pieces[:-1], "*"]) + "." + extension
            return urlunsplit(split._replace(path="/".join(parts), query="", fragment="")), language
        if locale_of_part(stem):  # locales/fr.json
            language = locale_of_part(stem) or ""
            parts[-1] = "*." + extension
            return urlunsplit(split._replace(path="/".join(parts), query="", fragment="")), language
    for index in range(len(parts) - 2, -1, -1):
        folder = locale_of_part(parts[index])
        if folder:
            parts[index] = "*"
            return urlunsplit(split._replace(path="/".join(parts), query="", fragment="")), folder
    return None


def _normal_uri(uri: str) -> str:
    split = urlsplit(uri.strip())
    path = split.path
    if not split.scheme:
        path = posixpath.normpath(path) if path else path
    for index_name in ("index.html", "index.htm"):
        if path.endswith("/" + index_name) or path == index_name:
            path = path[: -len(index_name)]
    path = path.rstrip("/") or "/"
    return urlunsplit((split.scheme.lower(), split.netloc.lower(), path, "", ""))


class _Union:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def version_groups(documents: Sequence[Document]) -> list[VersionGroup]:
    """Groups of two or more documents that are language versions of each other (see the module doc)."""
    union = _Union(len(documents))
    by_uri: dict[str, int] = {}
    for index, doc in enumerate(documents):
        by_uri.setdefault(_normal_uri(doc.uri), index)
        canonical = doc.metadata.get("canonical")
        if isinstance(canonical, str):
            by_uri.setdefault(_normal_uri(canonical), index)
    keys: dict[int, str] = {}
    named: dict[tuple[str, str], int] = {}
    for index, doc in enumerate(documents):
        alternates = doc.metadata.get("hreflang")
        if isinstance(alternates, dict):
            for url in alternates.values():
                other = by_uri.get(_normal_uri(str(url)))
                if other is not None and other != index:
                    union.join(index, other)
        key = doc.metadata.get("version_key") or doc.metadata.get("translation_key")
        if not key:
            located = locale_free_path(doc.uri)
            key = located[0] if located else None
        if key:
            slot = (doc.channel_type, str(key))
            keys[index] = str(key)
            if slot in named:
                union.join(index, named[slot])
            else:
                named[slot] = index
    members: dict[int, list[int]] = defaultdict(list)
    for index in range(len(documents)):
        members[union.find(index)].append(index)
    groups: list[VersionGroup] = []
    for root, indexes in sorted(members.items()):
        docs = [documents[i] for i in indexes]
        if len({doc.language for doc in docs if doc.language}) < 2:
            continue
        key = keys.get(root) or next((keys[i] for i in indexes if i in keys), documents[root].uri)
        docs.sort(key=lambda d: (d.language or "", d.uri))
        groups.append(VersionGroup(key, tuple(docs)))
    return groups


def _doc_key(channel_id: str, uri: str) -> tuple[str, str]:
    return channel_id, uri


def _facts_by_document(facts: Iterable[Fact]) -> dict[tuple[str, str], list[Fact]]:
    out: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in facts:
        out[_doc_key(fact.channel_id, fact.location.uri)].append(fact)
    return out


def _label(doc: Document) -> str:
    return f"{doc.language} ({doc.uri})"


def _fact_findings(group: VersionGroup, facts: dict[tuple[str, str], list[Fact]]) -> list[Finding]:
    # (kind, subject) -> document index -> facts
    table: dict[tuple[str, str], dict[int, list[Fact]]] = defaultdict(lambda: defaultdict(list))
    for position, doc in enumerate(group.documents):
        for fact in facts.get(_doc_key(doc.channel_id, doc.uri), []):
            if fact.kind in COMPARED_KINDS and fact.subject and fact.subject != "price":
                table[(fact.kind, fact.subject)][position].append(fact)
    findings: list[Finding] = []
    for (kind, subject), by_doc in sorted(table.items()):
        values = {position: {fact.value for fact in items} for position, items in by_doc.items()}
        positions = sorted(values)
        differing = sorted(
            {
                side
                for a in positions
                for b in positions
                if a < b
                and group.documents[a].language != group.documents[b].language
                and not values[a] & values[b]
                for side in (a, b)
            }
        )
        if not differing:
            continue
        docs = [group.documents[p] for p in differing]
        stated = "; ".join(
            f"{_label(group.documents[p])} says " + " / ".join(sorted({f.text for f in by_doc[p]}))
            for p in differing
        )
        evidence: list[Evidence] = []
        for p in differing:
            seen: set[str] = set()
            for fact in by_doc[p]:
                if fact.quote not in seen and len(seen) < QUOTES_PER_VERSION:
                    seen.add(fact.quote)
                    evidence.append(Evidence(fact.channel_id, fact.quote, fact.location))
        findings.append(
            Finding(
                rule_id="versions.fact_differs",
                dimension="facts",
                severity="error",
                message=f"{subject_name(subject)} differs between language versions of {group.key}: {stated}",
                evidence=tuple(evidence),
                channels=tuple(sorted({doc.channel_id for doc in docs})),
                key=f"{group.key}|{kind}|{subject}|"
                + "|".join(f"{group.documents[p].language}={','.join(sorted(values[p]))}" for p in differing),
                subject=subject,
            )
        )
    return findings


def _is_statement(segment: Segment) -> bool:
    return segment.scope in STATEMENT_SCOPES and len(_WORD.findall(segment.text)) >= MIN_STATEMENT_WORDS


def _missing_finding(
    group: VersionGroup,
    source: Document,
    target: Document,
    segment: Segment,
    neighbours: Sequence[Segment],
    score: float,
) -> Finding:
    evidence = [Evidence(segment.channel_id, segment.text, segment.location)]
    evidence.extend(Evidence(n.channel_id, n.text, n.location) for n in neighbours)
    between = " and ".join(f'"{n.text}"' for n in neighbours)
    return Finding(
        rule_id="versions.missing_statement",
        dimension="messages",
        severity="warning",
        message=(
            f"A statement of the {_label(source)} version of {group.key} is missing from the "
            f"{_label(target)} version, between {between} (closest sentence there scores {score:.2f}): "
            f'"{segment.text}"'
        ),
        evidence=tuple(evidence),
        channels=tuple(sorted({source.channel_id, target.channel_id})),
        key=f"{group.key}|{source.language}->{target.language}|{segment.text}",
        subject=group.key,
    )


def _missing_by_embedding(
    group: VersionGroup,
    rows: dict[tuple[str, str], list[int]],
    segments: Sequence[Segment],
    vectors: np.ndarray,
    threshold: float,
) -> list[Finding]:
    """Statements dropped from a translation. A partial or older translation leaves whole sections out, and
    reordered pages move sentences: a statement only counts as dropped when the statements just before and
    after it have counterparts that sit next to each other in the other version (the gap is where it was)."""
    findings: list[Finding] = []
    for source in group.documents:
        for target in group.documents:
            if source is target or source.language == target.language:
                continue
            source_rows = [
                i for i in rows.get(_doc_key(source.channel_id, source.uri), []) if _is_statement(segments[i])
            ]
            target_rows = rows.get(_doc_key(target.channel_id, target.uri), [])
            if len(source_rows) < 3 or not target_rows:
                continue
            scores = vectors[source_rows] @ vectors[target_rows].T
            best = scores.max(axis=1)
            where = scores.argmax(axis=1)
            dropped = 0
            last = len(source_rows) - 1
            for k in range(len(source_rows)):
                if best[k] >= threshold:
                    continue
                sides = [j for j in (k - 1, k + 1) if 0 <= j <= last]
                if any(best[j] < MATCHED for j in sides):
                    continue
                if len(sides) == 2:
                    before, after = int(where[k - 1]), int(where[k + 1])
                    if after - before != 1:
                        continue  # the gap must be where the statement was: its neighbours now touch
                    places = [before, after]
                elif k == last:  # the last statement: its predecessor's counterpart ends the other version
                    places = [int(where[k - 1])]
                    if places[0] != len(target_rows) - 1:
                        continue
                else:  # the first statement: its successor's counterpart opens the other version
                    places = [int(where[k + 1])]
                    if places[0] != 0:
                        continue
                neighbours = [segments[target_rows[place]] for place in places]
                findings.append(
                    _missing_finding(
                        group, source, target, segments[source_rows[k]], neighbours, float(best[k])
                    )
                )
                dropped += 1
                if dropped == MAX_MISSING_PER_PAIR:
                    break
    return findings


def compare_versions(
    documents: Sequence[Document],
    segments: Sequence[Segment],
    segment_vectors: np.ndarray,
    facts: Sequence[Fact],
    *,
    threshold: float = MISSING_THRESHOLD,
    judge_statements: bool = True,
) -> list[Finding]:
    """Findings for language versions that disagree on a fact or leave a statement out.

    `segment_vectors[i]` is the L2-normalized embedding of `segments[i]`. Pass `judge_statements=False`
    when the embedding model is monolingual: it cannot tell a translation from an unrelated sentence, so
    only facts and message keys are compared then.
    """
    groups = version_groups(documents)
    if not groups:
        return []
    by_document = _facts_by_document(facts)
    rows: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, segment in enumerate(segments):
        if segment.scope not in _IGNORED_SCOPES:
            rows[_doc_key(segment.channel_id, segment.doc_uri)].append(index)
    findings: list[Finding] = []
    for group in groups:
        findings.extend(_fact_findings(group, by_document))
        # Message files are compared message by message (analyze.claims); a key missing from a translation
        # falls back to the source text at run time, so its absence says nothing by itself.
        if all("l10n" in doc.metadata for doc in group.documents):
            continue
        if judge_statements and len(segment_vectors):
            findings.extend(_missing_by_embedding(group, rows, segments, segment_vectors, threshold))
    return findings


# -- localization files -----------------------------------------------------------------------------------

MIN_UNTRANSLATED_LETTERS = 8
MAX_UNTRANSLATED_SHOWN = 5


def analysis_text(text: str) -> str:
    """A message without its placeholders (`%{name}`, `{ $count }`, `%1$s`, `{0}`) and inline markup."""
    return " ".join(clean_string(text).replace(PLACEHOLDER, " ").split())


def untranslated_findings(documents: Sequence[Document]) -> list[Finding]:
    """`l10n.untranslated`: messages of a translation left empty or in the source language, one finding per
    file (one problem: a translation not finished), listing the messages.

    Reads `metadata["l10n"]` of the documents the `l10n` connector makes: `locale`, `source_locale` and
    `messages` (`key`, `text`, `source`, `line`). Brand names, codes and labels of one word are legitimately
    the same in every language, so a message needs two words and MIN_UNTRANSLATED_LETTERS letters to count.
    """
    from ..models import Location

    findings: list[Finding] = []
    for doc in documents:
        info = doc.metadata.get("l10n")
        if not isinstance(info, dict):
            continue
        locale, source_locale = str(info.get("locale") or ""), str(info.get("source_locale") or "")
        if not source_locale or locale.split("-")[0].lower() == source_locale.split("-")[0].lower():
            continue
        untranslated: list[tuple[str, str, Location, bool]] = []
        for message in info.get("messages", []):
            raw = str(message.get("source") or "")
            source = analysis_text(raw)
            text = analysis_text(str(message.get("text") or ""))
            if len(_WORD.findall(source)) < 2 or sum(c.isalpha() for c in source) < MIN_UNTRANSLATED_LETTERS:
                continue
            if text and text.casefold() != source.casefold():
                continue
            key = str(message.get("key"))
            location = Location(doc.uri, message.get("line"), section=key)
            untranslated.append((key, str(message.get("text") or raw), location, not text))
        if not untranslated:
            continue
        empty = sum(1 for *_, missing in untranslated if missing)
        count = len(untranslated)
        keys = ", ".join(key for key, *_ in untranslated[:MAX_UNTRANSLATED_SHOWN])
        more = f" and {count - MAX_UNTRANSLATED_SHOWN} more" if count > MAX_UNTRANSLATED_SHOWN else ""
        state = "same text as the source"
        if empty:
            state = f"{empty} empty, {count - empty} same text as the source"
        findings.append(
            Finding(
                rule_id="l10n.untranslated",
                dimension="messages",
                severity="warning",
                message=(
                    f"{count} message{'s' if count != 1 else ''} in locale {locale} ({doc.uri}) "
                    f"{'are' if count != 1 else 'is'} not translated ({state}): {keys}{more}"
                ),
                evidence=tuple(
                    Evidence(doc.channel_id, text, location)
                    for _, text, location, _ in untranslated[:MAX_UNTRANSLATED_SHOWN]
                ),
                channels=(doc.channel_id,),
                key=f"{doc.uri}|{locale}",
                subject=untranslated[0][0] if count == 1 else doc.uri,
            )
        )
    return findings


__all__ = [
    "MISSING_THRESHOLD",
    "VersionGroup",
    "analysis_text",
    "compare_versions",
    "locale_free_path",
    "locale_of_part",
    "untranslated_findings",
    "version_groups",
]
