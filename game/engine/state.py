"""The player's position in a story: a small immutable value.

Choosing returns a new `GameState`; nothing about a state's value ever changes. That one rule
gives us undo (`previous`), history (walk `previous`), autosave and save files (serialise the
value) and exhaustive search (`key()` identifies a position) without any bookkeeping
elsewhere. The state holds ids only, never references into the `Story`, so it serialises to
plain JSON and survives a story edit as long as the ids do.

What a choice costs. A game can run for thousands of choices, so a new state shares every
part that the choice did not change with the state before it, and copies only what it did:
- `visits` grows by a scene at nearly every choice; past a few dozen scenes the engine keeps
  it as a `Counts` (game/engine/counts.py), a persistent map where a new version copies one
  small leaf and shares the rest;
- `variables` (bounded by what the story declares, not by the length of the game) is a dict
  shared until a choice writes to it, then copied once;
- `taken` and `facts` are shared until a once-only choice is taken or a fact unlocked.

What the undo chain holds. `previous` links reach back at most `HISTORY_LIMIT` states, the
number a save keeps, so a game in memory can undo exactly as far as the same game loaded
from its save, and 9,000 choices hold no more than 200. `keep_history` does this as each
engine-made state is linked (`Engine(history=None)` links without a limit, for tools whose
reports replay a whole run). Cutting the link beyond the limit is the one change ever made to
an existing state, to its `previous` alone (which equality and `key()` ignore): a state
held elsewhere keeps its value, while its own history shortens as newer states are made.
The cut is found without walking the chain: each `HISTORY_LIMIT` steps a state records the
newest states of its chain in a list, and each later state on that line cuts the next one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from game.story.model import Value

HISTORY_LIMIT = 200
"""How many earlier states undo reaches, in memory and in a save (older steps are let go)."""


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
    _line: list[GameState | None] | None = field(default=None, init=False, compare=False,
                                                  repr=False)
    """Bookkeeping of `keep_history` (not part of the value): the newest states of this
    state's chain when the last of them was recorded, oldest first..."""
    _cut: int = field(default=0, init=False, compare=False, repr=False)
    """...and the index in `_line` of the state whose `previous` this state's making let go."""

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


_set_previous = GameState.__dict__["previous"].__set__
_set_line = GameState.__dict__["_line"].__set__
_set_cut = GameState.__dict__["_cut"].__set__


def keep_history(state: GameState, limit: int = HISTORY_LIMIT) -> None:
    """Let go of whatever lies more than `limit` states behind the newly made `state`.

    Call it once per state, right after making it with `previous` set, before anything is
    made from it. Amortised O(1): see the module docstring. The chain of `state.previous`
    must itself have been kept this way, or be at most `limit` long, or else be walked once
    here (a state decoded from a save, or built by hand).
    """
    parent = state.previous
    if parent is None:
        return
    line, cut = parent._line, parent._cut + 1
    if line is None or cut >= len(line):
        # Record the newest `limit` states of the chain as it is now: the k-th state made
        # on this line after `state` cuts line[cut + k], the one `limit` states behind it.
        line = []
        older: GameState | None = parent
        while older is not None and len(line) < limit:
            line.append(older)
            older = older.previous
        line.reverse()
        cut = len(line) - limit
    _set_line(state, line)
    _set_cut(state, cut)
    if cut >= 0:
        oldest = line[cut]
        if oldest is not None:
            _set_previous(oldest, None)
            line[cut] = None  # the list no longer keeps it alive either
