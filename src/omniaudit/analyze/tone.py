"""Tone of voice: a profile per channel, compared with the brand book's voice.

A profile is a handful of rates over a channel's sentences (customers' turns left out, each distinct
sentence counted once): exclamations, emoji, shouting, slang and colloquial markers, informal vs formal
address (tu/vous, ty/Pan/Państwo, colloquial vs formal Arabic), hedging, jargon, politeness, sentence length
and readability (LIX, which needs no language model), and phrases the brand book says to avoid. All regex
and counts.

The brand voice sets the allowed range of each rate: defaults per channel type (social may be more casual
than a help centre), widened or narrowed by the voice's adjectives ("upbeat" allows more exclamations,
"plain-spoken" less jargon, "formal" no slang), and never below what the brand's own example sentences do.
A channel whose rates leave the range gets one finding that names each departure and quotes the sentences
that show it, next to the brand book's own example.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..config import Voice
from ..extract.numbers import fold
from ..models import CUSTOMER_SCOPES, Evidence, Finding, Location, Segment


def _compile(*patterns: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{fold(p)})" for p in patterns), flags)


# Links, addresses and tags are not words. The address part starts only where a token starts and its halves
# exclude "@", so each token is scanned once: `\S+@\S+\.\w+` took quadratic time on one long token.
_URLISH = re.compile(r"https?://\S+|www\.\S+|(?<!\S)[^\s@]+@[^\s@]+\.\w+|[#@][\w-]+")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_EMOJI = re.compile(
    "[\U0001f300-\U0001faff\U00002600-\U000027bf\U0001f000-\U0001f2ff\U0001f900-\U0001f9ff\u2b50\u2b55\u2764"
    "\u203c\u2049]"
)
_SHOUT_WORD = re.compile(r"\b[A-Z]{4,}\b")
_SHOUT_PUNCT = re.compile(r"[!?]{2,}")
# Acronyms are not shouting.
_ACRONYMS = frozenset({"FAQS", "HTTP", "HTTPS", "NASA", "ASAP", "USPS", "UEFA", "VISA"})

_SLANG = {
    "en": _compile(
        r"\b(?:gonna|wanna|gotta|kinda|sorta|y'?all|lol|omg|lmao|tbh|ngl|idk|bruh|fam|slay\w*|bestie|deets|"
        r"yas+|yaas+|af|ur|u|obsessed|insane|literally|lit|vibes?|epic|legit|totes|cray|ain'?t|nope|yup|"
        r"woo+|whoa|dope|sooo+|guys)\b"
    ),
    "fr": _compile(
        r"\b(?:mdr|ptdr|grave|ouf|kiffe\w*|trop (?:bien|cool|styl[ée])|ouais|genre|chelou|"
        r"c'est dingue|de ouf|wesh|les gars)\b"
    ),
    "pl": _compile(
        r"\b(?:mega|serio|spoko|czad\w*|git|xd|lol|siema|elo|zajebi\w*|sztos\w*|ziom\w*|"
        r"hej ludzie|wow)\b"
    ),
    "ar": _compile(
        r"(?:^|\s)(?:شو|ليش|هلق|مش|عايز|عاوز|ايش|وش|كتير|هيك|يلا|ازيك|بدك|منيح|حبيبي|"
        r"يا جماعة|يا شباب|هاد|هادا|دلوقتي|ازاي|كده|اوي)(?=\s|$|[.!?,])"
    ),
}
_INFORMAL_ADDRESS = {
    "fr": _compile(r"\b(?:tu|toi|ton|ta|tes|t'as)\b", r"\bt'"),
    "pl": _compile(r"\b(?:ty|ciebie|cię|tobie|twój|twoj\w+|twoja)\b"),
    "ar": _compile(r"(?:^|\s)(?:انت|انتي|معك|عندك)(?=\s|$|[.!?,])"),
}
_FORMAL_ADDRESS = {
    "fr": _compile(r"\b(?:vous|votre|vos)\b"),
    "pl": _compile(r"\b(?:pan|pani|pana|panu|panią|państw\w*)\b"),
    "ar": _compile(r"(?:^|\s)(?:حضرتك|سيادتكم|نرجو|يرجى|تفضلوا|نود)(?=\s|$|[.!?,])"),
}
_HEDGING = _compile(
    r"\b(?:might|maybe|perhaps|possibly|probably|hopefully|we think|i think|i guess|not sure|seems?|"
    r"should be|we'll try|try to|sort of|kind of)\b",
    r"\b(?:peut-[êe]tre|probablement|il se peut|normalement)\b",
    r"\b(?:może|chyba|prawdopodobnie|raczej|powinno)\b",
    r"(?:^|\s)(?:ربما|احتمال|على الارجح)(?=\s|$)",
)
# Sweeping claims: the opposite end from hedging.
_CONFIDENT = _compile(
    r"\b(?:always|never|guaranteed|definitely|certainly|unbeatable|best[- ]ever|the best|number one)\b",
    r"\b100 ?%|#1\b",
    r"\b(?:toujours|jamais|garanti\w*|imbattable|le meilleur|la meilleure)\b",
    r"\b(?:zawsze|nigdy|gwarantowan\w*|najlepsz\w*|bezkonkurencyjn\w*)\b",
    r"(?:^|\s)(?:دائما|ابدا|مضمون|الافضل)(?=\s|$)",
)
_JARGON = _compile(
    r"\b(?:sku|rma|eta|t&cs|pursuant|hereinafter|aforementioned|heretofore|henceforth|notwithstanding|"
    r"leverag\w*|synerg\w*|utili[sz]\w*|facilitat\w*|remit\w*|in accordance with|sla|kpi|omnichannel|"
    r"fulfil+ment|escalation (?:path|matrix)|per (?:our|the) policy|end[- ]user|stakeholder\w*)\b",
    r"\b(?:conform[ée]ment [àa]|ci-apr[èe]s|susmentionn[ée]\w*)\b",
    r"\b(?:zgodnie z|niniejsz\w*)\b",
)
_POLITE = _compile(
    r"\b(?:please|thank\w*|sorry|appreciate|you're welcome|happy to help)\b",
    r"\b(?:merci|s'il vous pla[iî]t|d[ée]sol[ée]|je vous en prie)\b",
    r"\b(?:proszę|dziękuj\w*|przepraszam\w*)\b",
    r"(?:من فضلك|شكرا|نعتذر|عفوا|لو سمحت)",
)

# How adjectives in the brand book move the allowed ranges.
_ADJECTIVES: dict[str, dict[str, float]] = {
    "upbeat": {"exclamation": 0.15, "emoji": 0.15, "informal": 0.05},
    "enthusiastic": {"exclamation": 0.2, "emoji": 0.15},
    "energetic": {"exclamation": 0.15, "emoji": 0.1},
    "playful": {"exclamation": 0.15, "emoji": 0.3, "informal": 0.15},
    "fun": {"exclamation": 0.15, "emoji": 0.3, "informal": 0.1},
    "bold": {"exclamation": 0.1, "shouting": 0.05},
    "cheerful": {"exclamation": 0.1, "emoji": 0.1},
    "casual": {"informal": 0.15, "emoji": 0.1},
    "relaxed": {"informal": 0.1},
    "friendly": {"informal": 0.03, "exclamation": 0.05},
    "formal": {"exclamation": -0.1, "emoji": -1.0, "informal": -1.0, "shouting": -1.0},
    "professional": {"exclamation": -0.05, "emoji": -0.05, "informal": -0.03},
    "serious": {"exclamation": -0.1, "emoji": -1.0, "informal": -1.0},
    "calm": {"exclamation": -0.05, "shouting": -1.0},
    "modest": {"confident": -0.15},
    "honest": {"confident": -0.1},
    "understated": {"confident": -0.15, "exclamation": -0.05},
    "expert": {"hedging": -0.08},
    "confident": {"hedging": -0.08},
    "authoritative": {"hedging": -0.1},
    "plain-spoken": {"readability": -10, "jargon": -0.05},
    "plain": {"readability": -10, "jargon": -0.05},
    "simple": {"readability": -8, "jargon": -0.05},
    "clear": {"readability": -5, "jargon": -0.03},
    "concise": {"readability": -8, "words": -5},
    "jargon-free": {"jargon": -1.0},
    "practical": {"jargon": -0.02},
}
_FORMAL_ADJECTIVES = frozenset({"formal", "respectful", "courteous", "professional", "serious"})

# The allowed upper bound of each rate, per channel type. Rates are shares of sentences (emoji: per sentence).
DEFAULT_BOUNDS: dict[str, dict[str, float]] = {
    "website": {
        "exclamation": 0.15,
        "emoji": 0.05,
        "shouting": 0.05,
        "informal": 0.05,
        "hedging": 0.2,
        "confident": 0.4,
        "jargon": 0.1,
        "readability": 60,
        "words": 28,
    },
    "service": {
        "exclamation": 0.15,
        "emoji": 0.05,
        "shouting": 0.05,
        "informal": 0.05,
        "hedging": 0.2,
        "confident": 0.4,
        "jargon": 0.1,
        "readability": 60,
        "words": 28,
    },
    "app": {
        "exclamation": 0.2,
        "emoji": 0.1,
        "shouting": 0.05,
        "informal": 0.08,
        "hedging": 0.2,
        "confident": 0.4,
        "jargon": 0.1,
        "readability": 60,
        "words": 25,
    },
    "social": {
        "exclamation": 0.35,
        "emoji": 0.5,
        "shouting": 0.1,
        "informal": 0.15,
        "hedging": 0.25,
        "confident": 0.4,
        "jargon": 0.1,
        "readability": 60,
        "words": 30,
    },
}
# A rate is only a departure when this many sentences show it: one exclamation is no tone.
MIN_SENTENCES = 2
_LABELS = {
    "exclamation": "sentences with an exclamation mark",
    "emoji": "emoji per sentence",
    "shouting": "sentences in capitals or with !!/??",
    "informal": "sentences with slang or colloquial markers",
    "hedging": "hedged sentences",
    "confident": "sentences with sweeping claims (always, never, the best)",
    "jargon": "sentences with jargon",
    "readability": "readability (LIX, higher is harder)",
    "words": "words per sentence",
    "avoided": "phrases the brand book says to avoid",
    "address": "sentences with informal address where the brand is formal",
    "formal_address": "sentences with formal address where the brand is informal",
}


@dataclass(frozen=True)
class ToneProfile:
    channel_id: str
    sentences: int
    words: float  # mean words per sentence
    readability: float  # LIX: words/sentences + 100 * long words / words
    exclamation: float
    emoji: float
    shouting: float
    informal: float
    informal_address: float
    formal_address: float
    hedging: float
    confident: float
    jargon: float
    politeness: float
    we: float
    you: float
    avoided: int
    # Per rate, the indexes (into the segments given) of the sentences that show it, most telling first.
    examples: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, hash=False)

    def rate(self, name: str) -> float:
        return float(getattr(self, name))

    def to_dict(self) -> dict[str, float | int | str]:
        keys = (
            "sentences",
            "words",
            "readability",
            "exclamation",
            "emoji",
            "shouting",
            "informal",
            "informal_address",
            "formal_address",
            "hedging",
            "confident",
            "jargon",
            "politeness",
            "we",
            "you",
            "avoided",
        )
        return {"channel": self.channel_id, **{k: round(float(getattr(self, k)), 3) for k in keys}}


_WE = _compile(
    r"\b(?:we|we're|we'll|we've|our|us)\b",
    r"\b(?:nous|notre|nos)\b",
    r"\b(?:my|nasz\w*)\b",
    r"(?:^|\s)(?:نحن|لدينا|فريقنا)(?=\s|$)",
)
_YOU = _compile(
    r"\b(?:you|your|you're|you'll)\b",
    r"\b(?:vous|votre|vos|tu|ton|ta|tes)\b",
    r"\b(?:ty|twój|twoj\w+|pan|pani|państw\w*)\b",
    r"(?:^|\s)(?:انت|لك|حضرتك)(?=\s|$)",
)


def _language(segment: Segment) -> str:
    return (segment.language or "en").split("-")[0].lower()


@functools.lru_cache(maxsize=65536)
def _sentence_features(text: str, language: str, avoid: tuple[str, ...]) -> dict[str, float]:
    """Counts for one sentence; cached by text (repeated footers and greetings): callers must not mutate."""
    plain = _URLISH.sub(" ", text)
    folded = fold(plain)
    lowered = folded.lower()
    words = _WORD.findall(plain)
    slang = _SLANG.get(language, _SLANG["en"])
    shout_words = [w for w in _SHOUT_WORD.findall(plain) if w not in _ACRONYMS]
    informal_address = _INFORMAL_ADDRESS.get(language)
    formal_address = _FORMAL_ADDRESS.get(language)
    return {
        "words": float(len(words)),
        "long": float(sum(1 for w in words if len(w) > 6)),
        "exclamation": float("!" in text),
        "emoji": float(len(_EMOJI.findall(text))),
        "shouting": float(bool(shout_words or _SHOUT_PUNCT.search(text))),
        "informal": float(bool(slang.search(lowered))),
        "informal_address": float(bool(informal_address and informal_address.search(lowered))),
        "formal_address": float(bool(formal_address and formal_address.search(lowered))),
        "hedging": float(bool(_HEDGING.search(lowered))),
        "confident": float(bool(_CONFIDENT.search(lowered))),
        "jargon": float(bool(_JARGON.search(lowered))),
        "politeness": float(bool(_POLITE.search(lowered))),
        "we": float(bool(_WE.search(lowered))),
        "you": float(bool(_YOU.search(lowered))),
        "avoided": float(sum(lowered.count(fold(a).lower()) for a in avoid if a)),
    }


def _profile(channel_id: str, items: Sequence[tuple[int, str, str]], avoid: Sequence[str]) -> ToneProfile:
    avoided = tuple(avoid)
    rows = [(index, _sentence_features(text, language, avoided)) for index, text, language in items]
    n = max(len(rows), 1)
    total_words = sum(f["words"] for _, f in rows) or 1.0

    def share(name: str) -> float:
        return sum(f[name] for _, f in rows) / n

    def showing(name: str) -> tuple[int, ...]:
        ranked = sorted((-f[name], i) for i, f in rows if f[name] > 0)
        return tuple(i for _, i in ranked)

    examples = {
        name: showing(name)
        for name in (
            "exclamation",
            "emoji",
            "shouting",
            "informal",
            "informal_address",
            "formal_address",
            "hedging",
            "confident",
            "jargon",
            "avoided",
        )
    }
    longest = sorted((-f["words"], i) for i, f in rows)
    examples["readability"] = examples["words"] = tuple(i for _, i in longest[:3])
    words = total_words / n
    return ToneProfile(
        channel_id=channel_id,
        sentences=len(rows),
        words=words,
        readability=words + 100 * sum(f["long"] for _, f in rows) / total_words,
        exclamation=share("exclamation"),
        emoji=share("emoji"),
        shouting=share("shouting"),
        informal=share("informal"),
        informal_address=share("informal_address"),
        formal_address=share("formal_address"),
        hedging=share("hedging"),
        confident=share("confident"),
        jargon=share("jargon"),
        politeness=share("politeness"),
        we=share("we"),
        you=share("you"),
        avoided=int(sum(f["avoided"] for _, f in rows)),
        examples=examples,
    )


def _distinct(items: Iterable[tuple[int, Segment]]) -> list[tuple[int, str, str]]:
    seen: set[str] = set()
    out = []
    for index, segment in items:
        if segment.scope in CUSTOMER_SCOPES or segment.text in seen:
            continue
        seen.add(segment.text)
        out.append((index, segment.text, _language(segment)))
    return out


def profile_channels(segments: Sequence[Segment], avoid: Sequence[str] = ()) -> dict[str, ToneProfile]:
    """The tone profile of every channel in `segments` (customers' turns and repeated sentences left out)."""
    by_channel: dict[str, list[tuple[int, Segment]]] = {}
    for index, segment in enumerate(segments):
        by_channel.setdefault(segment.channel_id, []).append((index, segment))
    return {channel: _profile(channel, _distinct(items), avoid) for channel, items in by_channel.items()}


def profile_texts(texts: Sequence[str], language: str = "en", avoid: Sequence[str] = ()) -> ToneProfile:
    """The profile of loose sentences, such as the brand book's voice examples."""
    return _profile("brand_book", [(i, t, language) for i, t in enumerate(texts)], avoid)


def voice_bounds(
    voice: Voice, channel_type: str, overrides: Mapping[str, float] | None = None
) -> dict[str, float]:
    """The allowed upper bound of each rate for a channel of `channel_type` under this brand voice."""
    bounds = dict(DEFAULT_BOUNDS.get(channel_type, DEFAULT_BOUNDS["website"]))
    for adjective in voice.adjectives:
        for name, delta in _ADJECTIVES.get(adjective.strip().lower(), {}).items():
            # Social is allowed proportionally more of what the voice already allows.
            scale = (
                2.0 if channel_type == "social" and delta > 0 and name in ("exclamation", "emoji") else 1.0
            )
            bounds[name] = max(0.0, bounds[name] + delta * scale)
    if voice.examples:
        example = profile_texts(voice.examples)
        for name in (
            "exclamation",
            "emoji",
            "shouting",
            "informal",
            "hedging",
            "confident",
            "jargon",
            "readability",
            "words",
        ):
            # The brand's own examples are on-voice by definition.
            bounds[name] = max(bounds[name], example.rate(name) * 1.25)
    bounds.update(overrides or {})
    return bounds


def _brand_register(voice: Voice) -> str:
    """ "formal" or "informal" address when the voice says so; "" when it does not."""
    if any(a.strip().lower() in _FORMAL_ADJECTIVES for a in voice.adjectives):
        return "formal"
    if not voice.examples:
        return ""
    informal = formal = 0.0
    for example in voice.examples:
        for language in _FORMAL_ADDRESS:
            informal += bool(_INFORMAL_ADDRESS[language].search(fold(example).lower()))
            formal += bool(_FORMAL_ADDRESS[language].search(fold(example).lower()))
    if formal > informal:
        return "formal"
    if informal > formal:
        return "informal"
    return ""


def _format(name: str, value: float) -> str:
    if name in ("readability", "words", "emoji"):
        return f"{value:.1f}"
    if name == "avoided":
        return str(int(value))
    return f"{value:.0%}"


def compare_tone(
    profiles: Mapping[str, ToneProfile],
    segments: Sequence[Segment],
    voice: Voice,
    channel_types: Mapping[str, str],
    *,
    overrides: Mapping[str, Mapping[str, float]] | None = None,
    max_quotes: int = 3,
) -> tuple[list[Finding], dict[str, list[str]]]:
    """One finding per channel whose tone leaves the brand voice's range, and per channel the rates that do.

    `overrides` maps a channel id or a channel type to bounds that replace the computed ones
    (e.g. {"social": {"exclamation": 0.6}})."""
    overrides = overrides or {}
    register = _brand_register(voice)
    adjectives = ", ".join(voice.adjectives) or "no adjectives given"
    findings: list[Finding] = []
    departures: dict[str, list[str]] = {}
    for channel, profile in sorted(profiles.items()):
        if profile.sentences == 0:
            continue
        kind = channel_types.get(channel, "website")
        bounds = voice_bounds(voice, kind, {**overrides.get(kind, {}), **overrides.get(channel, {})})
        out: list[tuple[str, float, float]] = []
        for name in ("exclamation", "emoji", "shouting", "informal", "hedging", "confident", "jargon"):
            shown = len(profile.examples.get(name, ()))
            if profile.rate(name) > bounds[name] and shown >= MIN_SENTENCES:
                out.append((name, profile.rate(name), bounds[name]))
        for name in ("readability", "words"):
            if profile.sentences >= 3 and profile.rate(name) > bounds[name]:
                out.append((name, profile.rate(name), bounds[name]))
        if profile.avoided:
            out.append(("avoided", float(profile.avoided), 0.0))
        # Address register (tu/vous, ty/Pan): the brand's, when its book says, against the channel's own.
        if (
            register == "formal"
            and len(profile.examples.get("informal_address", ())) >= MIN_SENTENCES
            and profile.informal_address > profile.formal_address
        ):
            out.append(("address", profile.informal_address, 0.0))
        elif (
            register == "informal"
            and len(profile.examples.get("formal_address", ())) >= MIN_SENTENCES
            and profile.formal_address > profile.informal_address
        ):
            out.append(("formal_address", profile.formal_address, 0.0))
        if not out:
            continue
        departures[channel] = [name for name, _, _ in out]
        quotes: list[int] = []
        names = [("informal_address" if name == "address" else name) for name, _, _ in out]
        # Sentences that show the most departures first.
        counts: dict[int, int] = {}
        for name in names:
            for index in profile.examples.get(name, ())[: max_quotes * 2]:
                counts[index] = counts.get(index, 0) + 1
        quotes = sorted(counts, key=lambda i: (-counts[i], i))[:max_quotes]
        evidence = [Evidence(channel, segments[i].text, segments[i].location) for i in quotes]
        if voice.examples:
            evidence.append(
                Evidence(
                    "brand_book",
                    voice.examples[0],
                    Location("brand_book.voice.examples", section="example 1"),
                )
            )
        parts = "; ".join(
            f"{_LABELS[name]}: {_format(name, value)}"
            + (
                f" (allowed up to {_format(name, bound)} for {kind})"
                if name not in ("avoided", "address", "formal_address")
                else ""
            )
            for name, value, bound in out
        )
        findings.append(
            Finding(
                rule_id="experience.tone",
                dimension="experience",
                severity="error" if len(out) >= 3 else "warning",
                message=f"{channel}'s tone departs from the brand voice ({adjectives}): {parts}",
                evidence=tuple(evidence),
                channels=(channel,),
                key=f"{channel}:tone",
                subject=channel,
            )
        )
    return findings, departures
