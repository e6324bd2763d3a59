"""The condition tree: its six node kinds, the one walker over it, and its errors.

Every node knows its children (`children()`, left to right), so a walk never needs to know
which kinds have any: `walk` goes top down (a parent before its children, in the order the
text reads) or bottom up, and `fold` computes one value per node from its children's values
with it. Offsets are 0-based character indices into the condition text; node equality
includes them, so two parses of one text are equal and `strip_offsets` compares shapes only.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

Scalar = bool | int | float | str
"""What a literal in a condition can be."""
Value = Scalar | tuple[str, ...]
"""What a condition's names can hold: a scalar, or a list variable's names (the model's
`Names`: a tuple in declared order; only `in` and `count()` take one)."""
Evaluator = Callable[[Mapping[str, Value], Mapping[str, int], AbstractSet[str]], Value]
"""A compiled condition: called as evaluate(variables, visits, facts)."""
R = typing.TypeVar("R")


class _Located(Exception):
    """Both error kinds point at a character so the loader can show the author where."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message, offset)  # args match __init__, so errors survive pickling
        self.message = message
        self.offset = offset

    def __str__(self) -> str:
        return f"{self.message} (at offset {self.offset})"


class ExprError(_Located):
    """A mistake in the author's text, found by ``parse`` or ``check``."""


class UnknownName(ExprError):
    """A name the story does not have (variable, function, scene or fact), found by
    ``check``: its own kind of problem for authors (a typo), apart from a type mismatch.
    `name` is the variable, scene or fact (empty for a function): a file that could not be
    read may define it, so the loader holds such reports back (see `Loader.unseen`)."""

    def __init__(self, message: str, offset: int, name: str = "") -> None:
        super().__init__(message, offset)
        self.args = (message, offset, name)  # as __init__ takes them, for pickling
        self.name = name


class ExprEvalError(_Located):
    """A failure that only shows up with real values, such as dividing by zero."""


_NO_CHILDREN: tuple[()] = ()


@dataclass(frozen=True, slots=True, eq=False)
class Literal:
    value: Scalar
    offset: int = 0

    def children(self) -> tuple[Node, ...]:
        return _NO_CHILDREN

    # The generated __eq__ would treat 1, 1.0 and True as one literal; unparse does not.
    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Literal)
            and type(self.value) is type(other.value)
            and self.value == other.value
            and self.offset == other.offset
        )

    def __hash__(self) -> int:
        return hash((type(self.value), self.value, self.offset))


@dataclass(frozen=True, slots=True)
class Var:
    name: str
    offset: int = 0

    def children(self) -> tuple[Node, ...]:
        return _NO_CHILDREN


@dataclass(frozen=True, slots=True)
class Call:
    """``arg_offset`` lets an unknown scene or fact id be pointed at directly."""

    func: str
    arg: str  # a scene or fact id, never a variable: ids are fixed when the story loads
    arg_offset: int = 0
    offset: int = 0

    def children(self) -> tuple[Node, ...]:
        return _NO_CHILDREN


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "not" or "-"
    operand: Node
    offset: int = 0  # of the operator

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # "or" "and" "==" "!=" "<" "<=" ">" ">=" "in" "+" "-" "*" "/"
    left: Node
    right: Node
    offset: int = 0  # of the operator, so run-time errors point at it

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, slots=True)
class Apply:
    """A function of values (`MATH`): `min(a, b)`, `clamp(x, lo, hi)`, `random(lo, hi)`...
    Unlike a `Call`, whose argument is an id fixed at load time, its arguments are
    expressions, so they are its children."""

    func: str
    args: tuple[Node, ...]
    offset: int = 0  # of the function's name

    def children(self) -> tuple[Node, ...]:
        return self.args


Node: typing.TypeAlias = Literal | Var | Call | Unary | Binary | Apply


@dataclass(frozen=True, slots=True)
class Ref:
    """A name a condition uses: a variable, or the scene or fact a function is given."""

    kind: typing.Literal["variable", "scene", "fact"]
    name: str
    offset: int


IdKind = typing.Literal["scene", "fact", "variable"]
FUNCTIONS: Mapping[str, IdKind] = {"visits": "scene", "seen": "scene", "has": "fact",
                                   "count": "variable"}
"""Every function a condition may call, with the kind of id it takes (`count` takes a list
variable's name)."""
MATH: Mapping[str, tuple[str, ...]] = {
    "min": ("a", "b"), "max": ("a", "b"), "clamp": ("x", "lo", "hi"), "abs": ("x",),
    "round": ("x",), "random": ("lo", "hi")}
"""The functions of numbers (`Apply`), with their parameters' names: each takes numbers
and gives a number. `random` only in a `compute` effect (the checker's `allow_random`)."""
RANDOM = "random"
COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})
MEMBERSHIP = "in"
"""`"name" in list`: a Binary whose right side is a list variable (format v2)."""


class Rolls(Mapping[str, Value]):
    """The variables a `compute` is evaluated against, with the dice its `random()` rolls.

    `roll(lo, hi, offset)` gives a whole number from lo to hi; `offset` (the call's place in
    the expression) tells two calls in one expression apart. The engine rolls from the
    game's seed (game/engine/dice.py); the exhaustive search rolls every outcome in turn.
    Anything else evaluated with plain variables has no dice: `random()` there is an
    ExprEvalError (the checker already refuses it outside `compute`)."""

    __slots__ = ("roll", "variables")

    def __init__(self, variables: Mapping[str, Value],
                 roll: Callable[[int, int, int], int]) -> None:
        self.variables = variables
        self.roll = roll

    def __getitem__(self, name: str) -> Value:
        return self.variables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.variables)

    def __len__(self) -> int:
        return len(self.variables)


def walk(node: Node, *, bottom_up: bool = False) -> Iterator[Node]:
    """Every node of the tree, each once: top down (a parent before its children, left
    before right, so leaves come in source order), or with `bottom_up` children before
    their parent (still left before right).

    A loop over an explicit stack, never recursion: safe on trees of any depth.
    """
    stack = [node]
    if bottom_up:
        order: list[Node] = []  # parents before children, right first: bottom up, reversed
        pop, extend, add = stack.pop, stack.extend, order.append
        while stack:
            n = pop()
            add(n)
            extend(n.children())
        yield from reversed(order)
        return
    pop, extend = stack.pop, stack.extend
    while stack:
        n = pop()
        yield n
        children = n.children()
        if children:
            extend(reversed(children))


def fold(node: Node, combine: Callable[[Node, Sequence[R]], R]) -> R:
    """`combine(n, values of n's children, left to right)` for every node, bottom up; the
    root's value. Unparsing, stripping offsets and the cache's encoding are folds."""
    values: list[R] = []
    add = values.append
    for n in walk(node, bottom_up=True):
        count = len(n.children())
        if count:
            args = values[-count:]
            del values[-count:]
            add(combine(n, args))
        else:
            add(combine(n, ()))
    return values[0]


def start_offset(node: Node) -> int:
    """Where the text of a node begins (a Binary's own offset is its operator)."""
    while isinstance(node, Binary):
        node = node.left
    return node.offset


def strip_offsets(node: Node) -> Node:
    """Zeroes every offset, so trees can be compared by shape alone."""

    def strip(n: Node, children: Sequence[Node]) -> Node:
        match n:
            case Unary():
                return replace(n, operand=children[0], offset=0)
            case Binary():
                return replace(n, left=children[0], right=children[1], offset=0)
            case Call():
                return replace(n, arg_offset=0, offset=0)
            case Apply():
                return replace(n, args=tuple(children), offset=0)
            case _:
                return replace(n, offset=0)

    return fold(node, strip)
