"""Claims compared: contradictions between channels, pages and language versions, by meaning, not cue lists.

Four ways two statements come to be compared:

- **By key**: a localization message and its translation (same resource, same key): the numbers each
  states must be the same (`claims.translation_value`), and so must its lists of codes.
- **By version**: two language versions of one page (`version_groups`): each sentence and its mutual best
  multilingual match must state the same numbers and lists (`analyze.versions` reports dropped sentences).
- **Said and denied**: two statements worded alike but for a negation (`claims.polarity`).
- **By meaning**: any two statements, in any channels, whose embeddings are close (the model's calibrated
  `align` similarity) and whose values have a kind in common: a value of the same kind that differs
  (`claims.value_conflict`: "$45,000" vs "$40,000", short code 12345 vs 67890, "billed monthly" vs "taken
  from every order"), the same number in another unit (`claims.unit_conflict`: "3-4 business days" vs "3-4
  days"), a list of codes with members missing (`claims.list_differs`), or the same value stated plainly on
  one side and restricted on the other (`claims.qualifier`: "free delivery" vs "free delivery for members
  only").

One problem is one finding: identical sentences (duplicate pages) are one statement listing every place, and
pairs that repeat one conflict are merged. Within one channel a finding is `info`; across channels `warning`,
or `error` when sure. Each finding carries a confidence (`confidence()`: the statements' similarity on the
model's calibrated scale; 0.9 for translations aligned by key), and `thresholds.confidence` drops the rest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

import numpy as np
import regex

from ..extract.lang import cues
from ..models import Claim, Difference, Document, Evidence, Fact, Finding, Stated, Value
from .versions import version_groups

# Value kinds that name one thing and must have one value when two statements are about the same thing.
COMPARED_KINDS = frozenset(
    {
        "money",
        "duration",
        "percentage",
        "hours",
        "time_range",
        "number",
        "code",
        "frequency",
        "availability",
        "phone",
        "email",
        "keyword",
    }
)
# Values a statement promises (a contact detail is only where to ask).
STATED_KINDS = COMPARED_KINDS - {"phone", "email", "keyword", "code"}
# Restrictions that narrow what a value applies to. A condition ("if you would rather talk to a person") is
# too common to mean one by itself.
SCOPE_LIMITS = frozenset({"only", "except"})
# Lines of a script are spoken by whoever is on duty: "this is Alex" and "this is Sam" are one greeting.
SPEAKER_SCOPES = frozenset({"agent", "bot", "ivr"})
CONTACT_KINDS = frozenset({"phone", "email", "url"})  # compared by the brand book's facts instead
# Labels and buttons ("Box 16", "Page 3 of 5") are not claims.
MIN_CLAIM_WORDS = 4
NEIGHBOURS = 2
# Two statements naming different things are one claim reworded when half their other words are shared.
SAME_WORDING = 0.5
# A name swap seen this often between statement pairs is a set of alternatives, not a contradiction.
ALTERNATIVE_REPEATS = 3
# Codes and keywords a customer types are few: up to this many statements stating them are compared pair by
# pair, so every place that gives another code is found.
IDENTIFIER_KINDS = frozenset({"keyword"})
EXHAUSTIVE = 40
# Kinds a statement is paired by: its closest statements stating a value of the same kind are compared.
NEIGHBOUR_KINDS = (COMPARED_KINDS - {"phone", "email", "url"}) | {"enumeration", "name"}
MAX_PLACES = 6
# A figure stated this many days before another is an old figure more likely than a contradiction.
STALE_DAYS = 180
POLARITY_SLACK = 2
ERROR_CONFIDENCE = 0.85  # across channels, a finding this sure is an error
KEYED_CONFIDENCE = 0.9  # places listed per side of a finding


@dataclass(frozen=True)
class Calibration:
    """Similarities at which a model's statements are about the same thing. Measured on real material
    (bench/realworld.py): same-subject pairs with different values, against unrelated pairs."""

    align: float  # statements this close are about the same subject: their values must agree
    names: float  # this close, two statements naming different providers or products contradict
    identifiers: float  # two instructions to text a keyword this close are about the same thing
    paraphrase: float  # this close: one statement reworded; a difference is an error
    translation: float  # a sentence and its translation score at least this


CALIBRATIONS: dict[str, Calibration] = {
    "use-multilingual-v3": Calibration(
        align=0.40, names=0.65, identifiers=0.3, paraphrase=0.8, translation=0.5
    ),
    "all-MiniLM-L6-v2": Calibration(align=0.6, names=0.75, identifiers=0.45, paraphrase=0.9, translation=0.6),
}
FALLBACK = Calibration(align=0.7, names=0.85, identifiers=0.6, paraphrase=0.88, translation=0.6)


def calibration(model_id: str) -> Calibration:
    return CALIBRATIONS.get(model_id, FALLBACK)


@dataclass
class Statement:
    """One sentence text as stated in one document language, with every place it occurs."""

    claim: Claim
    vector: np.ndarray
    places: list[Claim] = field(default_factory=list)

    @property
    def channels(self) -> set[str]:
        return {c.channel_id for c in self.places}

    @property
    def docs(self) -> set[str]:
        """The pages it is stated on. A catalogue holds a whole app: there, a message's page is its key
        without the last part ("checkout.delivery" for "checkout.delivery.title")."""
        return {_page(c) for c in self.places}


@dataclass(frozen=True)
class ClaimCheck:
    findings: tuple[Finding, ...]


def _statements(claims: Sequence[Claim], vectors: np.ndarray) -> list[Statement]:
    by_text: dict[tuple[str, str], Statement] = {}
    for claim, vector in zip(claims, vectors, strict=True):
        key = (" ".join(claim.text.split()).casefold(), claim.segment.language or "")
        statement = by_text.get(key)
        if statement is None:
            statement = by_text[key] = Statement(claim, vector)
        statement.places.append(claim)
    return list(by_text.values())


def _compared(values: Sequence[Value]) -> dict[str, set[tuple[str, str]]]:
    """Kind -> {(value, unit)}: what must be equal when two statements are about one thing."""
    kinds: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for value in values:
        if value.kind in COMPARED_KINDS:
            kinds[value.kind].add((value.value, value.unit if value.kind != "number" else value.unit[:5]))
    return kinds


def _compatible(kind: str, left: set[str], right: set[str]) -> bool:
    if left & right:
        return True
    if kind != "money":
        return False
    # Money compares by currency and by what it is charged for: "$130 per GB" and "$1,780 per month" price
    # two things; "under $40,000" may be the same limit as "$45,000 a year".
    for unit_a in left:
        for unit_b in right:
            currency_a, _, rate_a = unit_a.partition("/")
            currency_b, _, rate_b = unit_b.partition("/")
            if currency_a == currency_b and not (rate_a and rate_b):
                return True
    return False


def _family(kind: str, unit: str) -> str:
    """Units that measure the same thing: business and calendar days are both days."""
    if kind == "duration" and unit == "business_day":
        return "day"
    return unit


# (document uri, message key) -> the message as written in its catalogue; set by check_claims.
_RawTexts = Mapping[tuple[str, str], str]


def raw_texts(documents: Sequence[Document]) -> dict[tuple[str, str], str]:
    """Each catalogue message as written in its file, by document and key (the connector keeps it)."""
    raw: dict[tuple[str, str], str] = {}
    for document in documents:
        info = document.metadata.get("l10n")
        if not isinstance(info, dict):
            continue
        for message in info.get("messages", []):
            text = message.get("raw") or message.get("text")
            if text:
                raw[(document.uri, str(message.get("key")))] = str(text)
    return raw


def _source(claim: Claim, raw: _RawTexts) -> str:
    text = raw.get((claim.segment.doc_uri, claim.key), "") if claim.key else ""
    return text if text and text != claim.text else ""


def _evidence(statement: Statement, raw: _RawTexts) -> list[Evidence]:
    seen: set[tuple[str, str]] = set()
    evidence = []
    for claim in statement.places:
        where = (claim.channel_id, claim.segment.doc_uri)
        if where in seen:
            continue
        seen.add(where)
        evidence.append(Evidence(claim.channel_id, claim.text, claim.segment.location, _source(claim, raw)))
        if len(evidence) == MAX_PLACES:
            break
    return evidence


def _shown(values: Sequence[Value], kind: str) -> str:
    return " / ".join(dict.fromkeys(v.text for v in values if v.kind == kind))


def confidence(similarity: float, cal: Calibration) -> float:
    """How sure a by-meaning finding is: its statements' similarity placed on the model's calibrated scale,
    0.5 at the `align` cut and 0.9 at `paraphrase` (values read by rules are taken as certain)."""
    span = max(cal.paraphrase - cal.align, 1e-6)
    return float(min(0.99, max(0.0, 0.5 + 0.4 * (similarity - cal.align) / span)))


def severity(across_channels: bool, sure: float, rule: str = "") -> str:
    """Within one channel a finding is information; across channels a warning, an error when sure. A stale
    value was true when it was written: a warning at most."""
    if not across_channels:
        return "info"
    if rule == "claims.stale_value":
        return "warning"
    return "error" if sure >= ERROR_CONFIDENCE else "warning"


def _severity(a: Statement, b: Statement, sure: float, rule: str = "") -> str:
    return severity(bool(a.channels - b.channels or b.channels - a.channels), sure, rule)


_WORDS = regex.compile(r"[\w'’.-]+", regex.UNICODE)


def _same_wording(a: Statement, b: Statement, ignored: set[str]) -> bool:
    """Two statements worded alike but for `ignored` words: half their other words in common."""
    words_a = {w.lower().strip(".") for w in _WORDS.findall(a.claim.text) if w not in ignored}
    words_b = {w.lower().strip(".") for w in _WORDS.findall(b.claim.text) if w not in ignored}
    union = words_a | words_b
    return bool(union) and len(words_a & words_b) / len(union) >= SAME_WORDING


def _alternatives_offered(findings: Sequence[Finding]) -> list[Finding]:
    """Names swapped in many statement pairs ("switch to X" and "switch to Y" pages), or a name swapped with
    many others (one sentence per state), are alternatives the brand offers side by side, not
    contradictions: drop those name conflicts."""
    counts: dict[str, int] = defaultdict(int)
    partners: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        if finding.rule_id == "claims.name_conflict":
            counts[finding.subject] += 1
            names = finding.subject.split(" / ")
            for name in names:
                partners[name].update(set(names) - {name})

    def offered(finding: Finding) -> bool:
        names = finding.subject.split(" / ")
        return counts[finding.subject] >= ALTERNATIVE_REPEATS or any(
            len(partners[name]) >= ALTERNATIVE_REPEATS for name in names
        )

    return [f for f in findings if f.rule_id != "claims.name_conflict" or not offered(f)]


def _pair_problem(a: Statement, b: Statement, close: bool) -> tuple[str, str, str] | None:
    """(rule, subject, description) of what two statements about the same thing disagree on, or None.
    `close`: the statements are near rewordings, so a different name in them is a different claim."""
    va, vb = a.claim.values, b.claim.values
    ka, kb = _compared(va), _compared(vb)
    names_a = {v.value for v in va if v.kind == "name"}
    names_b = {v.value for v in vb if v.kind == "name"}
    titles_a = {v.value for v in va if v.kind == "title"}
    titles_b = {v.value for v in vb if v.kind == "title"}
    # "The Oak Desk is $89" and "The Pine Desk is $129" are about two products: each names what the other
    # does not.
    two_subjects = _other_subject(titles_a, titles_b) or bool(
        names_a - names_b and names_b - names_a
    )
    conflicts = []
    for kind in sorted(set(ka) & set(kb)):
        if two_subjects:
            break
        if kind in CONTACT_KINDS:
            continue  # a brand has several addresses and lines, each for its own purpose (facts checks them)
        left, right = ka[kind], kb[kind]
        if left & right:
            continue
        families_left = {_family(kind, unit) for _, unit in left}
        families_right = {_family(kind, unit) for _, unit in right}
        if kind == "number" and "" in families_left | families_right:
            continue  # "page 3", "Box 16": a number that counts nothing is a label
        if kind in ("number", "duration", "money") and not _compatible(kind, families_left, families_right):
            continue  # counts of different things, or durations in other units, are other subjects
        exact_left = {v.value for v in va if v.kind == kind}
        exact_right = {v.value for v in vb if v.kind == kind}
        if kind == "duration" and exact_left & exact_right:
            units = f"{_shown(va, kind)}' vs '{_shown(vb, kind)}"
            conflicts.append(("claims.unit_conflict", kind, f"the same figure in another unit: '{units}'"))
            continue
        conflicts.append(("claims.value_conflict", kind, f"'{_shown(va, kind)}' vs '{_shown(vb, kind)}'"))
    if len(conflicts) == 1:
        return conflicts[0]
    if conflicts:
        return None  # several values differ at once: parallel statements about two different things
    lists_a = {v.value for v in va if v.kind == "enumeration"}
    lists_b = {v.value for v in vb if v.kind == "enumeration"}
    for list_a in lists_a:
        for list_b in lists_b:
            set_a, set_b = set(list_a.split(",")), set(list_b.split(","))
            if set_a != set_b and len(set_a & set_b) * 2 >= min(len(set_a), len(set_b)):
                missing = sorted(set_a ^ set_b)
                return "claims.list_differs", "list", f"lists differ by {', '.join(missing)}"
    spoken = a.claim.segment.scope in SPEAKER_SCOPES or b.claim.segment.scope in SPEAKER_SCOPES
    if close and not spoken:
        conditional = "condition" in a.claim.restrictions or "condition" in b.claim.restrictions
        swapped = len(names_a - names_b) == 1 and len(names_b - names_a) == 1
        # A name inside a longer proper name ("the Oak Desk") names one product of a range, not a provider.
        in_titles = any(name in title for name in names_a ^ names_b for title in titles_a | titles_b)
        swapped = swapped and not in_titles
        alike = a.claim.negated == b.claim.negated and _same_wording(a, b, names_a | names_b)
        if swapped and alike and not conditional:
            only_a, only_b = sorted(names_a - names_b), sorted(names_b - names_a)
            subject = " / ".join(sorted(only_a + only_b))
            return "claims.name_conflict", subject, f"'{only_a[0]}' vs '{only_b[0]}'"
    shared = {(v.kind, v.value) for v in va if v.kind in STATED_KINDS} & {
        (v.kind, v.value) for v in vb if v.kind in STATED_KINDS
    }
    ra, rb = set(a.claim.restrictions) & SCOPE_LIMITS, set(b.claim.restrictions) & SCOPE_LIMITS
    if shared and ra != rb and not (a.claim.negated or b.claim.negated):
        restricted, plain = (a, b) if ra - rb else (b, a)
        how = ", ".join(sorted(set(restricted.claim.restrictions) - set(plain.claim.restrictions)))
        return (
            "claims.qualifier",
            "qualifier",
            f"stated plainly in one place and restricted ({how}) in another",
        )
    return None


def _describe(rule: str, a: Statement, b: Statement, detail: str) -> str:
    heads = {
        "claims.value_conflict": "Statements about the same thing give different values",
        "claims.unit_conflict": "Statements about the same thing give the figure in different units",
        "claims.stale_value": "An older statement gives another value than a newer one",
        "claims.list_differs": "Statements about the same thing list different items",
        "claims.qualifier": "A statement is unconditional in one place and qualified in another",
        "claims.name_conflict": "Statements about the same thing name different providers or products",
    }
    return (
        f"{heads[rule]}: {detail}. {', '.join(sorted(a.channels))} ({a.claim.segment.doc_uri}): "
        f'"{a.claim.text}" — {", ".join(sorted(b.channels))} ({b.claim.segment.doc_uri}): "{b.claim.text}"'
    )


def _page(claim: Claim) -> str:
    if claim.key:
        return f"{claim.segment.doc_uri}#{claim.key.split(' [')[0].rpartition('.')[0]}"
    return claim.segment.doc_uri


def _kinds(statement: Statement) -> set[str]:
    return {v.kind for v in statement.claim.values if v.kind in NEIGHBOUR_KINDS}


def _neighbour_pairs(
    candidates: Sequence[Statement], sims: np.ndarray
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """For each kind of value, each statement with its few closest statements that state a value of that
    kind: what contradicts a statement is what says most nearly the same thing. When those closest ones are
    on the same page or are its translations, the statement is explained where it stands, and a page of
    similar sentences never pairs everything with everything. Codes and keywords, which few statements give,
    are compared pair by pair within a language."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for index, statement in enumerate(candidates):
        for kind in _kinds(statement):
            by_kind[kind].append(index)
    pairs: set[tuple[int, int]] = set()
    identifiers: set[tuple[int, int]] = set()
    for kind, members in by_kind.items():
        if len(members) < 2:
            continue
        rows = np.asarray(members)
        if kind in IDENTIFIER_KINDS and len(members) <= EXHAUSTIVE:
            identifiers.update((int(a), int(b)) for i, a in enumerate(rows) for b in rows[i + 1 :])
            continue
        sub = sims[np.ix_(rows, rows)]
        k = min(NEIGHBOURS, len(members) - 1)
        nearest = np.argpartition(-sub, k - 1, axis=1)[:, :k]
        for i, row in enumerate(nearest):
            for j in row:
                a, b = int(rows[i]), int(rows[int(j)])
                if a != b:
                    pairs.add((min(a, b), max(a, b)))
    return pairs, identifiers


