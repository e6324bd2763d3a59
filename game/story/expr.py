"""Condition expressions written by story authors, e.g. ``courage >= 1 and not met_john``.

Conditions are parsed once when the story loads, checked against the declared
variables, scenes and facts, and compiled into nested closures: authors get
their mistakes at load time instead of mid-playthrough, and random playthroughs
can evaluate millions of conditions cheaply.  No source text is ever run as
Python code (no eval/exec/compile), so a story file cannot execute anything.

Offsets are 0-based character indices into the condition text.  Node equality
includes offsets, so two parses of the same text are equal; ``strip_offsets``
compares shapes only, e.g. a tree against ``parse(unparse(tree))``.
"""

from __future__ import annotations

import math
import operator
import re
import typing
from collections.abc import Callable, Collection, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from typing import Any

Value = bool | int | float | str
Evaluator = Callable[[Mapping[str, Value], Mapping[str, int], AbstractSet[str]], Value]
# Internal closures return Any so the hot lambdas need no casts; callers see Evaluator.
_Fn = Callable[..., Any]
"""A compiled node: called as fn(variables, visits, facts); its extra parameters are the
values it closes over, bound as defaults (see `_CMP`), which is why the type is loose."""
_Family = typing.Literal["number", "bool", "str"]


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


class ExprEvalError(_Located):
    """A failure that only shows up with real values, such as dividing by zero."""


@dataclass(frozen=True, slots=True, eq=False)
class Literal:
    value: Value
    offset: int = 0

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


@dataclass(frozen=True, slots=True)
class Call:
    """``arg_offset`` lets an unknown scene or fact id be pointed at directly."""

    func: str
    arg: str  # a scene or fact id, never a variable: ids are fixed when the story loads
    arg_offset: int = 0
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "not" or "-"
    operand: Node
    offset: int = 0  # of the operator


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # "or" "and" "==" "!=" "<" "<=" ">" ">=" "+" "-" "*" "/"
    left: Node
    right: Node
    offset: int = 0  # of the operator, so run-time errors point at it


Node: typing.TypeAlias = Literal | Var | Call | Unary | Binary


@dataclass(frozen=True, slots=True)
class Ref:
    kind: typing.Literal["variable", "scene", "fact"]
    name: str
    offset: int


