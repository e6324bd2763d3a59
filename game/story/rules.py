"""The value rules of the scene format, written once for both readers.

The quick readers (`quick.py`) and the careful ones (`elements.py`) read the same format;
they differ only in what they do when a rule is broken: the quick reader gives up (None,
and the careful one reads the node again), the careful reader reports. So each rule here
answers "is this right, and if not, what is wrong", and leaves the wording of the report to
the careful reader.
"""

from __future__ import annotations

import typing
from collections.abc import Container

from game.story.model import Value
from game.story.names import HOLE, IDENT, slugify

HoleProblem = typing.Literal["stray", "not a name", "undeclared"]
"""A stray brace, something other than a name between braces, a name not declared."""


def template_parts(text: str, variables: Container[str],
                   problems: list[tuple[int, HoleProblem, str]] | None = None,
                   ) -> tuple[str, ...] | None:
    """A text with `{variable}` holes split for `Template`: literal text at even indexes,
    variable names at odd ones; `{{` and `}}` are literal braces.

    None if any hole is wrong. Without `problems` that answer comes at the first wrong hole
    (the quick reader); with it, every wrong hole is appended as (offset, problem, the
    token or the name), in text order (the careful reader reports each one).
    """
    if "{" not in text and "}" not in text:
        return (text,)
    parts = [""]
    ok = True
    last = 0
    for match in HOLE.finditer(text):
        parts[-1] += text[last:match.start()]
        last = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            parts[-1] += token[0]
            continue
        inner = match.group(1)
        if inner is None:
            problem: tuple[HoleProblem, str] | None = ("stray", token)
            name = ""
        else:
            name = inner.strip()
            problem = (None if name in variables and IDENT.match(name)
                       else ("not a name", name) if not IDENT.match(name)
                       else ("undeclared", name))
        if problem is not None:
            if problems is None:
                return None
            ok = False
            problems.append((match.start(), *problem))
        if inner is not None:
            parts.extend((name, ""))
    parts[-1] += text[last:]
    return tuple(parts) if ok else None


def default_choice_id(text: str, taken: Container[str]) -> str:
    """A choice's id when it has none: its text (as written, holes and all) slugified, with
    _2, _3, ... after it when another choice of the scene already has that id. Stable while
    the text does not change, which is what saves need."""
    base = slugify(text)
    choice_id, n = base, 2
    while choice_id in taken:
        choice_id, n = f"{base}_{n}", n + 1
    return choice_id


AssignProblem = typing.Literal["not numbers", "decimal into whole", "wrong type"]


def assignment(kind: str, want: type, value: Value) -> tuple[Value, AssignProblem | None]:
    """Whether `set`/`add` (kind) of `value` fits a variable declared with a default of
    type `want`, and what it stores if so.

    Whole-number variables stay whole: `add: {n: 1.5}` would silently turn one into a
    decimal, so it is refused like `set: {n: 1.5}`. A whole number may be set into a decimal
    variable, and is stored as a decimal so the variable keeps its type.
    """
    got = type(value)
    if kind == "add":
        if want not in (int, float) or got not in (int, float):
            return value, "not numbers"
        return value, ("decimal into whole" if want is int and got is float else None)
    if got is want:
        return value, None
    if want is float and got is int:
        return float(value), None
    return value, "wrong type"


def within_bounds(value: Value, lo: int | float | None, hi: int | float | None) -> bool:
    """Whether a literal `set` (or expected) into a bounded number stays in its bounds
    (`{default: 0, min: 0, max: 5}`): one outside is refused, never silently clamped, as
    the author wrote that very number."""
    if (lo is None and hi is None) or isinstance(value, bool | str):
        return True
    return not ((lo is not None and value < lo) or (hi is not None and value > hi))