def _dated(statement: Statement, dates: Mapping[str, str]) -> str | None:
    """The newest date of the documents stating it, or None when any of them is undated (a current page)."""
    found = [dates.get(claim.segment.doc_uri) for claim in statement.places]
    return None if not found or any(d is None for d in found) else max(d for d in found if d)


def _stale_side(a: Statement, b: Statement, dates: Mapping[str, str]) -> str | None:
    """The date of the side written well before the other (STALE_DAYS), or None. An undated side is a
    current page: it counts as written on the brand's newest date, so last week's post is no old figure."""
    newest = max(dates.values(), default="")
    date_a, date_b = _dated(a, dates) or newest, _dated(b, dates) or newest
    if not (date_a and date_b):
        return None
    older, newer = sorted((date_a, date_b))
    try:
        gap = (datetime.fromisoformat(newer) - datetime.fromisoformat(older)).days
    except ValueError:
        return None
    return older if gap >= STALE_DAYS else None


def _by_meaning(
    statements: Sequence[Statement], cal: Calibration, raw: _RawTexts, dates: Mapping[str, str]
) -> list[Finding]:
    candidates = [
        s
        for s in statements
        if len(s.claim.text.split()) >= MIN_CLAIM_WORDS
        and _kinds(s)
        and "example" not in s.claim.restrictions  # an example's values illustrate; they promise nothing
    ]
    if len(candidates) < 2:
        return []
    matrix = np.stack([s.vector for s in candidates])
    sims = matrix @ matrix.T
    np.fill_diagonal(sims, -1.0)
    pairs, identifiers = _neighbour_pairs(candidates, sims)
    findings: list[Finding] = []
    code_pairs: list[tuple[Statement, Statement, float]] = []
    for i, j in sorted(pairs | identifiers):
        similarity = float(sims[i, j])
        if similarity < (cal.identifiers if (i, j) in identifiers else cal.align):
            continue
        a, b = candidates[i], candidates[j]
        if a.docs & b.docs:
            continue  # one page's sentences about one thing are its own detail, not a contradiction
        if a.claim.key and a.claim.key == b.claim.key:
            continue  # one message in two languages: compared by key
        if a.claim.segment.language != b.claim.segment.language:
            # Across languages a sentence is compared with its own translation (by key or by version):
            # the translation of another message is close in meaning but about another case.
            continue
        problem = _pair_problem(a, b, similarity >= cal.names)
        if problem is None:
            continue
        rule, subject, detail = problem
        if rule in ("claims.value_conflict", "claims.unit_conflict"):
            older = _stale_side(a, b, dates)
            if older is not None:
                rule = "claims.stale_value"
                detail = f"{detail}; the statement dated {older} is older than the other (an old figure?)"
        if subject == "code":
            # Only the same keyword sent to another code is one instruction given twice ("STOP" to two
            # numbers); every place that gives a code joins one finding (below).
            if _shared(a, b, "keyword") or similarity >= cal.paraphrase:
                code_pairs.append((a, b, similarity))
            continue
        if (i, j) in identifiers and similarity < cal.align:
            continue  # two texting instructions with other keywords are other instructions
        sure = confidence(similarity, cal)
        if similarity < cal.paraphrase and _one_catalogue(a, b):
            # One catalogue holds a whole app: two of its screens stating figures about one subject are
            # usually two cases (a state, a year, a product). Only near rewordings are one claim twice.
            continue
        findings.append(
            Finding(
                rule_id=rule,
                dimension="facts",
                severity=_severity(a, b, sure, rule),
                message=f"{_describe(rule, a, b, detail)} (confidence {sure:.2f})",
                confidence=sure,
                evidence=(*_evidence(a, raw), *_evidence(b, raw)),
                channels=tuple(sorted(a.channels | b.channels)),
                key=_pair_key(rule, a, b),
                subject=subject,
                difference=_values_differ(rule, subject, a, b, raw),
            )
        )
    findings.extend(_code_findings(code_pairs, raw, cal))
    return findings


