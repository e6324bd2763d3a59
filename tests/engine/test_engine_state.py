"""A game state that costs what a choice changes, and an undo chain kept to HISTORY_LIMIT.

Untimed: these hold the structure that makes long games cheap (what is shared, what is
copied, how many states stay alive); benchmarks/run.py --only long-game times it.
"""

from __future__ import annotations

import gc
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import Engine, GameState
from game.engine.counts import SMALL, Counts
from game.engine.migrate import migrate
from game.engine.state import HISTORY_LIMIT, new_state
from game.story.files import load_or_raise
from game.story.model import Story

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
import gen_story

EXAMPLE = Path(__file__).parents[2] / "docs" / "example"


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> Story:
    """A ring of 600 scenes: choice 1 walks on, so a game never ends and visits grow."""
    folder = tmp_path_factory.mktemp("loop")
    gen_story.generate_loop(folder, scenes=600)
    return load_or_raise(folder)


def walk(engine: Engine, state: GameState, choices: int) -> GameState:
    for _ in range(choices):
        state = engine.take(state, engine.choices(state)[0])
    return state


def live_states() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o) is GameState)


# -- Counts: a persistent map that behaves exactly like a dict ---------------------------------

keys = st.text(alphabet="abcdefgh_", min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, st.integers(0, 50), max_size=40),
       st.lists(st.one_of(keys.map(lambda k: ("bump", k, 0)),
                          st.tuples(st.just("set"), keys, st.integers(0, 50))), max_size=60))
def test_counts_behave_like_a_dict_and_old_versions_never_change(
        start: dict[str, int], ops: list[tuple[str, str, int]]) -> None:
    versions = [(Counts(start), dict(start))]
    for op, key, value in ops:
        counts, model = versions[-1]
        model = dict(model)
        if op == "bump":
            model[key] = model.get(key, 0) + 1
            counts = counts.bumped(key)
        else:
            model[key] = value
            counts = counts.updated({key: value})
        versions.append((counts, model))
    for counts, model in versions:  # every version, the old ones included
        assert counts == model and model == counts and counts.as_dict() == model
        assert len(counts) == len(model) and set(counts) == set(model)
        assert sorted(counts.items()) == sorted(model.items())
        assert list(counts.sorted_dict().items()) == sorted(model.items())
        for key in "abcdefgh":
            assert counts.get(key, 0) == model.get(key, 0)
            assert (key in counts) == (key in model)
    for (older, old_model), (newer, new_model) in pairwise(versions):
        changed = newer.changed_since(older)
        assert changed == {k: v for k, v in new_model.items() if old_model.get(k) != v}


def test_counts_say_when_a_key_went_missing() -> None:
    assert Counts({"a": 1}).changed_since(Counts({"a": 1, "b": 2})) is None
    assert Counts({"a": 1}) != Counts({"a": 2}) and Counts() == {}
    with pytest.raises(KeyError):
        Counts({"a": 1})["b"]


def test_a_new_version_shares_all_but_one_leaf() -> None:
    counts = Counts({f"scene_{i}": 1 for i in range(5000)})
    newer = counts.bumped("scene_7")
    shared = sum(1 for a, b in zip(counts._root, newer._root, strict=True) if a is b)
    assert shared == 31  # one branch of 32 is new, and in it only one leaf
    assert newer.changed_since(counts) == {"scene_7": 2}


# -- GameState: what a choice changes ----------------------------------------------------------

def test_a_choice_changes_only_what_it_changes(loop: Story) -> None:
    engine = Engine(loop)
    before = walk(engine, engine.start(), 2 * SMALL)
    after = engine.take(before, engine.choices(before)[0])
    assert isinstance(before.visits, Counts) and isinstance(after.visits, Counts)
    assert after.visits.changed_since(before.visits) == {after.scene: 1}
    assert after.taken is before.taken and after.facts is before.facts
    assert {k: v for k, v in after.variables.items() if before.variables[k] != v} == {
        "steps": before.variables["steps"] + 1}
    # a choice without effects into a scene without any shares the variables themselves
    story = load_or_raise(EXAMPLE)
    lobby = Engine(story).start()
    kitchen = Engine(story).choose(lobby, "walk_into_the_kitchen")
    desk = Engine(story).choose(kitchen, "go_to_your_desk")
    assert desk.variables is kitchen.variables and desk.taken is kitchen.taken


def test_visits_stay_a_plain_dict_while_small(loop: Story) -> None:
    engine = Engine(loop)
    small = walk(engine, engine.start(), SMALL - 2)
    assert type(small.visits) is dict and len(small.visits) == SMALL - 1
    big = walk(engine, small, 2)
    assert type(big.visits) is Counts and len(big.visits) == SMALL + 1


def test_back_restores_exactly_whatever_the_visits_are(loop: Story) -> None:
    engine = Engine(loop, history=None)
    states = [engine.start()]
    for _ in range(SMALL + 40):
        states.append(engine.take(states[-1], engine.choices(states[-1])[0]))
    snapshots = [(s.scene, dict(s.variables), dict(s.visits), s.taken, s.facts, s.turn, s.via)
                 for s in states]
    state = states[-1]
    for expected in reversed(snapshots[:-1]):
        back = engine.back(state)
        assert back is not None
        assert (back.scene, dict(back.variables), dict(back.visits), back.taken, back.facts,
                back.turn, back.via) == expected
        state = back