_IdKind = typing.Literal["scene", "fact"]
FUNCTIONS: Mapping[str, _IdKind] = {"visits": "scene", "seen": "scene", "has": "fact"}
_KEYWORDS = frozenset({"and", "or", "not", "true", "false"})
_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})
_PREC = {"or": 1, "and": 2, "+": 5, "-": 5, "*": 6, "/": 6} | dict.fromkeys(_COMPARISONS, 4)
_WORDS: Mapping[_Family, str] = {"number": "a number", "bool": "true/false", "str": "text"}
_HINTS = {
    "=": "use == to compare, not =",
    "!": "use 'not' instead of '!'",
    "&&": "use 'and' instead of '&&'",
    "&": "use 'and' instead of '&'",
    "||": "use 'or' instead of '||'",
    "|": "use 'or' instead of '|'",
}
_MAX_PARENS = 30  # each level costs several Python frames while parsing
_MAX_DEPTH = 200  # every later tree walk (and each compiled closure) recurses once per level

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    | (?P<num>[0-9]+(?:\.[0-9]+)?)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    | (?P<op>==|!=|<=|>=|&&|\|\||[-+*/<>=!(),])
    | (?P<bad>.)""",
    re.VERBOSE | re.DOTALL,
)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n"}


def _lex(source: str) -> Iterator[tuple[str, str, int]]:
    """Lazily, so a bad character late in the text never hides an earlier mistake."""
    for m in _TOKEN.finditer(source):
        kind, text, pos = m.lastgroup or "bad", m.group(), m.start()
        if kind == "bad":
            if text in "\"'":
                raise ExprError(f"unterminated string; add the closing {text}", pos)
            raise ExprError(_HINTS.get(text, f"unexpected character {text!r}"), pos)
        if kind != "ws":
            yield kind, text, pos
    yield "end", "", len(source)


def _decode(token: str, pos: int) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(1) not in _ESCAPES:
            raise ExprError(
                f"unknown escape '\\{m.group(1)}' in string; write \\\\ for a backslash",
                pos + 1 + m.start(),
            )
        return _ESCAPES[m.group(1)]

    return _ESCAPE.sub(one, token[1:-1])


class _Parser:
    """Recursive descent; prefix operators and left-associative chains loop instead of
    recursing, so only parentheses cost stack depth."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = _lex(source)
        self.depth = 0
        self.kind, self.text, self.pos = next(self.tokens)

    def advance(self) -> None:
        self.kind, self.text, self.pos = next(self.tokens)

    def at(self, kind: str, *texts: str) -> bool:
        return self.kind == kind and self.text in texts

    def left_assoc(self, kind: str, ops: tuple[str, ...], operand: Callable[[], Node]) -> Node:
        node = operand()
        while self.at(kind, *ops):
            op, pos = self.text, self.pos
            self.advance()
            node = Binary(op, node, operand(), pos)
        return node

    def prefix(self, kind: str, op: str, operand: Callable[[], Node]) -> Node:
        positions = []
        while self.at(kind, op):
            positions.append(self.pos)
            self.advance()
        node = operand()
        for pos in reversed(positions):
            node = Unary(op, node, pos)
        return node

    def or_(self) -> Node:
        return self.left_assoc("name", ("or",), self.and_)

    def and_(self) -> Node:
        return self.left_assoc("name", ("and",), self.not_)

    def not_(self) -> Node:
        return self.prefix("name", "not", self.comparison)

    def comparison(self) -> Node:
        left = self.sum()
        if self.kind != "op" or self.text not in _COMPARISONS:
            return left
        op, pos = self.text, self.pos
        self.advance()
        node = Binary(op, left, self.sum(), pos)
        if self.kind == "op" and self.text in _COMPARISONS:
            raise ExprError("comparisons cannot be chained; join them with 'and'", self.pos)
        return node

    def sum(self) -> Node:
        return self.left_assoc("op", ("+", "-"), self.product)

    def product(self) -> Node:
        return self.left_assoc("op", ("*", "/"), self.negation)

    def negation(self) -> Node:
        return self.prefix("op", "-", self.atom)

    def atom(self) -> Node:
        kind, text, pos = self.kind, self.text, self.pos
        if kind == "num":
            try:
                value: int | float = float(text) if "." in text else int(text)
            except ValueError:  # int() refuses more than 4300 digits
                raise ExprError("this number is too long", pos) from None
            if not math.isfinite(value):
                raise ExprError("this number is too large", pos)
            self.advance()
            return Literal(value, pos)
        if kind == "str":
            decoded = _decode(text, pos)
            self.advance()
            return Literal(decoded, pos)
        if kind == "name" and text not in ("and", "or", "not"):
            self.advance()
            if text in ("true", "false"):
                return Literal(text == "true", pos)
            return self.call(text, pos) if self.at("op", "(") else Var(text, pos)
        if self.at("op", "("):
            self.depth += 1
            if self.depth > _MAX_PARENS:
                raise ExprError("too many nested parentheses", pos)
            self.advance()
            node = self.or_()
            self.close(pos)
            self.depth -= 1
            return node
        raise self.unexpected("a value")

    def call(self, func: str, pos: int) -> Call:
        open_pos = self.pos
        self.advance()
        arg_pos = self.pos
        if self.kind == "str":
            arg = _decode(self.text, arg_pos)
        elif self.kind == "name" and self.text not in _KEYWORDS:
            arg = self.text
        else:
            raise ExprError(f"{func}() needs a scene or fact id, like {func}(intro)", arg_pos)
        self.advance()
        if self.at("op", ","):
            raise ExprError(f"{func}() takes exactly one argument", self.pos)
        self.close(open_pos)
        return Call(func, arg, arg_pos, pos)

    def close(self, open_pos: int) -> None:
        if self.kind == "end":
            raise ExprError("unbalanced parentheses: this '(' is never closed", open_pos)
        if not self.at("op", ")"):
            raise self.unexpected("')'")
        self.advance()

    def unexpected(self, what: str) -> ExprError:
        if self.kind == "end":
            if not self.source.strip():
                return ExprError("empty expression", 0)
            return ExprError(f"the condition ends too early; expected {what}", self.pos)
        if self.kind == "op" and self.text in _HINTS:
            return ExprError(_HINTS[self.text], self.pos)
        if self.at("op", ")") and self.depth == 0:
            return ExprError("unbalanced parentheses: this ')' has no matching '('", self.pos)
        lower = self.text.lower()
        hint = f"; did you mean '{lower}'?" if lower in _KEYWORDS and lower != self.text else ""
        shown = self.text if len(self.text) <= 20 else self.text[:17] + "..."
        return ExprError(f"expected {what}, found '{shown}'{hint}", self.pos)


