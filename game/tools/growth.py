"""What keeps a number growing: the two questions a loop that adds to a number raises.

After a complete search (`growth`): a number the search capped or dropped (see
game/tools/liveness.py) hides how large it really gets, and the engine refuses an `add` that
would take a number out of its range (game/numbers.py). A loop of the state graph that adds
to such a number without setting it can be played again and again (the states of a loop
repeat exactly, so the same choices stay open), and then that `add` fails after enough
laps: a real run-time error, reported at the `add`. A loop that adds as much as it takes
away (every way round it sums to 0) cannot, and neither can a move outside every loop, since
a route takes it at most once between two `set`s.

After the budget ran out (`growing`): which parts of the states were still growing, so the
author knows what to bound. A number whose value went past what any route without a loop
can give it (its largest literal plus all its adds) was pumped by a loop, and so was a
visit count past 1; those are named, largest first.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from fractions import Fraction
from typing import TYPE_CHECKING

from game import numbers
from game.story.components import components
from game.story.model import Effect, Story
from game.tools.findings import Finding
from game.tools.liveness import Liveness, Slot

if TYPE_CHECKING:
    from game.tools.exhaustive import Search


def _adds(story: Story, liveness: Liveness) -> dict[str, list[tuple[str, int]]]:
    """Per variable with a nonzero `add` its bounds do not stop: (scene, edge index in
    `liveness.edges`) of each move with one (a return's Continue has an edge per scene it
    may return to)."""
    out: dict[str, list[tuple[str, int]]] = {}
    free: set[str] = set()
    for scene in story.scenes.values():
        for n, edge in enumerate(liveness.edges[scene.id]):
            target = story.scenes[edge.target]
            for effect in (*edge.choice.effects, *target.on_enter):
                if effect.kind == "add" and effect.value and type(effect.value) is not tuple:
                    out.setdefault(effect.target, []).append((scene.id, n))
                    if not _stopped(story, effect.target, effect.value):  # type: ignore[arg-type]
                        free.add(effect.target)
    return {name: moves for name, moves in out.items() if name in free}


def _stopped(story: Story, name: str, by: int | float) -> bool:
    """Whether a bound stops an `add` of `by` growing the number (the engine clamps it):
    a number all of whose adds are stopped so cannot grow without end."""
    var = story.variables[name]
    return var.hi is not None if by > 0 else var.lo is not None


def _first_add(effects: Iterable[Effect], name: str) -> Effect:
    return next(e for e in effects if e.kind == "add" and e.target == name and e.value
                and type(e.value) is not tuple)


def growth(search: Search) -> list[Finding]:
    """Each number a loop of the (complete) search can grow without end: one finding each.

    Only numbers the search did not keep exactly can: an exact one growing in a loop would
    have made new states until the budget ran out. Per such number, the loops are the
    strongly connected components of the state graph without the moves that set it, and a
    component can grow it when no potential (a value per state that every move changes by
    exactly what it adds) fits all its moves, that is when some way round sums to nonzero.
    """
    story = search.story
    findings: list[Finding] = []
    for name, moves in _adds(story, search.space.liveness).items():
        if not _in_a_loop(search, name, moves):
            continue
        found = _growing_loop(search, ("var", name))
        if found is None:
            continue
        i, k = found
        scene = story.scenes[search.keys[i][0]]
        choice = scene.choices[search.moves_of[k]]
        entered = story.scenes[search.keys[search.targets[k]][0]]
        effect = _first_add((*choice.effects, *entered.on_enter), name)
        findings.append(Finding(
            "error", scene.id, effect.pos,
            f"add {name}: a loop can take this move again and again, so '{name}' grows "
            f"without end and its add finally fails (numbers stay {numbers.WORDS}); give it "
            f"a bound ('{name}: {{default: ..., max: ...}}', format v2: an add then stops "
            "there), set it back inside the loop, or stop adding to it there",
            search.moves(i), laps=True))
    return findings


def _growing_loop(search: Search, slot: Slot) -> tuple[int, int] | None:
    """A move (state, edge number) that adds to the slot inside a component of the state
    graph (its moves that set the slot left out) with a way round that sums to nonzero."""
    edge = search.space.liveness.edge
    keys, first, last, targets, moves_of = (search.keys, search.first_edge, search.last_edge,
                                            search.targets, search.moves_of)

    def change(i: int, k: int) -> int | float | None:
        """What the k-th edge (of state i) does to the number: None when it sets it."""
        return edge(keys[i][0], moves_of[k], keys[targets[k]][0]).transfer.get(slot, 0)

    def successors(i: int) -> Iterator[int]:
        return (targets[k] for k in range(first[i], last[i]) if change(i, k) is not None)

    comp = components(len(keys), successors)
    potential: dict[int, Fraction] = {}
    for root in range(len(keys)):
        if root in potential:
            continue
        potential[root] = Fraction(0)
        queue = deque([root])
        consistent = True
        while queue:
            i = queue.popleft()
            for k in range(first[i], last[i]):
                j, moved = targets[k], change(i, k)
                if moved is None or comp[j] != comp[i]:
                    continue
                value = potential[i] + Fraction(moved)
                if j not in potential:
                    potential[j] = value
                    queue.append(j)
                elif potential[j] != value:
                    consistent = False
        if not consistent:
            inside = comp[root]
            return next((i, k) for i in range(len(keys)) if comp[i] == inside
                        for k in range(first[i], last[i])
                        if comp[targets[k]] == inside and change(i, k))
    return None


def _in_a_loop(search: Search, name: str, moves: Iterable[tuple[str, int]]) -> bool:
    """Whether some move that adds to `name` lies on a loop of the scene graph that never
    sets it: a cheap first filter (no state loop can hold it otherwise)."""
    liveness = search.space.liveness
    ids = list(search.story.scenes)
    number = {scene: i for i, scene in enumerate(ids)}
    slot: Slot = ("var", name)
    comp = components(len(ids), lambda i: (
        number[e.target] for e in liveness.edges[ids[i]] if e.transfer.get(slot, 0) is not None))
    return any(comp[number[scene]] == comp[number[liveness.edges[scene][i].target]]
               for scene, i in moves)


def growing(search: Search) -> list[str]:
    """After the budget ran out: the numbers and visit counts pumped by a loop, largest
    first, as `name (up to N)`."""
    story = search.story
    reach: dict[str, float] = {}
    for name, var in story.variables.items():
        if isinstance(var.default, int | float) and not isinstance(var.default, bool):
            reach[name] = abs(var.default)
    for scene in story.scenes.values():
        for effects in (scene.on_enter, *(choice.effects for choice in scene.choices)):
            for effect in effects:
                value = effect.value
                if effect.target in reach and isinstance(value, int | float):
                    if effect.kind == "add":
                        reach[effect.target] += abs(value)
                    else:
                        reach[effect.target] = max(reach[effect.target], abs(value))
    most: dict[str, int | float] = {}
    for key in search.keys:
        for name, value in search.space.slot_values(key):
            if abs(value) > most.get(name, 0):
                most[name] = abs(value)
    pumped = [(value, name) for name, value in most.items()
              if value > reach.get(name, 1)]
    return [f"{name} (up to {value:g})" for value, name in sorted(pumped, reverse=True)]
