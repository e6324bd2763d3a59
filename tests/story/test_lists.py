"""List variables (format v2): the declaration, effects, conditions and text, each rule and
each diagnostic at its file:line:col, and the engine's play of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_loader import write

from game.engine import Engine, format_value
from game.story import expr, lists
from game.story.files import load_or_raise, load_story
from game.story.model import Story

HEADER = """\
story: {id: t, title: T, start: a}
variables:
  pockets: {items: [badge, script, coffee], default: [badge]}
  n: 0
  word: script
"""
END = "ending: {id: e, title: E}"


def diagnostics(tmp_path: Path, scenes: str, header: str = HEADER) -> list[str]:
    folder = write(tmp_path, {"a_story.yaml": header, "b_scenes.yaml": scenes})
    return [f"{Path(d.pos.file).name}:{d.pos.line}:{d.pos.col}: {d.severity}: {d.message} "
            f"[{d.code}]" for d in load_story(folder).diagnostics]


def errors(tmp_path: Path, scenes: str, header: str = HEADER) -> list[str]:
    return [d for d in diagnostics(tmp_path, scenes, header) if ": error: " in d]


def story(tmp_path: Path, scenes: str, header: str = HEADER) -> Story:
    return load_or_raise(write(tmp_path, {"a_story.yaml": header, "b_scenes.yaml": scenes}))


PLAY = f"""\
scenes:
  a:
    text: "Held: {{pockets}}."
    choices:
      - text: Take the script
        goto: a
        if: not ("script" in pockets)
        effects: [{{add: {{pockets: script}}}}]
      - text: Take both
        goto: a
        effects: [{{add: {{pockets: [coffee, script]}}}}]
      - text: Drop the badge
        goto: a
        if: word in pockets and "badge" in pockets
        effects: [{{remove: {{pockets: badge}}}}]
      - text: Empty out
        goto: a
        if: count(pockets) >= 2
        effects: [{{set: {{pockets: []}}}}]
      - text: Leave
        goto: b
  b: {{text: "Left with {{pockets}}.", on_enter: [{{remove: {{pockets: [coffee]}}}}], {END}}}
