"""Text from channels and file names made safe to show: one function every renderer calls.

Channel text is written by strangers (posts, pages, file names in a shared folder). Shown as is it can
- reorder what surrounds it: an unclosed RIGHT-TO-LEFT OVERRIDE in a file name makes `‮dm.exe-cheap.md`
  read as another name, and the location after it as something else (issue 16, "Trojan Source");
- drive a terminal: ESC starts an ANSI sequence (colours, cursor moves, window titles), BEL rings.

`display_text` removes the bidi embedding, override and isolate controls and the directional marks (the
renderers isolate each piece of text themselves: `dir="auto"` / `<bdi>` in HTML, so Arabic still reads
right to left), and shows every other control character except newline and tab as a visible symbol
(ESC as "␛", BEL as "␇", C1 controls as "<U+009B>"), so nothing is hidden and nothing acts.
"""

from __future__ import annotations

import re
from typing import Any

# LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM, ALM: they change the order in which the text around them
# is shown.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI = re.compile(f"[{_BIDI_CONTROLS}]")
# C0 controls but tab and newline, DEL, C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: U+241B "␛" for ESC
    if code == 0x7F:
        return "\u2421"  # "␡"
    return f"<U+{code:04X}>"


def display_text(text: Any) -> str:
    """`text` as a string that shows exactly what it holds: bidi controls removed, other controls visible.

    Line breaks (CR LF, CR, U+2028/2029, NEL) become "\\n"; tab and newline are kept.
    """
    value = "" if text is None else str(text)
    if value.isascii() and value.isprintable():
        return value  # the common case: nothing to do
    value = _LINE_BREAKS.sub("\n", value)
    return _CONTROL.sub(_visible, _BIDI.sub("", value))


def display_data(data: Any) -> Any:
    """A copy of a JSON-like structure (the canonical report) with every string passed through
    `display_text`, keys included: renderers then show it without thinking about where each string came
    from."""
    if isinstance(data, str):
        return display_text(data)
    if isinstance(data, dict):
        return {
            display_text(key) if isinstance(key, str) else key: display_data(value)
            for key, value in data.items()
        }
    if isinstance(data, (list, tuple)):
        return [display_data(item) for item in data]
    return data
