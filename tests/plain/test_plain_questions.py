"""Plain mode's questions and small words, driven in-process (no subprocess: fast)."""

from __future__ import annotations

import io
from pathlib import Path

from game.plain import PlainGame
from game.session import Session
from game.story.model import Story


def run(story: Story, saves: Path, answers: str) -> str:
    out = io.StringIO()
    PlainGame(Session(story, saves), out, width=100).run(io.StringIO(answers))
    return out.getvalue()


def test_save_over_an_existing_name_asks_and_no_keeps_it(example: Story, saves: Path) -> None:
    out = run(example, saves, "2\nsave mine\n1\nsave mine\nno\nsave mine\nyes\n")
    assert out.count("Saved as 'mine'") == 2  # the first save, then the one after 'yes'
    assert "There is already a save named 'mine' (mine: The Kitchen," in out
    assert "Replace it? (yes/no)" in out and "Nothing changed." in out


def test_restart_asks_when_the_autosave_holds_a_game(example: Story, saves: Path) -> None:
    out = run(example, saves, "2\nrestart\nmaybe\nno\nrestart\ny\n")
    assert "Start a new game? The game in progress (The Kitchen" in out
    assert "Please type 'yes' or 'no'." in out
    assert out.count("== Morning: The Lobby ==") == 2


def test_continue_without_a_game_says_so_in_words(example: Story, saves: Path) -> None:
    out = run(example, saves, "continue\n")
    assert "No game in progress to continue." in out and "'autosave'" not in out


def test_the_first_scenes_facts_are_announced(tmp_path: Path, saves: Path) -> None:
    from game.story.files import load_or_raise

    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "story.yaml").write_text(
        "story: {id: t, title: T, start: a}\n"
        "facts:\n  f: {title: A first fact, text: It is true., source: Somewhere}\n"
        "scenes:\n  a:\n    title: A\n    text: Hi.\n    on_enter: [{unlock: f}]\n"
        "    ending: {id: done, title: Done}\n")
    out = run(load_or_raise(folder), saves, "")
    assert "New fact for your journal: A first fact" in out


def test_quitting_after_a_failed_autosave_does_not_claim_it_is_saved(
        example: Story, saves: Path, full_disk: object) -> None:
    assert callable(full_disk)
    out = io.StringIO()
    game = PlainGame(Session(example, saves), out, width=100)
    game.handle("2")
    full_disk()
    game.handle("1")
    game.leave()
    assert "The last autosave failed" in out.getvalue()
    assert "Your game is saved" not in out.getvalue()
