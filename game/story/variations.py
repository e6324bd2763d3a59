"""The template language of shown text, parsed once: `{name}` holes, `{{`/`}}` braces, and
format v2's variations `{a|b}` `{&a|b}` `{!a|b}` `{~a|b}` `{?COND|yes|no}`.

Both readers call `parse`: the quick one without `problems` (None at the first doubt, so
the careful one reads the node again), the careful one with a list it then reports, each
problem at its offset in the text. Most text has no braces at all, and most of the rest
only v1 holes: those take the flat scan (`_flat`, one regex) and never build the variation
parser, so a v1 story loads as fast as before.

The rules, as docs/writing-scenes.md tells authors:
- outside any variation `{{` and `}}` are literal braces (v1); inside one, every `{` opens
  and every `}` closes, so `{a|{b|c}}` closes both;
- a hole with a `|` at its own level, or starting with one of the marks `& ! ~ ?`, is a
  variation; any other hole is a variable's name;
- `{?COND|yes|no}`: COND is the condition language, read up to the first `|` (it may not
  hold braces), and never `random()`: showing text never changes anything;
- variations nest at most `MAX_NESTING` deep (input is bounded; so is rendering).

Picking an item is the engine's (`game/engine/text.py`); the items are kept as Template
parts, so rendering an item is rendering a text.
"""

from __future__ import annotations

import re
import typing
import zlib
from collections.abc import Callable, Container

from game.story.model import Pos
from game.story.names import HOLE, IDENT
from game.story.scene import Condition, Part, Template, Variation

Problem = typing.Literal[
    "stray",          # a lone { or } (OS401)
    "not a name",     # {two words} (OS402)
    "undeclared",     # {nmae} (OS403)
    "unclosed",       # {a|b with no } (OS420)
    "sigil",          # {%a|b}: a mark that is none of & ! ~ ? (OS421)
    "empty condition",  # {?|a} (OS422)
    "random",         # {?random(1, 2) > 1|..} (OS423)
    "no text",        # {?COND} (OS424)
    "too many",       # {?COND|a|b|c} (OS425)
    "too deep",       # nesting past MAX_NESTING (OS426)
    "empty",          # {&} {~} {!} (OS427)
    "condition",      # {?COND|..} whose COND the condition rules refuse (OS404-OS408)
]
"""What can be wrong in a text; each is reported by the careful reader with its code."""

MAX_NESTING = 16
"""How deep variations may nest: far beyond what reads well, and it bounds the recursion."""

SIGILS: dict[str, typing.Literal["cycle", "once", "shuffle", "if"]] = {
    "&": "cycle", "!": "once", "~": "shuffle", "?": "if"}
MISSPELT = {"%": None, "$": None, "^": "&", "*": None, "@": None, "=": None, "\\": None,
            "/": "?", "`": "~", "¿": "?", "¡": "!"}
"""Marks read as a misspelt sigil when a variation starts with one (`{%a|b}`), with the
sigil most likely meant where there is one (a neighbour on the keyboard, `/` for `?`).
No digit or letter is here: those start text ("{1 cup|2 cups}")."""
SIGIL_WORDS = "& (cycle), ! (once only), ~ (shuffle) or ? (condition); none for a sequence"

_VARIED = re.compile(r"\||\{[&!~?]")
"""Text that may hold a variation: anything else takes the flat scan."""
_RANDOM = re.compile(r"\brandom\s*\(")
_SPECIAL = re.compile(r"[{}|]")
_CONDITION_END = re.compile(r"[|}]")

ConditionMaker = Callable[[str, int], "Condition | None"]
"""(source, offset of the source in the text) -> the compiled condition, or None when the
condition rules refuse it. It reports nothing: the parse records a "condition" problem
(token: the source), and the careful reader then says what is wrong with it."""

Found = list[tuple[int, Problem, str]]
"""Problems as (offset in the text, what, the token or name), in text order."""


class _Fail(Exception):
    """The quick parse gives up at the first problem."""


def parse(text: str, variables: Container[str], problems: Found | None = None,
          condition: ConditionMaker | None = None) -> tuple[Part, ...] | None:
    """A text split for `Template`: literal text at even indexes, at odd ones a variable
    name or a `Variation`; `{{` and `}}` are literal braces.

    None if anything is wrong. Without `problems` that answer comes at the first problem
    (the quick reader); with it, every problem is appended as (offset, what, token), and
    a condition the `condition` maker refused makes the answer None too. Without a
    `condition` maker, `{?..}` cannot be read (None, or a problem each).
    """
    if "{" not in text and "}" not in text:
        return (text,)
    if _VARIED.search(text) is None:
        return _flat(text, variables, problems)
    parser = _Parser(text, variables, problems, condition)
    try:
        parts = parser.items(0, 0, top=True)[0][0]
    except _Fail:
        return None
    return parts if parser.ok else None


def _flat(text: str, variables: Container[str], problems: Found | None,
          ) -> tuple[Part, ...] | None:
    """v1's holes only (no `|`, no sigil): one regex over the text."""
    parts: list[Part] = [""]
    ok = True
    last = 0
    for match in HOLE.finditer(text):
        parts[-1] += text[last:match.start()]  # type: ignore[operator]
        last = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            parts[-1] += token[0]  # type: ignore[operator]
            continue
        inner = match.group(1)
        if inner is None:
            problem: tuple[Problem, str] | None = ("stray", token)
            name = ""
        else:
            name = inner.strip()
            problem = _name_problem(name, variables)
        if problem is not None:
            if problems is None:
                return None
            ok = False
            problems.append((match.start(), *problem))
        if inner is not None:
            parts.extend((name, ""))
    parts[-1] += text[last:]  # type: ignore[operator]
    return tuple(parts) if ok else None


