"""The engine's exceptions, in a module of their own so that the UI can name them in its
`except` clauses without importing the engine before a game starts."""

from __future__ import annotations


class StoryRuntimeError(Exception):
    """A story problem that only shows in play (division by zero, a stuck scene)."""

    def __init__(self, pos: object, message: str) -> None:
        self.pos = pos
        self.message = message
        super().__init__(f"{pos}: error: {message}")


class ChoiceNotAvailable(LookupError):
    """The front end asked for a choice that is hidden, used up, or not in this scene."""
