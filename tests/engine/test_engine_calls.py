"""Calls in play (format v2): a call pushes its return point, a return pops it, the stack is
part of the state (its value, `key()`, `back`), and 16 open calls is the most."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from game.engine import Engine, GameState, StoryRuntimeError
from game.engine.engine import destination
from game.story.calls import MAX_DEPTH
from game.story.files import load_story
from game.story.model import Story

STORY = """\
story: {id: t, title: T, start: hub}
variables: {n: 0, entered: 0}
scenes:
  hub:
    text: "Hub {n}."
    on_enter: [{add: {entered: 1}}]
    choices:
      - {text: Shop, call: shop}
      - {text: Oracle, call: oracle, then: done, id: ask}
      - {text: Deep, call: deep, id: deep}
      - {text: Stray, goto: oracle, id: stray}
  shop:
    text: Shop.
    choices:
      - {text: Buy, goto: paid, effects: [{add: {n: 1}}]}
      - {text: Ask too, call: oracle, id: ask}
  paid: {text: Paid., return: true}
  oracle: {text: Oracle., return: true}
  deep:
    text: Deeper.
    choices:
      - {text: Deeper, call: deep, id: deeper}
      - {text: Up, goto: up}
  up: {text: Up., return: true}
  done: {text: Done., ending: {id: e, title: E}}
"""


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    folder: Path = tmp_path_factory.mktemp("calls")
    (folder / "story.yaml").write_text(textwrap.dedent(STORY), encoding="utf-8")
    result = load_story(folder)
    assert result.story is not None, result.diagnostics
    return result.story


def walk(engine: Engine, state: GameState, *ids: str) -> GameState:
    for choice_id in ids:
        state = engine.choose(state, choice_id)
    return state


def test_a_call_pushes_the_caller_and_its_return_enters_it_again(story: Story) -> None:
    engine = Engine(story)
    start = engine.start()
    assert start.stack == () and start.variables["entered"] == 1
    shop = walk(engine, start, "shop")
    assert (shop.scene, shop.stack) == ("shop", ("hub",))
    paid = walk(engine, shop, "buy")
    assert (paid.scene, paid.stack) == ("paid", ("hub",))
    view = engine.view(paid)
    assert [(c.id, c.text, c.is_continue) for c in view.choices] == [
        ("continue", "Continue", True)]
    back = walk(engine, paid, "continue")
    assert (back.scene, back.stack, back.via) == ("hub", (), "continue")
    assert back.visits["hub"] == 2 and back.variables == {"n": 1, "entered": 2}  # entered again


def test_a_call_with_then_returns_there(story: Story) -> None:
    engine = Engine(story)
    oracle = walk(engine, engine.start(), "ask")
    assert oracle.stack == ("done",)
    done = walk(engine, oracle, "continue")
    assert (done.scene, done.stack, engine.is_over(done)) == ("done", (), True)
    assert done.variables["entered"] == 1  # the hub was not entered again


def test_calls_nest_and_unwind_in_order(story: Story) -> None:
    engine = Engine(story)
    nested = walk(engine, engine.start(), "shop", "ask")
    assert (nested.scene, nested.stack) == ("oracle", ("hub", "shop"))
    out = walk(engine, nested, "continue")
    assert (out.scene, out.stack) == ("shop", ("hub",))
    assert walk(engine, out, "buy", "continue").stack == ()


def test_sixteen_calls_nest_and_the_seventeenth_is_refused(story: Story) -> None:
    engine = Engine(story)
    state = walk(engine, engine.start(), "deep")
    for _ in range(MAX_DEPTH - 1):
        state = walk(engine, state, "deeper")
    assert len(state.stack) == MAX_DEPTH == 16
    with pytest.raises(StoryRuntimeError) as caught:
        walk(engine, state, "deeper")
    assert "17th call open at once" in caught.value.message
    deeper = story.scenes["deep"].choices[0]
    assert caught.value.pos == deeper.goto_pos
    up = walk(engine, state, "up")
    for depth in range(MAX_DEPTH, 0, -1):  # each return goes back into the deep scene
        assert (up.scene, len(up.stack)) == ("up", depth)
        up = walk(engine, up, "continue")
        if depth > 1:
            assert up.scene == "deep"
            up = walk(engine, up, "up")
    assert (up.scene, up.stack) == ("hub", ())


def test_a_return_with_no_call_open_is_a_run_time_error(story: Story) -> None:
    engine = Engine(story)
    stray = walk(engine, engine.start(), "stray")
    assert (stray.scene, stray.stack) == ("oracle", ())
    with pytest.raises(StoryRuntimeError) as caught:
        walk(engine, stray, "continue")
    assert caught.value.pos == story.scenes["oracle"].choices[0].goto_pos
    assert "there is no scene to go back to" in caught.value.message


def test_the_stack_is_part_of_the_value_and_the_key(story: Story) -> None:
    engine = Engine(story)
    via_call = walk(engine, engine.start(), "shop", "buy")
    plain = GameState(via_call.scene, via_call.variables, via_call.visits, via_call.taken,
                      via_call.facts, via_call.turn, via_call.via)
    assert plain != via_call and plain.key() != via_call.key()
    assert via_call.key()[-1] == ("hub",)


def test_back_restores_the_stack(story: Story) -> None:
    engine = Engine(story)
    inside = walk(engine, engine.start(), "shop", "ask")
    returned = walk(engine, inside, "continue")
    undone = engine.back(returned)
    assert undone is inside and undone.stack == ("hub", "shop")
    assert walk(engine, undone, "continue") == returned  # the same choice again: the same


def test_an_ending_inside_a_call_ends_the_story(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text(textwrap.dedent("""\
        story: {id: t, title: T, start: a}
        scenes:
          a: {text: t, choices: [{text: x, call: b}]}
          b: {text: t, ending: {id: e, title: E}}
        """), encoding="utf-8")
    story = load_story(tmp_path).story
    assert story is not None
    engine = Engine(story)
    end = walk(engine, engine.start(), "x")
    assert engine.is_over(end) and end.stack == ("a",)


def test_destination_is_where_take_goes(story: Story) -> None:
    """`destination` is the rule `take` inlines: the same scene for every choice of every
    state a breadth-first walk of the calls story reaches (calls, `then`, returns, depth)."""
    engine = Engine(story)
    frontier, seen, checked = [engine.start()], set(), 0
    while frontier and len(seen) < 400:
        state = frontier.pop(0)
        if state.key() in seen:
            continue
        seen.add(state.key())
        for choice in engine.choices(state):
            try:
                after = engine.take(state, choice)
            except StoryRuntimeError:
                continue
            assert destination(state, choice) == after.scene, (state.scene, choice.id)
            checked += 1
            frontier.append(after)
    assert checked > 100
    stray = walk(engine, engine.start(), "stray")  # a return with no call open: its own goto
    assert stray.stack == () and destination(stray, engine.choices(stray)[0]) == "oracle"
