"""What a condition needs: its names (`references`), and whether they and its types fit a
story (`check`), so authors get every mistake at load time instead of mid-playthrough."""

from __future__ import annotations

import typing
from collections.abc import Collection, Iterator, Mapping

from game.story.expr.nodes import (
    COMPARISONS,
    FUNCTIONS,
    MATH,
    MEMBERSHIP,
    RANDOM,
    Apply,
    Binary,
    Call,
    ExprError,
    Literal,
    Node,
    Ref,
    Unary,
    UnknownName,
    Var,
    start_offset,
    walk,
)
from game.story.expr.syntax import unparse

Family = typing.Literal["number", "bool", "str", "list"]
_WORDS: Mapping[Family, str] = {"number": "a number", "bool": "true/false", "str": "text",
                                "list": "a list"}


class NotAnItem(ExprError):
    """`"name" in list` with a name the list does not declare: never true, and most likely
    a typo (its own code, with "did you mean", like the same mistake in `add`/`remove`)."""


class RandomOutside(ExprError):
    """`random()` where nothing may change: a condition or a text (only `compute` rolls)."""


class EmptyRange(ExprError):
    """`clamp(x, 5, 1)` or `random(6, 1)` with constant bounds the wrong way round, or a
    `random` bound that is a constant decimal: it fails whenever it is evaluated."""


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
    for n in walk(node):
        if isinstance(n, (Var, Call)) or (isinstance(n, Apply) and n.func == RANDOM):
            return True
    return False


