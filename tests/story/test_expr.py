"""Tests for game.story.expr: parsing, checking, compiling and printing conditions."""

from __future__ import annotations

import math
import pickle
from collections.abc import Sequence
from functools import partial
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.story.expr import (
    Binary,
    Call,
    ExprError,
    ExprEvalError,
    Literal,
    Node,
    Ref,
    Unary,
    Value,
    Var,
    check,
    compile_expr,
    constant_value,
    evaluate,
    parse,
    references,
    strip_offsets,
    unparse,
)

VARIABLES: dict[str, type] = {
    "courage": int,
    "mood": float,
    "met_john": bool,
    "brave": bool,
    "name": str,
    "zero": int,
}
SCENES = {"hall", "audition_room", "odd-scene"}
FACTS = {"key", "met pam", "favorite_pam"}
ENV: dict[str, Value] = {
    "courage": 2,
    "mood": 0.5,
    "met_john": False,
    "brave": True,
    "name": "Pam",
    "zero": 0,
}
VISITS = {"hall": 2, "audition_room": 1}
HAVE = frozenset({"key"})


def both(source: str, env: dict[str, Value] = ENV) -> Value:
    """Runs a condition through both evaluators and insists they agree."""
    tree = parse(source)
    expected = evaluate(tree, env, VISITS, HAVE)
    actual = compile_expr(tree)(env, VISITS, HAVE)
    assert type(actual) is type(expected)
    assert actual == expected
    return expected


def errors(source: str, *, want_bool: bool = True) -> list[tuple[str, int]]:
    found = check(
        parse(source), variables=VARIABLES, scenes=SCENES, facts=FACTS, want_bool=want_bool
    )
    return [(e.message, e.offset) for e in found]


def same(a: Node, b: Node) -> bool:
    return strip_offsets(a) == strip_offsets(b)


# --- parsing -------------------------------------------------------------------------


def test_parse_builds_tree_with_offsets() -> None:
    assert parse("courage >= 1 and not met_john") == Binary(
        "and",
        Binary(">=", Var("courage", 0), Literal(1, 11), 8),
        Unary("not", Var("met_john", 21), 17),
        13,
    )
    assert parse("  visits( 'hall' )") == Call("visits", "hall", 10, 2)


def test_two_parses_are_equal_and_hashable() -> None:
    text = "visits(audition_room) > 1 or has(favorite_pam)"
    assert parse(text) == parse(text)
    assert hash(parse(text)) == hash(parse(text))
    assert parse("a") != parse(" a")  # offsets are part of equality
    assert same(parse("a"), parse(" a"))


def test_literal_equality_distinguishes_types() -> None:
    assert Literal(1) != Literal(True)
    assert Literal(1) != Literal(1.0)
    assert Literal(0) != Literal(False)
    assert Literal("1") != Literal(1)
    assert Literal(2.5, 3) == Literal(2.5, 3)
    assert len({Literal(1), Literal(True), Literal(1.0)}) == 3


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("3", 3),
        ("2.5", 2.5),
        ("007", 7),
        ("true", True),
        ("false", False),
        ("'single'", "single"),
        ('"double"', "double"),
        (r'"a\\b\"c\'d\ne"', "a\\b\"c'd\ne"),
        (r"'it\'s'", "it's"),
        ('""', ""),
    ],
)
def test_literals(source: str, value: Value) -> None:
    node = parse(source)
    assert node == Literal(value, 0)
    assert constant_value(node) == value


