"""The `l10n` connector: every supported localization format, read as a user would see it."""

from __future__ import annotations

from pathlib import Path

import pytest

from omniaudit.collect import CollectContext, get_connector
from omniaudit.config import Channel
from omniaudit.models import Document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "l10n"


def _collect(source: str, base: Path = FIXTURES, **options: object):  # type: ignore[no-untyped-def]
    channel = Channel(id="app", type="app", connector="l10n", source=source, options=dict(options))
    return get_connector(channel, CollectContext(base_dir=base)).collect()


def _messages(document: Document) -> dict[str, tuple[int | None, str]]:
    return {b.location.section or "": (b.location.line, b.text) for b in document.blocks}


def _by_locale(source: str) -> dict[str, Document]:
    result = _collect(source)
    assert result.failures == []
    return {d.metadata["locale"]: d for d in result.documents}


def test_gettext_po_with_header_language_plurals_context_and_continuations() -> None:
    [doc] = _collect("po").documents
    assert (doc.uri, doc.language, doc.channel_type) == ("po/fr.po", "fr", "app")
    messages = _messages(doc)
    assert messages["You can return any item within 30 days."] == (
        10,
        "Vous pouvez retourner tout article sous 30 jours.",
    )
    # One message per plural entry: the last form (the general case), msgid_plural as its source.
    assert messages["%(count)d item in your basket"][1] == "⟨var⟩ articles dans votre panier"
    meta = {m["key"]: m for m in doc.metadata["l10n"]["messages"]}
    assert meta["%(count)d item in your basket"]["variants"] == {
        "0": "%(count)d article dans votre panier",
        "1": "%(count)d articles dans votre panier",
    }
    assert meta["%(count)d item in your basket"]["source"] == "⟨var⟩ items in your basket"
    assert meta["%(count)d item in your basket"]["raw"] == "%(count)d articles dans votre panier"
    assert messages["Our advisers answer Monday to Friday, 9am to 6pm."][1] == (
        "Nos conseillers répondent du lundi au vendredi, 9h–18h."
    )
    assert "button|Track my order" not in messages  # empty translation: no text to audit
    assert not any("Ancienne" in text for _, text in messages.values())  # obsolete entries
    assert {m["key"]: m["fuzzy"] for m in doc.metadata["l10n"]["messages"]}["Free delivery on orders over %s"]


def test_xliff_12_and_20_keep_inline_codes_in_the_quote() -> None:
    docs = _by_locale("xliff")
    assert set(docs) == {"fr-FR", "pl"}
    french, polish = _messages(docs["fr-FR"]), _messages(docs["pl"])
    assert french["returns.notice"] == (7, "Vous pouvez retourner tout article sous 30 jours.")
    assert french["greeting"][1] == "Bonjour ⟨var⟩, bon retour sur votre compte."
    raw = {m["key"]: m["raw"] for m in docs["fr-FR"].metadata["l10n"]["messages"]}
    assert raw["greeting"] == "Bonjour {name}, bon retour sur votre compte."  # the code as the app writes it
    assert "internal.code" not in french  # translate="no"
    assert polish["greeting"] == (13, "Witaj ⟨var⟩, miło cię znowu widzieć na koncie.")  # the <target>
    assert "newsletter.cta" not in polish  # no <target>
    assert docs["pl"].metadata["l10n"]["source_locale"] == "en"


def test_fluent_messages_attributes_and_plural_variants() -> None:
    docs = _by_locale("fluent")
    french = _messages(docs["fr"])
    assert french["cart-items"][1] == "Vous avez ⟨var⟩ articles dans votre panier."  # the default variant
    meta = {m["key"]: m for m in docs["fr"].metadata["l10n"]["messages"]}
    assert meta["cart-items"]["variants"]["one"] == "Vous avez ⟨var⟩ article dans votre panier."
    assert _messages(docs["en"])["welcome"][1] == "Welcome to Lumea, ⟨var⟩!"  # term reference resolved
    assert french["login-button.title"] == (11, "Connectez-vous pour suivre vos commandes et vos retours")
    # A multiline pattern keeps its line break (Fluent's own output does); the line is the message id's.
    assert french["support-hours"] == (12, "Nos conseillers répondent du lundi au vendredi,\n9h–18h.")
    assert not any(key.startswith("-") for key in french)  # terms are not messages


