"""Run history: every audit recorded in SQLite, listed, loaded back and compared.

    from omniaudit.store import open_store, diff_runs
    with open_store(".omniaudit/history.db") as store:      # takes the store's lock (one audit at a time)
        run_id = store.record_run(result, config)
        diff = store.diff("last~1", "last")                  # new / fixed / unchanged findings, deltas

Findings are matched across runs by `Finding.fingerprint` (rule, channels, the finding's stable key and its
quotes' normalised text, never positions or timestamps); documents by (channel, uri) and their content hash.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import OmniauditError, StorageError
from ..models import AuditResult, Document, Evidence, Finding, Location, content_hash
from .db import Database, connect

if TYPE_CHECKING:
    from ..config import Config

log = logging.getLogger(__name__)

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
_REF = re.compile(r"^(?:last|latest)(?:~(\d+))?$|^prev(?:ious)?$|^#?(\d+)$")


def config_digest(config: Config | None) -> str:
    """A short hash of everything in the config that can change results (not where the file lives)."""
    if config is None:
        return ""
    data = config.model_dump(mode="json", exclude={"base_dir", "path"})
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def history_path(config: Config) -> Path:
    """Where `config` keeps its history: history.path, relative paths resolved against the config's folder."""
    path = Path(config.history.path).expanduser()
    return path if path.is_absolute() else config.base_dir / path


@dataclass(frozen=True)
class RunSummary:
    """One stored run, as `omniaudit history` lists it."""

    id: int
    started_at: str
    brand: str
    verdict: str
    overall: float
    scores: dict[str, float]
    findings: int
    errors: int
    warnings: int
    failures: int
    documents: int
    config_path: str = ""
    config_digest: str = ""
    tool_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started_at": self.started_at,
            "brand": self.brand,
            "verdict": self.verdict,
            "overall": round(self.overall, 2),
            "scores": {name: round(value, 2) for name, value in self.scores.items()},
            "findings": self.findings,
            "errors": self.errors,
            "warnings": self.warnings,
            "failures": self.failures,
            "documents": self.documents,
            "config_path": self.config_path,
            "config_digest": self.config_digest,
            "tool_version": self.tool_version,
        }


@dataclass(frozen=True)
class StoredRun:
    """A run's comparable content: its findings and the (channel, uri) -> content hash of its documents."""

    summary: RunSummary
    findings: tuple[Finding, ...]
    documents: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass(frozen=True)
