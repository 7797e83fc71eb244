"""Fact consistency: the same kind of fact about the same subject must agree across channels and with the
brand book. "30 days" for returns is only ever compared with other return windows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Difference, Evidence, Fact, Finding, Stated

# Facts that are about one thing and must have one value. Promo codes, percentages and untargeted prices
# legitimately vary, so they are not compared.
COMPARED_KINDS = frozenset({"duration", "hours", "money", "phone", "email"})
# Several phone numbers or addresses can be legitimate (press line, international line): a warning only.
SOFT_SUBJECTS = frozenset({"phone", "email"})
BRAND_BOOK = "brand_book"
QUOTES_PER_SIDE = 2

_SUBJECT_NAMES = {
    "returns": "Return window",
    "delivery": "Delivery time",
    "support_hours": "Support hours",
    "phone": "Phone number",
    "email": "Contact email",
    "warranty": "Warranty period",
    "refunds": "Refund time",
}


def subject_name(subject: str) -> str:
    if subject.startswith("price:"):
        return f"Price of {subject.split(':', 1)[1]}"
    return _SUBJECT_NAMES.get(subject, subject.replace("_", " ").capitalize())


def _comparable(fact: Fact) -> bool:
    return fact.kind in COMPARED_KINDS and bool(fact.subject) and fact.subject != "price"


@dataclass(frozen=True)
class FactCheck:
    findings: tuple[Finding, ...]
    subjects_checked: int  # subjects stated in two or more places (channels or the brand book)
    subjects_consistent: int


def _evidence(facts: Sequence[Fact]) -> list[Evidence]:
    seen: set[str] = set()
    evidence = []
    for fact in facts:
        if fact.quote in seen:
            continue
        seen.add(fact.quote)
        evidence.append(Evidence(fact.channel_id, fact.quote, fact.location))
        if len(evidence) == QUOTES_PER_SIDE:
            break
    return evidence


def _describe(values: dict[str, list[Fact]]) -> str:
    """'facebook says 7-10 business days; call-centre and website say 3-5 business days': channels that
    agree are named together, so the odd one out stands out."""
    by_statement: dict[tuple[str, ...], list[str]] = defaultdict(list)
    wording: dict[tuple[str, ...], str] = {}
    for channel, facts in values.items():
        key = tuple(sorted({fact.value for fact in facts}))
        by_statement[key].append(channel)
        wording.setdefault(key, " / ".join(dict.fromkeys(fact.text for fact in facts)))
    parts = []
    for key, channels in sorted(by_statement.items(), key=lambda item: (len(item[1]), item[1])):
        names = channels[0] if len(channels) == 1 else ", ".join(channels[:-1]) + " and " + channels[-1]
        parts.append(f"{names} say{'s' if len(channels) == 1 else ''} {wording[key]}")
    return "; ".join(parts)


def _places(facts: Sequence[Fact]) -> tuple[Evidence, ...]:
    """Every place a value is stated (each sentence once per file): where a fix has to be made."""
    seen: set[tuple[str, str]] = set()
    places = []
    for fact in facts:
        if (fact.location.uri, fact.quote) not in seen:
            seen.add((fact.location.uri, fact.quote))
            places.append(Evidence(fact.channel_id, fact.quote, fact.location))
    return tuple(places)


def _wording(facts: Sequence[Fact]) -> str:
    return " / ".join(dict.fromkeys(fact.text for fact in facts))


def _difference(name: str, sides: dict[str, list[Fact]], book: Sequence[Fact]) -> Difference:
    """The odd one out among channels that disagree: the statement made by the fewest channels that the
    brand book does not back; the expected value is the book's (with the channels that agree with it), else
    the statement most channels make."""
    groups: dict[frozenset[str], list[str]] = defaultdict(list)
    for channel, facts in sides.items():
        groups[frozenset(fact.value for fact in facts)].append(channel)
    book_values = {fact.value for fact in book}
    backed = [values for values in groups if values & book_values]
    by_size = sorted(groups, key=lambda values: (len(groups[values]), sorted(groups[values])))
    odd = next((values for values in by_size if values not in backed), by_size[0])
    odd_facts = [fact for channel in groups[odd] for fact in sides[channel]]
    odd_side = Stated(_wording(odd_facts), tuple(groups[odd]), _places(odd_facts))
    if book:
        agreeing = tuple(channel for values in backed for channel in groups[values])
        return Difference(name, odd_side, Stated(_wording(book), (BRAND_BOOK, *agreeing)))
    common = next(values for values in reversed(by_size) if values != odd)
    common_facts = [fact for channel in groups[common] for fact in sides[channel]]
    return Difference(name, odd_side, Stated(_wording(common_facts), tuple(groups[common])))


def check_facts(facts: Sequence[Fact], expected: Sequence[Fact] = ()) -> FactCheck:
    """Contradictions between channels, and statements that differ from the brand book."""
    # (kind, subject) -> channel -> facts, in input order
    grouped: dict[tuple[str, str], dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
    for fact in facts:
        if _comparable(fact):
            grouped[(fact.kind, fact.subject)][fact.channel_id].append(fact)
    book: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in expected:
        book[(fact.kind, fact.subject)].append(fact)

    findings: list[Finding] = []
    checked = consistent = 0
    for (kind, subject), by_channel in sorted(grouped.items()):
        value_sets = {channel: {fact.value for fact in items} for channel, items in by_channel.items()}
        book_values = {fact.value for fact in book.get((kind, subject), [])}
        if len(value_sets) + (1 if book_values else 0) < 2:
            continue
        checked += 1
        severity = "warning" if subject in SOFT_SUBJECTS else "error"
        name = subject_name(subject)
        # Channels disagree when their statements share no value: a site listing standard and express
        # delivery does not contradict a script that quotes only the standard time.
        channels = sorted(value_sets)
        clashing = sorted(
            {a for a in channels for b in channels if a < b and not value_sets[a] & value_sets[b]}
            | {b for a in channels for b in channels if a < b and not value_sets[a] & value_sets[b]}
        )
        off_book = [c for c in channels if book_values and not value_sets[c] & book_values]
        if not clashing and not off_book:
            consistent += 1
            continue
        wanted = " / ".join(dict.fromkeys(fact.text for fact in book.get((kind, subject), [])))
        if clashing:
            sides = {channel: by_channel[channel] for channel in clashing}
            book_note = f" (the brand book says {wanted})" if wanted else ""
            findings.append(
                Finding(
                    rule_id="facts.contradiction",
                    dimension="facts",
                    severity=severity,
                    message=f"{name} differs across channels: {_describe(sides)}{book_note}",
                    evidence=tuple(e for channel in clashing for e in _evidence(by_channel[channel])),
                    channels=tuple(clashing),
                    subject=subject,
                    key=f"{kind}|{subject}|"
                    + "|".join(f"{c}={','.join(sorted(value_sets[c]))}" for c in clashing),
                    difference=_difference(name, sides, book.get((kind, subject), [])),
                )
            )
        # One problem, one finding: a channel already named in a contradiction is not reported again for
        # departing from the brand book (the contradiction's message quotes the book).
        for channel in (c for c in off_book if c not in clashing):
            stated = " / ".join(sorted({fact.text for fact in by_channel[channel]}))
            findings.append(
                Finding(
                    rule_id="facts.off_book",
                    dimension="facts",
                    severity=severity,
                    message=f"{name} in '{channel}' is {stated}, but the brand book says {wanted}",
                    evidence=tuple(_evidence(by_channel[channel])),
                    channels=(channel,),
                    subject=subject,
                    key=f"{kind}|{subject}|{','.join(sorted(value_sets[channel]))}",
                    difference=Difference(
                        name,
                        Stated(stated, (channel,), _places(by_channel[channel])),
                        Stated(wanted, (BRAND_BOOK,)),
                    ),
                )
            )
    return FactCheck(tuple(findings), checked, consistent)