def _values_differ(rule: str, kind: str, a: Statement, b: Statement, raw: _RawTexts) -> Difference | None:
    """For two statements giving different values: the one fewer channels make is the odd one out."""
    if rule not in ("claims.value_conflict", "claims.unit_conflict", "claims.stale_value"):
        return None
    odd, other = sorted((a, b), key=lambda statement: len(statement.channels))
    return Difference(
        kind.replace("_", " ").capitalize(),
        Stated(_shown(odd.claim.values, kind), tuple(sorted(odd.channels)), tuple(_evidence(odd, raw))),
        Stated(_shown(other.claim.values, kind), tuple(sorted(other.channels)), tuple(_evidence(other, raw))),
    )


def _pair_key(rule: str, a: Statement, b: Statement) -> str:
    """What identifies the problem: the two messages' keys when both come from catalogues (so the same
    conflict in every language is one problem), else the two texts."""
    if a.claim.key and b.claim.key:
        keys = sorted(k.split(" [")[0] for k in (a.claim.key, b.claim.key))
        return f"{rule}|key:{keys[0]}|{keys[1]}"
    return f"{rule}|{a.claim.text}|{b.claim.text}"


def _one_catalogue(a: Statement, b: Statement) -> bool:
    uris = {c.segment.doc_uri for c in (*a.places, *b.places)}
    return len(uris) == 1 and bool(a.claim.key and b.claim.key)


