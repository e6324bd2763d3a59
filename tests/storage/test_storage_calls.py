"""The call stack in saves (format v2's calls): written when a call is open, read back
exactly, absent (empty) in saves made before calls, bounded, and fitted after a story edit."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from storage_helpers import play

from game.engine import Engine, GameState
from game.engine.migrate import migrate
from game.storage.codec import DecodeError, decode_chain, encode_chain
from game.storage.saves import SaveStore
from game.story.files import load_or_raise
from game.story.model import Story

STORY = """\
story: {id: t, title: T, start: hub}
variables: {n: 0}
scenes:
  hub:
    text: Hub.
    choices:
      - {text: Shop, call: shop}
      - {text: Oracle, call: oracle, then: done, id: ask}
  shop:
    text: Shop.
    choices:
      - {text: Buy, goto: paid, effects: [{add: {n: 1}}]}
      - {text: Ask, call: oracle, then: paid, id: ask}
  paid: {text: Paid., return: true}
  oracle: {text: Oracle., return: true}
  done: {text: Done., ending: {id: e, title: E}}
"""


def write(folder: Path, text: str = STORY) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture
def story(tmp_path: Path) -> Story:
    return load_or_raise(write(tmp_path / "story"))


def through_json(state: GameState) -> GameState:
    return decode_chain(json.loads(json.dumps(encode_chain(state))))


def test_the_stack_round_trips_and_each_entry_writes_it_only_when_it_changes(
        story: Story) -> None:
    state = play(story, "shop", "ask", "continue", "continue")
    assert [s.stack for s in reversed(list(state.history()))] == [
        (), ("hub",), ("hub", "paid"), ("hub",), ()]
    back = through_json(state)
    assert [s.stack for s in back.history()] == [s.stack for s in state.history()]
    entries = encode_chain(state)
    assert "stack" not in entries[0]  # an empty stack is not written at all
    assert [e.get("stack") for e in entries[1:]] == [["hub"], ["hub", "paid"], ["hub"], []]
    assert "stack" not in encode_chain(play(story, "shop", "buy"))[2]  # unchanged: left out


def test_a_save_slot_keeps_the_stack_and_the_game_goes_on_from_it(story: Story,
                                                                  tmp_path: Path) -> None:
    store = SaveStore(tmp_path / "saves", story)
    inside = play(story, "shop", "ask")
    store.save("mid", inside)
    loaded = SaveStore(tmp_path / "saves", story).load("mid").state
    assert loaded.stack == ("hub", "paid") and loaded == inside
    engine = Engine(story)
    assert engine.choose(engine.choose(loaded, "continue"), "continue").scene == "hub"
    assert engine.back(loaded) is not None and engine.back(loaded).stack == ("hub",)  # type: ignore[union-attr]


def test_a_save_from_before_calls_loads_with_an_empty_stack() -> None:
    old = [{"scene": "a", "turn": 0, "via": None, "variables": {}, "visits": {"a": 1},
            "taken": [], "facts": []},
           {"scene": "b", "turn": 1, "via": "go", "visits+": {"b": 1}}]
    state = decode_chain(old)
    assert state.stack == () and state.previous is not None and state.previous.stack == ()


@pytest.mark.parametrize(("stack", "message"), [
    ("hub", "'stack' must be a list of ids"),
    ([1], "'stack' must be a list of ids"),
    ([""], "'stack' must be a list of ids"),
    (["s"] * 17, "'stack' holds 17 calls; calls nest at most 16 deep"),
])
def test_a_damaged_stack_is_refused_by_name(stack: object, message: str) -> None:
    entry = {"scene": "a", "turn": 0, "via": None, "variables": {}, "visits": {},
             "taken": [], "facts": [], "stack": stack}
    with pytest.raises(DecodeError, match=message):
        decode_chain([entry])
    assert decode_chain([{**entry, "stack": ["s"] * 16}]).stack == ("s",) * 16


def test_a_removed_return_point_whose_call_lost_its_then_returns_to_the_caller_or_is_dropped(
        tmp_path: Path) -> None:
    """The edited calling choice (shop's 'ask') has no `then:` any more, so it now returns to
    shop: the migrated call does the same, and says it is the edited call's return point."""
    before = load_or_raise(write(tmp_path / "v1"))
    inside = play(before, "shop", "ask")
    assert inside.stack == ("hub", "paid")
    edited = STORY.replace("then: paid, id: ask}", "id: ask}").replace(
        "  paid: {text: Paid., return: true}\n", "").replace("goto: paid", "goto: oracle")
    after = load_or_raise(write(tmp_path / "v2", edited))
    migration = migrate(inside, after)
    assert migration.state is not None
    assert migration.state.stack == ("hub", "shop")  # where the edited call returns
    assert migration.changes == ("return point 'paid' of an open call removed: it returns to "
                                 "'shop', where the edited call 'ask' now returns",)
    assert "return point 'paid'" in migration.summary
    assert migration.state.previous is not None and migration.state.previous.stack == ("hub",)
    engine = Engine(after)
    assert engine.choose(migration.state, "continue").scene == "shop"
    # Without the history back to the call, nothing says who made it: the point is dropped.
    alone = GameState(inside.scene, inside.variables, inside.visits, inside.taken,
                      inside.facts, inside.turn, inside.via, None, inside.seed, inside.stack)
    dropped = migrate(alone, after)
    assert dropped.state is not None and dropped.state.stack == ("hub",)
    assert dropped.changes == ("return point 'paid' of an open call dropped (removed)",)
    assert engine.choose(dropped.state, "continue").scene == "hub"  # the call below's


def test_a_state_that_fits_is_kept_as_it_is(story: Story) -> None:
    inside = play(story, "shop", "ask")
    assert migrate(inside, story).state is inside


def test_a_removed_then_scene_returns_to_the_caller_so_a_lone_call_can_still_return(
        tmp_path: Path) -> None:
    """The only open call's `then:` scene was removed (so the edited story's call has no
    `then:` and returns to the scene that made it): dropping the return point left nothing
    to return to, and the Continue stopped the game ("return ... reached without a call")."""
    before = load_or_raise(write(tmp_path / "v1"))
    inside = play(before, "ask")
    assert (inside.scene, inside.stack) == ("oracle", ("done",))
    edited = STORY.replace("then: done, id: ask}", "id: ask}").replace(
        "  done: {text: Done., ending: {id: e, title: E}}\n", "")
    edited = edited.replace("goto: paid, effects", "goto: oracle, effects").replace(
        "  paid: {text: Paid., return: true}\n", "").replace(", then: paid", "")
    edited += "  end: {text: End., ending: {id: e, title: E}}\n"
    edited = edited.replace("      - {text: Shop, call: shop}\n",
                            "      - {text: Shop, call: shop}\n      - {text: End, goto: end}\n")
    after = load_or_raise(write(tmp_path / "v2", edited))
    migration = migrate(inside, after)
    assert migration.state is not None and migration.state.stack == ("hub",)
    assert migration.changes == (
        "return point 'done' of an open call removed: it returns to 'hub', where the edited "
        "call 'ask' now returns",)
    assert Engine(after).choose(migration.state, "continue").scene == "hub"


def test_a_removed_return_point_goes_to_the_edited_calls_new_then(tmp_path: Path) -> None:
    """The edit removed `paid` and gave the calling choice (shop's 'ask') a new `then:
    later`: the migrated call returns to `later`, as that call now does (not to shop, the
    scene that made it, which the edited call would never return to)."""
    before = load_or_raise(write(tmp_path / "v1"))
    store = SaveStore(tmp_path / "saves", before)
    store.save("mid", play(before, "shop", "ask"))
    edited = STORY.replace("then: paid, id: ask}", "then: later, id: ask}").replace(
        "  paid: {text: Paid., return: true}\n",
        "  later: {text: Later., choices: [{text: Hub, goto: hub}]}\n").replace(
        "goto: paid", "goto: oracle")
    after = load_or_raise(write(tmp_path / "v2", edited))
    loaded = SaveStore(tmp_path / "saves", after).load("mid")
    assert loaded.state.stack == ("hub", "later")
    assert loaded.message is not None and (
        "return point 'paid' of an open call removed: it returns to 'later', where the "
        "edited call 'ask' now returns" in loaded.message)
    assert Engine(after).choose(loaded.state, "continue").scene == "later"


@pytest.mark.parametrize(("ask", "why"), [
    ("", "its choice 'ask' is gone"),
    ("      - {text: Ask, goto: oracle, id: ask}\n", "its choice 'ask' is no longer a call"),
], ids=["choice-gone", "choice-now-a-goto"])
def test_a_removed_return_point_whose_calling_choice_is_not_a_call_now_returns_to_the_caller(
        tmp_path: Path, ask: str, why: str) -> None:
    """Nothing in the edited story makes this call any more: it returns to the scene that
    made it, and the load says why."""
    before = load_or_raise(write(tmp_path / "v1"))
    inside = play(before, "shop", "ask")
    edited = STORY.replace("      - {text: Ask, call: oracle, then: paid, id: ask}\n", ask)
    edited = edited.replace("  paid: {text: Paid., return: true}\n", "").replace(
        "goto: paid", "goto: oracle")
    after = load_or_raise(write(tmp_path / "v2", edited))
    assert [c.call for c in after.scenes["shop"].choices if c.id == "ask"] == (
        [False] if ask else [])
    migration = migrate(inside, after)
    assert migration.state is not None and migration.state.stack == ("hub", "shop")
    assert migration.changes == (
        f"return point 'paid' of an open call removed: it returns to 'shop', which made the "
        f"call ({why})",)
    assert Engine(after).choose(migration.state, "continue").scene == "shop"


def test_a_removed_return_point_is_dropped_when_its_caller_is_gone_too(tmp_path: Path) -> None:
    """`paid` and `shop`, which made the call, are both gone: the point is dropped and the
    call returns where the call below it (hub's) would."""
    before = load_or_raise(write(tmp_path / "v1"))
    inside = play(before, "shop", "ask")
    edited = STORY.replace("{text: Shop, call: shop}", "{text: Shop, call: oracle}")
    edited = edited.replace("  paid: {text: Paid., return: true}\n", "")
    edited = edited[:edited.index("  shop:\n")] + edited[edited.index("  oracle:"):]
    after = load_or_raise(write(tmp_path / "v2", edited))
    assert "shop" not in after.scenes and "paid" not in after.scenes
    migration = migrate(inside, after)
    assert migration.state is not None and migration.state.stack == ("hub",)
    assert migration.changes == ("return point 'paid' of an open call dropped (removed)",
                                 "1 undo step dropped (their scenes were removed)")  # shop's
    assert Engine(after).choose(migration.state, "continue").scene == "hub"