"""


# -- the value model ---------------------------------------------------------------------------

def test_list_values_are_tuples_in_declared_order() -> None:
    items = ("badge", "script", "coffee")
    assert lists.ordered(items, {"coffee", "badge"}) == ("badge", "coffee")
    assert lists.added(items, ("coffee",), ("script", "badge")) == items
    held = ("badge",)
    assert lists.added(items, held, ("badge",)) is held  # nothing new: the same value
    assert lists.removed(("badge", "coffee"), ("badge", "pen")) == ("coffee",)
    assert lists.fitted(items, ["coffee", "pen", "badge", 3]) == (("badge", "coffee"), ["pen"])
    assert lists.spelled(()) == "" and lists.spelled(("a", "b")) == "a, b"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.sets(st.sampled_from("abcde"))), max_size=12))
def test_any_sequence_of_adds_and_removes_is_the_set_it_should_be(
        steps: list[tuple[bool, set[str]]]) -> None:
    items = tuple("abcde")
    value: tuple[str, ...] = ()
    model: set[str] = set()
    for adding, names in steps:
        given_names = lists.ordered(items, names)
        value = lists.added(items, value, given_names) if adding else lists.removed(
            value, given_names)
        model = model | names if adding else model - names
        assert value == tuple(i for i in items if i in model)


# -- the declaration ---------------------------------------------------------------------------

def test_a_list_is_declared_with_its_items_and_default(tmp_path: Path) -> None:
    s = story(tmp_path, PLAY)
    pockets = s.variables["pockets"]
    assert (pockets.items, pockets.default, pockets.kind) == (
        ("badge", "script", "coffee"), ("badge",), tuple)
    assert s.list_items() == {"pockets": ("badge", "script", "coffee")}
    assert s.variables["n"].items is None


def test_a_default_is_optional_and_written_in_any_order(tmp_path: Path) -> None:
    header = ("story: {id: t, title: T, start: a}\nvariables:\n"
              "  p: {items: [a, b, c], default: [c, a]}\n  q: {items: [x]}\n"
              "  r: {items: [x, y], default: y}\n")
    s = story(tmp_path, f"scenes:\n  a: {{text: '{{p}} {{q}} {{r}}', {END}}}\n", header)
    assert [s.variables[v].default for v in "pqr"] == [("a", "c"), (), ("y",)]


@pytest.mark.parametrize(("declaration", "expected"), [
    ("{items: [badge, script], default: [scirpt]}",
     "3:41: error: default of 'p': 'scirpt' is not one of the items of 'p' (badge, script); "
     "did you mean 'script'? [OS540]"),
    ("{items: [a, b, a]}", "3:21: error: list 'p' names the item 'a' twice [OS541]"),
    ("{items: []}", "3:14: error: list 'p' has no items; declare every name it may hold, like "
     "items: [badge, script] [OS541]"),
    ("{items: [a], default: [2]}", "3:29: error: default of 'p': 'p' is a list, so it takes "
     "names from its items (a), not the number 2 [OS543]"),
    ("{itmes: [a]}", "3:7: error: unknown key 'itmes' in variable 'p'; did you mean 'items'? "
     "[OS201]"),
    ("{default: [a, b]}", "3:6: error: variable 'p' has a list as its default but no items; a "
     "list declares every name it may hold, like {items: [badge, script], default: [badge]} "
     "[OS541]"),
    ("{items: a}", "3:14: error: the items of list 'p' must be a list of names, like items: "
     "[badge, script], not 'a' [OS541]"),
])
def test_mistakes_in_a_declaration(tmp_path: Path, declaration: str, expected: str) -> None:
    header = f"story: {{id: t, title: T, start: a}}\nvariables:\n  p: {declaration}\n"
    got = errors(tmp_path, f"scenes:\n  a: {{text: t, {END}}}\n", header)
    assert f"a_story.yaml:{expected}" in got, got


def test_a_number_declared_as_a_mapping_with_a_default(tmp_path: Path) -> None:
    header = "story: {id: t, title: T, start: a}\nvariables:\n  n: {default: 3}\n"
    s = story(tmp_path, f"scenes:\n  a: {{text: '{{n}}', {END}}}\n", header)
    assert (s.variables["n"].default, s.variables["n"].items) == (3, None)


def test_a_declaration_with_a_wrong_name_still_declares_the_list(tmp_path: Path) -> None:
    """Its uses are checked against its items, not each called undeclared."""
    header = ("story: {id: t, title: T, start: a}\nvariables:\n"
              "  p: {items: [a, b], default: [a, z]}\n")
    got = errors(tmp_path, "scenes:\n  a:\n    text: '{p}'\n    choices:\n"
                           "      - {text: x, goto: a, if: '\"b\" in p'}\n"
                           f"      - {{text: y, goto: b}}\n  b: {{text: t, {END}}}\n", header)
    assert len(got) == 1 and "'z' is not one of the items of 'p'" in got[0]


# -- effects -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("effect", "expected"), [
    ("{add: {pockets: cofee}}", "2:43: error: add pockets: 'cofee' is not one of the items of "
     "'pockets' (badge, script, coffee); did you mean 'coffee'? [OS540]"),
    ("{remove: {pockets: [badge, scrpit]}}", "2:54: error: remove pockets: 'scrpit' is not "
     "one of the items of 'pockets' (badge, script, coffee); did you mean 'script'? [OS540]"),
    ("{set: {pockets: pen}}", "2:43: error: set pockets: 'pen' is not one of the items of "
     "'pockets' (badge, script, coffee) [OS540]"),
    ("{add: {pockets: 1}}", "2:43: error: add pockets: 'pockets' is a list, so it takes names "
     "from its items (badge, script, coffee), not the number 1 [OS543]"),
    ("{remove: {n: 1}}", "2:37: error: remove works on lists; 'n' is not one (declared at "
     "{dir}/a_story.yaml:4:3) (to subtract, add a negative number) [OS542]"),
    ("{add: {n: [badge]}}", "2:37: error: add n must be a number, true/false or text, not a "
     "list [OS205]"),
    ("{remove: {nope: a}}", "2:37: error: remove: 'nope' is not a declared variable [OS308]"),
])
def test_mistakes_in_list_effects(tmp_path: Path, effect: str, expected: str) -> None:
    got = errors(tmp_path, f"scenes:\n  a: {{text: t, on_enter: [{effect}], {END}}}\n")
    assert f"b_scenes.yaml:{expected.format(dir=tmp_path)}" in got, got


def test_effects_hold_the_names_in_declared_order(tmp_path: Path) -> None:
    s = story(tmp_path, PLAY)
    effects = [c.effects[0] for c in s.scenes["a"].choices[:4]]
    assert [(e.kind, e.value) for e in effects] == [
        ("add", ("script",)), ("add", ("script", "coffee")), ("remove", ("badge",)),
        ("set", ())]


# -- conditions --------------------------------------------------------------------------------

def test_in_and_count_parse_and_unparse() -> None:
    for text in ('"script" in pockets', 'not "a" in p', "count(p) >= 2", "word in p and x",
                 'not ("a" in p) or count(p) == 0'):
        tree = expr.parse(text)
        assert expr.strip_offsets(expr.parse(expr.unparse(tree))) == expr.strip_offsets(tree)
    assert expr.parse('"a" in p') == expr.Binary("in", expr.Literal("a", 0), expr.Var("p", 7), 4)
    assert expr.parse("in > 1") == expr.Binary(">", expr.Var("in", 0), expr.Literal(1, 5), 3)


@pytest.mark.parametrize(("text", "message"), [
    ('"a" in p == true', "comparisons cannot be chained; join them with 'and'"),
    ('"a" not in p', "there is no 'not in'; write not (NAME in LIST)"),
])
def test_in_syntax_mistakes(text: str, message: str) -> None:
    with pytest.raises(expr.ExprError, match=message.replace("(", r"\(").replace(")", r"\)")):
        expr.parse(text)


@pytest.mark.parametrize(("condition", "expected"), [
    ('"scrip" in pockets', "5:33: error: 'scrip' is not one of the items of 'pockets' (badge, "
     "script, coffee); did you mean 'script'? [OS540]"),
    ("n in pockets", "5:33: error: 'in' needs a name (text) on its left, but this is a number "
     "[OS406]"),
    ('"a" in word', "5:40: error: 'in' needs a list variable on its right, but this is text "
     "[OS406]"),
    ("script in pockets", "5:33: error: unknown variable 'script'; to ask whether 'pockets' "
     "holds the name, quote it: '\"script\" in pockets' [OS405]"),
    ("count(n) > 1", "5:39: error: count() counts the names a list holds, but 'n' is a number "
     "[OS406]"),
    ("count(pocket) > 1", "5:39: error: unknown variable 'pocket'; did you mean 'pockets'? "
     "[OS405]"),
    ("pockets == pockets", "5:33: error: a list cannot be compared with '=='; ask '\"name\" in "
     "LIST' or count(LIST) [OS406]"),
    ("pockets", "5:33: error: this condition is a list, not true/false; did you mean "
     "'count(pockets) > 0'? [OS406]"),
    ("count(pockets) and n > 0", "5:33: error: 'and' needs true/false on both sides, but this "
     "is a number; did you mean 'count(pockets) > 0'? [OS406]"),
])
def test_mistakes_in_list_conditions(tmp_path: Path, condition: str, expected: str) -> None:
    quoted = "'" + condition.replace("'", "''") + "'"
    got = errors(tmp_path, f"scenes:\n  a:\n    text: t\n    choices:\n"
                           f"      - {{text: x, goto: b, if: {quoted}}}\n"
                           f"      - {{text: y, goto: b}}\n  b: {{text: t, {END}}}\n")
    assert f"b_scenes.yaml:{expected}" in got, got


def test_evaluate_and_the_compiled_closure_agree_on_lists() -> None:
    variables = {"p": ("a", "c"), "w": "c", "q": ()}
    for text, want in [('"a" in p', True), ('"b" in p', False), ("w in p", True),
                       ("w in q", False), ("count(p) == 2", True), ("count(q) > 0", False),
                       ('not ("a" in p) or count(p) + 1 == 3', True)]:
        tree = expr.parse(text)
        assert expr.evaluate(tree, variables, {}, frozenset()) is want, text
        assert expr.compile_expr(tree)(variables, {}, frozenset()) is want, text


# -- play --------------------------------------------------------------------------------------

def test_the_engine_adds_removes_sets_and_shows_lists(tmp_path: Path) -> None:
    engine = Engine(story(tmp_path, PLAY))
    state = engine.start()
    assert engine.view(state).paragraphs == ("Held: badge.",)
    state = engine.choose(state, "take_the_script")
    assert state.variables["pockets"] == ("badge", "script")
    assert [c.id for c in engine.choices(state)] == [
        "take_both", "drop_the_badge", "empty_out", "leave"]
    state = engine.choose(state, "drop_the_badge")
    state = engine.choose(state, "take_both")
    assert engine.view(state).paragraphs == ("Held: script, coffee.",)
    end = engine.choose(state, "leave")
    assert engine.view(end).paragraphs == ("Left with script.",)
    state = engine.choose(state, "empty_out")
    assert state.variables["pockets"] == ()
    assert engine.view(state).paragraphs == ("Held: .",)
    assert engine.back(state) is not None and engine.back(state).variables["pockets"] == (
        "script", "coffee")


def test_format_value_of_a_list() -> None:
    assert format_value(("badge", "script")) == "badge, script"
    assert format_value(()) == ""


def test_a_playthrough_expects_a_list(tmp_path: Path) -> None:
    folder = write(tmp_path, {"a_story.yaml": HEADER, "b_scenes.yaml": PLAY, "c.yaml": """\
        playthroughs:
          p:
            steps: [Take the script, Leave]
            expect: {ending: e, variables: {pockets: [script, badge]}}
          q:
            steps: [Leave]
            expect: {variables: {pockets: [coffee]}}
        """})
    from game.tools.scripted import run_all

    results = {r.playthrough.name: r for r in run_all(load_or_raise(folder))}
    assert results["p"].ok
    failure = results["q"].failure
    assert failure is not None
    assert "variables: pockets expected [coffee], actual [badge]" in (
        failure.message, *failure.details)


# -- lint ----------------------------------------------------------------------------------------

def test_an_item_never_held_and_an_in_test_of_it_are_warned_about(tmp_path: Path) -> None:
    got = diagnostics(tmp_path, f"""\
        scenes:
          a:
            text: t
            choices:
              - {{text: x, goto: b, if: '"coffee" in pockets', effects: [{{add: {{pockets: script}}}}]}}
              - {{text: y, goto: b, if: '"script" in pockets'}}
          b: {{text: t, {END}}}
        """)
    assert [d for d in got if "warning" in d and "OS74" in d] == [
        "a_story.yaml:3:3: warning: list 'pockets' never holds 'coffee': no effect adds it and "
        "the default does not; an 'in' test of one is never true [OS740]",
        "b_scenes.yaml:5:32: warning: '\"coffee\" in pockets' is never true: no effect adds "
        "'coffee' to 'pockets' and its default does not hold it [OS741]",
    ]


def test_every_choice_hidden_is_found_with_list_values(tmp_path: Path) -> None:
    got = diagnostics(tmp_path, f"""\
        scenes:
          a:
            text: t
            on_enter: [{{add: {{pockets: [script, coffee]}}}}, {{remove: {{pockets: badge}}}}]
            choices:
              - {{text: x, goto: b, if: '"badge" in pockets'}}
              - {{text: y, goto: b, if: 'count(pockets) >= 3'}}
          b: {{text: t, {END}}}
        """)
    assert ("b_scenes.yaml:2:3: warning: every choice of scene 'a' can be hidden at once (for "
            "example when pockets = []), leaving the player stuck; add a choice without 'if', "
            "or make sure one always holds [OS710]") in got


def test_a_condition_starting_with_a_quoted_name_gets_a_yaml_hint(tmp_path: Path) -> None:
    got = errors(tmp_path, f"""\
        scenes:
          a:
            text: t
            choices:
              - text: x
                goto: b
                if: "script" in pockets
          b: {{text: t, {END}}}
        """)
    assert got == [
        "b_scenes.yaml:7:22: error: YAML syntax: did not find expected key (while parsing a "
        "block mapping that starts at line 5, column 9); a value that starts with a quote ends "
        "at its closing quote: quote the whole value, e.g. if: '\"script\" in pockets' [OS106]"]


def test_compute_reads_a_list_but_never_stores_into_one(tmp_path: Path) -> None:
    got = errors(tmp_path, f"scenes:\n  a: {{text: t, on_enter: [{{compute: {{pockets: "
                           f"'count(pockets)', n: 'pockets'}}}}], {END}}}\n")
    assert [g.split(" (declared")[0] for g in got] == [
        "b_scenes.yaml:2:48: error: compute pockets: the result is a whole number but "
        "'pockets' is a list",
        "b_scenes.yaml:2:69: error: compute n: the result is a list but 'n' is a whole number"]
    assert got[0].endswith("; a list changes by add, remove and set [OS521]")
    s = story(tmp_path, f"scenes:\n  a: {{text: '{{n}}', on_enter: [{{add: {{pockets: "
                        f"script}}}}, {{compute: {{n: 'count(pockets) * 10'}}}}], {END}}}\n")
    engine = Engine(s)
    assert engine.view(engine.start()).paragraphs == ("20",)
