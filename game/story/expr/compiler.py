"""Running a condition: the plain interpreter (`evaluate`), the constant folder
(`constant_value`), and the compiler into nested closures (`compile_expr`) that a game and the
random runs call millions of times. No text is ever run as Python (no eval/exec/compile)."""

from __future__ import annotations

import math
import operator
import typing
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from game.numbers import approx
from game.story.expr.checker import check, refers
from game.story.expr.nodes import (
    COMPARISONS,
    FUNCTIONS,
    MEMBERSHIP,
    RANDOM,
    Apply,
    Binary,
    Call,
    Evaluator,
    ExprEvalError,
    Literal,
    Node,
    Rolls,
    Unary,
    Value,
    Var,
)

# Internal closures return Any so the hot lambdas need no casts; callers see Evaluator.
_Fn = Callable[..., Any]
"""A compiled node: called as fn(variables, visits, facts); its extra parameters are the
values it closes over, bound as defaults (see `_CMP`), which is why the type is loose."""
_BinFn = Callable[[Any, Any], Any]
_ARITH: Mapping[str, _BinFn] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}
_RELATIONS: Mapping[str, _BinFn] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _arith(fn: _BinFn, a: Any, b: Any, offset: int) -> Any:
    try:
        return fn(a, b)
    except (ZeroDivisionError, OverflowError) as e:
        raise _eval_error(e, offset) from None


def _eval_error(e: ArithmeticError, offset: int) -> ExprEvalError:
    """Python's own errors would not say where in the condition things went wrong."""
    if isinstance(e, ZeroDivisionError):
        return ExprEvalError("division by zero", offset)
    return ExprEvalError("number too large", offset)  # e.g. a huge int meeting a float


# -- the functions of numbers (`MATH`): written once, for the interpreter and the closures --

def whole(x: Any) -> int:
    """Half away from zero (2.5 -> 3, -2.5 -> -3), as authors round by hand; Python's own
    round() would give 2 for 2.5. Only for a finite number: see `rounded`."""
    if type(x) is int:
        return x
    return math.floor(float(x) + 0.5) if x >= 0 else -math.floor(-float(x) + 0.5)


def rounded(x: Any, offset: int) -> int:
    """`round(x)` in an expression: a product of floats can overflow to infinity (or
    infinity less infinity to nan) without Python raising, and neither has a whole number;
    that is the author's "number too large" at the call, never Python's OverflowError."""
    if type(x) is float and not math.isfinite(x):
        raise ExprEvalError("number too large", offset)
    return whole(x)


def _clamp(x: Any, lo: Any, hi: Any, offset: int) -> Any:
    if lo > hi:
        raise ExprEvalError(f"clamp(): lo ({approx(lo, '')}) is above hi ({approx(hi, '')})",
                            offset)
    return lo if x < lo else hi if x > hi else x


def _random(lo: Any, hi: Any, v: Any, offset: int) -> int:
    for bound in (lo, hi):
        if type(bound) is float and not bound.is_integer():
            raise ExprEvalError(f"random() rolls whole numbers; {bound} is not one", offset)
    lo, hi = int(lo), int(hi)
    if lo > hi:
        raise ExprEvalError(f"random(): lo ({approx(lo, '')}) is above hi "
                            f"({approx(hi, '')})", offset)
    if type(v) is not Rolls:
        raise ExprEvalError("random() can only be used in a compute effect", offset)
    return v.roll(lo, hi, offset)


def _apply(func: str, args: Sequence[Any], v: Any, offset: int) -> Any:
    """One function of numbers on its arguments' values; `v` is what the expression is
    evaluated against (a `Rolls` in a compute, which `random` rolls with)."""
    if func == "min":
        return min(args[0], args[1])
    if func == "max":
        return max(args[0], args[1])
    if func == "clamp":
        return _clamp(args[0], args[1], args[2], offset)
    if func == "abs":
        return abs(args[0])
    if func == "round":
        return rounded(args[0], offset)
    if func == RANDOM:
        return _random(args[0], args[1], v, offset)
    raise ExprEvalError(f"unknown function '{func}'", offset)


