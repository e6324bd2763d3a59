"""GameState chains <-> plain JSON data, by ids only (never list positions).

A save holds the current state and up to `HISTORY_LIMIT` earlier ones so that `back` still
works after a load. Consecutive states differ by a choice's worth of changes, so after the
oldest state (written in full) each entry records only what differs from the entry before
it: fields that did not change are left out, growing collections are written as what was
added (`facts+`, `taken+`, `variables+`, `visits+`), and anything else is written in full.
That keeps an autosave of a long game to a few kilobytes (and its fsync quick) while still
reproducing every state exactly, whatever a front end puts in it.

Decoding trusts nothing: a save file is user-editable input, so every field is type-checked
and a problem raises `DecodeError` naming the entry and the field, never a KeyError.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import pairwise
from typing import Any

from game.engine.state import GameState
from game.story.model import Value

HISTORY_LIMIT = 200
"""How many earlier states a save keeps for `back`; older undo steps are dropped."""


class DecodeError(ValueError):
    """The history in a save file is malformed; the message says where."""


def encode_chain(state: GameState, limit: int = HISTORY_LIMIT) -> list[dict[str, Any]]:
    """The state and at most `limit` earlier ones, oldest first, as JSON-ready dicts."""
    chain: list[GameState] = []
    for s in state.history():
        chain.append(s)
        if len(chain) > limit:
            break
    chain.reverse()
    return [_full(chain[0]), *(_delta(before, after) for before, after in pairwise(chain))]


def decode_chain(entries: object) -> GameState:
    """Rebuild the newest state with its `previous` links; DecodeError on any malformed entry."""
    if not isinstance(entries, list) or not entries:
        raise DecodeError("'history' must be a non-empty list of states")
    state: GameState | None = None
    for index, entry in enumerate(entries):
        where = f"history entry {index + 1}"
        if not isinstance(entry, dict):
            raise DecodeError(f"{where} is not an object")
        state = _apply(entry, state, where)
    assert state is not None
    return state


def _full(state: GameState) -> dict[str, Any]:
    return {
        "scene": state.scene,
        "turn": state.turn,
        "via": state.via,
        "variables": dict(state.variables),
        "visits": dict(state.visits),
        "taken": sorted(state.taken),
        "facts": list(state.facts),
    }


def _delta(before: GameState, after: GameState) -> dict[str, Any]:
    out: dict[str, Any] = {"scene": after.scene, "turn": after.turn, "via": after.via}
    _mapping_delta(out, "variables", before.variables, after.variables)
    _mapping_delta(out, "visits", before.visits, after.visits)
    if after.taken != before.taken:
        if after.taken > before.taken:
            out["taken+"] = sorted(after.taken - before.taken)
        else:
            out["taken"] = sorted(after.taken)
    if after.facts != before.facts:
        if after.facts[:len(before.facts)] == before.facts:
            out["facts+"] = list(after.facts[len(before.facts):])
        else:
            out["facts"] = list(after.facts)
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


def _apply(entry: dict[str, Any], before: GameState | None, where: str) -> GameState:
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
        base = GameState(scene, {}, {}, frozenset(), ())
    else:
        base = before
    variables = _mapping(entry, "variables", base.variables, _check_value, where)
    visits = _mapping(entry, "visits", base.visits, _check_count, where)
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
    return GameState(scene, variables, visits, taken, facts, turn, via, before)


def _mapping(entry: dict[str, Any], key: str, base: Mapping[str, Any],
             check: Callable[[object], bool], where: str) -> Mapping[str, Any]:
    if key in entry:
        start: dict[str, Any] = {}
        raw = entry[key]
        label = key
    elif key + "+" in entry:
        start = dict(base)
        raw = entry[key + "+"]
        label = key + "+"
    else:
        return base
    if not isinstance(raw, dict):
        raise DecodeError(f"{where}: '{label}' must be an object")
    for name, value in raw.items():
        if not name:
            raise DecodeError(f"{where}: '{label}' has an empty name")
        if not check(value):
            raise DecodeError(f"{where}: '{label}' has a bad value for '{name}': {value!r}")
        start[name] = value
    return start


def _check_value(value: object) -> bool:
    return isinstance(value, Value)


def _check_count(value: object) -> bool:
    return _is_int(value) and value >= 0  # type: ignore[operator]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _strings(raw: object, label: str, where: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(x, str) and x for x in raw):
        raise DecodeError(f"{where}: '{label}' must be a list of ids")
    return raw
