"""`offscreen play --seed N`: the seed every new game takes, checked before anything starts."""

from __future__ import annotations

import json
import os
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


def test_the_seed_reaches_the_game_and_its_save(tmp_path: Path) -> None:
    result = play(tmp_path, "1\nsave mid\nquit\n", "--seed", "4242")
    assert result.returncode == 0, result.stderr
    saved = json.loads((tmp_path / "saves" / "mid.json").read_text())
    assert saved["history"][0]["seed"] == 4242


def test_the_same_seed_gives_the_same_transcript(tmp_path: Path) -> None:
    first = play(tmp_path / "a", "1\n2\n\n1\n", "--seed", "9")
    second = play(tmp_path / "b", "1\n2\n\n1\n", "--seed", "9")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout


@pytest.mark.parametrize("bad", ["-1", "4294967296", "seven", "1.5"])
def test_a_bad_seed_is_a_usage_error(tmp_path: Path, bad: str) -> None:
    result = play(tmp_path, "", f"--seed={bad}")
    assert result.returncode == 2
    assert f"argument --seed: {bad!r} is not a seed: give a whole number from 0 to " \
           "4294967295" in result.stderr
    assert result.stdout == ""


DICE = Path(__file__).parents[1] / "tools" / "fixtures" / "dice"


def _dice(tmp_path: Path, seed: str) -> str:
    env = {**os.environ, "OFFSCREEN_SAVES": str(tmp_path / "saves"), "COLUMNS": "80"}
    result = subprocess.run([sys.executable, "-m", "game", "play", "--plain", "--story",
                             str(DICE), "--seed", seed], input="2\n2\n2\n1\n3\n",
                            capture_output=True, text=True, timeout=60, check=False, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_story_that_rolls_gives_the_same_transcript_for_the_same_seed(
        tmp_path: Path) -> None:
    first = _dice(tmp_path / "a", "9")
    assert "roll" in first and first == _dice(tmp_path / "b", "9")
    others = {_dice(tmp_path / f"s{seed}", str(seed)) for seed in range(6)}
    assert len(others) > 1  # other seeds, other rolls
