"""Scene format v2: `compute` effects, the functions of numbers, `random()` and bounded
numbers, in the expression package, the readers (each mistake at its line:col) and the
engine (clamped, of the variable's kind, rolled from the seed)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import Engine, StoryRuntimeError
from game.engine.dice import roller
from game.story import codes, expr
from game.story.files import load_story
from game.story.model import Story

HEADER = """\
story: {id: c, title: C, start: a}
variables:
  trust: {default: 1, min: 0, max: 5}
  roll: 0
  share: 0.5
  lucky: false
  word: hi
"""


def build(tmp_path: Path, scenes: str, header: str = HEADER) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "story.yaml").write_text(header + textwrap.dedent(scenes), encoding="utf-8")
    return tmp_path


def loaded(tmp_path: Path, scenes: str, header: str = HEADER) -> Story:
    result = load_story(build(tmp_path, scenes, header))
    assert result.story is not None, [str(d) for d in result.diagnostics]
    return result.story


def problems(tmp_path: Path, scenes: str, header: str = HEADER) -> list[tuple[int, int, str]]:
    """(line, col, code) of every diagnostic but the unread-variable warnings."""
    result = load_story(build(tmp_path, scenes, header))
    return [(d.pos.line, d.pos.col, d.code) for d in result.diagnostics
            if d.code not in (codes.UNREAD_VARIABLE.code, codes.SAME_OUTCOME.code)]


def on_enter(effect: str) -> str:
    return f"""\
scenes:
  a:
    text: t
    on_enter:
      - {effect}
    choices:
      - {{text: Go, goto: b}}
  b: {{text: "{{trust}} {{roll}} {{share}} {{lucky}} {{word}}", ending: {{id: e, title: E}}}}
"""


# -- the expression package --------------------------------------------------------------------

def value(text: str, variables: dict[str, expr.Value] | None = None,
          rolls: tuple[int, ...] = ()) -> expr.Value:
    """The reference interpreter's value; the compiled closure must give the same."""
    left = iter(rolls)
    dice = expr.Rolls(variables or {}, lambda lo, hi, offset: next(left))
    tree = expr.parse(text)
    first = expr.evaluate(tree, dice, {}, frozenset())
    left = iter(rolls)
    assert expr.compile_expr(tree)(dice, {}, frozenset()) == first
    return first


@pytest.mark.parametrize(("text", "expected"), [
    ("min(3, 7)", 3), ("max(3, 7)", 7), ("min(-1, 2.5)", -1), ("clamp(9, 0, 5)", 5),
    ("clamp(-3, 0, 5)", 0), ("clamp(2, 0, 5)", 2), ("abs(-4)", 4), ("abs(2.5)", 2.5),
    ("round(2.5)", 3), ("round(-2.5)", -3), ("round(2.4)", 2), ("round(7)", 7),
    ("min(max(1, 4), 3) + 1", 4), ("round(10 / 4)", 3),
])
def test_each_function_of_numbers(text: str, expected: expr.Value) -> None:
    assert value(text) == expected
    assert type(value(text)) is type(expected)


def test_random_rolls_the_dice_it_is_given_in_order() -> None:
    assert value("random(1, 6) * 10 + random(1, 6)", rolls=(3, 4)) == 34
    assert value("random(1, 6)", {"x": 1}, rolls=(6,)) == 6


def test_random_without_dice_is_a_run_time_error_not_a_number() -> None:
    with pytest.raises(expr.ExprEvalError, match="only be used in a compute"):
        expr.evaluate(expr.parse("random(1, 6)"), {}, {}, frozenset())
    with pytest.raises(expr.ExprEvalError, match="only be used in a compute"):
        expr.compile_expr(expr.parse("random(1, 6)"))({}, {}, frozenset())


@pytest.mark.parametrize(("text", "message"), [
    ("min(1)", "min(a, b) takes 2 arguments, not 1"),
    ("clamp(1, 2, 3, 4)", "clamp(x, lo, hi) takes 3 arguments; this is one more"),
    ("abs()", "abs(x) takes one argument, not 0"),
    ("round(x", "never closed"),
])
def test_arity_and_syntax(text: str, message: str) -> None:
    with pytest.raises(expr.ExprError, match=message.replace("(", r"\(").replace(")", r"\)")):
        expr.parse(text)


def test_unparse_round_trips_the_functions() -> None:
    for text in ("min(a, b)", "clamp(x + 1, 0, max(y, 2)) * 2", "random(1, 6)", "-abs(x)"):
        tree = expr.parse(text)
        assert expr.unparse(tree) == text
        assert expr.strip_offsets(expr.parse(expr.unparse(tree))) == expr.strip_offsets(tree)


