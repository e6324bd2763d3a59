"""GameState chains <-> plain JSON data, by ids only (never list positions).

A save holds the current state and the earlier ones that `back` can still reach after a
load. The oldest state in the file (its keyframe) is written in full; each entry after it
records only what differs from the entry before: fields that did not change are left out,
growing collections are written as what was added (`facts+`, `taken+`, `variables+`,
`visits+`), and anything else in full. That reproduces every state exactly, whatever a front
end puts in it, and keeps each entry the size of one choice.

The autosave is written after every choice, so it must cost the same at turn 9,000 as at
turn 10. `ChainEncoder` remembers the entries it wrote: a save after one more choice encodes
that one choice's entry and joins it to the rest. Its keyframe stays put until the file holds
`2 * HISTORY_LIMIT` choices after it, then moves to `HISTORY_LIMIT` choices back, so the whole
state is re-encoded once per `HISTORY_LIMIT` saves and never more than `MAX_ENTRIES` entries
are written. Loading keeps the newest `HISTORY_LIMIT` of them as the undo chain, what the
same game kept in memory (game/engine/state.py; after an undo the file may still reach a
little further back than the game did, to states it really went through); the older entries
only carry the keyframe forward. Saves of the first format (the keyframe always
`HISTORY_LIMIT` back, as `encode_chain` still writes) are the same layout and load the same.

Decoding trusts nothing: a save file is user-editable input, so every field is type-checked,
a history longer than any save holds is refused before any of it is decoded, and a problem
raises `DecodeError` naming the entry and the field, never a KeyError.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from itertools import pairwise
from typing import Any

from game.engine.counts import SMALL, Counts
from game.engine.dice import OLD_SAVE_SEED, SEED_LIMIT, valid_seed
from game.engine.state import HISTORY_LIMIT, GameState
from game.story.calls import MAX_DEPTH

__all__ = ["HISTORY_LIMIT", "MAX_ENTRIES", "MAX_GAP", "ChainEncoder", "DecodeError", "Steps",
           "decode_chain", "encode_chain", "entry_text"]

MAX_ENTRIES = 2 * HISTORY_LIMIT + 1
"""The most history entries a save holds (the keyframe and up to 2 * HISTORY_LIMIT after)."""


ENCODED = ("scene", "variables", "visits", "taken", "facts", "turn", "via", "seed", "stack")
"""The GameState fields a save holds (`previous` is the history itself; the fields starting
with `_` are bookkeeping). A new field is written in three places side by side: `_full`
(the whole state), `_delta` (what a choice changed: skip it by identity when shared) and
`_apply` (read it back, type-checked, with a default for saves written before it); then it
is listed here. tests/storage/test_storage_codec.py fails while a field is missing here."""


class DecodeError(ValueError):
    """The history in a save file is malformed; the message says where, and `index` which
    entry (None when it is the list as a whole)."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


def encode_chain(state: GameState, limit: int = HISTORY_LIMIT) -> list[dict[str, Any]]:
    """The state and at most `limit` earlier ones, oldest first, as JSON-ready dicts."""
    chain: list[GameState] = []
    for s in state.history():
        chain.append(s)
        if len(chain) > limit:
            break
    chain.reverse()
    return [_full(chain[0]), *(_delta(before, after) for before, after in pairwise(chain))]


def entry_text(entry: dict[str, Any]) -> str:
    """One history entry as it is written: one compact line of JSON."""
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


MAX_GAP = 16
"""The most states one save may move past the last one (`ChainEncoder.advance`): a background
writer that skipped a waiting autosave joins two or three choices, an undo after choices a
few more; anything further is encoded afresh."""

Steps = tuple[int, tuple[str, ...]]
"""How a save got from the last state encoded to this one: the states it stepped back, then
the `entry_text` lines of the states it went through after that, oldest first."""


