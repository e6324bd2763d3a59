"""The call structure of a story (format v2's `call:`, `then:` and `return: true`).

A choice may `call` a scene instead of going to it: the game remembers where the call
returns to (its `then:`, or the calling scene itself, entered again) on a stack, and a scene
whose way on is `return: true` goes back there. The engine plays that with the stack in the
game state (game/engine/engine.py); this module works out, from the story alone, what the
checker (`lint`), the map (`graph`) and the exhaustive search's liveness need to know:

- a *frame* is what play can reach without leaving the current call: from a scene, along
  gotos and Continues, and across each nested call that can come back, to its return point
  (the callee's own scenes belong to the callee's frame, not to this one);
- `returns(e)`: some `return` is in the frame of the scene `e` (a call to it can come
  back); `ends(e)`: an ending is, or a call further down can end the story;
- `returns_to[r]`: for each return scene, the return points of the calls whose frame
  holds it (where its Continue may lead);
- `top`: the start's frame, the scenes play can reach with an empty stack.

Conditions are ignored (every choice counts as shown, except those that are always false),
so a frame holds every scene play could reach in it, and maybe more: what is said about
scenes *outside* a frame is proven, what is said about scenes inside is "may".

Everything here costs nothing for a story without calls (`Calls.of` returns None).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from game.story.model import Choice, Condition, Scene, Story

MAX_DEPTH = 16
"""How deep calls may nest: the 17th open call stops the game with a run-time error."""

Never = Callable[[Condition | None], bool]


def _never(condition: Condition | None) -> bool:
    return False


def point(scene: Scene, choice: Choice) -> str:
    """Where a call returns to: its `then`, or the calling scene itself."""
    return choice.then if choice.then is not None else scene.id


@dataclass(frozen=True, slots=True)
class Frame:
    """What one frame reaches: its scenes, the return scenes and endings among them, and
    the calls made from it, as (calling scene, choice)."""

    scenes: frozenset[str]
    returns: frozenset[str]
    endings: bool
    calls: tuple[tuple[Scene, Choice], ...]


@dataclass(frozen=True, slots=True)
class Calls:
    """The call structure of one story (see the module docstring)."""

    frames: Mapping[str, Frame]
    """By called scene: the frame a call to it opens."""
    top: Frame
    """The start scene's frame: what play reaches with nothing on the stack."""
    returns: frozenset[str]
    """The called scenes whose frame holds a `return` (a call to them can come back)."""
    ends: frozenset[str]
    """The called scenes from which the story can end, in their frame or deeper."""
    returns_to: Mapping[str, frozenset[str]]
    """By return scene: every scene its Continue may lead to."""

    @staticmethod
    def of(story: Story, never: Never | None = None) -> Calls | None:
        """The call structure, or None when the story has no calls and no returns."""
        scenes = story.scenes
        called = {c.goto for s in scenes.values() for c in s.choices if c.call}
        if not called and not any(s.returns for s in scenes.values()):
            return None  # (a story without calls pays for the line above only: ~10 ms at 10k)
        never = never or _never
        # The least fixpoint of returns(e), by a work list: when a called scene is found to
        # come back, only the frames that call it can grow (across that call), so only
        # they are walked again; each frame is walked once per scene it calls that returns,
        # and a chain of calls inside calls costs its length, not its square.
        returns: set[str] = set()
        frames = {e: frame(story, e, returns, never) for e in called}
        callers: dict[str, set[str]] = {}
        for e, f in frames.items():
            for _, c in f.calls:
                callers.setdefault(c.goto, set()).add(e)
        work = deque(e for e, f in frames.items() if f.returns)
        while work:
            e = work.popleft()
            if e in returns:
                continue
            returns.add(e)
            for x in sorted(callers.get(e, ())):
                f = frames[x] = frame(story, x, returns, never)
                for _, c in f.calls:
                    callers.setdefault(c.goto, set()).add(x)
                if f.returns and x not in returns:
                    work.append(x)
        ends = {e for e, f in frames.items() if f.endings}
        work = deque(ends)
        while work:  # a call can end the story when what it calls can
            for x in callers.get(work.popleft(), ()):
                if x not in ends:
                    ends.add(x)
                    work.append(x)
        top = frame(story, story.start, returns, never)
        returns_to: dict[str, set[str]] = {}
        for f in (*frames.values(), top):
            for scene, choice in f.calls:
                callee = frames.get(choice.goto)
                for r in callee.returns if callee is not None else ():
                    returns_to.setdefault(r, set()).add(point(scene, choice))
        return Calls(frames, top, frozenset(returns), frozenset(ends),
                     {r: frozenset(points) for r, points in returns_to.items()})


def frame(story: Story, entry: str, returns: set[str] | frozenset[str],
          never: Never = _never) -> Frame:
    """The frame a call to `entry` opens (or, for the start, the bottom one): breadth first
    along gotos and Continues, across calls to scenes in `returns` to their return points."""
    scenes = story.scenes
    seen = {entry}
    queue = deque([entry])
    back: set[str] = set()
    endings = False
    calls: list[tuple[Scene, Choice]] = []
    while queue:
        scene = scenes.get(queue.popleft())
        if scene is None:
            continue
        if scene.ending is not None:
            endings = True
        for choice in scene.choices:
            if choice.condition is not None and never(choice.condition):
                continue
            if choice.returns:
                back.add(scene.id)
                continue
            if choice.call:
                calls.append((scene, choice))
                if choice.goto not in returns:
                    continue
                goto = point(scene, choice)
            else:
                goto = choice.goto
            if goto not in seen:
                seen.add(goto)
                queue.append(goto)
    return Frame(frozenset(seen), frozenset(back), endings, tuple(calls))
