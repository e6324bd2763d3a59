"""What the playthrough tools read from a story's conditions before they play it.

Random runs only count the visits of scenes some condition asks about, and must evaluate the
few paragraph conditions that can fail (only division can) although they render nothing; the
exhaustive search caps each observed visit count at the largest number it is compared with.
Each of those is one pass over a condition's tree, through the expression package's walker
(`expr.walk`: every node, a parent before its children, left before right).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from game.story import expr
from game.story.model import Condition, Story


@dataclass(frozen=True, slots=True)
class Reads:
    """What a story's conditions read that playing it must keep track of."""

    asked: frozenset[str]
    """The scenes whose visits some condition or compute counts (`visits(s)`, `seen(s)`)."""
    risky: dict[str, tuple[Condition, ...]]
    """Scenes whose paragraph conditions can fail at run time (only division and clamp can),
    each with those conditions in story order."""


def reads(story: Story) -> Reads:
    """One pass over every condition of the story (paragraphs, and choices' `if` and
    `enabled`)."""
    asked: set[str] = set()
    risky: dict[str, tuple[Condition, ...]] = {}
    for scene in story.scenes.values():
        for paragraph in scene.paragraphs:
            condition = paragraph.condition
            if condition is not None and _scan(condition, asked, paragraph=True):
                risky[scene.id] = (*risky.get(scene.id, ()), condition)
        for choice in scene.choices:
            if choice.condition is not None:
                _scan(choice.condition, asked)
            if choice.enabled is not None:
                _scan(choice.enabled, asked)
            for effect in choice.effects:
                if effect.expression is not None:
                    _scan(effect.expression, asked)
        for effect in scene.on_enter:
            if effect.expression is not None:
                _scan(effect.expression, asked)
    return Reads(frozenset(asked), risky)


def _scan(condition: Condition, asked: set[str], paragraph: bool = False) -> bool:
    """Adds the scenes whose visits a condition counts to `asked`, and, for a paragraph's
    condition, says whether it divides, in the same single pass.

    Most conditions name neither function nor `/`, which their text shows without a pass:
    on a 10,000-scene story this is a visible part of a random run's set-up.
    """
    source = condition.source
    if "visits" not in source and "seen" not in source and (
            not paragraph or ("/" not in source and "clamp" not in source)):
        return False
    divides = False
    for n in expr.walk(condition.node):
        if isinstance(n, expr.Call):
            if n.func != "has":
                asked.add(n.arg)
        elif (isinstance(n, expr.Binary) and n.op == "/") or (
                isinstance(n, expr.Apply) and n.func == "clamp"):
            divides = True  # (clamp fails when its bounds cross)
    return divides and paragraph


def visit_caps(conditions: Iterable[Condition]) -> dict[str, int | None]:
    """For each scene whose visits a condition observes: the cap, or None to count exactly.

    `visits(s) > 3` cannot tell 4 visits from 40, so counts are capped at one past the
    largest number they are compared with (`seen(s)` at 1); a count used any other way
    (`visits(a) + visits(b) > 2`) is kept exactly.
    """
    caps: dict[str, int | None] = {}

    def need(scene: str, cap: int | None) -> None:
        if scene in caps and caps[scene] is None:
            return
        caps[scene] = None if cap is None else max(caps.get(scene) or 0, cap)

    for condition in conditions:
        # visits() calls a comparison has capped, by id: each is visited next (its parent
        # comes first), and a node shared between two places is skipped only once
        compared: dict[int, int] = {}
        for n in expr.walk(condition.node):
            if isinstance(n, expr.Call):
                if n.func == "seen":
                    need(n.arg, 1)
                elif n.func == "visits":
                    if compared.get(id(n)):
                        compared[id(n)] -= 1
                    else:
                        need(n.arg, None)
            elif isinstance(n, expr.Binary) and n.op in expr.COMPARISONS:
                for side, other in ((n.left, n.right), (n.right, n.left)):
                    if (isinstance(side, expr.Call) and side.func == "visits"
                            and isinstance(other, expr.Literal)
                            and type(other.value) in (int, float)
                            and math.isfinite(float(other.value))):
                        need(side.arg, max(math.floor(float(other.value)) + 1, 1))
                        compared[id(side)] = compared.get(id(side), 0) + 1
                        break
    return caps
