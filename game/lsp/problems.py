"""The checker's diagnostics as an editor shows them: ranges, related places, quick fixes.

`offscreen check` prints `path:line:col` (1-based, a point); an editor underlines a range
(0-based). The range is the name at that point (the id after `goto:`, the unknown key, the
name inside `{...}` or a condition), or the rest of the token when there is no name
(`game.story.diagnostics.span`). A diagnostic's related places (the first definition of a
duplicate, a variable's declaration) become related locations, and a "did you mean 'x'?"
that names an id becomes a quick fix.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from game.lsp.index import Span
from game.story.diagnostics import Diagnostic, span
from game.story.names import IDENT

_SUGGESTION = re.compile(r"did you mean '(?P<name>[^']+)'\?")


@dataclass(frozen=True, slots=True)
class Problem:
    """One diagnostic, placed for an editor."""

    place: Span
    severity: str
    message: str
    related: tuple[tuple[Span, str], ...]
    """Each related place, with what it is ("first defined here")."""
    suggestion: str | None
    """The id a "did you mean" offers, to put in place of the range."""
    code: str
    """Its kind, from game/story/codes.py: editors show it beside the message."""


def absolute(file: str) -> Path:
    """A diagnostic's file (printed relative to the working directory) as an absolute path."""
    return Path(os.path.abspath(file))


def place_of(path: Path, line: int, col: int, lines: list[str] | None) -> Span:
    """A 1-based point -> the 0-based range of the name (or token) that starts there."""
    row = max(line - 1, 0)
    text = lines[row] if lines is not None and row < len(lines) else ""
    return Span(path, row, *span(text, col))


def problems(diagnostics: Iterable[Diagnostic],
             lines_of: Callable[[Path], list[str] | None]) -> dict[Path, list[Problem]]:
    """Every diagnostic, by absolute file path, with ranges found in `lines_of(path)`."""
    out: dict[Path, list[Problem]] = {}
    for diagnostic in diagnostics:
        pos = diagnostic.pos
        path = absolute(pos.file)
        lines = lines_of(path)
        related = [(place_of(absolute(r.pos.file), r.pos.line, r.pos.col,
                             lines_of(absolute(r.pos.file))), r.note)
                   for r in diagnostic.related]
        hint = _SUGGESTION.search(diagnostic.message)
        suggestion = hint["name"] if hint and IDENT.match(hint["name"]) else None
        out.setdefault(path, []).append(Problem(place_of(path, pos.line, pos.col, lines),
                                                diagnostic.severity, diagnostic.message,
                                                tuple(related), suggestion, diagnostic.code))
    return out
