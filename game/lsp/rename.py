"""Renaming a scene, fact, variable or ending id everywhere it is written.

Every occurrence the index knows is rewritten: the definition, gotos and nexts, `unlock`s,
`set`/`add` keys, `{name}` holes in text, names inside conditions, and playthroughs'
expectations. A new id is refused, with the reason, when it is not a valid id, when it
would not read as a plain name inside a condition (`and`, `true`), or when another
definition of that kind already has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.lsp.index import Occurrence, Span
from game.lsp.lookup import StoryIndex
from game.story import expr
from game.story.names import IDENT, IDENT_RULE


class RenameRefused(Exception):
    """Why this rename cannot be done; the editor shows the message."""


@dataclass(frozen=True, slots=True)
class Edit:
    span: Span
    text: str


def renameable(index: StoryIndex, path: Path, line: int, col: int) -> Occurrence:
    """The name under the cursor, if it can be renamed (prepareRename)."""
    found = index.at(path, line, col)
    if found is None:
        raise RenameRefused("put the cursor on a scene, fact, variable or ending id")
    if not index.definitions(found.kind, found.name):
        raise RenameRefused(f"no {found.kind} '{found.name}' is defined in this story, so "
                            "there is nothing to rename (fix the name instead)")
    return found


def rename_edits(index: StoryIndex, occurrence: Occurrence, new: str) -> dict[Path, list[Edit]]:
    """Every edit, by file; RenameRefused when `new` cannot be used."""
    kind, old = occurrence.kind, occurrence.name
    if new == old:
        return {}
    if not IDENT.match(new):
        raise RenameRefused(f"'{new}' is not a valid id: {IDENT_RULE}")
    if not _plain_name(new):
        raise RenameRefused(f"'{new}' is a word of the condition language; pick another id")
    taken = index.definitions(kind, new)
    if taken:
        span = taken[0].span
        raise RenameRefused(f"a {kind} '{new}' already exists ({span.path.name}:"
                            f"{span.line + 1})")
    edits: dict[Path, list[Edit]] = {}
    for found in index.occurrences(kind, old):
        edits.setdefault(found.span.path, []).append(Edit(found.span, new))
    return edits


def _plain_name(name: str) -> bool:
    """Would the condition language read this as a name? (Not `true`, `and`...)."""
    try:
        return isinstance(expr.parse(name), expr.Var)
    except expr.ExprError:
        return False
