"""The `static_site` connector: Markdown sources read as the website, one folder or suffix per locale."""

from __future__ import annotations

from pathlib import Path

from omniaudit.analyze.versions import version_groups
from omniaudit.collect import CollectContext, get_connector
from omniaudit.config import Channel

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "multilingual" / "static_site"


def _collect(source: str = "content", base: Path = FIXTURES, **options: object):  # type: ignore[no-untyped-def]
    channel = Channel(
        id="website", type="website", connector="static_site", source=source, options=dict(options)
    )
    return get_connector(channel, CollectContext(base_dir=base)).collect()


def test_pages_with_front_matter_locales_and_lines() -> None:
    result = _collect(base_url="https://lumea.example")
    assert result.failures == []
    stats = result.stats
    assert (stats["pages"], stats["drafts"], stats["languages"]) == (4, 1, ["fr", "pl"])
    assert stats["skipped"] == [{"file": "content/blog/brouillon.fr.md", "reason": "draft"}]
    pages = {d.uri: d for d in result.documents}
    french = pages["content/fr/retours.md"]
    assert (french.language, french.title, french.channel_type) == (
        "fr",
        "Retours et remboursements",
        "website",
    )
    assert french.metadata["url"] == "https://lumea.example/fr/retours"
    blocks = [(b.scope, b.location.line, b.text) for b in french.blocks]
    assert ("meta", None, "Comment retourner un article Lumea.") in blocks
    assert (
        "main",
        8,
        "Vous pouvez retourner tout article sous 30 jours, dans son emballage d'origine.",
    ) in blocks
    assert ("main", 15, "Nos conseillers répondent du lundi au vendredi, 9h–18h.") in blocks
    assert not any("notice" in text for _, _, text in blocks)  # shortcodes are not page text
    assert french.links == ("https://lumea.example/fr/livraison",)
    toml = pages["content/blog/nouveautes.fr.md"]
    assert (toml.language, toml.title) == ("fr", "Nouveautés de printemps")
    assert toml.metadata["url"] == "https://lumea.example/blog/nouveautes"


def test_language_versions_by_folder_and_translation_key() -> None:
    groups = {tuple(d.uri for d in g.documents) for g in version_groups(_collect().documents)}
    assert groups == {
        ("content/fr/retours.md", "content/pl/retours.md"),
        ("content/blog/nouveautes.fr.md", "content/blog/nowosci.pl.md"),
    }


def test_drafts_on_request_and_a_pinned_language(tmp_path: Path) -> None:
    result = _collect(include_drafts=True)
    assert result.stats["drafts"] == 0 and len(result.documents) == 5
    page = tmp_path / "about.md"
    page.write_text("---\nlang: fr-CA\n---\nNous fabriquons du linge de maison en lin.\n", encoding="utf-8")
    [doc] = _collect("about.md", base=tmp_path).documents
    assert doc.language == "fr" and doc.metadata["locale"] == "fr-CA"


def test_broken_front_matter_and_a_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "bad.md").write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    [failure] = _collect("site", base=tmp_path).failures
    assert failure.source == "site/bad.md" and failure.error.startswith("invalid front matter")
    [missing] = _collect("nowhere", base=tmp_path).failures
    assert "folder not found" in missing.error


def test_a_page_knows_when_it_was_written(tmp_path: Path) -> None:
    posts = tmp_path / "_posts"
    posts.mkdir()
    (posts / "2019-05-12-new-prices.md").write_text("---\ntitle: New\n---\nSeats cost less.\n", "utf-8")
    (posts / "launch.md").write_text("---\ndate: 2021-02-03 10:00:00\n---\nWe launched.\n", "utf-8")
    (posts / "about.md").write_text("---\ntitle: About\n---\nWho we are.\n", "utf-8")
    dates = {Path(d.uri).name: d.metadata.get("date") for d in _collect("_posts", tmp_path).documents}
    # The file name's date (Jekyll posts), else front matter `date`; an undated page has none.
    assert dates == {"2019-05-12-new-prices.md": "2019-05-12", "launch.md": "2021-02-03", "about.md": None}