def check(text: str, allow_random: bool = False) -> list[str]:
    return [e.message for e in expr.check(
        expr.parse(text), variables={"n": int, "f": float, "b": bool, "s": str}, scenes=(),
        facts=(), want_bool=False, allow_random=allow_random)]


def test_the_checker_wants_numbers_and_random_only_where_allowed() -> None:
    assert check("min(s, 1)") == ["min() needs numbers, but this is text"]
    assert check("random(1, 6)") == [
        "random() can only be used in a compute effect: showing a scene or deciding a "
        "condition never changes anything"]
    assert check("random(1, 6)", allow_random=True) == []
    assert check("clamp(n, 5, 1)") == [
        "clamp(): lo (5) is above hi (1), so this fails whenever it is evaluated"]
    assert check("random(6, -1)", allow_random=True) == [
        "random(): lo (6) is above hi (-1), so this fails whenever it is evaluated"]
    assert check("random(1.5, 3)", allow_random=True) == [
        "random() rolls whole numbers; 1.5 is not one"]
    assert check("clamp(n, f, 1)") == []  # not constant: checked in play


@pytest.mark.parametrize(("text", "kind"), [
    ("n + 1", "whole"), ("n / 2", "decimal"), ("round(n / 2)", "whole"), ("f", "decimal"),
    ("min(n, f)", "decimal"), ("random(1, n)", "whole"), ("abs(n)", "whole"),
    ("n > 1", "bool"), ("s", "str"), ("-n", "whole"),
])
def test_result_kind(text: str, kind: str) -> None:
    tree = expr.parse(text)
    assert expr.result_kind(tree, {"n": int, "f": float, "s": str}) == kind


numbers = st.integers(-50, 50) | st.floats(-50, 50, allow_nan=False).map(lambda x: round(x, 2))
leaves = numbers.map(lambda x: expr.literal_text(x) if x >= 0 else f"-{expr.literal_text(-x)}")


def _calls(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(st.sampled_from(["abs", "round"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]} + {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]} * {t[1]})"),
        inner.map(lambda x: f"clamp({x}, -5, 5)"),
        inner.map(lambda x: f"random(-3, 3) + {x}"),
    )


@settings(max_examples=300, deadline=None)
@given(st.recursive(leaves | st.just("x"), _calls, max_leaves=8), st.integers(-3, 3),
       st.lists(st.integers(-3, 3), max_size=20))
def test_the_closures_are_the_interpreter(text: str, x: int, rolls: list[int]) -> None:
    tree = expr.parse(text)
    compiled = expr.compile_expr(tree)
    values = [*rolls, *([0] * 40)]

    def outcome(run: Callable[[expr.Rolls], expr.Value]) -> object:
        left = iter(values)
        dice = expr.Rolls({"x": x}, lambda lo, hi, offset: next(left))
        try:
            result = run(dice)
        except expr.ExprEvalError as exc:
            return ("error", exc.message, exc.offset)
        return (type(result), result)

    assert outcome(lambda d: compiled(d, {}, frozenset())) == outcome(
        lambda d: expr.evaluate(tree, d, {}, frozenset()))


# -- the readers: each mistake at its line and column -------------------------------------------

@pytest.mark.parametrize(("effect", "where"), [
    # line 12 is `      - {EFFECT}`: the column is the offending token's (or the value's)
    ('compute: {roll: "roll +"}', (12, 33, codes.COMPUTE_SYNTAX)),  # where it ends early
    ('compute: {lucky: "roll + 1"}', (12, 28, codes.COMPUTE_RESULT)),
    ('compute: {trust: "share * 2"}', (12, 28, codes.COMPUTE_RESULT)),
    ('compute: {word: "roll"}', (12, 27, codes.COMPUTE_RESULT)),
    ('compute: {roll: "random(6, 1)"}', (12, 34, codes.EMPTY_RANGE)),  # the 6
    ('compute: {roll: "clamp(roll, 9, 1)"}', (12, 39, codes.EMPTY_RANGE)),  # the 9
    ('compute: {roll: "roll / 0"}', (12, 32, codes.DIVISION_BY_ZERO)),  # the /
    ('compute: {rol: "1 + roll"}', (12, 20, codes.NO_VARIABLE)),  # the key
    ('compute: {roll: "nope + 1"}', (12, 27, codes.CONDITION_NAME)),
    ('set: {trust: 6}', (12, 23, codes.SET_OUTSIDE)),  # the 6
    ('compute: {roll: "7"}', (12, 26, codes.COMPUTE_CONSTANT)),
    ('compute: {roll: "random(2, 2)"}', (12, 27, codes.RANDOM_ONE_OUTCOME)),
])
def test_each_compute_mistake_at_its_place(tmp_path: Path, effect: str,
                                           where: tuple[int, int, codes.Code]) -> None:
    line, col, code = where
    assert (line, col, code.code) in problems(tmp_path, on_enter(f"{{{effect}}}"))


