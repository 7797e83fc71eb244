"""Every reader is bounded by the config's `limits:`: a decompression bomb or an oversize file costs one
failure naming the file, the limit and how to raise it, quickly and without big memory; the rest is read."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

from omniaudit.app import collect_channels
from omniaudit.config import load_config

GOOD = "Acme makes home repairs simple and fast for every customer."


def _config(folder: Path, channels: str, limits: str = "") -> Path:
    config = folder / "omniaudit.yaml"
    config.write_text(
        "brand: {name: Acme}\n"
        "brand_book: {key_messages: [{id: t, text: Acme makes home repairs simple.}]}\n"
        f"{limits}channels:\n{channels}",
        encoding="utf-8",
    )
    return config


def _zeros_member(archive: zipfile.ZipFile, name: str, megabytes: int) -> None:
    with archive.open(name, "w") as member:
        chunk = bytes(1 << 20)
        for _ in range(megabytes):
            member.write(chunk)


def test_a_docx_that_inflates_to_a_gibibyte_is_refused_quickly_and_the_rest_is_read(tmp_path: Path) -> None:
    service = tmp_path / "service"
    service.mkdir()
    (service / "good.txt").write_text(f"{GOOD}\n", encoding="utf-8")
    bomb = service / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as docx:
        docx.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        _zeros_member(docx, "word/document.xml", 1024)  # 1 GiB of zeros in ~5 MB
    assert bomb.stat().st_size < 10_000_000
    config = _config(
        tmp_path, "  - {id: calls, type: service, connector: service_folder, source: service/}\n"
    )

    collect_channels(load_config(config))  # once first, so that importing the readers is not measured
    tracemalloc.start()
    started = time.monotonic()
    try:
        collected = collect_channels(load_config(config))
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert elapsed < 2.0
    assert peak < 20_000_000  # the 5 MB file is read, nothing is inflated
    [failure] = collected.failures
    assert (failure.source, failure.error) == (
        "service/bomb.docx",
        "inflates to at least 1,073,741,853 bytes, more than limits.max_archive_bytes (200,000,000); skipped "
        "(raise limits.max_archive_bytes in the config to read it)",
    )
    assert [[block.text for block in doc.blocks] for doc in collected.documents] == [[GOOD]]


def test_an_export_zip_is_bounded_by_the_configured_limits(tmp_path: Path) -> None:
    export = tmp_path / "twitter.zip"
    with zipfile.ZipFile(export, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("data/account.js", 'window.YTD.account.part0 = [{"account": {"username": "acme"}}]')
        _zeros_member(archive, "data/tweets.js", 64)
    config = _config(
        tmp_path,
        "  - {id: x, type: social, connector: twitter_archive, source: twitter.zip}\n",
        "limits: {max_archive_bytes: 10_000_000}\n",
    )

    collected = collect_channels(load_config(config))

    [failure] = collected.failures
    assert (failure.source, failure.error) == (
        "twitter.zip",
        "inflates to at least 67,108,926 bytes, more than limits.max_archive_bytes (10,000,000); skipped "
        "(raise limits.max_archive_bytes in the config to read it)",
    )


def test_a_zip_member_that_lies_about_its_size_is_cut_where_it_said_it_ends(tmp_path: Path) -> None:
    export = tmp_path / "twitter.zip"
    with zipfile.ZipFile(export, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        _zeros_member(archive, "data/tweets.js", 64)
    data = bytearray(export.read_bytes())
    central = data.rindex(b"PK\x01\x02")  # the member's central directory entry: it now claims 100 bytes
    struct.pack_into("<I", data, central + 24, 100)
    export.write_bytes(bytes(data))
    config = _config(tmp_path, "  - {id: x, type: social, connector: twitter_archive, source: twitter.zip}\n")

    tracemalloc.start()
    try:
        collected = collect_channels(load_config(config))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 20_000_000  # 64 MiB behind the lie are never inflated
    [failure] = collected.failures
    assert (failure.source, failure.error) == (
        "twitter.zip!/data/tweets.js",
        "cannot read it from the archive (Bad CRC-32 for file 'data/tweets.js'); download or export it again",
    )


def test_an_oversize_file_is_skipped_with_the_limit_named_and_the_audit_completes(tmp_path: Path) -> None:
    service = tmp_path / "service"
    service.mkdir()
    (service / "good.txt").write_text(f"{GOOD}\n", encoding="utf-8")
    (service / "big.txt").write_text("Returns are fine. " * 1000, encoding="utf-8")  # 18,000 bytes
    config = _config(
        tmp_path,
        "  - {id: calls, type: service, connector: service_folder, source: service/}\n",
        "limits: {max_file_bytes: 5000}\n",
    )

    result = subprocess.run(
        [sys.executable, "-m", "omniaudit", "collect", str(config), "-o", "-"],
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        timeout=600,
    )

    message = (
        "service/big.txt: is 18,000 bytes, more than limits.max_file_bytes (5,000); skipped "
        "(raise limits.max_file_bytes in the config to read it)"
    )
    assert "Traceback" not in result.stderr
    assert f"omniaudit: warning: {message}" in result.stderr.splitlines()
    assert GOOD in result.stdout  # the other file is collected
    assert "Returns are fine." not in result.stdout
