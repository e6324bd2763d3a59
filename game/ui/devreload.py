"""`--dev`: reload the story when its files change, keeping the player's place.

Polling file times twice a second costs a few `stat` calls and needs no file-watching
dependency. A reload that fails leaves the game on the last story that loaded, with the
checker's errors on show, so an author can save a half-written scene without losing their
playthrough; a reload that works moves the current state onto the new story with `migrate`,
which keeps variables and falls back to a nearby scene when the current one was cut.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.engine.migrate import migrate
from game.story.loader import load_story, story_files
from game.ui.session import Session

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


class StoryWatcher:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._last = signature(folder)

    def changed(self) -> bool:
        """True once per change (files edited, added or removed) since the last call."""
        now = signature(self.folder)
        if now == self._last:
            return False
        self._last = now
        return True


@dataclass(frozen=True, slots=True)
class Reloaded:
    errors: tuple[str, ...]
    """`path:line:col: error: message` lines; empty when the new story was taken."""
    summary: str


def reload_story(folder: Path, session: Session) -> Reloaded:
    """Load the folder again and, if it is clean, move the session onto it."""
    result = load_story(folder)
    story = result.story
    if story is None:
        errors = tuple(str(d) for d in result.errors) or tuple(str(d) for d in
                                                              result.diagnostics)
        return Reloaded(errors or ("the story could not be loaded",), "")
    state = session.state
    if state is None:
        session.replace_story(story, None)
        return Reloaded((), "The story was reloaded.")
    moved = migrate(state, story)
    if moved.state is not None:
        session.replace_story(story, moved.state)
        summary = moved.summary or "The story was reloaded; you are where you were."
    elif moved.fallback is not None:
        session.replace_story(story, moved.fallback)
        summary = f"{moved.summary} Resumed at '{story.scenes[moved.fallback.scene].title}'."
    else:
        session.replace_story(story, None)
        summary = f"{moved.summary} Your place is gone: start a new game from the title screen."
    session.autosave()
    return Reloaded((), summary.strip())
