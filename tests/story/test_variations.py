"""The template language (game/story/variations.py): each variation kind as parsed, v1 text
read exactly as before, and each mistake reported at its file:line:col (format v2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_loader import write

from game.story import codes
from game.story.files import load_story
from game.story.scene import Condition, Template, Variation
from game.story.variations import Found, parse

NAMES = {"n", "name"}


def cond(source: str, offset: int) -> Condition | None:
    """A stand-in condition maker: refuses 'bad', accepts anything else."""
    return None if source == "bad" else Condition(source, None, None, None)  # type: ignore


def kinds(text: str) -> list[str]:
    parts = parse(text, NAMES, None, cond)
    assert parts is not None
    return [v.kind for v in Template(parts).variations()]


@pytest.mark.parametrize(("text", "kind"), [
    ("{a|b|c}", "sequence"), ("{&a|b}", "cycle"), ("{!a|b}", "once"), ("{~a|b}", "shuffle"),
    ("{?n > 1|yes|no}", "if"), ("{?n > 1|yes}", "if"), ("{&a}", "cycle"), ("{!a}", "once"),
])
def test_each_kind_is_read_by_its_mark(text: str, kind: str) -> None:
    assert kinds(text) == [kind]


def test_items_may_be_empty_hold_variables_and_nest() -> None:
    parts = parse("You have {n} {&cup|{name}'s cup|} {a|{~x|y}}.", NAMES, None, cond)
    assert parts is not None
    outer = parts[3]
    assert isinstance(outer, Variation)
    assert outer.items == (("cup",), ("", "name", "'s cup"), ("",))
    nested = parts[5]
    assert isinstance(nested, Variation) and nested.kind == "sequence"
    assert [v.kind for v in nested.variations()] == ["sequence", "shuffle"]
    assert Template(parts).names == ("n", "name")
    assert str(Template(parts)) == "You have {n} {&cup|{name}'s cup|} {a|{~x|y}}."


def test_v1_text_is_read_as_before() -> None:
    assert parse("plain", NAMES) == ("plain",)
    assert parse("Hi {name}, {{n}} }}", NAMES) == ("Hi ", "name", ", {n} }")
    assert parse("a | b {n}", NAMES) == ("a | b ", "n", "")  # a | outside braces is text
    assert parse("{ name }", NAMES) == ("", "name", "")


def test_braces_inside_a_variation_always_open_and_close() -> None:
    parts = parse("{a|{b|c}}", NAMES, None, cond)
    assert parts is not None and isinstance(parts[1], Variation)
    assert parts[1].source == "{a|{b|c}}"


@pytest.mark.parametrize(("text", "found"), [
    ("{a|b", [(0, "unclosed", "{a|b")]),
    ("x {%a|b}", [(3, "sigil", "%")]),
    ("{/a|b}", [(1, "sigil", "/")]),
    ("{? |a}", [(2, "empty condition", " ")]),
    ("{?random(1, 2) > 1|a}", [(2, "random", "random(1, 2) > 1")]),
    ("{?n > random (1, 2)|a}", [(6, "random", "n > random (1, 2)")]),
    ("{?n}", [(0, "no text", "{?n}")]),
    ("{?n|a|b|c}", [(0, "too many", "{?n|a|b|c}")]),
    ("{&}", [(0, "empty", "{&}")]),
    ("{?bad|a}", [(2, "condition", "bad")]),
    ("{a|{nmae}} {b|c} }", [(3, "undeclared", "nmae"), (17, "stray", "}")]),
    ("a | {b", [(4, "stray", "{")]),
])
def test_each_problem_at_its_offset(text: str, found: Found) -> None:
    problems: Found = []
    assert parse(text, NAMES, problems, cond) is None
    assert problems == found
    assert parse(text, NAMES, None, cond) is None  # the quick parse gives up as well


def test_nesting_is_bounded() -> None:
    problems: Found = []
    assert parse("{a|" * 17 + "b" + "}" * 17, NAMES, problems, cond) is None
    assert [what for _, what, _ in problems] == ["too deep"]
    assert parse("{a|" * 16 + "b" + "}" * 16, NAMES, None, cond) is not None


HEADER = """\
story: {id: t, title: T, start: a}
variables: {n: 0, flag: false, courage: 1}
facts:
  f1: {title: F1, text: One.}
