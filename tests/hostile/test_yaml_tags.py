"""Python tags in a locale YAML file are never loaded nor read as text, and the user is told which file has
them; the file's other messages are still audited."""

from __future__ import annotations

from pathlib import Path

from omniaudit.collect import CollectContext, get_connector
from omniaudit.config import Channel

HINT = "is not read: omniaudit never builds Python objects from YAML; remove the tag to audit that text"


def test_python_tags_in_locale_yaml_are_named_and_skipped(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (tmp_path / "en.yml").write_text(
        "en:\n"
        "  greeting: Welcome to Acme\n"
        f'  run: !!python/object/apply:os.system ["touch {marker}"]\n'
        "  box: !!python/object:collections.OrderedDict {text: Smuggled words}\n",
        encoding="utf-8",
    )
    (tmp_path / "fr.yml").write_text(
        '- id: hello\n  translation: Bonjour\n- id: run\n  translation: !!python/name:os.system ""\n',
        encoding="utf-8",
    )
    channel = Channel(id="app", type="app", connector="l10n", source=".")

    result = get_connector(channel, CollectContext(base_dir=tmp_path)).collect()

    assert not marker.exists()
    assert [(failure.source, failure.error) for failure in result.failures] == [
        (
            "en.yml",
            f"a value with a Python tag (!!python/object/apply:os.system at line 3 and 1 more) {HINT}",
        ),
        ("fr.yml", f"a value with a Python tag (!!python/name:os.system at line 4) {HINT}"),
    ]
    texts = {document.uri: [block.text for block in document.blocks] for document in result.documents}
    assert texts == {"en.yml": ["Welcome to Acme"], "fr.yml": ["Bonjour"]}