def parse(source: str) -> Node:
    """Raises ExprError for the first mistake, since later ones are often knock-on effects."""
    node = _FastParser(source).parse()
    if node is not None:
        return node
    parser = _Parser(source)
    node = parser.or_()
    if parser.kind != "end":
        raise parser.unexpected("an operator or the end of the condition")
    for sub, depth in _walk(node):
        if depth > _MAX_DEPTH:
            raise ExprError("this condition is nested too deeply; split it up", _start(sub))
    return node


_FAST_TOKEN = re.compile(
    r"""(\s*)(?:([0-9]+(?:\.[0-9]+)?)|([A-Za-z_][A-Za-z0-9_]*)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    |(==|!=|<=|>=|&&|\|\||[-+*/<>=!(),])|\S)""", re.VERBOSE | re.DOTALL)
"""`_TOKEN` with the whitespace folded into each token; a bad character matches no group."""
_FAST_TOKENS = 64
"""Longer conditions take the careful parser (which also enforces the nesting limits)."""
_BINARY_PREC = {("name", "or"): 1, ("name", "and"): 2, ("op", "+"): 5, ("op", "-"): 5,
                ("op", "*"): 6, ("op", "/"): 6} | {("op", op): 4 for op in _COMPARISONS}
_NOT_PREC = 3  # `not` binds looser than comparisons, tighter than `and`


