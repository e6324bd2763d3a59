"""Conditions that can never be true, proven from the text alone, for `offscreen check`.

Only what is certain is said: a condition is "always false" here when the comparisons it
needs all at once (the parts joined by `and`, at its top) cannot hold together for any value
of one name, e.g. `x > 3 and x < 2`, `flag and not flag`, or, for a condition of scene S
(its choices and paragraphs show after S was entered, so `visits(S) >= 1`), `not seen(S)`.
Numbers are treated as real numbers (`x > 3 and x < 4` holds for 3.5, so it is not said
even of a whole-number variable), a part that is not a plain comparison of one name with a
constant adds nothing, and `or` is not looked into. Also here: a division by a constant
zero, which fails whenever it is evaluated.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from game.story.expr.compiler import constant_value
from game.story.expr.nodes import (
    FUNCTIONS,
    Binary,
    Call,
    ExprError,
    Literal,
    Node,
    Unary,
    Value,
    Var,
    start_offset,
    walk,
)
from game.story.expr.syntax import KEYWORDS, unparse

Key = tuple[str, str]
"""What a comparison is about: ("variable", name), ("visits", scene) or ("has", fact)."""
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


@dataclass(slots=True)
class _Range:
    """The values one name may still have: between two bounds, maybe one exact value,
    minus some excluded ones."""

    low: float = -math.inf
    low_open: bool = True
    high: float = math.inf
    high_open: bool = True
    exact: list[Value] = field(default_factory=list)
    excluded: list[Value] = field(default_factory=list)

    def add(self, op: str, value: Value) -> None:
        if op == "==":
            self.exact.append(value)
        elif op == "!=":
            self.excluded.append(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if op in (">", ">=") and (value > self.low or (value == self.low and op == ">")):
                self.low, self.low_open = float(value), op == ">"
            elif op in ("<", "<=") and (value < self.high
                                        or (value == self.high and op == "<")):
                self.high, self.high_open = float(value), op == "<"

    def empty(self) -> bool:
        if any(_differ(a, b) for a in self.exact for b in self.exact):
            return True
        if any(not _differ(a, b) for a in self.exact for b in self.excluded):
            return True
        numbers = [v for v in self.exact if isinstance(v, (int, float))
                   and not isinstance(v, bool)]
        if numbers and not self.holds(numbers[0]):
            return True
        if self.low > self.high:
            return True
        if self.low == self.high:
            return self.low_open or self.high_open or any(
                not _differ(self.low, v) for v in self.excluded)
        return False

    def holds(self, value: float) -> bool:
        above = value > self.low or (value == self.low and not self.low_open)
        below = value < self.high or (value == self.high and not self.high_open)
        return above and below


def _differ(a: Value, b: Value) -> bool:
    """Two constants that no one value equals (1 and 1.0 are one value, "1" and 1 two)."""
    if isinstance(a, str) or isinstance(b, str) or isinstance(a, bool) or isinstance(b, bool):
        return type(a) is not type(b) or a != b
    return a != b


def _atom(node: Node) -> tuple[Key, str, Value] | None:
    """A part that compares one name with a constant, as (the name, op, the constant)."""
    negated = False
    while isinstance(node, Unary) and node.op == "not":
        negated, node = not negated, node.operand
    op: str
    key: Key
    value: Value
    match node:
        case Var(name=name):
            key, op, value = ("variable", name), "==", True
        case Call(func="seen", arg=scene):
            key, op, value = ("visits", scene), ">=", 1
        case Call(func="has", arg=fact):
            key, op, value = ("has", fact), "==", True
        case Binary(op=op, left=left, right=right) if op in _FLIP:
            side = _name(left)
            constant = _constant(right) if side is not None else None
            if side is None:
                side, constant, op = _name(right), _constant(left), _FLIP[op]
            if side is None or constant is None:
                return None
            key, value = side, constant
        case _:
            return None
    if negated:
        if op in ("==",) and isinstance(value, bool):
            op, value = "==", not value
        else:
            op = _NEGATE[op]
    return key, op, value


def _constant(node: Node) -> Value | None:
    """`constant_value`, with the everyday `3` and `-1` answered without a walk."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, (Var, Call)):
        return None
    return constant_value(node)


def _name(node: Node) -> Key | None:
    match node:
        case Var(name=name):
            return ("variable", name)
        case Call(func="visits", arg=scene):
            return ("visits", scene)
    return None


def _conjuncts(node: Node) -> list[Node]:
    """The parts joined by `and` at the top of the condition, left to right."""
    out: list[Node] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Binary) and n.op == "and":
            stack.extend((n.right, n.left))
        else:
            out.append(n)
    return out


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NOT_NAMES = KEYWORDS | FUNCTIONS.keys()


def may_contradict(source: str) -> bool:
    """Whether `never_true(parse(source))` (without a scene) can find anything: only when
    some name is compared twice. A test on the text, at C speed, that spares nearly every
    condition of a big story the walk (measured: ~30 µs each, 3% of a cold load)."""
    words = _WORD.findall(source)
    if len(set(words)) == len(words):  # no word twice (most texts): no name either
        return False
    names = [word for word in words if word not in _NOT_NAMES]
    return len(names) != len(set(names))


class NeverTrue(ExprError):
    """A condition that provably never holds, at the part that makes it so."""


class DividesByZero(ExprError):
    """A `/` by a constant zero."""


def never_true(node: Node, scene: str | None = None) -> NeverTrue | None:
    """Why the condition can never be true, at the part that makes it so; None if that
    cannot be proven. `scene`: the scene the condition belongs to, entered by now."""
    atoms = [(part, atom) for part in _conjuncts(node) if (atom := _atom(part)) is not None]
    keys = [atom[0] for _, atom in atoms]
    if len(set(keys)) == len(keys) and ("visits", scene) not in keys:
        return None  # one comparison per name (the usual case): each can hold alone
    ranges: dict[Key, _Range] = {}
    said: dict[Key, list[Node]] = {}
    for part, (key, op, value) in atoms:
        if key not in ranges:
            ranges[key] = _Range()
            if key[0] == "visits":
                ranges[key].add(">=", 0)  # a count
                if key[1] == scene:
                    ranges[key].add(">=", 1)
        ranges[key].add(op, value)
        if ranges[key].empty():
            offset = start_offset(part)
            before = said.get(key)
            if before:
                why = f"'{unparse(part)}' cannot hold together with " + ", ".join(
                    f"'{unparse(earlier)}'" for earlier in before)
            elif key[0] == "visits" and key[1] == scene:
                why = (f"'{unparse(part)}' never holds in scene '{scene}': its choices and "
                       "text show after it is entered, so it has been seen")
            else:
                why = f"'{unparse(part)}' never holds (a visit count is never below 0)"
            return NeverTrue(f"this condition is always false: {why}", offset)
        said.setdefault(key, []).append(part)
    return None


def division_by_zero(node: Node) -> DividesByZero | None:
    """The first `/` by a constant zero (`x / 0`, `x / (2 - 2)`): it fails every time."""
    for n in walk(node):
        if isinstance(n, Binary) and n.op == "/":
            divisor = _constant(n.right)
            if (isinstance(divisor, (int, float)) and not isinstance(divisor, bool)
                    and divisor == 0):
                return DividesByZero("division by zero: this '/' divides by 0 whenever the "
                                     "condition is evaluated", n.offset)
    return None
