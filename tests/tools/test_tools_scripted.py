"""Scripted playthroughs: matching steps, continuing, expectations, and failure reports."""

from __future__ import annotations

from pathlib import Path

from tools_helpers import EXAMPLE, STARTER, fixture, from_text, load

from game.engine import Engine
from game.story.model import Playthrough, Step, Story
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


def _results_of(tmp_path: Path, text: str) -> dict[str, scripted.Result]:
    story = from_text(tmp_path, text)
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


DICE_HEADER = """\
story: {id: dice, title: Dice, start: roll}
variables:
  die: {default: 0, min: 0, max: 6}
scenes:
  roll:
    text: You roll.
    choices: [{text: Roll, goto: result, effects: [{compute: {die: "random(1, 6)"}}]}]
  result:
    text: "You rolled {die}."
    choices:
      - {text: Six!, if: die == 6, goto: win}
      - {text: Not six, if: die != 6, goto: lose}
  win: {text: Won., ending: {id: win, title: Won}}
  lose: {text: Lost., ending: {id: lose, title: Lost}}
playthroughs:
"""


def _rolls(story: object) -> dict[int, int]:
    """What the die shows after the first choice, by game seed (the Engine's own roll)."""
    assert isinstance(story, Story)
    engine = Engine(story)
    out = {}
    for seed in range(40):
        state = engine.start(seed)
        out[seed] = engine.take(state, engine.choices(state)[0]).variables["die"]
    return out


def test_a_playthrough_plays_with_its_seed_and_without_one_with_seed_0(tmp_path: Path) -> None:
    story = from_text(tmp_path, DICE_HEADER + "  probe: {steps: [Roll]}\n")
    rolls = _rolls(story)
    six = next(seed for seed, value in rolls.items() if value == 6)
    other = next(seed for seed, value in rolls.items() if value != rolls[0])
    results = _results_of(tmp_path, DICE_HEADER + f"""\
  lucky: {{seed: {six}, steps: [Roll, Six!], expect: {{ending: win, variables: {{die: 6}}}}}}
  default: {{steps: [Roll], expect: {{variables: {{die: {rolls[0]}}}}}}}
  other: {{seed: {other}, steps: [Roll], expect: {{variables: {{die: {rolls[0]}}}}}}}
""")
    assert results["lucky"].ok, results["lucky"].failure
    assert results["lucky"].playthrough.seed == six
    assert results["default"].ok and results["default"].playthrough.seed == 0
    failure = results["other"].failure
    assert failure is not None and f"die expected {rolls[0]}, actual {rolls[other]}" in str(
        failure.details)


def test_the_report_names_a_playthroughs_seed(tmp_path: Path) -> None:
    from game.commands.test import scripted_report

    story = from_text(tmp_path, DICE_HEADER + """\
  seeded: {seed: 5, steps: [Roll]}
  failing: {seed: 9, steps: [Roll, Nowhere]}
  plain: {steps: [Roll]}
""")
    lines, verdict = scripted_report(story)
    text = "\n".join(lines)
    assert "ok: playthrough 'seeded' (1 steps, at scene 'result', seed 5)" in text
    assert "ok: playthrough 'plain' (1 steps, at scene 'result')  " in text
    assert "    game seed: 9 (the playthrough's 'seed')" in text
    assert verdict == "1 of 3 scripted playthroughs failed"


def test_a_seed_that_is_no_game_seed_is_an_error_at_its_line(tmp_path: Path) -> None:
    from game.story import codes
    from game.story.files import load_story

    (tmp_path / "story.yaml").write_text(DICE_HEADER + """\
  a: {steps: [Roll], seed: 4294967296}
  b: {steps: [Roll], seed: 2.5}
""", encoding="utf-8")
    result = load_story(tmp_path)
    found = [(d.pos.line, d.pos.col, d.code, d.message) for d in result.errors]
    line = DICE_HEADER.count("\n") + 1
    assert found == [
        (line, 28, codes.BAD_SEED.code, "seed of playthrough 'a' must be a whole number from 0 "
         "to 4294967295, not the number 4294967296"),
        (line + 1, 28, codes.BAD_SEED.code, "seed of playthrough 'b' must be a whole number "
         "from 0 to 4294967295, not the number 2.5")]
