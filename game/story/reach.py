"""Where a story's choices lead: the scene graph the checks and `graph` walk.

Conditions are ignored except those that are always false (`Never`): whether a scene can be
reached under some values is what `offscreen test --exhaustive` settles, not a static walk.
A call (format v2) leads to its scene and, on return, to its `then:` (or back to the
calling scene).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from game.story import expr
from game.story.model import Choice, Condition, Scene, Story

Never = Callable[[Condition | None], bool]
"""Whether a choice's condition is always false, so the choice is never shown."""


def always_false(condition: Condition | None) -> bool:
    """The plain `Never` (lint's `Known.never` is this, kept per condition text)."""
    return condition is not None and expr.constant_value(condition.node) is False


def reachable_scenes(story: Story, never: Never | None = None, roots: Iterable[str] = (),
                     ways: Callable[[str], Iterable[str]] | None = None) -> set[str]:
    """Scenes some path leads to (from the start, and from any `roots`), ignoring
    conditions except those that are always false. `ways`: each scene's `ways_on`, worked
    out already (lint keeps them per scene)."""
    never = never or always_false
    if ways is None:
        def ways(name: str) -> Iterable[str]:
            scene = story.scenes.get(name)
            return ways_on(scene, never) if scene is not None else ()
    seen = {story.start, *roots}
    queue = deque(seen)
    while queue:
        for target in ways(queue.popleft()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def ways_on(scene: Scene, never: Never) -> tuple[str, ...]:
    """The scenes a scene's choices lead to, but those hidden or locked for good (`closed`),
    and where a call's `then:` returns to (format v2)."""
    ways: list[str] = []
    thens: list[str] = []
    for choice in scene.choices:  # (one pass: lint runs it for every scene)
        if (choice.condition is not None or choice.enabled is not None) \
                and closed(choice, never):
            continue
        ways.append(choice.goto)
        if choice.then is not None:
            thens.append(choice.then)
    return tuple(ways + thens) if thens else tuple(ways)


def closed(choice: Choice, never: Never) -> bool:
    """Never takeable: hidden (`if`) or locked (`enabled`) by a condition always false."""
    return ((choice.condition is not None and never(choice.condition))
            or (choice.enabled is not None and never(choice.enabled)))


def revisitable(story: Story, start: str) -> bool:
    """Some path of choices leads from `start` back to it (conditions aside)."""
    seen: set[str] = set()
    queue = deque(next_scenes(start, c) for c in story.scenes[start].choices)
    while queue:
        for current in queue.popleft():
            if current == start:
                return True
            if current in seen or current not in story.scenes:
                continue
            seen.add(current)
            queue.extend(next_scenes(current, c) for c in story.scenes[current].choices)
    return False


def next_scenes(scene: str, choice: Choice) -> tuple[str, ...]:
    """The scenes a choice may lead to next: its goto, and for a call the scene its return
    comes back to (its then, or the calling scene, entered again)."""
    if choice.call:
        return (choice.goto, choice.then or scene)
    return (choice.goto,)
