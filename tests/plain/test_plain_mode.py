"""Plain mode end to end: a real process, answers on stdin, the transcript on stdout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[2] / "docs" / "example"


def play(tmp_path: Path, answers: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OFFSCREEN_SAVES": str(tmp_path / "saves"), "COLUMNS": "80"}
    return subprocess.run([sys.executable, "-m", "game", "play", "--plain", "--story",
                           str(EXAMPLE), *args], input=answers, capture_output=True, text=True,
                          timeout=60, check=False, env=env)


def test_a_whole_game_to_an_ending(tmp_path: Path) -> None:
    result = play(tmp_path, "1\n2\n\n1\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert out.startswith("\n== Morning: The Lobby ==\n\nThe lobby smells of carpet glue and "
                          "ambition. Courage so far: 0.\n\n1. Take a deep breath\n2. Walk into "
                          "the kitchen\n> ")
    assert "Courage so far: 1." in out
    assert "2. Say hello to the person by the window" in out
    # emphasis markers are not read out to screen readers
    assert "Don't tell anyone, but I'm nervous too." in out.replace("\n", " ")
    assert "New fact for your journal: Sam is nervous too" in out
    assert "1. Continue" in out  # a `next` scene; the empty line continued it
    assert "A sticky note from Sam says \"lunch?\"." in out
    assert "THE END: A Friend on Day One" in out
    assert "You found 1 of 2 facts in this playthrough.\n- Sam is nervous too" in out
    assert out.rstrip().endswith("Your game is saved. Goodbye.")


def test_commands(tmp_path: Path) -> None:
    result = play(tmp_path, "help\n9\nfrobnicate\n1\nback\njournal\n2\nlook\nquit\n1\n")
    out = result.stdout
    assert result.returncode == 0
    assert "save NAME    save the game in a slot called NAME" in out
    assert "There is no choice 9; pick 1 to 2." in out
    assert "I didn't understand 'frobnicate'." in out
    assert "You take back your last choice." in out
    assert "Courage so far: 0." in out.split("You take back your last choice.")[1]
    assert "Journal: 0 of 2 facts found" in out
    assert "??? Hint: Have a look at the kitchen." in out
    assert out.count("== Morning: The Kitchen ==") == 2  # shown, then `look`
    assert out.rstrip().endswith("Your game is saved. Goodbye.")  # quit stops reading


def test_back_at_the_start_and_restart(tmp_path: Path) -> None:
    out = play(tmp_path, "back\n2\nrestart\nyes\n").stdout
    assert "You are at the very beginning; there is nothing to undo." in out
    assert "Start a new game? The game in progress (The Kitchen" in out  # asks first now
    assert out.count("== Morning: The Lobby ==") == 2


def test_save_and_load_by_name(tmp_path: Path) -> None:
    first = play(tmp_path, "1\nsave mid\nquit\n")
    assert "Saved as 'mid'" in first.stdout
    second = play(tmp_path, "", "--load", "mid")
    assert "Loaded 'mid'." in second.stdout
    assert "Courage so far: 1." in second.stdout
    assert second.returncode == 0


def test_end_of_input_writes_the_autosave(tmp_path: Path) -> None:
    result = play(tmp_path, "2\n")
    assert result.returncode == 0
    resumed = play(tmp_path, "", "--load", "autosave")
    assert resumed.returncode == 0
    assert "== Morning: The Kitchen ==" in resumed.stdout


@pytest.mark.skipif(shutil.which("offscreen") is None and not (
    Path(sys.executable).parent / "offscreen").exists(), reason="console script not installed")
def test_console_script_is_the_same_as_python_m_game(tmp_path: Path) -> None:
    script = shutil.which("offscreen") or str(Path(sys.executable).parent / "offscreen")
    via_script = subprocess.run([script, "check", str(EXAMPLE)], capture_output=True,
                                text=True, check=False)
    via_module = subprocess.run([sys.executable, "-m", "game", "check", str(EXAMPLE)],
                                capture_output=True, text=True, check=False)
    assert via_script.returncode == via_module.returncode == 0
    assert via_script.stdout == via_module.stdout
    assert via_module.stdout.startswith("ok: 3 files in ")
    assert via_module.stdout.endswith("example checked, no problems\n")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "game", "check", "--frobnicate"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "unrecognized arguments: --frobnicate" in result.stderr
    for command in (["check"], ["play", "--plain", "--story"], ["test"], ["graph"]):
        missing = subprocess.run([sys.executable, "-m", "game", *command, str(tmp_path / "no")],
                                 capture_output=True, text=True, check=False, input="")
        assert missing.returncode == 2, command
        assert missing.stderr == f"offscreen: no story folder or file at {tmp_path / 'no'}\n"


def test_facts_are_announced_once_not_again_after_back_or_look(tmp_path: Path) -> None:
    out = play(tmp_path, "1\n2\nback\nlook\n").stdout
    assert out.count("New fact for your journal: Sam is nervous too") == 1


def test_at_an_ending_numbers_and_enter_say_the_story_has_ended(tmp_path: Path) -> None:
    out = play(tmp_path, "2\n2\n1\n\n1\n").stdout
    assert "THE END: A Quiet Start" in out
    assert out.count("The story has ended. Type 'restart' to play again") == 2


def test_one_choice_is_named_as_such(tmp_path: Path) -> None:
    out = play(tmp_path, "1\n2\n3\n").stdout
    assert "There is no choice 3; the only choice here is 1." in out


def test_continue_resumes_the_game_in_progress(tmp_path: Path) -> None:
    play(tmp_path, "2\n")
    second = play(tmp_path, "continue\n")
    assert "(You have a game in progress. Type 'continue' to go back to it;" in second.stdout
    assert second.stdout.split("Type 'continue'")[1].count("== Morning: The Kitchen ==") == 1


def test_leaving_at_once_keeps_the_autosave_and_says_goodbye(tmp_path: Path) -> None:
    play(tmp_path, "2\n")
    untouched = play(tmp_path, "")
    assert untouched.stdout.rstrip().endswith("Goodbye.")
    assert "Your game is saved" not in untouched.stdout
    resumed = play(tmp_path, "", "--load", "autosave")
    assert "== Morning: The Kitchen ==" in resumed.stdout


def test_journal_wraps_under_each_entry(tmp_path: Path) -> None:
    out = play(tmp_path, "2\njournal\n").stdout
    entry = out.split("- The coffee is terrible")[1].splitlines()
    assert entry[1].startswith("    ") and entry[1].strip()  # continuation hangs under the text


def test_dev_waits_for_a_broken_story_to_be_fixed_then_plays(tmp_path: Path) -> None:
    story = tmp_path / "story"
    shutil.copytree(EXAMPLE, story)
    scenes = story / "scenes.yaml"
    good = scenes.read_text()
    scenes.write_text(good.replace("goto: kitchen", "goto: kitchn", 1))
    env = {**os.environ, "OFFSCREEN_SAVES": str(tmp_path / "saves")}
    proc = subprocess.Popen([sys.executable, "-m", "game", "play", "--plain", "--dev", "--story",
                             str(story)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stderr is not None
    first = proc.stderr.readline()
    assert "error: goto: no scene 'kitchn'; did you mean 'kitchen'?" in first
    assert "waiting for the story" in proc.stderr.readline()
    scenes.write_text(good)
    out, err = proc.communicate("2\n", timeout=60)
    assert proc.returncode == 0, err
    assert "== Morning: The Kitchen ==" in out


def test_restart_then_quit_keeps_the_game_in_the_autosave(tmp_path: Path) -> None:
    play(tmp_path, "2\n")  # the kitchen, autosaved
    out = play(tmp_path, "continue\nrestart\ny\nquit\n").stdout
    assert out.count("== Morning: The Lobby ==") == 2  # the first scene, then the restart
    assert out.rstrip().endswith("> Goodbye.") and "Your game is saved" not in out
    assert "== Morning: The Kitchen ==" in play(tmp_path, "", "--load", "autosave").stdout