@pytest.mark.parametrize(
    ("source", "explicit"),
    [
        ("a or b and c", "a or (b and c)"),
        ("a and b or c and d", "(a and b) or (c and d)"),
        ("not a and b", "(not a) and b"),
        ("not a == b", "not (a == b)"),
        ("not not a", "not (not a)"),
        ("a == b and c != d", "(a == b) and (c != d)"),
        ("1 + 2 * 3", "1 + (2 * 3)"),
        ("1 - 2 - 3", "(1 - 2) - 3"),
        ("8 / 4 / 2", "(8 / 4) / 2"),
        ("8 / 4 * 2", "(8 / 4) * 2"),
        ("-a * b", "(-a) * b"),
        ("- -a", "-(-a)"),
        ("a + b > c * d", "(a + b) > (c * d)"),
        ("a - -b", "a - (-b)"),
        ("((a))", "a"),
    ],
)
def test_precedence(source: str, explicit: str) -> None:
    assert same(parse(source), parse(explicit))


# --- evaluation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("7 / 2", 3.5),
        ("8 / 4", 2.0),
        ("7 - 2 - 1", 4),
        ("2 * 3 + 1", 7),
        ("2 * (3 + 1)", 8),
        ("-3 + 1", -2),
        ("-courage", -2),
        ("mood * 4", 2.0),
        ("1 == 1.0", True),
        ("'a' == \"a\"", True),
        ("name == 'Pam'", True),
        ("name != 'Pam'", False),
        ("3 < 4", True),
        ("4 < 4", False),
        ("4 <= 4", True),
        ("5 > 4", True),
        ("4 >= 5", False),
        ("courage > 1", True),
        ("courage >= 3", False),
        ("1 < courage", True),
        ("2 >= courage", True),
        ("courage == 2", True),
        ("courage != 2", False),
        ("courage < 2", False),
        ("courage <= 2", True),
        ("mood < courage", True),
        ("true and false", False),
        ("true and true", True),
        ("false or true", True),
        ("false or false", False),
        ("not true", False),
        ("not met_john", True),
        ("brave and not met_john", True),
        ("met_john or brave", True),
        ("visits(hall)", 2),
        ("visits(attic)", 0),
        ("visits(hall) > 1", True),
        ("visits(audition_room) == 1", True),
        ("1 < visits(hall)", True),
        ("visits(attic) >= 1", False),
        ("seen(hall)", True),
        ("seen(attic)", False),
        ("has(key)", True),
        ("has('met pam')", False),
        ("not has(key)", False),
        ("not has(lock)", True),
        ("not seen(attic)", True),
        ("not (courage > 1)", False),
        ("visits(hall) + courage * 2", 6),
    ],
)
def test_evaluate_and_compiled_agree(source: str, value: Value) -> None:
    result = both(source)
    assert type(result) is type(value)
    assert result == value


def test_and_or_short_circuit() -> None:
    assert both("met_john and 1 / zero > 0") is False
    assert both("brave or 1 / zero > 0") is True
    assert both("false and 1 / 0 > 0") is False
    with pytest.raises(KeyError):
        compile_expr(parse("brave and missing"))(ENV, VISITS, HAVE)
    assert compile_expr(parse("met_john and missing"))(ENV, VISITS, HAVE) is False


@pytest.mark.parametrize(
    ("source", "offset"),
    [("courage / zero > 1", 8), ("1 + mood / 0.0 > 1", 9), ("1 / 0 > 0", 2), ("-(3 / (2 - 2))", 4)],
)
def test_division_by_zero_points_at_slash(source: str, offset: int) -> None:
    tree = parse(source)
    for run in (partial(evaluate, tree), compile_expr(tree)):
        with pytest.raises(ExprEvalError) as info:
            run(ENV, VISITS, HAVE)
        assert info.value.message == "division by zero"
        assert info.value.offset == offset


def test_overflow_is_an_eval_error() -> None:
    env: dict[str, Value] = {**ENV, "courage": 10**400}
    for source, offset in (("courage / 3 > 1", 8), ("courage + mood > 1", 8)):
        tree = parse(source)
        with pytest.raises(ExprEvalError, match="too large"):
            evaluate(tree, env, VISITS, HAVE)
        with pytest.raises(ExprEvalError) as info:
            compile_expr(tree)(env, VISITS, HAVE)
        assert info.value.offset == offset


