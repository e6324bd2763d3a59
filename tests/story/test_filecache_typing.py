"""A goto being typed (`goto: kitche`) in a file that leads to scenes of later files: the
load reads that scene again from the tree it parsed, not by parsing the file once more (an
editor's check after each pause in typing), and reports what a cold load does."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.story import yamlsrc
from game.story.filecache import FileCache
from game.story.files import load_story

FIRST = """\
story: {id: typing, title: Typing, start: start}
scenes:
  start:
    text: Start.
    choices:
      - {text: On, goto: GOTO}
      - {text: Back, goto: start}
"""
LATER = """\
scenes:
  kitchen:
    text: A kitchen.
    choices:
      - {text: Back, goto: start}
"""


def test_a_mistyped_forward_goto_is_read_again_without_parsing_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.yaml").write_text(FIRST.replace("GOTO", "kitchen"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(LATER, encoding="utf-8")
    cache = FileCache()
    assert not load_story(tmp_path, files=cache).diagnostics
    parsed: list[str] = []
    compose = yamlsrc.compose

    def counting(text: str, name: str, *args: object) -> object:
        parsed.append(Path(name).name)
        return compose(text, name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(yamlsrc, "compose", counting)
    typo = {(tmp_path / "a.yaml").absolute(): FIRST.replace("GOTO", "kitche")}
    found = [str(d) for d in load_story(tmp_path, files=cache, sources=typo).diagnostics]
    assert parsed == ["a.yaml"]
    assert found == [str(d) for d in load_story(tmp_path, sources=typo).diagnostics]
    assert any("no scene 'kitche'; did you mean 'kitchen'?" in d for d in found)