def check(
    node: Node,
    *,
    variables: Mapping[str, type],
    scenes: Collection[str],
    facts: Collection[str],
    want_bool: bool = True,
    items: Mapping[str, Collection[str]] | None = None,
    allow_random: bool = False,
) -> list[ExprError]:
    """Reports every problem at once, so authors can fix a story in one pass; a node
    whose type is unknown after an error is not complained about again. `items` are the
    list variables' declared names: a quoted name `in` a list must be one of them.
    `allow_random`: the expression is a `compute` (the one place `random()` may roll)."""
    errors: list[ExprError] = []

    def need(child: Node, family: Family, wanted: Family, what: str) -> None:
        hint = _bool_hint(child, family) if wanted == "bool" else ""
        errors.append(ExprError(f"{what}, but this is {_WORDS[family]}{hint}",
                                start_offset(child)))

    def call(n: Call) -> Family | None:
        kind = FUNCTIONS.get(n.func)
        if kind is None:
            errors.append(UnknownName(f"unknown function '{n.func}'"
                                      f"{_suggest(n.func, FUNCTIONS)}", n.offset))
            return None
        if kind == "variable":  # count(list)
            declared = variables.get(n.arg)
            if declared is None:
                errors.append(UnknownName(f"unknown variable '{n.arg}'"
                                          f"{_suggest(n.arg, variables)}", n.arg_offset, n.arg))
            elif declared is not tuple:
                errors.append(ExprError(f"{n.func}() counts the names a list holds, but "
                                        f"'{n.arg}' is {_WORDS[_FAMILIES[declared]]}"
                                        if declared in _FAMILIES else
                                        f"{n.func}() needs a list variable", n.arg_offset))
            return "number"
        pool = scenes if kind == "scene" else facts
        if n.arg not in pool:
            errors.append(UnknownName(f"unknown {kind} '{n.arg}'{_suggest(n.arg, pool)}",
                                      n.arg_offset, n.arg))
        return "number" if n.func == "visits" else "bool"

    def member(n: Binary, left: Family | None, right: Family | None) -> None:
        """`"name" in list`: text on the left, a list variable on the right, and a quoted
        name one of the list's items."""
        if left is None and isinstance(n.left, Var) and isinstance(n.right, Var):
            _quote_hint(errors, n.left, n.right.name, items)
        if left is not None and left != "str":
            need(n.left, left, "str", "'in' needs a name (text) on its left")
        if right is not None and right != "list":
            need(n.right, right, "list", "'in' needs a list variable on its right")
        elif (right == "list" and items is not None and isinstance(n.left, Literal)
              and isinstance(n.left.value, str) and isinstance(n.right, Var)):
            declared = items.get(n.right.name)
            if declared is not None and n.left.value not in declared:
                from game.story.lists import not_an_item

                errors.append(NotAnItem(not_an_item(n.right.name, n.left.value,
                                                    list(declared)), n.left.offset))

    def variable(n: Var, t: type | None) -> None:
        """Reports an undeclared variable, or one of a type conditions cannot use."""
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
            errors.append(UnknownName(msg, n.offset, n.name))
            return
        kind = getattr(t, "__name__", repr(t))
        errors.append(ExprError(f"variable '{n.name}' is a {kind}; use a number, true/false "
                                "or text", n.offset))

    # Messages are only worded when there is a mistake: this runs for every node of every
    # distinct condition in a story, so it is one loop over the walk (bottom up, each node's
    # children's families on top of the stack) and bare class patterns, which match fastest.
    families: list[Family | None] = []
    push, pop = families.append, families.pop
    for n in walk(node, bottom_up=True):
        match n:  # the commonest kinds first
            case Binary():
                right = pop()
                left = pop()
                op = n.op
                if op == "and" or op == "or":
                    if left is not None and left != "bool":
                        need(n.left, left, "bool", f"'{op}' needs true/false on both sides")
                    if right is not None and right != "bool":
                        need(n.right, right, "bool", f"'{op}' needs true/false on both sides")
                    push("bool")
                elif op == MEMBERSHIP:
                    member(n, left, right)
                    push("bool")
                elif op == "==" or op == "!=":
                    if "list" in (left, right):
                        side = n.left if left == "list" else n.right
                        errors.append(ExprError(f"a list cannot be compared with '{op}'; ask "
                                                "'\"name\" in LIST' or count(LIST)",
                                                start_offset(side)))
                    elif left is not None and right is not None and left != right:
                        errors.append(ExprError(f"cannot compare {_WORDS[left]} with "
                                                f"{_WORDS[right]}", n.offset))
                    push("bool")
                else:
                    compares = op in COMPARISONS
                    if left is not None and left != "number":
                        need(n.left, left, "number", _numbers(op, compares))
                    if right is not None and right != "number":
                        need(n.right, right, "number", _numbers(op, compares))
                    push("bool" if compares else "number")
            case Var():
                kind = variables.get(n.name)
                family = _FAMILIES.get(kind) if kind is not None else None
                if family is None:
                    variable(n, kind)
                push(family)
            case Literal():
                push(_FAMILIES.get(type(n.value)))
            case Call():
                push(call(n))
            case Apply():
                args = families[len(families) - len(n.args):]
                del families[len(families) - len(n.args):]
                for arg, family in zip(n.args, args, strict=True):
                    if family is not None and family != "number":
                        need(arg, family, "number", f"{n.func}() needs numbers")
                if n.func == RANDOM and not allow_random:
                    errors.append(RandomOutside(
                        "random() can only be used in a compute effect: showing a scene or "
                        "deciding a condition never changes anything", n.offset))
                problem = _range_problem(n)
                if problem is not None:
                    errors.append(problem)
                push("number")
            case Unary():
                wanted: Family = "bool" if n.op == "not" else "number"
                family = pop()
                if family is not None and family != wanted:
                    need(n.operand, family, wanted,
                         "'not' needs true/false" if n.op == "not" else "'-' needs a number")
                push(wanted)
            case _:
                raise TypeError(f"not a condition node: {n!r}")

    result = families[0]
    if want_bool and result is not None and result != "bool":
        msg = f"this condition is {_WORDS[result]}, not true/false{_bool_hint(node, result)}"
        errors.append(ExprError(msg, start_offset(node)))
    return sorted(errors, key=lambda e: e.offset) if errors else errors


