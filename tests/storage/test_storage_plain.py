"""Saves in plain mode, end to end: a real `offscreen play --plain` process per session."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from storage_helpers import EXAMPLE, edit, play

from game.commands import saves as saves_command
from game.plain import PlainGame
from game.session import Session
from game.storage.saves import AUTOSAVE, SaveStore
from game.story.files import load_or_raise
from game.story.model import Story


def run(saves: Path, answers: str, *args: str,
        story: Path = EXAMPLE) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OFFSCREEN_SAVES": str(saves), "COLUMNS": "80"}
    return subprocess.run([sys.executable, "-m", "game", "play", "--plain", "--story",
                           str(story), *args], input=answers, capture_output=True, text=True,
                          timeout=60, check=False, env=env)


def test_save_quit_and_resume_at_the_same_scene_with_the_same_variables(
        tmp_path: Path, story: Story) -> None:
    first = run(tmp_path, "1\n2\nsave mid\nquit\n")
    assert first.returncode == 0, first.stderr
    assert f"Saved as 'mid' ({tmp_path / 'mid.json'})." in first.stdout
    saved = SaveStore(tmp_path, story).load("mid").state
    assert saved.scene == "window" and saved.variables["courage"] == 1
    assert saved.variables["met_sam"] is True

    second = run(tmp_path, "save again\nquit\n", "--load", "mid")
    assert second.returncode == 0, second.stderr
    out = second.stdout
    assert out.startswith("Loading 'mid'...\nLoaded 'mid'.\n\n== Morning: By the Window ==")
    assert "1. Continue" in out
    resumed = SaveStore(tmp_path, story).load("again").state
    assert resumed == saved
    assert [s.key() for s in resumed.history()] == [s.key() for s in saved.history()]


def test_back_undoes_a_choice_and_the_autosave_follows(tmp_path: Path) -> None:
    out = run(tmp_path, "1\nback\n").stdout
    after_back = out.split("You take back your last choice.")[1]
    assert "Courage so far: 0." in after_back
    assert "1. Take a deep breath" in after_back  # the once-only choice is back too
    resumed = run(tmp_path, "", "--load", AUTOSAVE).stdout
    assert "Courage so far: 0." in resumed
    assert "1. Take a deep breath" in resumed


def test_back_works_after_loading(tmp_path: Path) -> None:
    run(tmp_path, "1\n2\nsave mid\n")
    out = run(tmp_path, "back\nback\nback\n", "--load", "mid").stdout
    assert out.count("You take back your last choice.") == 2
    assert "You are at the very beginning; there is nothing to undo." in out


def test_a_damaged_save_is_reported_by_name(tmp_path: Path) -> None:
    run(tmp_path, "1\nsave mid\n")
    (tmp_path / "mid.json").write_text("{ this is not a save")
    result = run(tmp_path, "quit\n", "--load", "mid")
    assert result.returncode == 0
    assert result.stderr == ""
    assert (f"Cannot load 'mid': {tmp_path / 'mid.json'} is damaged: it is not valid JSON "
            "(line 1, column 3: Expecting property name enclosed in double quotes); there is no "
            "earlier copy to fall back on") in result.stdout
    assert "Starting a new game instead." in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_damaged_save_with_a_previous_generation_loads_that_and_says_so(
        tmp_path: Path) -> None:
    run(tmp_path, "1\nsave mid\n2\nsave mid\nyes\n")  # the second save asks first
    (tmp_path / "mid.json").write_bytes((tmp_path / "mid.json").read_bytes()[:100])
    out = run(tmp_path, "", "--load", "mid").stdout
    assert f"{tmp_path / 'mid.json'} is damaged: it is cut short (truncated); loaded the " \
           "previous save of 'mid' instead (mid.json.bak, from " in out
    assert "== Morning: The Lobby ==" in out and "Courage so far: 1." in out


def test_a_save_whose_scene_was_renamed_offers_the_nearest_place(
        tmp_path: Path, story_dir: Path) -> None:
    saves = tmp_path / "saves"
    run(saves, "1\n2\nsave mid\n", story=story_dir)
    edit(story_dir, "scenes.yaml", "  window:\n", "  window_seat:\n")
    edit(story_dir, "scenes.yaml", "goto: window\n", "goto: window_seat\n")
    yes = run(saves, "maybe\nyes\n", "--load", "mid", story=story_dir).stdout
    assert ("The scene you were in ('window') no longer exists; the nearest earlier "
            "place that does is 'The Lobby', 1 choice back.\nType 'yes' to continue from there, "
            "or 'no' to start a new game.\n> ") in yes
    assert "Please type 'yes' to continue from there, or 'no' to start a new game." in yes
    assert "You pick up the story from the nearest place that still exists." in yes
    assert "Courage so far: 1." in yes.split("nearest place that still exists.")[1]
    no = run(saves, "no\n", "--load", "mid", story=story_dir).stdout
    assert "Starting a new game." in no and "Courage so far: 0." in no
    mid_game = run(saves, "load mid\nno\n", story=story_dir).stdout
    assert "or 'no' to keep playing where you are." in mid_game
    assert "You keep playing where you are." in mid_game


def test_the_journal_shows_facts_from_every_game_and_marks_new_ones(tmp_path: Path) -> None:
    run(tmp_path, "2\n")  # the kitchen: the coffee fact
    out = run(tmp_path, "1\n2\njournal\n").stdout
    journal = out.split("== Journal")[1]
    assert journal.startswith(": 2 of 2 facts found ==")
    assert "- The coffee is terrible: Everyone" in journal
    assert "- Sam is nervous too (new): It was" in journal
    assert "Endings reached: 0 of 2" in journal
    ended = run(tmp_path, "1\n2\n\n1\njournal\n").stdout
    assert "Endings reached: 1 of 2 (A Friend on Day One)" in ended


def test_quitting_at_once_keeps_yesterdays_autosave(tmp_path: Path) -> None:
    run(tmp_path, "2\n")
    run(tmp_path, "quit\n")  # a new game, left before any choice
    assert "== Morning: The Kitchen ==" in run(tmp_path, "", "--load", AUTOSAVE).stdout


def test_saves_lists_status_and_bad_names_are_refused(tmp_path: Path) -> None:
    (tmp_path).mkdir(exist_ok=True)
    (tmp_path / "junk.json").write_text("[")
    out = run(tmp_path, "save ../outside\nsave mid\nsaves\n").stdout
    assert ("Not saved: '../outside' cannot be a save name: it contains '/', '\\' or ':', and "
            "saves cannot point into other folders") in out
    assert not (tmp_path.parent / "outside.json").exists()
    listing = out.split("> ")[3]
    assert listing.startswith("- mid: The Lobby, ")
    assert "- junk: damaged\n  cannot load 'junk':" in listing


def test_saving_over_a_damaged_slot_says_where_the_old_file_went(tmp_path: Path) -> None:
    (tmp_path / "mid.json").write_text("oops")
    out = run(tmp_path, "save mid\n").stdout
    assert ("(mid.json was damaged (it is not valid JSON (line 1, column 1: Expecting value)); "
            "it was kept as mid.json.damaged and a new save written in its place.)") in out
    assert (tmp_path / "mid.json.damaged").read_text() == "oops"


def test_a_failing_autosave_is_reported_once(tmp_path: Path, story: Story,
                                             full_disk: Callable[[], None]) -> None:
    out = io.StringIO()
    game = PlainGame(Session(story, tmp_path), out, width=80)
    full_disk()
    game.run(io.StringIO("2\n1\n2\n"))
    text = out.getvalue()
    assert text.count("(Autosave failed: could not save to") == 1
    assert "the disk is full; your previous save there is unchanged)" in text


def test_the_saves_command(tmp_path: Path, story_dir: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    old = load_or_raise(story_dir)
    store = SaveStore(tmp_path, old)
    store.save("mid", play(old, "take_a_deep_breath"), playtime=3700)
    store.save("gone", play(old, "take_a_deep_breath", "hello"))
    (tmp_path / "junk.json").write_text("")
    edit(story_dir, "scenes.yaml", "  window:\n", "  window_seat:\n")
    edit(story_dir, "scenes.yaml", "goto: window\n", "goto: window_seat\n")
    assert saves_command.run(story_dir, tmp_path) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"Saves of 'First Day' in {tmp_path}:"
    assert lines[2].split() == ["NAME", "STATUS", "SAVED", "PLAYED", "PLACE"]
    rows = {line.split()[0]: line for line in lines[3:] if line.startswith("  ") and
            not line.startswith("   ")}
    assert "cannot resume" in rows["gone"] and "By the Window" in rows["gone"]
    assert "story changed" in rows["mid"] and "1 h 01 min" in rows["mid"]
    assert "damaged" in rows["junk"]
    assert "it is empty" in out
    assert "The scene you were in ('window') no longer exists" in out
    assert lines[-1] == "3 saves: 1 story changed, 1 cannot resume, 1 damaged."


def test_the_saves_command_with_nothing_saved_and_with_a_broken_story(
        tmp_path: Path, story_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert saves_command.run(story_dir, tmp_path / "none") == 0
    assert capsys.readouterr().out == f"No saves of 'First Day' in {tmp_path / 'none'} yet.\n"
    edit(story_dir, "scenes.yaml", "goto: window\n", "goto: nowhere\n")
    assert saves_command.run(story_dir, tmp_path) == 1
    err = capsys.readouterr().err
    assert "nowhere" in err and "its saves cannot be checked" in err


def test_plain_save_refuses_the_autosave_in_any_spelling(tmp_path: Path) -> None:
    out = run(tmp_path, "1\nsave autosave\nsave AutoSave\nsave fine\nquit\n").stdout
    assert out.count("Not saved: 'autosave' is written by the game itself") == 1
    assert out.count("Not saved: 'AutoSave' is written by the game itself") == 1
    assert "Saved as 'fine'" in out
