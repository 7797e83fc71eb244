"""robots.txt through Protego, Scrapy's parser: RFC 9309 (groups per user agent, longest match wins, `*` and
`$` wildcards) plus what real files need, such as the misspellings Google accepts ("Dissallow").

The standard library's `urllib.robotparser` applies the first matching rule rather than the longest and knows
no wildcards, which gets common rule sets (`Disallow: /` + `Allow: /public/`) wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from protego import Protego

# RFC 9309 §2.5: a crawler must parse at least the first 500 KiB. A bigger file is read that far (even past
# the crawl's max_bytes) and its complete lines used: a big robots.txt never blocks the whole site.
READ_AT_LEAST = 500 * 1024


@dataclass
class RobotsRules:
    """Parsed robots.txt for one host and one user agent; `RobotsRules()` allows everything (no file)."""

    parser: Protego | None = None
    token: str = "*"  # our product token, the name robots.txt groups use
    crawl_delay: float | None = None
    sitemaps: list[str] = field(default_factory=list)
    disallow_all: bool = False  # robots.txt could not be read (5xx): RFC 9309 says assume complete disallow
    truncated: bool = False  # the file was bigger than what was read: only its first lines were parsed

    @classmethod
    def parse(cls, text: str, user_agent: str, *, truncated: bool = False) -> RobotsRules:
        parser = Protego.parse(text.removeprefix("\ufeff"))
        token = _product_token(user_agent) or "*"
        delay = parser.crawl_delay(token)
        return cls(parser, token, float(delay) if delay is not None else None, list(parser.sitemaps),
                   truncated=truncated)

    @classmethod
    def from_bytes(cls, content: bytes, user_agent: str, *, truncated: bool = False) -> RobotsRules:
        """The rules of a fetched robots.txt; a `truncated` body loses its last, partial line."""
        if truncated:
            content = content[: content.rfind(b"\n") + 1]
        return cls.parse(content.decode("utf-8-sig", "replace"), user_agent, truncated=truncated)

    def allowed(self, url: str) -> bool:
        if self.disallow_all:
            return False
        if self.parser is None or urlsplit(url).path == "/robots.txt":
            return True
        return bool(self.parser.can_fetch(url, self.token))


def _product_token(user_agent: str) -> str:
    """`omniaudit/0.1 (+https://...)` -> `omniaudit`: robots.txt groups name the product token only."""
    match = re.match(r"\s*([A-Za-z_-]+)", user_agent)
    return match.group(1).lower() if match else ""