def evaluate(
    node: Node, variables: Mapping[str, Value], visits: Mapping[str, int], facts: AbstractSet[str]
) -> Value:
    """Deliberately naive: it is the reference the compiled closures are tested against."""
    result: Value = _eval(node, variables, visits, facts)
    return result


def _eval(n: Node, v: Mapping[str, Value], vi: Mapping[str, int], f: AbstractSet[str]) -> Any:
    match n:
        case Literal(value=value):
            return value
        case Var(name=name):
            return v[name]
        case Call(func=func, arg=arg):
            if func not in FUNCTIONS:
                raise ExprEvalError(f"unknown function '{func}'", n.offset)
            if func == "has":
                return arg in f
            if func == "count":
                return len(typing.cast("tuple[str, ...]", v[arg]))
            return vi.get(arg, 0) if func == "visits" else vi.get(arg, 0) > 0
        case Apply(func=func, args=args):
            return _apply(func, [_eval(a, v, vi, f) for a in args], v, n.offset)
        case Unary(op=op, operand=operand):
            x = _eval(operand, v, vi, f)
            return (not x) if op == "not" else -x
        case Binary(op="and", left=left, right=right):
            return _eval(left, v, vi, f) and _eval(right, v, vi, f)
        case Binary(op="or", left=left, right=right):
            return _eval(left, v, vi, f) or _eval(right, v, vi, f)
        case Binary(op=op, left=left, right=right):
            a, b = _eval(left, v, vi, f), _eval(right, v, vi, f)
            if op == MEMBERSHIP:
                return a in b
            if op in _RELATIONS:
                return _RELATIONS[op](a, b)
            return _arith(_ARITH[op], a, b, n.offset)
    raise TypeError(f"not a condition node: {n!r}")


def constant_value(node: Node) -> Value | None:
    """Lets the linter prove that a choice is always hidden (or always shown)."""
    if refers(node):
        return None
    if check(node, variables={}, scenes=(), facts=(), want_bool=False):
        return None
    try:
        return evaluate(node, {}, {}, frozenset())
    except ExprEvalError:
        return None


