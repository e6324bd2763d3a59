"""The save codec gives back every field of every state in the history, exactly."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from storage_helpers import play

from game.engine import Engine, GameState
from game.engine.counts import Counts
from game.engine.dice import OLD_SAVE_SEED
from game.storage import codec
from game.storage.codec import HISTORY_LIMIT, ChainEncoder, DecodeError, decode_chain, encode_chain
from game.story.files import load_or_raise
from game.story.model import Story

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
import gen_story

ids = st.text(alphabet="abcdefghij_/", min_size=1, max_size=6)
values = st.one_of(st.booleans(), st.integers(-10**12, 10**12),
                   st.floats(allow_nan=False), st.text(max_size=8),
                   st.lists(ids, max_size=3, unique=True).map(tuple))  # a list's names
state_fields = st.fixed_dictionaries({
    "scene": ids,
    "variables": st.dictionaries(ids, values, max_size=5),
    "visits": st.dictionaries(ids, st.integers(0, 1000), max_size=5),
    "taken": st.frozensets(ids, max_size=4),
    "facts": st.lists(ids, max_size=4, unique=True).map(tuple),
    "turn": st.integers(0, 10**6),
    "via": st.none() | ids,
    "seed": st.integers(0, 2**32 - 1),
    "stack": st.lists(ids, max_size=16).map(tuple),
})


def build(chain: list[dict[str, Any]]) -> GameState:
    state: GameState | None = None
    for f in chain:
        state = GameState(f["scene"], f["variables"], f["visits"], f["taken"], f["facts"],
                          f["turn"], f["via"], state, f["seed"], f["stack"])
    assert state is not None
    return state


def exact(state: GameState) -> list[tuple[object, ...]]:
    """Every field of every state in the chain, with value types (True is not 1, 1 not 1.0)."""
    return [(s.scene, sorted((k, type(v).__name__, v) for k, v in s.variables.items()),
             sorted((k, type(v).__name__, v) for k, v in s.visits.items()),
             sorted(s.taken), s.facts, s.turn, s.via, s.seed, s.stack) for s in state.history()]


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
    assert set(encoded[0]) == {"scene", "turn", "via", "variables", "visits", "taken", "facts",
                               "seed"}
    # later entries hold only what changed: the breath adds courage and takes a once-only choice
    assert encoded[1] == {"scene": "lobby", "turn": 1, "via": "take_a_deep_breath",
                          "variables+": {"courage": 1}, "visits+": {"lobby": 2},
                          "taken+": ["lobby/take_a_deep_breath"]}
    assert encoded[2]["facts+"] == ["sam_secret"]


def test_the_seed_is_written_once_and_kept_by_every_entry() -> None:
    first = GameState("a", {}, {"a": 1}, frozenset(), (), seed=77)
    second = GameState("b", {}, {"a": 1, "b": 1}, frozenset(), (), 1, "c", first, 77)
    encoded = encode_chain(second)
    assert encoded[0]["seed"] == 77
    assert "seed" not in encoded[1]  # a game keeps its seed: no entry repeats it
    decoded = through_json(second)
    assert [s.seed for s in decoded.history()] == [77, 77]


def test_a_save_without_a_seed_loads_with_the_fixed_old_save_seed() -> None:
    """Every save written before seeds existed (v1 and older) loads, always to the same game."""
    entries = [{"scene": "a", "turn": 0, "via": None, "variables": {"x": 1}, "visits": {"a": 1},
                "taken": [], "facts": []},
               {"scene": "b", "turn": 1, "via": "go", "visits+": {"b": 1}}]
    state = decode_chain(entries)
    assert [s.seed for s in state.history()] == [OLD_SAVE_SEED, OLD_SAVE_SEED]
    assert decode_chain(entries) == state


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, True, "7", None])
def test_a_bad_seed_is_refused_by_name(seed: object) -> None:
    entry = {"scene": "a", "variables": {}, "visits": {}, "taken": [], "facts": [], "seed": seed}
    with pytest.raises(DecodeError, match="history entry 1: 'seed' must be a whole number"):
        decode_chain([entry])


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


# -- long games: an autosave encodes one choice, and the file and the chain stay bounded -------

MAX_LINES_10 = 2 * 10 + 1
"""The most lines a save with a history limit of 10 holds."""


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> Story:
    """A ring of 300 scenes (benchmarks/gen_story.py --loop): a game that never has to end."""
    folder = tmp_path_factory.mktemp("loop")
    gen_story.generate_loop(folder, scenes=300)
    return load_or_raise(folder)


def parsed(lines: tuple[str, ...]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in lines]


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every entry the codec encodes from now on, by its kind: 'full' or 'delta'."""
    seen: list[str] = []
    real = codec.entry_text

    def entry_text(entry: dict[str, Any]) -> str:
        seen.append("full" if "taken" in entry and "facts" in entry else "delta")
        return real(entry)

    monkeypatch.setattr(codec, "entry_text", entry_text)
    return seen


