"""The player's position in a story: a small immutable value.

Choosing returns a new `GameState`; nothing is ever changed in place. That one rule gives us
undo (`previous`), history (walk `previous`), autosave and save files (serialise the value)
and exhaustive search (`key()` identifies a position) without any bookkeeping elsewhere. The
state holds ids only, never references into the `Story`, so it serialises to plain JSON and
survives a story edit as long as the ids do.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from game.story.model import Value


@dataclass(frozen=True, slots=True)
class GameState:
    scene: str
    variables: Mapping[str, Value]
    visits: Mapping[str, int]
    taken: frozenset[str]
    """Once-only choices already taken, as 'scene_id/choice_id'."""
    facts: tuple[str, ...]
    """Facts unlocked in this playthrough, in the order they were found."""
    turn: int = 0
    via: str | None = None
    """The id of the choice that led here; None for the first scene."""
    previous: GameState | None = field(default=None, compare=False, repr=False)
    """The state before the last choice: undo is following this link."""

    def key(self) -> tuple[object, ...]:
        """Everything that decides what happens next, hashable; history is left out."""
        return (self.scene, tuple(sorted(self.variables.items())),
                tuple(sorted(self.visits.items())), self.taken, frozenset(self.facts))

    def history(self) -> Iterator[GameState]:
        """This state and every earlier one, newest first."""
        state: GameState | None = self
        while state is not None:
            yield state
            state = state.previous

    @property
    def new_facts(self) -> tuple[str, ...]:
        """Facts unlocked by the choice that led here (for the 'New fact' toast)."""
        before = len(self.previous.facts) if self.previous is not None else 0
        return self.facts[before:]
