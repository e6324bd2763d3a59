"""The number range and printable text: what the engine, the checker and printing promise."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.cli import main
from game.engine import Engine, StoryRuntimeError
from game.numbers import LIMIT, approx, in_range
from game.plain import PlainGame
from game.printable import printable
from game.session import Session
from game.storage.saves import SaveStore
from game.story.diagnostics import StoryError
from game.story.files import load_or_raise, load_story

HEADER = "story: {id: n, title: N, start: a}\n"


def story_dir(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "s.yaml").write_text(HEADER + text, encoding="utf-8")
    return folder


GROWING = """\
variables: {n: 0}
scenes:
  a:
    text: "n is {n}"
    choices:
      - text: More
        goto: a
        effects: [{add: {n: 400000000000000}}]
      - {text: Stop, goto: z}
  z: {text: done, ending: {id: e, title: E}}
"""


def test_an_add_that_would_leave_the_range_is_an_error_at_the_effect(tmp_path: Path) -> None:
    story = load_or_raise(story_dir(tmp_path, GROWING))
    engine = Engine(story)
    state = engine.start()
    for _ in range(2):
        state = engine.choose(state, "more")
    assert state.variables["n"] == 800_000_000_000_000
    with pytest.raises(StoryRuntimeError) as caught:
        engine.choose(state, "more")
    assert caught.value.pos.line == 9  # the add itself, in s.yaml
    assert "would leave the range numbers stay in" in caught.value.message
    assert state.variables["n"] == 800_000_000_000_000  # the state before is untouched


@pytest.mark.parametrize(("yaml", "line"), [
    ("variables: {n: 2000000000000000}\n", 2),
    ("variables: {n: 0}\nscenes:\n  a:\n    text: t\n    choices:\n"
     "      - {text: x, goto: z, effects: [{set: {n: -1000000000000001}}]}\n", 7),
    ("variables: {n: 0}\nscenes:\n  a:\n    text: t\n    choices:\n"
     "      - {text: x, goto: z, if: n < 99999999999999999}\n", 7),
    ("variables: {f: 0.5}\nscenes:\n  a:\n    text: t\n    choices:\n"
     "      - {text: x, goto: z, effects: [{add: {f: 1.0e+300}}]}\n", 7),
    # 400 digits: no float holds it, and the message once crashed formatting it ("%.4g")
    ("variables: {n: 0}\nscenes:\n  a:\n    text: t\n    choices:\n"
     f"      - {{text: x, goto: z, effects: [{{add: {{n: {'9' * 400}}}}}]}}\n", 7),
    ("variables: {n: 0}\nscenes:\n  a:\n    text: t\n    choices:\n"
     f"      - {{text: x, goto: z, if: n < {'9' * 400}}}\n", 7),
])
def test_the_checker_reports_numbers_outside_the_range(tmp_path: Path, yaml: str,
                                                      line: int) -> None:
    if "scenes:" not in yaml:
        yaml += "scenes:\n  a:\n    text: t\n    choices: [{text: x, goto: z}]\n"
    yaml += "  z: {text: done, ending: {id: e, title: E}}\n"
    result = load_story(story_dir(tmp_path, yaml))
    errors = [d for d in result.errors if "outside the range numbers stay in" in d.message]
    assert [d.pos.line for d in errors] == [line], [str(d) for d in result.diagnostics]
    assert result.story is None


@given(st.one_of(
    st.integers(min_value=0, max_value=10**22).map(str),
    st.tuples(st.integers(min_value=0, max_value=10**22), st.integers(min_value=0,
              max_value=10**12)).map(lambda pair: f"{pair[0]}.{pair[1]}"),
    st.sampled_from([str(LIMIT), str(LIMIT + 1), f"{LIMIT}.0", f"{LIMIT}.0001",
                     "999999999999999.99999999", "0" * 20 + "1", "-" + str(LIMIT + 1)])))
def test_a_condition_without_a_long_run_of_digits_holds_no_number_out_of_range(
        number: str) -> None:
    """lint skips walking a condition text with no run of 16 digits (`_LONG_NUMBER`): every
    literal the parser makes out of range must show such a run in its text."""
    from game.story import expr, lint

    node = expr.parse(f"x < {number}")
    literals = [n.value for n in expr.walk(node) if isinstance(n, expr.Literal)]
    if any(not in_range(value) for value in literals):
        assert lint._LONG_NUMBER.search(f"x < {number}")


def test_the_range_itself() -> None:
    assert in_range(LIMIT) and in_range(-LIMIT) and in_range(1.5) and in_range(True)
    assert not in_range(LIMIT + 1) and not in_range(float("nan"))
    assert not in_range(float("inf")) and not in_range(-1e16)
    assert LIMIT < 2**53  # every whole number in range is exact as a float


@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b[31mred", "\\x1b[31mred"),
    ("\x1b]52;c;SGVsbG8=\x07", "\\x1b]52;c;SGVsbG8=\\x07"),  # OSC 52: write the clipboard
    ("\x9b2J", "\\x9b2J"),  # the one-byte CSI
    ("abc\u202edcba", "abc\\u202edcba"),  # right-to-left override
    ("lone \udfff", "lone \\udfff"),
    ("two\nlines\tand a tab", "two\\x0alines\\x09and a tab"),
    ("Café Ñoño 😀", "Café Ñoño 😀"),
])
def test_printable_shows_escapes_instead_of_obeying_them(raw: str, shown: str) -> None:
    assert printable(raw) == shown
    printable(raw).encode("utf-8")  # always encodable


def test_printable_keeps_the_lines_of_story_text() -> None:
    assert printable("one\n\ttwo\x1b", lines=True) == "one\n\ttwo\\x1b"


ESCAPING = """\
variables: {n: 0}
scenes:
  a:
    title: "Evil \\e]0;pwned\\a title"
    text: "Text \\e[2J with a clear-screen"
    choices: [{text: "Go \\e[5m", goto: z}]
  z: {text: done, ending: {id: e, title: "End \\e[8m"}}
