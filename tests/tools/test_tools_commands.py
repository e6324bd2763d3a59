"""`offscreen test`, `graph` and `check --stats` as an author meets them: output and exits."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from tools_helpers import EXAMPLE, FIXTURES, LOOP_AND_COUNTER

from game.cli import main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _fixture(name: str) -> str:
    return str(FIXTURES / name)


def test_a_clean_story_passes_with_greppable_coverage(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "test", str(EXAMPLE), "--runs", "100")
    assert code == 0
    lines = out.splitlines()
    assert lines[-1] == "PASSED"
    assert "== random runs: 100 runs, seeds 0-99, strategy least-taken, at most 1000 steps each" \
        in lines
    assert re.search(r"^scene +\d+  lobby +\S*docs/example/scenes.yaml:2:3$", out, re.M)
    assert re.search(r"^choice +\d+  lobby/hello +\S*docs/example/scenes.yaml:14:9$", out, re.M)
    assert re.search(r"^fact +\d+  sam_secret +\S*docs/example/story.yaml:25:3$", out, re.M)
    assert re.search(r"^ending +\d+  friends +\S*docs/example/scenes.yaml:86:13$", out, re.M)
    assert "never reached: nothing - every scene, choice, fact and ending was reached" in lines
    assert "reached: scenes 7/7, choices 10/10, facts 2/2, endings 2/2" in lines
    assert re.search(r"^ok: playthrough 'make_a_friend' \(3 steps, at ending 'friends'\)", out,
                     re.M)


def test_never_reached_items_are_listed_by_file_line_but_do_not_fail(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "test", _fixture("unreachable"), "--runs", "100")
    assert code == 0
    never = [line for line in out.splitlines() if ": never reached: " in line]
    assert [line.split(": never reached: ")[1] for line in never] == [
        "scene 'vault'", "scene 'attic'", "choice 'hallway/vault_door'", "fact 'map'",
        "fact 'gold'"]
    assert never[1].endswith("unreachable/story.yaml:39:3: never reached: scene 'attic'")


def test_a_stuck_run_fails_with_seed_route_and_steps(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "test", _fixture("stuck"), "--runs", "30", "--strategy",
                        "uniform")
    assert code == 1
    error = next(line for line in out.splitlines() if ": error: run " in line)
    assert re.match(r"\S*stuck/story.yaml:14:3: error: run (\d+) \(seed \1\): stuck in scene "
                    r"'door': no choice is available and it is not an ending$", error)
    assert "    hidden: 'Unlock the door' (unlock_the_door): if: has_key" in out
    assert "    route: porch > walk_to_the_door > door" in out
    assert "    replay it as a playthrough: steps: [walk_to_the_door]" in out
    assert re.search(r"^FAILED: \d+ of 30 random runs failed \(\d+ stuck\)$", out, re.M)


@pytest.mark.parametrize("strategy", ["uniform", "least-taken"])
def test_the_rerun_command_reproduces_the_failure(
        strategy: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "test", _fixture("runtime_error"), "--runs", "20", "--seed",
                        "5", "--strategy", strategy)
    assert code == 1
    lines = out.splitlines()
    error = next(line for line in lines if ": error: run " in line)
    rerun = next(line for line in lines if line.startswith("    rerun: offscreen test "))
    args = shlex.split(rerun.removeprefix("    rerun: offscreen "))
    code, again, _ = _run(capsys, *args)
    assert code == 1
    assert error.split(": error: ")[1].split(": ", 1)[1] == "division by zero"
    run_line = re.escape(error.split(" (seed ")[1])
    assert re.search(rf"error: run \d+ \(seed {run_line}$", again, re.M), again


def test_an_endless_loop_fails_and_names_the_scenes_it_circles(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "test", _fixture("loop"), "--runs", "20", "--max-steps", "50")
    assert code == 1
    assert re.search(r"loop/story.yaml:9:3: error: run \d+ \(seed \d+\): no ending after 50 "
                     r"steps: possible endless loop among scenes fork, maze$", out, re.M)
    assert re.search(r"^    route: hall > enter_the_maze > maze, then 49 more steps without "
                     r"leaving scenes fork, maze$", out, re.M)


def test_failing_playthroughs_show_the_step_and_expected_versus_actual(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "test", _fixture("playthroughs"), "--runs", "10")
    assert code == 1
    assert re.search(r"^ok: playthrough 'passes' \(4 steps, at ending 'left'\)", out, re.M)
    assert re.search(r"playthroughs/story.yaml:49:13: error: playthrough 'wrong_expectation' "
                     r"failed at the end: expectation not met \(the final 'expect'\)$", out,
                     re.M)
    assert "    variables: coffees expected 3, actual 2" in out
    assert re.search(r"playthroughs/story.yaml:51:13: error: playthrough 'missing_choice' "
                     r"failed at step 1 of 1 \('pay'\): no available choice 'pay' in scene "
                     r"'counter'$", out, re.M)
    assert out.splitlines()[-1] == "FAILED: 3 of 4 scripted playthroughs failed"


def test_exhaustive_proves_unreachable_things(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "test", _fixture("unreachable"), "--exhaustive")
    assert code == 0
    assert re.search(r"^== exhaustive search: complete, \d+ distinct states \(budget 200000\)",
                     out, re.M)
    assert re.search(r"story.yaml:33:3: proven unreachable: scene 'vault'$", out, re.M)
    assert "random runs" not in out


def test_exhaustive_proves_an_endless_loop(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "test", _fixture("loop"), "--exhaustive")
    assert code == 1
    assert re.search(r"loop/story.yaml:9:3: error: no ending can be reached after entering "
                     r"scene 'maze' this way: the story loops forever from here$", out, re.M)
    assert "    shortest route: hall > enter_the_maze > maze" in out
    assert out.splitlines()[-1] == "FAILED: the exhaustive search found 1 problem"


def test_exhaustive_says_plainly_when_its_budget_ran_out(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "test", str(EXAMPLE), "--exhaustive", "--max-states", "4")
    assert code == 1  # not proven is not passed
    assert out.splitlines()[-1].startswith(
        "NOT PROVEN: the exhaustive search ran out of its 4 states")
    assert "== exhaustive search: INCOMPLETE, the budget of 4 states ran out." in out
    assert "it proves NOTHING about the rest" in out
    assert ": not reached (unproven): " in out and "proven unreachable" not in out


def test_a_cut_search_names_what_grows_and_still_reports_the_loops_it_explored(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text(LOOP_AND_COUNTER, encoding="utf-8")
    code, out, _ = _run(capsys, "test", str(tmp_path), "--exhaustive", "--max-states", "40")
    assert code == 1
    lines = out.splitlines()
    assert "== exhaustive search: INCOMPLETE, the budget of 40 states ran out." in out
    assert any(line.startswith("growing: n (up to ") for line in lines)
    assert any(line.endswith("error: no ending can be reached after entering scene 'a' "
                             "this way: the story loops forever from here") for line in lines)
    assert lines[-1].startswith("FAILED: the exhaustive search found 1 problem; the "
                                "exhaustive search ran out of its 40 states; growing: n")
    assert "PASSED" not in out


@pytest.mark.parametrize(("args", "message"), [
    (["--runs", "-1"], "--runs must be 0 or more"),
    (["--max-steps", "0"], "--max-steps must be at least 1"),
    (["--max-states", "0"], "--max-states must be at least 1"),
])
def test_bad_numbers_are_usage_errors(args: list[str], message: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "test", str(EXAMPLE), *args)
    assert (code, out, err) == (2, "", f"offscreen test: {message}\n")


def test_a_broken_story_is_reported_not_tested(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "s.yaml").write_text("story: {id: b, title: B, start: nowhere}\n"
                                     "scenes:\n  a: {text: A., next: a}\n")
    code, out, _ = _run(capsys, "test", str(tmp_path))
    assert code == 1
    assert "s.yaml:1:33: error: start scene 'nowhere' does not exist" in out
    assert out.splitlines()[-1] == ("offscreen test: the story has errors; fix them first "
                                    "(see `offscreen check`)")
    code, out, err = _run(capsys, "graph", str(tmp_path))
    assert (code, out) == (1, "")
    assert "start scene 'nowhere' does not exist" in err


START_FAILS = """\
story: {id: f, title: F, start: a}
variables: {n: 1000000000000000}
scenes:
  a:
    text: "{n}"
    on_enter: [{add: {n: 1}}]
    choices: [{text: Go, goto: z}]
  z: {text: Z., ending: {id: z, title: Z}}