def test_each_autosave_encodes_only_the_choice_just_made(loop: Story,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine(loop, history=10)
    encoder = ChainEncoder(limit=10)
    state = engine.start()
    encoder.lines(state)
    seen = counting(monkeypatch)
    for turn in range(1, 501):
        state = engine.take(state, engine.choices(state)[0])
        before = len(seen)
        lines = encoder.lines(state)
        new = seen[before:]
        # one delta per save; the keyframe moves (one full entry) once per 11 saves
        assert new in (["delta"], ["delta", "full"]), (turn, new)
        assert len(lines) <= MAX_LINES_10
    assert seen.count("full") == (500 - 21) // 11 + 1  # at turn 21, then every 11 turns
    decoded = decode_chain(parsed(lines), limit=10)
    assert exact(decoded) == exact(state)  # exactly the chain the game holds in memory
    assert encoder.lines(state) == lines  # the same state again: nothing new is encoded
    assert len(seen) == 500 + seen.count("full")


def test_the_keyframe_moves_half_the_history_back(loop: Story) -> None:
    engine = Engine(loop, history=10)
    encoder = ChainEncoder(limit=10)
    state = engine.start()
    sizes = []
    for _ in range(60):
        state = engine.take(state, engine.choices(state)[0])
        lines = encoder.lines(state)
        sizes.append(len(lines))
        assert parsed(lines)[0]["turn"] == state.turn - len(lines) + 1
    # 21 entries at most; then the keyframe moves 10 back, and the file grows again from 11
    assert sizes[:20] == list(range(2, 22))
    assert sizes[20:31] == list(range(11, 22)) and sizes[31] == 11


ops = st.lists(st.one_of(st.integers(0, 2).map(lambda i: ("choose", i)),
                         st.just(("back", 0)), st.just(("reload", 0)), st.just(("same", 0))),
               max_size=80)


class Ring:
    """The loop story for a property test (whose failure report shows this short repr)."""

    def __init__(self, story: Story) -> None:
        self.story = story

    def __repr__(self) -> str:
        return f"Ring({len(self.story.scenes)} scenes)"


@pytest.fixture(scope="module")
def ring(loop: Story) -> Ring:
    return Ring(loop)


@settings(max_examples=150, deadline=None)
@given(ops)
def test_successive_saves_of_any_game_decode_to_the_game_it_played(
        ring: Ring, moves: list[tuple[str, int]]) -> None:
    """Choices, undo, a reload from the save or the same state saved again, in any order:
    every save decodes to the states the game went through, at least as far back as the game
    in memory still reaches and at most `limit` back, and never holds too many entries."""
    engine = Engine(ring.story, history=3)
    encoder = ChainEncoder(limit=3)
    state = engine.start()
    path = [exact(state)[0]]  # what the game went through, newest last
    for op, pick in moves:
        if op == "choose":
            options = engine.choices(state)
            if options:
                state = engine.take(state, options[pick % len(options)])
                path.append(exact(state)[0])
        elif op == "back" and state.previous is not None:
            state = state.previous
            path.pop()
        elif op == "reload":
            state = decode_chain(parsed(encoder.lines(state)), limit=3)
        lines = encoder.lines(state)
        assert len(lines) <= 2 * 3 + 1
        decoded = exact(decode_chain(parsed(lines), limit=3))
        assert decoded == path[::-1][:len(decoded)]
        assert len(exact(state)) <= len(decoded) <= 4


@settings(max_examples=150, deadline=None)
@given(st.lists(state_fields, min_size=1, max_size=12))
def test_an_encoder_fed_any_chain_state_by_state_round_trips(chain: list[dict[str, Any]]) -> None:
    """States a front end builds by hand, with any values: the encoder's lines match
    encode_chain's meaning, entry for entry, at each step of the way."""
    encoder = ChainEncoder(limit=4)
    state: GameState | None = None
    for f in chain:
        visits = Counts(f["visits"]) if len(f["visits"]) % 2 else f["visits"]
        state = GameState(f["scene"], f["variables"], visits, f["taken"], f["facts"],
                          f["turn"], f["via"], state)
        decoded = decode_chain(parsed(encoder.lines(state)), limit=4)
        assert exact(decoded) == exact(state)[:len(exact(decoded))]
        assert len(exact(decoded)) == min(len(exact(state)), 5)


def test_a_history_longer_than_any_save_is_refused_before_decoding() -> None:
    entry = {"scene": "a", "variables": {}, "visits": {}, "taken": [], "facts": []}
    huge = [entry, *([{"scene": "a", "visits+": {"a": 1}}] * 10**6)]
    with pytest.raises(DecodeError, match="has 1000001 entries; a save holds at most 401"):
        decode_chain(huge)
    longest = [entry, *({"scene": "a", "turn": t, "visits+": {"a": t}} for t in range(1, 401))]
    state = decode_chain(longest)
    chain = list(state.history())
    assert len(chain) == HISTORY_LIMIT + 1 and chain[-1].previous is None
    assert [s.turn for s in chain] == list(range(400, 400 - HISTORY_LIMIT - 1, -1))
    assert dict(state.visits) == {"a": 400}


def test_a_save_of_many_scenes_decodes_to_counts_that_play_on(loop: Story) -> None:
    engine = Engine(loop)
    state = engine.start()
    for _ in range(299):
        state = engine.take(state, engine.choices(state)[0])
    decoded = decode_chain(json.loads(json.dumps(encode_chain(state))))
    assert isinstance(decoded.visits, Counts) and decoded.visits == state.visits
    assert exact(decoded) == exact(state)
    moved = engine.take(decoded, engine.choices(decoded)[0])
    assert moved.visits[loop.start] == 2


def test_every_field_of_the_game_state_is_in_the_save() -> None:
    """A field added to GameState must be added to the codec (see codec.ENCODED): a save that
    left it out would load a different game."""
    from dataclasses import fields

    held = {f.name for f in fields(GameState)} - {"previous"}
    assert {name for name in held if not name.startswith("_")} == set(codec.ENCODED)
