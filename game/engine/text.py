"""Rendering shown text: a Template's holes filled and its variations picked, purely.

The same story and state always give the same text: what a variation shows depends only on
the visits of the scene that holds the text ("the n-th visit" is `visits(this scene)`),
the variables, visits and facts its `{?COND}` reads, and for a shuffle the game's seed,
that scene, its visit count and the variation's own salt (its place and text). Nothing
here changes the state, so showing a scene twice, going back, or loading a save shows the
same text.

`Engine.render` is the entry point (plain text costs what it did before variations);
`render` here does the rest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet

from game.engine.errors import StoryRuntimeError
from game.story import lists
from game.story.expr import ExprEvalError
from game.story.model import Value
from game.story.scene import Part, Variation


def format_value(value: Value) -> str:
    """How `{name}` shows a value; a list shows the names it holds (`lists.spelled`)."""
    if isinstance(value, tuple):
        return lists.spelled(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Ten significant digits: 1000000.0 reads "1000000" and 0.1 + 0.2 reads "0.3", where
        # "%g" would say "1e+06" and repr would say "0.30000000000000004".
        return f"{value:.10g}"
    return str(value)


class Context:
    """What one text is rendered against; facts are made into a set only if a condition
    asks (`facts` is called at most once)."""

    __slots__ = ("_fact_set", "_facts", "scene", "seed", "variables", "visit", "visits")

    def __init__(self, variables: Mapping[str, Value], visits: Mapping[str, int],
                 facts: Callable[[], AbstractSet[str]], scene: str, seed: int) -> None:
        self.variables = variables
        self.visits = visits
        self._facts = facts
        self._fact_set: AbstractSet[str] | None = None
        self.scene = scene
        self.seed = seed
        self.visit = max(visits.get(scene, 0), 1)
        """The n-th visit; a text shown before its scene was entered reads as the first."""

    def facts(self) -> AbstractSet[str]:
        if self._fact_set is None:
            self._fact_set = self._facts()
        return self._fact_set


def render(parts: tuple[Part, ...], context: Context) -> str:
    """The text of a Template's parts (literal, hole, literal, ...)."""
    variables = context.variables
    out: list[str] = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(part)  # type: ignore[arg-type]
        elif type(part) is str:
            out.append(format_value(variables[part]))
        else:
            item = pick(part, context)  # type: ignore[arg-type]
            if item is not None:
                out.append(render(item, context))
    return "".join(out)


def pick(variation: Variation, context: Context) -> tuple[Part, ...] | None:
    """The item a variation shows in this context; None: nothing (a spent once-only, a
    false condition without a `no` text)."""
    items = variation.items
    kind = variation.kind
    n = context.visit
    if kind == "sequence":
        return items[min(n, len(items)) - 1]
    if kind == "cycle":
        return items[(n - 1) % len(items)]
    if kind == "once":
        return items[n - 1] if n <= len(items) else None
    if kind == "shuffle":
        return items[shuffled(context.seed, context.scene, n, variation.salt, len(items))]
    condition = variation.condition
    assert condition is not None, "an if variation always has its condition"
    try:
        holds = condition.evaluate(context.variables, context.visits, context.facts())
    except ExprEvalError as exc:
        raise StoryRuntimeError(condition.pos.shifted(exc.offset), exc.message) from None
    if holds:
        return items[0]
    return items[1] if len(items) > 1 else None


def shuffled(seed: int, scene: str, visit: int, salt: int, count: int) -> int:
    """Which of `count` items a shuffle shows: a pure function of its arguments, the same
    on every machine and in every process (no `hash()`, which Python salts per process)."""
    digest = hashlib.blake2b(f"{seed}\0{scene}\0{visit}\0{salt}".encode(),
                             digest_size=8).digest()
    return int.from_bytes(digest, "big") % count