def _shared(a: Statement, b: Statement, kind: str) -> bool:
    values_a = {v.value for v in a.claim.values if v.kind == kind}
    return bool(values_a & {v.value for v in b.claim.values if v.kind == kind})


def _code_findings(
    pairs: Sequence[tuple[Statement, Statement, float]], raw: _RawTexts, cal: Calibration
) -> list[Finding]:
    """One finding per set of statements linked by code conflicts: "text STOP to 12345", "... to 67890" and
    "... to 24680" are one problem however many pages repeat each."""
    # Statements in one language that give codes for texting instructions are one set of instructions.
    by_language: dict[str, dict[int, Statement]] = defaultdict(dict)
    for a, b, _ in pairs:
        for statement in (a, b):
            by_language[statement.claim.segment.language or ""].setdefault(id(statement), statement)
    groups = [list(members.values()) for members in by_language.values()]
    best = max((similarity for *_, similarity in pairs), default=0.0)
    findings = []
    for members in groups:
        codes = sorted({v.value for m in members for v in m.claim.values if v.kind == "code"})
        channels = sorted({c for m in members for c in m.channels})
        evidence = [e for m in members for e in _evidence(m, raw)]
        findings.append(
            Finding(
                rule_id="claims.value_conflict",
                dimension="facts",
                severity="info" if len(channels) == 1 else "warning",
                message=(
                    f"The same instruction gives different codes: {' / '.join(codes)}, in "
                    f"{len(members)} statements: " + " — ".join(f'"{m.claim.text}"' for m in members[:6])
                    + f" (confidence {confidence(best, cal):.2f})"
                ),
                confidence=confidence(best, cal),
                evidence=tuple(evidence),
                channels=tuple(channels),
                key=f"claims.value_conflict|code|{'/'.join(codes)}",
                subject="code",
            )
        )
    return findings


