"""Nothing outside the brand's folder is read unless the config says so: links to files elsewhere are refused
with a failure naming the link and its target, a relative source that climbs out is a config error, and
`allow_outside: true` or an absolute path written in the config opens exactly that channel's tree."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from omniaudit.app import collect_channels
from omniaudit.config import load_config
from tests.cli import omniaudit

SECRET = "The vault combination is 31-41-59 and must never leave this folder."
PASSWD = Path("/etc/passwd")


def _config(folder: Path, channels: str) -> Path:
    config = folder / "omniaudit.yaml"
    config.write_text(
        "brand: {name: Acme}\n"
        "brand_book: {key_messages: [{id: t, text: Acme makes home repairs simple.}]}\n"
        f"channels:\n{channels}",
        encoding="utf-8",
    )
    return config


def _outside_file(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "vault.txt"
    secret.parent.mkdir()
    secret.write_text(f"Agent: {SECRET}\n", encoding="utf-8")
    return secret


def test_links_to_files_outside_are_refused_and_never_reach_the_report_or_history(tmp_path: Path) -> None:
    brand = tmp_path / "brand"
    service = brand / "service"
    service.mkdir(parents=True)
    (service / "returns.txt").write_text(
        "Agent: Acme makes home repairs simple.\nCustomer: Thanks, that helps a lot.\n", encoding="utf-8"
    )
    (service / "x.txt").symlink_to(PASSWD)
    (service / "vault.md").symlink_to(_outside_file(tmp_path))
    (service / "etc").symlink_to("/etc", target_is_directory=True)  # folders behind links are not walked
    (service / "inside.txt").symlink_to(service / "returns.txt")  # a link that stays inside is fine
    config = _config(brand, "  - {id: calls, type: service, connector: service_folder, source: service/}\n")

    result = omniaudit(
        "audit",
        str(config),
        "-q",
        "-f",
        "json",
        "-o",
        "report.json",
        "--allow-failures",
        "--fail-on",
        "never",
        cwd=brand,
    )

    assert result.returncode == 0, result.stderr
    report_text = (brand / "report.json").read_text(encoding="utf-8")
    report = json.loads(report_text)
    refused = {failure["source"]: failure["error"] for failure in report["failures"]}
    hint = "not read (set allow_outside: true on the channel if that is intended)"
    assert refused == {
        "service/vault.md": f"a link to {tmp_path / 'elsewhere' / 'vault.txt'}, outside the brand's folder "
        f"({brand}); {hint}",
        "service/x.txt": f"a link to {PASSWD}, outside the brand's folder ({brand}); {hint}",
    }
    assert {c["id"]: c["documents"] for c in report["channels"]} == {"calls": 2}  # returns.txt, inside.txt
    passwd_lines = [line for line in PASSWD.read_text(encoding="utf-8").splitlines() if line.strip()]
    history = brand / ".omniaudit" / "history.db"
    assert history.is_file()
    with sqlite3.connect(history) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        stored = "\n".join(
            str(value) for table in tables for row in db.execute(f'SELECT * FROM "{table}"') for value in row
        )
    assert "Acme makes home repairs simple." in stored  # the history does hold the channel's own text
    for text in (report_text, stored):
        assert SECRET not in text
        assert not any(line in text for line in passwd_lines[:3])


def test_a_relative_source_that_climbs_out_is_a_config_error(tmp_path: Path) -> None:
    brand = tmp_path / "brand"
    brand.mkdir()
    config = _config(
        brand, "  - id: calls\n    type: service\n    connector: service_folder\n    source: ../../..\n"
    )

    result = omniaudit("check-config", str(config))

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"omniaudit: error: {config}:7: channels.0.source: '../../..' points outside the brand's folder "
        f"({(brand / '../../..').resolve()}); set allow_outside: true on the channel if that is intended"
    ]


def test_allow_outside_and_an_absolute_path_read_their_own_tree(tmp_path: Path) -> None:
    brand = tmp_path / "brand"
    brand.mkdir()
    shared = tmp_path / "shared-help"
    shared.mkdir()
    (shared / "hours.txt").write_text("We answer every day from 8am to 8pm.\n", encoding="utf-8")
    absolute = tmp_path / "call-scripts"
    absolute.mkdir()
    (absolute / "greeting.txt").write_text("Welcome to Acme, how can I help?\n", encoding="utf-8")
    (absolute / "vault.txt").symlink_to(_outside_file(tmp_path))  # outside the tree the config named
    config = _config(
        brand,
        "  - {id: shared, type: service, connector: service_folder, source: ../shared-help, "
        "allow_outside: true}\n"
        f"  - {{id: calls, type: service, connector: service_folder, source: '{absolute}'}}\n",
    )

    checked = omniaudit("check-config", str(config))
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines()[1:] == [
        f"  shared: ../shared-help -> {shared} (allow_outside)",
        f"  calls: {absolute} -> {absolute}",
    ]

    collected = collect_channels(load_config(config))
    texts = {(d.channel_id, d.uri): [b.text for b in d.blocks] for d in collected.documents}
    assert texts == {
        ("shared", str(shared / "hours.txt")): ["We answer every day from 8am to 8pm."],
        ("calls", str(absolute / "greeting.txt")): ["Welcome to Acme, how can I help?"],
    }
    [failure] = collected.failures
    assert (failure.channel_id, failure.source) == ("calls", str(absolute / "vault.txt"))
    assert failure.error.startswith(
        f"a link to {tmp_path / 'elsewhere' / 'vault.txt'}, outside the channel's "
        f"folder ({absolute}); not read"
    )
