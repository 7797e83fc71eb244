"""Sentence boundary fixes on top of spaCy's rule-based sentencizer.

The sentencizer ends a sentence at every ".", so "np. bawełniane", "ok. 20 wzorów", "pon.–pt. 9:00–17:00",
"p. ex. pour" and "env. 2 h" are cut in two, and a fact loses its topic word. This component glues such
pieces back: after a known abbreviation of the text's language, or when the next word starts in lower case.
Arabic needs no fix: the sentencizer already ends sentences at "؟" and never at "،" or "؛".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

COMPONENT = "omniaudit_abbreviations"

# Abbreviations (without their final ".") after which a sentence practically never ends, per language.
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "pl": frozenset(
        "np m.in tj tzn tzw ok ul al pl os nr tel godz min wg ds zob por str ww jw ew cd tys mln mld "
        "pon wt śr czw pt sob ndz niedz dr prof mgr inż hab im św gr".split()
    ),
    "fr": frozenset(
        "p ex env cf m mme mlle mm dr me pr st ste av bd boul tél fax n° no art chap éd vol ht ttc "
        "lun mar mer jeu ven sam dim janv févr sept oct nov déc hors".split()
    ),
    "en": frozenset(
        "e.g i.e approx appx mr mrs ms dr prof st no nos vs tel ext dept est "
        "mon tue tues wed thu thur thurs fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec".split()
    ),
}
# Marks that begin a hashtag or a mention when written against the next word.
_TAG_MARKS = frozenset({"#", "@", "＃"})
_CASED_LANGUAGES = frozenset({"en", "fr", "pl", "de", "es", "it", "pt", "nl", "cs", "sk"})


def _fix(doc: Doc) -> Doc:
    lang = doc.lang_
    abbreviations = ABBREVIATIONS.get(lang, frozenset())
    cased = lang in _CASED_LANGUAGES
    for index in range(1, len(doc)):
        token = doc[index]
        if not token.is_sent_start:
            continue
        previous = doc[index - 1]
        if previous.text in _TAG_MARKS and not previous.whitespace_ and index >= 2:
            # "room!!! #SpringSale": the tokenizer splits "#" off and the sentencizer keeps it as trailing
            # punctuation of the sentence before; the tag starts the next sentence, whole.
            previous.is_sent_start = True
            token.is_sent_start = False
            continue
        if index < 2:
            continue
        if previous.text != ".":
            continue
        word = doc[index - 2]
        if word.whitespace_:  # "dni ." is a full stop after a word, not an abbreviation
            continue
        after_abbreviation = word.lower_ in abbreviations or (len(word.text) == 1 and word.is_alpha)
        starts_lower = cased and token.text[:1].islower()
        if after_abbreviation or starts_lower:
            token.is_sent_start = False
    return doc


def add_sentence_fixes(nlp: Language) -> Language:
    """Add the abbreviation fix after the pipeline's sentencizer (idempotent)."""
    from spacy.language import Language as SpacyLanguage

    if COMPONENT not in SpacyLanguage.factories:
        SpacyLanguage.component(COMPONENT, func=_fix)
    if not nlp.has_pipe(COMPONENT):
        after = "sentencizer" if nlp.has_pipe("sentencizer") else None
        if after:
            nlp.add_pipe(COMPONENT, after=after)
        else:
            nlp.add_pipe(COMPONENT, last=True)
    return nlp


__all__ = ["ABBREVIATIONS", "COMPONENT", "add_sentence_fixes"]
