"""`offscreen test --exhaustive` and `random()`: every outcome of a move's calls is a move of
its own, every combination once; a range too wide to list is said, and proves nothing."""

from __future__ import annotations

from pathlib import Path

from tools_helpers import FIXTURES, from_text, load

from game.commands.test import exhaustive_report
from game.tools.exhaustive import MAX_OUTCOMES, Outcomes, search


def _all(outcomes: Outcomes, calls: list[tuple[int, int] | str]) -> list[tuple[int, ...]]:
    """Drive the dice like a move that makes `calls` (a str: a call whose bounds are the
    previous outcome, 1 to it)."""
    seen = []
    for roll in outcomes:
        got: list[int] = []
        for call in calls:
            lo, hi = (1, got[-1]) if isinstance(call, str) else call
            got.append(roll(lo, hi, len(got)))
        seen.append(tuple(got))
    return seen


def test_every_combination_once() -> None:
    seen = _all(Outcomes(), [(1, 3), (0, 1)])
    assert sorted(seen) == [(a, b) for a in (1, 2, 3) for b in (0, 1)]
    assert len(seen) == len(set(seen)) == 6


def test_a_call_whose_bounds_depend_on_an_earlier_one() -> None:
    seen = _all(Outcomes(), [(1, 3), "1 to the first"])
    assert sorted(seen) == [(1, 1), (2, 1), (2, 2), (3, 1), (3, 2), (3, 3)]


def test_too_many_outcomes_are_cut_and_said() -> None:
    outcomes = Outcomes(limit=10)
    seen = _all(outcomes, [(1, 100)])
    assert len(seen) == 10 and outcomes.widest >= 100


def test_the_dice_fixture_is_proven_with_each_roll_explored() -> None:
    report = search(load(FIXTURES / "dice"))
    assert report.complete and not report.failed and not report.too_wide
    assert report.coverage.facts["six"] > 0  # only a six unlocks it
    assert all(report.coverage.choices[("bet", c)] for c in ("again", "double_or_nothing"))


def test_a_range_too_wide_to_explore_is_reported_and_proves_nothing(tmp_path: Path) -> None:
    story = from_text(tmp_path, f"""\
        story: {{id: wide, title: Wide, start: a}}
        variables: {{n: 0}}
        scenes:
          a:
            text: "{{n}}"
            choices:
              - text: Roll
                goto: b
                effects: [{{compute: {{n: "random(1, {MAX_OUTCOMES * 2})"}}}}]
          b: {{text: "{{n}}", ending: {{id: e, title: E}}}}
        """)
    report = search(story)
    assert not report.complete
    assert report.too_wide and "story.yaml:7:9 (2048 outcomes or more)" in report.too_wide[0]
    lines, _ = exhaustive_report(story, report)
    assert any("random() has more outcomes than the search tries for one choice" in line
               for line in lines)


def test_a_stuck_state_only_some_rolls_reach_says_so(tmp_path: Path) -> None:
    story = from_text(tmp_path, """\
        story: {id: luck, title: Luck, start: a}
        variables: {n: 0}
        scenes:
          a:
            text: "{n}"
            choices:
              - {text: Roll, goto: b, effects: [{compute: {n: "random(1, 2)"}}]}
          b:
            text: "{n}"
            choices:
              - {text: Win, goto: c, if: n == 1}
          c: {text: t, ending: {id: e, title: E}}
        """)
    report = search(story)
    assert report.complete and len(report.stuck) == 1  # n == 2 gets stuck in b
    lines, verdict = exhaustive_report(story, report)
    assert any("the route rolls random(): some of its outcomes lead here" in line
               for line in lines)
    assert verdict == "the exhaustive search found 1 problem"
