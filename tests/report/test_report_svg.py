"""The score ring and the colour helpers the HTML report draws with."""

from __future__ import annotations

from lxml import etree
from markupsafe import Markup

from omniaudit.report import svg

NS = {"s": "http://www.w3.org/2000/svg"}


def test_ring_is_valid_svg_that_follows_the_page_colours() -> None:
    ring = svg.ring(62.0, color=svg.verdict_color("multichannel", 62.0))

    assert isinstance(ring, Markup)
    root = etree.fromstring(str(ring).encode("utf-8"))  # raises on malformed XML
    texts = ["".join(t.itertext()) for t in root.iterfind(".//s:text", NS)]
    assert texts == ["62", "/ 100"]
    assert root.get("aria-label") == "Overall score 62 of 100"
    circles = root.findall(".//s:circle", NS)
    assert circles[1].get("stroke") == svg.FAIR
    # Ink and track come from the page, so the ring follows the dark colour scheme.
    assert root.find(".//s:text", NS).get("fill") == "currentColor" and "var(--track)" in circles[0].get(
        "style"
    )
    assert "n/a" in str(svg.ring(None))


def test_verdict_colour_wins_over_the_score_band() -> None:
    assert svg.verdict_color("multichannel", 80.0) == svg.FAIR  # never green next to a MULTICHANNEL badge
    assert svg.verdict_color("omnichannel", 76.0) == svg.GOOD
    assert svg.verdict_color("fragmented", 90.0) == svg.POOR
    assert svg.verdict_color("unknown", 30.0) == svg.score_color(30.0) == svg.POOR


def test_scales_and_ink() -> None:
    assert svg.scale_color(0.0) == "#c8463d" and svg.scale_color(1.0) == "#2e8b57"
    assert svg.scale_color(None) == svg.NONE and svg.scale_color(float("nan")) == svg.NONE
    assert svg.scale_gradient("amount").startswith("linear-gradient(to right, #f1f4fb 0%")
    assert svg.ink("#ffffff") == "#1f2328" and svg.ink("#263f9c") == "#ffffff"
