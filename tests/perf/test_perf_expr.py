"""The one condition parser: precedence climbing over a token list, with careful messages.

It replaced a pair (a fast parser that gave up at the first doubt, and a recursive-descent
one that worded every error). These pin what the pair gave, error for error, on the shapes
where the two designs could differ: the first mistake in reading order wins, prefix runs
and long chains cost no stack, and every outcome is a tree or an ExprError.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.story import expr

TOKENS = [
    "a", "b", "x1", "_y", "visits", "seen", "has", "true", "false", "True", "and", "or", "not",
    "AND", "0", "1", "12", "3.5", "007", "99999999999999999999", '"s"', "'t'", '"a\\"b"',
    '"bad\\q"', '"open', "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "(", ")", ",",
    "=", "!", "&&", "||", "&", "|", "@", "\n", " ", "  ", "\t",
]
sources = st.lists(st.sampled_from(TOKENS), max_size=24).map(" ".join) | st.lists(
    st.sampled_from(TOKENS), max_size=24).map("".join)


leaves = st.one_of(
    st.sampled_from(["a", "b", "met", "x_1"]).map(expr.Var),
    st.integers(0, 10**6).map(expr.Literal),
    st.sampled_from([0.5, 2.25, 10.0]).map(expr.Literal),
    st.booleans().map(expr.Literal),
    st.text("ab 'q\"\\\n", max_size=4).map(expr.Literal),
    st.tuples(st.sampled_from(["visits", "seen", "has"]),
              st.sampled_from(["intro", "f1", "two words"])).map(lambda t: expr.Call(*t)),
)
trees = st.recursive(leaves, lambda inner: st.one_of(
    st.tuples(st.sampled_from(["not", "-"]), inner).map(lambda t: expr.Unary(*t)),
    st.tuples(st.sampled_from(["or", "and", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*",
                               "/"]), inner, inner).map(lambda t: expr.Binary(*t)),
), max_leaves=12)


@st.composite
def near_valid(draw: st.DrawFn) -> str:
    """Valid conditions (with spacing and redundant parentheses varied), sometimes broken
    by one inserted, deleted or replaced token."""
    text = expr.unparse(draw(trees))
    if draw(st.booleans()):
        text = text.replace(" ", draw(st.sampled_from(["", "  ", "\t"])))
    if draw(st.booleans()):
        text = f"({text})"
    if draw(st.booleans()) and text:
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "replace"]))
        token = draw(st.sampled_from(TOKENS))
        if edit == "insert":
            text = text[:at] + token + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + 1:]
        else:
            text = text[:at] + token + text[at + len(token):]
    return text


def outcome(source: str) -> object:
    try:
        return expr.unparse(expr.parse(source))
    except expr.ExprError as exc:
        return ("error", exc.message, exc.offset)


def holds(source: str) -> None:
    """A tree that prints and reads back the same, or an error inside the text."""
    try:
        tree = expr.parse(source)
    except expr.ExprError as exc:
        assert 0 <= exc.offset <= len(source)
        return
    assert expr.strip_offsets(expr.parse(expr.unparse(tree))) == expr.strip_offsets(tree)


@settings(max_examples=1500, deadline=None)
@given(sources)
def test_any_token_soup_gives_a_tree_or_an_error(source: str) -> None:
    holds(source)


@settings(max_examples=1500, deadline=None)
@given(near_valid())
def test_near_valid_input_gives_a_tree_or_an_error(source: str) -> None:
    holds(source)


# What the recursive-descent parser gave for each (checked against it when it was replaced).
@pytest.mark.parametrize(("source", "expected"), [
    ("a", "a"),
    ("not not a == b", "not not a == b"),
    ("-a * -b + 3 / (c - 1)", "-a * -b + 3 / (c - 1)"),
    ("a < b < c", ("error", "comparisons cannot be chained; join them with 'and'", 6)),
    ("visits(x) > 1 and has(f) or seen('s')", "visits(x) > 1 and has(f) or seen(s)"),
    ("(((a)))", "a"),
    ("not (a or b) and c", "not (a or b) and c"),
    ("a - - b", "a - -b"),
    ("x == 'it''s'",
     ("error", "expected an operator or the end of the condition, found ''s''", 9)),
    ("has(and)", ("error", "has() needs a scene or fact id, like has(intro)", 4)),
    ("f(a, b)", ("error", "f() takes exactly one argument", 3)),
    ("1.5.2", ("error", "unexpected character '.'", 3)),
    # a bad character is reported when reading reaches it, not before an earlier mistake
    ("a < b $", ("error", "unexpected character '$'", 6)),
    ("visits($)", ("error", "unexpected character '$'", 7)),
    ("visits(a $", ("error", "unexpected character '$'", 9)),
    ("(a $", ("error", "unexpected character '$'", 3)),
    ("x == 1 == 2 $", ("error", "comparisons cannot be chained; join them with 'and'", 7)),
    ("a == -not b", ("error", "expected a value, found 'not'", 6)),
    ("- not a", ("error", "expected a value, found 'not'", 2)),
    ("not " * 199 + "a", "not " * 199 + "a"),
    ("not " * 200 + "a", ("error", "this condition is nested too deeply; split it up", 800)),
    ("(" + "a + " * 250 + "b)",
     ("error", "this condition is nested too deeply; split it up", 1)),
])
def test_known_shapes(source: str, expected: object) -> None:
    assert outcome(source) == expected


def test_a_whole_number_too_big_for_a_float_is_still_a_number() -> None:
    """It used to escape as an OverflowError (a traceback for the author)."""
    big = "1" * 400
    assert expr.parse(big) == expr.Literal(int(big), 0)
    assert expr.check(expr.parse(f"x < {big}"), variables={"x": int}, scenes=(), facts=()) == []


def test_the_parser_builds_the_expected_tree() -> None:
    node = expr.parse("not met and courage >= 2 + 1")
    assert node == expr.Binary(
        "and", expr.Unary("not", expr.Var("met", 4), 0),
        expr.Binary(">=", expr.Var("courage", 12),
                    expr.Binary("+", expr.Literal(2, 23), expr.Literal(1, 27), 25), 20), 8)