playthroughs:
  go: {steps: [Go]}
"""


@pytest.mark.parametrize("mode", [[], ["--exhaustive"], ["--runs", "0"]])
def test_a_story_that_fails_as_it_starts_is_reported_not_a_crash(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: list[str]) -> None:
    """The start scene's on_enter can fail (here an add past the range): every run, the
    search and the playthroughs start there, so it is one error at its line, not Python's."""
    (tmp_path / "s.yaml").write_text(START_FAILS, encoding="utf-8")
    code, out, err = _run(capsys, "test", str(tmp_path), *mode)
    assert code == 1 and "internal error" not in out + err
    assert "s.yaml:6:26: error: add n: the result (1000000000000001) would leave" in out
    assert out.splitlines()[-1].startswith("FAILED: the story fails as it starts")


def test_graph_prints_dot_by_default_and_mermaid_on_request(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "graph", str(EXAMPLE))
    assert code == 0 and out.startswith("// Story map of 'First Day'") and "digraph" in out
    code, out, _ = _run(capsys, "graph", str(EXAMPLE), "--format", "mermaid")
    assert code == 0 and "\nflowchart TD\n" in out


def test_check_stats_prints_the_table_after_the_summary(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "check", str(EXAMPLE), "--stats")
    assert code == 0
    assert "\n\nstats for 'First Day':\nchapter " in out
    assert re.search(r"^total +219 +7 +10 +2 +2$", out, re.M)


