"""Exhaustive search: proves reachability within a budget, finds stuck states and traps."""

from __future__ import annotations

import hashlib
import itertools
from collections import deque
from collections.abc import Callable
from pathlib import Path

import pytest
from tools_helpers import (
    EXAMPLE,
    LOOP_AND_COUNTER,
    ROOT,
    STARTER,
    fixture,
    from_text,
    load,
    shipped,
)

from game.engine import Engine
from game.story import expr
from game.story.model import Choice, Condition, Scene, Story
from game.tools import coverage as cov
from game.tools.exhaustive import ExhaustiveReport, Search, StateSpace, search, unlocked
from game.tools.liveness import EXACT, SEEN, Live, condition_reads


def _condition(source: str) -> Condition:
    node = expr.parse(source)
    return Condition(source, node, None, expr.compile_expr(node))  # type: ignore[arg-type]


def test_counts_compared_with_constants_are_cut_around_them() -> None:
    numbers = frozenset({"n"})
    reads = {src: list(condition_reads(expr.parse(src), numbers)) for src in (
        "n >= 3", "3 < n", "n == 2.5", "visits(a) <= 1", "seen(b)", "n + 1 > 2",
        "visits(d) + visits(e) > 2", "has(f)")}
    assert reads == {
        "n >= 3": [(("var", "n"), Live(2, 3))],
        "3 < n": [(("var", "n"), Live(3, 4))],
        "n == 2.5": [(("var", "n"), Live(2, 3))],
        "visits(a) <= 1": [(("visits", "a"), Live(1, 2))],
        "seen(b)": [(("visits", "b"), SEEN)],
        "n + 1 > 2": [(("var", "n"), EXACT)],  # arithmetic: kept exact
        "visits(d) + visits(e) > 2": [(("visits", "d"), EXACT), (("visits", "e"), EXACT)],
        "has(f)": [(("fact", "f"), EXACT)],
    }


def test_unobserved_visits_and_history_do_not_make_states_different() -> None:
    story = load(EXAMPLE)  # only a paragraph asks visits(kitchen) > 1
    engine = Engine(story)
    state = engine.start()
    kitchen = engine.choose(state, "walk_into_the_kitchen")
    back = engine.choose(kitchen, "back_to_the_lobby")
    again = engine.choose(engine.choose(back, "walk_into_the_kitchen"), "back_to_the_lobby")
    proof = StateSpace(story)  # what a paragraph shows is no part of the proof
    assert proof.key(back) == proof.key(state)
    space = StateSpace(story, text=True)
    assert space.key(back) != space.key(state)  # kitchen seen once: its paragraph can tell
    assert space.key(again) == space.key(engine.choose(engine.choose(
        again, "walk_into_the_kitchen"), "back_to_the_lobby"))  # 2 and 3 visits look alike
    # in the lobby, one visit to the kitchen and more look alike: the next one makes it 2 or
    # more, which is all the kitchen's `visits(kitchen) > 1` can tell
    assert space.state(space.key(again)).visits == {"kitchen": 1}


def test_the_example_story_is_searched_completely_and_everything_is_reached() -> None:
    story = load(EXAMPLE)
    report = search(story)
    assert report.complete and not report.failed
    assert cov.totals(story, report.coverage).complete
    assert report.states == sum(report.coverage.scenes.values())


def test_what_it_does_not_reach_is_proven_unreachable() -> None:
    story = fixture("unreachable")
    report = search(story)
    assert report.complete and not report.failed
    assert {(i.kind, i.key) for i in cov.unreached(story, report.coverage)} == {
        ("scene", "vault"), ("scene", "attic"), ("choice", "hallway/vault_door"),
        ("fact", "map"), ("fact", "gold"),
    }


def test_an_endless_loop_is_proven_with_the_shortest_route_into_it() -> None:
    report = search(fixture("loop"))
    assert report.complete and report.failed
    assert [(f.scene, [m.choice for m in f.moves]) for f in report.trapped] == [
        ("maze", ["enter_the_maze"])]
    assert report.trapped_states == 2  # maze and fork
    assert not report.stuck and not report.errors


