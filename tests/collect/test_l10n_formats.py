"""The `l10n` connector on catalogues whatever their file names, on every format's own slots and markup, and
its accounting of what it skipped (issue 13, items 3 and 4)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from omniaudit.collect import CollectContext, get_connector
from omniaudit.collect._l10n_model import resolve_icu
from omniaudit.collect.l10n import path_locale
from omniaudit.config import Channel
from omniaudit.models import Document
from omniaudit.placeholders import PLACEHOLDER

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "l10n"
V = PLACEHOLDER


def _collect(source: str, base: Path = FIXTURES, language: str | None = None, **options: object) -> Any:
    channel = Channel(
        id="app", type="app", connector="l10n", source=source, language=language, options=dict(options)
    )
    return get_connector(channel, CollectContext(base_dir=base)).collect()


def _docs(source: str) -> dict[str, Document]:
    result = _collect(source)
    assert result.failures == []
    return {d.uri.split("/", 1)[1]: d for d in result.documents}


def _blocks(document: Document) -> dict[str, tuple[int | None, str]]:
    return {b.location.section or "": (b.location.line, b.text) for b in document.blocks}


def _meta(document: Document) -> dict[str, dict[str, Any]]:
    return {m["key"]: m for m in document.metadata["l10n"]["messages"]}


# -- locales whatever the file names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("en.yml", ("en", "*.yml")),
        ("config/locales/devise.en.yml", ("en", "config/locales/devise.*.yml")),
        ("locales/app._es.yml", ("es", "locales/app.*.yml")),
        ("strings_pt_BR.json", ("pt-BR", "strings.*.json")),
        ("messages-fr.json", ("fr", "messages.*.json")),
        ("en.devise.yml", ("en", "*.devise.yml")),
        ("i18n/pt-br.toml", ("pt-br", "i18n/*.toml")),
        ("config/locales/es/views.yml", ("es", "config/locales/*/views.yml")),
        ("_locales/zh_CN/messages.json", ("zh-CN", "_locales/*/messages.json")),
        ("res/values-b+sr+Latn/strings.xml", ("sr-Latn", "res/values-*/strings.xml")),
        ("res/values/strings.xml", ("en", "res/values-*/strings.xml")),
        ("Base.lproj/Main.strings", ("en", "*.lproj/Main.strings")),
        ("messages.xlf", (None, "messages.*.xlf")),  # the base file beside messages.fr.xlf
        ("views/my_app.json", (None, "views/my_app.*.json")),
    ],
)
def test_the_locale_and_version_key_a_path_gives(path: str, expected: tuple[str | None, str]) -> None:
    assert path_locale(path, "en") == expected


def test_rails_yaml_locale_from_root_key_name_or_folder_and_version_keys() -> None:
    docs = _docs("rails_names")
    assert {uri: d.metadata["locale"] for uri, d in docs.items()} == {
        "app._en.yml": "en",
        "app._es.yml": "es",
        "devise.en.yml": "en",
        "devise.es.yml": "es",
        "en/mailers.yml": "en",
        "fr/mailers.yml": "fr",  # no root key: the folder
    }
    keys = {uri: d.metadata["version_key"] for uri, d in docs.items()}
    assert keys["app._en.yml"] == keys["app._es.yml"] == "l10n:app.*.yml"
    assert keys["devise.en.yml"] == keys["devise.es.yml"] == "l10n:devise.*.yml"
    assert keys["en/mailers.yml"] == keys["fr/mailers.yml"] != keys["devise.en.yml"]


def test_rails_yaml_keys_markup_block_scalars_plurals_and_settings() -> None:
    docs = _docs("rails_names")
    english, spanish = _blocks(docs["app._en.yml"]), _blocks(docs["app._es.yml"])
    # The full key without the locale root, so both languages align by key.
    assert english["views.public_pages.sms_terms.opt_out"] == (
        8,
        f"Reply STOP to {V} to stop receiving messages.",
    )
    assert (
        spanish["views.public_pages.sms_terms.opt_out"][1]
        == f"Responde STOP al {V} para dejar de recibir mensajes."
    )
    # `_html` values: markup flattened, entities decoded; the file's text kept for quoting.
    assert (
        spanish["views.public_pages.sms_terms.help_html"][1] == "Llámanos de lunes a viernes, de 9 am a 5 pm."
    )
    assert _meta(docs["app._es.yml"])["views.public_pages.sms_terms.help_html"]["raw"].startswith(
        "Llámanos de <strong>lunes"
    )
    assert (
        english["views.public_pages.sms_terms.help_html"][1] == "Call us Monday to Friday, 9 am to 5 pm."
    )  # <<:
    assert english["views.public_pages.sms_terms.intro"][1] == (
        "Message and data rates may apply.\nUp to 4 messages per month."
    )
    # One message per plural, the `other` form, whatever the language's categories.
    assert english["views.checkout.items"] == (16, f"{V} items in your basket")
    assert spanish["views.checkout.items"][1] == f"{V} artículos en tu cesta"
    assert set(_meta(docs["app._es.yml"])["views.checkout.items"]["variants"]) == {"one", "many", "other"}
    # `one:`/`two:` without `other:` are ordinary keys.
    assert english["views.checkout.steps.one"][1] == "Choose a delivery slot"
    # Booleans, numbers, Ruby symbols and slot-only values are not text.
    assert not any(key.startswith(("settings.", "date.")) for key in english)
    assert _collect("rails_names").stats["dropped_messages"] == 1  # settings.only_slot: "%{name}"


def test_a_pinned_language_supplies_the_locale_and_always_wins(tmp_path: Path) -> None:
    folder = tmp_path / "strings"
    folder.mkdir()
    (folder / "strings.json").write_text('{"welcome": "Willkommen zurück"}', encoding="utf-8")
    (folder / "es.yml").write_text("es:\n  hola: Hola a todos\n", encoding="utf-8")
    unpinned = _collect("strings", base=tmp_path)
    [failure] = unpinned.failures
    assert failure.source == "strings/strings.json" and "cannot tell the locale" in failure.error
    pinned = _collect("strings", base=tmp_path, language="de")
    assert pinned.failures == []
    by_uri = {d.uri: d for d in pinned.documents}
    assert by_uri["strings/strings.json"].metadata["locale"] == "de"
    assert by_uri["strings/es.yml"].metadata["locale"] == "es"  # the file still says what it is
    assert {d.language for d in pinned.documents} == {"de"}  # but the channel's pin is its language


# -- formats ------------------------------------------------------------------------------------------------


def test_webextension_messages_json_by_locale_folder() -> None:
    result = _collect("webext")
    assert result.failures == []
    assert result.stats["skipped"] == [
        {"file": "webext/manifest.json", "reason": "a tool's configuration file, not a catalogue"}
    ]
    docs = {d.metadata["locale"]: d for d in result.documents}
    assert set(docs) == {"en", "pt-BR"} and docs["pt-BR"].language == "pt"
    assert docs["en"].metadata["format"] == "webextension"
    english = _blocks(docs["en"])
    assert english["extensionDescription"] == (6, "Track the price of the items in your basket.")
    assert english["greeting"][1] == f"Hello, {V}! You saved $5 today."  # $USER$ a slot, $$ a dollar
    assert "onlySlot" not in english and not any("Name of the extension" in t for _, t in english.values())
    assert _meta(docs["pt-BR"])["greeting"]["source"] == f"Hello, {V}! You saved $5 today."


def test_android_escapes_markup_plurals_arrays_and_skipped_resources() -> None:
    result = _collect("android_more")
    assert result.failures == []
    assert result.stats["skipped"] == [
        {
            "file": "android_more/res/layout/main.xml",
            "reason": "not a string resource or XLIFF file (root element <LinearLayout>)",
        },
        {
            "file": "android_more/res/values/colors.xml",
            "reason": "no <string>, <plurals> or <string-array> in these resources",
        },
    ]
    docs = {d.metadata["locale"]: d for d in result.documents}
    english = _blocks(docs["en"])
    assert "app_name" not in english  # translatable="false"
    assert english["apostrophe"] == (5, "We'll reply within 2 working days.")
    assert english["quoted"][1] == 'This\'ll work, and so will "this".'
    assert english["two_lines"][1] == "First line\nSecond line"
    assert english["at_sign"][1] == "@basket on social media?"
    assert english["cdata"][1] == "Read our returns policy first."
    assert english["inline_bold"][1] == "Refunds arrive within 3 to 5 working days."
    assert english["escaped_link"][1] == "Read the terms before ordering."
    assert english["welcome"][1] == f"Welcome, {V}!"
    assert english["title_alias"][1] == english["apostrophe"][1]  # @string/ reference
    assert (english["sizes.0"][1], english["sizes.1"][1]) == ("Small", "Large")
    arabic = _meta(docs["ar"])["items"]
    assert list(arabic["variants"]) == ["zero", "one", "two", "few", "many", "other"]
    assert _blocks(docs["ar"])["items"] == (10, f"{V} عنصر")  # one message, not six
    assert result.stats["messages"] == len(docs["en"].blocks) + len(docs["ar"].blocks) == 14


def test_gettext_template_and_plural_forms_with_polib() -> None:
    docs = _docs("pot")
    template, polish = docs["messages.pot"], docs["pl.po"]
    # A template's text is its msgids, in the source locale.
    assert template.metadata["locale"] == "en" and template.metadata["format"] == "pot"
    assert _blocks(template)["One item"] == (13, f"{V} items")
    polish_blocks = _blocks(polish)
    assert polish_blocks["returns|You can return any item within %(days)d days."][1] == (
        f"Możesz zwrócić każdy produkt w ciągu {V} dni."
    )
    assert polish_blocks["One item"] == (11, f"{V} produktów")  # the last plural form
    assert _meta(polish)["One item"]["variants"] == {
        "0": "Jeden produkt",
        "1": "%(count)d produkty",
        "2": "%(count)d produktów",
    }
    assert not any("baner" in text for _, text in polish_blocks.values())  # obsolete


def test_fluent_terms_across_files_selects_attributes_and_functions() -> None:
    result = _collect("fluent_more")
    assert result.failures == []
    assert {"file": "fluent_more/en-US/brand.ftl", "reason": "no messages (only terms or comments)"} in (
        result.stats["skipped"]
    )
    docs = {d.uri: d for d in result.documents}
    english = _blocks(docs["fluent_more/en-US/main.ftl"])
    assert english["welcome"] == (2, f"Welcome to Lumea, {V}!")  # term from brand.ftl
    assert english["about"][1] == "Lumea App's settings are saved on this device."  # parameterised term
    assert english["privacy"][1] == "She keeps your data private."  # selected by the term's attribute
    assert english["returns-intro"][1] == f"Welcome to Lumea, {V}! You can return items within 30 days."
    assert english["cart-total"][1] == f"Total: {V}"
    assert english["items"] == (10, f"You have {V} items.")  # the default variant
    assert _meta(docs["fluent_more/en-US/main.ftl"])["items"]["variants"] == {
        "0": "Your basket is empty.",
        "one": "You have one item.",
        "other": f"You have {V} items.",
    }
    assert english["search-box.placeholder"][1] == "Search the shop"
    assert english["literal"][1] == "Call us on 0800 123 456."
    assert "only-variable" not in english
    assert (
        _meta(docs["fluent_more/en-US/main.ftl"])["welcome"]["raw"]
        == "Welcome to { -brand-name }, { $user }!"
    )
    assert _blocks(docs["fluent_more/pl/main.ftl"])["items"][1] == f"Masz {V} produktu."


def test_xliff_12_sources_only_and_bilingual_one_document_per_file() -> None:
    result = _collect("xliff_more")
    assert result.failures == []
    docs = {d.uri.split("/", 1)[1]: d for d in result.documents}
    source = docs["app.xlf#src/app/checkout.html"]
    assert source.metadata["locale"] == "en"  # source-language: a file of <source>s only
    assert _blocks(source) == {
        "checkout.delivery": (7, "Delivery in 3 to 5 working days."),  # <g> keeps its text
        "greeting": (10, f"Hello {V}, your order is ready."),  # <x/> for a value
        "bold": (13, "Read our returns policy first."),  # <x/> for markup
    }
    assert _blocks(docs["app.xlf#src/app/account.html"]) == {"native": (21, f"Your saved cards: {V}.")}
    german = docs["app.de.xlf#src/app/checkout.html"]
    assert german.metadata["locale"] == "de" and german.language == "de"
    assert _blocks(german)["checkout.delivery"] == (7, "Lieferung in 3 bis 5 Werktagen.")
    meta = _meta(german)
    assert meta["checkout.delivery"]["source"] == "Delivery in 3 to 5 working days."
    assert meta["greeting"]["raw"] == "Hallo {{ name }}, Ihre Bestellung ist fertig."
    assert meta["greeting"]["fuzzy"]  # state="needs-review-translation"
    assert meta["bold"]["text"] == "" and "bold" not in _blocks(german)  # no <target> yet
    # Each <file> pairs with the same <file> of the other locale, not with the file's other <file>s.
    keys = {uri: d.metadata["version_key"] for uri, d in docs.items()}
    assert keys["app.xlf#src/app/checkout.html"] == keys["app.de.xlf#src/app/checkout.html"]
    assert keys["app.xlf#src/app/checkout.html"] != keys["app.xlf#src/app/account.html"]


def test_xliff_20_languages_segments_and_inline_codes() -> None:
    docs = _docs("xliff_more")
    french = docs["ui.fr.xliff"]
    assert (french.metadata["locale"], french.metadata["l10n"]["source_locale"]) == ("fr", "en")
    blocks = _blocks(french)
    assert blocks["returns.window"] == (8, "Les retours sont gratuits. Vous avez 30 jours.")
    assert blocks["cart.count"][1] == f"Articles\u00a0: {V}".replace("\u00a0", " ")  # <cp hex="00A0"/>
    assert "sku" not in blocks  # translate="no"
    assert _meta(french)["cart.count"]["source"] == f"Items: {V}"
    source_only = docs["source2.xliff"]
    assert source_only.metadata["locale"] == "en-GB"  # srcLang, no trgLang and no targets
    assert _blocks(source_only)["welcome"][1] == "Welcome back to your account."


def test_hugo_i18n_toml() -> None:
    docs = _docs("hugo")
    english, portuguese = docs["i18n/en.toml"], docs["i18n/pt-br.toml"]
    assert portuguese.metadata["locale"] == "pt-br" and portuguese.language == "pt"
    assert english.metadata["version_key"] == portuguese.metadata["version_key"] == "l10n:i18n/*.toml"
    assert _blocks(english) == {
        "home": (2, "Home"),
        "readingTime": (7, f"{V} minutes to read"),  # `other`; the description is for translators
        "joinText": (10, "Join more than a million people on the network."),
    }
    assert _meta(portuguese)["readingTime"]["variants"] == {
        "one": "Um minuto de leitura",
        "other": "{{ .Count }} minutos de leitura",
    }


def test_icu_plurals_and_selects_in_json() -> None:
    docs = _docs("icu")
    english = _blocks(docs["locales/en.json"])
    assert english["cart.count"] == (3, f"{V} items in your basket.")
    assert english["cart.owner"][1] == f"They added {V} items to the basket."
    assert english["cart.rank"][1] == f"You are {V}th in the queue."
    assert _meta(docs["locales/en.json"])["cart.count"]["variants"]["=0"] == "Your basket is empty."
    assert _blocks(docs["locales/fr.json"])["cart.count"][1] == f"{V} articles dans votre panier."


def test_a_file_of_several_locales_and_flutter_arb() -> None:
    docs = _docs("multi")
    assert docs["resources.json#de"].metadata["locale"] == "de"
    assert _blocks(docs["resources.json#de"])["translation.returns"][1].startswith("Sie können")
    assert (
        docs["resources.json#en"].metadata["version_key"] == docs["resources.json#de"].metadata["version_key"]
    )
    french = docs["app_fr.arb"]
    assert french.metadata["locale"] == "fr" and french.metadata["format"] == "arb"
    assert _blocks(french) == {"helloWorld": (3, "Bonjour le monde !"), "nWombats": (4, f"{V} wombats")}
    assert "@helloWorld" not in _blocks(docs["app_en.arb"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{n, plural, one {# day} other {# days}} left", f"{V} days left"),
        ("{n, plural, offset:1 =0 {nobody} other {you and # others}}", f"you and {V} others"),
        ("{g, select, female {her} male {his} other {their}} turn", "their turn"),
        (
            "{a, select, x {{n, plural, one {#} other {# items}}} "
            "other {{n, plural, one {#} other {# things}}}}",
            f"{V} things",
        ),
        ("Hello {name}", "Hello {name}"),  # a simple argument is left to the placeholder rules
        ("{n, plural, one {# day}", "{n, plural, one {# day}"),  # unclosed: left as written
    ],
)
def test_resolve_icu(text: str, expected: str) -> None:
    assert resolve_icu(text)[0] == expected


# -- accounting ---------------------------------------------------------------------------------------------


def test_files_that_are_not_catalogues_are_skipped_with_a_reason(tmp_path: Path) -> None:
    folder = tmp_path / "locales"
    folder.mkdir()
    (folder / "package.json").write_text('{"name": "shop"}', encoding="utf-8")
    (folder / "sizes.json").write_text('{"small": 1, "large": 2}', encoding="utf-8")
    (folder / "list.json").write_text("[1, 2]", encoding="utf-8")
    result = _collect("locales", base=tmp_path)
    assert result.documents == []
    assert result.stats["skipped"] == [
        {"file": "locales/list.json", "reason": "a list, but not of {id, translation} messages"},
        {"file": "locales/package.json", "reason": "a tool's configuration file, not a catalogue"},
        {"file": "locales/sizes.json", "reason": "no text messages in it"},
    ]
    [failure] = result.failures  # a channel with nothing to read says so
    assert failure.error == "no localization messages found (3 file(s) skipped: see stats.skipped)"
    (folder / "fr.json").write_text('{"ok": "D\'accord"}', encoding="utf-8")
    result = _collect("locales", base=tmp_path)
    assert result.failures == [] and result.stats["files"] == 4 and result.stats["messages"] == 1


def test_no_block_holds_template_or_placeholder_syntax() -> None:
    result = _collect(".")
    assert result.failures == []
    raw_syntax = re.compile(
        r"\{\{|\}\}|\{%|%\}|%\{|\{ ?\$|\{ ?-|<%|%>|(?<![\d%])%(?:\d+\$)?[-+#0,]*\d*[sdif@]"
    )
    texts = [block.text for document in result.documents for block in document.blocks]
    assert texts and [text for text in texts if raw_syntax.search(text)] == []
    assert not any(re.search(r"</?[a-z]+[ >]", text) for text in texts)