@pytest.mark.parametrize("where", ["choice", "on_enter", "shown text"])
@pytest.mark.parametrize("exhaustive", [False, True])
def test_a_division_by_a_variable_that_is_zero_fails_at_its_place(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str,
        exhaustive: bool) -> None:
    """A `compute` (in a choice's effects or an on_enter) or a shown `{?COND|..}` dividing
    by a variable that is 0 in play: `offscreen test` and `--exhaustive` fail with the
    run-time error at the '/', never a traceback."""
    compute = '[{compute: {x: "10 / n"}}]'
    lines = {"choice": f"      - {{text: Go, goto: b, effects: {compute}}}",
             "on_enter": f"      - {{text: Go, goto: b}}\n  b:\n    on_enter: {compute}",
             "shown text": "      - {text: Go, goto: b}\n  b:\n    title: '{?10 / n > 1|B}'"}
    text = ("story: {id: z, title: Z, start: a}\nvariables: {n: 0, x: 0.0}\nscenes:\n"
            "  a:\n    text: A.\n    choices:\n" + lines[where] + "\n")
    if where == "choice":
        text += "  b:\n"
    text += "    text: '{x}'\n    next: c\n  c: {text: C., ending: {id: e, title: E}}\n"
    (tmp_path / "story.yaml").write_text(text, encoding="utf-8")
    code, out, err = _run(capsys, "test", str(tmp_path), "--runs", "3",
                          *(["--exhaustive"] if exhaustive else []))
    place = {"choice": "7:56", "on_enter": "9:33", "shown text": "8:6"}[where]
    assert code == 1 and "Traceback" not in out + err, out
    assert re.search(rf"story\.yaml:{place}: error: (run 0 \(seed 0\): )?division by zero", out)


def test_a_number_a_loop_grows_is_reported_with_the_loop_not_steps(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Its `add` fails only after ~10^15 laps: no playthrough replays it, so none is offered,
    nor the hint about rolls; the message says a bound stops it (which the search proves)."""
    story = ("story: {id: d, title: Days, start: camp}\nvariables: {day: 0}\nscenes:\n"
             "  camp:\n    title: 'Day {day}'\n    text: You rest.\n    choices:\n"
             "      - {text: Rest, id: rest, goto: camp, effects: [{add: {day: 1}}]}\n"
             "      - {text: Leave, id: leave, goto: out}\n"
             "  out: {text: Out., ending: {id: out, title: Out}}\n")
    (tmp_path / "story.yaml").write_text(story, encoding="utf-8")
    code, out, _ = _run(capsys, "test", str(tmp_path), "--exhaustive")
    assert code == 1
    error = next(line for line in out.splitlines() if ": error: add day: " in line)
    assert error.startswith(f"{tmp_path / 'story.yaml'}:8:")
    assert "give it a bound ('day: {default: ..., max: ...}'" in error
    assert "    route into the loop: camp" in out
    assert "replay it as a playthrough" not in out and "the route rolls" not in out
    (tmp_path / "story.yaml").write_text(
        story.replace("{day: 0}", "{day: {default: 0, max: 30}}"), encoding="utf-8")
    code, out, _ = _run(capsys, "test", str(tmp_path), "--exhaustive")
    assert code == 0 and out.splitlines()[-1] == "PASSED"
