"""Platform exports: X/Twitter archive, Facebook/Instagram JSON (mojibake repaired), LinkedIn Shares.csv."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from omniaudit.collect import CollectContext, CollectResult, get_connector
from omniaudit.collect.exports import fix_mojibake
from omniaudit.config import Channel

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FACEBOOK_POSTS = (
    "social/facebook/your_activity_across_facebook/posts/your_posts__check_ins__photos_and_videos_1.json"
)


def collect(connector: str, source: str, base_dir: Path = FIXTURES, **options: Any) -> CollectResult:
    channel = Channel(id="export", type="social", connector=connector, source=source, options=options)
    return get_connector(channel, CollectContext(base_dir=base_dir)).collect()


def test_twitter_archive_folder() -> None:
    result = collect("twitter_archive", "social/twitter")
    assert result.failures == []
    assert result.stats["skipped"] == 1  # the retweet
    first, reply, old = result.documents
    assert first.uri == "https://x.com/northwind/status/1887000000000000001"
    assert first.title == "x post 1887000000000000001"
    # HTML entities decoded, the t.co link expanded in the text and kept as a link.
    assert first.text == (
        "Repairs are free for as long as you own your gear & they're fast. #GoFurtherTogether "
        "with @nw_repairs https://northwind.example/repairs"
    )
    assert first.metadata["account"] == "@northwind"  # from data/account.js
    assert first.metadata["date"] == "2026-02-08T10:00:00Z"
    assert first.metadata["hashtags"] == ["#GoFurtherTogether"]
    assert first.metadata["mentions"] == ["@nw_repairs"]
    assert first.links == ("https://northwind.example/repairs", first.uri)
    assert str(first.blocks[0].location) == "social/twitter/data/tweets.js:1 [post 1887000000000000001]"
    # The photo's t.co link is not text.
    assert reply.text == "@sam_hikes Returns are free within 30 days, here is the label."
    assert reply.metadata["reply"] is True
    assert old.metadata["hashtags"] == ["#BlackFriday"]


def test_twitter_archive_zip_since_and_options(tmp_path: Path) -> None:
    archive = tmp_path / "twitter-2026-02-10-abc.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in ("data/tweets.js", "data/account.js"):
            zipped.write(FIXTURES / "social" / "twitter" / name, name)
    result = collect("twitter_archive", archive.name, base_dir=tmp_path, since="2026-01-01", replies=False)
    assert [doc.metadata["post_id"] for doc in result.documents] == ["1887000000000000001"]
    assert result.stats["older_than_since"] == 1
    assert result.documents[0].blocks[0].location.uri == "twitter-2026-02-10-abc.zip!/data/tweets.js"
    with_retweets = collect("twitter_archive", "social/twitter/data/tweets.js", retweets=True, account="@nw")
    assert len(with_retweets.documents) == 4
    assert with_retweets.documents[0].uri == "https://x.com/nw/status/1887000000000000001"


def test_twitter_archive_bad_inputs(tmp_path: Path) -> None:
    (tmp_path / "tweets.js").write_text('[{"tweet": {"id_str": "1", "full_text": "hi"}}]', encoding="utf-8")
    (failure,) = collect("twitter_archive", "tweets.js", base_dir=tmp_path).failures
    assert (
        failure.error
        == "does not start with 'window.YTD.<name>.part0 = '; is it the archive's data/tweets.js?"
    )
    (tmp_path / "cut.js").write_text(
        'window.YTD.tweets.part0 = [ {"tweet": {"id_str": "1", "full_', encoding="utf-8"
    )
    (failure,) = collect("twitter_archive", "cut.js", base_dir=tmp_path).failures
    assert failure.error == "invalid JSON: the file ends early at line 1 (truncated export?); re-export it"
    (tmp_path / "empty").mkdir()
    (failure,) = collect("twitter_archive", "empty", base_dir=tmp_path).failures
    assert failure.error == "no data/tweets.js found; is this the unpacked export?"
    (tmp_path / "bad.zip").write_bytes(b"PK not really")
    (failure,) = collect("twitter_archive", "bad.zip", base_dir=tmp_path).failures
    assert failure.error.startswith("not a readable zip file (")


def test_facebook_export_repairs_mojibake_and_reads_attachments() -> None:
    result = collect("facebook_export", "social/facebook")
    assert result.failures == []
    assert result.stats["skipped"] == 1  # a photo without any text
    first, photo, _ = result.documents
    assert first.text == "Réparations gratuites à vie 🧵 — go further, together. #GoFurtherTogether"
    assert first.metadata["account"] == "Northwind Outfitters Équipe"
    assert first.metadata["platform"] == "facebook"
    assert first.metadata["date"] == "2026-02-11T09:00:00Z"
    assert first.metadata["hashtags"] == ["#GoFurtherTogether"]
    assert first.links == ("https://northwind.example/fr/reparations",)
    assert first.uri == f"{FACEBOOK_POSTS}#1770800400"
    assert photo.text == "Delivery in 3–5 business days."  # a photo's description when there is no post text
    assert [
        doc.metadata["post_id"]
        for doc in collect("facebook_export", FACEBOOK_POSTS, since="2026-01-01").documents
    ] == [
        "1770800400",
        "1768900000",
    ]


def test_facebook_truncated_json_keeps_other_files(tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "your_posts_1.json").write_text('[{"timestamp": 1770000000, "data": [{"post": "Hello"}]}]')
    (posts / "your_posts_2.json").write_text('[{"timestamp": 1770000000, "data": [{"post": "Hel')
    result = collect("facebook_export", ".", base_dir=tmp_path)
    assert [doc.text for doc in result.documents] == ["Hello"]
    assert [(f.source, f.error) for f in result.failures] == [
        (
            "posts/your_posts_2.json",
            "invalid JSON: the file ends early at line 1 (truncated export?); re-export it",
        )
    ]


def test_instagram_export() -> None:
    result = collect("instagram_export", "social/instagram")
    assert result.failures == []
    single, album = result.documents
    assert (
        single.text == "Réparé, pas remplacé. Free repairs for life ✨ #GoFurtherTogether @northwind.repairs"
    )
    assert single.metadata["account"] == "@northwind"
    assert single.metadata["post_id"] == "17890000000000001"
    assert single.metadata["mentions"] == ["@northwind.repairs"]
    assert single.metadata["date"] == "2026-02-12T12:40:00Z"
    assert album.text == "Winter kit, delivered in 3-5 business days."
    assert len(album.metadata["media"]) == 2


def test_linkedin_shares_csv() -> None:
    result = collect("linkedin_export", "social/linkedin")
    assert result.failures == []
    assert result.stats["skipped"] == 1  # a share without commentary
    first, second, _ = result.documents
    assert first.metadata["post_id"] == "7290000000000000001"
    assert first.uri == "https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7290000000000000001"
    assert first.metadata["account"] == "Northwind Outfitters"  # from Profile.csv
    assert first.metadata["date"] == "2026-02-09T14:05:11Z"
    # The extra quotes LinkedIn adds are gone; a multi-line commentary is one post located where it starts.
    assert first.text.startswith("We repair what we sell")
    assert first.text.endswith("#GoFurtherTogether")
    assert first.blocks[0].location.line == 2
    assert "https://northwind.example/repairs" in first.links
    assert second.text == 'Returns are free within 30 days, say "hello" to easy.'
    assert second.blocks[0].location.line == 4


def test_linkedin_wrong_csv_names_the_columns(tmp_path: Path) -> None:
    (tmp_path / "Shares.csv").write_text("Date,Link,Message\n2026-01-01,x,hello\n", encoding="utf-8")
    (failure,) = collect("linkedin_export", "Shares.csv", base_dir=tmp_path).failures
    assert failure.error == (
        "no 'ShareCommentary' column (columns: Date, Link, Message); is this LinkedIn's Shares.csv? "
        "For other CSVs use the social_export connector with options.mapping"
    )


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("R\u00c3\u00a9par\u00c3\u00a9", "Réparé"),
        ("\u00f0\u009f\u00a7\u00b5", "🧵"),
        ("café", "café"),
        ("plain", "plain"),
    ],
)
def test_fix_mojibake(broken: str, fixed: str) -> None:
    assert fix_mojibake({"a": [broken]}) == {"a": [fixed]}
