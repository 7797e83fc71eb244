"""Claims compared: contradictions between channels, pages and language versions, by meaning, not cue lists.

Three ways two statements come to be compared:

- **By key**: a localization message and its translation (same resource, same key): the numbers each
  states must be the same (`claims.translation_value`), and so must its lists of codes.
- **By version**: two language versions of one page (`version_groups`): each sentence and its mutual best
  multilingual match must state the same numbers and lists (`analyze.versions` reports dropped sentences).
- **By meaning**: any two statements, in any channels, whose embeddings are close (the model's calibrated
  `align` similarity) and whose values have a kind in common: a value of the same kind that differs
  (`claims.value_conflict`: "$89,000" vs "$69,000", short code 11111 vs 58750, "withdrawn monthly" vs "from
  each payment"), the same number in another unit (`claims.unit_conflict`: "1-2 business days" vs "1-2
  days"), a list of codes with members missing (`claims.list_differs`), or the same value stated plainly on
  one side and restricted on the other (`claims.qualifier`: "24 hour support" vs "24 hour support for
  critical incidents only").

One problem is one finding: identical sentences (duplicate pages) are one statement listing every place, and
pairs that repeat one conflict are merged. Within one channel a finding is `info`; across channels `warning`,
or `error` when the statements are near paraphrases. Each finding carries a confidence in its message.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from ..extract.claims import read_numbers
from ..models import Claim, Document, Evidence, Finding, Value
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
CONTACT_KINDS = frozenset({"phone", "email", "url"})  # compared by the brand book's facts instead
# Labels and buttons ("Box 16", "Page 3 of 5") are not claims.
MIN_CLAIM_WORDS = 4
NEIGHBOURS = 3
MAX_PLACES = 6  # places listed per side of a finding


@dataclass(frozen=True)
class Calibration:
    """Similarities at which a model's statements are about the same thing. Measured on real material
    (bench/realworld.py): same-subject pairs with different values, against unrelated pairs."""

    align: float  # statements this close are about the same subject: their values must agree
    paraphrase: float  # this close: one statement reworded; a difference is an error
    translation: float  # a sentence and its translation score at least this


CALIBRATIONS: dict[str, Calibration] = {
    "use-multilingual-v3": Calibration(align=0.62, paraphrase=0.8, translation=0.5),
    "all-MiniLM-L6-v2": Calibration(align=0.75, paraphrase=0.9, translation=0.6),
}
FALLBACK = Calibration(align=0.7, paraphrase=0.88, translation=0.6)


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
        return {c.segment.doc_uri for c in self.places}


@dataclass(frozen=True)
class ClaimCheck:
    findings: tuple[Finding, ...]
    compared: int  # statement pairs about the same subject that were compared
    consistent: int


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


def _family(kind: str, unit: str) -> str:
    """Units that measure the same thing: business and calendar days are both days."""
    if kind == "duration" and unit == "business_day":
        return "day"
    return unit


def _evidence(statement: Statement) -> list[Evidence]:
    seen: set[tuple[str, str]] = set()
    evidence = []
    for claim in statement.places:
        where = (claim.channel_id, claim.segment.doc_uri)
        if where in seen:
            continue
        seen.add(where)
        evidence.append(Evidence(claim.channel_id, claim.text, claim.segment.location))
        if len(evidence) == MAX_PLACES:
            break
    return evidence


def _shown(values: Sequence[Value], kind: str) -> str:
    return " / ".join(dict.fromkeys(v.text for v in values if v.kind == kind))


def _severity(a: Statement, b: Statement, similarity: float, cal: Calibration) -> str:
    if not (a.channels - b.channels or b.channels - a.channels):
        return "info"
    return "error" if similarity >= cal.paraphrase else "warning"


def _pair_problem(a: Statement, b: Statement) -> tuple[str, str, str] | None:
    """(rule, subject, description) of what two statements about the same thing disagree on, or None."""
    va, vb = a.claim.values, b.claim.values
    ka, kb = _compared(va), _compared(vb)
    conflicts = []
    for kind in sorted(set(ka) & set(kb)):
        if kind in CONTACT_KINDS:
            continue  # a brand has several addresses and lines, each for its own purpose (facts checks them)
        left, right = ka[kind], kb[kind]
        if left & right:
            continue
        families_left = {_family(kind, unit) for _, unit in left}
        families_right = {_family(kind, unit) for _, unit in right}
        if kind == "number" and "" in families_left | families_right:
            continue  # "page 3", "Box 16": a number that counts nothing is a label
        if kind in ("number", "duration", "money") and not families_left & families_right:
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
        "claims.list_differs": "Statements about the same thing list different items",
        "claims.qualifier": "A statement is unconditional in one place and qualified in another",
    }
    return (
        f"{heads[rule]}: {detail}. {', '.join(sorted(a.channels))} ({a.claim.segment.doc_uri}): "
        f'"{a.claim.text}" — {", ".join(sorted(b.channels))} ({b.claim.segment.doc_uri}): "{b.claim.text}"'
    )


def _by_meaning(
    statements: Sequence[Statement], cal: Calibration, multilingual: bool
) -> tuple[list[Finding], int]:
    candidates = [
        s
        for s in statements
        if len(s.claim.text.split()) >= MIN_CLAIM_WORDS
        and (_compared(s.claim.values) or any(v.kind == "enumeration" for v in s.claim.values))
    ]
    if len(candidates) < 2:
        return [], 0
    matrix = np.stack([s.vector for s in candidates])
    sims = matrix @ matrix.T
    np.fill_diagonal(sims, -1.0)
    # A statement is compared with its few closest neighbours only: what contradicts a statement is what
    # says the same thing, and a long page of similar sentences must not pair everything with everything.
    k = min(NEIGHBOURS, len(candidates) - 1)
    nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k > 0 else np.zeros((len(candidates), 0), int)
    pairs = {(min(i, int(j)), max(i, int(j))) for i in range(len(candidates)) for j in nearest[i]}
    findings: list[Finding] = []
    compared = 0
    for i, j in sorted(pairs):
        similarity = float(sims[i, j])
        if similarity < cal.align:
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
        compared += 1
        problem = _pair_problem(a, b)
        if problem is None:
            continue
        rule, subject, detail = problem
        findings.append(
            Finding(
                rule_id=rule,
                dimension="facts",
                severity=_severity(a, b, similarity, cal),
                message=f"{_describe(rule, a, b, detail)} (confidence {similarity:.2f})",
                evidence=(*_evidence(a), *_evidence(b)),
                channels=tuple(sorted(a.channels | b.channels)),
                key=f"{rule}|{a.claim.text}|{b.claim.text}",
                subject=subject,
            )
        )
    return findings, compared


# -- language versions ------------------------------------------------------------------------------------


def _number_sets(claims: Sequence[Claim]) -> tuple[set[Decimal], set[Decimal]]:
    """(numbers written in digits, every number stated however written). A number in words alone ("one",
    "deux", an Arabic dual) is too often an article or a turn of phrase to be compared by itself, but it
    does account for the other version's digits."""
    digits: set[Decimal] = set()
    stated: set[Decimal] = set()
    for claim in claims:
        language = claim.segment.language or "en"
        digits.update(n.normalize() for n in read_numbers(claim.text, language, words=False))
        stated.update(n.normalize() for n in read_numbers(claim.text, language))
    return digits, stated


