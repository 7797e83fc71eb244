"""One problem, one finding (merged duplicates, fingerprints by quoted text) and the config's `rules:` and
`ignore:`, applied once after analysis."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from omniaudit.analyze.triage import apply_ignores, apply_rules, merge_duplicates, triage
from omniaudit.config import Ignore, RuleSetting, load_config
from omniaudit.errors import ConfigError
from omniaudit.models import Evidence, Finding, IgnoredCount, Location

BASE = Path("/brand")
TODAY = date(2026, 12, 4)


def passive(uri: str, quote: str, line: int = 3, channel: str = "website") -> Finding:
    return Finding(
        rule_id="style.write-good.Passive",
        dimension="style",
        severity="warning",
        message="'is picked' may be passive voice. Use active voice if you can.",
        evidence=(Evidence(channel, quote, Location(uri, line=line, column=13, section="main")),),
        channels=(channel,),
        key="write-good.Passive|is picked",
    )


ABOUT = passive("site/about.html", "Every piece is picked by our team to mix and match.")
INDEX = passive("site/index.html", "Every piece is picked by our team, so rooms belong together.")
TERM = Finding(
    "terminology.preferred",
    "terminology",
    "warning",
    "'log in' should be 'sign in'",
    channels=("help",),
    key="log in",
)
TONE = Finding(
    "experience.tone", "experience", "error", "tiktok's tone departs", channels=("tiktok",), key="tiktok"
)


def test_two_alerts_on_different_sentences_never_share_a_fingerprint() -> None:
    assert ABOUT.fingerprint != INDEX.fingerprint
    assert len(merge_duplicates([ABOUT, INDEX])) == 2


def test_a_fingerprint_ignores_positions_case_and_whitespace() -> None:
    moved = passive("site/about.html", "  every piece IS PICKED by our team\nto mix and match. ", line=40)
    assert moved.fingerprint == ABOUT.fingerprint
    assert ABOUT.fingerprint == passive("site/about.html", ABOUT.evidence[0].quote).fingerprint  # stable
    assert (
        passive("site/about.html", ABOUT.evidence[0].quote, channel="blog").fingerprint != ABOUT.fingerprint
    )


def test_identical_findings_on_duplicate_pages_merge_with_a_count_and_every_location() -> None:
    copy = passive("site/about-us.html", ABOUT.evidence[0].quote, line=9)
    (merged, other) = merge_duplicates([ABOUT, INDEX, copy])

    assert other == INDEX
    assert merged.count == 2
    assert [str(e.location) for e in merged.evidence] == [
        "site/about.html:3:13 [main]",
        "site/about-us.html:9:13 [main]",
    ]
    assert merged.fingerprint == ABOUT.fingerprint  # a baseline written before the copy still matches
    assert merged.to_dict()["count"] == 2 and "count" not in INDEX.to_dict()


def test_rules_set_severities_turn_rules_off_and_count_what_they_left_out() -> None:
    rules = {
        "style.*": RuleSetting(severity="info"),
        "style.write-good.Passive": RuleSetting(severity="off"),
        "terminology.preferred": RuleSetting(severity="error"),
        "experience.tone": RuleSetting(severity="info", channels=["tiktok"]),
    }
    kept, off = apply_rules([ABOUT, INDEX, TERM, TONE], rules)

    assert [(f.rule_id, f.severity) for f in kept] == [
        ("terminology.preferred", "error"),
        ("experience.tone", "info"),
    ]
    assert off == [IgnoredCount("rules: style.write-good.Passive is off", 2)]


def test_a_rule_for_listed_channels_leaves_the_others_alone() -> None:
    rules = {"experience.tone": RuleSetting(severity="off", channels=["instagram"])}
    assert apply_rules([TONE], rules) == ([TONE], [])


def test_vale_rules_keep_their_own_levels_unless_named() -> None:
    kept, _ = apply_rules([ABOUT, TERM], {"*": RuleSetting(severity="info")})
    assert [(f.rule_id, f.severity) for f in kept] == [
        ("style.write-good.Passive", "warning"),  # the .vale.ini's level
        ("terminology.preferred", "info"),
    ]
    kept, _ = apply_rules([ABOUT], {"style.write-good.*": RuleSetting(severity="error")})
    assert kept[0].severity == "error"


def test_ignore_entries_by_path_fingerprint_and_rule_with_reasons() -> None:
    entries = [
        Ignore(path="site/about*", reason="the about page is being rewritten"),
        Ignore(fingerprint=INDEX.fingerprint, reason="approved by legal", until=date(2027, 1, 31)),
        Ignore(rule="terminology.*", reason="old wording", until=date(2026, 11, 30)),
    ]
    kept, ignored, warnings = apply_ignores([ABOUT, INDEX, TERM, TONE], entries, base_dir=BASE, today=TODAY)

    assert kept == [TERM, TONE]  # the expired entry no longer applies
    assert [entry.to_dict() for entry in ignored] == [
        {"reason": "the about page is being rewritten", "count": 1, "until": None, "expired": False},
        {"reason": "approved by legal", "count": 1, "until": "2027-01-31", "expired": False},
        {"reason": "old wording", "count": 1, "until": "2026-11-30", "expired": True},
    ]
    assert warnings == ["ignore.2 (old wording) expired on 2026-11-30: its 1 finding is reported again"]


def test_an_ignore_path_matches_only_when_every_location_does() -> None:
    both = Finding(
        "facts.contradiction",
        "facts",
        "error",
        "Return window differs",
        evidence=(*ABOUT.evidence, Evidence("help", "14 days", Location("/brand/help/returns.md", line=2))),
        channels=("help", "website"),
    )
    entry = Ignore(path="site/*", reason="site is frozen")
    assert apply_ignores([both], [entry], base_dir=BASE, today=TODAY)[0] == [both]
    relative = Ignore(path="help/*", reason="help")
    assert (
        apply_ignores([both], [Ignore(path="*", reason="all"), relative], base_dir=BASE, today=TODAY)[0] == []
    )
    lone = Finding("x.y", "facts", "error", "m", evidence=both.evidence[1:], channels=("help",))
    assert apply_ignores([lone], [relative], base_dir=BASE, today=TODAY)[1] == [IgnoredCount("help", 1)]


def test_triage_merges_before_rules_and_ignores() -> None:
    copy = passive("site/about-us.html", ABOUT.evidence[0].quote)
    result = triage(
        [ABOUT, copy, INDEX, TERM],
        {"terminology.preferred": RuleSetting(severity="off")},
        [Ignore(fingerprint=ABOUT.fingerprint, reason="house style")],
        base_dir=BASE,
        today=TODAY,
    )
    assert result.findings == (INDEX,)
    assert result.ignored == (
        IgnoredCount("rules: terminology.preferred is off", 1),
        IgnoredCount("house style", 1),
    )


CONFIG = """\
brand: {name: Test}
brand_book:
  key_messages: [{id: fast, text: We answer fast.}]