def _titles(claim: Claim) -> set[str]:
    return {v.value for v in claim.values if v.kind == "title"}


def _other_subject(titles_a: set[str], titles_b: set[str]) -> bool:
    """Both name what they are about, and no name is part of another ("The Oak Desk" / "Oak Desk" is one)."""
    if not titles_a or not titles_b:
        return False
    return not any(a in b or b in a for a in titles_a for b in titles_b)


def book_wording(fact: Fact) -> str:
    """How the brand book states an expected fact, in words a sentence embedding can place: "Return window:
    30 days", "Price of Oak Desk: $89"."""
    field = (fact.location.section or "").removeprefix("facts.")
    if field.startswith("prices."):
        return f"The price of {field.removeprefix('prices.')} is {fact.quote}"
    return f"{field.replace('_', ' ').capitalize()}: {fact.quote}"


def _off_book(
    statements: Sequence[Statement],
    book: Sequence[tuple[Fact, Claim, np.ndarray]],
    cal: Calibration,
    raw: _RawTexts,
) -> list[Finding]:
    """`claims.off_book`: the statements closest in meaning to a brand-book fact (its field and value, in
    words) that state a value of its kind, in any wording, and state another value. The book's facts are
    the truth, so a channel that differs is wrong whatever the other channels say."""
    findings = []
    for fact, claim, vector in book:
        named = _titles(claim)
        stating = [
            s
            for s in statements
            if any(v.kind == fact.kind for v in s.claim.values)
            and not _other_subject(named, _titles(s.claim))  # another product
        ]
        if not stating:
            continue
        sims = np.stack([s.vector for s in stating]) @ vector
        for index in np.argsort(-sims)[: NEIGHBOURS * 2]:
            similarity = float(sims[int(index)])
            if similarity < cal.align:
                break
            statement = stating[int(index)]
            values = [v for v in statement.claim.values if v.kind == fact.kind]
            wanted = _family(fact.kind, fact.unit)
            comparable = [v for v in values if _compatible(fact.kind, {_family(v.kind, v.unit)}, {wanted})]
            if not comparable or any(v.value == fact.value for v in comparable):
                continue  # another measure ("per GB" against a monthly price), or the book's value
            sure = confidence(similarity, cal)
            stated = " / ".join(dict.fromkeys(v.text for v in values))
            field = (fact.location.section or "").removeprefix("facts.")
            findings.append(
                Finding(
                    rule_id="claims.off_book",
                    dimension="facts",
                    severity="error" if sure >= ERROR_CONFIDENCE else "warning",
                    message=(
                        f"{', '.join(sorted(statement.channels))} says {stated} where the brand book's "
                        f"{field} is {fact.quote}: \"{statement.claim.text}\" (confidence {sure:.2f})"
                    ),
                    evidence=(
                        *_evidence(statement, raw),
                        Evidence(fact.channel_id, book_wording(fact), fact.location),
                    ),
                    channels=tuple(sorted(statement.channels)),
                    key=f"claims.off_book|{field}|{statement.claim.text}",
                    subject=field,
                    confidence=sure,
                    difference=Difference(
                        field.replace("_", " ").capitalize(),
                        Stated(stated, tuple(sorted(statement.channels)), tuple(_evidence(statement, raw))),
                        Stated(fact.quote, (fact.channel_id,)),
                    ),
                )
            )
    return findings


