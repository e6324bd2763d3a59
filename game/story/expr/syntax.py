"""Condition text to tree (`parse`) and back (`unparse`): the grammar, written once.

One parser: precedence climbing over a token list made by a single `findall`. It words every
mistake the way an author needs it (the first one only: later ones are often knock-on
effects), and it only recurses for a higher-precedence operand or a parenthesis, so neither
long chains (`a or b or ...`) nor runs of prefix operators cost stack depth.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from game.story.construct import fast_constructor
from game.story.expr.nodes import (
    COMPARISONS,
    MATH,
    MEMBERSHIP,
    Apply,
    Binary,
    Call,
    ExprError,
    Literal,
    Node,
    Scalar,
    Unary,
    Var,
    fold,
    start_offset,
    walk,
)

KEYWORDS = frozenset({"and", "or", "not", "true", "false"})
_OPERATORS = ("and", "or", "not")
_PREC = ({"or": 1, "and": 2, "+": 5, "-": 5, "*": 6, "/": 6} | dict.fromkeys(COMPARISONS, 4)
         | {MEMBERSHIP: 4})
_BINARY_PREC = ({("name", "or"): 1, ("name", "and"): 2, ("name", MEMBERSHIP): 4}
                | {("op", op): prec for op, prec in _PREC.items()
                   if op not in _OPERATORS and op != MEMBERSHIP})
"""`in` is an operator only where an operator can stand (after a value), so a v1 story's
variable named `in` still reads as a variable."""
_NOT_PREC = 3  # `not` binds looser than comparisons, tighter than `and`
_NEG_PREC = 7  # unary minus binds tightest
_HINTS = {
    "=": "use == to compare, not =",
    "!": "use 'not' instead of '!'",
    "&&": "use 'and' instead of '&&'",
    "&": "use 'and' instead of '&'",
    "||": "use 'or' instead of '||'",
    "|": "use 'or' instead of '|'",
}
_MAX_PARENS = 30  # each level costs several Python frames while parsing
MAX_DEPTH = 200
"""Deeper trees are refused: compiled conditions recurse once per level when they run."""

_TOKEN = re.compile(
    r"""(\s*)([A-Za-z_][A-Za-z0-9_]*|==|!=|<=|>=|&&|\|\||[-+*/<>=!(),]|[0-9]+(?:\.[0-9]+)?
    |"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\S)""", re.VERBOSE | re.DOTALL)
"""A token with the whitespace before it: a name, an operator, a number, a string, or one
character no token starts with (the lexer stops there: the parser reports it on reaching it).
Its first character tells which (`_KINDS`): one group for the token, not one per kind, is
~40% less work for the regex, which was most of the lexer."""
_KINDS = (dict.fromkeys("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_", "name")
          | dict.fromkeys("0123456789", "num") | dict.fromkeys("-+*/<>=!(),", "op")
          | dict.fromkeys("\"'&|", "two"))
