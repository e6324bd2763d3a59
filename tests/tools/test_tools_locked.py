"""The author tools on locked choices (scene format v2's `enabled`): the exhaustive search
never takes a locked choice and reports a state where every choice is locked as stuck (and
says what locks each); random runs never pick one; `graph` draws them as gates; `--stats`
counts them; the coverage report says what unlocks a choice never taken."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from test_tools_proof import stories
from tools_helpers import FIXTURES, fixture, from_text, generated

from game.engine import Engine
from game.tools import coverage as cov
from game.tools.exhaustive import search
from game.tools.graph import render
from game.tools.playtest import random_runs
from game.tools.runner import STRATEGIES
from game.tools.stats import format_stats, story_stats

STUCK_BY_A_LOCK = """\
    story: {id: t, title: T, start: hall}
    variables: {n: 0}
    scenes:
      hall:
        text: Hall.
        choices:
          - {text: Count, goto: hall, if: n < 2, effects: [{add: {n: 1}}]}
          - {text: Leave, goto: out, enabled: n >= 3, reason: Count to three.}
      out: {text: Out., ending: {id: out, title: Out}}
    """


def test_the_search_reports_a_state_whose_every_choice_is_locked_as_stuck(
        tmp_path: Path) -> None:
    story = from_text(tmp_path, STUCK_BY_A_LOCK)
    report = search(story)
    assert [(f.scene, [m.choice for m in f.moves]) for f in report.stuck] == [
        ("hall", ["count", "count"])]
    assert report.stuck[0].details == (
        "'Count' (count): if: n < 2",
        "'Leave' (leave): locked unless enabled: n >= 3",
    )
    assert "out" not in report.coverage.scenes  # a locked choice is never taken


def test_random_runs_never_take_a_locked_choice_and_agree_with_the_engine(
        tmp_path: Path) -> None:
    story = from_text(tmp_path, STUCK_BY_A_LOCK)
    fast = random_runs(story, 50, seed=1)
    slow = random_runs(story, 50, seed=1, reference=True)
    assert fast == slow
    assert fast.coverage.choices[("hall", "leave")] == 0
    assert {f.kind for f in fast.problems} == {"stuck"}
    locked = fixture("locked")
    assert random_runs(locked, 200, seed=3) == random_runs(locked, 200, seed=3, reference=True)


def test_the_locked_fixture_is_proven_complete() -> None:
    report = search(fixture("locked"))
    assert report.complete and not report.stuck
    assert cov.totals(fixture("locked"), report.coverage).complete


def test_graph_draws_a_lock_as_a_gate_with_its_condition() -> None:
    dot = render(fixture("locked"), "dot")
    assert ('"hall" -> "door" [label="enabled: keys >= 2", style=dotted, color="#b26a00", '
            'arrowhead=teenormal, tooltip="Open the door"];') in dot
    assert '"study" -> "window" [label="if: lit, enabled: keys >= 3", style=dotted' in dot
    mermaid = render(fixture("locked"), "mermaid")
    assert '  s0 --x|"enabled: keys #gt;= 2"| s2' in mermaid
    assert '  s1 --> s0' in mermaid  # an open choice stays a plain arrow


def test_stats_count_the_choices_that_can_be_locked() -> None:
    stats = story_stats(fixture("locked"))
    assert stats.locked == 4
    assert format_stats(stats).endswith("choices that can be locked (enabled): 4")
    assert "locked" not in format_stats(story_stats(fixture("stuck")))


def test_a_lock_is_named_where_its_choice_is_never_reached(tmp_path: Path) -> None:
    story = from_text(tmp_path, STUCK_BY_A_LOCK)
    lines = cov.unreached_lines(cov.unreached(story, search(story).coverage))
    assert any(line.endswith("never reached: choice 'hall/leave' (locked unless enabled: "
                             "n >= 3)") for line in lines)


def test_every_fixture_s_engine_view_agrees_with_its_choices() -> None:
    """What the view calls takeable is exactly `Engine.choices`, along a walk."""
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        story = fixture(folder.name)
        engine = Engine(story)
        state = engine.start()
        for _ in range(30):
            if engine.is_over(state):
                break
            view = engine.view(state)
            open_ = engine.choices(state)
            assert [c.id for c in view.choices if not c.locked] == [c.id for c in open_]
            if not open_:
                break
            state = engine.take(state, open_[state.turn % len(open_)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories())
def test_fast_runs_and_engine_runs_agree_on_generated_stories_with_locks(
        data: dict[str, object]) -> None:
    story = generated(data)
    for strategy in STRATEGIES:
        assert (random_runs(story, 20, seed=4, strategy=strategy, max_steps=40)
                == random_runs(story, 20, seed=4, strategy=strategy, max_steps=40,
                               reference=True))


def test_a_playthrough_that_picks_a_locked_choice_says_it_is_locked(tmp_path: Path) -> None:
    from game.tools.scripted import run_all

    story = from_text(tmp_path, STUCK_BY_A_LOCK.rstrip(" ") + """\
    playthroughs:
      early:
        steps: [leave]
    """)
    (result,) = run_all(story)
    assert result.failure is not None
    assert result.failure.details[:2] == (
        "available: 'Count' (count)",
        "'leave' is shown but locked now (enabled: n >= 3; reason: Count to three.)",
    )
