"""The fast runner's contract: after every step, its state is the Engine's state.

`test_tools_playtest.py` holds whole reports equal (coverage, steps, problems), run for run.
These go further: a run cut off after k choices is replayed through the `Engine` choice by
choice (each must be available to it), and the runner's variables, facts, visits, `once`
marks and scene must be the Engine's there, for every k, on every story the tests know.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import get_args, get_type_hints

import pytest
from tools_helpers import EXAMPLE, FIXTURES, STARTER, from_text, load, shipped

from game.engine import Engine, GameState
from game.engine.dice import run_seed
from game.story.model import Effect, Story
from game.tools import runner
from game.tools.playtest import random_runs
from game.tools.runner import Compiled, RunEnd, UnknownEffect, play

STORIES = [*sorted(p for p in FIXTURES.iterdir() if p.is_dir()), EXAMPLE, STARTER]

ORDER = """\
    story: {id: order, title: Order, start: hall}
    variables: {x: 0, y: 0, laps: 0}
    facts:
      badge: {title: Badge, text: A badge.}
    scenes:
      hall:
        text: The hall.
        on_enter: [{add: {laps: 1}}]
        choices:
          - text: Set x, then the room adds to it
            goto: room
            effects: [{set: {x: 1}}]
            once: true
          - {text: Wait, goto: hall, if: visits(hall) < 3}
          - {text: Leave, goto: out, if: seen(room) and laps >= 2}
      room:
        text: A room.
        on_enter: [{add: {x: 2}}, {set: {y: 5}}, {unlock: badge}]
        choices:
          - {text: Back, goto: hall, if: visits(room) < 4}
          - {text: Stay, goto: room, if: x > 3}
          - {text: Out, goto: out, if: has(badge) and visits(room) >= 2}
      out: {text: Out., ending: {id: out, title: Out}}
    """
"""Every kind of change in one story: effects on a choice and on entry (of the start scene
too), set before add in one move, `once`, and visits asked of the start and of others."""


def _cut_runs(story: Story, max_steps: int, runs: int = 40) -> list[RunEnd]:
    return list(play(Compiled(story), runs, 5, "uniform", max_steps))


def _replay(story: Story, end: RunEnd) -> GameState:
    engine = Engine(story)
    state = engine.start(run_seed(end.seed))  # the game seed the runner's run had
    for choice in end.path:
        assert any(choice is c for c in engine.choices(state)), (
            f"run {end.run}: '{choice.id}' not available in '{state.scene}'")
        state = engine.take(state, choice)
    return state


def _agree(story: Story, longest: int) -> int:
    """Replays every run cut at each length up to `longest`; returns how many were compared."""
    asked = Compiled(story).asked
    compared = 0
    for k in range(longest + 1):
        for end in _cut_runs(story, k):
            if end.failure != "loop":
                continue  # ended (or failed) before k choices: compared at a smaller k
            state = _replay(story, end)
            assert end.steps == k == state.turn
            assert end.scene == state.scene
            assert end.variables == dict(state.variables)
            assert end.facts == set(state.facts)
            assert end.visits == {s: n for s, n in state.visits.items() if s in asked}
            assert end.taken == set(state.taken)
            assert end.stack == state.stack
            compared += 1
    return compared


@pytest.mark.parametrize("folder", STORIES, ids=lambda p: p.name)
def test_after_every_step_the_runner_holds_the_engines_state(folder: Path) -> None:
    story = load(folder)
    assert _agree(story, 12) > 0


def test_after_every_step_of_the_shipped_story_the_runner_holds_the_engines_state() -> None:
    assert _agree(shipped(), 25) > 100


def test_a_move_applies_its_effects_once_mark_visit_and_on_enter_in_the_engines_order(
        tmp_path: Path) -> None:
    story = from_text(tmp_path, ORDER)
    assert _agree(story, 15) > 100
    # the start is a move too: its on_enter ran once before any choice, and its visit counts
    first = _cut_runs(story, 0, runs=1)[0]
    assert (first.variables, first.visits) == ({"x": 0, "y": 0, "laps": 1}, {"hall": 1})
    # choice effect (x = 1) before the entered scene's on_enter (x + 2): set, then add
    into_room = [e for e in _cut_runs(story, 1) if e.scene == "room"]
    assert into_room
    for end in into_room:
        assert (end.variables["x"], end.variables["y"], end.facts) == (3, 5, {"badge"})
        assert end.taken == {"hall/set_x_then_the_room_adds_to_it"}


def test_a_run_that_ends_keeps_no_path_and_a_cut_one_keeps_its_moves(tmp_path: Path) -> None:
    story = from_text(tmp_path, ORDER)
    ends = _cut_runs(story, 200)
    assert all(e.failure is None and e.path == () and e.scene == "out" for e in ends)
    cut = _cut_runs(story, 2)
    assert all(len(e.path) == 2 for e in cut if e.failure == "loop")


def test_every_effect_kind_has_an_operation() -> None:
    """A kind the model allows and the runner cannot apply fails here first."""
    kinds = set(get_args(get_type_hints(Effect)["kind"]))
    assert kinds == set(runner.EFFECT_CODES)


def test_the_stories_the_runner_is_held_to_use_every_effect_kind(tmp_path: Path) -> None:
    """So a new kind is only done once some story here uses it, and the tests above (and the
    run-for-run tests of test_tools_playtest.py) then hold the runner to the Engine on it."""
    stories = [load(folder) for folder in STORIES] + [from_text(tmp_path, ORDER)]
    used = {(effect.kind, place) for story in stories for scene in story.scenes.values()
            for place, effects in (("on_enter", scene.on_enter),
                                   *(("choice", c.effects) for c in scene.choices))
            for effect in effects}
    kinds = get_args(get_type_hints(Effect)["kind"])
    assert used == {(kind, place) for kind in kinds for place in ("on_enter", "choice")}


def test_an_effect_kind_the_runner_does_not_know_is_refused_not_skipped(
        tmp_path: Path) -> None:
    story = from_text(tmp_path, ORDER)
    room = story.scenes["room"]
    strange = Effect("teleport", "x", 1, room.pos)  # type: ignore[arg-type]
    changed = dataclasses.replace(story, scenes={**story.scenes, "room": dataclasses.replace(
        room, on_enter=(strange,))})
    with pytest.raises(UnknownEffect, match=r"story.yaml:\d+:\d+: the random runner cannot "
                       "apply a 'teleport' effect"):
        list(play(Compiled(changed), 10, 0, "uniform", 50))


def test_shown_first_keeps_story_order_within_each_group(tmp_path: Path) -> None:
    story = from_text(tmp_path, ORDER)
    hall = story.scenes["hall"].choices
    assert [c.id for c in runner.shown_first(hall)] == [c.id for c in hall]  # all can hide
    mixed = (hall[1], hall[0], hall[2])
    plain = dataclasses.replace(hall[2], condition=None)
    assert [c.id for c in runner.shown_first((*mixed, plain))] == [
        plain.id, hall[1].id, hall[0].id, hall[2].id]


GROWING = """\
    story: {id: grow, title: Grow, start: hub}
    variables: {n: 0, f: 0.5}
    scenes:
      hub:
        text: Grow.
        choices:
          - {text: Again, goto: hub, effects: [{add: {n: 400000000000000}}]}
          - {text: Down, goto: hub, effects: [{add: {n: -300000000000000}}, {add: {f: 0.25}}]}
          - {text: Stop, goto: done}
      done: {text: Done., ending: {id: done, title: Done}}
    """
"""An unbounded `add` that leaves the range numbers stay in (10^15) on some runs and not on
others: the Engine fails the run at that effect, and so must the runner."""

DIVIDING = """\
    story: {id: divide, title: Divide, start: hub}
    variables: {n: 0, d: 1, b: {default: 0, min: 0, max: 3}}
    scenes:
      hub:
        text: Divide.
        choices:
          - {text: Down, goto: hub, effects: [{add: {d: -1}}, {add: {b: 1}}]}
          - {text: Up, goto: hub, effects: [{add: {d: 1}}]}
          - {text: Divide, goto: there, effects: [{compute: {n: "round(10 / d)"}}]}
          - {text: Stop, goto: done}
      there: {text: There., next: hub, on_enter: [{compute: {n: "n + round(1 / d)"}}]}
      done: {text: Done., ending: {id: done, title: Done}}
    """
"""A compute that divides by a variable that is sometimes zero, in a choice's effects and in
an entered scene's on_enter: the Engine refuses the move there (one step fewer, the scene
not entered), and so must the runner."""


@pytest.mark.parametrize("text", [GROWING, DIVIDING], ids=["add", "compute"])
def test_a_failing_effect_fails_the_run_where_the_engine_does(tmp_path: Path,
                                                              text: str) -> None:
    story = from_text(tmp_path, text)
    assert _agree(story, 12) > 50
    fast = random_runs(story, 200, seed=3, strategy="uniform", max_steps=40)
    slow = random_runs(story, 200, seed=3, strategy="uniform", max_steps=40, reference=True)
    assert fast.problems and all(p.kind == "error" for p in fast.problems)
    assert (fast.steps, fast.problems, fast.coverage) == (slow.steps, slow.problems,
                                                         slow.coverage)
