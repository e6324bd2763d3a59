"""Saves written before issue 11's redesign of the game state still load, exactly.

The files in fixtures/ were written by the game at commit f4b140b (see make_v1_saves.py),
with the states that version decoded from them beside each; whatever the state and the codec
become, a player's old save must give back those same states, field for field and type for
type, and keep playing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from storage_helpers import EXAMPLE

from game.engine import Engine, GameState
from game.storage.savefile import decode
from game.storage.saves import SaveStore
from game.story.files import load_or_raise

FIXTURES = Path(__file__).parent / "fixtures"
FIRST_DAY_V1 = FIXTURES / "first_day_v1"
"""docs/example as it was when these saves were written (scene format v1, content hash
2cb44d9f...): the story each save names by its hash. docs/example itself has moved on to
format v2; what an old save does against it is the last test below."""


def exact(state: GameState) -> list[list[object]]:
    """The same listing make_v1_saves.py wrote, newest state first (JSON turns tuples to lists)."""
    return json.loads(json.dumps(
        [[s.scene, sorted([k, type(v).__name__, v] for k, v in s.variables.items()),
          sorted([k, type(v).__name__, v] for k, v in s.visits.items()),
          sorted(s.taken), list(s.facts), s.turn, s.via] for s in state.history()]))


def expected(name: str) -> list[list[object]]:
    listing: list[list[object]] = json.loads((FIXTURES / f"{name}.expected.json").read_text())
    return listing


@pytest.mark.parametrize("name", ["v1_short", "v1_long", "v1_edges"])
def test_an_old_save_decodes_to_exactly_the_states_it_held(name: str) -> None:
    doc = decode((FIXTURES / f"{name}.json").read_bytes(), "first-day")
    assert exact(doc.state) == expected(name)


@pytest.mark.parametrize("name", ["short", "long"])
def test_an_old_save_loads_from_its_slot_and_plays_on(tmp_path: Path, name: str) -> None:
    story = load_or_raise(FIRST_DAY_V1)
    store = SaveStore(tmp_path, story)
    shutil.copy(FIXTURES / f"v1_{name}.json", store.path(name))
    loaded = store.load(name)
    assert loaded.message is None  # same story, same hash: nothing to report
    assert exact(loaded.state) == expected(f"v1_{name}")
    engine = Engine(story)
    undone = engine.back(loaded.state)
    assert undone is not None and exact(undone) == expected(f"v1_{name}")[1:]
    moved = engine.take(loaded.state, engine.choices(loaded.state)[0])
    assert moved.turn == loaded.state.turn + 1 and moved.previous is loaded.state


@pytest.mark.parametrize("name", ["short", "long"])
def test_an_old_save_loads_into_the_example_as_it_is_now_with_a_report(
        tmp_path: Path, name: str) -> None:
    """The example gained format v2's variables since (a list and a dice roll): the old
    save still loads, says what changed, keeps every state it held, and plays on."""
    story = load_or_raise(EXAMPLE)
    assert story.content_hash != load_or_raise(FIRST_DAY_V1).content_hash
    store = SaveStore(tmp_path, story)
    shutil.copy(FIXTURES / f"v1_{name}.json", store.path(name))
    loaded = store.load(name)
    assert loaded.message == "The story has changed: 2 new variables ('pockets', 'luck')."
    added = {"pockets": ("badge",), "luck": 0}
    for state, then in zip(loaded.state.history(), expected(f"v1_{name}"), strict=True):
        assert {k: v for k, v in state.variables.items() if k not in added} == {
            k: v for k, _, v in then[1]}
        assert {k: state.variables[k] for k in added} == added
        assert [state.scene, sorted(state.taken), list(state.facts), state.turn,
                state.via] == [then[0], then[3], then[4], then[5], then[6]]
    engine = Engine(story)
    moved = engine.take(loaded.state, engine.choices(loaded.state)[0])
    assert moved.turn == loaded.state.turn + 1
