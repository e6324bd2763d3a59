"""The whole story's index: every file's `FileIndex`, and the questions an editor asks of it.

Kept per file so that an edit re-indexes only the file that changed; the questions (where is
this defined, where is it used, which names exist) walk the files' own tables, which at
10,000 scenes in a hundred files is a hundred dictionary lookups.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from game.lsp.index import FileIndex, Kind, Occurrence, index_text


class StoryIndex:
    """Definitions and references of a story, across its files."""

    def __init__(self) -> None:
        self.files: dict[Path, FileIndex] = {}
        self.known: dict[Kind, dict[str, dict[str, str]]] = {}
        """`names` by kind, until an update changes what is defined of that kind: completion
        asks for it on every key, and rebuilding it at 10,000 scenes costs ~15 ms."""

    def update(self, path: Path, text: str) -> bool:
        """Re-index one file; False (and the last good index kept) when its YAML is broken."""
        return self.put(path, index_text(path, text))

    def put(self, path: Path, found: FileIndex | None) -> bool:
        """A file's index made already (`index_text`; None keeps the last good one)."""
        if found is None:
            return False
        before = self.files.get(path)
        self.files[path] = found
        if before is None:
            self.known.clear()
        else:  # a keystroke seldom changes what a file defines: keep the kinds it did not
            for kind in [k for k in self.known if before.defined[k] != found.defined[k]]:
                del self.known[kind]
        return True

    def forget(self, path: Path) -> None:
        self.files.pop(path, None)
        self.known.clear()

    def at(self, path: Path, line: int, col: int) -> Occurrence | None:
        """The name under the cursor, if any."""
        found = self.files.get(path)
        if found is None:
            return None
        for occurrence in found.occurrences.get(line, ()):
            if occurrence.span.holds(line, col):
                return occurrence
        return None

    def occurrences(self, kind: Kind, name: str) -> list[Occurrence]:
        """Definitions first, then uses, each in file and line order."""
        out: list[Occurrence] = []
        for path in sorted(self.files):
            out.extend(self.files[path].by_name.get((kind, name), ()))
        return sorted(out, key=lambda o: (not o.definition, str(o.span.path), o.span.line,
                                          o.span.start))

    def definitions(self, kind: Kind, name: str) -> list[Occurrence]:
        return [o for o in self.occurrences(kind, name) if o.definition]

    def references(self, kind: Kind, name: str) -> list[Occurrence]:
        return [o for o in self.occurrences(kind, name) if not o.definition]

    def names(self, kind: Kind) -> dict[str, dict[str, str]]:
        """Every defined name of a kind, with what hover knows about it, sorted."""
        cached = self.known.get(kind)
        if cached is not None:
            return cached
        found: dict[str, dict[str, str]] = {}
        for path in sorted(self.files):
            for name, details in self.files[path].defined[kind].items():
                found.setdefault(name, details)
        cached = self.known[kind] = dict(sorted(found.items()))
        return cached

    def details(self, kind: Kind, name: str) -> dict[str, str] | None:
        for path in sorted(self.files):
            found = self.files[path].defined[kind].get(name)
            if found is not None:
                return found
        return None

    def leading_to(self, scene: str) -> list[Occurrence]:
        """The gotos, nexts, calls and starts that lead to a scene."""
        return [o for o in self.references("scene", scene)
                if o.role in ("goto", "next", "call", "then", "start")]


def index_story(texts: Iterable[tuple[Path, str]]) -> StoryIndex:
    """An index of every (path, text) given."""
    index = StoryIndex()
    for path, text in texts:
        index.update(path, text)
    return index
