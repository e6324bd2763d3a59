"""The template language (game/story/variations.py): each variation kind as parsed, v1 text
read exactly as before, and each mistake reported at its file:line:col (format v2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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
              - {text: Wait, goto: b, enabled: flag, reason: "{~Not yet}"}
          b: {text: "{n}", ending: {id: e, title: "{&E}"}}
        """})
    got = sorted((Path(d.pos.file).name, d.pos.line, d.pos.col, d.code)
                 for d in load_story(folder).diagnostics if d.code.startswith("OS72"))
    assert got == [("a.yaml", 4, 3, "OS722"), ("b.yaml", 2, 3, "OS720"),
                   ("b.yaml", 5, 9, "OS720"), ("b.yaml", 6, 9, "OS721"),
                   ("b.yaml", 8, 9, "OS721"), ("b.yaml", 9, 9, "OS720"),
                   ("b.yaml", 10, 28, "OS720")]


def test_a_variable_shown_only_in_a_title_or_a_text_condition_is_read(tmp_path: Path) -> None:
    folder = write(tmp_path, {"a.yaml": HEADER, "b.yaml": """\
        scenes:
          a: {title: "Day {n}", text: "{?flag|Yes.}", next: b}
          b: {text: t, ending: {id: e, title: "{?courage > 1|Brave|Meek} end"}}
        """})
    assert not [d for d in load_story(folder).diagnostics if d.code == "OS705"]
    folder = write(tmp_path, {"a.yaml": HEADER, "b.yaml": """\
        scenes:
          a:
            text: "{n}"
            choices:
              - {text: Go, goto: b, enabled: n > 1, reason: "{?flag|x|y} {courage}"}
              - {text: Stay, goto: a, effects: [{add: {n: 1}}]}
          b: {text: t, ending: {id: e, title: E}}
        """})
    assert not [d for d in load_story(folder).diagnostics if d.code == "OS705"]


# -- properties ----------------------------------------------------------------------------


_WORDS = st.sampled_from(["", "a", "b c", "n", " ", "x."])


def _item(depth: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(_WORDS, st.just("{n}"), st.just("{name}"))
    if depth >= 3:
        return leaf
    return st.lists(st.one_of(leaf, _variation(depth + 1)), max_size=3).map("".join)


def _variation(depth: int) -> st.SearchStrategy[str]:
    items = st.lists(_item(depth), min_size=2, max_size=3)
    marked = st.tuples(st.sampled_from(["", "&", "!", "~"]), items).map(
        lambda t: "{" + t[0] + ("a" if not t[0] and t[1][0].startswith("{") else "")
        + "|".join(t[1]) + "}")  # ({{ at the start of a sequence is a literal brace)
    condition = st.tuples(_item(depth), st.lists(_item(depth), min_size=0, max_size=1)).map(
        lambda t: "{?n > 1|" + "|".join([t[0], *t[1]]) + "}")
    return st.one_of(marked, condition)


_PIECES = st.one_of(_WORDS, st.just("{n}"), _variation(1))
_TEXTS = st.lists(st.one_of(_PIECES, st.just("{{"), st.just("}}")), max_size=4).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_well_formed_text_parses(text: str) -> None:
    problems: Found = []
    parts = parse(text, NAMES, problems, cond)
    assert problems == [] and parts is not None, text
    assert parse(text, NAMES, None, cond) == parts  # the quick parse agrees


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=4).map("".join))
def test_text_without_literal_braces_reads_back_as_written(text: str) -> None:
    parts = parse(text, NAMES, None, cond)
    assert parts is not None
    assert str(Template(parts)) == text
    assert parse(str(Template(parts)), NAMES, None, cond) == parts


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="{}|&!~?%an >1", max_size=14))
def test_quick_and_careful_parses_agree_on_any_text(text: str) -> None:
    problems: Found = []
    careful = parse(text, NAMES, problems, cond)
    quick = parse(text, NAMES, None, cond)
    assert quick == careful
    assert (careful is None) == bool(problems)
    assert all(0 <= offset <= len(text) for offset, _, _ in problems)