def _name_problem(name: str, variables: Container[str]) -> tuple[Problem, str] | None:
    if not IDENT.match(name):
        return ("not a name", name)
    return None if name in variables else ("undeclared", name)


class _Parser:
    """A recursive descent over one text; `items` reads the items of one level."""

    def __init__(self, text: str, variables: Container[str], problems: Found | None,
                 condition: ConditionMaker | None) -> None:
        self.text = text
        self.variables = variables
        self.problems = problems
        self.condition = condition
        self.ok = True

    def problem(self, offset: int, what: Problem, token: str) -> None:
        if self.problems is None:
            raise _Fail
        self.ok = False
        self.problems.append((offset, what, token))

    def items(self, i: int, depth: int, top: bool = False,
              ) -> tuple[list[tuple[Part, ...]], int, bool]:
        """The `|`-separated items from i to the `}` closing this level (the text's end at
        the top, where `|` is plain text), the index after it, and whether it was closed."""
        text = self.text
        n = len(text)
        out: list[tuple[Part, ...]] = []
        parts: list[Part] = [""]
        while i < n:
            c = text[i]
            if c == "{":
                if top and text.startswith("{{", i):
                    parts[-1] += "{"  # type: ignore[operator]
                    i += 2
                    continue
                hole, i = self.hole(i, depth + 1)
                if hole is not None:
                    parts.extend((hole, ""))
            elif c == "}":
                if not top:
                    out.append(tuple(parts))
                    return out, i + 1, True
                if text.startswith("}}", i):
                    parts[-1] += "}"  # type: ignore[operator]
                    i += 2
                else:
                    self.problem(i, "stray", "}")
                    i += 1
            elif c == "|" and not top:
                out.append(tuple(parts))
                parts = [""]
                i += 1
            else:
                found = _SPECIAL.search(text, i + 1)
                j = n if found is None else found.start()
                parts[-1] += text[i:j]  # type: ignore[operator]
                i = j
        out.append(tuple(parts))
        return out, n, False

    def hole(self, i: int, depth: int) -> tuple[Part | None, int]:
        """The hole opening at i: a variable's name or a Variation (None if it is wrong),
        and the index after it."""
        text = self.text
        found = len(self.problems) if self.problems is not None else 0
        if depth > MAX_NESTING:
            self.problem(i, "too deep", text[i:i + 20])
            raise _Fail  # the rest of the text would only repeat the problem
        mark = text[i + 1] if i + 1 < len(text) else ""
        kind = SIGILS.get(mark)
        begin = i + 2 if kind is not None else i + 1
        condition: Condition | None = None
        refused = False
        if kind == "if":
            stop = _CONDITION_END.search(text, begin)
            end = len(text) if stop is None else stop.start()
            source = text[begin:end]
            condition, refused = self.read_condition(source, begin)
            begin = end + 1 if end < len(text) and text[end] == "|" else end
            items: list[tuple[Part, ...]]
            if end < len(text) and text[end] == "}":
                items, after, closed = [], end + 1, True
            else:
                items, after, closed = self.items(begin, depth)
        else:
            items, after, closed = self.items(begin, depth)
        if not closed:
            if kind is None and len(items) == 1:  # no variation: a lone brace, as in v1
                if self.problems is not None:  # (the text is read again from i + 1)
                    del self.problems[found:]
                self.problem(i, "stray", "{")
                return None, i + 1
            self.problem(i, "unclosed", text[i:i + 20])
            return None, after
        source = text[i:after]
        if kind is None and len(items) == 1:
            item = items[0]
            if len(item) > 1:  # holes inside a hole that is no variation: {x{y}}
                self.problem(i, "not a name", source[1:-1].strip())
                return None, after
            name = typing.cast(str, item[0]).strip()
            problem = _name_problem(name, self.variables)
            if problem is not None:
                self.problem(i, *problem)
                return None, after
            return name, after
        if kind is None:
            first = items[0][0]
            misspelt = typing.cast(str, first)[:1]
            if misspelt in MISSPELT:
                self.problem(i + 1, "sigil", misspelt)
                return None, after
        if kind == "if":
            if not items:
                self.problem(i, "no text", source)
                return None, after
            if len(items) > 2:
                self.problem(i, "too many", source)
                return None, after
        elif len(items) == 1 and items[0] == ("",):
            self.problem(i, "empty", source)
            return None, after
        if refused or (kind == "if" and condition is None):
            return None, after
        salt = zlib.crc32(f"{i}:{source}".encode())
        return Variation(kind or "sequence", tuple(items), condition, salt, source), after

    def read_condition(self, source: str, offset: int) -> tuple[Condition | None, bool]:
        """The `{?COND|..}` condition, and whether it was refused (reported already)."""
        if not source.strip():
            self.problem(offset, "empty condition", source)
            return None, True
        found = _RANDOM.search(source)
        if found is not None:
            self.problem(offset + found.start(), "random", source)
            return None, True
        if self.condition is None:
            self.problem(offset, "empty condition", source)
            return None, True
        made = self.condition(source, offset)
        if made is None:
            self.problem(offset, "condition", source)
            return None, True
        return made, False


def runtime_template(text: str, variables: Container[str], pos: Pos) -> Template:
    """A text the loader has checked but keeps as written (the titles of scenes and
    endings), parsed for the engine when first shown; its conditions are compiled as the
    loader's are, and placed at `pos` (the scene) for a run-time error."""
    from game.story import expr  # the engine has it loaded already

    def condition(source: str, offset: int) -> Condition | None:
        try:  # (lint reads the titles of a story with errors too)
            tree = expr.parse(source)
            return Condition(source, tree, pos, expr.compile_expr(tree))
        except expr.ExprError:
            return None

    parts = parse(text, variables, None, condition)
    return Template(parts if parts is not None else (text,))
