"""SVG helpers: well-formed markup with every label escaped."""

from __future__ import annotations

from lxml import etree
from markupsafe import Markup

from omniaudit.report import svg

NS = {"s": "http://www.w3.org/2000/svg"}


def _parse(markup: str) -> etree._Element:
    return etree.fromstring(markup.encode("utf-8"))  # raises on malformed XML


def test_heatmap_is_valid_svg_with_escaped_labels_and_values() -> None:
    labels = ["web<site>", "a&b", "call-centre"]
    chart = svg.heatmap(labels, [[1.0, 0.5, 0.25], [0.5, 1.0, None], [0.25, None, 1.0]], uid="h1")

    assert isinstance(chart, Markup)
    root = _parse(chart)
    texts = ["".join(t.itertext()) for t in root.iterfind(".//s:text", NS)]
    assert texts.count("web<site>") == 2 and texts.count("a&b") == 2
    assert texts.count("1.00") == 3 and texts.count("0.50") == 2 and texts.count("–") == 2
    assert root.find(".//s:linearGradient[@id='h1']", NS) is not None
    assert svg.scale_color(0.0) == "#c8463d" and svg.scale_color(1.0) == "#2e8b57"


def test_bars_grid_and_ring_are_valid_svg() -> None:
    bars = _parse(svg.bars([("facts", 38.0), ("<b>", None)]))
    texts = ["".join(t.itertext()) for t in bars.iterfind(".//s:text", NS)]
    assert "facts" in texts and "<b>" in texts and "38" in texts and "n/a" in texts
    fills = [r.get("fill") for r in bars.iterfind(".//s:rect", NS)]
    assert svg.POOR in fills

    cells = [[svg.Cell(0.8, "✓ 0.80", "good", title="“quote” <script>"), None]]
    grid = _parse(svg.grid(["msg"], ["web", "app"], cells, aria="Coverage"))
    titles = ["".join(t.itertext()) for t in grid.iterfind(".//s:title", NS)]
    assert "“quote” <script>" in titles

    ring = _parse(svg.ring(62.0))
    assert "62" in ["".join(t.itertext()) for t in ring.iterfind(".//s:text", NS)]


def test_long_labels_are_cut_with_the_full_text_as_tooltip() -> None:
    long = "a very long channel name that will not fit"
    root = _parse(svg.heatmap([long, "b"], [[1.0, 0.3], [0.3, 1.0]]))
    shown = [t for t in root.iterfind(".//s:text", NS) if t.find("s:title", NS) is not None]
    assert shown and all(t.find("s:title", NS).text == long for t in shown)
    assert all("".join(t.itertext()).endswith("…") for t in shown)
