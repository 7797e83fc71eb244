"""The benchmark's brand generator: deterministic, the sizes it promises, and a served site."""

from __future__ import annotations

import hashlib
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import make_brand  # noqa: E402

from tests.expected import planted_differences  # noqa: E402


def _digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha.update(path.relative_to(folder).as_posix().encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


def test_same_seed_same_files_and_other_seed_other_text(tmp_path: Path) -> None:
    first = make_brand.generate("tiny", tmp_path / "a", seed=3)
    make_brand.generate("tiny", tmp_path / "b", seed=3)
    make_brand.generate("tiny", tmp_path / "c", seed=4)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")
    assert first.counts == {"pages": 10, "posts": 30, "scripts": 3}
    assert len(list((tmp_path / "a" / "site").rglob("*.html"))) == 10


def test_small_size_counts_and_sentence_lengths(tmp_path: Path) -> None:
    brand = make_brand.generate("small", tmp_path / "small")
    assert brand.counts == {"pages": 100, "posts": 500, "scripts": 20}
    writer = make_brand._Writer(make_brand.random.Random(1))
    lengths = [len(writer.sentence().split()) for _ in range(200)]
    assert min(lengths) >= 15 and max(lengths) <= 30
    planted = planted_differences(brand.expected_md)
    assert [p.id for p in planted] == [p.id for p in brand.planted]
    assert {p.rule for p in planted} >= {"facts.contradiction", "terminology.banned"}


def test_served_site_answers_over_http(tmp_path: Path) -> None:
    brand = make_brand.generate("tiny", tmp_path / "tiny")
    with make_brand.serve_site(brand.site_dir) as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "returns.html", timeout=10) as response:
            page = response.read().decode("utf-8")
    assert "You can return any item within 30 days." in page