def _polarity(statements: Sequence[Statement], cal: Calibration, raw: _RawTexts) -> list[Finding]:
    """`claims.polarity`: one statement said and denied ("returns are free" / "returns are not free"). Only
    near rewordings count: in the same language, on other pages, worded alike once the negation is set
    aside, and neither limited by "only" or "except" (which deny the rest: "only by you" is "not by
    others")."""
    candidates = [
        s
        for s in statements
        if len(s.claim.text.split()) >= MIN_CLAIM_WORDS
        and not set(s.claim.restrictions) & SCOPE_LIMITS
        and "example" not in s.claim.restrictions
        and not _question_or_table(s.claim.text)
    ]
    denied = [s for s in candidates if s.claim.negated]
    said = [s for s in candidates if not s.claim.negated]
    if not denied or not said:
        return []
    said_matrix = np.stack([s.vector for s in said])
    findings = []
    for a in denied:
        sims = said_matrix @ a.vector
        for j in np.argsort(-sims)[:NEIGHBOURS]:
            similarity = float(sims[int(j)])
            b = said[int(j)]
            if similarity < cal.paraphrase:
                break
            if a.docs & b.docs or a.claim.segment.language != b.claim.segment.language:
                continue
            if not _negation_only(a, b):
                continue
            sure = confidence(similarity, cal)
            findings.append(
                Finding(
                    rule_id="claims.polarity",
                    dimension="facts",
                    severity=_severity(a, b, sure),
                    message=(
                        f"A statement is made in one place and denied in another: "
                        f"{', '.join(sorted(b.channels))} ({b.claim.segment.doc_uri}): \"{b.claim.text}\" — "
                        f"{', '.join(sorted(a.channels))} ({a.claim.segment.doc_uri}): \"{a.claim.text}\" "
                        f"(confidence {sure:.2f})"
                    ),
                    evidence=(*_evidence(b, raw), *_evidence(a, raw)),
                    channels=tuple(sorted(a.channels | b.channels)),
                    key=_pair_key("claims.polarity", b, a),
                    subject="polarity",
                    confidence=sure,
                )
            )
    return findings