class _FastParser:
    """The same grammar by precedence climbing over a token list: a third of the cost.

    It only ever returns the tree `_Parser` would build (offsets included) or None, and
    returns None at the first thing that is not plainly valid, so every mistake is still
    diagnosed by `_Parser` with its careful messages. A token limit keeps it far from the
    nesting limits, which `_Parser` enforces. Property tests hold the two parsers together.
    """

    __slots__ = ("depth", "i", "kinds", "poss", "texts")

    def __init__(self, source: str) -> None:
        self.kinds: list[str] = []
        self.texts: list[str] = []
        self.poss: list[int] = []
        self.i = 0
        self.depth = 0
        # findall gives each token's text with the whitespace before it, so positions are
        # running sums: no match objects, no per-token method calls.
        offset = 0
        for ws, num, name, string, op in _FAST_TOKEN.findall(source):
            pos = offset + len(ws)
            if num:
                kind, text = "num", num
            elif name:
                kind, text = "name", name
            elif string:
                kind, text = "str", string
            elif op:
                kind, text = "op", op
            else:  # a character no token starts with: the careful parser explains
                self.kinds = []
                return
            if len(self.kinds) >= _FAST_TOKENS:
                self.kinds = []
                return
            self.kinds.append(kind)
            self.texts.append(text)
            self.poss.append(pos)
            offset = pos + len(text)
        if self.kinds:
            self.kinds.append("end")
            self.texts.append("")
            self.poss.append(len(source))

    def parse(self) -> Node | None:
        if not self.kinds:
            return None
        node = self.binary(1)
        if node is None or self.kinds[self.i] != "end":
            return None
        return node

    def binary(self, min_prec: int) -> Node | None:
        left = self.unary(min_prec)
        kinds, texts = self.kinds, self.texts
        while left is not None:
            i = self.i
            prec = _BINARY_PREC.get((kinds[i], texts[i]))
            if prec is None or prec < min_prec:
                return left
            op, pos = texts[i], self.poss[i]
            self.i = i + 1
            right = self.binary(prec + 1)
            if right is None:
                return None
            left = Binary(op, left, right, pos)
            if prec == 4 and kinds[self.i] == "op" and texts[self.i] in _COMPARISONS:
                return None  # a chained comparison: the careful parser explains
        return None

    def unary(self, min_prec: int) -> Node | None:
        kinds, texts, poss = self.kinds, self.texts, self.poss
        kind, text = kinds[self.i], texts[self.i]
        if kind == "name" and text == "not":
            if min_prec > _NOT_PREC:
                return None
            positions = []
            while kinds[self.i] == "name" and texts[self.i] == "not":
                positions.append(poss[self.i])
                self.i += 1
            node = self.binary(_NOT_PREC + 1)
            op = "not"
        elif kind == "op" and text == "-":
            positions = []
            while kinds[self.i] == "op" and texts[self.i] == "-":
                positions.append(poss[self.i])
                self.i += 1
            node = self.atom()
            op = "-"
        else:
            return self.atom()
        if node is None:
            return None
        for pos in reversed(positions):
            node = Unary(op, node, pos)
        return node

    def atom(self) -> Node | None:
        i = self.i
        kind, text, pos = self.kinds[i], self.texts[i], self.poss[i]
        if kind == "num":
            try:
                value: int | float = float(text) if "." in text else int(text)
            except ValueError:
                return None
            if not math.isfinite(value):
                return None
            self.i = i + 1
            return Literal(value, pos)
        if kind == "str":
            try:
                decoded = _decode(text, pos)
            except ExprError:
                return None
            self.i = i + 1
            return Literal(decoded, pos)
        if kind == "name":
            if text in ("and", "or", "not"):
                return None
            self.i = i + 1
            if text in ("true", "false"):
                return Literal(text == "true", pos)
            if self.kinds[i + 1] == "op" and self.texts[i + 1] == "(":
                return self.call(text, pos)
            return Var(text, pos)
        if kind == "op" and text == "(":
            self.depth += 1
            if self.depth > _MAX_PARENS:
                return None
            self.i = i + 1
            node = self.binary(1)
            if node is None or self.kinds[self.i] != "op" or self.texts[self.i] != ")":
                return None
            self.i += 1
            self.depth -= 1
            return node
        return None

    def call(self, func: str, pos: int) -> Call | None:
        i = self.i + 1  # past "("
        kind, text, arg_pos = self.kinds[i], self.texts[i], self.poss[i]
        if kind == "str":
            try:
                arg = _decode(text, arg_pos)
            except ExprError:
                return None
        elif kind == "name" and text not in _KEYWORDS:
            arg = text
        else:
            return None
        if self.kinds[i + 1] != "op" or self.texts[i + 1] != ")":
            return None
        self.i = i + 2
        return Call(func, arg, arg_pos, pos)


def _walk(node: Node) -> Iterator[tuple[Node, int]]:
    """Iterative, so it is safe on trees too deep for the recursive walkers."""
    stack = [(node, 1)]
    while stack:
        sub, depth = stack.pop()
        yield sub, depth
        if isinstance(sub, Unary):
            stack.append((sub.operand, depth + 1))
        elif isinstance(sub, Binary):
            stack += [(sub.right, depth + 1), (sub.left, depth + 1)]


def _start(node: Node) -> int:
    """Where the text of a node begins (a Binary's own offset is its operator)."""
    while isinstance(node, Binary):
        node = node.left
    return node.offset


def _family(t: type) -> _Family | None:
    if t is bool:
        return "bool"
    if t is int or t is float:
        return "number"
    return "str" if t is str else None


