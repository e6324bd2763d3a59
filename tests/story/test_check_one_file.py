"""`offscreen check FILE` on one file of a multi-file story: the story it belongs to is
checked, and only that file's problems are shown (read alone, it gave 48 false errors)."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.commands import check
from game.story.owner import story_root_of

HEADER = "story: {id: t, title: T, start: lobby}\nvariables: {n: 0}\n"
LOBBY = ("scenes:\n  lobby:\n    text: '{n}'\n    choices:\n      - {text: In, goto: kitchen}\n"
         "      - {text: Out, goto: yrad}\n")
KITCHEN = "scenes:\n  kitchen: {text: t, ending: {id: e, title: E}}\n  attic: {text: t, next: nowhere}\n"


def _story(folder: Path) -> Path:
    (folder / "chapters").mkdir(parents=True)
    (folder / "story.yaml").write_text(HEADER, encoding="utf-8")
    (folder / "chapters" / "lobby.yaml").write_text(LOBBY, encoding="utf-8")
    (folder / "chapters" / "kitchen.yaml").write_text(KITCHEN, encoding="utf-8")
    return folder


def test_one_file_is_checked_within_its_story_and_shown_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(_story(tmp_path))
    assert check.run(Path("chapters/lobby.yaml")) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "chapters/lobby.yaml:6:27: error: goto: no scene 'yrad'",
        "1 error, 0 warnings in 1 file",
        "chapters/lobby.yaml was checked as one of the 3 files of the story in .; its other "
        "files have 1 error and 1 warning, not shown here (`offscreen check .` lists them)",
    ]


def test_a_clean_file_of_a_story_with_problems_elsewhere_passes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(_story(tmp_path))
    assert check.run(Path("story.yaml")) == 0
    assert capsys.readouterr().out.splitlines()[0] == "ok: 1 file checked, no problems"


def test_a_one_file_story_among_others_is_checked_alone(tmp_path: Path) -> None:
    for name in ("one.yaml", "two.yaml"):
        (tmp_path / name).write_text(HEADER + LOBBY, encoding="utf-8")
    assert story_root_of(tmp_path / "one.yaml") is None
    (tmp_path / "alone").mkdir()
    (tmp_path / "alone" / "s.yaml").write_text(HEADER + LOBBY, encoding="utf-8")
    assert story_root_of(tmp_path / "alone" / "s.yaml") is None


def test_the_story_is_found_from_a_file_below_its_header(tmp_path: Path) -> None:
    _story(tmp_path)
    assert story_root_of(tmp_path / "chapters" / "kitchen.yaml") == tmp_path.absolute()
    assert story_root_of(tmp_path / "story.yaml") == tmp_path.absolute()
