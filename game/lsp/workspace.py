"""The story an editor has open: files on disk, with open buffers in place of their files.

The protocol-free half of the server. It keeps the text of every open buffer (the overlay
the loader reads instead of those files), the index of every story file (re-indexed one
file at a time as buffers change), and runs the real checker over the whole story, since a
change in one file can fix or break another.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from game import collector
from game.lsp.index import FileIndex, index_text
from game.lsp.lookup import StoryIndex
from game.lsp.problems import Problem, problems
from game.story.filecache import FileCache
from game.story.files import load_story, story_files
from game.story.folder import is_story_path

_HEADER = re.compile(r"^story:", re.MULTILINE)
HEADER_SCAN = 64 * 1024
"""Bytes of each file read when looking for the `story:` section that marks a story folder."""


def story_root(path: Path, limit: Path | None) -> Path:
    """The story folder a file belongs to: the nearest folder, from the file's own up to
    `limit` (the editor's workspace), holding a file with the top-level `story:` section.

    An editor opened on a whole repository must not check its CI files as scenes; a story
    whose `story:` section is not found yet (a new story) is its file's folder.
    """
    folder = path.parent
    while True:
        if folder.is_dir() and any(
                _has_header(f) for f in sorted(folder.iterdir())
                if f.suffix in (".yaml", ".yml") and not f.name.startswith(".") and f.is_file()):
            return folder
        if limit is None or folder == limit or not folder.is_relative_to(limit):
            return path.parent
        folder = folder.parent


def _has_header(file: Path) -> bool:
    try:
        with file.open("rb") as handle:
            return _HEADER.search(handle.read(HEADER_SCAN).decode("utf-8", "replace")) is not None
    except OSError:
        return False


@dataclass(frozen=True, slots=True)
class Checked:
    """One run of the checker: every file's problems, and how long it took."""

    problems: dict[Path, list[Problem]]
    seconds: float


class StoryWorkspace:
    """One story folder as the editor sees it."""

    def __init__(self, root: Path) -> None:
        self.root = root.absolute()
        self.overlay: dict[Path, str] = {}
        self.indexed = StoryIndex()
        """Every story file's index, but for the buffers changed since it was last asked
        for (`unindexed`): see `index`."""
        self.unindexed: dict[Path, str] = {}
        self.split: dict[Path, tuple[tuple[int, int] | None, list[str]]] = {}
        """Lines of each file, for `lines`."""
        self.published: set[Path] = set()
        """Files that last got problems, so that a fixed file gets its problems cleared."""
        self.files = FileCache()
        """Each file's reading, kept between checks: a check re-reads the changed files."""

    def is_story_file(self, path: Path) -> bool:
        """Part of this story when it exists: the loader's rule (hidden folders skipped)."""
        return is_story_path(self.root, path)

    def index_all(self) -> None:
        """Index every story file (open buffers as typed, the rest from disk)."""
        for path in story_files(self.root):
            path = path.absolute()
            text = self.text(path)
            if text is not None:
                self.indexed.update(path, text)

    def text(self, path: Path) -> str | None:
        found = self.overlay.get(path)
        if found is not None:
            return found
        try:
            return path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None  # the checker says why

    def lines(self, path: Path) -> list[str] | None:
        """The file's lines as the editor has them; kept until the buffer (or, for a file
        that is not open, its size or time on disk) changes: every position sent to the
        editor is converted with them."""
        key: tuple[int, int] | None = None
        if path not in self.overlay:
            try:
                stat = path.stat()
            except OSError:
                return None
            key = (stat.st_mtime_ns, stat.st_size)
        known = self.split.get(path)
        if known is not None and known[0] == key:
            return known[1]
        text = self.text(path)
        if text is None:
            return None
        lines = text.split("\n")
        self.split[path] = (key, lines)
        return lines

    @property
    def index(self) -> StoryIndex:
        """The story's index, with every buffer as it is now (for definition, references,
        hover, rename: places must be exact). A buffer is indexed again when a question
        needs it, or after a check (`index_later`), not at each keystroke: the check does not
        use the index, and typing a word sends a change per letter."""
        for path, text in list(self.unindexed.items()):
            del self.unindexed[path]
            self.indexed.update(path, text)
        return self.indexed

    @property
    def names(self) -> StoryIndex:
        """The index as of the last pause in typing, for completion: it asks which names
        exist, which a keystroke hardly ever changes, and it comes at every keystroke."""
        return self.indexed

    def index_later(self) -> dict[Path, tuple[str, FileIndex | None]]:
        """The buffers not indexed yet, indexed (from any thread: nothing is changed here);
        `indexed_now` takes them in."""
        return {path: (text, index_text(path, text))
                for path, text in dict(self.unindexed).items()}

    def indexed_now(self, made: dict[Path, tuple[str, FileIndex | None]]) -> None:
        """Take in what `index_later` made, for each buffer still as it was then."""
        for path, (text, found) in made.items():
            if self.unindexed.get(path) is text:
                del self.unindexed[path]
                self.indexed.put(path, found)

    def edit(self, path: Path, text: str) -> None:
        """A buffer was opened or changed: it stands in for its file from now on."""
        self.overlay[path] = text
        self.split.pop(path, None)
        if self.is_story_file(path):
            self.unindexed[path] = text

    def close(self, path: Path) -> None:
        """The buffer is gone: the file on disk counts again."""
        self.overlay.pop(path, None)
        self.split.pop(path, None)
        self.unindexed.pop(path, None)
        text = self.text(path) if path.exists() else None
        if text is None:
            self.indexed.forget(path)
        elif self.is_story_file(path):
            self.indexed.update(path, text)

    def disk_changed(self, path: Path) -> bool:
        """A file was changed, created or deleted outside the editor (a checkout, another
        tool): re-indexed from disk, unless its open buffer stands in for it. True when the
        story must be checked again (the check itself reads the files that changed)."""
        if not self.is_story_file(path) or path in self.overlay:
            return False
        self.split.pop(path, None)
        text = self.text(path) if path.is_file() else None
        if text is None:
            self.indexed.forget(path)
        else:
            self.indexed.update(path, text)
        return True

    def check(self) -> Checked:
        """The whole story through the real checker, open buffers in place of their files;
        only the files changed since the last check are read again (`self.files`)."""
        began = time.perf_counter()
        sources = {p: t for p, t in self.overlay.items() if self.is_story_file(p)}
        # The collector is paused while loading (game/commands/loading.py says why), and
        # what the check built is frozen out of its sight: the per-file results stay for the
        # next check, and a collector walking them (millions of objects at 10k scenes) cost
        # up to a second at the next allocations. Parts the next check replaces are freed by
        # reference counting all the same; the loader makes no cycles.
        with collector.paused(freeze=True):
            result = load_story(self.root, sources=sources, files=self.files)
        found = problems(result.diagnostics, self.lines)
        return Checked(found, time.perf_counter() - began)

    def to_publish(self, checked: Checked) -> dict[Path, list[Problem]]:
        """Problems by file, with an empty list for each open file without any and each
        file whose problems are now gone."""
        out = dict(checked.problems)
        for path in (self.published | set(self.overlay)) - set(out):
            if self.is_story_file(path):
                out[path] = []
        self.published = set(checked.problems)
        return out
