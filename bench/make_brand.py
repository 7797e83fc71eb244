"""Deterministic generator of a large synthetic brand for the benchmark ("Lumen & Loom", a home-goods shop).

    .venv/bin/python bench/make_brand.py --size medium [--seed 0] [--out DIR] [--languages en,fr]

writes, under the output folder:

- `site/`: an N-page website as static HTML (index, policy pages, one page per product, journal hubs that
  link to ~100 articles each), meant to be served over HTTP by a local server (`serve_site`) and crawled;
- `social/instagram.json` and `social/facebook.csv`: M posts in all, as social_export files;
- `service/call-centre/*.md` (Agent:/Customer: scripts) and `service/help-centre/*.md` (articles): K in all;
- `omniaudit.yaml` (website channel = the `site/` folder; `write_config` points it at a URL instead);
- `EXPECTED.md`: the planted contradictions in the table format `tests/expected.py` reads, and where they are.

Running text is filler from word pools: sentences of 15-30 words with no digits and none of the fact
extractor's cue words, so the only facts are the ones written on purpose. Footers repeat on every page (as on
real sites), so deduplication has something to do. Planted differences are channel-wide (every statement of
that fact in that channel disagrees), which is what makes them contradictions rather than one-off typos.
The same seed and size always give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import functools
import http.server
import io
import json
import math
import random
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import yaml


@dataclass(frozen=True)
class BrandSize:
    name: str
    pages: int
    posts: int
    scripts: int
    products: int


SIZES: dict[str, BrandSize] = {
    "tiny": BrandSize("tiny", pages=10, posts=30, scripts=3, products=3),
    "small": BrandSize("small", pages=100, posts=500, scripts=20, products=10),
    "medium": BrandSize("medium", pages=1000, posts=5000, scripts=100, products=30),
    "large": BrandSize("large", pages=5000, posts=20000, scripts=400, products=60),
}

BRAND = "Lumen & Loom"
HOST = "https://lumenloom.example"
TAGLINE = "Light up the way you live."
HASHTAG = "#LiveInLight"
STALE_HASHTAG = "#SpringRefresh"
HANDLE = "@lumenloom"
PHONE = "+1 800 555 0199"
EMAIL = "help@lumenloom.example"
RETURNS_DAYS, RETURNS_WRONG = "30 days", "14 days"
DELIVERY, DELIVERY_WRONG = "3-5 business days", "7-10 business days"
HOURS, HOURS_WRONG = ("Monday to Friday", "9am-5pm"), ("Monday to Saturday", "8am-10pm")
FIXED_PAGES = ("index", "returns", "delivery", "contact", "about")
PAGES_PER_HUB = 100

# Filler pools: no digits, no fact cue words (return, deliver, ship, hours, open, call, phone, price, cost,
# free, warranty, refund), no brand terms (cheap, log in, sign in), no product first names.
_ADJ = (
    "soft warm bright calm natural light textured woven handmade simple elegant cosy fresh durable timeless "
    "muted bold airy rustic modern classic gentle neutral rich layered earthy crisp relaxed quiet honest "
    "generous sturdy graceful playful subtle vivid mellow sunny breezy tactile mindful careful thoughtful"
).split()
_NOUN = (
    "cushions throws rugs lamps curtains mugs bowls baskets towels sheets frames mirrors vases candles "
    "shelves plants textiles colours fabrics patterns corners tables chairs bedrooms kitchens hallways "
    "windows mornings evenings weekends guests families stories materials makers details shapes shadows "
    "surfaces spaces routines rituals textures tones finishes threads fibres glazes edges seams layers"
).split()
_VERB = (
    "bring add turn make give create pair layer refresh soften balance frame complement lift transform "
    "welcome invite ground brighten shape calm hold gather warm"
).split()
_PREP = "in across around for beside under along through with near above between".split()
_OPENERS = (
    "Our designers believe that",
    "We find that",
    "In our experience",
    "Season after season",
    "Whether you are moving in or starting over",
    "From the first coffee to the last light of the day",
    "Many of our customers tell us that",
    "Small details matter, and",
    "When the evenings draw in",
    "Before you choose anything",
    "As our makers like to say",
    "On slow weekend mornings",
)
_ADJ_FR = "doux chaud clair calme naturel tissé simple élégant frais durable moderne classique léger".split()
_NOUN_FR = (
    "coussins plaids tapis lampes rideaux tasses bols paniers serviettes draps cadres miroirs vases"
).split()
_VERB_FR = "apportent ajoutent créent adoucissent réchauffent illuminent accueillent rassemblent".split()
_OPENERS_FR = ("Nos créateurs pensent que", "Chaque saison", "Le dimanche matin", "Selon nos artisans")

_PRODUCT_FIRST = (
    "Alder Birch Cedar Dune Ember Fern Glade Harbor Iris Juniper Kestrel Linden Maple Nimbus Orchard Pebble "
    "Quill Rowan Sable Thistle Umber Willow Yarrow Zephyr Aspen Bramble Cobalt Dahlia Elm Fjord"
).split()
_PRODUCT_SECOND = "Linen Wool Cotton Oak Stoneware Rattan Velvet Jute".split()
_PRODUCT_THIRD = ("Cushion", "Throw", "Lamp", "Rug", "Mug Set", "Vase", "Basket", "Duvet Cover", "Mirror")
# price_of(product, channel) -> the sentence stating its price in that channel ("The X is $49.")
PriceOf = Callable[[str, str], str]


def _product_names(count: int) -> list[str]:
    names = []
    for i in range(count):
        first = _PRODUCT_FIRST[i % len(_PRODUCT_FIRST)]
        second = _PRODUCT_SECOND[(i // len(_PRODUCT_FIRST)) % len(_PRODUCT_SECOND)]
        names.append(f"{first} {second} {_PRODUCT_THIRD[i % len(_PRODUCT_THIRD)]}")
    return names


class _Writer:
    """Filler sentences of 15-30 words from a seeded random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self, language: str = "en", low: int = 15, high: int = 30) -> str:
        rng = self.rng
        target = rng.randint(low, high)
        if language == "fr":
            words = rng.choice(_OPENERS_FR).split()
            while len(words) < target:
                words += ["les", rng.choice(_NOUN_FR), rng.choice(_ADJ_FR), rng.choice(_VERB_FR), "une",
                          "ambiance", rng.choice(_ADJ_FR), "et"]
            words = words[:target]
            if words[-1] in ("les", "une", "et"):
                words[-1] = rng.choice(_NOUN_FR)
        else:
            words = rng.choice(_OPENERS).split()
            pattern = ("ADJ", "NOUN", "VERB", "ADJ", "NOUN", "PREP", "the", "ADJ", "NOUN", "and")
            pools = {"ADJ": _ADJ, "NOUN": _NOUN, "VERB": _VERB, "PREP": _PREP}
            step = 0
            while len(words) < target:
                slot = pattern[step % len(pattern)]
                words.append(rng.choice(pools[slot]) if slot in pools else slot)
                step += 1
            if words[-1] not in _NOUN:
                words[-1] = rng.choice(_NOUN)
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences: int, language: str = "en") -> str:
        return " ".join(self.sentence(language) for _ in range(sentences))