"""A token's kind by its first character; "two": a string (a quote) or `&&`/`||` when
longer than that one character, which alone is a character no token starts with."""
_new_binary = fast_constructor(Binary, ("op", "left", "right", "offset"))
_new_unary = fast_constructor(Unary, ("op", "operand", "offset"))
_new_literal = fast_constructor(Literal, ("value", "offset"))
_new_var = fast_constructor(Var, ("name", "offset"))
"""The nodes a parse makes most, without a frozen dataclass's `__init__` (half its cost,
`game.story.construct`): a big story parses thousands of distinct conditions cold."""
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n"}


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
    """The state of one parse: the tokens as three parallel lists, and where we are.

    The token lists end with "end" or, when a character no token starts with was met, with
    "bad": reaching it raises the lexer's error, so a bad character late in the text never
    hides an earlier mistake.
    """

    __slots__ = ("depth", "i", "kinds", "poss", "source", "texts")

    def __init__(self, source: str) -> None:
        self.source = source
        self.i = 0
        self.depth = 0
        kinds: list[str] = []
        texts: list[str] = []
        poss: list[int] = []
        # findall gives each token's text with the whitespace before it, so positions are
        # running sums: no match objects, no per-token method calls.
        offset = 0
        for ws, text in _TOKEN.findall(source):
            pos = offset + len(ws)
            kind = _KINDS.get(text[0], "bad")
            if kind == "two":
                kind = "bad" if len(text) == 1 else "str" if text[0] in "\"'" else "op"
            if kind == "bad":
                kinds.append("bad")
                texts.append(text)
                poss.append(pos)
                break
            kinds.append(kind)
            texts.append(text)
            poss.append(pos)
            offset = pos + len(text)
        else:
            kinds.append("end")
            texts.append("")
            poss.append(len(source))
        self.kinds, self.texts, self.poss = kinds, texts, poss

    def binary(self, min_prec: int) -> Node:
        """Operands joined by operators of at least `min_prec`, left-associative."""
        left = self.unary(min_prec)
        kinds, texts, poss = self.kinds, self.texts, self.poss
        while True:
            i = self.i
            prec = _BINARY_PREC.get((kinds[i], texts[i]))
            if prec is None or prec < min_prec:
                return left
            op, pos = texts[i], poss[i]
            self.i = i + 1
            left = _new_binary(op, left, self.binary(prec + 1), pos)
            if prec == 4 and _BINARY_PREC.get((kinds[self.i], texts[self.i])) == 4:
                raise ExprError("comparisons cannot be chained; join them with 'and'",
                                poss[self.i])

    def unary(self, min_prec: int) -> Node:
        kinds, texts, poss = self.kinds, self.texts, self.poss
        kind, text = kinds[self.i], texts[self.i]
        if kind == "name" and text == "not":
            if min_prec > _NOT_PREC:  # `a == not b`: only a value can go here
                raise self.unexpected("a value")
            positions = []
            while kinds[self.i] == "name" and texts[self.i] == "not":
                positions.append(poss[self.i])
                self.i += 1
            node = self.binary(_NOT_PREC + 1)
        elif kind == "op" and text == "-":
            positions = []
            while kinds[self.i] == "op" and texts[self.i] == "-":
                positions.append(poss[self.i])
                self.i += 1
            node = self.atom()
        else:
            return self.atom()
        for pos in reversed(positions):
            node = _new_unary(text, node, pos)
        return node

    def atom(self) -> Node:
        i = self.i
        kind, text, pos = self.kinds[i], self.texts[i], self.poss[i]
        if kind == "num":
            try:
                value: int | float = float(text) if "." in text else int(text)
            except ValueError:  # int() refuses more than 4300 digits
                raise ExprError("this number is too long", pos) from None
            if isinstance(value, float) and not math.isfinite(value):  # (an int always is)
                raise ExprError("this number is too large", pos)
            self.i = i + 1
            return _new_literal(value, pos)
        if kind == "str":
            decoded = _decode(text, pos)
            self.i = i + 1
            return _new_literal(decoded, pos)
        if kind == "name" and text not in _OPERATORS:
            self.i = i + 1
            if text in ("true", "false"):
                return _new_literal(text == "true", pos)
            if self.kinds[i + 1] == "op" and self.texts[i + 1] == "(":
                return self.apply(text, pos) if text in MATH else self.call(text, pos)
            return _new_var(text, pos)
        if kind == "op" and text == "(":
            self.depth += 1
            if self.depth > _MAX_PARENS:
                raise ExprError("too many nested parentheses", pos)
            self.i = i + 1
            node = self.binary(1)
            self.close(pos)
            self.depth -= 1
            return node
        raise self.unexpected("a value")

    def call(self, func: str, pos: int) -> Call:
        open_pos = self.poss[self.i]
        self.i = i = self.i + 1
        kind, text, arg_pos = self.kinds[i], self.texts[i], self.poss[i]
        if kind == "str":
            arg = _decode(text, arg_pos)
        elif kind == "name" and text not in KEYWORDS:
            arg = text
        elif kind == "bad":
            raise self.unexpected("an id")
        else:
            raise ExprError(f"{func}() needs a scene or fact id, like {func}(intro)", arg_pos)
        self.i = i = i + 1
        if self.kinds[i] == "op" and self.texts[i] == ",":
            raise ExprError(f"{func}() takes exactly one argument", self.poss[i])
        self.close(open_pos)
        return Call(func, arg, arg_pos, pos)

    def apply(self, func: str, pos: int) -> Apply:
        """`min(a, b)` and the other functions of numbers: arguments are expressions,
        separated by commas; their number is the function's (`MATH`)."""
        params = MATH[func]
        open_pos = self.poss[self.i]
        self.depth += 1
        if self.depth > _MAX_PARENS:
            raise ExprError("too many nested parentheses", open_pos)
        self.i += 1
        args: list[Node] = []
        signature = f"{func}({', '.join(params)})"
        while True:
            if self.kinds[self.i] == "op" and self.texts[self.i] == ")" and not args:
                break
            args.append(self.binary(1))
            if self.kinds[self.i] == "op" and self.texts[self.i] == ",":
                if len(args) == len(params):
                    raise ExprError(f"{signature} takes {_count(len(params))}; this is "
                                    "one more", self.poss[self.i])
                self.i += 1
                continue
            break
        if len(args) != len(params) and self.kinds[self.i] == "op" \
                and self.texts[self.i] == ")":
            raise ExprError(f"{signature} takes {_count(len(params))}, not "
                            f"{len(args)}", pos)
        self.close(open_pos)
        self.depth -= 1
        return Apply(func, tuple(args), pos)

    def close(self, open_pos: int) -> None:
        i = self.i
        if self.kinds[i] == "end":
            raise ExprError("unbalanced parentheses: this '(' is never closed", open_pos)
        if self.kinds[i] != "op" or self.texts[i] != ")":
            raise self.unexpected("')'")
        self.i = i + 1

    def unexpected(self, what: str) -> ExprError:
        i = self.i
        kind, text, pos = self.kinds[i], self.texts[i], self.poss[i]
        if kind == "bad":
            if text in "\"'":
                return ExprError(f"unterminated string; add the closing {text}", pos)
            return ExprError(_HINTS.get(text, f"unexpected character {text!r}"), pos)
        if kind == "end":
            if not self.source.strip():
                return ExprError("empty expression", 0)
            return ExprError(f"the condition ends too early; expected {what}", pos)
        if kind == "op" and text in _HINTS:
            return ExprError(_HINTS[text], pos)
        if kind == "op" and text == ")" and self.depth == 0:
            return ExprError("unbalanced parentheses: this ')' has no matching '('", pos)
        if (kind, text) == ("name", "not") and (self.kinds[i + 1], self.texts[i + 1]) == (
                "name", MEMBERSHIP):
            return ExprError("there is no 'not in'; write not (NAME in LIST)", pos)
        lower = text.lower()
        hint = f"; did you mean '{lower}'?" if lower in KEYWORDS and lower != text else ""
        shown = text if len(text) <= 20 else text[:17] + "..."
        return ExprError(f"expected {what}, found '{shown}'{hint}", pos)