class RunDiff:
    """What changed from run `a` to run `b` (b is the newer one)."""

    a: RunSummary
    b: RunSummary
    new: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    unchanged: tuple[Finding, ...]
    score_deltas: dict[str, float]
    overall_delta: float
    documents_added: tuple[tuple[str, str], ...]
    documents_changed: tuple[tuple[str, str], ...]
    documents_removed: tuple[tuple[str, str], ...]

    @property
    def findings_changed(self) -> bool:
        return bool(self.new or self.fixed)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of `omniaudit diff --format json`."""
        return {
            "from": self.a.to_dict(),
            "to": self.b.to_dict(),
            "findings": {
                "new": [f.to_dict() for f in self.new],
                "fixed": [f.to_dict() for f in self.fixed],
                "unchanged": [f.to_dict() for f in self.unchanged],
            },
            "overall_delta": round(self.overall_delta, 2),
            "score_deltas": {name: round(delta, 2) for name, delta in self.score_deltas.items()},
            "documents": {
                "added": [_doc_dict(key) for key in self.documents_added],
                "changed": [_doc_dict(key) for key in self.documents_changed],
                "removed": [_doc_dict(key) for key in self.documents_removed],
            },
        }

    def since_last_run(self) -> dict[str, Any]:
        """The `result.stats["since_last_run"]` section every report renders."""
        return {
            "previous_run": self.a.id,
            "previous_started_at": self.a.started_at,
            "previous_verdict": self.a.verdict,
            "previous_overall": round(self.a.overall, 2),
            "overall_delta": round(self.overall_delta, 2),
            "score_deltas": {name: round(delta, 2) for name, delta in self.score_deltas.items()},
            "new": [f.to_dict() for f in self.new],
            "fixed": [f.to_dict() for f in self.fixed],
            "unchanged": len(self.unchanged),
            "documents": {
                "added": len(self.documents_added),
                "changed": len(self.documents_changed),
                "removed": len(self.documents_removed),
            },
        }


def _doc_dict(key: tuple[str, str]) -> dict[str, str]:
    return {"channel": key[0], "uri": key[1]}


def _finding_order(finding: Finding) -> tuple[Any, ...]:
    return (
        SEVERITY_RANK.get(finding.severity, 3),
        finding.dimension,
        finding.rule_id,
        finding.message,
        finding.fingerprint,
    )


def _by_fingerprint(findings: Iterable[Finding]) -> dict[str, Finding]:
    # Two findings with one fingerprint are the same problem seen twice: the first stands for both.
    found: dict[str, Finding] = {}
    for finding in findings:
        found.setdefault(finding.fingerprint, finding)
    return found


def diff_runs(a: StoredRun, b: StoredRun) -> RunDiff:
    """Compare two runs (`a` older): findings by fingerprint, scores by dimension, documents by hash."""
    old, now = _by_fingerprint(a.findings), _by_fingerprint(b.findings)
    new = sorted((f for fp, f in now.items() if fp not in old), key=_finding_order)
    fixed = sorted((f for fp, f in old.items() if fp not in now), key=_finding_order)
    unchanged = sorted((f for fp, f in now.items() if fp in old), key=_finding_order)
    deltas = {
        name: score - a.summary.scores[name]
        for name, score in b.summary.scores.items()
        if name in a.summary.scores
    }
    added = sorted(key for key in b.documents if key not in a.documents)
    removed = sorted(key for key in a.documents if key not in b.documents)
    changed = sorted(
        key for key, digest in b.documents.items() if key in a.documents and a.documents[key] != digest
    )
    return RunDiff(
        a=a.summary,
        b=b.summary,
        new=tuple(new),
        fixed=tuple(fixed),
        unchanged=tuple(unchanged),
        score_deltas=deltas,
        overall_delta=b.summary.overall - a.summary.overall,
        documents_added=tuple(added),
        documents_changed=tuple(changed),
        documents_removed=tuple(removed),
    )


def _document_rows(
    result: AuditResult, documents: Iterable[Document | Mapping[str, Any]] | None
) -> Iterable[tuple[str, str, str, str | None]]:
    """(channel, uri, hash, text or None) of the run's documents: given ones, else stats["documents"]."""
    if documents is None and result.documents:
        documents = result.documents
    if documents is None:
        listed = result.stats.get("documents")
        documents = listed if isinstance(listed, list) else ()
    for item in documents:
        if isinstance(item, Document):
            full = item.text
            yield item.channel_id, item.uri, content_hash(full), full
        elif isinstance(item, Mapping) and "channel" in item and "uri" in item:
            raw = item.get("text")
            text = raw if isinstance(raw, str) else None
            digest = item.get("hash") or (content_hash(text) if text is not None else "")
            yield str(item["channel"]), str(item["uri"]), str(digest), text


def stored_from_result(
    result: AuditResult, documents: Iterable[Document | Mapping[str, Any]] | None = None, *, run_id: int = 0
) -> StoredRun:
    """An in-memory run (not yet recorded) in the form `diff_runs` compares."""
    docs = {(channel, uri): digest for channel, uri, digest, _ in _document_rows(result, documents)}
    summary = RunSummary(
        id=run_id,
        started_at=result.started_at,
        brand=result.brand,
        verdict=result.verdict,
        overall=float(result.overall),
        scores={score.name: float(score.score) for score in result.scores},
        findings=len(result.findings),
        errors=result.count("error"),
        warnings=result.count("warning"),
        failures=len(result.failures),
        documents=len(docs),
        config_path=result.config_path,
        tool_version=result.tool_version,
    )
    return StoredRun(summary, tuple(result.findings), docs)


