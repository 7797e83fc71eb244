"""One cached spaCy pipeline per language: `spacy.blank(lang)` + sentencizer, or a trained pipeline if set.

spaCy's trained pipelines are not on PyPI, so the default is rules only; `OMNIAUDIT_SPACY_<LANG>` (e.g.
`OMNIAUDIT_SPACY_EN=en_core_web_sm`) names an installed trained pipeline to use instead.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import threading
from types import ModuleType
from typing import TYPE_CHECKING

from .sentences import add_sentence_fixes

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

# Languages spaCy has no blank class for fall back to the multi-language one.
FALLBACK_LANGUAGE = "xx"


_IMPORTING = threading.Lock()


def _import_spacy() -> ModuleType:
    """spaCy, imported without torch unless torch is already loaded or a trained pipeline is configured.

    thinc (spaCy's machine-learning layer) runs `import torch` unconditionally when it is imported, only to
    learn whether torch is there: 1.4 s of a 2.0 s `import spacy` here (0.6 s without it), for blank pipelines
    that never use it (and with the onnx or USE embedding engines, nothing else does either). A None entry
    in sys.modules makes that one import fail, so thinc records "no torch"; the entry is removed at once, so
    a later `import torch` (the torch engine, the pair judge) works as usual.
    """
    with _IMPORTING:
        if "spacy" in sys.modules or "torch" in sys.modules:
            import spacy

            return spacy
        trained = any(key.startswith("OMNIAUDIT_SPACY_") for key in os.environ)
        if not trained:
            sys.modules["torch"] = None  # type: ignore[assignment]
        try:
            import spacy
        finally:
            if not trained and sys.modules.get("torch", 0) is None:
                del sys.modules["torch"]
        return spacy


@functools.cache
def get_nlp(language: str | None) -> Language:
    """The pipeline for `language` (ISO 639-1), built once per process."""
    spacy = _import_spacy()

    lang = (language or "en").split("-")[0].lower()
    trained = os.environ.get(f"OMNIAUDIT_SPACY_{lang.upper()}")
    if trained:
        try:
            nlp = spacy.load(trained)
            if not nlp.has_pipe("parser") and not nlp.has_pipe("senter") and not nlp.has_pipe("sentencizer"):
                nlp.add_pipe("sentencizer")
            add_sentence_fixes(nlp)
            return nlp
        except OSError:
            log.warning("spaCy pipeline %r is not installed; using rules for %r", trained, lang)
    try:
        nlp = spacy.blank(lang)
    except (ImportError, KeyError, ValueError):
        log.info("no spaCy language class for %r; using %r", lang, FALLBACK_LANGUAGE)
        nlp = spacy.blank(FALLBACK_LANGUAGE)
    nlp.add_pipe("sentencizer")
    add_sentence_fixes(nlp)
    return nlp
