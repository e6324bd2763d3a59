"""Exhaustive search: proves reachability within a budget, finds stuck states and traps."""

from __future__ import annotations

from pathlib import Path

from tools_helpers import EXAMPLE, STARTER, fixture, from_text, load

from game.engine import Engine
from game.story import expr
from game.story.model import Condition
from game.tools import coverage as cov
from game.tools.analysis import visit_caps
from game.tools.exhaustive import StateSpace, search


def _condition(source: str) -> Condition:
    node = expr.parse(source)
    return Condition(source, node, None, expr.compile_expr(node))  # type: ignore[arg-type]


def test_visit_counts_are_capped_past_the_largest_number_they_are_compared_with() -> None:
    caps = visit_caps([_condition(s) for s in (
        "visits(a) > 1", "visits(a) == 3 or seen(b)", "2.5 < visits(c)",
        "visits(d) + visits(e) > 2", "visits(f) > 1 and visits(f) * 2 == 4",
        "not seen(g) and has_x", "visits(h) >= 0",
    )])
    assert caps == {"a": 4, "b": 1, "c": 3, "d": None, "e": None, "f": None, "g": 1, "h": 1}


def test_unobserved_visits_and_history_do_not_make_states_different() -> None:
    story = load(EXAMPLE)  # only visits(kitchen) > 1 is ever asked
    space = StateSpace(story)
    engine = Engine(story)
    state = engine.start()
    kitchen = engine.choose(state, "walk_into_the_kitchen")
    back = engine.choose(kitchen, "back_to_the_lobby")
    again = engine.choose(engine.choose(back, "walk_into_the_kitchen"), "back_to_the_lobby")
    assert space.key(back) != space.key(state)  # kitchen seen once: its paragraph can tell
    assert space.key(again) == space.key(engine.choose(engine.choose(
        again, "walk_into_the_kitchen"), "back_to_the_lobby"))  # 2 and 3 visits look alike
    assert space.state(space.key(again), again.facts).visits == {"kitchen": 2}


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
    assert report.complete and report.coverage.endings["out"] == 2  # after lap 3, and 4+
    # counts are capped at 4 (one past the 3 compared with), whatever the number of laps:
    # track at 1, 2, 3, 4+ visits; out from 3 and 4+; quit from each of the four
    assert report.states == 4 + 2 + 4


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
