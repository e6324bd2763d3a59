"""Watching a story folder for edits (`play --dev`): poll file times, reload on a change.

Polling twice a second costs a few `stat` calls and needs no file-watching dependency, and it
works the same for the Textual app (which polls on a timer) and for `play --dev` waiting for a
broken story to be fixed (which polls in a loop). Nothing here knows about a game: moving the
player onto the new story is `game.session.Session.reload`.

Each reload goes through the watcher's own `FileCache`, so from the second one on only the
files saved since the last reload are read again (`game.story.filecache`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from game.story.files import LoadResult, load_story, story_files

if TYPE_CHECKING:
    from game.story.filecache import FileCache


class Load(Protocol):
    """How a watcher loads its folder: `load_story`, or an entry point's wrapper of it."""

    def __call__(self, folder: Path, /, *, files: FileCache | None = None) -> LoadResult: ...

POLL_SECONDS = 0.5

Signature = tuple[tuple[str, int, int], ...]


def signature(folder: Path) -> Signature:
    """Every story file with its modification time and size: any edit changes it."""
    out = []
    for path in story_files(folder):
        try:
            stat = path.stat()
        except OSError:
            continue  # deleted between listing and stat: the next poll sees it gone
        out.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(out)


def error_lines(result: LoadResult) -> tuple[str, ...]:
    """`path:line:col: error: message` lines for a load that gave no story (never empty)."""
    lines = tuple(str(d) for d in result.errors) or tuple(str(d) for d in result.diagnostics)
    return lines or ("the story could not be loaded",)


class StoryWatcher:
    """One story folder, and the state of its files when last looked at."""

    def __init__(self, folder: Path, load: Load = load_story) -> None:
        """`load` reloads the folder: an entry point passes its own, with its collector
        policy (game/commands/loading.py)."""
        self.folder = folder
        self._load = load
        self._last = signature(folder)
        self.files: FileCache | None = None
        """Made at the first reload: the loader is imported only once files must be read."""

    def changed(self) -> bool:
        """True once per change (files edited, added or removed) since the last call."""
        now = signature(self.folder)
        if now == self._last:
            return False
        self._last = now
        return True

    def poll(self) -> LoadResult | None:
        """The folder loaded again if its files changed since the last look; else None."""
        if not self.changed():
            return None
        if self.files is None:
            from game.story.filecache import FileCache

            self.files = FileCache()
        return self._load(self.folder, files=self.files)
