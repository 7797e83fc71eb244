"""Ctrl-C in a terminal while Chromium renders: the signal reaches the whole process group (omniaudit,
Playwright's driver, Chromium). The run prints one line, exits 130, and leaves no browser behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.collect.test_website_render import _descendants, _is_chromium, needs_chromium
from tests.servers import Reply, page, serve

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX")


@pytest.mark.slow
@needs_chromium
def test_ctrl_c_to_the_process_group_prints_one_line_and_closes_chromium(tmp_path: Path) -> None:
    hang = '<html><body><p id="x"></p><script src="/never.js"></script></body></html>'
    routes = {
        "/": page(hang),
        "/never.js": lambda request: Reply(200, "", delay=30, content_type="text/javascript"),
    }
    with serve(routes=routes) as server:
        config = tmp_path / "omniaudit.yaml"
        config.write_text(
            "brand: {name: Acme}\nbrand_book: {key_messages: [{id: t, text: Acme.}]}\nchannels:\n"
            f"  - {{id: web, type: website, connector: website, source: '{server.url}/',\n"
            "     options: {render: always, timeout: 60, sitemaps: false}}\n",
            encoding="utf-8",
        )
        # The driver's noise came on some interrupts only: interrupt twice.
        for _ in range(2):
            server.clear()
            process = subprocess.Popen(
                [sys.executable, "-m", "omniaudit", "collect", str(config), "-q", "-o", "out.jsonl"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=tmp_path,
                start_new_session=True,  # its own process group, as a shell gives each job
            )
            try:
                deadline = time.monotonic() + 30
                while "/never.js" not in server.paths() and time.monotonic() < deadline:
                    time.sleep(0.1)
                assert "/never.js" in server.paths(), "the browser never started rendering"
                browsers = {pid for pid in _descendants(process.pid) if _is_chromium(pid)}
                assert browsers, "no Chromium process found under the run"
                os.killpg(process.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
                out, err = process.communicate(timeout=20)
            finally:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGKILL)
            assert (process.returncode, err) == (130, "omniaudit: interrupted\n")
            assert not (tmp_path / "out.jsonl").exists()
            time.sleep(0.5)
            assert not [pid for pid in browsers if _is_chromium(pid)]
