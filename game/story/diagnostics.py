"""Problems found in a story, in the one-line form compilers and editors understand.

`path:line:col: error: message` is what gcc, mypy and ruff print, so terminals, editors and CI
annotators already know how to jump to it. Related places (the first definition of a
duplicate, say) go into the same line, because a one-problem-per-line contract is easier to
grep, count and test than multi-line reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from game.story.model import Pos

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a story, at the author's `file:line:col`."""

    pos: Pos
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.pos}: {self.severity}: {self.message}"


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