def test_unknown_function_fails_at_run_time_in_both() -> None:
    tree = parse("visit(hall) > 1")
    with pytest.raises(ExprEvalError, match="unknown function 'visit'"):
        evaluate(tree, ENV, VISITS, HAVE)
    with pytest.raises(ExprEvalError, match="unknown function 'visit'"):
        compile_expr(tree)(ENV, VISITS, HAVE)


# --- syntax errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message", "offset"),
    [
        ("courage = 1", "use == to compare, not =", 8),
        ("(courage = 1)", "use == to compare, not =", 9),
        ("a && b", "use 'and' instead of '&&'", 2),
        ("a & b", "use 'and' instead of '&'", 2),
        ("a || b", "use 'or' instead of '||'", 2),
        ("a | b", "use 'or' instead of '|'", 2),
        ("!a", "use 'not' instead of '!'", 0),
        ("a and !b", "use 'not' instead of '!'", 6),
        ("'abc", "unterminated string; add the closing '", 0),
        ('x == "abc\\"', 'unterminated string; add the closing "', 5),
        ("(a", "unbalanced parentheses: this '(' is never closed", 0),
        ("((a) and b", "unbalanced parentheses: this '(' is never closed", 0),
        ("visits(hall", "unbalanced parentheses: this '(' is never closed", 6),
        ("a)", "unbalanced parentheses: this ')' has no matching '('", 1),
        ("(a))", "unbalanced parentheses: this ')' has no matching '('", 3),
        ("()", "expected a value, found ')'", 1),
        ("(a b)", "expected ')', found 'b'", 3),
        ("a b", "expected an operator or the end of the condition, found 'b'", 2),
        (
            "courage >= 1 met_john",
            "expected an operator or the end of the condition, found 'met_john'",
            13,
        ),
        (
            "a AND b",
            "expected an operator or the end of the condition, found 'AND'; did you mean 'and'?",
            2,
        ),
        ("", "empty expression", 0),
        ("   ", "empty expression", 0),
        ("a and", "the condition ends too early; expected a value", 5),
        ("not", "the condition ends too early; expected a value", 3),
        ("1 +", "the condition ends too early; expected a value", 3),
        ("1 < 2 < 3", "comparisons cannot be chained; join them with 'and'", 6),
        ("a == b != c", "comparisons cannot be chained; join them with 'and'", 7),
        ("a == not b", "expected a value, found 'not'", 5),
        (r"'a\q'", "unknown escape '\\q' in string; write \\\\ for a backslash", 2),
        ("visits()", "visits() needs a scene or fact id, like visits(intro)", 7),
        ("has(1)", "has() needs a scene or fact id, like has(intro)", 4),
        ("seen(true)", "seen() needs a scene or fact id, like seen(intro)", 5),
        ("visits(a, b)", "visits() takes exactly one argument", 8),
        ("3 $ 4", "unexpected character '$'", 2),
        ("2.", "unexpected character '.'", 1),
        ("1" * 5000, "this number is too long", 0),
        ("1" * 400 + ".5", "this number is too large", 0),
        ("(" * 31 + "a" + ")" * 31, "too many nested parentheses", 30),
        ("not " * 300 + "a", "this condition is nested too deeply; split it up", 800),
        ("a" + " + a" * 300, "this condition is nested too deeply; split it up", 0),
    ],
)
def test_syntax_errors(source: str, message: str, offset: int) -> None:
    with pytest.raises(ExprError) as info:
        parse(source)
    assert info.value.message == message
    assert info.value.offset == offset


def test_first_error_wins() -> None:
    with pytest.raises(ExprError) as info:
        parse("a = b $ 'unterminated")
    assert (info.value.message, info.value.offset) == ("use == to compare, not =", 2)