def _lists(claims: Sequence[Claim]) -> set[str]:
    return {v.value for claim in claims for v in claim.values if v.kind == "enumeration"}


def _version_finding(
    rule: str, detail: str, left: Sequence[Claim], right: Sequence[Claim], key: str
) -> Finding:
    def quote(claims: Sequence[Claim]) -> Evidence:
        first = claims[0]
        return Evidence(first.channel_id, " ".join(c.text for c in claims), first.segment.location)

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
    )


def _compare_translation(left: Sequence[Claim], right: Sequence[Claim], key: str) -> Finding | None:
    digits_a, stated_a = _number_sets(left)
    digits_b, stated_b = _number_sets(right)
    if digits_a - stated_b or digits_b - stated_a:
        only_a = ", ".join(format(n, "f") for n in sorted(stated_a - stated_b)) or "none"
        only_b = ", ".join(format(n, "f") for n in sorted(stated_b - stated_a)) or "none"
        detail = (
            f"only the {left[0].segment.language} version says {only_a}; "
            f"only the {right[0].segment.language} version says {only_b}"
        )
        return _version_finding("claims.translation_value", detail, left, right, key)
    lists_a, lists_b = _lists(left), _lists(right)
    if lists_a and lists_b and lists_a != lists_b:
        items_a = set(",".join(lists_a).split(","))
        items_b = set(",".join(lists_b).split(","))
        detail = f"the lists differ by {', '.join(sorted(items_a ^ items_b))}"
        return _version_finding("claims.translation_list", detail, left, right, key)
    return None


def _by_key(claims: Sequence[Claim], version_of: Mapping[str, str], source: str) -> list[Finding]:
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
            found = _compare_translation(by_language[reference], texts, key)
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
                [statement.claim], [other[j].claim], f"{key}: {statement.claim.text[:40]}"
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
) -> ClaimCheck:
    """Every contradiction between statements (see the module doc). `vectors` are the claims' sentence
    embeddings, in order."""
    cal = calibration(model_id)
    statements = _statements(claims, vectors)
    meaning, compared = _by_meaning(statements, cal, multilingual)
    version_of = {d.uri: str(d.metadata.get("version_key") or d.uri) for d in documents}
    keyed = _by_key(claims, version_of, source_language)
    statements_by_doc: dict[str, list[Statement]] = defaultdict(list)
    if multilingual:
        for claim, vector in zip(claims, vectors, strict=True):
            if not claim.key:
                statements_by_doc[claim.segment.doc_uri].append(Statement(claim, vector, [claim]))
        versions = _by_version(documents, statements_by_doc, cal, source_language)
    else:
        versions = []
    findings = _merge([*meaning, *keyed, *versions])
    conflicts = sum(1 for f in meaning)
    return ClaimCheck(tuple(findings), compared, max(compared - conflicts, 0))


def _merge(findings: Sequence[Finding]) -> list[Finding]:
    """One problem, one finding: the same rule over the same pair of texts is kept once."""
    seen: dict[tuple[str, frozenset[str]], Finding] = {}
    for finding in findings:
        texts = frozenset(e.quote for e in finding.evidence)
        seen.setdefault((finding.rule_id, texts), finding)
    return list(seen.values())


__all__ = ["CALIBRATIONS", "Calibration", "ClaimCheck", "calibration", "check_claims"]
