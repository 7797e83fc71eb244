"""The history lock through `filelock`: portable (the hand-written one called os.pwrite and os.pread, which
Windows does not have), with the same one-line message naming the holder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from omniaudit.errors import OmniauditError
from omniaudit.store import open_store


def test_the_lock_works_without_pwrite_and_pread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # What a Windows Python looks like to the lock: no positional file reads or writes.
    monkeypatch.delattr(os, "pwrite", raising=False)
    monkeypatch.delattr(os, "pread", raising=False)
    db = tmp_path / "history.db"
    with open_store(db) as store:
        assert store.locked
        with pytest.raises(OmniauditError) as info:
            open_store(db)
        assert str(info.value) == (
            f"another omniaudit run is using {db} (pid {os.getpid()}); "
            "wait for it to finish or set a different history.path"
        )
    with open_store(db) as store:  # released on close
        assert store.locked
    assert not (tmp_path / "history.db.lock.pid").exists()

