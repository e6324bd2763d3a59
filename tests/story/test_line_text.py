"""The position of a `{?COND|..}` inside a block scalar, found without splitting the file.

Every such condition is given its place (for a run-time error), so the loader used to split
each file holding one into lines and keep them all: 20 MiB at 10,000 scenes. It now walks a
few lines on from the node's own mark; a file with any other line break is split as before.
The column counts the block's indentation once: a line indented deeper than its block keeps
the extra spaces in the value, and they were counted twice.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.story import loader as loader_module
from game.story.careful import _ODD_BREAK, odd_breaks
from game.story.files import load_story
from game.story.scene import Variation

STORY = """\
story:
  id: t
  title: T
  start: a
variables:
  courage: 0
scenes:
  a:
    title: A
    text: |
      Café crème, ünïcode 🎬 on the first line.
      Second line here.
        Indented {?courage >= 1|brave|shy} third.
    choices:
      - text: Go
        goto: b
  b:
    title: B
    text: |
      Über {?courage > 1|x} end.
    ending: {id: e, title: E}
"""


def _condition_pos(folder: Path) -> tuple[int, int]:
    story = load_story(folder).story
    assert story is not None
    (paragraph,) = story.scenes["a"].paragraphs
    variation = next(p for p in paragraph.text.parts[1::2] if type(p) is Variation)
    assert variation.condition is not None
    return variation.condition.pos.line, variation.condition.pos.col


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_condition_in_a_block_scalar_is_placed_at_its_line_and_column(
        tmp_path: Path, newline: str) -> None:
    (tmp_path / "s.yaml").write_bytes(STORY.replace("\n", newline).encode("utf-8"))
    assert _condition_pos(tmp_path) == (13, 20)  # after non-ASCII text, an indented line
    bad = STORY.replace("{?courage > 1|x}", "{?nosuch > 1|x}")
    (tmp_path / "s.yaml").write_bytes(bad.replace("\n", newline).encode("utf-8"))
    found = [(d.pos.line, d.pos.col) for d in load_story(tmp_path).diagnostics]
    assert (20, 14) in found


def test_no_file_is_split_into_lines_when_its_breaks_are_plain(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "s.yaml").write_text(STORY, encoding="utf-8")
    kept: list[dict[str, list[str] | None]] = []
    finish = loader_module.Loader.finish

    def spy(self: loader_module.Loader, *args: object) -> object:
        kept.append(dict(self.sources))
        return finish(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(loader_module.Loader, "finish", spy)
    assert _condition_pos(tmp_path) == (13, 20)
    assert kept and all(lines is None for lines in kept[0].values()), kept


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(
    list("ab \n\r\x0b\x0c\x1b\x1c\x1d\x1e\x1f\x7f\x85\u2028\u2029\u00e9")), max_size=30))
def test_odd_breaks_is_the_regex(text: str) -> None:
    """The ASCII path (six `in` tests) answers as the regex does, on any text."""
    assert odd_breaks(text) == (_ODD_BREAK.search(text) is not None)