"""


def check(tmp_path: Path, scenes: str) -> list[str]:
    folder = write(tmp_path, {"a.yaml": HEADER, "b.yaml": scenes})
    return [f"{d.pos.line}:{d.pos.col} {d.code} {d.message}"
            for d in load_story(folder).diagnostics if d.pos.file.endswith("b.yaml")]


def test_every_mistake_is_reported_at_its_line_and_column_in_one_run(tmp_path: Path) -> None:
    got = check(tmp_path, """\
        scenes:
          a:
            title: "Day {n} {&dawn|dusk"
            text:
              - "Plain, then {%a|b}."
              - "You {? |win|lose}."
              - "{?random(1, 6) > 3|Lucky.}"
              - "{?courgae >= 2|Brave.|Timid.}"
              - "{?flag}"
              - "{?flag|a|b|c}"
              - "{~}"
              - "{a|{nmae}}"
              - "{/flag|b}"
            choices:
              - {text: "Go {&now|{?n +|x}}", goto: b}
          b:
            text: t
            ending: {id: e, title: "The {end|finish"}
        """)
    assert [g.split(" ")[0] + " " + g.split(" ")[1] for g in got] == [
        "3:21 OS420", "5:23 OS421", "6:16 OS422", "7:12 OS423", "8:12 OS405", "9:10 OS424",
        "10:10 OS425", "11:10 OS427", "12:13 OS403", "13:11 OS421", "15:31 OS404",
        "18:33 OS420"]
    assert "did you mean 'courage'?" in got[4]
    assert "did you mean '{?'?" in got[9]
    assert "random() in a condition" in got[3]


def test_a_clean_v2_story_checks_clean(tmp_path: Path) -> None:
    folder = write(tmp_path, {"a.yaml": HEADER, "b.yaml": """\
        scenes:
          a:
            title: "Day {n}: {&morning|evening}"
            text: "{Hello|Welcome back|Again}. {?courage >= 1|Brave.|Timid.} {~x|y} {{ok}}"
            choices:
              - {text: "{!First|Next} step", goto: a, effects: [{add: {n: 1}}]}
              - {text: Leave, goto: b}
          b: {text: t, ending: {id: e, title: "Done on day {n}"}}
        """})
    result = load_story(folder)
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    assert result.story is not None
    scene = result.story.scenes["a"]
    assert [v.kind for v in scene.paragraphs[0].text.variations()] == [
        "sequence", "if", "shuffle"]
    assert scene.title == "Day {n}: {&morning|evening}"  # titles are kept as written
    assert codes.TABLE["OS420"].severity == "error"


def test_likely_mistakes_in_text_are_warnings_at_their_text(tmp_path: Path) -> None:
    folder = write(tmp_path, {"a.yaml": HEADER.replace("One.", "'Seen {&once|twice}'"),
                              "b.yaml": """\
        scenes:
          a:
            title: "{&Same}"
            text:
              - "{~only}"
              - "{?flag|x|x} {first|then}"
            choices:
              - {text: "Go {?flag|on|on}", goto: b}
          b: {text: "{n}", ending: {id: e, title: "{&E}"}}
        """})
    got = sorted((Path(d.pos.file).name, d.pos.line, d.pos.col, d.code)
                 for d in load_story(folder).diagnostics if d.code.startswith("OS72"))
    assert got == [("a.yaml", 4, 3, "OS722"), ("b.yaml", 2, 3, "OS720"),
                   ("b.yaml", 5, 9, "OS720"), ("b.yaml", 6, 9, "OS721"),
                   ("b.yaml", 8, 9, "OS721"), ("b.yaml", 9, 28, "OS720")]


def test_a_variable_shown_only_in_a_title_or_a_text_condition_is_read(tmp_path: Path) -> None:
    folder = write(tmp_path, {"a.yaml": HEADER, "b.yaml": """\
        scenes:
          a: {title: "Day {n}", text: "{?flag|Yes.}", next: b}
          b: {text: t, ending: {id: e, title: "{?courage > 1|Brave|Meek} end"}}
        """})
    assert not [d for d in load_story(folder).diagnostics if d.code == "OS705"]
