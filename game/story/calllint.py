"""The checker's rules for calls (format v2's `call:`, `then:` and `return: true`).

`lint` runs these on every story that has a call or a return (`calls.Calls.of`; nothing for
one without). What `calls.py` says about scenes outside a frame is proven, so those are
errors; what it says about scenes inside one is "may", so those are warnings:

- a `return` no call can reach (in no call's frame): error, it could only ever fail;
- a `return` that the start's frame reaches too (play may get there with no call open):
  warning, the run-time error `offscreen test` would find;
- calls on a cycle (a scene's call leads, maybe through further calls, to a call of the
  same scene) where no scene of the cycle returns or ends the story: error, they can only
  go deeper until the 17th call stops the game; with a way out: warning, they may still
  nest past 16; so do chains of more than 16 calls without a cycle;
- a call to a scene that never reaches a `return`: warning, the call is a goto that leaves
  a return point open (and its `then` is never used).
"""

from __future__ import annotations

from collections.abc import Iterator

from game.story import codes
from game.story.calls import MAX_DEPTH, Calls, Never
from game.story.components import components
from game.story.diagnostics import Diagnostic
from game.story.model import Choice, Scene, Story


def call_problems(story: Story, never: Never | None = None) -> Iterator[Diagnostic]:
    """Every problem of the story's calls (nothing when it has none)."""
    calls = Calls.of(story, never)
    if calls is None:
        return
    yield from _returns(story, calls)
    endless: set[str] = set()
    cyclic: set[str] = set()
    yield from _cycles(calls, endless, cyclic)
    yield from _too_deep(calls, cyclic)
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.call and choice.goto not in calls.returns and choice.goto not in endless:
                then = f"; its then: '{choice.then}' is never used" if choice.then else ""
                yield codes.NEVER_RETURNS.at(
                    choice.goto_pos, f"call: '{choice.goto}' never comes back (no way on "
                    f"from it reaches a scene with 'return: true'){then}; if it is not meant "
                    "to return, use goto")


def _returns(story: Story, calls: Calls) -> Iterator[Diagnostic]:
    called = set().union(*(f.returns for f in calls.frames.values()))
    for scene in story.scenes.values():
        if not scene.returns:
            continue
        here = scene.choices[0].goto_pos
        if scene.id not in called:
            yield codes.RETURN_UNCALLED.at(
                here, f"scene '{scene.id}' returns, but no call can reach it: a return "
                "goes back to the scene that called, so enter it (or a scene leading to it) "
                f"with 'call: {scene.id}', not goto or next")
        elif scene.id in calls.top.returns:
            yield codes.RETURN_WITHOUT_CALL.at(
                here, f"scene '{scene.id}' returns, but it can also be reached from the "
                f"start scene '{story.start}' with no call open, and a return there stops "
                "the game with an error; reach it only through 'call:'")


def _cycles(calls: Calls, endless: set[str], cyclic: set[str]) -> Iterator[Diagnostic]:
    """Calls that lead back to a call of the same scene (the cycles of the graph of which
    called scene's frame calls which: its strongly connected components); `endless` gets
    the called scenes of the cycles without a way out, `cyclic` those of every cycle."""
    names = list(calls.frames)
    number = {e: i for i, e in enumerate(names)}
    callees = [sorted({number[c.goto] for _, c in calls.frames[e].calls}) for e in names]
    comp = components(len(names), callees.__getitem__)
    members: dict[int, list[str]] = {}
    for i, e in enumerate(names):
        members.setdefault(comp[i], []).append(e)
    done: set[int] = set()
    for i in range(len(names)):  # story order of the frames: the first call of each cycle
        if comp[i] in done or (len(members[comp[i]]) == 1 and i not in callees[i]):
            continue
        done.add(comp[i])
        cycle = set(members[comp[i]])
        cyclic |= cycle
        choice = next(c for x in sorted(cycle) for _, c in calls.frames[x].calls
                      if c.goto in cycle)
        listed = " and ".join(f"'{x}'" for x in sorted(cycle))
        if not cycle & (calls.returns | calls.ends):
            endless |= cycle
            yield codes.ENDLESS_CALLS.at(
                choice.goto_pos, f"calls recurse without end: the call to '{choice.goto}' "
                f"leads to a call of {listed} again, and no scene on the way returns or "
                f"ends the story, so play only goes deeper until the {MAX_DEPTH + 1}th "
                "open call stops the game")
        else:
            yield codes.CALLS_TOO_DEEP.at(
                choice.goto_pos, f"the call to '{choice.goto}' can lead to a call of "
                f"{listed} again before it returns: calls nest at most {MAX_DEPTH} deep, "
                "and a deeper one stops the game with an error")


def _too_deep(calls: Calls, cyclic: set[str]) -> Iterator[Diagnostic]:
    """A chain of more than MAX_DEPTH nested calls without a cycle (the scenes of cycles,
    `cyclic`, are reported by `_cycles` and not counted here), at its first call."""
    depth: dict[str, int] = {}

    def deepest(root: str) -> int:
        """1 + the deepest chain below, post order on an explicit stack (a chain may be
        longer than Python's recursion limit); on a cycle each scene counts once."""
        work = [(root, False)]
        while work:
            e, below = work.pop()
            if below:
                depth[e] = 1 + max((depth.get(c.goto, 0) for _, c in calls.frames[e].calls),
                                   default=0)
            elif e in cyclic:
                depth[e] = 0
            elif e not in depth:
                depth[e] = 0  # in progress (no cycle gets here: they are `cyclic`)
                work.append((e, True))
                work.extend((c.goto, False) for _, c in calls.frames[e].calls
                            if c.goto not in depth)
        return depth[root]

    worst: tuple[int, Scene, Choice] | None = None
    for scene, choice in calls.top.calls:
        n = deepest(choice.goto)
        if n > MAX_DEPTH and (worst is None or n > worst[0]):
            worst = (n, scene, choice)
    if worst is not None:
        n, scene, choice = worst
        yield codes.CALLS_TOO_DEEP.at(
            choice.goto_pos, f"the call to '{choice.goto}' starts a chain of {n} calls "
            f"inside each other; calls nest at most {MAX_DEPTH} deep, and a deeper one stops "
            "the game with an error")
