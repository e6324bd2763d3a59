"""Locked choices (scene format v2's `enabled` and `reason`): read by both readers alike,
every mistake at its file:line:col, carried by the compiled cache, and counted as no way on
by the whole-story checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_loader import write

from game.story.files import load_story
from game.story.loader import Loader
from game.story.model import Template

HEADER = """\
story: {id: t, title: T, start: a}
variables: {n: 0, flag: false}
facts:
  f1: {title: F1, text: One.}
"""
END = "ending: {id: e, title: E}"


def diagnostics(folder: Path) -> list[str]:
    return [f"{Path(d.pos.file).name}:{d.pos.line}:{d.pos.col}: {d.severity}: {d.message}"
            for d in load_story(folder).diagnostics]


def scenes(tmp_path: Path, text: str) -> list[str]:
    """The diagnostics in b.yaml, the file holding `text`."""
    folder = write(tmp_path, {"a.yaml": HEADER, "b.yaml": text})
    return [d for d in diagnostics(folder) if d.startswith("b.yaml:")]


def test_a_locked_choice_is_read_with_its_condition_and_reason(tmp_path: Path) -> None:
    folder = write(tmp_path, {"a.yaml": HEADER, "b.yaml": f"""\
        scenes:
          a:
            text: t
            choices:
              - text: Wait
                goto: a
                effects: [{{add: {{n: 1}}}}]
              - text: Go
                goto: b
                enabled: n >= 2
                reason: "You have {{n}} of 2."
              - {{text: Stay, goto: b, enabled: true, if: flag or not flag}}
          b: {{text: t, {END}}}
        """})
    result = load_story(folder)
    assert [d.code for d in result.diagnostics] == ["OS702"]  # f1: never unlocked
    assert result.story is not None
    wait, go, stay = result.story.scenes["a"].choices
    assert wait.enabled is None and wait.reason is None
    assert go.enabled is not None and go.enabled.source == "n >= 2"
    assert (go.enabled.pos.line, go.enabled.pos.col) == (10, 18)
    assert go.reason == Template(("You have ", "n", " of 2."))
    assert stay.enabled is not None and stay.enabled.source == "true"
    assert stay.reason is None


def test_every_mistake_of_a_lock_is_reported_at_its_place_in_one_run(tmp_path: Path) -> None:
    got = scenes(tmp_path, f"""\
        scenes:
          a:
            text: t
            choices:
              - {{text: One, goto: b, enabled: maybe}}
              - {{text: Two, goto: b, enabled: 3}}
              - {{text: Three, goto: b, enabled: [flag]}}
              - {{text: Four, goto: b, enabled: n}}
              - {{text: Five, goto: b, enabled: fleg}}
              - {{text: Six, goto: b, reason: Not yet.}}
              - {{text: Seven, goto: b, enabled: n > 1, reason: "Need {{m}}"}}
              - {{text: Eight, goto: b, enabled: n >}}
              - {{text: Nine, goto: b, enabled: ~}}
              - {{text: Ten, goto: b}}
          b: {{text: t, {END}}}
        """)
    assert got == [
        "b.yaml:5:39: error: enabled: 'maybe' is neither true/false nor a declared variable; "
        "enabled takes a condition (like 'courage >= 2') or true/false",
        "b.yaml:6:39: error: enabled of a choice of scene 'a' must be a condition (like "
        "'courage >= 2') or true/false, not the number 3",
        "b.yaml:7:41: error: enabled of a choice of scene 'a' must be a condition (like "
        "'courage >= 2') or true/false, not a list",
        "b.yaml:8:40: error: this condition is a number, not true/false; did you mean 'n > 0'?",
        "b.yaml:9:40: error: enabled: 'fleg' is neither true/false nor a declared variable; "
        "enabled takes a condition (like 'courage >= 2') or true/false; did you mean 'flag'?",
        "b.yaml:10:38: warning: 'reason' without 'enabled' is never shown: a reason is shown "
        "only while its choice is locked, and only 'enabled' locks a choice; add enabled: "
        "CONDITION, or remove the reason",
        "b.yaml:11:62: error: {m} in the reason of a choice of scene 'a' is not a declared "
        "variable",
        "b.yaml:12:44: error: bad condition: the condition ends too early; expected a value",
        "b.yaml:13:40: error: enabled of a choice of scene 'a' must be a condition (like "
        "'courage >= 2') or true/false, not empty",
    ]


def test_a_word_enabled_names_that_is_a_variable_is_a_condition(tmp_path: Path) -> None:
    assert scenes(tmp_path, f"""\
        scenes:
          a:
            text: t
            choices:
              - {{text: One, goto: b, enabled: flag}}
              - {{text: Two, goto: b, enabled: "true"}}
              - {{text: Three, goto: b, effects: [{{set: {{flag: true}}}}]}}
          b: {{text: t, {END}}}
        """) == []


def test_a_scene_whose_every_choice_is_always_locked_is_an_error(tmp_path: Path) -> None:
    assert scenes(tmp_path, f"""\
        scenes:
          a:
            text: t
            choices:
              - {{text: One, goto: b, enabled: false, reason: Never.}}
              - {{text: Two, goto: b, if: false}}
          b: {{text: t, {END}}}
        """) == [
        "b.yaml:2:3: error: every choice of scene 'a' is always hidden or always locked (an "
        "'enabled' that is always false): the player would be stuck",
        # what only a locked choice leads to can never be reached
        "b.yaml:7:3: warning: scene 'b' can never be reached from the start scene 'a'",
        "b.yaml:7:24: warning: ending 'e' can never be reached",
    ]


def test_a_scene_whose_choices_can_all_be_hidden_or_locked_is_warned(tmp_path: Path) -> None:
    assert scenes(tmp_path, f"""\
        scenes:
          a:
            text: t
            choices:
              - {{text: More, goto: a, if: n < 2, effects: [{{add: {{n: 1}}}}]}}
              - {{text: Go, goto: b, enabled: n >= 3}}
          b: {{text: t, {END}}}
        """) == [
        "b.yaml:2:3: warning: every choice of scene 'a' can be hidden or locked at once (for "
        "example when n = 2), leaving the player stuck (a locked choice is no way on); add a "
        "choice without 'if' or 'enabled', or make sure one always holds",
    ]


def test_a_lock_that_always_holds_someone_open_is_not_a_dead_end(tmp_path: Path) -> None:
    assert scenes(tmp_path, f"""\
        scenes:
          a:
            text: t
            choices:
              - {{text: More, goto: a, if: n < 2, effects: [{{add: {{n: 1}}}}]}}
              - {{text: Go, goto: b, enabled: n >= 2}}
          b: {{text: t, {END}}}
        """) == []


def test_an_always_false_lock_and_a_lock_that_repeats_its_if_are_warned(
        tmp_path: Path) -> None:
    assert scenes(tmp_path, f"""\
        scenes:
          a:
            text: t
            choices:
              - {{text: One, goto: b, enabled: false}}
              - {{text: Two, goto: b, if: flag, enabled: flag}}
              - {{text: Three, goto: b, if: "n>1", enabled: n > 1}}
              - {{text: Four, goto: b, effects: [{{set: {{flag: true}}}}, {{add: {{n: 1}}}}]}}
          b: {{text: t, {END}}}
        """) == [
        "b.yaml:5:39: warning: this choice's 'enabled' is always false, so it is always "
        "locked: no player can ever take it",
        "b.yaml:6:49: warning: this choice's 'enabled' is its 'if': whenever it would be "
        "locked it is hidden, so its lock is never seen; drop the 'if' to show it locked",
        "b.yaml:7:52: warning: this choice's 'enabled' is its 'if': whenever it would be "
        "locked it is hidden, so its lock is never seen; drop the 'if' to show it locked",
    ]


def test_a_variable_read_only_by_a_lock_or_a_reason_is_read(tmp_path: Path) -> None:
    folder = write(tmp_path, {"a.yaml": "story: {id: t, title: T, start: a}\n"
                                        "variables: {n: 0, m: 0}\n", "b.yaml": f"""\
        scenes:
          a:
            text: t
            choices:
              - {{text: Go, goto: b, enabled: n > 0, reason: "{{m}} left"}}
              - {{text: Wait, goto: a, effects: [{{add: {{n: 1}}}}]}}
          b: {{text: t, {END}}}
        """})
    assert diagnostics(folder) == []


LOCKED = Path(__file__).parents[1] / "tools" / "fixtures" / "locked"


def test_both_readers_read_locked_choices_alike() -> None:
    """As tests/perf/test_perf_quick_paths.py: the careful readers alone give the same."""
    with pytest.MonkeyPatch.context() as m:
        m.setattr(Loader, "quick_choice", lambda self, *args: None)
        careful = load_story(LOCKED)
    assert load_story(LOCKED) == careful


@pytest.mark.usefixtures("_private_story_cache")
def test_the_cache_carries_the_lock_and_its_reason() -> None:
    cold = load_story(LOCKED)
    load_story(LOCKED, cache=True)
    warm = load_story(LOCKED, cache=True)
    assert warm == cold and warm.story is not None and cold.story is not None
    for scene_id, scene in cold.story.scenes.items():
        assert warm.story.scenes[scene_id] == scene
        for a, b in zip(scene.choices, warm.story.scenes[scene_id].choices, strict=True):
            assert (a.enabled, a.reason) == (b.enabled, b.reason)
    door = warm.story.scenes["hall"].choices[1]
    assert door.enabled is not None and door.enabled.evaluate({"keys": 2}, {}, set())
    assert not door.enabled.evaluate({"keys": 1}, {}, set())