@dataclass(frozen=True)
class Planted:
    id: str
    rule: str
    subject: str
    channels: tuple[str, ...]
    values: tuple[str, ...]
    where: str


@dataclass
class GeneratedBrand:
    """What `generate` wrote: the folder, the size, the config path and the planted differences."""

    root: Path
    size: BrandSize
    seed: int
    languages: tuple[str, ...]
    products: dict[str, str]
    planted: list[Planted]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def expected_md(self) -> Path:
        return self.root / "EXPECTED.md"


def _price(i: int) -> str:
    return f"${19 + (i * 7) % 120}"


def _wrong_price(price: str) -> str:
    return f"${int(price[1:]) + 10}"


def generate(size: BrandSize | str, out: Path, *, seed: int = 0, languages: Sequence[str] = ("en",)
             ) -> GeneratedBrand:
    """Write the brand for `size` under `out` (replacing what was there) and return its description."""
    spec = SIZES[size] if isinstance(size, str) else size
    langs = tuple(languages) or ("en",)
    rng = random.Random(f"{seed}:{spec.name}")
    writer = _Writer(rng)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    names = _product_names(spec.products)
    prices = {name: _price(i) for i, name in enumerate(names)}
    # Price contradictions scale with the catalogue: one per ten products, spread over three channels.
    n_price = max(1, spec.products // 10)
    price_channels = ("instagram", "facebook", "call-centre")
    wrong_prices = {names[i * 10 % len(names)]: price_channels[i % 3] for i in range(n_price)}

    planted = [
        Planted("D1", "facts.contradiction", "returns", ("website", "call-centre"),
                (RETURNS_DAYS, RETURNS_WRONG),
                "site/returns.html and every page footer say 30 days; every call-centre script mentioning "
                "returns says 14 days"),
        Planted("D2", "facts.contradiction", "support_hours", ("website", "help-centre"),
                (HOURS[1], HOURS_WRONG[1]),
                "every website footer says Monday to Friday, 9am-5pm; every help-centre article says "
                "Monday to Saturday, 8am-10pm"),
        Planted("D3", "facts.contradiction", "delivery", ("website", "facebook"), (DELIVERY, DELIVERY_WRONG),
                "site/delivery.html says 3-5 business days; every Facebook post about delivery says 7-10"),
    ]
    for i, (product, channel) in enumerate(wrong_prices.items()):
        planted.append(Planted(
            f"P{i + 1}", "facts.contradiction", f"price:{product.lower()}", ("website", channel),
            (prices[product], _wrong_price(prices[product])),
            f"the product page says {prices[product]}; every {channel} mention says "
            f"{_wrong_price(prices[product])}",
        ))
    planted += [
        Planted("T1", "integration.stale_hashtag", STALE_HASHTAG.lower(), ("instagram",), (STALE_HASHTAG,),
                "every 7th Instagram post (ig-00000, ig-00007, ...) carries last season's hashtag"),
        Planted("T2", "terminology.banned", "cheap", ("facebook",), ("cheap",), "Facebook post fb-00003"),
        Planted("T3", "terminology.preferred", "log in", ("help-centre",), ("log in",),
                "every help-centre article"),
    ]
    brand = GeneratedBrand(out, spec, seed, langs, prices, planted)

    def price_sentence(product: str, channel: str) -> str:
        price = prices[product]
        if wrong_prices.get(product) == channel:
            price = _wrong_price(price)
        return f"The {product} is {price}."

    brand.counts["pages"] = _write_site(out / "site", spec, writer, names, price_sentence, langs)
    brand.counts["posts"] = _write_social(out / "social", spec, writer, names, price_sentence, langs)
    brand.counts["scripts"] = _write_service(out / "service", spec, writer, names, price_sentence)
    write_config(brand, "site/")
    _write_expected(brand)
    return brand


# -- website -----------------------------------------------------------------------------------------------

_HOURS_LINE = f"Our customer care team is available {HOURS[0]}, {HOURS[1]}."


def _page(title: str, body: str, nav: Sequence[tuple[str, str]], language: str, description: str) -> str:
    links = "".join(f'<li><a href="{href}">{escape(label)}</a></li>' for href, label in nav)
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)} | {escape(BRAND)}</title>\n"
        f'<meta name="description" content="{escape(description)}">\n</head>\n<body>\n'
        f'<header><a class="logo" href="/index.html">{escape(BRAND)}</a>\n'
        f'<nav aria-label="Main"><ul>{links}</ul></nav></header>\n'
        f"<main>\n<h1>{escape(title)}</h1>\n{body}\n</main>\n"
        "<footer>\n"
        f"<p>Call us at {PHONE}.</p>\n"
        f"<p>Email us at {EMAIL}.</p>\n"
        f"<p>{_HOURS_LINE}</p>\n"
        f"<p>You can return any item within {RETURNS_DAYS}.</p>\n"
        '<p>Follow us on <a href="https://instagram.com/lumenloom">Instagram</a> and '
        '<a href="https://facebook.com/lumenloom">Facebook</a>.</p>\n'
        f"<p>{escape(BRAND)}. {TAGLINE}</p>\n"
        "</footer>\n</body>\n</html>\n"
    )


