"""The fast condition parser agrees with the careful one on every input, valid or not.

`expr.parse` tries a precedence-climbing parser first and falls back to the recursive-descent
one (which words every error); these properties hold the pair together: same tree (offsets
included) whenever the careful parser accepts, and never a tree it would refuse.
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
    by one inserted, deleted or replaced token: the inputs where the two could drift."""
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
        return expr.parse(source)
    except expr.ExprError as exc:
        return ("error", exc.message, exc.offset)


def careful(source: str, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as m:
        m.setattr(expr._FastParser, "parse", lambda self: None)
        return outcome(source)


@settings(max_examples=1500, deadline=None)
@given(sources)
def test_fast_and_careful_parsers_agree(source: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert outcome(source) == careful(source, monkeypatch)


@settings(max_examples=1500, deadline=None)
@given(near_valid())
def test_fast_and_careful_parsers_agree_near_valid_input(source: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert outcome(source) == careful(source, monkeypatch)


@pytest.mark.parametrize("source", [
    "a", "not a", "not not a == b", "a == b and c or not d", "-a * -b + 3 / (c - 1)",
    "a < b < c", "visits(x) > 1 and has(f) or seen('s')", "has(\"f g\")", "(((a)))",
    "not (a or b) and c", "a - - b", "true == false", "x == 'it''s'", "has(and)",
    "f(a, b)", "(" * 31 + "a" + ")" * 31, "(" * 30 + "a" + ")" * 30,
    " and ".join(["a"] * 40), "-" * 70 + "a", "a +", "", "   ", "a b", "1.5.2",
])
def test_known_shapes_agree(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert outcome(source) == careful(source, monkeypatch)


def test_fast_parser_builds_the_expected_tree() -> None:
    node = expr.parse("not met and courage >= 2 + 1")
    assert node == expr.Binary(
        "and", expr.Unary("not", expr.Var("met", 4), 0),
        expr.Binary(">=", expr.Var("courage", 12),
                    expr.Binary("+", expr.Literal(2, 23), expr.Literal(1, 27), 25), 20), 8)