# Comparisons are the hot path, so each operator gets its own inline lambda rather than
# an operator-module call; the commonest shapes (`x > 1`, `visits(s) > 1`, `count(l) > 1`)
# skip a call.
# Every closure below takes what it closes over as default arguments (`x=x`), not as free
# variables: CPython 3.11 copies a closure's cells into each call's frame and reads them
# through the cell, and conditions are evaluated at every step of a random run. Measured on
# the 10,000-scene benchmark, `offscreen test` runs ~15% faster this way. Callers only ever
# pass the three positional arguments (variables, visits, facts).
_CMP: Mapping[str, Callable[[_Fn, _Fn], _Fn]] = {
    "==": lambda x, y: lambda v, vi, f, x=x, y=y: x(v, vi, f) == y(v, vi, f),
    "!=": lambda x, y: lambda v, vi, f, x=x, y=y: x(v, vi, f) != y(v, vi, f),
    "<": lambda x, y: lambda v, vi, f, x=x, y=y: x(v, vi, f) < y(v, vi, f),
    "<=": lambda x, y: lambda v, vi, f, x=x, y=y: x(v, vi, f) <= y(v, vi, f),
    ">": lambda x, y: lambda v, vi, f, x=x, y=y: x(v, vi, f) > y(v, vi, f),
    ">=": lambda x, y: lambda v, vi, f, x=x, y=y: x(v, vi, f) >= y(v, vi, f),
}
_CMP_VAR: Mapping[str, Callable[[str, Any], _Fn]] = {
    "==": lambda k, c: lambda v, vi, f, k=k, c=c: v[k] == c,
    "!=": lambda k, c: lambda v, vi, f, k=k, c=c: v[k] != c,
    "<": lambda k, c: lambda v, vi, f, k=k, c=c: v[k] < c,
    "<=": lambda k, c: lambda v, vi, f, k=k, c=c: v[k] <= c,
    ">": lambda k, c: lambda v, vi, f, k=k, c=c: v[k] > c,
    ">=": lambda k, c: lambda v, vi, f, k=k, c=c: v[k] >= c,
}
_CMP_VISITS: Mapping[str, Callable[[str, Any], _Fn]] = {
    "==": lambda k, c: lambda v, vi, f, k=k, c=c: vi.get(k, 0) == c,
    "!=": lambda k, c: lambda v, vi, f, k=k, c=c: vi.get(k, 0) != c,
    "<": lambda k, c: lambda v, vi, f, k=k, c=c: vi.get(k, 0) < c,
    "<=": lambda k, c: lambda v, vi, f, k=k, c=c: vi.get(k, 0) <= c,
    ">": lambda k, c: lambda v, vi, f, k=k, c=c: vi.get(k, 0) > c,
    ">=": lambda k, c: lambda v, vi, f, k=k, c=c: vi.get(k, 0) >= c,
}
_CMP_COUNT: Mapping[str, Callable[[str, Any], _Fn]] = {
    "==": lambda k, c: lambda v, vi, f, k=k, c=c: len(v[k]) == c,
    "!=": lambda k, c: lambda v, vi, f, k=k, c=c: len(v[k]) != c,
    "<": lambda k, c: lambda v, vi, f, k=k, c=c: len(v[k]) < c,
    "<=": lambda k, c: lambda v, vi, f, k=k, c=c: len(v[k]) <= c,
    ">": lambda k, c: lambda v, vi, f, k=k, c=c: len(v[k]) > c,
    ">=": lambda k, c: lambda v, vi, f, k=k, c=c: len(v[k]) >= c,
}
_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def compile_expr(node: Node) -> Evaluator:
    """One closure per node, chosen now, so evaluation never dispatches on node types."""
    return _compile(node)[0]


def _compile(n: Node) -> tuple[_Fn, bool]:
    """The closure of a node, and whether it is constant (no name anywhere below it).

    A recursion rather than a walk: many nodes pick their closure by their children's shape
    (`x > 1` reads the variable directly) and never compile those children at all. An
    operation on constants is folded into its value here, once (see `_folded`).
    """
    match n:
        case Binary(op=op, left=left, right=right):
            shortcut = _comparison_shortcut(op, left, right) if op in COMPARISONS else None
            if shortcut is not None:
                return shortcut, False
            if op == MEMBERSHIP:
                return _compile_member(left, right), False
            (x, left_constant), (y, right_constant) = _compile(left), _compile(right)
            if op in COMPARISONS:
                fn = _CMP[op](x, y)
            elif op == "and":
                fn = lambda v, vi, f, x=x, y=y: x(v, vi, f) and y(v, vi, f)  # noqa: E731
            elif op == "or":
                fn = lambda v, vi, f, x=x, y=y: x(v, vi, f) or y(v, vi, f)  # noqa: E731
            else:
                fn = _compile_arith(_ARITH[op], x, y, n.offset)
            return _folded(n, fn) if left_constant and right_constant else (fn, False)
        case Literal(value=value):
            return (lambda v, vi, f: value), True
        case Var(name=name):
            return (lambda v, vi, f, name=name: v[name]), False
        case Call():
            return _compile_call(n), False
        case Apply():
            return _compile_apply(n)
        case Unary(op="-", operand=operand):
            x, constant = _compile(operand)
            fn = lambda v, vi, f: -x(v, vi, f)  # noqa: E731
            return _folded(n, fn) if constant else (fn, False)
        case Unary(operand=Var(name=name)):
            return (lambda v, vi, f, name=name: not v[name]), False
        case Unary(operand=Call(func="has", arg=arg)):
            return (lambda v, vi, f, arg=arg: arg not in f), False
        case Unary(operand=Binary(op=op, left=Literal(value=item), right=Var(name=name))) if (
                op == MEMBERSHIP):  # `not ("badge" in pockets)`
            return (lambda v, vi, f, c=item, k=name: c not in v[k]), False
        case Unary(operand=operand):
            x, constant = _compile(operand)
            fn = lambda v, vi, f, x=x: not x(v, vi, f)  # noqa: E731
            return _folded(n, fn) if constant else (fn, False)
    raise TypeError(f"not a condition node: {n!r}")


