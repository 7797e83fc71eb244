"""social_export: generic JSON/CSV post exports, with column mapping, date window and bad-input reporting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from omniaudit.collect import CollectContext, CollectResult, get_connector
from omniaudit.config import Channel
from omniaudit.errors import ConfigError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

SPROUT = {
    "text": "Message",
    "date": "Published",
    "url": "Link",
    "id": "Post ID",
    "platform": "Network",
    "account": "Profile",
}


def collect(source: str, base_dir: Path = FIXTURES, **options: Any) -> CollectResult:
    channel = Channel(id="social", type="social", connector="social_export", source=source, options=options)
    return get_connector(channel, CollectContext(base_dir=base_dir)).collect()


def test_json_posts_keep_platform_account_id_url_date_tags_mentions_and_links() -> None:
    result = collect("social/posts.json")
    assert result.failures == []
    first = result.documents[0]
    assert first.uri == "https://www.instagram.com/p/C1001/"
    assert first.title == "instagram post 1001"
    assert first.channel_type == "social"
    assert [block.scope for block in first.blocks] == ["post"]
    assert first.blocks[0].text.startswith("Go further, together.")
    assert str(first.blocks[0].location) == "social/posts.json:1 [post 1001]"
    assert first.metadata["platform"] == "instagram"
    assert first.metadata["account"] == "@northwind"
    assert first.metadata["post_id"] == "1001"
    assert first.metadata["date"] == "2026-02-03T09:15:00Z"
    assert first.metadata["hashtags"] == ["#GoFurtherTogether", "#TrailReady"]
    assert first.metadata["mentions"] == ["@northwind_repairs"]
    # The trailing full stop is not part of the link; the post's own URL is a link too.
    assert first.links == ("https://northwind.example/repairs", "https://www.instagram.com/p/C1001/")
    # An e-mail address is not a mention.
    assert result.documents[1].metadata["mentions"] == []


def test_since_drops_older_posts_and_counts_them() -> None:
    result = collect("social/posts.json", since="2026-01-01")
    assert [doc.metadata["post_id"] for doc in result.documents] == ["1001", "1002"]
    assert result.stats["older_than_since"] == 1
    assert len(collect("social/posts.json").documents) == 3


def test_csv_with_mapping_reads_a_sprout_style_export_with_line_numbers() -> None:
    result = collect("social/sprout.csv", mapping=SPROUT, since="2026-01-01")
    assert result.failures == []
    assert [doc.metadata["post_id"] for doc in result.documents] == ["18011", "18013"]
    first, last = result.documents
    assert first.title == "Facebook post 18011"
    assert first.metadata["date"] == "2026-01-15T09:30:00Z"
    # The quoted message spans two lines; the row is located where it starts.
    assert first.blocks[0].location.line == 2
    assert "Shop the winter range" in first.text
    assert first.metadata["hashtags"] == ["#GoFurtherTogether"]
    assert "https://northwind.example/winter" in first.links
    assert last.blocks[0].location.line == 5
    assert last.metadata["mentions"] == ["@jane.doe"]


def test_posts_without_url_or_platform_get_a_file_uri_and_the_configured_platform(tmp_path: Path) -> None:
    (tmp_path / "export.json").write_text(
        '[{"id": 7, "body": {"message": "Hello #World"}}]', encoding="utf-8"
    )
    result = collect("export.json", base_dir=tmp_path, mapping={"text": "body.message"}, platform="threads")
    (doc,) = result.documents
    assert doc.uri == "export.json#7"
    assert doc.title == "threads post 7"
    assert doc.metadata["hashtags"] == ["#World"]


def test_truncated_json_is_one_failure_naming_the_file() -> None:
    result = collect("social/truncated.json")
    assert result.documents == []
    (failure,) = result.failures
    assert failure.source == "social/truncated.json"
    assert failure.error == "invalid JSON: the file ends early at line 3 (truncated export?); re-export it"


def test_csv_without_text_column_names_the_columns_and_the_option() -> None:
    (failure,) = collect("social/no_text.csv").failures
    assert f"{failure.source}: {failure.error}" == (
        "social/no_text.csv: no 'text' column (columns: a, b); set options.mapping.text"
    )


def test_a_folder_source_keeps_the_good_files_when_one_is_bad(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("id,text\n1,Free returns for 30 days\n", encoding="utf-8")
    (tmp_path / "b.json").write_bytes(b'[{"id": 1, "text": "caf\xe9"}]')  # latin-1, not UTF-8
    (tmp_path / "c.json").write_text("<html><body>Not an export</body></html>", encoding="utf-8")
    result = collect(".", base_dir=tmp_path)
    assert [doc.text for doc in result.documents] == ["Free returns for 30 days"]
    assert [(f.source, f.error) for f in result.failures] == [
        ("b.json", "not UTF-8 text (byte 0xe9 at offset 23); re-save it as UTF-8 or set options.encoding"),
        ("c.json", "an HTML or XML page, not JSON; check the source path or the connector"),
    ]


def test_missing_file_is_a_failure_not_an_exception(tmp_path: Path) -> None:
    (failure,) = collect("nope.csv", base_dir=tmp_path).failures
    assert (failure.source, failure.error) == ("nope.csv", "file not found; check the channel's source path")


def test_unknown_option_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"options\.mapping\.txt: unknown option"):
        collect("social/posts.json", mapping={"txt": "Message"})