class ChainEncoder:
    """The history of successive saves of a game, each choice's entry encoded once.

    `advance(state)` brings the encoding up to `state` and says how it got there; `lines()`
    then gives the entries for a save of it as `entry_text` lines, oldest first. When `state`
    is a few choices on from the last state given, a few steps back from it, or both (back
    to a common ancestor, then on), the lines are the last ones with those dropped and
    added; any other state (a loaded game, a new game) is encoded afresh, as `encode_chain`
    does. The autosave's journal (storage/journal.py) writes the same steps as one record.
    """

    def __init__(self, limit: int = HISTORY_LIMIT) -> None:
        self.limit = limit
        self._last: GameState | None = None
        self._lines: list[str] = []
        """The keyframe's line, then one line per state after it up to `_last`."""

    def lines(self, state: GameState) -> tuple[str, ...]:
        """The save of `state`: `advance(state)`, then every line."""
        self.advance(state)
        return tuple(self._lines)

    def advance(self, state: GameState) -> Steps | None:
        """Encode up to `state`; the steps from the last state given, or None when it was
        encoded afresh (the first state, or one not within MAX_GAP of the last)."""
        last = self._last
        steps = None if last is None else self._path(last, state)
        if steps is None:
            self._lines = [entry_text(entry) for entry in encode_chain(state, self.limit)]
            self._last = state
            return None
        back, forward = steps
        if back:
            del self._lines[len(self._lines) - back:]
        added = []
        for before, after in pairwise(forward):
            added.append(entry_text(_delta(before, after)))
            self._lines.append(added[-1])
            if len(self._lines) > 2 * self.limit + 1:
                self._move_keyframe(after)
        self._last = state
        return back, tuple(added)

    def _path(self, last: GameState, state: GameState) -> tuple[int, list[GameState]] | None:
        """How far back from `last` to the newest state both chains share, and the states
        from it to `state` (it first); None when none is within MAX_GAP or the lines do not
        reach back that far."""
        behind: dict[int, int] = {}
        older: GameState | None = last
        for depth in range(min(MAX_GAP, len(self._lines) - 1) + 1):
            if older is None:
                break
            behind[id(older)] = depth
            older = older.previous
        forward: list[GameState] = []
        newer: GameState | None = state
        while newer is not None and len(forward) <= MAX_GAP:
            forward.append(newer)
            back = behind.get(id(newer))
            if back is not None:
                forward.reverse()
                return back, forward
            newer = newer.previous
        return None

    def _move_keyframe(self, state: GameState) -> None:
        """Write the state `limit` choices back in full and drop the lines before it."""
        keyframe = state
        steps = 0
        while steps < self.limit and keyframe.previous is not None:
            keyframe = keyframe.previous
            steps += 1
        self._lines = [entry_text(_full(keyframe)), *self._lines[len(self._lines) - steps:]]


def decode_chain(entries: object, limit: int = HISTORY_LIMIT,
                 most: int | None = None) -> GameState:
    """Rebuild the newest state with its `previous` links, at most `limit` of them; any
    malformed entry, or more than `most` of them (`2 * limit + 1` unless given: the most a
    save file holds; a save with its journal may hold more), raises DecodeError."""
    if not isinstance(entries, list) or not entries:
        raise DecodeError("'history' must be a non-empty list of states")
    most = 2 * limit + 1 if most is None else most
    if len(entries) > most:
        raise DecodeError(f"'history' has {len(entries)} entries; a save holds at most "
                          f"{most}")
    first_kept = len(entries) - 1 - limit
    state: GameState | None = None
    for index, entry in enumerate(entries):
        where = f"history entry {index + 1}"
        if not isinstance(entry, dict):
            raise DecodeError(f"{where} is not an object", index)
        try:
            state = _apply(entry, state, where, index > first_kept)
        except DecodeError as exc:
            raise DecodeError(str(exc), index) from None
    assert state is not None
    return state


def _full(state: GameState) -> dict[str, Any]:
    visits = state.visits
    return {
        "scene": state.scene,
        "turn": state.turn,
        "via": state.via,
        "variables": dict(state.variables),
        "visits": visits.sorted_dict() if isinstance(visits, Counts) else dict(visits),
        "taken": sorted(state.taken),
        "facts": list(state.facts),
        "seed": state.seed,
        **({"stack": list(state.stack)} if state.stack else {}),  # (format v2's calls)
    }


def _delta(before: GameState, after: GameState) -> dict[str, Any]:
    """What `after` changed; shared parts are skipped by identity, so this costs what the
    choice changed (comparing whole maps only for those a front end made by hand)."""
    out: dict[str, Any] = {"scene": after.scene, "turn": after.turn, "via": after.via}
    if after.seed != before.seed:  # a game keeps its seed: only a hand-made chain changes it
        out["seed"] = after.seed
    if after.variables is not before.variables:
        _mapping_delta(out, "variables", before.variables, after.variables)
    if after.visits is not before.visits:
        if isinstance(after.visits, Counts) and isinstance(before.visits, Counts):
            added = after.visits.changed_since(before.visits)
            if added is None:
                out["visits"] = after.visits.as_dict()
            elif added:
                out["visits+"] = added
        else:
            _mapping_delta(out, "visits", before.visits, after.visits)
    if after.taken is not before.taken and after.taken != before.taken:
        if after.taken > before.taken:
            out["taken+"] = sorted(after.taken - before.taken)
        else:
            out["taken"] = sorted(after.taken)
    if after.facts is not before.facts and after.facts != before.facts:
        if after.facts[:len(before.facts)] == before.facts:
            out["facts+"] = list(after.facts[len(before.facts):])
        else:
            out["facts"] = list(after.facts)
    if after.stack != before.stack:
        out["stack"] = list(after.stack)
    return out