def test_stuck_states_and_run_time_errors_are_found_once_each() -> None:
    stuck = search(fixture("stuck"))
    assert [(f.scene, [m.choice for m in f.moves]) for f in stuck.stuck] == [
        ("door", ["walk_to_the_door"])]
    assert stuck.stuck[0].details == ("'Unlock the door' (unlock_the_door): if: has_key",)
    assert not stuck.trapped  # a stuck state is reported as stuck, not as a trap
    error = search(fixture("runtime_error"))
    assert [(f.message, f.pos.line) for f in error.errors] == [("division by zero", 19)]


def test_a_condition_on_visit_counts_is_explored_to_its_threshold(tmp_path: Path) -> None:
    """The third lap opens a door: capping must not hide it, and the search must end."""
    story = from_text(tmp_path, """\
        story: {id: laps, title: Laps, start: track}
        scenes:
          track:
            text: Round and round.
            choices:
              - {text: Another lap, goto: track}
              - {text: The door, goto: out, if: visits(track) >= 3}
              - {text: Give up, goto: quit}
          out: {text: Out., ending: {id: out, title: Out}}
          quit: {text: Quit., ending: {id: quit, title: Quit}}
        """)
    report = search(story)
    assert report.complete and report.coverage.endings["out"] == 1
    # `visits(track) >= 3` only tells 3 or more from 2 and from 1: track at 1, 2 and 3+
    # visits; past track no count is read again, so out and quit are one state each
    assert report.states == 3 + 1 + 1


def test_an_exhausted_budget_proves_nothing_and_says_so() -> None:
    story = load(EXAMPLE)
    report = search(story, max_states=3)
    assert not report.complete and report.states == 3
    assert not report.trapped  # traps are only claimed after a complete search
    assert cov.unreached(story, report.coverage)


def test_the_starter_story_is_proven_fully_reachable_with_no_traps() -> None:
    story = load(STARTER)
    report = search(story)
    assert report.complete and not report.failed
    assert cov.totals(story, report.coverage).complete


# -- the search as a class: the same reports as the function it was before ----------------------

def _digest(report: ExhaustiveReport) -> str:
    c = report.coverage
    return hashlib.sha256(repr((sorted(c.scenes.items()), sorted(c.choices.items()),
                                sorted(c.facts.items()))).encode()).hexdigest()[:16]


# Pinned figures of the search (taken at issue 13's live slots: facts counted by the moves
# that unlock them, paragraph-only reads no part of the key): states, complete, trapped
# states, total counts of scenes, choices and facts, the endings, and a digest of the whole
# coverage. A change to docs/example or these fixtures changes them: take them again from
# `search`. The shipped story changes often, so it is held to `_plain_search` instead.
BEFORE = {
    # docs/example in format v2 (the mug, the locked coffee, its call and random roll):
    "docs/example": (33, True, 0, 33, 58, 23, {"quiet": 1, "friends": 1}, "c17dd690ddf95fc2"),
    "tests/tools/fixtures/loop": (4, True, 2, 4, 4, 0, {"home": 1}, "5c657b6c537eb7bf"),
    "tests/tools/fixtures/stuck": (4, True, 0, 4, 3, 0, {"inside": 1}, "95cf0bd80b40e58f"),
    "tests/tools/fixtures/runtime_error": (4, True, 0, 4, 4, 0, {"full": 1},
                                           "02ac6b2f3811a011"),
}


@pytest.mark.parametrize("folder", sorted(BEFORE))
def test_the_search_reports_its_pinned_figures(folder: str) -> None:
    report = search(load(ROOT / folder))
    c = report.coverage
    assert (report.states, report.complete, report.trapped_states, sum(c.scenes.values()),
            sum(c.choices.values()), sum(c.facts.values()), dict(c.endings),
            _digest(report)) == BEFORE[folder]


