"""Random and mutated bytes through every local file reader: each returns documents and per-file failures,
or raises the project's own error (a one-line OmniauditError), never another exception, within a deadline.

Each reader is driven the way an audit drives it: a connector over a file in a brand's folder. Inputs are
either random bytes or a real fixture with a few bytes flipped, cut or inserted (which reaches the parsers
behind the zip, PDF and XML envelopes that random bytes never get past)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omniaudit.collect.base import CollectContext, CollectResult, get_connector
from omniaudit.config import Channel
from omniaudit.errors import OmniauditError
from omniaudit.models import Document, Failure

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _zipped(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(folder.parent).as_posix())
    return buffer.getvalue()


@dataclass(frozen=True)
class Case:
    connector: str
    channel_type: str
    file: str  # where the fuzzed bytes go, relative to the channel's source folder
    seed: Path | None = None  # a real file of that format to mutate
    source: str = "src"  # the channel's source, relative to the brand's folder
    zipped_seed: Path | None = None  # a fixture folder, zipped at test time, as the seed
    options: dict[str, object] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.connector}:{self.file}"

    def seed_bytes(self) -> bytes:
        if self.zipped_seed is not None:
            return _zipped(self.zipped_seed)
        return self.seed.read_bytes() if self.seed is not None else b""


SERVICE, SOCIAL, L10N, SITE = FIXTURES / "service", FIXTURES / "social", FIXTURES / "l10n", (
    FIXTURES / "static_site_templates")
CASES = [
    Case("service_folder", "service", "call.txt", SERVICE / "returns_call.txt"),
    Case("service_folder", "service", "help.md", SERVICE / "help" / "returns.md"),
    Case("service_folder", "service", "contact.html", SERVICE / "formats" / "contact-us.html"),
    Case("service_folder", "service", "script.docx", SERVICE / "formats" / "delivery-script.docx"),
    Case("service_folder", "service", "policy.pdf", SERVICE / "formats" / "returns-policy.pdf"),
    Case("service_folder", "service", "mail.eml", SERVICE / "formats" / "order-shipped.eml"),
    Case("rasa", "service", "domain.yml", SERVICE / "rasa" / "domain.yml"),
    Case("dialogflow", "service", "agent.zip", zipped_seed=SERVICE / "dialogflow" / "NorthwindHelp",
         source="src/agent.zip"),
    Case("zendesk_guide", "service", "articles.json", SERVICE / "zendesk" / "articles.json",
         source="src/articles.json"),
    Case("social_export", "social", "posts.json", SOCIAL / "posts.json"),
    Case("social_export", "social", "posts.csv", SOCIAL / "sprout.csv",
         options={"mapping": {"text": "Message", "id": "Post ID", "date": "Published"}}),
    Case("twitter_archive", "social", "data/tweets.js", SOCIAL / "twitter" / "data" / "tweets.js"),
    Case("facebook_export", "social", "export.zip", zipped_seed=SOCIAL / "facebook", source="src/export.zip"),
    Case("instagram_export", "social", "posts_1.json",
         SOCIAL / "instagram" / "your_instagram_activity" / "content" / "posts_1.json"),
    Case("linkedin_export", "social", "Shares.csv", SOCIAL / "linkedin" / "Shares.csv"),
    Case("feed", "social", "blog.rss", SOCIAL / "feeds" / "blog.rss", source="src/blog.rss"),
    Case("feed", "social", "news.atom", SOCIAL / "feeds" / "newsroom.atom", source="src/news.atom"),
    Case("l10n", "app", "fr.po", L10N / "po" / "fr.po"),
    Case("l10n", "app", "messages.pot", L10N / "pot" / "messages.pot"),
    Case("l10n", "app", "en-US/main.ftl", L10N / "fluent_more" / "en-US" / "main.ftl"),
    Case("l10n", "app", "app.xlf", L10N / "xliff_more" / "app.xlf"),
    Case("l10n", "app", "values/strings.xml", L10N / "android" / "values" / "strings.xml"),
    Case("l10n", "app", "fr.json", L10N / "icu" / "locales" / "fr.json"),
    Case("l10n", "app", "app_en.arb", L10N / "multi" / "app_en.arb"),
    Case("l10n", "app", "fr.yml", L10N / "rails" / "fr.yml"),
    Case("l10n", "app", "en.toml", L10N / "hugo" / "i18n" / "en.toml"),
    Case("l10n", "app", "Localizable.xcstrings", L10N / "xcstrings" / "Localizable.xcstrings"),
    Case("l10n", "app", "fr.lproj/Localizable.strings"),
    Case("static_site", "website", "features.md", SITE / "features.md"),
    Case("static_site", "website", "page.html", FIXTURES / "site" / "index.html"),
    Case("static_site", "website", "index.html.erb", SITE / "index.html.erb"),
    Case("static_site", "website", "pricing.njk", SITE / "pricing.njk"),
    Case("static_site", "website", "notes.txt", SERVICE / "returns_call.txt"),
]


@st.composite
def _contents(draw: st.DrawFn, seed: bytes) -> bytes:
    if not seed or draw(st.booleans()):
        return draw(st.binary(max_size=2048))
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(("replace", "cut", "insert", "truncate")))
        if action == "replace" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[at:]
    return bytes(data)


def _collect(case: Case, contents: bytes) -> CollectResult | None:
    with tempfile.TemporaryDirectory() as brand:
        folder = Path(brand)
        target = folder / case.source if case.source.endswith(case.file) else folder / case.source / case.file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(contents)
        channel = Channel(id="fuzzed", type=case.channel_type, connector=case.connector, source=case.source,
                          options=case.options)
        try:
            return get_connector(channel, CollectContext(base_dir=folder)).collect()
        except OmniauditError as error:
            assert str(error).strip() and "\n" not in str(error)
            return None


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
@settings(max_examples=30, deadline=timedelta(seconds=10), derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_reader_returns_documents_or_a_source_error(case: Case, data: st.DataObject) -> None:
    result = _collect(case, data.draw(_contents(case.seed_bytes()), label="contents"))
    if result is None:
        return
    assert all(isinstance(document, Document) for document in result.documents)
    assert all(isinstance(failure, Failure) for failure in result.failures)
    for failure in result.failures:
        assert failure.error.strip() and "\n" not in failure.error, failure


@pytest.mark.parametrize("case", [case for case in CASES if case.seed or case.zipped_seed],
                         ids=lambda case: case.id)
def test_each_seed_is_read_as_it_is(case: Case) -> None:
    """The fuzzing starts from files the readers really read: each seed gives documents unmutated."""
    result = _collect(case, case.seed_bytes())
    assert result is not None and result.documents, result
