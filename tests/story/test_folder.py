"""How a story file's path is printed in every message (check, the --dev panel, the lsp log)."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.story.folder import display_path


def test_a_file_inside_the_working_directory_is_shown_relative(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "story" / "scenes.yaml") == str(Path("story/scenes.yaml"))
    assert display_path(Path("story/scenes.yaml")) == str(Path("story/scenes.yaml"))


def test_a_file_outside_it_is_shown_absolute_not_as_a_climb(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    shown = display_path(tmp_path / "story" / "scenes.yaml")
    assert ".." not in shown
    assert shown == str(tmp_path / "story" / "scenes.yaml")