def _question_or_table(text: str) -> bool:
    """A question asserts nothing ("Did everyone have insurance?"), and a "No" in a table row is a value."""
    stripped = text.strip()
    return stripped.endswith(("?", "？", "؟")) or stripped.startswith("¿") or " | " in stripped


def _negation_only(a: Statement, b: Statement) -> bool:
    """Whether two sentences differ by their negation and at most POLARITY_SLACK other words ("can" next to
    "cannot", "are" next to "aren't"): the same sentence, said and denied."""
    pattern = cues(a.claim.segment.language).negation

    def words(statement: Statement) -> set[str]:
        text = statement.claim.text.lower()
        if pattern is not None:
            text = pattern.sub(" ", text)
        return {w.strip(".,;:!?") for w in _WORDS.findall(text)} - {""}

    return len(words(a) ^ words(b)) <= POLARITY_SLACK


# -- language versions ------------------------------------------------------------------------------------


def _number_sets(claims: Sequence[Claim]) -> tuple[set[Decimal], set[Decimal]]:
    """(numbers written in digits, every number stated however written). A number in words alone ("one",
    "deux", an Arabic dual) is too often an article or a turn of phrase to be compared by itself, but it
    does account for the other version's digits."""
    digits = {n for claim in claims for n in claim.digits}
    stated = {n for claim in claims for n in claim.numbers}
    return digits, stated


def _lists(claims: Sequence[Claim]) -> set[str]:
    return {v.value for claim in claims for v in claim.values if v.kind == "enumeration"}


def _version_finding(
    rule: str, detail: str, left: Sequence[Claim], right: Sequence[Claim], key: str, raw: _RawTexts
) -> Finding:
    def quote(claims: Sequence[Claim]) -> Evidence:
        first = claims[0]
        text = " ".join(c.text for c in claims)
        source = _source(first, raw)
        return Evidence(first.channel_id, text, first.segment.location, source if source != text else "")

    lang_a, lang_b = left[0].segment.language, right[0].segment.language
    text_a, text_b = " ".join(c.text for c in left), " ".join(c.text for c in right)
    heads = {
        "claims.translation_value": "Language versions state different figures",
        "claims.translation_list": "Language versions list different items",
    }
    return Finding(
        rule_id=rule,
        dimension="facts",
        severity="warning",
        message=f'{heads[rule]}: {detail}. {lang_a}: "{text_a}" — {lang_b}: "{text_b}"',
        evidence=(quote(left), quote(right)),
        channels=tuple(sorted({left[0].channel_id, right[0].channel_id})),
        key=f"{rule}|{key}|{lang_a}|{lang_b}",
        subject=key,
        # Aligned by message key (or as mutual best translations) and compared figure by figure.
        confidence=KEYED_CONFIDENCE,
    )


def _compare_translation(
    left: Sequence[Claim], right: Sequence[Claim], key: str, raw: _RawTexts
) -> Finding | None:
    digits_a, stated_a = _number_sets(left)
    digits_b, stated_b = _number_sets(right)
    if digits_a - stated_b or digits_b - stated_a:
        only_a = ", ".join(format(n, "f") for n in sorted(stated_a - stated_b)) or "none"
        only_b = ", ".join(format(n, "f") for n in sorted(stated_b - stated_a)) or "none"
        detail = (
            f"only the {left[0].segment.language} version says {only_a}; "
            f"only the {right[0].segment.language} version says {only_b}"
        )
        return _version_finding("claims.translation_value", detail, left, right, key, raw)
    lists_a, lists_b = _lists(left), _lists(right)
    if lists_a and lists_b and lists_a != lists_b:
        items_a = set(",".join(lists_a).split(","))
        items_b = set(",".join(lists_b).split(","))
        detail = f"the lists differ by {', '.join(sorted(items_a ^ items_b))}"
        return _version_finding("claims.translation_list", detail, left, right, key, raw)
    return None


