"""Scripted playthroughs: matching steps, continuing, expectations, and failure reports."""

from __future__ import annotations

from pathlib import Path

from tools_helpers import EXAMPLE, STARTER, fixture, from_text, load

from game.engine import Engine
from game.story.model import Playthrough, Step
from game.tools import scripted

CAFE_HEADER = """\
story: {id: cafe, title: Cafe, start: counter}
variables: {coffees: 0, mood: "calm", ratio: 0.5}
facts:
  beans: {title: Beans, text: From the hill.}
scenes:
  counter:
    text: "Coffees: {coffees}, mood {mood}, ratio {ratio}."
    choices:
      - {text: Order a coffee, id: order, goto: counter, effects: [{add: {coffees: 1}}]}
      - {text: Ask about the beans, id: ask, goto: story_time, once: true}
      - {text: "Pay ({coffees})", id: pay, goto: door, if: coffees > 0}
  story_time:
    text: A story.
    on_enter: [{unlock: beans}, {set: {mood: "happy"}}]
    next: aside
  aside:
    text: An aside.
    next: counter
  door:
    text: Bye.
    ending: {id: left, title: Left}
"""


def _results(tmp_path: Path, playthroughs: str) -> dict[str, scripted.Result]:
    story = from_text(tmp_path, CAFE_HEADER + "playthroughs:\n" + playthroughs)
    return {r.playthrough.name: r for r in scripted.run_all(story)}


def _line_of(tmp_path: Path, text: str, nth: int = 1) -> int:
    lines = (tmp_path / "story.yaml").read_text().splitlines()
    found = [number for number, line in enumerate(lines, start=1) if text in line]
    return found[nth - 1]


def test_the_example_and_starter_playthroughs_pass() -> None:
    for folder in (EXAMPLE, STARTER):
        results = scripted.run_all(load(folder))
        assert results and all(r.ok for r in results), [r.failure for r in results]


def test_steps_by_id_or_text_and_next_scenes_continue_by_themselves(tmp_path: Path) -> None:
    results = _results(tmp_path, """\
      by_text_and_id:
        steps: [Order a coffee, ask, order, "Pay (2)"]
        expect: {ending: left, facts: [beans], variables: {coffees: 2, mood: happy}}
      explicit_continues:
        steps: [ask, Continue, continue, order, pay]
        expect: {ending: left}
    """)
    assert all(r.ok for r in results.values()), [r.failure for r in results.values()]
    assert results["by_text_and_id"].state.scene == "door"


def test_a_step_expectation_is_checked_before_continuing(tmp_path: Path) -> None:
    results = _results(tmp_path, """\
      at_the_next_scene:
        steps: [{choose: ask, expect: {scene: story_time, facts: [beans]}}]
        expect: {scene: counter}
    """)
    result = results["at_the_next_scene"]
    assert result.ok, result.failure
    assert result.state.scene == "counter"  # the final expect is after the Continues


def test_failed_expectation_shows_expected_and_actual(tmp_path: Path) -> None:
    results = _results(tmp_path, """\
      wrong:
        steps: [order, order, pay]
        expect:
          ending: left
          scene: counter
          facts: [beans]
          variables: {coffees: 3, mood: calm, ratio: 0.5}
    """)
    failure = results["wrong"].failure
    assert failure is not None and failure.step is None
    assert failure.message == ("playthrough 'wrong' failed at the end: expectation not met "
                               "(the final 'expect')")
    assert failure.details == (
        "scene: expected 'counter', actual 'door'",
        "facts: expected beans; missing beans (unlocked in this run: none)",
        "variables: coffees expected 3, actual 2",
    )
    assert failure.route == "counter > order > counter > order > counter > pay > door"
    assert failure.pos.line == _line_of(tmp_path, "ending: left")  # the final `expect:`


def test_an_ending_expected_but_not_reached(tmp_path: Path) -> None:
    results = _results(tmp_path, """\
      not_there_yet:
        steps: [order]
        expect: {ending: left}
    """)
    failure = results["not_there_yet"].failure
    assert failure is not None
    assert failure.details == ("ending: expected 'left', actual no ending yet "
                               "(in scene 'counter')",)


