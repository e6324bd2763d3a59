"""Story and save text made safe to print: control and escape characters neutralised.

Labels, titles and story text come from files anyone can edit, and a terminal obeys what it
is sent: an ESC in a save label can recolour the screen, set the window title, rewrite the
clipboard (OSC 52) or hide the text after it; a bidi override can make a line read as
something else; a lone surrogate cannot be encoded at all and used to end the game with a
UnicodeEncodeError. Every place that prints such text (plain mode, `offscreen saves`, the
full-screen save table) passes it through `printable`, which shows each such character as
its escape (`\\x1b`, `\\u202e`), so nothing is lost from sight and nothing is obeyed.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""C0 and C1 controls (ESC and CSI among them) except tab and newline, DEL, the bidi
embedding/override/isolate controls, and surrogates."""
_UNSAFE_ONE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, lines: bool = False) -> str:
    """`text` with every unsafe character shown as its escape; `lines` keeps newlines and
    tabs (story text), otherwise they are escaped too (a label is one line)."""
    return (_UNSAFE if lines else _UNSAFE_ONE_LINE).sub(_escape, text)


def first_unsafe(text: str) -> str | None:
    """The escape of the first character `printable(text, lines=True)` would neutralise, or
    None: the loader refuses story text holding one, so no story can send a terminal orders."""
    match = _UNSAFE.search(text)
    return _escape(match) if match else None
