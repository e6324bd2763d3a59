"""The Session refuses a locked choice (scene format v2's `enabled`) with its reason, and the
refusal changes nothing: not the game, not the autosave."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine import ChoiceLocked
from game.session import Session, locked_words
from game.story.files import load_or_raise

LOCKED = Path(__file__).parents[1] / "tools" / "fixtures" / "locked"


def test_a_locked_choice_is_refused_with_its_reason_and_nothing_moves(tmp_path: Path) -> None:
    session = Session(load_or_raise(LOCKED), tmp_path)
    session.new_game()
    before = session.state
    with pytest.raises(ChoiceLocked) as refused:
        session.choose("open_the_door")
    assert refused.value.reason == "You hold 0 of 2 keys."
    assert session.state is before
    assert not session.in_autosave  # a refusal is not the first choice: nothing written
    session.choose("take_a_key")
    session.choose("take_a_key")
    assert session.choose("open_the_door").state.scene == "door"


def test_the_view_the_front_ends_draw_marks_locked_choices(tmp_path: Path) -> None:
    session = Session(load_or_raise(LOCKED), tmp_path)
    session.new_game()
    view = session.view()
    assert [(c.id, c.locked, c.reason) for c in view.choices] == [
        ("take_a_key", False, None),
        ("open_the_door", True, "You hold 0 of 2 keys."),
        ("go_to_the_study", True, None),
        ("light_the_lamp", True, "You need the map to find the lamp."),
    ]


def test_both_front_ends_say_the_same_words() -> None:
    assert locked_words("Not yet.") == "That choice is locked: Not yet."
    assert locked_words(None) == "That choice is locked for now."
