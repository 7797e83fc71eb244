"""Documents -> sentences (Segments), the unit that is embedded, matched and checked by rules."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from ..models import Document, Location, Segment, TextBlock
from .nlp import get_nlp

# Navigation menus are lists of link labels, not statements; embedding them only adds noise.
SKIPPED_SCOPES = frozenset({"nav"})
# A sentence needs at least one letter in some script to say anything.
_HAS_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
MIN_SEGMENT_CHARS = 3

LanguageOf = Callable[[Document, TextBlock], "str | None"]


def _block_language(document: Document, block: TextBlock) -> str | None:
    return document.language


def segment_documents(
    documents: Iterable[Document],
    *,
    default_language: str = "en",
    language_of: LanguageOf = _block_language,
) -> list[Segment]:
    """Split every block of every document into sentences, in document order.

    Blocks are grouped by language so each spaCy pipeline runs once over all its texts (nlp.pipe), which is
    far faster than one call per block.
    """
    jobs: list[tuple[Document, TextBlock, str]] = []
    for document in documents:
        for block in document.blocks:
            if block.scope in SKIPPED_SCOPES or not block.text.strip():
                continue
            jobs.append((document, block, language_of(document, block) or default_language))

    by_language: dict[str, list[int]] = defaultdict(list)
    for index, (_, _, language) in enumerate(jobs):
        by_language[language].append(index)

    sentences: list[list[str]] = [[] for _ in jobs]
    for language, indexes in by_language.items():
        nlp = get_nlp(language)
        block_texts = (jobs[i][1].text for i in indexes)
        for i, doc in zip(indexes, nlp.pipe(block_texts, batch_size=256), strict=True):
            sentences[i] = [sent.text.strip() for sent in doc.sents]

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