def test_rails_yaml_locale_root_and_plurals() -> None:
    docs = _by_locale("rails")
    french = _messages(docs["fr"])
    assert french["checkout.items"] == (6, "⟨var⟩ articles dans votre panier")  # the `other` form's line
    assert "account.enabled" not in french  # booleans are settings, not messages
    assert docs["fr"].metadata["version_key"] == docs["en"].metadata["version_key"]


def test_i18next_json_nested_keys_and_plural_suffixes() -> None:
    docs = _by_locale("i18next")
    polish = _messages(docs["pl"])
    assert polish["checkout.items"] == (6, "⟨var⟩ produktów w koszyku")  # items_one..items_many: one message
    meta = {m["key"]: m for m in docs["pl"].metadata["l10n"]["messages"]}
    assert set(meta["checkout.items"]["variants"]) == {"one", "few", "many"}
    sources = {m["key"]: m["source"] for m in docs["pl"].metadata["l10n"]["messages"]}
    assert sources["checkout.returns"] == "You can return any item within 30 days."


def test_android_strings_plurals_arrays_and_escapes() -> None:
    docs = _by_locale("android")
    assert set(docs) == {"en", "fr"}  # values/ is the source locale
    english, french = _messages(docs["en"]), _messages(docs["fr"])
    assert "app_name" not in english  # translatable="false"
    assert english["support"][1] == "We're here Monday to Friday, 9am to 6pm."
    assert english["greeting"][1] == "Hello ⟨var⟩, welcome back to your account."
    assert french["support"] == (5, "Nous sommes là du lundi au vendredi, 9h–18h.")
    assert french["cart_items"][1] == "⟨var⟩ articles dans votre panier"
    assert french["delivery_options.1"][1] == "Click and collect"


def test_ios_strings_in_utf16_and_utf8() -> None:
    docs = _by_locale("ios")
    assert _messages(docs["fr"])["greeting"] == (3, "Bonjour ⟨var⟩, bon retour sur votre compte.")
    assert _messages(docs["en"])["returns.notice"] == (2, "You can return any item within 30 days.")


def test_xcstrings_one_document_per_locale() -> None:
    docs = _by_locale("xcstrings")
    assert set(docs) == {"en", "fr", "pl"}
    assert docs["pl"].uri == "xcstrings/Localizable.xcstrings#pl"
    assert _messages(docs["pl"])["You can return any item within 30 days."] == (
        4,
        "Możesz zwrócić każdy produkt w ciągu 14 dni.",
    )
    assert _messages(docs["pl"])["cart.items"][1] == "⟨var⟩ produktów w koszyku"
    [plural] = [m for m in docs["pl"].metadata["l10n"]["messages"] if m["key"] == "cart.items"]
    assert set(plural["variants"]) == {"one", "few", "other"}
    assert "Lumea" not in _messages(docs["en"])  # shouldTranslate: false


def test_a_whole_folder_of_mixed_formats() -> None:
    result = _collect(".")
    assert result.failures == []
    every_file = [path for path in FIXTURES.rglob("*") if path.is_file()]
    assert result.stats["files"] == len(every_file)
    assert set(result.stats["locales"]) >= {"en", "fr", "pl", "fr-FR"}


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("fr/broken.xlf", "<xliff version='1.2'><file>", "invalid XML at line 1"),
        ("fr/bad.po", 'msgid "a"\nmsgstr "b"\nnonsense here\n', "line 3: not gettext PO syntax"),
        ("fr/bad.yml", "a: [1, 2\n", "invalid YAML"),
        ("strings.json", '{"a": "Bonjour"}', "cannot tell the locale of this file"),
    ],
)
def test_broken_files_are_failures_naming_the_file(
    tmp_path: Path, name: str, content: str, reason: str
) -> None:
    path = tmp_path / "app" / name
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    result = _collect("app", base=tmp_path)
    assert result.documents == []
    [failure] = result.failures
    assert failure.source == f"app/{name}" and reason in failure.error


def test_missing_folder_is_a_failure(tmp_path: Path) -> None:
    [failure] = _collect("nowhere", base=tmp_path).failures
    assert "folder not found" in failure.error