def test_the_step_where_it_diverged_is_named_with_its_place(tmp_path: Path) -> None:
    results = _results(tmp_path, """\
      hidden_choice:
        steps:
          - order
          - ask
          - ask
    """)
    failure = results["hidden_choice"].failure
    assert failure is not None and failure.step == 3
    assert failure.message == ("playthrough 'hidden_choice' failed at step 3 of 3 ('ask'): "
                               "no available choice 'ask' in scene 'counter'")
    assert failure.details == (
        "available: 'Order a coffee' (order), 'Pay (1)' (pay)",
        "'ask' is in this scene but hidden now (its 'if' is false, or it is 'once' and was "
        "taken)",
    )
    third = _line_of(tmp_path, "- ask", nth=2)
    assert (failure.pos.line, failure.pos.col) == (third, 13)  # the third step's text
    assert failure.route == "counter > order > counter > ask > story_time > continue > aside " \
                            "> continue > counter"


def test_a_step_after_the_ending_says_the_story_ended(tmp_path: Path) -> None:
    results = _results(tmp_path, "  too_far:\n    steps: [order, pay, order]\n")
    failure = results["too_far"].failure
    assert failure is not None and failure.step == 3
    assert "the story already ended at 'left'" in failure.message


def test_text_matching_two_choices_is_ambiguous(tmp_path: Path) -> None:
    story = from_text(tmp_path, """\
        story: {id: twins, title: Twins, start: a}
        scenes:
          a:
            text: Two doors that look alike.
            choices:
              - {text: Open the door, id: left, goto: b}
              - {text: Open the door, id: right, goto: b}
          b: {text: End., ending: {id: e, title: E}}
        playthroughs:
          vague: {steps: [Open the door]}
          precise: {steps: [right], expect: {ending: e}}
        """)
    results = {r.playthrough.name: r for r in scripted.run_all(story)}
    failure = results["vague"].failure
    assert failure is not None
    assert "'Open the door' matches 2 choices in scene 'a'; name one by its id" in \
        failure.message
    assert failure.details == ("matching: 'Open the door' (left), 'Open the door' (right)",)
    assert results["precise"].ok


def test_a_story_error_during_a_playthrough_is_reported_not_raised() -> None:
    story = fixture("runtime_error")
    engine = Engine(story)
    playthrough = Playthrough("alone", (Step("Start eating alone", None, story.pos),), None,
                              story.pos)
    result = scripted.run(engine, playthrough)
    assert result.failure is not None
    assert result.failure.message == ("playthrough 'alone' hit a story error at step 1: "
                                      "division by zero")
    assert result.failure.pos.line == 19


def test_a_loop_of_next_scenes_is_reported(tmp_path: Path) -> None:
    story = from_text(tmp_path, """\
        story: {id: spin, title: Spin, start: a}
        scenes:
          a:
            text: Start.
            choices:
              - {text: Spin, goto: b}
              - {text: Stop, goto: z}
          b: {text: B., next: c}
          c: {text: C., next: b}
          z: {text: Z., ending: {id: z, title: Z}}
        playthroughs:
          dizzy: {steps: [Spin]}
          dizzier: {steps: [Spin, Stop]}
        """)
    results = {r.playthrough.name: r for r in scripted.run_all(story)}
    for name in ("dizzy", "dizzier"):
        failure = results[name].failure
        assert failure is not None
        assert f"followed {scripted.MAX_CONTINUES} Continues in a row" in failure.message


def test_variables_compare_as_the_story_does(tmp_path: Path) -> None:
    """1 and 1.0 are the same number; true is not 1."""
    story = from_text(tmp_path, """\
        story: {id: v, title: V, start: a}
        variables: {ratio: 0.5, flag: false, n: 1}
        scenes:
          a:
            text: "{ratio} {flag} {n}"
            choices:
              - {text: Go, goto: b, effects: [{add: {ratio: 0.5}}]}
              - {text: Stay, goto: a}
          b: {text: B., ending: {id: b, title: B}}
        playthroughs:
          numbers: {steps: [Go], expect: {variables: {ratio: 1, flag: false, n: 1}}}
          wrong: {steps: [Go], expect: {variables: {ratio: 2, flag: true}}}
        """)
    results = {r.playthrough.name: r for r in scripted.run_all(story)}
    assert results["numbers"].ok, results["numbers"].failure
    failure = results["wrong"].failure
    assert failure is not None
    assert failure.details == ("variables: ratio expected 2, actual 1",
                               "variables: flag expected true, actual false")
