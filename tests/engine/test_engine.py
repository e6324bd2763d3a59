"""The rules of play, on the documented example story (so the guide's example stays true)."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine import ChoiceNotAvailable, Engine, GameState, StoryRuntimeError, format_value
from game.story.files import load_or_raise, load_story

EXAMPLE = Path(__file__).parents[2] / "docs" / "example"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_or_raise(EXAMPLE))


def ids(engine: Engine, state: GameState) -> list[str]:
    return [c.id for c in engine.choices(state)]


def test_start_enters_the_first_scene(engine: Engine) -> None:
    state = engine.start()
    assert state.scene == "lobby"
    assert state.visits == {"lobby": 1}
    assert state.variables == {"courage": 0, "met_sam": False, "name": "the new hire",
                               "pockets": ("badge",), "luck": 0}
    assert state.turn == 0 and state.previous is None and state.facts == ()


def test_conditions_once_and_effects(engine: Engine) -> None:
    state = engine.start()
    assert ids(engine, state) == ["take_a_deep_breath", "walk_into_the_kitchen"]
    braver = engine.choose(state, "take_a_deep_breath")
    assert braver.variables["courage"] == 1
    assert braver.visits["lobby"] == 2
    assert "lobby/take_a_deep_breath" in braver.taken
    # once: gone; the condition `courage >= 1 and not met_sam` now holds
    assert ids(engine, braver) == ["walk_into_the_kitchen", "hello"]
    assert state.variables["courage"] == 0  # the old state is untouched


def test_on_enter_unlock_set_and_next(engine: Engine) -> None:
    state = engine.choose(engine.choose(engine.start(), "take_a_deep_breath"), "hello")
    assert state.scene == "window"
    assert state.variables["met_sam"] is True
    assert state.facts == ("sam_secret",)
    assert state.new_facts == ("sam_secret",)
    view = engine.view(state)
    assert [(c.id, c.text, c.is_continue) for c in view.choices] == [
        ("continue", "Continue", True)]
    desk = engine.choose(state, "continue")
    assert desk.scene == "desk" and desk.new_facts == ()
    assert ids(engine, desk) == ["have_lunch_with_sam", "work_through_lunch"]


def test_view_renders_paragraphs_interpolation_and_conditions(engine: Engine) -> None:
    state = engine.start()
    view = engine.view(state)
    assert view.title == "The Lobby" and view.chapter == "Morning"
    assert view.paragraphs == ("The lobby smells of carpet glue and ambition. Courage so far: 0.",)
    kitchen = engine.choose(state, "walk_into_the_kitchen")
    assert engine.view(kitchen).paragraphs == ("The coffee machine gurgles like a swamp.",)
    again = engine.choose(engine.choose(kitchen, "back_to_the_lobby"), "walk_into_the_kitchen")
    assert engine.view(again).paragraphs[-1] == "It has not improved since your last visit."
    assert again.facts == ("coffee",)  # unlocking twice keeps one copy
    desk = engine.choose(again, "go_to_your_desk")
    assert engine.view(desk).paragraphs == (
        "Your desk has a plant on it. Someone has labelled it **the new hire**.",
        "Nobody has left you a note.")


def test_endings(engine: Engine) -> None:
    state = engine.start()
    for step in ("walk_into_the_kitchen", "go_to_your_desk", "work_through_lunch"):
        assert not engine.is_over(state)
        state = engine.choose(state, step)
    assert engine.is_over(state)
    view = engine.view(state)
    assert view.ending is not None and view.ending.id == "quiet"
    assert view.choices == () and not view.stuck


def test_back_restores_everything_exactly(engine: Engine) -> None:
    states = [engine.start()]
    for step in ("take_a_deep_breath", "hello", "continue", "have_lunch_with_sam"):
        states.append(engine.choose(states[-1], step))
    state = states[-1]
    for expected in reversed(states[:-1]):
        back = engine.back(state)
        assert back is not None
        assert back == expected and back.key() == expected.key()
        state = back
    assert engine.back(state) is None
    assert [s.via for s in states[-1].history()] == [
        "have_lunch_with_sam", "continue", "hello", "take_a_deep_breath", None]


def test_determinism(engine: Engine) -> None:
    path = ["take_a_deep_breath", "hello", "continue", "have_lunch_with_sam"]
    first, second = engine.start(), engine.start()
    for step in path:
        first, second = engine.choose(first, step), engine.choose(second, step)
    assert first == second and first.key() == second.key()


def test_unavailable_choices_are_refused(engine: Engine) -> None:
    state = engine.start()
    with pytest.raises(ChoiceNotAvailable):
        engine.choose(state, "hello")  # hidden by its condition
    with pytest.raises(ChoiceNotAvailable):
        engine.choose(engine.choose(state, "take_a_deep_breath"), "take_a_deep_breath")  # once


def test_runtime_errors_point_at_the_author_text(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(
        "story: {id: t, title: T, start: a}\nvariables: {n: 0}\nscenes:\n  a:\n    text: t\n"
        "    choices:\n      - {text: x, goto: a, if: 10 / n > 1}\n      - {text: y, goto: a}\n")
    result = load_story(tmp_path)
    assert result.story is not None, result.diagnostics
    engine = Engine(result.story)
    with pytest.raises(StoryRuntimeError) as caught:
        engine.view(engine.start())
    assert str(caught.value).endswith("s.yaml:7:35: error: division by zero")


def test_stuck_scenes_are_reported_in_the_view(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(
        "story: {id: t, title: T, start: a}\nvariables: {n: 0}\nscenes:\n  a:\n    text: t\n"
        "    choices:\n      - {text: x, goto: b, if: n > 0}\n      - {text: y, goto: b, if: n < 0}\n"
        "  b: {text: t, ending: {id: e, title: E}}\n")
    result = load_story(tmp_path)
    assert result.story is not None
    assert any("can be hidden at once (for example when n = 0)" in d.message
               for d in result.diagnostics)
    engine = Engine(result.story)
    assert engine.view(engine.start()).stuck


@pytest.mark.parametrize(("value", "text"), [
    (True, "true"), (False, "false"), (3, "3"), (2.5, "2.5"), (2.0, "2"), ("hi", "hi"),
    (1000000.0, "1000000"), (1234567.5, "1234567.5"), (0.1 + 0.2, "0.3")])
def test_format_value(value: bool | int | float | str, text: str) -> None:
    assert format_value(value) == text