def _suggest(word: str, pool: Collection[str]) -> str:
    import difflib  # only when there is a mistake to explain: start-up time matters

    close = difflib.get_close_matches(word, list(pool), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _bool_hint(node: Node, family: _Family) -> str:
    if family == "number":
        return f"; did you mean '{unparse(node)} > 0'?"
    return f"; did you mean '{unparse(node)} != \"\"'?" if family == "str" else ""


def check(
    node: Node,
    *,
    variables: Mapping[str, type],
    scenes: Collection[str],
    facts: Collection[str],
    want_bool: bool = True,
) -> list[ExprError]:
    """Reports every problem at once, so authors can fix a story in one pass; a node
    whose type is unknown after an error is not complained about again."""
    errors: list[ExprError] = []

    def need(child: Node, family: _Family | None, wanted: _Family, what: str) -> None:
        if family is not None and family != wanted:
            hint = _bool_hint(child, family) if wanted == "bool" else ""
            errors.append(ExprError(f"{what}, but this is {_WORDS[family]}{hint}", _start(child)))

    def visit(n: Node) -> _Family | None:
        if isinstance(n, Literal):
            return _family(type(n.value))
        if isinstance(n, Var):
            return variable(n)
        if isinstance(n, Call):
            kind = FUNCTIONS.get(n.func)
            if kind is None:
                msg = f"unknown function '{n.func}'{_suggest(n.func, FUNCTIONS)}"
                errors.append(ExprError(msg, n.offset))
                return None
            pool = scenes if kind == "scene" else facts
            if n.arg not in pool:
                msg = f"unknown {kind} '{n.arg}'{_suggest(n.arg, pool)}"
                errors.append(ExprError(msg, n.arg_offset))
            return "number" if n.func == "visits" else "bool"
        if isinstance(n, Unary):
            if n.op == "not":
                need(n.operand, visit(n.operand), "bool", "'not' needs true/false")
                return "bool"
            need(n.operand, visit(n.operand), "number", "'-' needs a number")
            return "number"
        left, right = visit(n.left), visit(n.right)
        if n.op in ("and", "or"):
            for side, family in ((n.left, left), (n.right, right)):
                need(side, family, "bool", f"'{n.op}' needs true/false on both sides")
            return "bool"
        if n.op in ("==", "!="):
            if left is not None and right is not None and left != right:
                msg = f"cannot compare {_WORDS[left]} with {_WORDS[right]}"
                errors.append(ExprError(msg, n.offset))
            return "bool"
        what = (
            f"'{n.op}' only compares numbers" if n.op in _COMPARISONS else f"'{n.op}' needs numbers"
        )
        need(n.left, left, "number", what)
        need(n.right, right, "number", what)
        return "bool" if n.op in _COMPARISONS else "number"

    def variable(n: Var) -> _Family | None:
        t = variables.get(n.name)
        if t is None:
            msg = f"unknown variable '{n.name}'"
            if n.name.lower() in ("true", "false"):
                msg += f"; did you mean {n.name.lower()}?"
            elif n.name in scenes:
                msg += f"; did you mean 'seen({n.name})'?"
            elif n.name in facts:
                msg += f"; did you mean 'has({n.name})'?"
            else:
                msg += _suggest(n.name, variables)
            errors.append(ExprError(msg, n.offset))
            return None
        family = _family(t)
        if family is None:
            kind = getattr(t, "__name__", repr(t))
            msg = f"variable '{n.name}' is a {kind}; use a number, true/false or text"
            errors.append(ExprError(msg, n.offset))
        return family

    result = visit(node)
    if want_bool and result is not None and result != "bool":
        msg = f"this condition is {_WORDS[result]}, not true/false{_bool_hint(node, result)}"
        errors.append(ExprError(msg, _start(node)))
    return sorted(errors, key=lambda e: e.offset)


def references(node: Node) -> Iterator[Ref]:
    """In source order, so lint messages and the story map list names as written.

    A loop over an explicit stack (left child on top), not nested generators: lint walks
    every condition of the story with this.
    """
    out: list[Ref] = []
    stack = [node]
    while stack:
        n = stack.pop()
        kind = type(n)
        if kind is Binary:
            stack.append(n.right)  # type: ignore[union-attr]
            stack.append(n.left)  # type: ignore[union-attr]
        elif kind is Unary:
            stack.append(n.operand)  # type: ignore[union-attr]
        elif kind is Var:
            out.append(Ref("variable", n.name, n.offset))  # type: ignore[union-attr]
        elif kind is Call:
            func = FUNCTIONS.get(n.func)  # type: ignore[union-attr]
            if func is not None:
                out.append(Ref(func, n.arg, n.arg_offset))  # type: ignore[union-attr]
    return iter(out)


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


def evaluate(
    node: Node, variables: Mapping[str, Value], visits: Mapping[str, int], facts: AbstractSet[str]
) -> Value:
    """Deliberately naive: it is the reference the compiled closures are tested against."""
    result: Value = _eval(node, variables, visits, facts)
    return result


def _eval(n: Node, v: Mapping[str, Value], vi: Mapping[str, int], f: AbstractSet[str]) -> Any:
    if isinstance(n, Literal):
        return n.value
    if isinstance(n, Var):
        return v[n.name]
    if isinstance(n, Call):
        if n.func not in FUNCTIONS:
            raise ExprEvalError(f"unknown function '{n.func}'", n.offset)
        if n.func == "has":
            return n.arg in f
        return vi.get(n.arg, 0) if n.func == "visits" else vi.get(n.arg, 0) > 0
    if isinstance(n, Unary):
        x = _eval(n.operand, v, vi, f)
        return (not x) if n.op == "not" else -x
    if n.op == "and":
        return _eval(n.left, v, vi, f) and _eval(n.right, v, vi, f)
    if n.op == "or":
        return _eval(n.left, v, vi, f) or _eval(n.right, v, vi, f)
    a, b = _eval(n.left, v, vi, f), _eval(n.right, v, vi, f)
    if n.op in _RELATIONS:
        return _RELATIONS[n.op](a, b)
    return _arith(_ARITH[n.op], a, b, n.offset)


def _refers(node: Node) -> bool:
    """Whether any variable or function appears: a loop, not a generator (lint asks ~30,000
    times for a big story)."""
    stack = [node]
    while stack:
        n = stack.pop()
        kind = type(n)
        if kind is Var or kind is Call:
            return True
        if kind is Binary:
            stack.append(n.right)  # type: ignore[union-attr]
            stack.append(n.left)  # type: ignore[union-attr]
        elif kind is Unary:
            stack.append(n.operand)  # type: ignore[union-attr]
    return False


def constant_value(node: Node) -> Value | None:
    """Lets the linter prove that a choice is always hidden (or always shown)."""
    if _refers(node):
        return None
    if check(node, variables={}, scenes=(), facts=(), want_bool=False):
        return None
    try:
        return evaluate(node, {}, {}, frozenset())
    except ExprEvalError:
        return None


# Comparisons are the hot path, so each operator gets its own inline lambda rather than
# an operator-module call; the commonest shapes (`x > 1`, `visits(s) > 1`) skip a call.
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
_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def compile_expr(node: Node) -> Evaluator:
    """One closure per node, chosen now, so evaluation never dispatches on node types."""
    return _compile(node)


def _compile(n: Node) -> _Fn:
    if isinstance(n, (Unary, Binary)):
        const = constant_value(n)
        if const is not None:
            return lambda v, vi, f: const
    if isinstance(n, Literal):
        value = n.value
        return lambda v, vi, f: value
    if isinstance(n, Var):
        name = n.name
        return lambda v, vi, f, name=name: v[name]
    if isinstance(n, Call):
        return _compile_call(n)
    if isinstance(n, Unary):
        return _compile_unary(n)
    if n.op in _COMPARISONS:
        return _compile_comparison(n.op, n.left, n.right)
    x, y = _compile(n.left), _compile(n.right)
    if n.op == "and":
        return lambda v, vi, f, x=x, y=y: x(v, vi, f) and y(v, vi, f)
    if n.op == "or":
        return lambda v, vi, f, x=x, y=y: x(v, vi, f) or y(v, vi, f)
    fn, offset = _ARITH[n.op], n.offset

    def arith(v: Mapping[str, Any], vi: Mapping[str, int], f: AbstractSet[str]) -> Any:
        try:
            return fn(x(v, vi, f), y(v, vi, f))
        except (ZeroDivisionError, OverflowError) as e:
            raise _eval_error(e, offset) from None

    return arith


def _compile_call(n: Call) -> _Fn:
    arg = n.arg
    if n.func == "visits":
        return lambda v, vi, f, arg=arg: vi.get(arg, 0)
    if n.func == "seen":
        return lambda v, vi, f, arg=arg: vi.get(arg, 0) > 0
    if n.func == "has":
        return lambda v, vi, f, arg=arg: arg in f
    return lambda v, vi, f: _eval(n, v, vi, f)  # raises the interpreter's "unknown function"


def _compile_unary(n: Unary) -> _Fn:
    operand = n.operand
    if n.op == "-":
        x = _compile(operand)
        return lambda v, vi, f: -x(v, vi, f)
    if isinstance(operand, Var):
        name = operand.name
        return lambda v, vi, f, name=name: not v[name]
    if isinstance(operand, Call) and operand.func == "has":
        arg = operand.arg
        return lambda v, vi, f, arg=arg: arg not in f
    x = _compile(operand)
    return lambda v, vi, f, x=x: not x(v, vi, f)


def _compile_comparison(op: str, left: Node, right: Node) -> _Fn:
    if isinstance(left, Literal) and isinstance(right, (Var, Call)):
        op, left, right = _FLIP[op], right, left
    if isinstance(right, Literal):
        if isinstance(left, Var):
            return _CMP_VAR[op](left.name, right.value)
        if isinstance(left, Call) and left.func == "visits":
            return _CMP_VISITS[op](left.arg, right.value)
    return _CMP[op](_compile(left), _compile(right))


def unparse(node: Node) -> str:
    """Canonical text (minimal parentheses) that parses back to an equal tree, offsets
    aside.  Literals that parse never produces (negative numbers, inf, nan) have no
    exact spelling: -3 comes back as Unary('-', Literal(3))."""
    if isinstance(node, Literal):
        return _literal_text(node.value)
    if isinstance(node, Var):
        return node.name
    if isinstance(node, Call):
        bare = _IDENT.fullmatch(node.arg) and node.arg not in _KEYWORDS
        return f"{node.func}({node.arg if bare else _literal_text(node.arg)})"
    if isinstance(node, Unary):
        if node.op == "not":
            return f"not {_wrap(node.operand, 3)}"
        return f"-{_wrap(node.operand, 7)}"
    prec = _PREC[node.op]
    left = _wrap(node.left, prec + 1 if node.op in _COMPARISONS else prec)
    return f"{left} {node.op} {_wrap(node.right, prec + 1)}"


def _wrap(node: Node, min_prec: int) -> str:
    text = unparse(node)
    return f"({text})" if _prec(node) < min_prec else text


def _prec(node: Node) -> int:
    if isinstance(node, Binary):
        return _PREC[node.op]
    if isinstance(node, Unary):
        return 3 if node.op == "not" else 7
    return 8


def _literal_text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} cannot be written in a condition")
        text = repr(value)
        if "e" in text:  # the grammar has no exponent notation
            from decimal import Decimal  # rare, and decimal costs ~1 ms to import

            text = format(Decimal(text), "f")
        return text if "." in text else text + ".0"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def strip_offsets(node: Node) -> Node:
    """Zeroes every offset, so trees can be compared by shape alone."""
    if isinstance(node, Unary):
        return replace(node, operand=strip_offsets(node.operand), offset=0)
    if isinstance(node, Binary):
        return replace(
            node, left=strip_offsets(node.left), right=strip_offsets(node.right), offset=0
        )
    if isinstance(node, Call):
        return replace(node, arg_offset=0, offset=0)
    return replace(node, offset=0)