def test_random_in_a_condition_or_a_text_is_refused_at_it(tmp_path: Path) -> None:
    found = problems(tmp_path, """\
        scenes:
          a:
            text: "You rolled {random(1, 6)}."
            choices:
              - {text: Go, goto: b, if: "random(1, 6) > 3"}
              - {text: Stay, goto: b}
          b: {text: "{trust}{roll}{share}{lucky}{word}", ending: {id: e, title: E}}
        """)
    assert (10, 23, codes.RANDOM_OUTSIDE.code) in found  # the {
    assert (12, 34, codes.RANDOM_OUTSIDE.code) in found  # random


@pytest.mark.parametrize(("declaration", "where"), [
    ("{default: 0, min: 5, max: 1}", (8, 34, codes.BOUNDS_ORDER)),  # the max
    ("{default: 9, min: 0, max: 5}", (8, 18, codes.DEFAULT_OUTSIDE)),  # the default
    ("{default: false, max: 1}", (8, 30, codes.BOUNDS_NOT_NUMBER)),
    ("{default: 1, max: 2.5}", (8, 26, codes.BOUNDS_NOT_NUMBER)),
    ("{default: 1, max: many}", (8, 26, codes.WRONG_KIND)),  # a bound is a number
    ("{default: 1, mxa: 3}", (8, 21, codes.UNKNOWN_KEY)),
])
def test_each_bounds_mistake_at_its_place(tmp_path: Path, declaration: str,
                                          where: tuple[int, int, codes.Code]) -> None:
    line, col, code = where
    header = HEADER + f"  odd: {declaration}\n"
    assert (line, col, code.code) in problems(tmp_path, on_enter("{add: {roll: 1}}"), header)


def test_an_unknown_bounds_key_says_what_was_meant(tmp_path: Path) -> None:
    header = HEADER + "  odd: {default: 1, mxa: 3}\n"
    result = load_story(build(tmp_path, on_enter("{add: {roll: 1}}"), header))
    assert any("unknown key 'mxa' in variable 'odd'; did you mean 'max'?" in d.message
               for d in result.diagnostics)


def test_a_decimal_result_into_a_whole_number_suggests_round(tmp_path: Path) -> None:
    result = load_story(build(tmp_path, on_enter('{compute: {roll: "roll / 2"}}')))
    assert any(d.message.endswith("round it to a whole number: round(roll / 2)")
               for d in result.diagnostics)


# -- the engine ---------------------------------------------------------------------------------

def test_add_and_compute_are_clamped_into_the_bounds(tmp_path: Path) -> None:
    story = loaded(tmp_path, on_enter(
        '{compute: {trust: "trust + 10"}}\n      - {add: {trust: -1}}\n'
        '      - {compute: {share: "trust / 8", lucky: "trust == 4", word: "word"}}'))
    state = Engine(story).start()
    assert dict(state.variables) == {"trust": 4, "roll": 0, "share": 0.5, "lucky": True,
                                     "word": "hi"}
    story = loaded(tmp_path, on_enter('{add: {trust: -7}}'))
    assert Engine(story).start().variables["trust"] == 0


def test_a_whole_result_into_a_decimal_variable_is_a_decimal(tmp_path: Path) -> None:
    story = loaded(tmp_path, on_enter('{compute: {share: "roll + 2"}}'))
    share = Engine(story).start().variables["share"]
    assert share == 2.0 and type(share) is float


def test_effects_run_in_order_and_see_each_other(tmp_path: Path) -> None:
    story = loaded(tmp_path, on_enter(
        '{compute: {roll: "random(1, 6)", trust: "min(roll, 5)"}}'))
    state = Engine(story).start(7)
    assert state.variables["trust"] == min(state.variables["roll"], 5)  # type: ignore[type-var]


def test_random_is_the_seeds_and_the_same_in_the_same_place(tmp_path: Path) -> None:
    story = loaded(tmp_path, on_enter('{compute: {roll: "random(1, 1000000)"}}'))
    engine = Engine(story)
    rolls = {engine.start(seed).variables["roll"] for seed in range(20)}
    assert len(rolls) > 15  # different seeds, different games
    assert engine.start(3) == engine.start(3)
    expected = roller(3, 0, "a", 0, "roll")(1, 1000000, 0)
    assert engine.start(3).variables["roll"] == expected


