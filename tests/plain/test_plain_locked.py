"""Plain mode's locked choices (scene format v2's `enabled`): printed with their number and
`(locked: REASON)` (or `(locked)`), and picking one says why and asks again."""

from __future__ import annotations

import io
from pathlib import Path

from game.plain import PlainGame
from game.session import Session
from game.story.files import load_or_raise

LOCKED = Path(__file__).parents[1] / "tools" / "fixtures" / "locked"


def transcript(tmp_path: Path, answers: str) -> str:
    out = io.StringIO()
    PlainGame(Session(load_or_raise(LOCKED), tmp_path / "saves"), out, width=100).run(
        io.StringIO(answers))
    return out.getvalue()


def test_locked_choices_keep_their_numbers_and_say_why(tmp_path: Path) -> None:
    out = transcript(tmp_path, "2\n3\n4\n1\n1\n2\n")
    assert out.startswith(
        "\n== Hall ==\n\nThe hall. You hold 0 keys.\n\n"
        "1. Take a key\n"
        "2. Open the door (locked: You hold 0 of 2 keys.)\n"
        "3. Go to the study (locked)\n"
        "4. Light the lamp (locked: You need the map to find the lamp.)\n"
        "> That choice is locked: You hold 0 of 2 keys.\n"
        "> That choice is locked for now.\n"
        "> That choice is locked: You need the map to find the lamp.\n"
        "> \n== Hall ==\n\nThe hall. You hold 1 keys.\n\n"
        "1. Take a key\n"
        "2. Open the door (locked: You hold 1 of 2 keys.)\n"
        "3. Go to the study\n")
    assert "2. Open the door\n3. Go to the study\n" in out  # two keys: open
    assert "THE END: Through the Door" in out


def test_a_locked_pick_changes_nothing_not_even_the_autosave(tmp_path: Path) -> None:
    out = transcript(tmp_path, "2\n")
    assert "That choice is locked: You hold 0 of 2 keys." in out
    assert out.count("== Hall ==") == 1  # not shown again: nothing moved
    assert out.rstrip().endswith("Goodbye.")
    assert "Your game is saved." not in out  # no choice was taken, so nothing was written
