"""What the playthrough tools read from a story's conditions before they play it.

Random runs only count the visits of scenes some condition asks about, and must evaluate the
few paragraph conditions that can fail (only division can) although they render nothing; the
exhaustive search caps each observed visit count at the largest number it is compared with.
Each of those is one pass over a condition's tree, through the expression package's walker
(`expr.walk`: every node, a parent before its children, left before right).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.story import expr
from game.story.model import Condition, Scene, Story
from game.story.scene import Template
from game.story.variations import runtime_template

if TYPE_CHECKING:
    from game.engine import Engine, GameState


@dataclass(frozen=True, slots=True)
class Reads:
    """What a story's conditions read that playing it must keep track of."""

    asked: frozenset[str]
    """The scenes whose visits some condition or compute counts (`visits(s)`, `seen(s)`)."""
    risky: dict[str, tuple[Condition, ...]]
    """Scenes whose paragraph conditions can fail at run time (only division and clamp can),
    each with those conditions in story order."""
    shows: frozenset[str] = frozenset()
    """Scenes whose other shown text can fail (format v2: a `{?COND|..}` that divides or
    clamps, in a title, a paragraph, a choice's text or reason, the ending's title): the
    tools show those through the Engine on entry (`check_shown`), as play would, since
    whether the condition is evaluated at all depends on the items picked around it. Their
    visit count, and the scenes their variations' conditions count, are in `asked`."""


def reads(story: Story) -> Reads:
    """One pass over every condition of the story (paragraphs, and choices' `if` and
    `enabled`)."""
    asked: set[str] = set()
    risky: dict[str, tuple[Condition, ...]] = {}
    shows: set[str] = set()
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
        conditions = [c for template in shown_templates(story, scene)
                      if not template.is_plain for c in template.conditions]
        if any(_scan(c, set(), paragraph=True) for c in conditions):
            shows.add(scene.id)
            asked.add(scene.id)  # which item a variation picks: the n-th visit
            for c in conditions:
                _scan(c, asked)
    return Reads(frozenset(asked), risky, frozenset(shows))


def shown_templates(story: Story, scene: Scene) -> Iterator[Template]:
    """Every text shown in a state of `scene`: its title, paragraphs, choices' texts and
    reasons, its ending's title."""
    yield from titles(story, scene)
    for paragraph in scene.paragraphs:
        yield paragraph.text
    for choice in scene.choices:
        yield choice.text
        if choice.reason is not None:
            yield choice.reason


def titles(story: Story, scene: Scene) -> Iterator[Template]:
    """The titles of a scene and its ending that hold a variation condition, parsed as the
    Engine parses them (titles are kept as written)."""
    for title in (scene.title, scene.ending.title if scene.ending is not None else ""):
        if "{?" in title:
            yield runtime_template(title, story.variables, scene.pos)


def check_shown(engine: Engine, found: Reads, state: GameState) -> None:
    """Evaluate on entering `state` what showing it evaluates and can fail, as play would
    (raises StoryRuntimeError): the one rule the reference runs, the replay of a failed run
    and the exhaustive search share (the fast runner calls it for `shows` scenes too)."""
    if state.scene in found.shows:
        engine.view(state)
    elif state.scene in found.risky:
        engine.paragraphs(engine.story.scenes[state.scene], state)


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
