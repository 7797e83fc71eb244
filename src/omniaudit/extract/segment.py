"""Documents -> sentences (Segments), the unit that is embedded, matched and checked by rules.

This is the one gate between collected text and every later step (spaCy, the fact patterns, the analyzers):
a block longer than `limits.block_chars` is split at paragraph, sentence or word boundaries, and a
whitespace-free run longer than `limits.token_chars` is broken up, so no step ever sees a whole 1 MB block
(spaCy refuses those with E088) or a 200,000-character "word".
"""

from __future__ import annotations

import functools
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..config import Limits
from ..models import Document, Location, Segment, TextBlock
from .nlp import get_nlp

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

# Navigation menus are lists of link labels, not statements; embedding them only adds noise.
SKIPPED_SCOPES = frozenset({"nav"})
# A sentence needs at least one letter in some script to say anything.
_HAS_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
MIN_SEGMENT_CHARS = 3

LanguageOf = Callable[[Document, TextBlock], "str | None"]


def _block_language(document: Document, block: TextBlock) -> str | None:
    return document.language


# Where a long block may be cut, best first: between paragraphs, lines, after a sentence, between words.
_PARAGRAPH_BREAKS = ("\n\n",)
_LINE_BREAKS = ("\n",)
_SENTENCE_ENDS = (". ", "! ", "? ", "… ", "؟ ", "。", "！", "？", ".\t", "؟")
_WORD_BREAKS = (" ", "\t", "\u00a0", "\u3000", "\u200b")


def _cut(text: str, start: int, end: int) -> int:
    """Where to end the piece text[start:...] that may not pass `end`: the last good boundary in the
    window's second half (so pieces stay large), else `end` itself."""
    low = start + (end - start) // 2
    for separators in (_PARAGRAPH_BREAKS, _LINE_BREAKS, _SENTENCE_ENDS, _WORD_BREAKS):
        found = [at + len(sep) for sep in separators if (at := text.rfind(sep, low, end)) >= 0]
        if found:
            return max(found)
    return end


def split_text(text: str, max_chars: int) -> list[str]:
    """`text` in consecutive pieces of at most `max_chars` characters, cut at the best boundary near the
    limit. Joined, the pieces are `text` again."""
    if len(text) <= max_chars:
        return [text]
    pieces: list[str] = []
    start = 0
    while len(text) - start > max_chars:
        end = _cut(text, start, start + max_chars)
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


@functools.cache
def _long_run(token_chars: int) -> re.Pattern[str]:
    # Anchored at the start of a run of non-space characters, so each run is scanned once (linear).
    return re.compile(rf"(?<!\S)\S{{{token_chars + 1},}}")


def break_long_tokens(text: str, token_chars: int) -> str:
    """`text` with every whitespace-free run longer than `token_chars` broken by a space every
    `token_chars` characters: nothing is dropped, and no later pattern sees an unbounded token."""
    if len(text) <= token_chars:
        return text

    def broken(match: re.Match[str]) -> str:
        run = match.group(0)
        return " ".join(run[i : i + token_chars] for i in range(0, len(run), token_chars))

    return _long_run(token_chars).sub(broken, text)


# Longer "sentences" (a run of text with no full stop: a list of 5,000 prices, a pasted log) are cut here.
# The analyzers compare the facts and words of one sentence with each other, so their cost grows with the
# square of its length; and embedding models read only the first few hundred words anyway.
SENTENCE_CHARS = 2_000

# spaCy's tokenizer strips a token's leading and trailing punctuation one piece at a time, searching the whole
# token each time: quadratic on a run such as "))))..." or "'s's's...". It reads a copy of the text in which
# the middle of every token longer than this is masked with letters (the ends, where punctuation that closes
# a sentence sits, are kept), and sentences are cut from the real text at the same offsets.
TOKENIZER_TOKEN_CHARS = 64
_KEPT_ENDS = 3


def _tokenizer_view(text: str, nlp: Language) -> str:
    from spacy.tokenizer import Tokenizer

    if not isinstance(nlp.tokenizer, Tokenizer):  # e.g. Chinese, which segments characters itself
        return text

    def masked(match: re.Match[str]) -> str:
        run = match.group(0)
        return run[:_KEPT_ENDS] + "x" * (len(run) - 2 * _KEPT_ENDS) + run[-_KEPT_ENDS:]

    return _long_run(TOKENIZER_TOKEN_CHARS).sub(masked, text)


def bounded_blocks(block: TextBlock, limits: Limits) -> list[TextBlock]:
    """`block` as one or more blocks within `limits` (each piece keeps the block's scope and location)."""
    text = break_long_tokens(block.text, limits.token_chars)
    pieces = split_text(text, limits.block_chars)
    if len(pieces) == 1 and len(text) == len(block.text):
        return [block]
    log.info("%s: a block of %d characters was split in %d pieces (limits.block_chars=%d, "
             "limits.token_chars=%d)", block.location.uri, len(block.text), len(pieces),
             limits.block_chars, limits.token_chars)
    return [replace(block, text=piece) for piece in pieces]


def segment_documents(
    documents: Iterable[Document],
    *,
    default_language: str = "en",
    language_of: LanguageOf = _block_language,
    limits: Limits | None = None,
) -> list[Segment]:
    """Split every block of every document into sentences, in document order.

    Blocks are grouped by language so each spaCy pipeline runs once over all its texts (nlp.pipe), which is
    far faster than one call per block. Blocks are first bounded by `limits` (the config's, or the defaults).
    """
    bounds = limits or Limits()
    jobs: list[tuple[Document, TextBlock, str]] = []
    for document in documents:
        for whole in document.blocks:
            if whole.scope in SKIPPED_SCOPES or not whole.text.strip():
                continue
            for block in bounded_blocks(whole, bounds):
                jobs.append((document, block, language_of(document, block) or default_language))

    by_language: dict[str, list[int]] = defaultdict(list)
    for index, (_, _, language) in enumerate(jobs):
        by_language[language].append(index)

    sentences: list[list[str]] = [[] for _ in jobs]
    for language, indexes in by_language.items():
        nlp = get_nlp(language)
        views = (_tokenizer_view(jobs[i][1].text, nlp) for i in indexes)
        for i, doc in zip(indexes, nlp.pipe(views, batch_size=256), strict=True):
            text = jobs[i][1].text
            sentences[i] = [
                piece
                for sent in doc.sents
                for piece in split_text(text[sent.start_char : sent.end_char].strip(), SENTENCE_CHARS)
            ]

    segments: list[Segment] = []
    for (document, block, language), texts in zip(jobs, sentences, strict=True):
        for text in texts:
            if len(text) < MIN_SEGMENT_CHARS or not _HAS_LETTER.search(text):
                continue
            segments.append(
                Segment(
                    channel_id=document.channel_id,
                    doc_uri=document.uri,
                    text=text,
                    scope=block.scope,
                    location=_with_section(block.location, block.scope),
                    language=language,
                )
            )
    return segments


def _with_section(location: Location, scope: str) -> Location:
    if location.section:
        return location
    return Location(location.uri, location.line, location.column, scope)


def unique_texts(segments: Sequence[Segment]) -> tuple[list[str], list[int]]:
    """Distinct segment texts and, for each segment, the index of its text: identical sentences repeated
    across pages and channels (footers, slogans) are embedded once."""
    index: dict[str, int] = {}
    order: list[int] = []
    for segment in segments:
        order.append(index.setdefault(segment.text, len(index)))
    return list(index), order
