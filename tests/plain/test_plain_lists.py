"""List variables (format v2) in plain mode, through the Session: `{list}` shows the names
held, and saving, going back and loading keep exactly what the list held."""

from __future__ import annotations

import io
from pathlib import Path

from game.plain import PlainGame
from game.session import Session
from game.story.files import load_or_raise

STORY = """\
story: {id: bag, title: Bag, start: desk}
variables:
  bag: {items: [badge, script, coffee], default: [badge]}
scenes:
  desk:
    text: "In your bag: {bag}. {?count(bag) == 0|It is empty.}"
    choices:
      - {text: Take the coffee, goto: desk, if: 'not ("coffee" in bag)', effects: [{add: {bag: coffee}}]}
      - {text: Drop everything, goto: desk, if: count(bag) > 0, effects: [{set: {bag: []}}]}
      - {text: Leave, goto: door}
  door: {text: "You leave with {bag}.", ending: {id: out, title: Out}}
"""


def run(tmp_path: Path, answers: str) -> str:
    (tmp_path / "story").mkdir(exist_ok=True)
    (tmp_path / "story" / "story.yaml").write_text(STORY, encoding="utf-8")
    story = load_or_raise(tmp_path / "story")
    out = io.StringIO()
    PlainGame(Session(story, tmp_path / "saves"), out, width=100).run(io.StringIO(answers))
    return out.getvalue()


def test_a_list_shows_saves_goes_back_and_loads(tmp_path: Path) -> None:
    out = run(tmp_path, "1\nsave mid\n1\nback\nload mid\n")
    assert "In your bag: badge." in out
    assert out.count("In your bag: badge, coffee.") == 3  # taken, back to it, loaded
    assert "In your bag: . It is empty." in out
    assert "1. Drop everything" in out and "Take the coffee" in out


def test_the_ending_shows_what_the_list_held(tmp_path: Path) -> None:
    out = run(tmp_path, "1\n2\n")
    assert "You leave with badge, coffee." in out
