"""Titles that show variables (format v2): the scene's title and an ending's are rendered
in play, the save list shows the title as the game did, and the journal and the endings
gallery keep an ending's title as it read when it was first reached."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from game.plain import PlainGame
from game.session import Session
from game.storage.profile import ProfileStore
from game.story.files import load_or_raise
from game.story.model import Story

STORY = Path(__file__).resolve().parents[1] / "tools" / "fixtures" / "titles"
"""A scene title and an ending title that show a variable and a variation."""


@pytest.fixture
def story() -> Story:
    return load_or_raise(STORY)


def test_the_scene_title_is_rendered_and_the_save_list_shows_it(story: Story,
                                                                tmp_path: Path) -> None:
    session = Session(story, tmp_path / "saves")
    session.new_game()
    assert session.view().title == "Day 0: morning"
    session.choose("drink")
    assert session.view().title == "Day 1: evening"
    session.save("mine")
    assert [row.place for row in session.slots() if row.name == "mine"] == ["Day 1: evening"]


def test_an_ending_keeps_its_title_as_first_reached(story: Story, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    first = Session(story, saves)
    first.new_game()
    first.choose("drink")
    first.choose("leave")
    assert first.view().ending is not None
    assert first.view().ending.title == "Left after 1 cup"  # type: ignore[union-attr]
    second = Session(story, saves)
    second.new_game()
    for _ in range(3):
        second.choose("drink")
    second.choose("leave")
    assert second.view().ending.title == "Left after 3 cups"  # type: ignore[union-attr]
    assert {e.id: e.title for e in second.gallery()} == {"done": "Left after 1 cup"}
    fresh = ProfileStore(saves, story).load()  # from the file, as a later game reads it
    assert fresh.ending_title(story.endings["done"]) == "Left after 1 cup"


def test_plain_mode_journal_lists_the_title_as_first_reached(story: Story,
                                                             tmp_path: Path) -> None:
    out = io.StringIO()
    game = PlainGame(Session(story, tmp_path / "saves"), out=out)
    game.run(io.StringIO("2\nrestart\nyes\n1\n1\n2\njournal\n"))  # 0 cups, then 2
    text = out.getvalue()
    assert "THE END: Left after 0 cups" in text and "THE END: Left after 2 cups" in text
    assert "Endings reached: 1 of 1 (Left after 0 cups)\n" in text


SHUFFLED = """\
story: {id: shuffled, title: Shuffled, start: hub}
variables: {n: 0}
scenes:
  hub:
    text: "{~red|green|blue|gold|grey|pink|teal|rust} {x|y}"
    choices:
      - {text: Again, goto: hub, effects: [{add: {n: 1}}]}
      - {text: Leave, goto: end}
  end: {text: t, ending: {id: e, title: E}}
"""


def transcript(story: Story, saves: Path, seed: int) -> str:
    out = io.StringIO()
    PlainGame(Session(story, saves, seed=seed), out=out).run(io.StringIO("1\n1\n1\nback\n1\n2\n"))
    return out.getvalue()


def test_a_fixed_seed_gives_the_same_transcript_twice(tmp_path: Path) -> None:
    folder = tmp_path / "shuffled"
    folder.mkdir()
    (folder / "story.yaml").write_text(SHUFFLED, encoding="utf-8")
    story = load_or_raise(folder)
    first = transcript(story, tmp_path / "a", 5)
    assert transcript(story, tmp_path / "b", 5) == first
    others = {transcript(story, tmp_path / f"s{seed}", seed) for seed in range(6, 12)}
    assert len(others | {first}) > 1  # the seed moves the shuffles
    shown = [line for line in first.splitlines() if line.endswith((" x", " y"))]
    assert shown[3] == shown[5]  # back, then the same choice: the same text, not a re-roll
