from __future__ import annotations

from omniaudit.analyze.terminology import check_terminology
from omniaudit.config import Terminology
from omniaudit.models import Location, Segment


def seg(channel: str, text: str) -> Segment:
    return Segment(channel, f"{channel}/doc", text, "main", Location(f"{channel}/doc", line=1))


def test_banned_and_non_preferred_terms_per_channel() -> None:
    terminology = Terminology(preferred={"sign in": ["log in", "login"]}, banned=["cheap"])
    findings = check_terminology(
        terminology,
        [
            seg("web", "Our prices are never cheap tricks."),
            seg("web", "Cheap! Cheap! Everything must go."),
            seg("social", "Log  in to see your orders."),
            seg("social", "Cheaper than ever."),  # "cheaper" is another word
        ],
    )
    assert [(f.rule_id, f.channels, f.severity) for f in findings] == [
        ("terminology.banned", ("web",), "error"),
        ("terminology.preferred", ("social",), "warning"),
    ]
    assert findings[0].message == "'cheap' is banned by the brand book: used 3 times in 'web'"
    assert findings[1].message == "'log in' should be 'sign in': used 1 time in 'social'"
    assert findings[1].evidence[0].quote == "Log  in to see your orders."


def test_case_sensitive_terms() -> None:
    terminology = Terminology(banned=["IT"], case_sensitive=True)
    assert check_terminology(terminology, [seg("web", "Take it home today.")]) == []
    assert len(check_terminology(terminology, [seg("web", "Ask IT for help.")])) == 1


def test_terms_in_arabic_script_match_on_letter_boundaries() -> None:
    terminology = Terminology(banned=["رخيص"])
    findings = check_terminology(terminology, [seg("web", "هذا المنتج رخيص جدا"), seg("web", "رخيصة")])
    assert len(findings) == 1 and len(findings[0].evidence) == 1