def _range_problem(n: Apply) -> EmptyRange | None:
    """`clamp`/`random` bounds that are constants the wrong way round (or, for random, a
    constant decimal): such a call fails every time it is evaluated."""
    if n.func not in ("clamp", RANDOM):
        return None
    lo_node, hi_node = n.args[-2:]
    lo, hi = _number(lo_node), _number(hi_node)
    if n.func == RANDOM:
        for bound, node in ((lo, lo_node), (hi, hi_node)):
            if isinstance(bound, float) and not bound.is_integer():
                return EmptyRange(f"random() rolls whole numbers; {unparse(node)} is not one",
                                  start_offset(node))
    if lo is not None and hi is not None and lo > hi:
        first, second = MATH[n.func][-2:]
        return EmptyRange(f"{n.func}(): {first} ({unparse(lo_node)}) is above {second} "
                          f"({unparse(hi_node)}), so this fails whenever it is evaluated",
                          start_offset(lo_node))
    return None


def _number(node: Node) -> int | float | None:
    """A constant number written as such (`3`, `-1.5`), else None."""
    negative = False
    while isinstance(node, Unary) and node.op == "-":
        negative, node = not negative, node.operand
    if isinstance(node, Literal) and type(node.value) in (int, float):
        value = typing.cast(int | float, node.value)
        return -value if negative else value
    return None


Kind = typing.Literal["whole", "decimal", "bool", "str", "list"]
"""What a checked expression gives: `compute` stores a decimal only in a decimal variable."""


def result_kind(node: Node, variables: Mapping[str, type]) -> Kind:
    """The kind of value an expression that checks clean gives. A number is "whole" when it
    cannot be anything else: whole literals and variables, visits(), round() and random(),
    and + - * min max clamp abs of whole numbers; `/` and any decimal make it "decimal"."""
    kinds: list[Kind] = []
    push, pop = kinds.append, kinds.pop
    for n in walk(node, bottom_up=True):
        match n:
            case Literal(value=value):
                push(_KINDS[type(value)])
            case Var(name=name):
                push(_KINDS.get(variables.get(name, str), "str"))
            case Call(func=func):
                push("whole" if func in ("visits", "count") else "bool")
            case Unary(op=op):
                push("bool" if op == "not" else pop())
            case Binary(op=op):
                right, left = pop(), pop()
                if op in COMPARISONS or op in ("and", "or", MEMBERSHIP):
                    push("bool")
                else:
                    push("decimal" if op == "/" or "decimal" in (left, right) else "whole")
            case Apply(func=func, args=args):
                parts = kinds[len(kinds) - len(args):]
                del kinds[len(kinds) - len(args):]
                push("whole" if func in ("round", RANDOM) or "decimal" not in parts
                     else "decimal")
    return kinds[0]


_KINDS: Mapping[type, Kind] = {bool: "bool", int: "whole", float: "decimal", str: "str",
                               tuple: "list"}


def _quote_hint(errors: list[ExprError], name: Var, list_name: str,
                items: Mapping[str, Collection[str]] | None) -> None:
    """`script in pockets` with no variable `script` but an item of that name: the
    author meant the name itself, so the "unknown variable" says to quote it."""
    declared = items.get(list_name) if items is not None else None
    if declared is None or name.name not in declared:
        return
    for i, error in enumerate(errors):
        if isinstance(error, UnknownName) and error.offset == name.offset:
            errors[i] = UnknownName(f"unknown variable '{name.name}'; to ask whether "
                                    f"'{list_name}' holds the name, quote it: "
                                    f"'\"{name.name}\" in {list_name}'", name.offset, name.name)


def _numbers(op: str, compares: bool) -> str:
    return f"'{op}' only compares numbers" if compares else f"'{op}' needs numbers"


_FAMILIES: Mapping[type, Family] = {bool: "bool", int: "number", float: "number", str: "str",
                                    tuple: "list"}


def _suggest(word: str, pool: Collection[str]) -> str:
    import difflib  # only when there is a mistake to explain: start-up time matters

    close = difflib.get_close_matches(word, list(pool), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _bool_hint(node: Node, family: Family) -> str:
    if family == "list" and isinstance(node, Var):
        return f"; did you mean 'count({node.name}) > 0'?"
    if family == "number":
        return f"; did you mean '{unparse(node)} > 0'?"
    return f"; did you mean '{unparse(node)} != \"\"'?" if family == "str" else ""
