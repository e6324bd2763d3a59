"""The storage layer's exceptions: every message is one line a player can act on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the UI names these in `except` clauses long before a game exists
    from game.engine.state import GameState


class SaveError(Exception):
    """A save that cannot be written or read; str() names the file (or slot) and the reason."""


class SlotConflict(SaveError):
    """Another game wrote this named slot since this one last read or wrote it: nothing was
    written, and the front end asks the player (saving again to the slot goes ahead)."""


class SceneGone(SaveError):
    """The scene a game was saved in no longer exists in the story.

    The front end offers `fallback` (the nearest earlier place in the save's history that
    still exists, already fitted to the current story) or a new game; `fallback` is None when
    no scene of the save's history survived.
    """

    def __init__(self, message: str, fallback: GameState | None, playtime: float = 0.0,
                 steps_back: int = 0) -> None:
        super().__init__(message)
        self.fallback = fallback
        self.playtime = playtime
        self.steps_back = steps_back