def _mapping_delta(out: dict[str, Any], key: str, before: Mapping[str, Any],
                   after: Mapping[str, Any]) -> None:
    if after == before and _same_types(before, after):
        return
    if before.keys() <= after.keys():
        out[key + "+"] = {k: v for k, v in after.items()
                          if k not in before or before[k] != v or type(before[k]) is not type(v)}
    else:
        out[key] = dict(after)


def _same_types(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """1 == 1.0 == True in Python, but a save must give back exactly the type it was given."""
    return all(type(v) is type(b[k]) for k, v in a.items())


def _apply(entry: dict[str, Any], before: GameState | None, where: str,
           linked: bool) -> GameState:
    """The state `entry` describes on top of `before`; `linked`: its `previous` is `before`."""
    scene = entry.get("scene")
    if not isinstance(scene, str) or not scene:
        raise DecodeError(f"{where}: 'scene' must be a scene id")
    turn = entry.get("turn", 0)
    if not _is_int(turn) or turn < 0:
        raise DecodeError(f"{where}: 'turn' must be a whole number of at least 0")
    via = entry.get("via")
    if via is not None and not isinstance(via, str):
        raise DecodeError(f"{where}: 'via' must be a choice id or null")
    if before is None:
        missing = [k for k in ("variables", "visits", "taken", "facts") if k not in entry]
        if missing:
            raise DecodeError(f"{where}: missing {', '.join(repr(k) for k in missing)}")
        base = GameState(scene, {}, {}, frozenset(), (), seed=OLD_SAVE_SEED)
    else:
        base = before
    seed = entry.get("seed", base.seed)  # saves from before seeds: OLD_SAVE_SEED
    if not valid_seed(seed):
        raise DecodeError(f"{where}: 'seed' must be a whole number from 0 to "
                          f"{SEED_LIMIT - 1}")
    variables = _mapping(entry, "variables", base.variables, _check_value, where, _as_value)
    visits = _mapping(entry, "visits", base.visits, _check_count, where)
    if len(visits) >= SMALL and visits is not base.visits and not isinstance(visits, Counts):
        visits = Counts(visits)
    taken = base.taken
    if "taken" in entry:
        taken = frozenset(_strings(entry["taken"], "taken", where))
    elif "taken+" in entry:
        taken = taken | frozenset(_strings(entry["taken+"], "taken+", where))
    facts = base.facts
    if "facts" in entry:
        facts = tuple(_strings(entry["facts"], "facts", where))
    elif "facts+" in entry:
        facts = facts + tuple(_strings(entry["facts+"], "facts+", where))
    stack = base.stack
    if "stack" in entry:  # a save written before calls has none: the stack is empty
        stack = tuple(_strings(entry["stack"], "stack", where))
        if len(stack) > MAX_DEPTH:
            raise DecodeError(f"{where}: 'stack' holds {len(stack)} calls; calls nest at "
                              f"most {MAX_DEPTH} deep")
    return GameState(scene, variables, visits, taken, facts, turn, via,
                     before if linked else None, seed, stack)


def _mapping(entry: dict[str, Any], key: str, base: Mapping[str, Any],
             check: Callable[[object], bool], where: str,
             convert: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
             ) -> Mapping[str, Any]:
    """The mapping field `key` after `entry`: given in full, added to, or as before;
    `convert` turns checked JSON values into the state's (a list into a tuple)."""
    if key in entry:
        raw, label = entry[key], key
    elif key + "+" in entry:
        raw, label = entry[key + "+"], key + "+"
    else:
        return base
    if not isinstance(raw, dict):
        raise DecodeError(f"{where}: '{label}' must be an object")
    for name, value in raw.items():
        if not name:
            raise DecodeError(f"{where}: '{label}' has an empty name")
        if not check(value):
            raise DecodeError(f"{where}: '{label}' has a bad value for '{name}': {value!r}")
    if convert is not None:
        raw = convert(raw)
    if label == key:
        return dict(raw)
    if isinstance(base, Counts):
        return base.updated(raw)
    return {**base, **raw}


_SCALARS = (bool, int, float, str)


def _check_value(value: object) -> bool:
    """A scalar, or a list variable's names: a JSON array of distinct strings (which are
    still the list's items, and in its order, is for `migrate` to see, which knows the
    story; an old save simply has no arrays)."""
    if isinstance(value, _SCALARS):
        return True
    return (isinstance(value, list) and all(isinstance(x, str) and x for x in value)
            and len(set(value)) == len(value))


def _as_value(raw: dict[str, Any]) -> dict[str, Any]:
    """JSON arrays as the tuples a `GameState` holds (`game.story.model.Names`)."""
    if not any(type(v) is list for v in raw.values()):
        return raw
    return {k: tuple(v) if type(v) is list else v for k, v in raw.items()}


def _check_count(value: object) -> bool:
    return _is_int(value) and value >= 0  # type: ignore[operator]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _strings(raw: object, label: str, where: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(x, str) and x for x in raw):
        raise DecodeError(f"{where}: '{label}' must be a list of ids")
    return raw