channels:
  - {id: site, type: website, connector: website, source: site}
  - {id: help, type: service, connector: service_folder, source: help}
"""


def _config(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "omniaudit.yaml"
    path.write_text(CONFIG + extra, encoding="utf-8")
    return path


def test_config_reads_rules_and_ignores(tmp_path: Path) -> None:
    config = load_config(
        _config(
            tmp_path,
            "rules:\n"
            "  style.Microsoft.Passive: off\n"
            "  facts.contradiction: error\n"
            "  experience.tone: {severity: info, channels: [help]}\n"
            "ignore:\n"
            "  - {path: 'site/legal/*', reason: legal wording is fixed, until: 2027-06-30}\n",
        )
    )
    assert config.rules["style.Microsoft.Passive"] == RuleSetting(severity="off")
    assert config.rules["facts.contradiction"] == RuleSetting(severity="error")
    assert config.rules["experience.tone"] == RuleSetting(severity="info", channels=["help"])
    assert config.ignore == [
        Ignore(path="site/legal/*", reason="legal wording is fixed", until=date(2027, 6, 30))
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "rules:\n  experience.tone: {severity: info, channels: [instagrm]}\n",
            "omniaudit.yaml:8: rules.experience.tone.channels.0: unknown channel 'instagrm' "
            "(channels: site, help)",
        ),
        (
            "rules:\n  facts.contradiction: critical\n",
            "omniaudit.yaml:8: rules.facts.contradiction: Input should be 'info', 'warning', 'error' "
            "or 'off'",
        ),
        (
            "ignore:\n  - {rule: style.*}\n",
            "omniaudit.yaml:8: ignore.0.reason: field required",
        ),
        (
            "ignore:\n  - {reason: nothing to match}\n",
            "omniaudit.yaml:8: ignore.0: an ignore entry needs at least one of path, fingerprint or rule",
        ),
        (
            "ignore:\n  - {fingerprint: abc, reason: typo}\n",
            "omniaudit.yaml:8: ignore.0.fingerprint: String should match pattern '^[0-9a-f]{16}$'",
        ),
    ],
)
def test_config_errors_name_the_line_and_key(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(_config(tmp_path, extra))
    assert str(error.value) == str(tmp_path / message)


@pytest.mark.slow
def test_audit_reports_ignored_findings_and_expired_entries(tmp_path: Path, real_embedder) -> None:  # type: ignore[no-untyped-def]
    from omniaudit.app import run_audit
    from omniaudit.report import render

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(
        "<html><body><main><p>You can return any item within 30 days.</p>"
        "<p>Log in to see your orders.</p></main></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "help").mkdir()
    (tmp_path / "help" / "returns.md").write_text(
        "# Returns\n\nYou can return any item within 14 days. Log in to start a return.\n", encoding="utf-8"
    )
    path = _config(
        tmp_path,
        "rules:\n  facts.contradiction: warning\n  messages.*: off\n"
        "ignore:\n"
        "  - {path: 'help/*', rule: terminology.preferred,\n"
        "     reason: help centre moves to the new wording in May}\n"
        "  - {rule: terminology.*, reason: wording review finished, until: 2020-01-31}\n"
        "history: {enabled: false}\n",
    )
    messages = "  key_messages: [{id: fast, text: We answer fast.}]\n"
    terminology = "  terminology: {preferred: {sign in: [log in]}}\n"
    text = path.read_text(encoding="utf-8").replace(messages, messages + terminology)
    path.write_text(text, encoding="utf-8")

    result = run_audit(load_config(path), embedder=real_embedder)
    data = json.loads(render(result, "json"))

    assert data["ignored"] == [
        {"reason": "rules: messages.* is off", "count": 1, "until": None, "expired": False},
        {
            "reason": "help centre moves to the new wording in May",
            "count": 1,
            "until": None,
            "expired": False,
        },
        {"reason": "wording review finished", "count": 1, "until": "2020-01-31", "expired": True},
    ]
    assert (
        "ignore.1 (wording review finished) expired on 2020-01-31: its 1 finding is reported again"
        in (data["stats"]["warnings"])
    )
    assert [
        (f["rule_id"], f["severity"], f["channels"])
        for f in data["findings"]
        if f["dimension"] in ("facts", "terminology", "messages")
    ] == [
        ("facts.contradiction", "warning", ["help", "site"]),
        ("terminology.preferred", "warning", ["site"]),
    ]
    assert data["stats"]["counts"]["findings"] == len(data["findings"])
