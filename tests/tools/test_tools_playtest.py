"""Random playthroughs: reproducible, fast loop identical to the Engine, problems reported."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from tools_helpers import EXAMPLE, FIXTURES, STARTER, fixture, from_text, load, shipped

from game.engine import Engine
from game.story.model import Story
from game.tools import coverage as cov
from game.tools import scripted
from game.tools.playtest import RandomReport, random_runs
from game.tools.runner import Strategy, weighted_pick


def _summary(report: RandomReport) -> tuple[object, ...]:
    return (report.coverage, report.steps, report.longest, report.endings_reached,
            report.problems)


@pytest.mark.parametrize("strategy", ["uniform", "least-taken"])
@pytest.mark.parametrize("folder", [
    *sorted(p for p in FIXTURES.iterdir() if p.is_dir()), EXAMPLE, STARTER,
], ids=lambda p: p.name)
def test_fast_loop_plays_exactly_like_the_engine(folder: Path, strategy: Strategy) -> None:
    story = load(folder)
    fast = random_runs(story, 300, seed=7, strategy=strategy, max_steps=60)
    slow = random_runs(story, 300, seed=7, strategy=strategy, max_steps=60,
                       reference=True)
    assert _summary(fast) == _summary(slow)


@pytest.mark.parametrize("strategy", ["uniform", "least-taken"])
def test_fast_loop_plays_the_shipped_story_exactly_like_the_engine(strategy: Strategy) -> None:
    story = shipped()
    fast = random_runs(story, 200, seed=3, strategy=strategy)
    slow = random_runs(story, 200, seed=3, strategy=strategy,
                       reference=True)
    assert _summary(fast) == _summary(slow)


def test_same_seed_same_report_and_other_seeds_differ() -> None:
    story = load(EXAMPLE)
    first = random_runs(story, 50, seed=11)
    again = random_runs(story, 50, seed=11)
    other = random_runs(story, 50, seed=12)
    assert _summary(first) == _summary(again)
    assert first.coverage != other.coverage


def test_run_i_uses_seed_s_plus_i() -> None:
    """With uniform odds a run depends on its seed alone: run 5 of seed 0 is seed 5 alone."""
    story = load(EXAMPLE)
    five = random_runs(story, 5, seed=0, strategy="uniform").coverage
    six = random_runs(story, 6, seed=0, strategy="uniform").coverage
    alone = random_runs(story, 1, seed=5, strategy="uniform").coverage
    assert six.scenes - five.scenes == alone.scenes
    assert six.choices - five.choices == alone.choices


def test_runs_never_touch_the_global_random_generator() -> None:
    random.seed(1234)
    expected = [random.random() for _ in range(3)]
    random.seed(1234)
    random_runs(load(EXAMPLE), 20, strategy="uniform")
    random_runs(load(EXAMPLE), 20, strategy="least-taken")
    assert [random.random() for _ in range(3)] == expected


def test_weighted_pick_prefers_the_least_taken_choice() -> None:
    # weights 1 and 1/4: the first takes 80% of [0, 1)
    assert weighted_pick([0, 1], 0.0) == 0
    assert weighted_pick([0, 1], 0.79) == 0
    assert weighted_pick([0, 1], 0.81) == 1
    assert weighted_pick([5, 0, 5], 0.5) == 1
    rng = random.Random(0)
    picks = [weighted_pick([0, 3], rng.random()) for _ in range(2000)]
    assert 0.9 < picks.count(0) / len(picks) < 0.97  # 1 / (1 + 1/16) = 0.94


def test_least_taken_spreads_runs_over_every_branch(tmp_path: Path) -> None:
    """Five doors, the last with five inner doors: least-taken tries every one in 30 runs,
    and shares the runs out between the doors more evenly than uniform odds do."""
    scenes: dict[str, object] = {
        "hall": {"text": "Doors.",
                 "choices": [{"text": f"Door {i}", "goto": f"room{i}"} for i in range(5)]},
        "room4": {"text": "More doors.",
                  "choices": [{"text": f"Inner {j}", "goto": f"end{j}"} for j in range(5)]},
    }
    scenes.update({f"room{i}": {"text": "A room.", "next": "end0"} for i in range(4)})
    scenes.update({f"end{j}": {"text": "The end.", "ending": {"id": f"e{j}", "title": "E"}}
                   for j in range(5)})
    (tmp_path / "story.yaml").write_text(yaml.safe_dump(
        {"story": {"id": "doors", "title": "Doors", "start": "hall"}, "scenes": scenes}))
    story = load(tmp_path)
    least = random_runs(story, 30, seed=0, strategy="least-taken")
    assert not cov.unreached(story, least.coverage)

    def spread(strategy: Strategy, seed: int) -> int:
        counts = random_runs(story, 30, seed=seed, strategy=strategy).coverage.choices
        doors = [counts[("hall", f"door_{i}")] for i in range(5)]
        return max(doors) - min(doors)

    seeds = range(0, 2000, 100)
    assert sum(spread("least-taken", s) for s in seeds) < 0.7 * sum(spread("uniform", s)
                                                                    for s in seeds)


def test_coverage_counts_scenes_choices_facts_and_endings() -> None:
    story = load(EXAMPLE)
    report = random_runs(story, 200, seed=0)
    c = report.coverage
    assert c.scenes["lobby"] >= 200  # every run starts there
    assert c.endings["friends"] + c.endings["quiet"] == 200 == report.endings_reached
    assert c.choices[("desk", "have_lunch_with_sam")] == c.endings["friends"]
    assert c.facts["sam_secret"] == c.scenes["window"]  # window is entered at most once
    assert ("window", "continue") not in c.choices  # the synthesised Continue is left out
    assert not report.problems
    assert cov.totals(story, c).complete


def test_unreachable_scene_fact_and_choice_are_listed_with_their_places() -> None:
    story = fixture("unreachable")
    report = random_runs(story, 300, seed=0)
    never = cov.unreached(story, report.coverage)
    assert {(i.kind, i.key) for i in never} == {
        ("scene", "vault"), ("scene", "attic"), ("choice", "hallway/vault_door"),
        ("fact", "map"), ("fact", "gold"),
    }
    lines = cov.unreached_lines(never)
    assert any(line.endswith("never reached: scene 'attic'") and ":39:3:" in line
               for line in lines)


def test_a_stuck_run_is_reported_with_its_route_and_why_each_choice_is_hidden() -> None:
    story = fixture("stuck")
    report = random_runs(story, 40, seed=0)
    stuck = [p for p in report.problems if p.kind == "stuck"]
    assert stuck and len(stuck) + report.endings_reached == 40
    first = stuck[0]
    assert first.scene == "door" and first.pos.line == 14
    assert [m.choice for m in first.moves] == ["walk_to_the_door"]
    assert first.details == ("'Unlock the door' (unlock_the_door): if: has_key",)
    assert report.failed


def test_a_stuck_route_replays_as_a_scripted_playthrough(tmp_path: Path) -> None:
    """The `steps:` printed for a failed run lead the Engine to the same place."""
    story = fixture("stuck")
    problem = random_runs(story, 40, seed=0).problems[0]
    engine = Engine(story)
    state = engine.start()
    for move in problem.moves:
        state = engine.choose(state, move.choice)
    assert state.scene == problem.scene and not engine.choices(state)


def test_a_run_time_error_is_reported_at_the_condition() -> None:
    story = fixture("runtime_error")
    report = random_runs(story, 40, seed=0)
    errors = [p for p in report.problems if p.kind == "error"]
    assert errors
    assert errors[0].message == "division by zero"
    assert (errors[0].pos.line, errors[0].pos.col) == (19, 18)  # at the '/'
    assert [m.choice for m in errors[0].moves] == ["start_eating_alone"]


def test_a_division_in_a_paragraph_condition_is_caught_without_rendering(
        tmp_path: Path) -> None:
    story = from_text(tmp_path, """\
        story: {id: p, title: P, start: a}
        variables: {zero: 0}
        scenes:
          a:
            text:
              - if: 1 / zero > 0
                text: Never shown.
            ending: {id: e, title: E}
        """)
    for reference in (False, True):
        report = random_runs(story, 3, reference=reference)
        assert [p.kind for p in report.problems] == ["error"] * 3
        assert report.problems[0].pos.line == 6


def test_an_endless_loop_is_flagged_with_the_scenes_it_circles() -> None:
    story = fixture("loop")
    report = random_runs(story, 40, seed=0, max_steps=200)
    loops = [p for p in report.problems if p.kind == "loop"]
    assert loops and report.longest == 200
    assert loops[0].message.endswith("possible endless loop among scenes fork, maze")
    assert loops[0].scene == "maze"  # where the run got into the loop
    assert len(loops[0].moves) == 200


def test_zero_runs_is_an_empty_report() -> None:
    report = random_runs(load(EXAMPLE), 0)
    assert report.steps == 0 and not report.problems and not report.coverage.scenes


def _playthrough_count(story: Story) -> int:
    return sum(1 for r in scripted.run_all(story) if r.ok)


def test_the_starter_story_is_fully_covered_by_random_runs() -> None:
    story = load(STARTER)
    report = random_runs(story, 200)
    assert cov.totals(story, report.coverage).complete
    assert _playthrough_count(story) == len(story.playthroughs)


@pytest.mark.parametrize("reference", [False, True])
def test_runs_leave_the_garbage_collector_as_they_found_it(reference: bool) -> None:
    import gc

    story = load(EXAMPLE)
    assert gc.isenabled()
    random_runs(story, 5, reference=reference)
    assert gc.isenabled()
    gc.disable()
    try:
        random_runs(story, 5, reference=reference)
        assert not gc.isenabled()
    finally:
        gc.enable()


SHOWN_DIVISION = """\
    story: {{id: p, title: P, start: a}}
    variables: {{n: 0, zero: 1}}
    scenes:
      a:
        text: Start.
        choices:
          - {{text: Go, goto: b, if: n == 0, effects: [{{set: {{zero: 0}}}}]}}
          - {{text: Stay, goto: a, if: n > 0}}
      b:
        title: "{title}"
        text: "{text}"
        choices:
          - {{text: "{choice}", goto: c}}
          - {{text: Locked, goto: c, enabled: n > 0, reason: "{reason}"}}
      c: {{text: C., ending: {{id: e, title: "{ending}"}}}}
    """
"""A `{?COND|..}` that divides by a variable which is zero, in each kind of shown text of
scene b (or its ending c): play fails there when the scene is shown (the Engine renders
it), so random runs and the exhaustive search must fail there too. (A title's condition
is placed at its scene, as the Engine places it.)"""
RISKY = "{?10 / zero > 1|big|small}"


@pytest.mark.parametrize(("where", "line"), [
    ("title", 9), ("text", 11), ("choice", 13), ("reason", 14), ("ending", 15)])
def test_a_division_in_a_shown_text_variation_is_a_run_time_error(
        tmp_path: Path, where: str, line: int) -> None:
    from game.tools.exhaustive import search

    fields = {"title": "B", "text": "B.", "choice": "End", "reason": "Not yet.",
              "ending": "E"}
    fields[where] = RISKY
    story = from_text(tmp_path, SHOWN_DIVISION.format(**fields))
    with pytest.raises(Exception, match="division by zero"):
        state = Engine(story).start()
        engine = Engine(story)
        while True:  # play as a front end does: show each scene
            engine.view(state)
            state = engine.take(state, engine.choices(state)[0])
    for reference in (False, True):
        report = random_runs(story, 3, reference=reference)
        assert [p.kind for p in report.problems] == ["error"] * 3, reference
        assert report.problems[0].message == "division by zero"
        assert report.problems[0].pos.line == line
    exhaustive = search(story)
    assert [e.message for e in exhaustive.errors] == ["division by zero"]
    assert exhaustive.errors[0].pos.line == line