def _by_key(
    claims: Sequence[Claim], version_of: Mapping[str, str], source: str, raw: _RawTexts
) -> list[Finding]:
    messages: dict[tuple[str, str], dict[str, list[Claim]]] = defaultdict(lambda: defaultdict(list))
    for claim in claims:
        if claim.key:
            resource = version_of.get(claim.segment.doc_uri, claim.segment.doc_uri)
            base = claim.key.split(" [")[0]
            messages[(resource, base)][claim.segment.language or ""].append(claim)
    findings = []
    for (_, key), by_language in messages.items():
        if len(by_language) < 2:
            continue
        reference = source if source in by_language else sorted(by_language)[0]
        for language, texts in sorted(by_language.items()):
            if language == reference:
                continue
            found = _compare_translation(by_language[reference], texts, key, raw)
            if found is not None:
                findings.append(found)
    return findings


def _by_version(
    documents: Sequence[Document],
    statements_by_doc: Mapping[str, list[Statement]],
    cal: Calibration,
    source: str,
) -> list[Finding]:
    findings: list[Finding] = []
    for group in version_groups(documents):
        docs = [d for d in group.documents if not d.metadata.get("l10n")]
        references = [d for d in docs if (d.language or "") == source]
        for reference in references[:1]:
            ref = statements_by_doc.get(reference.uri, [])
            for other in docs:
                if other.language == reference.language or other.language is None:
                    continue
                findings.extend(_compare_documents(ref, statements_by_doc.get(other.uri, []), cal, group.key))
    return findings


def _compare_documents(
    ref: list[Statement], other: list[Statement], cal: Calibration, key: str
) -> list[Finding]:
    if len(ref) < 3 or len(other) < 3:
        return []
    sims = np.stack([s.vector for s in ref]) @ np.stack([s.vector for s in other]).T
    best = sims.argmax(axis=1)
    best_score = sims.max(axis=1)
    findings: list[Finding] = []
    for i, statement in enumerate(ref):
        j = int(best[i])
        if best_score[i] >= cal.translation and int(sims[:, j].argmax()) == i:
            found = _compare_translation(
                [statement.claim], [other[j].claim], f"{key}: {statement.claim.text[:40]}", {}
            )
            if found is not None:
                findings.append(found)
    return findings


def check_claims(
    claims: Sequence[Claim],
    vectors: np.ndarray,
    documents: Sequence[Document],
    *,
    model_id: str,
    multilingual: bool,
    source_language: str,
    book: Sequence[tuple[Fact, Claim, np.ndarray]] = (),
) -> ClaimCheck:
    """Every contradiction between statements (see the module doc). `vectors` are the claims' sentence
    embeddings, in order; `book` the brand book's expected facts, each with the claim and the embedding of
    its `book_wording`."""
    cal = calibration(model_id)
    statements = _statements(claims, vectors)
    raw = raw_texts(documents)
    # Documents that say when they were written (posts, dated pages): ISO dates, set by the connectors.
    dates = {d.uri: str(d.metadata["date"])[:10] for d in documents if d.metadata.get("date")}
    meaning = _by_meaning(statements, cal, raw, dates)
    version_of = {d.uri: str(d.metadata.get("version_key") or d.uri) for d in documents}
    keyed = _by_key(claims, version_of, source_language, raw)
    statements_by_doc: dict[str, list[Statement]] = defaultdict(list)
    if multilingual:
        for claim, vector in zip(claims, vectors, strict=True):
            if not claim.key:
                statements_by_doc[claim.segment.doc_uri].append(Statement(claim, vector, [claim]))
        versions = _by_version(documents, statements_by_doc, cal, source_language)
    else:
        versions = []
    polarity = _polarity(statements, cal, raw)
    off_book = _off_book(statements, book, cal, raw)
    findings = _merge([*_alternatives_offered(meaning), *polarity, *off_book, *keyed, *versions])
    return ClaimCheck(tuple(findings))


def _merge(findings: Sequence[Finding]) -> list[Finding]:
    """One problem, one finding: findings with one key (the same pair of texts, or of messages in every
    language) become one, with the evidence of all."""
    merged: dict[str, Finding] = {}
    for finding in findings:
        first = merged.get(finding.key)
        if first is None:
            merged[finding.key] = finding
            continue
        evidence = list(dict.fromkeys((*first.evidence, *finding.evidence)))
        channels = tuple(sorted(set(first.channels) | set(finding.channels)))
        merged[finding.key] = replace(first, evidence=tuple(evidence), channels=channels)
    return list(merged.values())


__all__ = ["CALIBRATIONS", "Calibration", "ClaimCheck", "calibration", "check_claims"]
