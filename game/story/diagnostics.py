"""Problems found in a story, in the one-line form compilers and editors understand.

`path:line:col: error: message` is what gcc, mypy and ruff print, so terminals, editors and CI
annotators already know how to jump to it. Related places (the first definition of a
duplicate, say) go into the same line, because a one-problem-per-line contract is easier to
grep, count and test than multi-line reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from game.story.model import Pos

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Related:
    """Another place a diagnostic is about: the first definition of a name defined twice,
    the declaration a value disagrees with. The message cites it too, for the text format;
    machines (`--format json`, editors) get it here, as a place."""

    pos: Pos
    note: str


def first_defined(pos: Pos) -> tuple[Related, ...]:
    """The `related` of a duplicate: where the name was defined first."""
    return (Related(pos, "first defined here"),)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a story, at the author's `file:line:col`.

    `code` is its kind, from the one table in `game.story.codes` (which also fixes its
    severity: make one with `codes.NAME.at(pos, message)`).
    """

    pos: Pos
    severity: Severity
    message: str
    code: str
    related: tuple[Related, ...] = ()

    def __str__(self) -> str:
        return f"{self.pos}: {self.severity}: {self.message}"


_WORD = re.compile(r"[A-Za-z0-9_]+")
_TOKEN = re.compile(r"[^\s,\]}]+")


def span(text: str, col: int) -> tuple[int, int]:
    """What a diagnostic at 1-based `col` of this line is about, as a 0-based [start, end).

    A diagnostic is a point; editors and CI underline a range: the name at that point (the
    id after `goto:`, the unknown key, the name inside `{...}` or a condition), or the rest
    of the token when there is no name, and at least one character. The language server
    and `offscreen check --format json|github` both ask here, so they underline alike.
    """
    start = max(col - 1, 0)
    if start < len(text) and text[start] == "{":  # a `{name}` hole: the name
        inner = start + 1
        while inner < len(text) and text[inner] == " ":
            inner += 1
        name = _WORD.match(text, inner)
        if name is not None:
            return name.start(), name.end()
    found = _WORD.match(text, start) or _TOKEN.match(text, start)
    end = found.end() if found is not None else start + 1
    return start, max(end, start + 1)


class StoryError(Exception):
    """A story that cannot be played; carries every diagnostic so front ends can print them."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def summary(diagnostics: Iterable[Diagnostic], files: int, folder: str | None = None) -> str:
    """The closing line of `offscreen check`: counts first, so a glance says pass or fail.

    Naming the folder matters: `offscreen check` with no argument checks the shipped story,
    and an author who forgot the argument must not mistake its "ok" for their own.
    """
    diags = list(diagnostics)
    errors = sum(1 for d in diags if d.severity == "error")
    warnings = len(diags) - errors
    noun = "file" if files == 1 else "files"
    where = f" in {folder}" if folder else ""
    if not diags:
        return f"ok: {files} {noun}{where} checked, no problems"
    return (
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''} in {files} {noun}{where}"
    )
