"""A run-time error's route ends with the move that failed, so its `steps:` replay it.

An error raised while taking a choice (its effect, or the `on_enter` of the scene it enters)
leaves no state after the move: the route to the state before it, pasted as a playthrough,
is a run that passes. Random runs (the fast runner and the Engine's loop) and the exhaustive
search all print the failing move last.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tools_helpers import from_text

from game.tools import scripted
from game.tools.exhaustive import search
from game.tools.findings import Finding
from game.tools.playtest import random_runs
from game.tools.trail import as_steps

STORY = """\
story: {id: t, title: T, start: hub}
variables: {n: 0, lo: 0}
scenes:
  hub:
    text: "Hub {n} {lo}."
    choices:
      - {text: Up, id: up, goto: hub, effects: [{add: {n: 1}}], if: n < 3}
      - {text: Cross, id: cross, goto: hub, if: n == 1, effects: [{compute: {lo: "clamp(n, 5, n)"}}]}
      - {text: Enter, id: enter, goto: bad, if: n == 2}
      - {text: Peek, id: peek, goto: back, if: n == 3}
      - {text: Errand, id: errand, call: back, if: n == 0}
      - {text: Leave, id: leave, goto: done}
  bad:
    text: Bad.
    on_enter: [{compute: {lo: "clamp(n, 9, n)"}}]
    choices: [{text: Out, goto: hub}]
  back: {text: Back., return: true}
  done: {text: Done., ending: {id: e, title: E}}
"""

MESSAGES = {"cross": "lo (5) is above hi (1)", "enter": "lo (9) is above hi (2)",
            "peek": "reached without a call"}


def _replays(tmp_path: Path, finding: Finding) -> str:
    """The error a playthrough of the finding's printed steps hits ('' when it passes)."""
    text = STORY + f"playthroughs:\n  replay:\n    steps: {as_steps(finding.moves)}\n"
    folder = tmp_path / f"replay{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    (result,) = scripted.run_all(from_text(folder, text))
    return "" if result.failure is None else result.failure.message


def _by_message(findings: list[Finding]) -> dict[str, Finding]:
    out: dict[str, Finding] = {}
    for finding in findings:
        for key, message in MESSAGES.items():
            if message in finding.message:
                out.setdefault(key, finding)
    return out


@pytest.mark.parametrize("how", ["search", "runner", "reference"])
def test_each_errors_steps_replay_it(tmp_path: Path, how: str) -> None:
    story = from_text(tmp_path, STORY)
    if how == "search":
        found = _by_message(search(story).errors)
    else:
        report = random_runs(story, 300, seed=0, reference=how == "reference")
        found = _by_message([p for p in report.problems if p.kind == "error"])
    assert set(found) == set(MESSAGES)
    for key, finding in found.items():
        last = finding.moves[-1]
        assert (last.choice if key != "peek" else finding.moves[-2].choice) == key
        assert MESSAGES[key] in _replays(tmp_path, finding), (key, as_steps(finding.moves))
    assert found["enter"].moves[-1].to == "bad"  # where the failing move was going
    assert found["peek"].moves[-1].is_continue  # the return's Continue, with no call open
