"""The Engine's one place for choice conditions, with format v2's locks: `if` hides a choice,
`enabled` locks it in plain sight; a locked choice is shown with its rendered reason, is
never among the choices that can be taken, and taking it is refused, not a traceback."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from game.engine import ChoiceLocked, ChoiceNotAvailable, ChoiceView, Engine, StoryRuntimeError
from game.story.files import load_or_raise
from game.story.model import Story

STORY = """\
story: {id: t, title: T, start: hall}
variables: {keys: 0, zero: 0}
facts:
  map: {title: Map, text: A map.}
scenes:
  hall:
    text: The hall.
    choices:
      - {text: Take a key, goto: hall, effects: [{add: {keys: 1}}]}
      - text: Open the door
        goto: door
        enabled: keys >= 2
        reason: "You hold {keys} of 2 keys."
      - {text: Peek, goto: door, enabled: has(map)}
      - {text: Hidden, goto: door, if: keys > 5, enabled: keys > 9}
      - {text: Divide, goto: door, if: keys == 3, enabled: 1 / zero > 0}
  door: {text: Out., ending: {id: out, title: Out}}
"""


def story(tmp_path: Path, text: str = STORY) -> Story:
    (tmp_path / "story.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return load_or_raise(tmp_path)


def test_a_locked_choice_is_shown_with_its_reason_but_cannot_be_taken(tmp_path: Path) -> None:
    engine = Engine(story(tmp_path))
    state = engine.start()
    assert engine.view(state).choices == (
        ChoiceView("take_a_key", "Take a key", False),
        ChoiceView("open_the_door", "Open the door", False, True, "You hold 0 of 2 keys."),
        ChoiceView("peek", "Peek", False, True, None),
    )
    assert [c.id for c in engine.choices(state)] == ["take_a_key"]
    shown, locked = engine.shown(state)
    assert [c.id for c in shown] == ["take_a_key", "open_the_door", "peek"]
    assert locked == {"open_the_door", "peek"}
    assert not engine.view(state).stuck


def test_the_lock_opens_when_its_condition_holds_and_the_reason_follows_the_state(
        tmp_path: Path) -> None:
    engine = Engine(story(tmp_path))
    one = engine.choose(engine.start(), "take_a_key")
    assert engine.view(one).choices[1].reason == "You hold 1 of 2 keys."
    two = engine.choose(one, "take_a_key")
    door = engine.view(two).choices[1]
    assert (door.locked, door.reason) == (False, None)
    assert engine.choose(two, "open_the_door").scene == "door"


def test_choosing_or_taking_a_locked_choice_is_refused_with_its_reason(tmp_path: Path) -> None:
    engine = Engine(story(tmp_path))
    state = engine.start()
    with pytest.raises(ChoiceLocked) as refused:
        engine.choose(state, "open_the_door")
    assert refused.value.reason == "You hold 0 of 2 keys."
    assert str(refused.value) == ("choice 'open_the_door' of scene 'hall' is locked: You hold 0 "
                                  "of 2 keys.")
    assert isinstance(refused.value, ChoiceNotAvailable)  # front ends that know only that
    door = engine.story.scenes["hall"].choices[1]
    with pytest.raises(ChoiceLocked):
        engine.take(state, door)
    with pytest.raises(ChoiceLocked) as no_reason:
        engine.choose(state, "peek")
    assert no_reason.value.reason is None
    assert str(no_reason.value) == "choice 'peek' of scene 'hall' is locked"
    with pytest.raises(ChoiceNotAvailable):  # hidden by its `if`: not shown at all
        engine.choose(state, "hidden")


def test_a_scene_whose_every_shown_choice_is_locked_is_stuck(tmp_path: Path) -> None:
    engine = Engine(story(tmp_path, """\
        story: {id: t, title: T, start: a}
        variables: {n: 0}
        scenes:
          a:
            text: A.
            choices:
              - {text: Go, goto: b, enabled: n > 0, reason: Not yet.}
          b: {text: B., ending: {id: b, title: B}}
        """))
    view = engine.view(engine.start())
    assert view.stuck
    assert view.choices == (ChoiceView("go", "Go", False, True, "Not yet."),)
    assert engine.choices(engine.start()) == ()


def test_a_lock_that_fails_in_play_is_a_story_error_at_its_place(tmp_path: Path) -> None:
    engine = Engine(story(tmp_path))
    state = engine.start()
    for _ in range(3):
        state = engine.choose(state, "take_a_key")
    with pytest.raises(StoryRuntimeError) as failed:
        engine.choices(state)
    line = STORY.splitlines()[15]
    assert "Divide" in line
    assert (failed.value.pos.line, failed.value.pos.col) == (  # type: ignore[attr-defined]
        16, line.index("/ zero") + 1)
    assert failed.value.message == "division by zero"


def test_take_decides_a_lock_as_shown_does(tmp_path: Path) -> None:
    """`take` settles a lock from the choice's own `enabled` when it holds, and asks `shown`
    otherwise: a choice hidden by its `if` is no locked one (whether it is shown at all is
    the caller's to ask), and a lock that fails to evaluate fails as `choices` does."""
    engine = Engine(story(tmp_path))
    hall = engine.story.scenes["hall"].choices
    hidden, divide = hall[3], hall[4]
    state = engine.start()
    assert engine.take(state, hidden).scene == "door"  # hidden, `enabled` false: not locked
    assert engine.take(state, divide).scene == "door"  # hidden: its lock is never evaluated
    for _ in range(3):
        state = engine.choose(state, "take_a_key")
    with pytest.raises(StoryRuntimeError, match="division by zero"):
        engine.take(state, divide)  # shown: its lock fails, at its place
    for _ in range(8):
        state = engine.take(state, hall[0])
    assert engine.take(state, hidden).scene == "door"  # keys 11: shown and open


def test_choice_views_are_plain_frozen_values(tmp_path: Path) -> None:
    """The view's choices are made through `construct.fast_constructor` (a draft): still exactly
    `ChoiceView`s, equal, hashable and frozen."""
    views = Engine(story(tmp_path)).view(Engine(story(tmp_path)).start()).choices
    assert all(type(v) is ChoiceView for v in views)
    assert hash(views[1]) == hash(ChoiceView("open_the_door", "Open the door", False, True,
                                             "You hold 0 of 2 keys."))
    with pytest.raises(AttributeError):
        views[0].text = "changed"  # type: ignore[misc]