def _folded(n: Node, fn: _Fn) -> tuple[_Fn, bool]:
    """A node with no name below it: its value as its closure, when it has one (else the
    closure as it is, to fail where it is written)."""
    if check(n, variables={}, scenes=(), facts=(), want_bool=False):
        return fn, True
    try:
        const = evaluate(n, {}, {}, frozenset())
    except ExprEvalError:
        return fn, True
    return (lambda v, vi, f: const), True


def _compile_arith(fn: _BinFn, x: _Fn, y: _Fn, offset: int) -> _Fn:
    def arith(v: Mapping[str, Any], vi: Mapping[str, int], f: AbstractSet[str]) -> Any:
        try:
            return fn(x(v, vi, f), y(v, vi, f))
        except (ZeroDivisionError, OverflowError) as e:
            raise _eval_error(e, offset) from None

    return arith


def _compile_apply(n: Apply) -> tuple[_Fn, bool]:
    """A function of numbers: its arguments' closures, then `_apply` (folded when every
    argument is constant and the function is not `random`)."""
    compiled = [_compile(a) for a in n.args]
    xs = tuple(x for x, _ in compiled)
    func, offset = n.func, n.offset
    if len(xs) == 1:
        (x,) = xs
        fn: _Fn = lambda v, vi, f: _apply(func, (x(v, vi, f),), v, offset)  # noqa: E731
    elif len(xs) == 2:
        x, y = xs
        fn = lambda v, vi, f: _apply(func, (x(v, vi, f), y(v, vi, f)), v, offset)  # noqa: E731
    else:
        fn = lambda v, vi, f: _apply(func, [x(v, vi, f) for x in xs], v, offset)  # noqa: E731
    if func != RANDOM and all(constant for _, constant in compiled):
        return _folded(n, fn)
    return fn, False


def _compile_call(n: Call) -> _Fn:
    arg = n.arg
    if n.func == "visits":
        return lambda v, vi, f, arg=arg: vi.get(arg, 0)
    if n.func == "seen":
        return lambda v, vi, f, arg=arg: vi.get(arg, 0) > 0
    if n.func == "has":
        return lambda v, vi, f, arg=arg: arg in f
    if n.func == "count":
        return lambda v, vi, f, arg=arg: len(v[arg])
    return lambda v, vi, f: _eval(n, v, vi, f)  # raises the interpreter's "unknown function"


def _compile_member(left: Node, right: Node) -> _Fn:
    """`"name" in list` (the everyday shape, read directly) or `text_var in list`."""
    if isinstance(left, Literal) and isinstance(right, Var):
        return lambda v, vi, f, c=left.value, k=right.name: c in v[k]
    x, y = _compile(left)[0], _compile(right)[0]
    return lambda v, vi, f, x=x, y=y: x(v, vi, f) in y(v, vi, f)


def _comparison_shortcut(op: str, left: Node, right: Node) -> _Fn | None:
    """`x > 1`, `visits(s) > 1` and `count(list) >= 2` (either way round) read the value
    directly."""
    if isinstance(left, Literal) and isinstance(right, (Var, Call)):
        op, left, right = _FLIP[op], right, left
    if not isinstance(right, Literal):
        return None
    match left:
        case Var(name=name):
            return _CMP_VAR[op](name, right.value)
        case Call(func="visits", arg=arg):
            return _CMP_VISITS[op](arg, right.value)
        case Call(func="count", arg=arg):
            return _CMP_COUNT[op](arg, right.value)
    return None
