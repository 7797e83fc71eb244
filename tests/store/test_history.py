"""The run store: recording, listing, loading, diffing, references, migrations and bad files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from omniaudit.errors import OmniauditError
from omniaudit.models import Document, Location, TextBlock
from omniaudit.store import SCHEMA_VERSION, compare_with_previous, config_digest, diff_runs, open_store
from omniaudit.store.db import migrate
from omniaudit.store.history import stored_from_result, track_run

from .conftest import BuildResult, finding

RETURNS = finding(
    "facts.contradiction",
    "Return window differs: website 30 days; call-centre 14 days",
    ("website", "call-centre"),
    key="duration|returns|call-centre=14|website=30",
)
CHEAP = finding("terminology.banned", "'cheap' is banned", ("facebook",), severity="warning", key="cheap")
HASHTAG = finding(
    "integration.stale_hashtag",
    "#SummerOfSavings is not a current campaign hashtag",
    ("instagram",),
    severity="warning",
    key="#summerofsavings",
)
DOCS_1 = [
    {"channel": "website", "uri": "site/index.html", "hash": "aaa", "text": "Welcome home."},
    {"channel": "call-centre", "uri": "service/returns.md", "hash": "bbb", "text": "Within 14 days."},
    {"channel": "facebook", "uri": "social/facebook.csv#fb-1", "hash": "ccc", "text": "Cheap mugs."},
]


def test_record_and_load_round_trip(tmp_path: Path, make_result: BuildResult) -> None:
    result = make_result([RETURNS, CHEAP], documents=DOCS_1, overall=61.9)
    with open_store(tmp_path / "h.db") as store:
        run_id = store.record_run(result)
        loaded = store.load_run("last")
    assert run_id == 1
    assert loaded.summary.overall == pytest.approx(61.9)
    assert loaded.summary.scores == {"messages": 70.0, "facts": 50.0}
    assert (loaded.summary.findings, loaded.summary.errors, loaded.summary.warnings) == (2, 1, 1)
    assert loaded.summary.documents == 3
    # Findings come back as records with the same fingerprint, evidence and position as recorded.
    assert [f.fingerprint for f in loaded.findings] == [RETURNS.fingerprint, CHEAP.fingerprint]
    assert loaded.findings[0].evidence == RETURNS.evidence
    assert loaded.documents[("call-centre", "service/returns.md")] == "bbb"


def test_document_texts_and_facts_are_stored(tmp_path: Path, make_result: BuildResult) -> None:
    with open_store(tmp_path / "h.db") as store:
        store.record_run(make_result(documents=DOCS_1))
        store.record_run(make_result(documents=DOCS_1))
        assert store.document_text("bbb") == "Within 14 days."
        # One copy of each distinct text however many runs saw it.
        assert store.connection.execute("SELECT COUNT(*) FROM texts").fetchone()[0] == 3
        facts = store.connection.execute(
            "SELECT channel, kind, value, unit, subject, uri, line FROM facts"
        ).fetchall()
    assert facts == [("website", "duration", "30", "day", "returns", "site/returns.html", 4)] * 2


def test_documents_given_as_records_store_their_text(tmp_path: Path, make_result: BuildResult) -> None:
    doc = Document(
        "website",
        "website",
        "site/a.html",
        "A",
        (TextBlock("Hello there.", "main", Location("site/a.html", 1)),),
    )
    with open_store(tmp_path / "h.db") as store:
        store.record_run(make_result(), documents=[doc])
        run = store.load_run()
        assert run.documents == {("website", "site/a.html"): doc.content_hash}
        assert store.document_text(doc.content_hash) == "Hello there."


def test_list_runs_newest_first_and_by_brand(tmp_path: Path, make_result: BuildResult) -> None:
    with open_store(tmp_path / "h.db") as store:
        store.record_run(make_result(brand="Acme", overall=50))
        store.record_run(make_result(brand="Other", overall=40))
        store.record_run(make_result(brand="Acme", overall=55))
        assert [r.id for r in store.list_runs()] == [3, 2, 1]
        assert [(r.id, r.overall) for r in store.list_runs(brand="Acme")] == [(3, 55.0), (1, 50.0)]
        assert [r.id for r in store.list_runs(limit=1)] == [3]


def test_references(tmp_path: Path, make_result: BuildResult) -> None:
    with open_store(tmp_path / "h.db") as store:
        for brand in ("Acme", "Other", "Acme", "Acme"):
            store.record_run(make_result(brand=brand))
        assert store.resolve("last") == 4
        assert store.resolve(None) == 4
        assert store.resolve("last~1") == 3
        assert store.resolve("prev") == 3
        assert store.resolve("last~1", brand="Acme") == 3
        assert store.resolve("last~2", brand="Acme") == 1
        assert store.resolve("2") == 2
        assert store.resolve("#2") == 2
        with pytest.raises(OmniauditError) as missing:
            store.resolve("9")
        assert str(missing.value) == f"{store.path}: no run 9; see `omniaudit history` for the stored runs"
        with pytest.raises(OmniauditError) as too_far:
            store.resolve("last~3", brand="Acme")
        assert str(too_far.value) == (
            f"{store.path}: 'last~3' needs 4 stored runs, there are only 3; "
            "run the audit again or use run ids"
        )
        with pytest.raises(OmniauditError) as bad:
            store.resolve("yesterday")
        assert "'yesterday' is not a run" in str(bad.value)


def test_empty_history_says_what_to_do(tmp_path: Path) -> None:
    with open_store(tmp_path / "h.db") as store:
        with pytest.raises(OmniauditError) as info:
            store.load_run("last")
        assert str(info.value) == f"{store.path}: no runs stored yet; run `omniaudit audit` first"
        assert store.latest_run() is None
    with pytest.raises(OmniauditError) as nothing:
        open_store(tmp_path / "absent.db", lock=False, create=False)
    assert "no run history here yet" in str(nothing.value)


def test_diff_new_fixed_unchanged_scores_documents(tmp_path: Path, make_result: BuildResult) -> None:
    docs_2 = [
        {"channel": "website", "uri": "site/index.html", "hash": "aaa"},  # unchanged
        {"channel": "call-centre", "uri": "service/returns.md", "hash": "bbb2"},  # changed
        {
            "channel": "instagram",
            "uri": "social/instagram.json#ig-1",
            "hash": "ddd",
        },  # added; facebook removed
    ]
    # The same problem found again with other evidence lines is the same finding.
    returns_moved = finding(RETURNS.rule_id, RETURNS.message, RETURNS.channels, key=RETURNS.key, line=40)
    first = make_result([RETURNS, CHEAP], documents=DOCS_1, scores={"messages": 70, "facts": 50}, overall=60)
    second = make_result(
        [returns_moved, HASHTAG], documents=docs_2, scores={"messages": 80, "facts": 50}, overall=64.5
    )
    with open_store(tmp_path / "h.db") as store:
        store.record_run(first)
        store.record_run(second)
        diff = store.diff()
    assert (diff.a.id, diff.b.id) == (1, 2)
    assert [f.fingerprint for f in diff.new] == [HASHTAG.fingerprint]
    assert [f.fingerprint for f in diff.fixed] == [CHEAP.fingerprint]
    assert [f.fingerprint for f in diff.unchanged] == [RETURNS.fingerprint]
    assert diff.score_deltas == {"messages": 10.0, "facts": 0.0}
    assert diff.overall_delta == pytest.approx(4.5)
    assert diff.documents_added == (("instagram", "social/instagram.json#ig-1"),)
    assert diff.documents_changed == (("call-centre", "service/returns.md"),)
    assert diff.documents_removed == (("facebook", "social/facebook.csv#fb-1"),)
    data = diff.to_dict()
    assert data["findings"]["fixed"][0]["rule_id"] == "terminology.banned"
    assert data["documents"]["removed"] == [{"channel": "facebook", "uri": "social/facebook.csv#fb-1"}]


def test_diff_of_identical_runs_is_empty(make_result: BuildResult) -> None:
    result = make_result([RETURNS, CHEAP], documents=DOCS_1)
    diff = diff_runs(stored_from_result(result), stored_from_result(result))
    assert not diff.findings_changed
    assert len(diff.unchanged) == 2
    assert diff.documents_added == diff.documents_changed == diff.documents_removed == ()


def test_since_last_run_section(tmp_path: Path, make_result: BuildResult) -> None:
    with open_store(tmp_path / "h.db") as store:
        first = make_result([RETURNS, CHEAP], documents=DOCS_1, overall=60)
        tracked_first, first_id = track_run(store, first)
        assert "since_last_run" not in tracked_first.stats  # nothing to compare with
        second = make_result(
            [CHEAP], documents=DOCS_1[:2], overall=66.25, started_at="2026-11-23T09:00:00+00:00"
        )
        tracked, second_id = track_run(store, second)
    since = tracked.stats["since_last_run"]
    assert (first_id, second_id) == (1, 2)
    assert since["previous_run"] == 1
    assert since["previous_started_at"] == "2026-11-16T09:00:00+00:00"
    assert since["overall_delta"] == 6.25
    assert [f["fingerprint"] for f in since["fixed"]] == [RETURNS.fingerprint]
    # The report renders exactly these as resolved.
    from omniaudit.report import sections

    rendered = sections.since_last_run({"stats": {"since_last_run": since}})
    assert rendered is not None
    assert [ref.fingerprint for ref in rendered.resolved] == [RETURNS.fingerprint]
    assert since["new"] == []
    assert since["unchanged"] == 1
    assert since["documents"] == {"added": 0, "changed": 0, "removed": 1}
    # The recorded run carries the section too (it is part of the result), and other stats are kept.
    assert tracked.stats["documents"] == second.stats["documents"]


def test_compare_only_with_the_same_brand(tmp_path: Path, make_result: BuildResult) -> None:
    with open_store(tmp_path / "h.db") as store:
        store.record_run(make_result(brand="Other"))
        assert "since_last_run" not in compare_with_previous(store, make_result(brand="Acme")).stats


def test_config_digest_ignores_where_the_file_is(tmp_path: Path) -> None:
    from omniaudit.config import parse_config

    data = {
        "brand": {"name": "Acme"},
        "brand_book": {"key_messages": [{"id": "tagline", "text": "Acme."}]},
        "channels": [{"id": "site", "type": "website", "connector": "website", "source": "site/"}],
    }
    here = parse_config(data, path="a/omniaudit.yaml", base_dir=tmp_path / "a")
    there = parse_config(data, path="b/omniaudit.yaml", base_dir=tmp_path / "b")
    changed = parse_config({**data, "thresholds": {"coverage": 0.6}}, path="a/omniaudit.yaml")
    assert config_digest(here) == config_digest(there)
    assert config_digest(here) != config_digest(changed)
    assert len(config_digest(here)) == 16


def test_migrations_upgrade_an_old_store_and_keep_its_runs(tmp_path: Path, make_result: BuildResult) -> None:
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path, isolation_level=None)
    assert migrate(connection, path, target=1) == 1  # a store written before the embedding cache existed
    connection.close()
    with sqlite3.connect(path) as check:
        tables = {row[0] for row in check.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "runs" in tables and "embeddings" not in tables
    # Version 1 can already hold runs; record one through a v1-only connection's schema.
    with open_store(path) as store:
        assert store.connection.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
        store.record_run(make_result([RETURNS]))
        store.store_vectors("m", [("h", 1, b"\x00\x00\x80?")])
        assert store.cached_vectors("m", ["h"]) == {"h": b"\x00\x00\x80?"}


def test_a_run_recorded_at_version_1_survives_the_upgrade(tmp_path: Path, make_result: BuildResult) -> None:
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, path, target=1)
    connection.execute(
        "INSERT INTO runs (started_at, recorded_at, brand, config_path, config_digest, tool_version, verdict,"
        " overall, failures)"
        " VALUES ('2026-11-01T00:00:00+00:00', '', 'Acme', '', '', '0.0.9', 'fragmented', 30, 0)"
    )
    connection.close()
    with open_store(path) as store:
        runs = store.list_runs()
    assert [(r.id, r.verdict, r.overall, r.tool_version) for r in runs] == [(1, "fragmented", 30.0, "0.0.9")]


def test_a_store_from_a_newer_omniaudit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with open_store(path):
        pass
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(OmniauditError) as info:
        open_store(path)
    assert str(info.value) == (
        f"{path}: the history was written by a newer omniaudit (schema 99, this one knows {SCHEMA_VERSION}); "
        "upgrade omniaudit or set a different history.path"
    )
    # The refused open released its lock: the next open is refused for the same reason, not for a lock.
    with pytest.raises(OmniauditError, match="newer omniaudit"):
        open_store(path)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    path.write_text("these are my notes, not a database\n" * 100, encoding="utf-8")
    with pytest.raises(OmniauditError) as info:
        open_store(path)
    message = str(info.value)
    assert message.startswith(f"{path}: not a usable omniaudit history database (")
    assert message.endswith("); move it away or set a different history.path")