"""
PLAIN = ESCAPING.replace("\\e", "").replace("\\a", "")


def test_a_story_holding_escapes_does_not_load(tmp_path: Path) -> None:
    """The loader refuses them (tests/story/test_loader_controls.py): a story's text is
    never printed with a control character, in any front end."""
    with pytest.raises(StoryError, match="control character"):
        load_or_raise(story_dir(tmp_path, ESCAPING))


def test_plain_mode_and_the_saves_list_never_print_an_escape(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = story_dir(tmp_path, PLAIN)  # a save's label is still anyone's to edit
    story = load_or_raise(folder)
    saves = tmp_path / "saves"
    store = SaveStore(saves, story)
    out = io.StringIO()
    game = PlainGame(Session(story, saves), out, width=80)
    game.run(io.StringIO("save mid\nsaves\n1\nquit\n"))
    path = store.path("mid")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["label"] = "\x1b[31mRed\x1b]52;c;eA==\x07"
    path.write_text(json.dumps(data), encoding="utf-8")
    game.handle("saves")
    printed = out.getvalue()
    assert "\x1b" not in printed and "\\x1b" in printed
    assert main(["saves", "--story", str(folder), "--saves", str(saves)]) == 0
    listed = capsys.readouterr().out
    assert "\x1b" not in listed and "\\x1b[31mRed" in listed


@pytest.mark.parametrize(("value", "spec", "shown"), [
    (12.5, ".4g", "12.5"), (10**15 + 1, ".4g", "1000000000000001"), (7, "", "7"),
    (0.5, "", "0.5"), (1e15 + 0.5, ".4g", "1000000000000000.5"), (1e300, ".4g", "1e+300"),
    (10**20, ".4g", "about 10^20"),
    ("10**330", ".4g", "about 10^330"), ("-(10**5000)", "", "-about 10^5000"),
    (float("inf"), ".4g", "inf")])
def test_approx_shows_any_number_and_never_fails(value: float | str, spec: str,
                                                 shown: str) -> None:
    """`"%.4g" % 10**330` raises OverflowError and `str(10**5000)` ValueError: an error
    message about such a number must not crash in turn (the huge ones are built here, as
    pytest could not name a test after them)."""
    number = {"10**330": 10**330, "-(10**5000)": -(10**5000)}.get(value, value)  # type: ignore[call-overload]
    assert approx(number, spec) == shown
