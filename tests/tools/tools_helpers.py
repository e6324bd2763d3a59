"""Shared by the author-tool tests: where the fixture stories are, and how to load them."""

from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import assume

from game.story.files import load_story
from game.story.model import Story

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = ROOT / "docs" / "example"
SHIPPED = ROOT / "scenes"
STARTER = ROOT / "game" / "tools" / "starter_story"


def load(folder: Path) -> Story:
    result = load_story(folder)
    assert result.story is not None, "\n".join(str(d) for d in result.errors)
    return result.story


def fixture(name: str) -> Story:
    return load(FIXTURES / name)


def from_text(tmp_path: Path, text: str) -> Story:
    """A story from one YAML text (dedented), for tests that need a tiny custom story."""
    (tmp_path / "story.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return load(tmp_path)


def generated(data: dict[str, object]) -> Story:
    """A hypothesis-generated story (one mapping), loaded; a draw that does not load is
    discarded (`assume`), as the property tests' generators may write an invalid one."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "story.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
        story = load_story(Path(folder)).story
    assume(story is not None)
    assert story is not None
    return story


def shipped() -> Story:
    """The shipped story; skips (with the checker's errors) while it is being rewritten."""
    result = load_story(SHIPPED)
    if result.story is None:
        pytest.skip("scenes/ has errors right now:\n" +
                    "\n".join(str(d) for d in result.errors[:5]))
    return result.story


LOOP_AND_COUNTER = """\
story: {id: t, title: T, start: hub}
variables: {n: 0}
scenes:
  hub:
    text: Two ways.
    choices:
      - {text: Into the loop, goto: a}
      - {text: Count, goto: counter}
  a: {text: A., next: b}
  b: {text: B., next: a}
  counter:
    text: Counting.
    choices:
      - {text: Again, goto: counter, effects: [{add: {n: 1}}]}
      - {text: Stop, goto: done, if: n * 2 == 7}
  done: {text: Done., ending: {id: done, title: Done}}
"""
"""Two scenes that only lead to each other, and a counter kept exactly (`n * 2 == 7`) that
a loop grows without end: a search always runs out of budget on it, and must still report
the loop it explored in full."""
