"""Fast twins of game/engine/effects.py's `computed` and `added`, built once per effect for
the random runner (game/tools/runner.py).

The Engine applies a `compute` through `effects.computed`: one generic function that finds
the expression, wraps the variables in an `expr.Rolls` view when the expression rolls (so
every variable it reads goes through a Python `__getitem__`), builds the dice closure of
`dice.roller` (a formatted prefix) and then checks the result's kind, range and bounds, each
time. A random run applies the same few effects millions of times, so here each is turned,
once, into one closure that does only what that effect needs:

- `computed(effect, where, index, bounds)`: `fn(variables, visits, facts)` for an expression
  that does not roll, or `fn(variables, visits, facts, seed, turn)` for one that does: the
  expression compiled here into closures that read the plain variables dict (a node reads
  the constants and variables under it itself: `_part`), each `random(lo, hi)` hashing with
  the part of `dice.roller`'s text that is fixed for its place (`where`, `index`, the
  variable, its offset) formatted once. For an expression with a node kind this compiler
  does not take (comparisons, `and`/`or`/`not`, `in`), the closure of one that does not roll
  calls the story's own compiled evaluator, as `computed` does, and for one that rolls there
  is none: the runner then calls `computed` itself.
- `added(effect, bounds)`: `fn(variables, visits, facts)` for an `add` to a bounded number.
- a list's `add`/`remove` is `game.story.lists.NamesTable` (a table from the value before
  to the value after, filled as play goes), which the Engine uses too.

Each gives the value to store, or raises (`ExprEvalError` or `StoryRuntimeError`) exactly
where the Engine's function raises; the messages do not matter (a failed run is replayed
through the Engine, which reports it). `tests/tools/test_tools_fasteffects.py` holds them
equal to `effects.computed`/`effects.added` with `dice.roller`'s dice on generated
expressions, values and seeds.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from game.engine import effects as rules
from game.engine.dice import ROLL_HASHER
from game.numbers import LIMIT
from game.story import expr
from game.story.expr import ExprEvalError, rounded
from game.story.model import Effect, Value

Plain = Callable[[Mapping[str, Value], Mapping[str, int], AbstractSet[str]], Value]
"""fn(variables, visits, facts) -> the value to store."""
Rolled = Callable[[Mapping[str, Value], Mapping[str, int], AbstractSet[str], int, int], Value]
"""fn(variables, visits, facts, game seed, turn) -> the value to store."""
_Fn = Callable[..., Any]
"""A compiled node of a rolling expression: fn(variables, visits, facts, seed, turn)."""

def kept(limits: tuple[rules.Number | None, rules.Number | None] | None
         ) -> tuple[rules.Number, rules.Number]:
    """(low, high): a whole number or a decimal from low to high is one the rules store as
    it is, for a variable bounded by `limits` (or not bounded: None). Inside the range
    numbers stay in (game/numbers.py; a comparison is False for nan, so the check refuses
    it as `numbers.in_range` does) and inside the bounds, `effects.clamped` changes
    nothing; so a twin's fast path only has to recognise such a value (of the variable's
    kind, for a compute: `effects.stored` converts the other) and leaves every other one
    to the rule itself: no rule is written twice."""
    lo, hi = limits if limits is not None else (None, None)
    return (-LIMIT if lo is None else max(-LIMIT, lo), LIMIT if hi is None else min(LIMIT, hi))


def added(effect: Effect, bounds: rules.Bounds) -> Plain:
    """`effects.added` for one `add` to a bounded number, as a closure of the runner's
    shape: a sum the rule keeps as it is (`kept`) is returned at once (one Python call
    where the rule makes four), any other goes through the rule (the sum, range-checked,
    clamped)."""
    target, amount, add_to = effect.target, effect.value, rules.added
    low, high = kept(bounds.get(target))

    def add(v: Mapping[str, Any], vi: Mapping[str, int], f: AbstractSet[str],
            target: str = target, amount: Any = amount, low: rules.Number = low,
            high: rules.Number = high) -> Value:
        # (what it reads as defaults, not free variables: see game/story/expr/compiler.py)
        total: Value = v[target] + amount
        kind = type(total)
        if (kind is int or kind is float) and low <= total <= high:  # type: ignore[operator]
            return total
        return add_to(effect, v[target], bounds)

    return add


def computed(effect: Effect, where: str, index: int,
             bounds: rules.Bounds) -> tuple[Plain | None, Rolled | None]:
    """(plain, rolled): the closure of a `compute` that does not roll, or of one that does
    (see the module docstring); both None when the runner must call `effects.computed`."""
    expression = effect.expression
    assert expression is not None, "a compute effect holds its expression"
    # What `computed` does with the expression's value: `effects.stored`, with the
    # variable's bounds looked up once; called from each closure directly (one Python call
    # fewer per compute than through a finisher of its own: a compute is 0.15 of a v2 step).
    # A result `stored` keeps as it is (`kept`: in range and bounds, of the variable's kind)
    # is returned at once, saving two or three Python calls of the rule.
    limits, target, stored = bounds.get(effect.target), effect.target, rules.stored
    low, high = kept(limits)
    rolls = rules.rolls(expression)
    part = _part(expression.node, f"/{where}/{index}/{effect.target}/")
    if part is None and rolls:
        return None, None
    if part is None:  # (a shape `_part` does not take: the story's own evaluator, a call
        evaluate = expression.evaluate  # more, for a compute of comparisons or `and`: rare)

        def tree(v: Mapping[str, Value], vi: Mapping[str, int], f: AbstractSet[str],
                 s: int, t: int) -> Value:
            return evaluate(v, vi, f)
    else:
        tree = _fn(part)

    def rolled(v: Mapping[str, Value], vi: Mapping[str, int], f: AbstractSet[str],
               seed: int = 0, turn: int = 0, tree: _Fn = tree, target: str = target,
               low: rules.Number = low, high: rules.Number = high) -> Value:
        # One `try` for the whole expression in place of one per arithmetic node, as
        # compiler._compile_arith has: no other node kind `_part` takes raises either error
        # (min, max, clamp and abs only compare or negate numbers, `round` and `random`
        # check their numbers first), so every error is the same class as there; the
        # message and offset may differ, and do not matter (see the module docstring). What
        # it reads often are defaults, not free variables (see game/story/expr/compiler.py).
        try:
            value: Value = tree(v, vi, f, seed, turn)
        except ZeroDivisionError:
            raise ExprEvalError("division by zero", 0) from None
        except OverflowError:
            raise ExprEvalError("number too large", 0) from None
        current = v[target]
        kind = type(value)
        if (kind is int or kind is float) and kind is type(current) and (
                low <= value <= high):  # type: ignore[operator]
            return value
        return stored(effect, value, current, limits)

    # (a plain one is the same closure: its dice, never read, default to 0)
    return (None, rolled) if rolls else (rolled, None)


# -- an expression, compiled: the reference is game/story/expr/compiler.py --------------------
#
# A compute's expression as one closure fn(v, vi, f, seed, turn) for each node that does
# something, reading the constants and variables it works on directly rather than calling
# a closure for each (the Python call, not the work, is most of what a small node costs):
# `min(streak + random(1, 3), 50)` is three calls (min, +, the roll) where one closure per
# node made six. A node is compiled to a part: (_CONST, its value), (_VAR, its name),
# (_ROLL, (lo, span, tail)) for a `random(LO, HI)` of whole-number literals, lo <= hi (the
# usual kind: nothing to check; see `_DICE` for the tail), or (_FN, its closure).

_CONST, _VAR, _ROLL, _FN = range(4)
_Part = tuple[int, Any]


def _fn(part: _Part) -> _Fn:
    """A part as a closure, for a node that has no shortcut for it."""
    kind, x = part
    if kind == _CONST:
        return lambda v, vi, f, s, t, c=x: c
    if kind == _VAR:
        return lambda v, vi, f, s, t, k=x: v[k]
    if kind == _ROLL:
        return _random_between(*x)
    return x  # type: ignore[no-any-return]


def _pair(op: Callable[[Any, Any], Any], a: _Part, b: _Part) -> _Fn:
    """`op(a, b)` (an operator or `min`/`max`, C functions: no Python call of their own),
    read straight from each operand that is a constant or a variable, and a roll added to
    (or taken from, or times) a variable rolled in place, as `x + random(1, 3)` is written."""
    (ka, x), (kb, y) = a, b
    if ka == _VAR and kb == _ROLL:
        return _rolled_onto(op, x, *y)
    if ka == _VAR and kb == _CONST:
        return lambda v, vi, f, s, t, op=op, x=x, y=y: op(v[x], y)
    if ka == _VAR and kb == _VAR:
        return lambda v, vi, f, s, t, op=op, x=x, y=y: op(v[x], v[y])
    if ka == _VAR and kb == _FN:
        return lambda v, vi, f, s, t, op=op, x=x, y=y: op(v[x], y(v, vi, f, s, t))
    if ka == _FN and kb == _CONST:
        return lambda v, vi, f, s, t, op=op, x=x, y=y: op(x(v, vi, f, s, t), y)
    if ka == _FN and kb == _VAR:
        return lambda v, vi, f, s, t, op=op, x=x, y=y: op(x(v, vi, f, s, t), v[y])
    if ka == _CONST and kb == _VAR:
        return lambda v, vi, f, s, t, op=op, x=x, y=y: op(x, v[y])
    x, y = _fn(a), _fn(b)
    return lambda v, vi, f, s, t, op=op, x=x, y=y: op(x(v, vi, f, s, t), y(v, vi, f, s, t))


def _part(n: expr.Node, place: str) -> _Part | None:
    """The part of a node of the kinds a compute's arithmetic uses; None for any other kind
    anywhere below (the caller falls back to the story's evaluator or `effects.computed`)."""
    match n:
        case expr.Literal(value=value):
            return _CONST, value
        case expr.Var(name=name):
            return _VAR, name
        case expr.Call(func="visits", arg=arg):
            return _FN, lambda v, vi, f, s, t, k=arg: vi.get(k, 0)
        case expr.Call(func="seen", arg=arg):
            return _FN, lambda v, vi, f, s, t, k=arg: vi.get(k, 0) > 0
        case expr.Call(func="has", arg=arg):
            return _FN, lambda v, vi, f, s, t, k=arg: k in f
        case expr.Call(func="count", arg=arg):
            return _FN, lambda v, vi, f, s, t, k=arg: len(v[k])
        case expr.Unary(op="-", operand=operand):
            x = _part(operand, place)
            if x is None:
                return None
            if x[0] == _VAR:
                return _FN, lambda v, vi, f, s, t, k=x[1]: -v[k]
            inner = _fn(x)
            return _FN, lambda v, vi, f, s, t, x=inner: -x(v, vi, f, s, t)
        case expr.Binary(op=op, left=left, right=right) if op in _ARITH:
            a, b = _part(left, place), _part(right, place)
            return None if a is None or b is None else (_FN, _pair(_ARITH[op], a, b))
        case expr.Apply(func=expr.RANDOM, args=(expr.Literal(value=lo),
                                                expr.Literal(value=hi))) if (
                type(lo) is int and type(hi) is int and lo <= hi):
            return _ROLL, (lo, hi - lo + 1, f"{place}{n.offset}".encode())
        case expr.Apply(func=func, args=args):
            parts = [_part(a, place) for a in args]
            if any(p is None for p in parts):
                return None
            fn = _apply(func, parts, n.offset, place)  # type: ignore[arg-type]
            return None if fn is None else (_FN, fn)
    return None


_ARITH: Mapping[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
"""(the operators themselves, C functions as in compiler._ARITH: no Python frame each)"""


def _apply(func: str, parts: list[_Part], offset: int, place: str) -> _Fn | None:
    """A function of numbers, as compiler._apply computes it."""
    if func in ("min", "max") and len(parts) == 2:
        return _pair(min if func == "min" else max, parts[0], parts[1])
    if func == "clamp" and len(parts) == 3 and all(
            p[0] == _CONST and type(p[1]) in (int, float) for p in parts[1:]) and (
            parts[1][1] <= parts[2][1]):  # bounds that cannot fail: nothing to check
        a, low, high = _fn(parts[0]), parts[1][1], parts[2][1]

        def between(v: Any, vi: Any, f: Any, s: int, t: int) -> Any:
            x = a(v, vi, f, s, t)
            return low if x < low else high if x > high else x

        return between
    xs = [_fn(p) for p in parts]
    if func == "abs" and len(xs) == 1:
        (a,) = xs
        return lambda v, vi, f, s, t: abs(a(v, vi, f, s, t))
    if func == "round" and len(xs) == 1:
        (a,) = xs
        return lambda v, vi, f, s, t: rounded(a(v, vi, f, s, t), offset)
    if func == "clamp" and len(xs) == 3:
        a, b, c = xs

        def clamp(v: Any, vi: Any, f: Any, s: int, t: int) -> Any:
            x, lo, hi = a(v, vi, f, s, t), b(v, vi, f, s, t), c(v, vi, f, s, t)
            if lo > hi:
                raise ExprEvalError("clamp(): lo is above hi", offset)
            return lo if x < lo else hi if x > hi else x

        return clamp
    if func == expr.RANDOM and len(xs) == 2:
        return _random(xs[0], xs[1], f"{place}{offset}", offset)
    return None


_DICE = ROLL_HASHER
"""`dice.roller`'s unfed blake2b (digest size 16). A roll at `tail`
(`/where/index/name/offset`, the part of the roller's text fixed for one call in one effect,
encoded once) with seed `s` on turn `t` hashes a copy of it fed the UTF-8 text
f"{s}/{t}{tail}", formatted straight into bytes as b"%d/%d%s" (the two are whole numbers,
which `%d` writes as an f-string does): the digest of a new `blake2b(text, digest_size=16)`,
without parsing a keyword or encoding the fixed part each time (a roll is ~0.07 of a v2
benchmark step; this is a quarter of what it cost). `test_tools_fasteffects.py` holds both
rolls below to `dice.roller`."""


def _random_between(lo: int, span: int, tail: bytes) -> _Fn:
    """A `_ROLL` part's closure: `_random` with nothing to check."""

    def roll(v: Any, vi: Any, f: Any, s: int, t: int, lo: int = lo, span: int = span,
             tail: bytes = tail, copy: Callable[[], Any] = _DICE.copy,
             number: Callable[..., int] = int.from_bytes) -> int:
        h = copy()
        h.update(b"%d/%d%s" % (s, t, tail))
        return lo + number(h.digest(), "big") % span

    return roll


def _rolled_onto(op: Callable[[Any, Any], Any], name: str, lo: int, span: int,
                 tail: bytes) -> _Fn:
    """`op(v[name], random(LO, HI))`, the roll of `_random_between` made in the same call."""

    def roll(v: Any, vi: Any, f: Any, s: int, t: int, op: Callable[[Any, Any], Any] = op,
             name: str = name, lo: int = lo, span: int = span, tail: bytes = tail,
             copy: Callable[[], Any] = _DICE.copy,
             number: Callable[..., int] = int.from_bytes) -> Any:
        current = v[name]  # (read first, as the closures of two operands would)
        h = copy()
        h.update(b"%d/%d%s" % (s, t, tail))
        return op(current, lo + number(h.digest(), "big") % span)

    return roll


def _random(a: _Fn, b: _Fn, tail: str, offset: int) -> _Fn:
    """`random(lo, hi)` rolled as `dice.roller(seed, turn, where, index, name)(lo, hi,
    offset)` rolls it: the hash of f"{seed}/{turn}/{where}/{index}/{name}/{offset}", whose
    part after the turn (`tail`) is fixed for this call in this effect (see `_DICE`)."""
    fixed = tail.encode()

    def roll(v: Any, vi: Any, f: Any, s: int, t: int) -> int:
        lo, hi = a(v, vi, f, s, t), b(v, vi, f, s, t)
        if type(lo) is not int or type(hi) is not int:
            for bound in (lo, hi):
                if type(bound) is float and not bound.is_integer():
                    raise ExprEvalError("random() rolls whole numbers", offset)
            lo, hi = int(lo), int(hi)
        if lo > hi:
            raise ExprEvalError("random(): lo is above hi", offset)
        h = _DICE.copy()
        h.update(b"%d/%d%s" % (s, t, fixed))
        return lo + int.from_bytes(h.digest(), "big") % (hi - lo + 1)

    return roll
