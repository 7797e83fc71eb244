"""Long input is bounded before it reaches spaCy or a pattern: a block over a million characters is split
(spaCy refuses it with E088), a 200,000-character "word" is broken up, and the audit ends with a report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omniaudit.config import Limits
from omniaudit.extract.segment import SENTENCE_CHARS, break_long_tokens, segment_documents, split_text
from omniaudit.models import Document, Location, TextBlock
from tests.cli import omniaudit

BIG_BLOCK = "Returns are fine. " * 62000  # 1,116,000 characters, the reproduction from issue 16
# Each of these took quadratic time somewhere (spaCy's affix splitting, the tone, name and sentence
# patterns) or crashed (a 10,000-digit number).
HOSTILE_TOKENS = {
    "at-signs": "a@" * 100_000,
    "brackets": ")" * 200_000,
    "possessives": "'s" * 100_000,
    "digits": "1" * 200_000,
    "cased-word": "A" + "a" * 199_998 + "@",
    "quotes": "Hi" + '"' * 199_998,
}


def _document(text: str, channel: str = "call-centre") -> Document:
    block = TextBlock(text, "main", Location("big.txt", line=1))
    return Document(channel, "service", "big.txt", "big", (block,), language="en")


def test_split_text_keeps_every_character_and_cuts_after_a_sentence() -> None:
    pieces = split_text(BIG_BLOCK, 100_000)
    assert "".join(pieces) == BIG_BLOCK
    assert max(len(piece) for piece in pieces) <= 100_000
    assert all(piece.endswith("fine. ") for piece in pieces)


def test_split_text_prefers_paragraphs_and_cuts_hard_only_without_a_boundary() -> None:
    text = "a" * 60 + "\n\n" + "b " * 20 + "c" * 30
    assert split_text(text, 100) == ["a" * 60 + "\n\n", "b " * 20 + "c" * 30]
    assert split_text("x" * 250, 100) == ["x" * 100, "x" * 100, "x" * 50]


def test_a_long_token_is_broken_not_dropped() -> None:
    broken = break_long_tokens("see " + "y" * 25 + " now", 10)
    assert broken == "see " + "y" * 10 + " " + "y" * 10 + " " + "y" * 5 + " now"
    assert break_long_tokens("short words stay", 10) == "short words stay"


def test_a_block_over_a_million_characters_becomes_its_sentences() -> None:
    segments = segment_documents([_document(BIG_BLOCK)])
    assert len(segments) == 62000
    assert {segment.text for segment in segments} == {"Returns are fine."}


@pytest.mark.parametrize("name", sorted(HOSTILE_TOKENS))
def test_a_200k_character_token_is_segmented_within_the_limits(name: str) -> None:
    text = "Our returns are simple. Look: " + HOSTILE_TOKENS[name] + " Thanks for asking!"
    segments = segment_documents([_document(text, "social")], limits=Limits(token_chars=10_000))
    assert segments[0].text == "Our returns are simple."
    assert segments[-1].text.endswith("Thanks for asking!")
    assert max(len(segment.text) for segment in segments) <= SENTENCE_CHARS
    tokens = (token for segment in segments for token in segment.text.split())
    assert max(len(token) for token in tokens) <= 10_000


@pytest.mark.slow
def test_the_audit_of_a_million_character_call_script_completes(tmp_path: Path) -> None:
    folder = tmp_path / "service" / "call-centre"
    folder.mkdir(parents=True)
    (folder / "big.txt").write_text(BIG_BLOCK, encoding="utf-8")
    config = tmp_path / "omniaudit.yaml"
    config.write_text(
        "brand: {name: Acme, languages: [en]}\n"
        "brand_book: {key_messages: [{id: returns, text: Returns are free for 30 days.}]}\n"
        "channels:\n"
        "  - {id: call-centre, type: service, connector: service_folder, source: service/call-centre/}\n",
        encoding="utf-8",
    )
    done = omniaudit("audit", str(config), "-q", "-f", "json", "-o", "-", "--no-history")
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    (channel,) = json.loads(done.stdout)["channels"]
    assert (channel["id"], channel["documents"], channel["segments"], channel["audited"]) == (
        "call-centre", 1, 62000, True)


@pytest.mark.slow
def test_the_audit_of_posts_with_200k_character_tokens_completes(tmp_path: Path) -> None:
    posts = [
        {"id": name, "text": f"Our returns are simple. Look: {token} Thanks for asking!"}
        for name, token in sorted(HOSTILE_TOKENS.items())
    ]
    (tmp_path / "posts.json").write_text(json.dumps(posts), encoding="utf-8")
    config = tmp_path / "omniaudit.yaml"
    config.write_text(
        "brand: {name: Acme, languages: [en]}\n"
        "brand_book: {key_messages: [{id: returns, text: Returns are free for 30 days.}]}\n"
        "channels:\n  - {id: social, type: social, connector: social_export, source: posts.json}\n",
        encoding="utf-8",
    )
    done = omniaudit("audit", str(config), "-q", "-f", "json", "-o", "-", "--no-history")
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    (channel,) = json.loads(done.stdout)["channels"]
    assert (channel["id"], channel["documents"], channel["audited"]) == ("social", len(posts), True)