def test_moderate_nesting_is_fine() -> None:
    assert constant_value(parse("(" * 30 + "1" + ")" * 30)) == 1
    assert both(" and ".join(["brave"] * 150)) is True


def test_errors_print_and_pickle() -> None:
    with pytest.raises(ExprError) as info:
        parse("courage = 1")
    assert str(info.value) == "use == to compare, not = (at offset 8)"
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.message, copy.offset) == ("use == to compare, not =", 8)
    boom = pickle.loads(pickle.dumps(ExprEvalError("division by zero", 4)))
    assert (boom.message, boom.offset) == ("division by zero", 4)


def test_huge_inputs_fail_with_an_error_not_a_crash() -> None:
    """Depth and length limits hold before any recursion: no RecursionError, no hang (the
    parser is iterative over its operators; timing it here would only measure the machine)."""
    for source in ['"' + "x" * 200_000, "(" * 100_000, "-" * 100_000 + "1", "a or " * 50_000 + "a"]:
        with pytest.raises(ExprError):
            parse(source)
    assert parse("x" * 100_000) == Var("x" * 100_000, 0)


# --- static checks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "courage >= 1 and not met_john",
        "visits(audition_room) > 1 or has(favorite_pam)",
        "seen('odd-scene') and has('met pam')",
        "mood * 2 < courage + 1",
        "name == 'Pam' or name != \"John\"",
        "brave == met_john",
        "-courage < 0",
    ],
)
def test_check_accepts_valid_conditions(source: str) -> None:
    assert errors(source) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("corage > 1", [("unknown variable 'corage'; did you mean 'courage'?", 0)]),
        ("xyzzy", [("unknown variable 'xyzzy'", 0)]),
        ("True", [("unknown variable 'True'; did you mean true?", 0)]),
        ("brave or FALSE", [("unknown variable 'FALSE'; did you mean false?", 9)]),
        ("hall", [("unknown variable 'hall'; did you mean 'seen(hall)'?", 0)]),
        ("key", [("unknown variable 'key'; did you mean 'has(key)'?", 0)]),
        ("visit(hall) > 1", [("unknown function 'visit'; did you mean 'visits'?", 0)]),
        ("lookup(hall)", [("unknown function 'lookup'", 0)]),
        ("seen(hal)", [("unknown scene 'hal'; did you mean 'hall'?", 5)]),
        ("visits(attic) > 0", [("unknown scene 'attic'", 7)]),
        ("has('met pan')", [("unknown fact 'met pan'; did you mean 'met pam'?", 4)]),
        ("has(hall)", [("unknown fact 'hall'", 4)]),
        ("seen(key)", [("unknown scene 'key'", 5)]),
        (
            "corage + 1 > 0 and not seen(hal)",
            [
                ("unknown variable 'corage'; did you mean 'courage'?", 0),
                ("unknown scene 'hal'; did you mean 'hall'?", 28),
            ],
        ),
    ],
)
def test_check_unknown_names(source: str, expected: list[tuple[str, int]]) -> None:
    assert errors(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "courage",
            [("this condition is a number, not true/false; did you mean 'courage > 0'?", 0)],
        ),
        (
            "visits(hall)",
            [("this condition is a number, not true/false; did you mean 'visits(hall) > 0'?", 0)],
        ),
        (
            "courage + 1",
            [("this condition is a number, not true/false; did you mean 'courage + 1 > 0'?", 0)],
        ),
        ("name", [("this condition is text, not true/false; did you mean 'name != \"\"'?", 0)]),
        (
            "courage and met_john",
            [
                (
                    "'and' needs true/false on both sides, but this is a number;"
                    " did you mean 'courage > 0'?",
                    0,
                ),
            ],
        ),
        (
            "brave or name",
            [
                (
                    "'or' needs true/false on both sides, but this is text;"
                    " did you mean 'name != \"\"'?",
                    9,
                ),
            ],
        ),
        (
            "not courage",
            [("'not' needs true/false, but this is a number; did you mean 'courage > 0'?", 4)],
        ),
        ("courage == met_john", [("cannot compare a number with true/false", 8)]),
        ("name != 3", [("cannot compare text with a number", 5)]),
        (
            "name < 'b'",
            [
                ("'<' only compares numbers, but this is text", 0),
                ("'<' only compares numbers, but this is text", 7),
            ],
        ),
        ("brave >= 1", [("'>=' only compares numbers, but this is true/false", 0)]),
        ("name + 1 > 0", [("'+' needs numbers, but this is text", 0)]),
        ("2 * brave > 0", [("'*' needs numbers, but this is true/false", 4)]),
        ("-met_john < 0", [("'-' needs a number, but this is true/false", 1)]),
        ("(1 + 2 == 3) + 1 > 0", [("'+' needs numbers, but this is true/false", 1)]),
    ],
)
def test_check_type_errors(source: str, expected: list[tuple[str, int]]) -> None:
    assert errors(source) == expected


