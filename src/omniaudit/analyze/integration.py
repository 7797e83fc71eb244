"""Integration signals: do the channels point at each other and share the live campaign?

An omnichannel brand's site links to its social accounts, its posts link back, its service scripts hand
customers over to digital self-service, and every channel uses the current campaign hashtag.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import regex

from ..config import Config
from ..extract.html import is_social_url
from ..models import Document, Evidence, Fact, Finding, Location, Segment

# Words that send a customer from a conversation to a digital channel, in the brand languages we support.
HANDOVER = regex.compile(
    r"(?<!\p{L})(?:app|application|online|website|web ?site|live chat|chat|self[- ]service|help cent(?:er|re)"
    r"|en ligne|site web|appli|aplikacj\p{L}*|online|stron\p{L}* internetow\p{L}*|czat"
    r"|التطبيق|الموقع|عبر الإنترنت|المحادثة)(?!\p{L})",
    regex.IGNORECASE,
)
# #SpringSaleEvent-style tags (two or more capitalised words) are campaign tags; #hiking is a topic tag.
CAMPAIGN_STYLE = regex.compile(r"^#(?:\p{Lu}[\p{Ll}\p{N}]+){2,}$")


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


@dataclass(frozen=True)
class IntegrationCheck:
    findings: tuple[Finding, ...]
    signals_checked: int
    signals_present: int
    notes: tuple[str, ...]  # one line per satisfied signal, for the score's explanation


def _missing(signal: str, channel_id: str, message: str, severity: str = "warning") -> Finding:
    return Finding(
        rule_id="integration.missing_reference",
        dimension="integration",
        severity=severity,
        message=message,
        evidence=(),
        channels=(channel_id,),
        key=signal,
        subject=signal,
    )


def check_integration(
    config: Config,
    documents: Sequence[Document],
    segments: Sequence[Segment],
    facts: Sequence[Fact],
    channel_types: Mapping[str, str],
) -> IntegrationCheck:
    brand_hosts = {_host(config.brand.website)} if config.brand.website else set()
    for document in documents:
        if channel_types.get(document.channel_id) == "website" and document.uri.startswith("http"):
            brand_hosts.add(_host(document.uri))
    handles = {handle.lower() for handle in config.brand_book.social_handles}

    links: dict[str, list[tuple[str, Location]]] = defaultdict(list)
    for document in documents:
        for link in document.links:
            links[document.channel_id].append((link, Location(document.uri)))
    for fact in facts:
        if fact.kind == "url":
            links[fact.channel_id].append((fact.value, fact.location))
    mentions: dict[str, list[Fact]] = defaultdict(list)
    hashtags: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.kind == "handle":
            mentions[fact.channel_id].append(fact)
        elif fact.kind == "hashtag":
            hashtags[fact.channel_id].append(fact)

    findings: list[Finding] = []
    notes: list[str] = []
    checked = present = 0
    for channel in config.channels:
        kind = channel_types[channel.id]
        channel_links = links.get(channel.id, [])
        if kind == "website":
            checked += 1
            social = [url for url, _ in channel_links if is_social_url(url)]
            own = [f for f in mentions.get(channel.id, []) if f.value.lower() in handles]
            if social or own:
                present += 1
                count = len(set(social)) + len(own)
                notes.append(f"'{channel.id}' links to social ({count} reference{'' if count == 1 else 's'})")
            else:
                findings.append(
                    _missing(
                        "website->social",
                        channel.id,
                        f"Website '{channel.id}' never links to the brand's social accounts",
                    )
                )
        elif kind == "social":
            checked += 1
            back = [url for url, _ in channel_links if _host(url) in brand_hosts]
            if back:
                present += 1
                notes.append(f"'{channel.id}' links back to the website ({len(back)} links)")
            else:
                findings.append(
                    _missing(
                        "social->website",
                        channel.id,
                        f"Social channel '{channel.id}' never links back to the brand's website",
                    )
                )
        elif kind == "service":
            checked += 1
            handover = [s for s in segments if s.channel_id == channel.id and HANDOVER.search(s.text)]
            linked = [url for url, _ in channel_links if _host(url) in brand_hosts]
            if handover or linked:
                present += 1
                notes.append(f"'{channel.id}' hands over to digital self-service")
            else:
                findings.append(
                    _missing(
                        "service->digital",
                        channel.id,
                        f"Service channel '{channel.id}' never hands customers over to a digital channel "
                        "(website, app, chat)",
                    )
                )

    campaign = {tag.lower() for tag in config.brand_book.campaign_hashtags}
    if campaign:
        for channel in config.channels:
            tags = hashtags.get(channel.id, [])
            stale: dict[str, list[Fact]] = defaultdict(list)
            for fact in tags:
                if fact.value.lower() not in campaign and CAMPAIGN_STYLE.match(fact.text):
                    stale[fact.value.lower()].append(fact)
            for tag, uses in sorted(stale.items()):
                findings.append(
                    Finding(
                        rule_id="integration.stale_hashtag",
                        dimension="integration",
                        severity="warning",
                        message=(
                            f"'{channel.id}' uses the campaign hashtag {uses[0].text}, which is not a "
                            f"current campaign hashtag ({', '.join(config.brand_book.campaign_hashtags)}); "
                            f"used {len(uses)} times"
                        ),
                        evidence=tuple(Evidence(f.channel_id, f.quote, f.location) for f in uses[:3]),
                        channels=(channel.id,),
                        key=tag,
                        subject=tag,
                    )
                )
            if channel_types[channel.id] == "social":
                checked += 1
                if any(fact.value.lower() in campaign for fact in tags) and not stale:
                    present += 1
                    notes.append(f"'{channel.id}' carries the current campaign hashtag")
                elif not stale:
                    findings.append(
                        Finding(
                            rule_id="integration.campaign_missing",
                            dimension="integration",
                            severity="warning",
                            message=f"Social channel '{channel.id}' never uses the current campaign hashtag "
                            f"({', '.join(config.brand_book.campaign_hashtags)})",
                            channels=(channel.id,),
                            key="campaign",
                            subject="campaign",
                        )
                    )
    return IntegrationCheck(tuple(findings), checked, present, tuple(notes))