def _count(n: int) -> str:
    return "one argument" if n == 1 else f"{n} arguments"


def parse(source: str) -> Node:
    """The tree of a condition's text; raises ExprError for the first mistake."""
    parser = _Parser(source)
    node = parser.binary(1)
    if parser.kinds[parser.i] != "end":
        raise parser.unexpected("an operator or the end of the condition")
    # A tree is never deeper than it has tokens, so only long texts need measuring.
    if len(parser.kinds) > MAX_DEPTH:
        offset = _too_deep(node)
        if offset is not None:
            raise ExprError("this condition is nested too deeply; split it up", offset)
    return node


def _too_deep(tree: Node) -> int | None:
    """Where the first node (top down) deeper than MAX_DEPTH starts, if there is one."""
    height: dict[int, int] = {}
    for n in walk(tree, bottom_up=True):
        height[id(n)] = 1 + max((height[id(c)] for c in n.children()), default=0)
    if height[id(tree)] <= MAX_DEPTH:
        return None
    node, below = tree, MAX_DEPTH  # levels still to go down
    while below:
        node = next(c for c in node.children() if height[id(c)] >= below)
        below -= 1
    return start_offset(node)


def unparse(node: Node) -> str:
    """Canonical text (minimal parentheses) that parses back to an equal tree, offsets
    aside.  Literals that parse never produces (negative numbers, inf, nan) have no
    exact spelling: -3 comes back as Unary('-', Literal(3))."""

    def text(n: Node, parts: Sequence[str]) -> str:
        match n:
            case Literal(value=value):
                return literal_text(value)
            case Var(name=name):
                return name
            case Call(func=func, arg=arg):
                bare = _IDENT.fullmatch(arg) and arg not in KEYWORDS
                return f"{func}({arg if bare else literal_text(arg)})"
            case Apply(func=func):
                return f"{func}({', '.join(parts)})"
            case Unary(op="not", operand=operand):
                return f"not {_wrap(parts[0], operand, _NOT_PREC)}"
            case Unary(operand=operand):
                return f"-{_wrap(parts[0], operand, _NEG_PREC)}"
            case Binary(op=op, left=left, right=right):
                prec = _PREC[op]
                lhs = _wrap(parts[0], left, prec + 1 if prec == 4 else prec)
                return f"{lhs} {op} {_wrap(parts[1], right, prec + 1)}"
        raise TypeError(f"not a condition node: {n!r}")

    return fold(node, text)


def _wrap(text: str, node: Node, min_prec: int) -> str:
    return f"({text})" if _prec(node) < min_prec else text


def _prec(node: Node) -> int:
    match node:
        case Binary(op=op):
            return _PREC[op]
        case Unary(op=op):
            return _NOT_PREC if op == "not" else _NEG_PREC
    return _NEG_PREC + 1


def literal_text(value: Scalar) -> str:
    """A value as a condition would spell it (`true`, `3`, `2.5`, `"text"`)."""
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