def test_check_want_bool_false_allows_values() -> None:
    assert errors("courage + 1", want_bool=False) == []
    assert errors("name", want_bool=False) == []
    assert errors("courage and brave", want_bool=False) != []


def test_check_reports_everything_sorted() -> None:
    found = errors("visit(x) or seen(hal) and corage > 1 and name")
    assert [offset for _, offset in found] == [0, 17, 26, 41]


def test_check_rejects_unsupported_variable_types() -> None:
    found = check(parse("items > 1"), variables={"items": list}, scenes=(), facts=())
    assert [(e.message, e.offset) for e in found] == [
        ("variable 'items' is a list; use a number, true/false or text", 0),
    ]


# --- references, unparse, constants ----------------------------------------------------


def test_references_in_source_order() -> None:
    tree = parse("courage > 1 and seen(hall) or has('met pam') and visits(hall) > x and lookup(z)")
    assert list(references(tree)) == [
        Ref("variable", "courage", 0),
        Ref("scene", "hall", 21),
        Ref("fact", "met pam", 34),
        Ref("scene", "hall", 56),
        Ref("variable", "x", 64),
    ]
    assert list(references(parse("1 + 2 > 2"))) == []


@pytest.mark.parametrize(
    ("source", "canonical"),
    [
        ("courage>=1 and not met_john", "courage >= 1 and not met_john"),
        ("a+b*c", "a + b * c"),
        ("(a+b)*c", "(a + b) * c"),
        ("a-(b-c)", "a - (b - c)"),
        ("a or (b or c)", "a or (b or c)"),
        ("not(a and b)", "not (a and b)"),
        ("(not a) == b", "(not a) == b"),
        ("(a < b) == c", "(a < b) == c"),
        ("-(a+1)", "-(a + 1)"),
        ("- - 3", "--3"),
        ("seen('hall')", "seen(hall)"),
        ("visits('odd-scene')", 'visits("odd-scene")'),
        ("has('not')", 'has("not")'),
        (r"'it\'s \"x\"\n\\'", r'"it' + "'" + r's \"x\"\n\\"'),
        ("TRUE or false", "TRUE or false"),
        ("2.50", "2.5"),
    ],
)
def test_unparse_is_canonical(source: str, canonical: str) -> None:
    assert unparse(parse(source)) == canonical
    assert same(parse(canonical), parse(source))


@pytest.mark.parametrize("value", [1e20, 1e-7, 5e-324, 1.7976931348623157e308, 0.1, 3.0])
def test_unparse_floats_without_exponents(value: float) -> None:
    text = unparse(Literal(value))
    assert "e" not in text and "." in text
    assert parse(text) == Literal(value, 0)


