"""What the player's terminal can take: characters it cannot show, and when to play plain.

A story is written in Unicode ("—", "’", "…"), but a player's output may be ASCII (a bare
`LANG=C`, `PYTHONIOENCODING=ascii`) or an old code page such as cp437 (a Windows console).
Printing would then raise UnicodeEncodeError mid-game, so the entry point makes every standard
stream replace what it cannot encode: typographic punctuation by its ASCII spelling, anything
else by "?". Nothing here is imported by the story or the engine; only the CLI uses it.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import sys
from collections.abc import Mapping

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: the CLI imports this
if TYPE_CHECKING:  # module on every run, `offscreen --version` included
    from typing import IO, Any

ERRORS = "offscreen-replace"
"""The codec error handler `safe_streams` installs on stdin, stdout and stderr."""

ASCII_SPELLINGS = {
    "\u2014": "--",  # em dash
    "\u2013": "-",  # en dash
    "\u2012": "-",  # figure dash
    "\u2212": "-",  # minus sign
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": ",",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2026": "...",
    "\u00a0": " ",  # no-break space
    "\u2009": " ",  # thin space
    "\u202f": " ",  # narrow no-break space
    "\u2022": "*",  # bullet
    "\u00b7": ".",
    "\u2192": "->",
    "\u2190": "<-",
}
"""How punctuation the output cannot encode is spelled instead. Other characters lose their
accents if that leaves ASCII ("é" -> "e"); anything else becomes "?"."""


def _spell(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler: encoding falls back to ASCII spellings, decoding to U+FFFD."""
    if isinstance(error, UnicodeEncodeError):
        text = error.object[error.start:error.end]
        return "".join(ascii_spelling(char) for char in text), error.end
    if isinstance(error, UnicodeDecodeError):
        return "\ufffd", error.end
    raise error


def ascii_spelling(char: str) -> str:
    """One character in ASCII: its usual spelling, itself without accents, or "?"."""
    if char in ASCII_SPELLINGS:
        return ASCII_SPELLINGS[char]
    import unicodedata  # only once a character could not be shown

    bare = "".join(c for c in unicodedata.normalize("NFKD", char) if c.isascii())
    return bare or "?"


codecs.register_error(ERRORS, _spell)


def safe_streams() -> None:
    """Make the standard streams replace, never raise on, what their encoding cannot hold.

    Called once at the entry point (game.cli.main) so that no command, plain mode included,
    can crash on output: an encodable character is written as before; the rest is spelled
    in ASCII (or "?"), and undecodable input bytes read as U+FFFD.
    """
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        make_safe(stream)


def make_safe(stream: IO[Any] | None) -> None:
    """Switch one text stream to the replacing error handler, if it is a text stream."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:  # None (no console), or something already replaced by a caller
        return
    with contextlib.suppress(ValueError, OSError):  # closed or detached: nothing to write
        reconfigure(errors=ERRORS)


def plain_reason(stdin: IO[Any] | None = None, stdout: IO[Any] | None = None,
                 environ: Mapping[str, str] | None = None) -> str | None:
    """Why the full-screen game cannot run here (so plain mode plays instead), or None.

    The Textual game needs a real terminal on both ends and one that understands cursor
    movement; `TERM=dumb` (Emacs shells, some screen readers' consoles) says it does not.
    """
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    environ = os.environ if environ is None else environ
    for name, stream in (("standard input", stdin), ("standard output", stdout)):
        if stream is None or not stream.isatty():
            return f"{name} is not a terminal"
    if environ.get("TERM") == "dumb":
        return "TERM is 'dumb'"
    return None