def test_equality_and_key_ignore_how_the_visits_are_held() -> None:
    visits = {f"s{i}": i + 1 for i in range(300)}
    as_dict = GameState("s1", {"x": 1}, visits, frozenset({"a/b"}), ("f",), 3, "c")
    as_counts = GameState("s1", {"x": 1}, Counts(visits), frozenset({"a/b"}), ("f",), 3, "c")
    assert as_dict == as_counts and as_counts == as_dict
    assert as_dict.key() == as_counts.key() and hash(as_dict.key()) == hash(as_counts.key())
    other = GameState("s1", {"x": 1}, Counts(visits).bumped("s1"), frozenset({"a/b"}), ("f",),
                      3, "c")
    assert other != as_counts and other.key() != as_counts.key()
    assert GameState("a", {}, {}, frozenset(), (), previous=as_dict) == GameState(
        "a", {}, {}, frozenset(), ())  # history is not part of the value


# -- the undo chain ----------------------------------------------------------------------------

def test_the_undo_chain_is_kept_to_the_history_limit(loop: Story) -> None:
    engine = Engine(loop)
    state = walk(engine, engine.start(), HISTORY_LIMIT - 1)
    assert len(list(state.history())) == HISTORY_LIMIT  # not yet at the limit: all of it
    state = walk(engine, state, 1000)
    chain = list(state.history())
    assert len(chain) == HISTORY_LIMIT + 1
    assert [s.turn for s in chain] == list(range(state.turn, state.turn - HISTORY_LIMIT - 1, -1))
    assert chain[-1].previous is None


def test_states_beyond_the_limit_are_let_go(loop: Story) -> None:
    engine = Engine(loop, history=10)
    before = live_states()
    state = walk(engine, engine.start(), 1500)
    assert live_states() - before <= 10 + 2  # the chain, and at most a state in passing
    assert len(list(state.history())) == 11


def test_without_a_limit_everything_is_kept(loop: Story) -> None:
    state = walk(Engine(loop, history=None), Engine(loop).start(), 700)
    assert len(list(state.history())) == 701


def test_after_going_back_undo_reaches_as_far_as_a_save_would(loop: Story) -> None:
    """Back 3 from a full chain, then a choice: 3 undo steps fewer, as after loading a save."""
    engine = Engine(loop, history=10)
    state = walk(engine, engine.start(), 50)
    for _ in range(3):
        back = engine.back(state)
        assert back is not None
        state = back
    assert len(list(state.history())) == 8
    branch = engine.take(state, engine.choices(state)[1])  # another way: the ending
    assert len(list(branch.history())) == 9
    again = walk(engine, state, 30)  # the walk goes on, and the chain fills up again
    assert len(list(again.history())) == 11


def test_a_long_chain_built_by_hand_is_trimmed_at_the_first_choice(loop: Story) -> None:
    engine = Engine(loop, history=5)
    state = GameState(loop.start, loop.defaults(), {loop.start: 1}, frozenset(), ())
    for turn in range(1, 30):
        state = GameState(loop.start, state.variables, state.visits, frozenset(), (), turn,
                          "x", state)
    assert len(list(state.history())) == 30
    moved = engine.take(state, engine.choices(state)[0])
    assert len(list(moved.history())) == 6


def test_new_state_makes_the_same_value_as_the_class() -> None:
    first = GameState("a", {"x": 1}, {"a": 1}, frozenset(), ())
    made = new_state("b", {"x": 2}, {"a": 1, "b": 1}, frozenset({"a/c"}), ("f",), 1, "c",
                     first, 3)
    assert made == GameState("b", {"x": 2}, {"a": 1, "b": 1}, frozenset({"a/c"}), ("f",), 1,
                             "c", first)
    assert made.previous is first and first.previous is None
    assert new_state("a", {}, {}, frozenset(), (), 0, None, None, 3).previous is None
    assert type(made) is GameState and hash(made.key()) == hash(made.key())
    with pytest.raises(AttributeError):
        made.turn = 5  # type: ignore[misc]  # frozen, though made from a draft
    seeded = new_state("b", {}, {}, frozenset(), (), 2, "c", made, None, 7, ("r",))
    assert seeded == GameState("b", {}, {}, frozenset(), (), 2, "c", made, 7, ("r",))


def test_a_history_limit_below_one_is_refused(loop: Story) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Engine(loop, history=0)


# -- a long game fitted to an edited story (migrate checks only what each state changed) --------

def test_a_long_game_fits_a_story_with_a_visited_scene_cut(loop: Story, tmp_path: Path) -> None:
    engine = Engine(loop)
    state = walk(engine, engine.start(), 450)  # past SMALL scenes: the visits are a Counts
    assert isinstance(state.visits, Counts) and state.visits["stop_400"] == 1
    text = Path(loop.files[0]).read_text()
    start = text.index("  stop_400:\n")
    end = text.index("  stop_401:\n")
    edited_text = (text[:start] + text[end:]).replace("goto: stop_400\n", "goto: stop_401\n")
    (tmp_path / "loop.yaml").write_text(edited_text)
    edited = load_or_raise(tmp_path)
    migration = migrate(state, edited)
    assert migration.state is not None
    chain = list(migration.state.history())
    assert len(chain) == len(list(state.history())) - 1  # the undo step at stop_400 is skipped
    assert "1 undo step dropped" in migration.summary
    assert all("stop_400" not in s.visits for s in chain)
    assert dict(chain[0].visits) == {k: v for k, v in state.visits.items() if k != "stop_400"}
    unchanged = migrate(state, loop)
    assert unchanged.state is state and unchanged.summary == ""