def test_unparse_refuses_non_finite_floats() -> None:
    with pytest.raises(ValueError):
        unparse(Literal(math.inf))
    with pytest.raises(ValueError):
        unparse(Binary("<", Var("x"), Literal(math.nan)))


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("false", False),
        ("1 + 2 > 2", True),
        ("2 * 3", 6),
        ("-(1 / 4)", -0.25),
        ("'a' == 'b' or not false", True),
        ("courage > 1", None),
        ("seen(hall)", None),
        ("lookup(x)", None),
        ("1 / 0 > 0", None),
        ("1 + true", None),
        ("'a' * 3", None),
    ],
)
def test_constant_value(source: str, value: Value | None) -> None:
    result = constant_value(parse(source))
    assert type(result) is type(value)
    assert result == value


def test_compiled_constants_keep_division_errors() -> None:
    with pytest.raises(ExprEvalError):
        compile_expr(parse("1 / 0 > 0"))({}, {}, frozenset())
    assert compile_expr(parse("1 + 2 > 2"))({}, {}, frozenset()) is True


# --- property tests ---------------------------------------------------------------------

P_VARS: dict[str, type] = {"n1": int, "n2": float, "b1": bool, "b2": bool, "s1": str,
                           "l1": tuple}
P_ITEMS = ("a", "b", "")
P_SCENES = ["intro", "hall", "odd-scene", "and"]
P_FACTS = ["key", "met pam"]

number_leaf: st.SearchStrategy[Node] = st.one_of(
    st.integers(0, 10**12).map(Literal),
    st.floats(0, 1e300, allow_nan=False, allow_infinity=False).map(abs).map(Literal),
    st.sampled_from(["n1", "n2"]).map(Var),
    st.sampled_from(P_SCENES).map(lambda s: Call("visits", s)),
    st.just(Call("count", "l1")),
)
text_leaf: st.SearchStrategy[Node] = st.one_of(st.text(max_size=8).map(Literal), st.just(Var("s1")))
bool_leaf: st.SearchStrategy[Node] = st.one_of(
    st.booleans().map(Literal),
    st.sampled_from(["b1", "b2"]).map(Var),
    st.sampled_from(P_SCENES).map(lambda s: Call("seen", s)),
    st.sampled_from(P_FACTS).map(lambda s: Call("has", s)),
    st.one_of(st.sampled_from(P_ITEMS).map(Literal), text_leaf).map(
        lambda name: Binary("in", name, Var("l1"))),
)


def numbers(depth: int) -> st.SearchStrategy[Node]:
    if depth == 0:
        return number_leaf
    sub = numbers(depth - 1)
    return st.one_of(
        number_leaf,
        st.builds(Unary, st.just("-"), sub),
        st.builds(Binary, st.sampled_from(["+", "-", "*", "/"]), sub, sub),
    )


def bools(depth: int) -> st.SearchStrategy[Node]:
    if depth == 0:
        return bool_leaf
    sub, num = bools(depth - 1), numbers(depth - 1)
    return st.one_of(
        bool_leaf,
        st.builds(Unary, st.just("not"), sub),
        st.builds(Binary, st.sampled_from(["and", "or", "==", "!="]), sub, sub),
        st.builds(Binary, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), num, num),
        st.builds(Binary, st.sampled_from(["==", "!="]), text_leaf, text_leaf),
    )


typed_trees = st.one_of(bools(4).map(lambda t: (t, True)), numbers(4).map(lambda t: (t, False)))
environments = st.fixed_dictionaries(
    {
        "n1": st.integers(-(10**6), 10**6),
        "n2": st.floats(-1e6, 1e6, allow_nan=False),
        "b1": st.booleans(),
        "b2": st.booleans(),
        "s1": st.text(max_size=3),
        "l1": st.sets(st.sampled_from(P_ITEMS)).map(
            lambda held: tuple(i for i in P_ITEMS if i in held)),
    }
)


def outcome(run: Any) -> tuple[str, Any]:
    try:
        value = run()
    except ExprEvalError as e:
        return "error", (e.message, e.offset)
    if isinstance(value, float) and math.isnan(value):
        return "nan", None
    return type(value).__name__, value


