"""The save codec gives back every field of every state in the history, exactly."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from storage_helpers import play

from game.engine import Engine, GameState
from game.storage.codec import DecodeError, decode_chain, encode_chain
from game.story.model import Story

ids = st.text(alphabet="abcdefghij_/", min_size=1, max_size=6)
values = st.one_of(st.booleans(), st.integers(-10**12, 10**12),
                   st.floats(allow_nan=False), st.text(max_size=8))
state_fields = st.fixed_dictionaries({
    "scene": ids,
    "variables": st.dictionaries(ids, values, max_size=5),
    "visits": st.dictionaries(ids, st.integers(0, 1000), max_size=5),
    "taken": st.frozensets(ids, max_size=4),
    "facts": st.lists(ids, max_size=4, unique=True).map(tuple),
    "turn": st.integers(0, 10**6),
    "via": st.none() | ids,
})


def build(chain: list[dict[str, Any]]) -> GameState:
    state: GameState | None = None
    for f in chain:
        state = GameState(f["scene"], f["variables"], f["visits"], f["taken"], f["facts"],
                          f["turn"], f["via"], state)
    assert state is not None
    return state


def exact(state: GameState) -> list[tuple[object, ...]]:
    """Every field of every state in the chain, with value types (True is not 1, 1 not 1.0)."""
    return [(s.scene, sorted((k, type(v).__name__, v) for k, v in s.variables.items()),
             sorted((k, type(v).__name__, v) for k, v in s.visits.items()),
             sorted(s.taken), s.facts, s.turn, s.via) for s in state.history()]


def through_json(state: GameState, limit: int = 1000) -> GameState:
    return decode_chain(json.loads(json.dumps(encode_chain(state, limit))))


@settings(max_examples=300, deadline=None)
@given(st.lists(state_fields, min_size=1, max_size=8))
def test_any_chain_round_trips_exactly(chain: list[dict[str, Any]]) -> None:
    state = build(chain)
    assert exact(through_json(state)) == exact(state)


def test_a_real_game_round_trips_with_small_deltas(story: Story) -> None:
    state = play(story, "take_a_deep_breath", "hello", "continue", "have_lunch_with_sam")
    assert exact(through_json(state)) == exact(state)
    encoded = encode_chain(state)
    assert set(encoded[0]) == {"scene", "turn", "via", "variables", "visits", "taken", "facts"}
    # later entries hold only what changed: the breath adds courage and takes a once-only choice
    assert encoded[1] == {"scene": "lobby", "turn": 1, "via": "take_a_deep_breath",
                          "variables+": {"courage": 1}, "visits+": {"lobby": 2},
                          "taken+": ["lobby/take_a_deep_breath"]}
    assert encoded[2]["facts+"] == ["sam_secret"]


def test_shrinking_collections_are_written_in_full() -> None:
    first = GameState("a", {"x": 1, "y": 2}, {"a": 3}, frozenset({"a/c", "a/d"}), ("f", "g"))
    second = GameState("b", {"x": 1}, {}, frozenset({"a/c"}), ("g",), 1, "c", first)
    entry = encode_chain(second)[1]
    assert entry["variables"] == {"x": 1}
    assert entry["visits"] == {}
    assert entry["taken"] == ["a/c"]
    assert entry["facts"] == ["g"]
    assert exact(through_json(second)) == exact(second)


def test_a_change_of_type_alone_is_kept() -> None:
    first = GameState("a", {"x": 1}, {}, frozenset(), ())
    second = GameState("a", {"x": 1.0}, {}, frozenset(), (), 1, None, first)
    third = GameState("a", {"x": True}, {}, frozenset(), (), 2, None, second)
    assert exact(through_json(third)) == exact(third)


def test_history_is_bounded_and_keeps_the_newest(story: Story) -> None:
    state = play(story)
    for _ in range(30):
        state = play_again(story, state)
    decoded = through_json(state, limit=10)
    history = list(decoded.history())
    assert len(history) == 11  # the state itself and 10 undo steps
    assert exact(decoded)[:11] == exact(state)[:11]
    assert history[-1].previous is None


def play_again(story: Story, state: GameState) -> GameState:
    engine = Engine(story)
    return engine.choose(engine.choose(state, "walk_into_the_kitchen"), "back_to_the_lobby")


@pytest.mark.parametrize(("history", "message"), [
    ({}, "'history' must be a non-empty list"),
    ([], "'history' must be a non-empty list"),
    ([1], "history entry 1 is not an object"),
    ([{"scene": "a"}], "history entry 1: missing 'variables', 'visits', 'taken', 'facts'"),
    ([{"scene": 3, "variables": {}, "visits": {}, "taken": [], "facts": []}],
     "history entry 1: 'scene' must be a scene id"),
    ([{"scene": "a", "variables": {"x": None}, "visits": {}, "taken": [], "facts": []}],
     "history entry 1: 'variables' has a bad value for 'x': None"),
    ([{"scene": "a", "variables": {"x": [1]}, "visits": {}, "taken": [], "facts": []}],
     "'variables' has a bad value for 'x': [1]"),
    ([{"scene": "a", "variables": {}, "visits": {"a": -1}, "taken": [], "facts": []}],
     "'visits' has a bad value for 'a': -1"),
    ([{"scene": "a", "variables": {}, "visits": {"a": True}, "taken": [], "facts": []}],
     "'visits' has a bad value for 'a': True"),
    ([{"scene": "a", "variables": {}, "visits": {}, "taken": "x", "facts": []}],
     "'taken' must be a list of ids"),
    ([{"scene": "a", "variables": {}, "visits": {}, "taken": [], "facts": [1]}],
     "'facts' must be a list of ids"),
    ([{"scene": "a", "variables": {}, "visits": {}, "taken": [], "facts": [], "turn": -2}],
     "'turn' must be a whole number"),
    ([{"scene": "a", "variables": {}, "visits": {}, "taken": [], "facts": [], "via": 5}],
     "'via' must be a choice id or null"),
    ([{"scene": "a", "variables": {}, "visits": {}, "taken": [], "facts": []},
      {"scene": "b", "variables+": [1]}],
     "history entry 2: 'variables+' must be an object"),
])
def test_malformed_history_names_the_entry_and_field(history: object, message: str) -> None:
    with pytest.raises(DecodeError) as caught:
        decode_chain(history)
    assert message in str(caught.value)
