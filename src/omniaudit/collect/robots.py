"""robots.txt as RFC 9309 reads it: groups per user agent, longest match wins, `*` and `$` wildcards.

The standard library's `urllib.robotparser` applies the first matching rule rather than the longest and knows
no wildcards, which gets common rule sets (`Disallow: /` + `Allow: /public/`) wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class _Rule:
    allow: bool
    path: str
    pattern: re.Pattern[str]


def _compile(path: str) -> re.Pattern[str]:
    anchored = path.endswith("$")
    body = path[:-1] if anchored else path
    regex = ".*".join(re.escape(part) for part in body.split("*"))
    return re.compile(regex + ("$" if anchored else ""))


def _normalise_path(path: str) -> str:
    # Compare decoded paths, except for an encoded slash, which is a different path.
    return unquote(path.replace("%2F", "%252F").replace("%2f", "%252F"))


@dataclass
class RobotsRules:
    """Parsed robots.txt for one host and one user agent."""

    rules: list[_Rule] = field(default_factory=list)
    crawl_delay: float | None = None
    sitemaps: list[str] = field(default_factory=list)
    disallow_all: bool = False  # robots.txt could not be read (5xx): RFC 9309 says assume complete disallow

    @classmethod
    def parse(cls, text: str, user_agent: str) -> RobotsRules:
        token = _product_token(user_agent)
        groups: list[tuple[list[str], list[_Rule], float | None]] = []
        sitemaps: list[str] = []
        agents: list[str] = []
        rules: list[_Rule] = []
        delay: float | None = None
        in_rules = False
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip()
            if ":" not in line:
                continue
            key, _, value = line.partition(":")
            key = key.strip().lower()
            value = value.strip()
            if key in ("user-agent", "useragent"):
                if in_rules:
                    groups.append((agents, rules, delay))
                    agents, rules, delay, in_rules = [], [], None, False
                agents.append(value.lower())
            elif key in ("allow", "disallow"):
                in_rules = True
                if not agents:
                    continue  # rules before any user-agent line belong to no group
                if key == "disallow" and not value:
                    continue  # "Disallow:" with nothing allows everything
                path = value if value.startswith(("/", "*")) else "/" + value
                path = _normalise_path(path)
                rules.append(_Rule(key == "allow", path, _compile(path)))
            elif key == "crawl-delay":
                in_rules = True
                try:
                    delay = float(value)
                except ValueError:
                    pass
            elif key == "sitemap" and value:
                sitemaps.append(value)
        if agents:
            groups.append((agents, rules, delay))

        # The group naming the most specific matching product token wins; else the "*" group.
        best: tuple[int, list[_Rule], float | None] | None = None
        merged_star: list[_Rule] = []
        star_delay: float | None = None
        star_seen = False
        for names, group_rules, group_delay in groups:
            for name in names:
                if name == "*":
                    star_seen = True
                    merged_star.extend(group_rules)
                    star_delay = group_delay if group_delay is not None else star_delay
                elif token and (name == token or token.startswith(name)):
                    if best is None or len(name) > best[0]:
                        best = (len(name), list(group_rules), group_delay)
                    elif len(name) == best[0]:
                        best[1].extend(group_rules)
        if best is not None:
            return cls(best[1], best[2], sitemaps)
        if star_seen:
            return cls(merged_star, star_delay, sitemaps)
        return cls([], None, sitemaps)

    def allowed(self, url: str) -> bool:
        if self.disallow_all:
            return False
        parts = urlsplit(url)
        path = parts.path or "/"
        if path == "/robots.txt":
            return True
        target = _normalise_path(path + (f"?{parts.query}" if parts.query else ""))
        best: _Rule | None = None
        for rule in self.rules:
            if rule.pattern.match(target):
                if (
                    best is None
                    or len(rule.path) > len(best.path)
                    or (len(rule.path) == len(best.path) and rule.allow and not best.allow)
                ):
                    best = rule
        return best is None or best.allow


def _product_token(user_agent: str) -> str:
    """`omniaudit/0.1 (+https://...)` -> `omniaudit`: robots.txt groups name the product token only."""
    match = re.match(r"\s*([A-Za-z_-]+)", user_agent)
    return match.group(1).lower() if match else ""