def _paragraphs(writer: _Writer, count: int, language: str) -> list[str]:
    return [f"<p>{escape(writer.paragraph(writer.rng.randint(1, 3), language))}</p>" for _ in range(count)]


def _write_site(folder: Path, spec: BrandSize, writer: _Writer, products: Sequence[str],
                price_of: PriceOf, languages: Sequence[str]) -> int:
    folder.mkdir(parents=True)
    rng = writer.rng
    fixed = len(FIXED_PAGES)
    rest = max(spec.pages - fixed - len(products), 0)
    hubs = max(1, math.ceil(rest / (PAGES_PER_HUB + 1))) if rest else 0
    articles = max(rest - hubs, 0)
    nav = [("/index.html", "Home"), ("/returns.html", "Returns"), ("/delivery.html", "Delivery"),
           ("/contact.html", "Contact"), ("/about.html", "About")]
    product_files = [f"products/{name.lower().replace(' ', '-')}.html" for name in products]
    article_files = [f"journal/article-{i:05d}.html" for i in range(articles)]
    hub_files = [f"journal/page-{h:03d}.html" for h in range(hubs)]
    pages: dict[str, str] = {}

    def lang_of(i: int) -> str:
        # With several languages, every fifth article is in the second one: a real multilingual site.
        return languages[1] if len(languages) > 1 and i % 5 == 4 else languages[0]

    index_body = [
        f"<p>{escape(TAGLINE)} Stylish home essentials at everyday low prices.</p>",
        "<p>Every piece is picked by our in-house design team to mix and match across your whole home.</p>",
        *_paragraphs(writer, 4, "en"),
        "<h2>Shop</h2><ul>" + "".join(f'<li><a href="/{f}">{escape(n)}</a></li>'
                                      for f, n in zip(product_files, products, strict=True)) + "</ul>",
        "<h2>Journal</h2><ul>" + "".join(
            f'<li><a href="/{f}">Journal, page {h + 1}</a></li>' for h, f in enumerate(hub_files)) + "</ul>",
    ]
    pages["index.html"] = _page("Home", "\n".join(index_body), nav, "en", "Home goods for every room.")
    pages["returns.html"] = _page("Returns", "\n".join([
        f"<p>Changed your mind? You can return any item within {RETURNS_DAYS}.</p>",
        "<p>Sign in to your account to start a return from your orders.</p>",
        *_paragraphs(writer, 6, "en")]), nav, "en", "How returns work.")
    pages["delivery.html"] = _page("Delivery", "\n".join([
        f"<p>Standard delivery takes {DELIVERY}.</p>", *_paragraphs(writer, 6, "en")]), nav, "en",
        "Delivery times.")
    pages["contact.html"] = _page("Contact", "\n".join([
        f"<p>{_HOURS_LINE}</p>", f"<p>Call us at {PHONE}.</p>", *_paragraphs(writer, 4, "en")]), nav, "en",
        "Contact us.")
    pages["about.html"] = _page("About", "\n".join([
        "<p>We believe a well-loved home should be within everyone's reach.</p>",
        *_paragraphs(writer, 8, "en")]), nav, "en", "About us.")
    for name, path in zip(products, product_files, strict=True):
        pages[path] = _page(name, "\n".join([
            f"<p>{escape(price_of(name, 'website'))}</p>",
            *_paragraphs(writer, rng.randint(5, 9), "en")]), nav, "en", f"The {name}.")
    per_hub = math.ceil(articles / hubs) if hubs else 0
    for h, path in enumerate(hub_files):
        chunk = range(h * per_hub, min((h + 1) * per_hub, articles))
        links = "".join(f'<li><a href="/{article_files[i]}">Article {i + 1}</a></li>' for i in chunk)
        pages[path] = _page(f"Journal, page {h + 1}", "\n".join([
            *_paragraphs(writer, 2, "en"), f"<ul>{links}</ul>"]), nav, "en", "Stories from our makers.")
    for i, path in enumerate(article_files):
        language = lang_of(i)
        related = [article_files[rng.randrange(articles)] for _ in range(3)]
        body = [*_paragraphs(writer, rng.randint(6, 12), language),
                "<p>Related: " + ", ".join(f'<a href="/{r}">story</a>' for r in related) + "</p>"]
        pages[path] = _page(f"Journal {i + 1}", "\n".join(body), nav, language, "A story from our makers.")
    for path, html in pages.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return len(pages)


