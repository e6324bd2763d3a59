"""GameState <-> plain JSON data, by ids only (never list positions), so edits don't shift saves."""

from __future__ import annotations

from typing import Any

from game.engine.state import GameState

HISTORY_LIMIT = 200
"""How many earlier states a save keeps for `back`; older undo steps are dropped."""


def state_to_data(state: GameState) -> dict[str, Any]:
    return {
        "scene": state.scene,
        "variables": dict(state.variables),
        "visits": dict(state.visits),
        "taken": sorted(state.taken),
        "facts": list(state.facts),
        "turn": state.turn,
        "via": state.via,
    }


def state_from_data(data: dict[str, Any], previous: GameState | None = None) -> GameState:
    return GameState(
        scene=str(data["scene"]),
        variables=dict(data["variables"]),
        visits={str(k): int(v) for k, v in data["visits"].items()},
        taken=frozenset(str(t) for t in data["taken"]),
        facts=tuple(str(f) for f in data["facts"]),
        turn=int(data.get("turn", 0)),
        via=data.get("via"),
        previous=previous,
    )


def chain_to_data(state: GameState, limit: int = HISTORY_LIMIT) -> list[dict[str, Any]]:
    """The state and its undo history, oldest first."""
    chain = []
    for i, s in enumerate(state.history()):
        if i > limit:
            break
        chain.append(state_to_data(s))
    chain.reverse()
    return chain


def chain_from_data(chain: list[dict[str, Any]]) -> GameState:
    state: GameState | None = None
    for data in chain:
        state = state_from_data(data, state)
    if state is None:
        raise ValueError("empty history")
    return state