def _evidence_json(finding: Finding) -> str:
    return json.dumps([e.to_dict() for e in finding.evidence], ensure_ascii=False)


def _evidence_from_json(text: str) -> tuple[Evidence, ...]:
    items = []
    for item in json.loads(text):
        loc = item.get("location") or {}
        location = Location(
            uri=loc.get("uri", ""), line=loc.get("line"), column=loc.get("column"), section=loc.get("section")
        )
        items.append(
            Evidence(channel_id=item.get("channel", ""), quote=item.get("quote", ""), location=location)
        )
    return tuple(items)


class RunStore(Database):
    """The run history. Open it with `open_store`; every method reads or writes this one file."""

    # -- writing ---------------------------------------------------------------------------------------
    def record_run(
        self,
        result: AuditResult,
        config: Config | None = None,
        *,
        documents: Iterable[Document | Mapping[str, Any]] | None = None,
    ) -> int:
        """Store `result` (scores, verdict, findings, facts, documents) as one new run; returns its id.

        Everything is written in one transaction: a process killed half-way leaves no trace of this run and
        every earlier run intact. `documents` (Document records, or dicts with channel, uri, hash and
        optionally text) default to `result.stats["documents"]`; texts are stored when given.
        """
        recorded = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        with self.transaction("record this run in the history") as db:
            cursor = db.execute(
                "INSERT INTO runs (started_at, recorded_at, brand, config_path, config_digest, tool_version,"
                " verdict, overall, failures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    result.started_at or recorded,
                    recorded,
                    result.brand,
                    result.config_path,
                    config_digest(config),
                    result.tool_version,
                    result.verdict,
                    float(result.overall),
                    len(result.failures),
                ),
            )
            run_id = int(cursor.lastrowid or 0)
            db.executemany(
                "INSERT INTO scores (run_id, dimension, score, explanation) VALUES (?, ?, ?, ?)",
                [(run_id, s.name, float(s.score), s.explanation) for s in result.scores],
            )
            seen: set[tuple[str, str]] = set()
            for channel, uri, digest, text in _document_rows(result, documents):
                if (channel, uri) in seen:
                    continue
                seen.add((channel, uri))
                if text is not None:
                    db.execute("INSERT OR IGNORE INTO texts (hash, text) VALUES (?, ?)", (digest, text))
                db.execute(
                    "INSERT INTO documents (run_id, channel, uri, hash) VALUES (?, ?, ?, ?)",
                    (run_id, channel, uri, digest),
                )
            db.executemany(
                "INSERT INTO facts (run_id, channel, kind, value, unit, subject, text, quote, uri, line)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run_id,
                        f.channel_id,
                        f.kind,
                        f.value,
                        f.unit,
                        f.subject,
                        f.text,
                        f.quote,
                        f.location.uri,
                        f.location.line,
                    )
                    for f in result.facts
                ],
            )
            db.executemany(
                "INSERT INTO findings (run_id, ordinal, fingerprint, rule_id, dimension, severity, message,"
                " channels, key, subject, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run_id,
                        i,
                        f.fingerprint,
                        f.rule_id,
                        f.dimension,
                        f.severity,
                        f.message,
                        json.dumps(list(f.channels)),
                        f.key,
                        f.subject,
                        _evidence_json(f),
                    )
                    for i, f in enumerate(result.findings)
                ],
            )
        return run_id

    # -- reading ---------------------------------------------------------------------------------------
    def list_runs(self, *, brand: str | None = None, limit: int | None = None) -> list[RunSummary]:
        """Stored runs, newest first; only `brand`'s when given."""
        where, params = ("WHERE brand = ?", [brand]) if brand else ("", [])
        sql = f"SELECT id FROM runs {where} ORDER BY id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        ids = [int(row[0]) for row in self.connection.execute(sql, params)]
        return [self._summary(run_id) for run_id in ids]

    def resolve(self, ref: str | int | None, *, brand: str | None = None) -> int:
        """A run id from a reference: an id (`12`, `#12`), `last`, `last~N` (N runs before last), `prev`."""
        if ref is None:
            ref = "last"
        text = str(ref).strip().lower()
        match = _REF.match(text)
        if not match:
            raise OmniauditError(
                f"{ref!r} is not a run: use a run id from `omniaudit history`, `last`, `last~N` or `prev`"
            )
        if match.group(2) is not None:
            run_id = int(match.group(2))
            if self.connection.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
                raise OmniauditError(
                    f"{self.path}: no run {run_id}; see `omniaudit history` for the stored runs"
                )
            return run_id
        back = 1 if text.startswith("prev") else int(match.group(1) or 0)
        where, params = ("WHERE brand = ?", [brand]) if brand else ("", [])
        rows = [
            int(r[0])
            for r in self.connection.execute(
                f"SELECT id FROM runs {where} ORDER BY id DESC LIMIT ?", [*params, back + 1]
            )
        ]
        if not rows:
            raise OmniauditError(f"{self.path}: no runs stored yet; run `omniaudit audit` first")
        if back >= len(rows):
            raise OmniauditError(
                f"{self.path}: {ref!r} needs {back + 1} stored runs, there "
                f"{'is' if len(rows) == 1 else 'are'} only {len(rows)}; run the audit again or use run ids"
            )
        return rows[back]

    def load_run(self, ref: str | int | None = "last", *, brand: str | None = None) -> StoredRun:
        run_id = self.resolve(ref, brand=brand)
        findings = tuple(
            Finding(
                rule_id=row[0],
                dimension=row[1],
                severity=row[2],
                message=row[3],
                channels=tuple(json.loads(row[4])),
                key=row[5],
                subject=row[6],
                evidence=_evidence_from_json(row[7]),
            )
            for row in self.connection.execute(
                "SELECT rule_id, dimension, severity, message, channels, key, subject, evidence FROM findings"
                " WHERE run_id = ? ORDER BY ordinal",
                (run_id,),
            )
        )
        documents = {
            (row[0], row[1]): row[2]
            for row in self.connection.execute(
                "SELECT channel, uri, hash FROM documents WHERE run_id = ?", (run_id,)
            )
        }
        return StoredRun(self._summary(run_id), findings, documents)

    def latest_run(self, *, brand: str | None = None) -> StoredRun | None:
        """The newest stored run (of `brand`), or None when there is none."""
        where, params = ("WHERE brand = ?", [brand]) if brand else ("", [])
        row = self.connection.execute(
            f"SELECT id FROM runs {where} ORDER BY id DESC LIMIT 1", params
        ).fetchone()
        return None if row is None else self.load_run(int(row[0]))

    def document_text(self, digest: str) -> str | None:
        row = self.connection.execute("SELECT text FROM texts WHERE hash = ?", (digest,)).fetchone()
        return None if row is None else str(row[0])

    def diff(
        self, a: str | int | None = "last~1", b: str | int | None = "last", *, brand: str | None = None
    ) -> RunDiff:
        """`omniaudit diff`: run `a` against run `b`; by default the last two runs."""
        return diff_runs(self.load_run(a, brand=brand), self.load_run(b, brand=brand))

    def _summary(self, run_id: int) -> RunSummary:
        row = self.connection.execute(
            "SELECT id, started_at, brand, verdict, overall, failures, config_path, config_digest,"
            " tool_version"
            " FROM runs WHERE id = ?",
            (run_id,),
        ).fetchone()
        if row is None:
            raise OmniauditError(f"{self.path}: no run {run_id}; see `omniaudit history` for the stored runs")
        scores = {
            str(name): float(score)
            for name, score in self.connection.execute(
                "SELECT dimension, score FROM scores WHERE run_id = ? ORDER BY rowid", (run_id,)
            )
        }
        counts = dict(
            self.connection.execute(
                "SELECT severity, COUNT(*) FROM findings WHERE run_id = ? GROUP BY severity", (run_id,)
            ).fetchall()
        )
        documents = self.connection.execute(
            "SELECT COUNT(*) FROM documents WHERE run_id = ?", (run_id,)
        ).fetchone()
        return RunSummary(
            id=int(row[0]),
            started_at=row[1],
            brand=row[2],
            verdict=row[3],
            overall=float(row[4]),
            scores=scores,
            findings=sum(counts.values()),
            errors=counts.get("error", 0),
            warnings=counts.get("warning", 0),
            failures=int(row[5]),
            documents=int(documents[0]),
            config_path=row[6],
            config_digest=row[7],
            tool_version=row[8],
        )

    # -- the embedding cache ---------------------------------------------------------------------------
    def cached_vectors(self, model: str, hashes: Sequence[str]) -> dict[str, bytes]:
        """Stored vectors (raw float32 bytes) for these text hashes, in as few queries as SQLite allows."""
        found: dict[str, bytes] = {}
        for start in range(0, len(hashes), 900):  # SQLite's default limit on bound variables is 999
            chunk = list(hashes[start : start + 900])
            marks = ",".join("?" * len(chunk))
            for digest, blob in self.connection.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
                [model, *chunk],
            ):
                found[str(digest)] = bytes(blob)
        return found

    def store_vectors(self, model: str, rows: Sequence[tuple[str, int, bytes]]) -> None:
        """Add (text hash, dimension, float32 bytes) rows for `model` in one transaction.

        The cache only saves time: when the disk refuses the write, the audit goes on with the vectors it
        has (a warning says why the next run will encode them again)."""
        if not rows:
            return
        try:
            with self.transaction("save the embedding cache") as db:
                db.executemany(
                    "INSERT OR REPLACE INTO embeddings (model, text_hash, dim, vector) VALUES (?, ?, ?, ?)",
                    [(model, digest, dim, blob) for digest, dim, blob in rows],
                )
        except StorageError as exc:
            log.warning("%s", exc)


