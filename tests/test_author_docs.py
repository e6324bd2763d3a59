"""What the author's guides claim, tried: the decimals section of writing-scenes.md, its YAML
traps table, and the command lines author-tools.md shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from game.engine.engine import Engine, format_value
from game.story import codes
from game.story.files import load_story

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
GUIDE = " ".join((DOCS / "writing-scenes.md").read_text(encoding="utf-8").split())
"""The guide with its lines joined: a claim may wrap anywhere."""
TOOLS = (DOCS / "author-tools.md").read_text(encoding="utf-8")

DECIMALS = """\
story: {id: d, title: D, start: a}
variables: {luck: 0.1, tenths: 0.0, big: 12345678901.5, n: 7}
scenes:
  a:
    text: "luck {luck}, tenths {tenths}, big {big}"
    on_enter:
      - add: {luck: 0.2}
      - {add: {tenths: 0.1}}
      - {add: {tenths: 0.1}}
      - {add: {tenths: 0.1}}
      - {add: {tenths: 0.1}}
      - {add: {tenths: 0.1}}
      - {add: {tenths: 0.1}}
      - {add: {tenths: 0.1}}
      - {add: {tenths: 0.1}}
      - {add: {tenths: 0.1}}
      - {add: {tenths: 0.1}}
    choices:
      - {id: equal, text: equal, goto: b, if: luck == 0.3}
      - {id: margin, text: margin, goto: b, if: luck > 0.29 and luck < 0.31}
      - {id: one, text: one, goto: b, if: tenths == 1 or tenths >= 1}
      - {id: halves, text: halves, goto: b, if: n / 2 == 3.5 and 4 / 2 == 2 and big > n}
  b: {text: end, ending: {id: e, title: E}}
"""


def test_decimals_display_rounded_and_compare_exactly(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(DECIMALS, encoding="utf-8")
    result = load_story(tmp_path)
    assert result.story is not None, [str(d) for d in result.diagnostics]
    engine = Engine(result.story)
    state = engine.start()
    assert state.variables["luck"] == 0.1 + 0.2 != 0.3
    assert state.variables["tenths"] == 0.9999999999999999
    view = engine.view(state)
    assert "luck 0.3, tenths 1, big 1.23456789e+10" in " ".join(
        str(p) for p in view.paragraphs)
    assert [c.id for c in engine.choices(state)] == ["margin", "halves"]
    assert format_value(2.0) == "2" and format_value(10**15) == str(10**15)


def test_a_comparison_of_written_out_decimals_is_warned_always_false(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(
        "story: {id: d, title: D, start: a}\nscenes:\n  a:\n    text: t\n    choices:\n"
        "      - {text: x, goto: b, if: 0.1 + 0.2 == 0.3}\n      - {text: y, goto: b}\n"
        "  b: {text: t, ending: {id: e, title: E}}\n", encoding="utf-8")
    (warning,) = load_story(tmp_path).diagnostics
    assert warning.code == codes.NEVER_SHOWN.code and "always false" in warning.message
    assert '`0.1 + 0.2 == 0.3` is "always false"' in GUIDE


def test_the_guide_says_what_the_engine_does_with_decimals() -> None:
    section = GUIDE.split("### Decimal numbers", 1)[1].split(" ## ", 1)[0]
    for claim in ("10 significant digits", "`0.3`", "`1.23456789e+10`",
                  "`luck == 0.3` is false", "0.9999999999999999", "`2.0 == 2` is true"):
        assert claim in section, claim


@pytest.mark.parametrize(("written", "read"), [
    ("text: Coffee #1 of the day", "Coffee"),
    ('text: "Coffee #1 of the day"', "Coffee #1 of the day"),
    ("text: Coffee#1", "Coffee#1"),
])
def test_the_comment_trap_is_as_the_table_says(written: str, read: str) -> None:
    assert yaml.safe_load(written) == {"text": read}
    assert "| `text: Coffee #1 of the day` | the text `Coffee`" in GUIDE


def test_play_and_serve_never_take_a_folder_without_story() -> None:
    """`offscreen play DIR` is not a command (play takes --story DIR): no guide shows it."""
    wrong = re.compile(r"offscreen (?:play|serve|saves) (?![-\[<|`])\S")
    for doc in [*sorted(DOCS.glob("*.md")), ROOT / "README.md"]:
        found = wrong.findall(doc.read_text(encoding="utf-8"))
        assert not found, (doc.name, found)
    assert "[`offscreen play --story DIR --dev`](#live-reload-offscreen-play---dev)" in TOOLS