@settings(max_examples=300)
@given(typed_trees)
def test_property_unparse_round_trips(case: tuple[Node, bool]) -> None:
    tree, is_bool = case
    assert check(tree, variables=P_VARS, scenes=P_SCENES, facts=P_FACTS, want_bool=is_bool) == []
    text = unparse(tree)
    reparsed = parse(text)
    assert strip_offsets(reparsed) == tree
    assert unparse(reparsed) == text


@settings(max_examples=300)
@given(
    typed_trees,
    environments,
    st.dictionaries(st.sampled_from(P_SCENES), st.integers(0, 5)),
    st.frozensets(st.sampled_from(P_FACTS)),
)
def test_property_compiled_matches_interpreter(
    case: tuple[Node, bool], env: dict[str, Value], visits: dict[str, int], facts: frozenset[str]
) -> None:
    tree = parse(unparse(case[0]))  # real offsets, so error positions are compared too
    ev = compile_expr(tree)
    expected = outcome(lambda: evaluate(tree, env, visits, facts))
    assert outcome(lambda: ev(env, visits, facts)) == expected
    if case[1] and expected[0] != "error":
        assert expected[0] == "bool"


GRAMMAR_TEXT = st.text(alphabet="()abnotrue=<>!&|+-*/ '\"\\0123456789.,_x(hs)", max_size=40)


@settings(max_examples=500, deadline=200)
@given(st.one_of(st.text(), GRAMMAR_TEXT))
def test_property_parse_only_raises_expr_error(source: str) -> None:
    try:
        tree = parse(source)
    except ExprError as e:
        assert 0 <= e.offset <= len(source)
        return
    assert same(parse(unparse(tree)), tree)
    check(tree, variables=P_VARS, scenes=P_SCENES, facts=P_FACTS)


# --- the walker ---------------------------------------------------------------------------


def test_nodes_know_their_children_left_to_right() -> None:
    tree = parse("not a or b")
    assert isinstance(tree, Binary)
    assert tree.children() == (tree.left, tree.right)
    assert isinstance(tree.left, Unary) and tree.left.children() == (Var("a", 4),)
    assert Var("b").children() == () and Literal(1).children() == ()
    assert Call("has", "f").children() == ()


def test_walk_top_down_and_bottom_up() -> None:
    from game.story.expr import walk

    tree = parse("(a + 1) * -b")
    assert [unparse(n) for n in walk(tree)] == ["(a + 1) * -b", "a + 1", "a", "1", "-b", "b"]
    assert [unparse(n) for n in walk(tree, bottom_up=True)] == [
        "a", "1", "a + 1", "b", "-b", "(a + 1) * -b"]


def test_fold_gives_each_node_its_childrens_values_in_order() -> None:
    from game.story.expr import fold

    def count(n: Node, kids: Sequence[int]) -> int:
        return 1 + sum(kids)

    assert fold(parse("a and (b or not c)"), count) == 6
    seen: list[tuple[str, list[str]]] = []

    def note(n: Node, kids: Sequence[str]) -> str:
        seen.append((type(n).__name__, list(kids)))
        return type(n).__name__[0]

    fold(parse("a < -b"), note)
    assert seen == [("Var", []), ("Var", []), ("Unary", ["V"]), ("Binary", ["V", "U"])]


def test_walks_are_safe_on_very_deep_trees() -> None:
    """Built by hand, deeper than the parser allows: no walk may recurse per level."""
    from game.story.expr import walk

    tree: Node = Var("a", 0)
    for _ in range(5000):
        tree = Unary("not", tree)
    assert sum(1 for _ in walk(tree)) == 5001
    assert len(unparse(tree)) == len("not " * 5000 + "a")
    assert sum(1 for _ in walk(strip_offsets(tree))) == 5001  # (== itself would recurse)
    assert [r.name for r in references(tree)] == ["a"]