def open_store(path: str | Path, *, lock: bool = True, wait: float = 0.0, create: bool = True) -> RunStore:
    """Open the history at `path`, creating or migrating it. `lock=True` (audits) takes the store's exclusive
    lock, or raises OmniauditError naming the pid that holds it after `wait` seconds; readers pass False."""
    return connect(path, RunStore, lock=lock, wait=wait, create=create)


def compare_with_previous(
    store: RunStore, result: AuditResult, documents: Iterable[Document | Mapping[str, Any]] | None = None
) -> AuditResult:
    """`result` with `stats["since_last_run"]` set from the brand's newest stored run (unchanged if none)."""
    previous = store.latest_run(brand=result.brand)
    if previous is None:
        return result
    diff = diff_runs(previous, stored_from_result(result, documents))
    return replace(result, stats={**result.stats, "since_last_run": diff.since_last_run()})


def track_run(
    store: RunStore,
    result: AuditResult,
    config: Config | None = None,
    *,
    documents: Iterable[Document | Mapping[str, Any]] | None = None,
) -> tuple[AuditResult, int]:
    """What `omniaudit audit` does with the history: compare with the last run, then record this one.

    Returns the result with its "Since last run" section and the new run's id."""
    docs = list(documents) if documents is not None else None
    result = compare_with_previous(store, result, docs)
    return result, store.record_run(result, config, documents=docs)


def open_history(config_path: str | Path | None, db: str | Path | None) -> tuple[RunStore, str | None]:
    """The history for `omniaudit history / diff / baseline`: `db` if given, else the config's history.path
    (the config's brand then selects its runs); read-only use, so no lock is taken."""
    from ..config import load_config

    if db is not None:
        return open_store(db, lock=False, create=False), None
    if config_path is None:
        if not Path("omniaudit.yaml").is_file():
            raise OmniauditError("which history? pass --config CONFIG (or --db FILE)")
        config_path = "omniaudit.yaml"
    config = load_config(config_path)
    return open_store(history_path(config), lock=False, create=False), config.brand.name