# -- social ------------------------------------------------------------------------------------------------


def _post_text(writer: _Writer, channel: str, i: int, products: Sequence[str], price_of: PriceOf,
               language: str) -> str:
    rng = writer.rng
    parts = [writer.sentence(language)]
    roll = rng.random()
    if roll < 0.25:
        parts.append(price_of(rng.choice(products), channel))
    elif roll < 0.3 and channel == "facebook":
        parts.append(f"Delivery takes {DELIVERY_WRONG}, so order early.")
    if rng.random() < 0.5:
        parts.append(writer.sentence(language))
    parts.append(TAGLINE)
    parts.append(f"{HOST}/")
    tag = STALE_HASHTAG if channel == "instagram" and i % 7 == 0 else HASHTAG
    parts.append(tag)
    return " ".join(parts)


def _write_social(folder: Path, spec: BrandSize, writer: _Writer, products: Sequence[str], price_of: PriceOf,
                  languages: Sequence[str]) -> int:
    folder.mkdir(parents=True)
    n_instagram = spec.posts // 2
    n_facebook = spec.posts - n_instagram
    wrong = {name for name in products if price_of(name, "x") != price_of(name, "instagram")}
    wrong_fb = {name for name in products if price_of(name, "x") != price_of(name, "facebook")}

    def language(i: int) -> str:
        return languages[1] if len(languages) > 1 and i % 6 == 5 else languages[0]

    posts = []
    for i in range(n_instagram):
        text = _post_text(writer, "instagram", i, products, price_of, language(i))
        if i < len(wrong):  # the planted price is stated at a known place, whatever the dice say
            text = price_of(sorted(wrong)[i], "instagram") + " " + text
        posts.append({"id": f"ig-{i:05d}", "date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00Z",
                      "text": text, "url": f"https://instagram.com/p/ll{i:05d}", "platform": "instagram",
                      "account": HANDLE})
    (folder / "instagram.json").write_text(json.dumps(posts, indent=1, ensure_ascii=False), encoding="utf-8")

    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(["id", "date", "text", "url", "platform", "account"])
    for i in range(n_facebook):
        text = _post_text(writer, "facebook", i, products, price_of, language(i))
        if i == 1:
            text = f"Delivery takes {DELIVERY_WRONG}, so order early. " + text
        if i == 3:
            text = "Our new mugs: cheap, cheerful and dishwasher safe. " + text
        if 5 <= i < 5 + len(wrong_fb):
            text = price_of(sorted(wrong_fb)[i - 5], "facebook") + " " + text
        out.writerow([f"fb-{i:05d}", f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T12:00:00Z", text,
                      f"https://facebook.com/lumenloom/posts/{i}", "facebook", HANDLE])
    (folder / "facebook.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return n_instagram + n_facebook


# -- service -----------------------------------------------------------------------------------------------

_QUESTIONS = (
    "Hi, I have a question about an order I placed last week.",
    "Hello, can you help me choose something for my living room?",
    "Good morning, I would like some advice about caring for linen.",
    "Hi there, I need help with an item I bought.",
)


def _write_service(folder: Path, spec: BrandSize, writer: _Writer, products: Sequence[str],
                   price_of: PriceOf) -> int:
    rng = writer.rng
    calls = folder / "call-centre"
    help_centre = folder / "help-centre"
    calls.mkdir(parents=True)
    help_centre.mkdir(parents=True)
    n_calls = math.ceil(spec.scripts / 2)
    n_articles = spec.scripts - n_calls
    wrong_cc = sorted(n for n in products if price_of(n, "x") != price_of(n, "call-centre"))
    for i in range(n_calls):
        lines = [f"# Call script {i + 1}", "",
                 f"Agent: Good morning, you're through to {BRAND}. How can I help?",
                 f"Customer: {rng.choice(_QUESTIONS)}"]
        for turn in range(rng.randint(6, 10)):
            lines.append(f"Agent: {writer.sentence()}")
            if turn == 1 and i % 2 == 0:
                lines.append(f"Agent: You can return any item within {RETURNS_WRONG}.")
            if turn == 2 and i % 3 == 0:
                lines.append(f"Agent: Standard delivery takes {DELIVERY}.")
            if turn == 3 and (i < len(wrong_cc) or rng.random() < 0.3):
                product = wrong_cc[i] if i < len(wrong_cc) else rng.choice(products)
                lines.append(f"Agent: {price_of(product, 'call-centre')}")
            lines.append(f"Customer: {writer.sentence(low=8, high=16)}")
        lines.append("Agent: You can also follow your order online on our website.")
        lines.append(f"Agent: Thank you for calling {BRAND}. {TAGLINE}")
        (calls / f"script-{i:04d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for i in range(n_articles):
        paragraphs = [f"# Help article {i + 1}", ""]
        paragraphs.append("To log in, open the website and choose Log in at the top of the page.")
        for _ in range(rng.randint(4, 8)):
            paragraphs += ["", writer.paragraph(rng.randint(1, 3))]
        paragraphs += ["", f"Our customer care team is available {HOURS_WRONG[0]}, {HOURS_WRONG[1]}."]
        if i % 2 == 0:
            paragraphs += ["", f"You can return any item within {RETURNS_DAYS}."]
        paragraphs += ["", TAGLINE]
        (help_centre / f"article-{i:04d}.md").write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    return n_calls + n_articles


# -- config and expectations -------------------------------------------------------------------------------


def write_config(brand: GeneratedBrand, site_source: str, path: Path | None = None, *,
                 max_pages: int | None = None) -> Path:
    """Write the brand's omniaudit config with the website channel reading `site_source` (a folder relative
    to the brand, or a URL to crawl). Returns its path (default `omniaudit.yaml` in the brand folder)."""
    website_options: dict[str, object] = {}
    if site_source.startswith(("http://", "https://")):
        website_options = {
            "max_pages": max_pages or brand.size.pages + 50,
            "render": "never",  # static pages: no browser in the measurement
            "cache": False,  # a cold crawl, as on a first weekly run
            "retries": 0,
            "concurrency": 8,
        }
    website: dict[str, object] = {"id": "website", "type": "website", "connector": "website",
                                  "source": site_source}
    if website_options:
        website["options"] = website_options
    config = {
        "brand": {"name": BRAND, "languages": list(brand.languages), "website": HOST},
        "brand_book": {
            "key_messages": [
                {"id": "value_proposition", "kind": "value_proposition",
                 "text": "Stylish home essentials at everyday low prices."},
                {"id": "usp", "kind": "usp", "text": "Every piece is picked by our in-house design team to "
                 "mix and match across your whole home."},
                {"id": "tagline", "kind": "tagline", "text": TAGLINE},
            ],
            "facts": {
                "return_window": RETURNS_DAYS,
                "delivery_time": DELIVERY,
                "support_hours": f"{HOURS[0]}, {HOURS[1]}",
                "phone": PHONE,
                "email": EMAIL,
                "prices": dict(brand.products),
            },
            "terminology": {"preferred": {"sign in": ["log in", "login"]}, "banned": ["cheap", "knock-off"]},
            "campaign_hashtags": [HASHTAG],
            "social_handles": [HANDLE],
        },
        "channels": [
            website,
            {"id": "instagram", "type": "social", "connector": "social_export",
             "source": "social/instagram.json"},
            {"id": "facebook", "type": "social", "connector": "social_export",
             "source": "social/facebook.csv"},
            {"id": "call-centre", "type": "service", "connector": "service_folder",
             "source": "service/call-centre/"},
            {"id": "help-centre", "type": "service", "connector": "service_folder",
             "source": "service/help-centre/"},
        ],
    }
    target = path or brand.root / "omniaudit.yaml"
    header = f"# Generated by bench/make_brand.py (size {brand.size.name}, seed {brand.seed}); do not edit.\n"
    target.write_text(header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


def _write_expected(brand: GeneratedBrand) -> None:
    lines = [
        f"# {BRAND} (generated, size {brand.size.name}, seed {brand.seed})", "",
        f"{brand.counts['pages']} pages, {brand.counts['posts']} posts, {brand.counts['scripts']} service "
        f"documents, {len(brand.products)} products.", "",
        "Where the differences are planted:", "",
        *[f"- **{p.id}** ({p.rule}, {p.subject}): {p.where}." for p in brand.planted], "",
        "## Planted differences",
        "| id | rule | subject | channels | values |",
        "|----|------|---------|----------|--------|",
        *[f"| {p.id} | {p.rule} | {p.subject} | {', '.join(p.channels)} | {'; '.join(p.values)} |"
          for p in brand.planted],
    ]
    brand.expected_md.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- serving -----------------------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        return None


@contextmanager
def serve_site(folder: Path) -> Iterator[str]:
    """Serve `folder` over HTTP on 127.0.0.1 (a free port) from a background thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="bench-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="default: bench/.data/<size>")
    parser.add_argument("--languages", default="en", help="comma-separated, e.g. en,fr")
    opts = parser.parse_args(argv)
    out = opts.out or Path(__file__).resolve().parent / ".data" / opts.size
    brand = generate(opts.size, out, seed=opts.seed, languages=opts.languages.split(","))
    print(f"{brand.root}: {brand.counts} planted {len(brand.planted)}")


if __name__ == "__main__":
    main()
