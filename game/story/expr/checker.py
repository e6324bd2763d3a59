"""What a condition needs: its names (`references`), and whether they and its types fit a
story (`check`), so authors get every mistake at load time instead of mid-playthrough."""

from __future__ import annotations

import typing
from collections.abc import Collection, Iterator, Mapping

from game.story.expr.nodes import (
    COMPARISONS,
    FUNCTIONS,
    Binary,
    Call,
    ExprError,
    Literal,
    Node,
    Ref,
    Unary,
    Var,
    fold,
    start_offset,
    walk,
)
from game.story.expr.syntax import unparse

Family = typing.Literal["number", "bool", "str"]
_WORDS: Mapping[Family, str] = {"number": "a number", "bool": "true/false", "str": "text"}


def references(node: Node) -> Iterator[Ref]:
    """In source order, so lint messages and the story map list names as written."""
    for n in walk(node):
        match n:
            case Var(name=name, offset=offset):
                yield Ref("variable", name, offset)
            case Call(func=func, arg=arg, arg_offset=offset) if func in FUNCTIONS:
                yield Ref(FUNCTIONS[func], arg, offset)


def refers(node: Node) -> bool:
    """Whether any variable or function appears, i.e. whether the value can change."""
    # A loop, not any(genexpr): lint asks this thousands of times.
    for n in walk(node):  # noqa: SIM110
        if isinstance(n, (Var, Call)):
            return True
    return False


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

    def need(child: Node, family: Family | None, wanted: Family, what: str) -> None:
        if family is not None and family != wanted:
            hint = _bool_hint(child, family) if wanted == "bool" else ""
            errors.append(ExprError(f"{what}, but this is {_WORDS[family]}{hint}",
                                    start_offset(child)))

    def family_of(n: Node, kids: list[Family | None]) -> Family | None:
        match n:
            case Literal(value=value):
                return _family(type(value))
            case Var():
                return variable(n)
            case Call(func=func, arg=arg):
                kind = FUNCTIONS.get(func)
                if kind is None:
                    errors.append(ExprError(f"unknown function '{func}'"
                                            f"{_suggest(func, FUNCTIONS)}", n.offset))
                    return None
                pool = scenes if kind == "scene" else facts
                if arg not in pool:
                    errors.append(ExprError(f"unknown {kind} '{arg}'{_suggest(arg, pool)}",
                                            n.arg_offset))
                return "number" if func == "visits" else "bool"
            case Unary(op="not", operand=operand):
                need(operand, kids[0], "bool", "'not' needs true/false")
                return "bool"
            case Unary(operand=operand):
                need(operand, kids[0], "number", "'-' needs a number")
                return "number"
            case Binary(op=op, left=left_node, right=right_node):
                left, right = kids
                if op in ("and", "or"):
                    for side, family in ((left_node, left), (right_node, right)):
                        need(side, family, "bool", f"'{op}' needs true/false on both sides")
                    return "bool"
                if op in ("==", "!="):
                    if left is not None and right is not None and left != right:
                        errors.append(ExprError(f"cannot compare {_WORDS[left]} with "
                                                f"{_WORDS[right]}", n.offset))
                    return "bool"
                what = (f"'{op}' only compares numbers" if op in COMPARISONS
                        else f"'{op}' needs numbers")
                need(left_node, left, "number", what)
                need(right_node, right, "number", what)
                return "bool" if op in COMPARISONS else "number"
        raise TypeError(f"not a condition node: {n!r}")

    def variable(n: Var) -> Family | None:
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

    result = fold(node, family_of)
    if want_bool and result is not None and result != "bool":
        msg = f"this condition is {_WORDS[result]}, not true/false{_bool_hint(node, result)}"
        errors.append(ExprError(msg, start_offset(node)))
    return sorted(errors, key=lambda e: e.offset)


def _family(t: type) -> Family | None:
    if t is bool:
        return "bool"
    if t is int or t is float:
        return "number"
    return "str" if t is str else None


def _suggest(word: str, pool: Collection[str]) -> str:
    import difflib  # only when there is a mistake to explain: start-up time matters

    close = difflib.get_close_matches(word, list(pool), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _bool_hint(node: Node, family: Family) -> str:
    if family == "number":
        return f"; did you mean '{unparse(node)} > 0'?"
    return f"; did you mean '{unparse(node)} != \"\"'?" if family == "str" else ""
