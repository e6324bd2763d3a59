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
from its save, and 9,000 choices hold no more than 200. `new_state`, which makes every state
the engine makes, does this (`Engine(history=None)` keeps every state, for tools whose
reports replay a whole run). Cutting the link beyond the limit is the one change ever made
to an existing state, to its `previous` alone (which equality and `key()` ignore): a state
held elsewhere keeps its value, while its own history shortens as newer states are made.
The cut is found without walking the chain: each `HISTORY_LIMIT` steps a state records the
newest states of its chain in a list, and each later state on that line cuts the next one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from game.story.construct import draft_class
from game.story.model import Value, slot_setters

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
    seed: int = 0
    """The game's random seed (game/engine/dice.py), chosen at a new game and kept by every
    state after it, so going back or loading never rolls again. Part of the value (it
    decides what every `random()` gives), after `previous` so that no positional call of
    the fields before it had to change."""
    stack: tuple[str, ...] = ()
    """The call stack (format v2's calls): the scene each open call returns to (its `then`,
    or the scene that called), oldest first; at most `calls.MAX_DEPTH` long."""
    _line: list[GameState | None] | None = field(default=None, init=False, compare=False,
                                                  repr=False)
    """Bookkeeping of `new_state` (not part of the value): the newest states of this
    state's chain when the last of them was recorded, oldest first..."""
    _cut: int = field(default=0, init=False, compare=False, repr=False)
    """...and the index in `_line` of the state whose `previous` this state's making let go."""

    def key(self) -> tuple[object, ...]:
        """Everything that decides what happens next, hashable; history is left out.

        (`random()` also reads `turn`, left out as before: the exhaustive search, whose
        naive twin is what reads keys, branches over every outcome of a draw instead.)"""
        return (self.scene, tuple(sorted(self.variables.items())),
                tuple(sorted(self.visits.items())), self.taken, frozenset(self.facts),
                self.seed, self.stack)

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


_FIELDS = ("scene", "variables", "visits", "taken", "facts", "turn", "via", "previous", "seed",
           "stack", "_line", "_cut")


def _maker() -> Callable[[str, Mapping[str, Value], Mapping[str, int], frozenset[str],
                          tuple[str, ...], int, str | None, GameState | None, int | None,
                          int, tuple[str, ...]], GameState]:
    """`new_state`: a GameState with every field given, made at about a quarter of the cost
    of the frozen dataclass __init__ (which sets each field through object.__setattr__): the
    fields are stored on a draft of the same layout, which then becomes a GameState
    (`construct.draft_class`), with its undo chain kept to `limit` on the way."""
    setters = slot_setters(GameState, _FIELDS)
    draft: Any = draft_class(GameState, _FIELDS)
    assert setters is not None and draft is not None, "GameState changed shape: list its fields"
    previous_ = setters[_FIELDS.index("previous")]
    new = object.__new__

    def make(scene: str, variables: Mapping[str, Value], visits: Mapping[str, int],
             taken: frozenset[str], facts: tuple[str, ...], turn: int, via: str | None,
             previous: GameState | None, limit: int | None, seed: int = 0,
             stack: tuple[str, ...] = ()) -> GameState:
        state = new(draft)
        state.scene = scene
        state.variables = variables
        state.visits = visits
        state.taken = taken
        state.facts = facts
        state.turn = turn
        state.via = via
        state.previous = previous
        state.seed = seed
        state.stack = stack
        if previous is None or limit is None:
            state._line = None
            state._cut = 0
            state.__class__ = GameState
            return state  # type: ignore[no-any-return]
        # Keep the chain to `limit` (module docstring): the k-th state made on a line after
        # the one that recorded it cuts line[cut], the state `limit` behind it.
        line, cut = previous._line, previous._cut + 1
        if line is None or cut >= len(line):
            if previous.previous is None:  # a first state (or one of the exhaustive search's)
                line, cut = [previous], 1 - limit
            else:
                line, cut = _newest(previous, limit)
        state._line = line
        state._cut = cut
        state.__class__ = GameState
        if cut >= 0:
            oldest = line[cut]
            if oldest is not None:
                previous_(oldest, None)
                line[cut] = None  # the list no longer keeps it alive either
        return state  # type: ignore[no-any-return]

    return make


def _newest(state: GameState, limit: int) -> tuple[list[GameState | None], int]:
    """The newest `limit` states of `state`'s chain, oldest first, and the index in it of
    the one a state made from `state` must cut (negative while the chain is shorter)."""
    line: list[GameState | None] = []
    older: GameState | None = state
    while older is not None and len(line) < limit:
        line.append(older)
        older = older.previous
    line.reverse()
    return line, len(line) - limit


new_state = _maker()
"""new_state(scene, variables, visits, taken, facts, turn, via, previous, limit, seed=0,
stack=()): the state with those fields, its chain cut `limit` states back (None: not cut).
`limit` is at least 1; the chain of `previous` must have been made this way, or be walked
once here (a state decoded from a save or built by hand), so that no link beyond `limit`
stays."""
