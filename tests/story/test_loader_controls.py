"""Story text can never send a terminal orders: a control character in any value is an error.

YAML refuses raw control characters, but a double-quoted escape makes one ("\\e[31m" is
ESC [ 3 1 m), and bidi overrides are printable to YAML. A title holding ESC ] 52 would
rewrite the player's clipboard in the full-screen game; so the loader reports each such
value at its line and column, and the story does not load.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from game.story import yamlsrc
from game.story.files import load_story

HEAD = "story: {id: s, title: S, start: a}\n"


def load(tmp_path: Path, body: str) -> list[str]:
    (tmp_path / "story.yaml").write_text(HEAD + body, encoding="utf-8")
    result = load_story(tmp_path, cache=False)
    # file:line:col as check prints it (relative to the current folder), by its last part
    return [str(d).split(": error: ")[0].rsplit("/", 1)[-1] + ": error: "
            + str(d).split(": error: ", 1)[1] for d in result.errors]


def test_escapes_that_make_control_characters_are_reported_where_written(tmp_path: Path) -> None:
    errors = load(tmp_path, 'scenes:\n  a:\n    title: "Red \\e[31mTITLE"\n'
                  '    text: "Copy \\e]52;c;SGk=\\a this"\n'
                  '    ending: {id: e, title: "Gone \\x9b2J"}\n')
    assert [e.split(": error: ")[0] for e in errors] == [
        "story.yaml:4:12", "story.yaml:5:11", "story.yaml:6:28"]
    assert "the control character \\x1b" in errors[0]
    assert "the control character \\x9b" in errors[2]


def test_a_raw_bidi_override_is_reported_too(tmp_path: Path) -> None:
    errors = load(tmp_path, "scenes:\n  a:\n    text: reads \u202ebackwards\n"
                  "    ending: {id: e, title: E}\n")
    assert len(errors) == 1 and "\\u202e" in errors[0]


def test_backslashes_tabs_and_newlines_are_only_text(tmp_path: Path) -> None:
    errors = load(tmp_path, 'scenes:\n  a:\n    title: "C:\\\\path \\t tab"\n'
                  '    text: "one\\ntwo"\n    ending: {id: e, title: E}\n')
    assert errors == []


_SOURCES = "\\\x85\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Every character a control in a value can come from (an escape, NEL, a bidi control)."""


@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(_SOURCES + "\u2029é"))))
def test_the_pre_scan_finds_every_file_that_may_hold_a_control(text: str) -> None:
    """The loader walks a file's values for controls only when `may_hold_controls` says
    so; its fast form (a backslash search, then isascii) must agree with a plain scan."""
    assert yamlsrc.may_hold_controls(text) == any(char in _SOURCES for char in text)
