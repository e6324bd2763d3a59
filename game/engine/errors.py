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


class ChoiceLocked(ChoiceNotAvailable):
    """The choice is shown but locked: its `enabled` is false now. `reason` is its rendered
    `reason:` (None when it has none), for the front end to say why."""

    def __init__(self, choice: str, scene: str, reason: str | None) -> None:
        self.choice = choice
        self.scene = scene
        self.reason = reason
        why = f": {reason}" if reason else ""
        super().__init__(f"choice '{choice}' of scene '{scene}' is locked{why}")
