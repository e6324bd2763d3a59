"""The tiny emphasis markup authors use in scene text: *italic* and **bold**.

Shared by the front ends: the TUI turns it into Rich styles, plain mode into bare words
(a screen reader should not read out asterisks).
"""

from __future__ import annotations

import re

EMPHASIS = re.compile(r"(\*\*|\*)(?=\S)(.+?)(?<=\S)\1")


def strip(text: str) -> str:
    return EMPHASIS.sub(lambda m: m.group(2), text)


def to_rich(text: str) -> str:
    """Rich console markup with the author's text escaped, so '[' in prose stays literal."""
    from rich.markup import escape

    out = []
    last = 0
    for m in EMPHASIS.finditer(text):
        out.append(escape(text[last:m.start()]))
        style = "b" if m.group(1) == "**" else "i"
        out.append(f"[{style}]{escape(m.group(2))}[/{style}]")
        last = m.end()
    out.append(escape(text[last:]))
    return "".join(out)