def test_a_compute_that_fails_in_play_says_where(tmp_path: Path) -> None:
    story = loaded(tmp_path, on_enter('{compute: {roll: "clamp(roll, trust, 0)"}}'))
    with pytest.raises(StoryRuntimeError) as caught:
        Engine(story).start()
    assert "clamp(): lo (1) is above hi (0)" in str(caught.value)
    assert (caught.value.pos.line, caught.value.pos.col) == (12, 26)  # type: ignore[union-attr]


def test_a_compute_leaving_the_number_range_is_a_run_time_error(tmp_path: Path) -> None:
    story = loaded(tmp_path, on_enter('{compute: {roll: "999999999999999 * 9"}}'))
    with pytest.raises(StoryRuntimeError, match="compute roll: the result"):
        Engine(story).start()


HUGE = " * ".join(["share * 1000000000000000"] * 22)
"""A product of floats past 1e308: Python makes it infinity without raising."""
WHOLE = " * ".join(["trust * 1000000000000000"] * 22)
"""A whole number of 330 digits: no float holds it."""


@pytest.mark.parametrize("compute", [
    f'{{roll: "round({HUGE})"}}',                 # round() of infinity
    f'{{roll: "round({HUGE} - {HUGE})"}}',        # of nan (infinity less infinity)
    f'{{share: "{HUGE} - {HUGE}"}}',              # nan into a decimal
    f'{{share: "{WHOLE}"}}',                      # a whole number too large for a float
    f'{{roll: "{WHOLE} * {WHOLE}"}}',             # and for "%.4g" in the message
    f'{{roll: "clamp(1, {WHOLE}, 0)"}}',          # in clamp()'s message
    f'{{roll: "random({WHOLE}, 0)"}}',            # in random()'s
])
def test_an_infinite_or_nan_result_is_a_run_time_error_not_a_crash(
        tmp_path: Path, compute: str) -> None:
    """Found by hand: `round()` of an overflowed product raised Python's OverflowError
    (the player saw "internal error"); now the author's error, at the compute."""
    story = loaded(tmp_path, on_enter(f"{{compute: {compute}}}"))
    with pytest.raises(StoryRuntimeError, match=r"number too large|would leave the range|is above hi \(0\)"):
        Engine(story).start()


def test_a_variable_read_only_by_another_variables_compute_is_read(tmp_path: Path) -> None:
    header = HEADER + "  bonus: 2\n  alone: 0\n"
    found = load_story(build(tmp_path, on_enter(
        '{compute: {roll: "roll + bonus", alone: "alone + 1"}}'), header)).diagnostics
    unread = {d.message.split("'")[1] for d in found if d.code == codes.UNREAD_VARIABLE.code}
    assert "bonus" not in unread
    assert "alone" in unread  # read only by its own compute: nothing ever shows it


def test_a_save_fitted_to_new_bounds_is_brought_inside_them(tmp_path: Path) -> None:
    from game.engine.migrate import migrate

    before = loaded(tmp_path / "a", on_enter("{add: {roll: 9}}"))
    state = Engine(before).start()
    assert state.variables["roll"] == 9
    after = loaded(tmp_path / "b", on_enter("{add: {roll: 1}}"),
                   HEADER.replace("  roll: 0\n", "  roll: {default: 0, max: 5}\n"))
    moved = migrate(state, after)
    assert moved.state is not None and moved.state.variables["roll"] == 5
    assert "variable 'roll' brought within the new bounds" in moved.summary
    assert migrate(moved.state, after).state is moved.state  # fits now: kept as it is


def test_a_value_outside_the_bounds_is_no_way_to_hide_every_choice(tmp_path: Path) -> None:
    """Lint's "every choice can be hidden at once" tries values a number can hold: a
    bounded one only inside its bounds (with `trust` at least 0, `trust >= 0` always holds)."""
    scenes = """\
        scenes:
          a:
            text: "{roll}{share}{lucky}{word}"
            choices:
              - {text: Go, goto: b, if: trust >= 0}
              - {text: Stay, goto: a, if: trust > 9}
          b: {text: t, ending: {id: e, title: E}}
        """
    assert not any(code == codes.ALL_HIDDEN.code for _, _, code in problems(tmp_path, scenes))
    unbounded = HEADER.replace("trust: {default: 1, min: 0, max: 5}", "trust: 1")
    assert any(code == codes.ALL_HIDDEN.code
               for _, _, code in problems(tmp_path / "u", scenes, unbounded))
