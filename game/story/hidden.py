"""Can every choice of a scene be hidden (or locked) at once? A small search for an example.

Lint's stuck-scene warning (OS710, OS752) asks it of a scene whose every choice has an `if`
or an `enabled`: it tries each combination of a few telling values of the names those
conditions read (a number's default and the literals it is compared with, plus and minus
one, inside its bounds; both truth values of a fact; every set of a short list's names) and
returns the first under which nothing can be taken, worded for the message. It lives apart
from lint.py because it is the one part of lint that evaluates conditions.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from game.story import expr, lists
from game.story.model import Choice, Story, Value

if TYPE_CHECKING:
    from game.story.lint import Known

MAX_COMBINATIONS = 4096
"""How many value combinations the stuck-scene check tries before it gives up quietly."""
_LIST_CANDIDATES = 4
"""A list of at most this many items is tried with every set of its names (16)."""


def _candidates(story: Story, kind: str, name: str, literals: list[Value],
                scene: str) -> list[Value]:
    if kind == "fact":
        return [False, True]
    if kind == "scene":  # visit counts; a scene's own choices show once it was entered
        return [1, 2] if name == scene else [0, 1, 2]
    variable = story.variables[name]
    default = variable.default
    if variable.items is not None:  # a list: every set of its names, while they are few
        if len(variable.items) > _LIST_CANDIDATES:
            return list(dict.fromkeys([default, (), variable.items]))
        return [lists.ordered(variable.items, chosen)
                for size in range(len(variable.items) + 1)
                for chosen in itertools.combinations(variable.items, size)]
    if isinstance(default, bool):
        return [False, True]
    if isinstance(default, (int, float)):
        numbers = {default}
        for lit in literals:
            if isinstance(lit, (int, float)) and not isinstance(lit, bool):
                numbers.update((lit - 1, lit, lit + 1))
        # a bounded number (format v2) never holds a value outside its bounds
        return sorted(n for n in numbers if (variable.lo is None or n >= variable.lo)
                      and (variable.hi is None or n <= variable.hi))
    return list(sorted({default, *(lit for lit in literals if isinstance(lit, str)), ""}))


def all_hidden(story: Story, choices: Iterable[Choice], known: Known,
                scene: str) -> str | None:
    """A small assignment of the referenced names under which no choice can be taken (each
    hidden by its `if` or locked by its `enabled`), if any."""
    gates = [(c.condition, c.enabled) for c in choices]
    conditions = [c for gate in gates for c in gate if c is not None]
    refs = sorted({name for c in conditions for name in known.names(c)})
    literals = [lit for c in conditions for lit in known.literals(c)]
    domains = [_candidates(story, kind, name, literals, scene) for kind, name in refs]
    total = 1
    for domain in domains:
        total *= len(domain)
    if total > MAX_COMBINATIONS:
        return None
    base = story.defaults()
    for combo in itertools.product(*domains):
        variables = dict(base)
        visits: dict[str, int] = {}
        facts: set[str] = set()
        for (kind, name), value in zip(refs, combo, strict=True):
            if kind == "variable":
                variables[name] = value
            elif kind == "scene":
                visits[name] = int(value)  # type: ignore[arg-type]  # visit counts
            elif value:
                facts.add(name)
        try:
            if not any((shown is None or shown.evaluate(variables, visits, facts))
                       and (enabled is None or enabled.evaluate(variables, visits, facts))
                       for shown, enabled in gates):
                return ", ".join(_describe(kind, name, value)
                                 for (kind, name), value in zip(refs, combo, strict=True))
        except expr.ExprEvalError:
            continue
    return None


def _describe(kind: str, name: str, value: Value) -> str:
    if kind == "fact":
        return f"{'' if value else 'not '}has({name})"
    if kind == "scene":
        return f"visits({name}) = {value}"
    if isinstance(value, tuple):
        return f"{name} = [{', '.join(value)}]"
    return f"{name} = {expr.literal_text(value)}"