def _plain_search(story: Story, budget: int) -> tuple[int, bool, cov.Coverage]:
    """The same search written the plainest way (a dict of keys, a queue of whole states, no
    arrays, no sharing), for stories with no run-time errors: the yardstick for `Search`."""
    engine = Engine(story)
    space = StateSpace(story)
    start = engine.start()
    found = {space.key(start)}
    queue = deque([start])
    coverage = cov.Coverage()
    coverage.facts.update(start.facts)
    cut = False
    while queue:
        state = queue.popleft()
        scene = story.scenes[state.scene]
        coverage.scenes[scene.id] += 1
        if scene.ending is not None:
            coverage.endings[scene.ending.id] += 1
            continue
        for choice in engine.choices(state):
            if not choice.is_continue:
                coverage.choices[(scene.id, choice.id)] += 1
            target = story.scenes[state.stack[-1] if choice.returns else choice.goto]
            for roll in _every_roll(choice, target):
                after = engine.take(state, choice, roll)
                coverage.facts.update(unlocked(choice.effects,
                                               story.scenes[after.scene].on_enter))
                key = space.key(after)
                if key in found:
                    continue
                if len(found) >= budget:
                    cut = True
                    continue
                found.add(key)
                queue.append(after)
    return len(found), not cut, coverage


def _every_roll(choice: Choice, entered: Scene) -> list[Callable[[int, int, int], int] | None]:
    """Dice for each outcome of a move's random() calls, the plainest way: every combination
    of the calls' constant bounds (what the stories here have), rolled in the order the
    calls are met; [None] (the game's own dice) for a move with none."""
    calls = [n for effect in (*choice.effects, *entered.on_enter)
             if effect.expression is not None
             for n in expr.walk(effect.expression.node, bottom_up=True)
             if isinstance(n, expr.Apply) and n.func == expr.RANDOM]
    if not calls:
        return [None]
    ranges = [range(int(expr.evaluate(c.args[0], {}, {}, frozenset())),
                    int(expr.evaluate(c.args[1], {}, {}, frozenset())) + 1) for c in calls]

    def dice(values: tuple[int, ...]) -> Callable[[int, int, int], int]:
        left = iter(values)
        return lambda lo, hi, offset: next(left)

    return [dice(values) for values in itertools.product(*ranges)]


@pytest.mark.parametrize("budget", [3, 2_000, 20_000])
def test_the_search_of_the_shipped_story_is_the_plain_search(budget: int) -> None:
    story = shipped()
    report = search(story, budget)
    assert (report.states, report.complete, report.coverage) == _plain_search(story, budget)
    assert not report.failed


@pytest.mark.parametrize("folder", [EXAMPLE, STARTER, ROOT / "tests/tools/fixtures/loop",
                                    ROOT / "tests/tools/fixtures/stuck",
                                    ROOT / "tests/tools/fixtures/dice"], ids=lambda p: p.name)
def test_the_search_of_each_story_is_the_plain_search(folder: Path) -> None:
    story = load(folder)
    report = search(story)
    assert (report.states, report.complete, report.coverage) == _plain_search(story, 200_000)


def test_a_finished_search_leaves_no_frontier_and_nothing_cut() -> None:
    run = Search(fixture("loop"), 200_000)
    report = run.run()
    assert report.complete and not run.frontier and not run.cut
    assert len(run.keys) == len(run.parent) == len(run.via) == report.states == 4
    start, maze = 0, run.index[run.keys[1]]
    assert run.parent[start] == -1 and run.parent[maze] == start
    assert [run.keys[j][0] for j in run.out(start)] == ["maze", "home"]


def test_a_budget_cut_search_keeps_the_states_it_cut() -> None:
    run = Search(load(EXAMPLE), 3)
    report = run.run()
    assert not report.complete and report.states == 3
    assert run.cut  # states with a choice the budget did not allow
    assert all(0 <= i < 3 for i in run.cut)
    assert not report.trapped


def test_traps_after_a_cut_search_are_only_loops_it_explored_in_full(tmp_path: Path) -> None:
    """Loops explored in full are reported even when the budget runs out."""
    story = from_text(tmp_path, LOOP_AND_COUNTER)
    run = Search(story, 50)
    report = run.run()
    assert not report.complete and run.cut and not run.frontier
    assert report.growing == ["n (up to 46)"]
    assert [(f.kind, f.scene, [m.choice for m in f.moves]) for f in report.trapped] == [
        ("loop", "a", ["into_the_loop"])]
    assert report.trapped_states == 2  # a and b; the counter's states might still escape
