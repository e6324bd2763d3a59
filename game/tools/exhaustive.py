"""Exhaustive search: every distinct game state, breadth first, within a budget.

Random runs show what is likely; this shows what is *possible*. When the search finishes
inside its budget, everything it did not reach is proven unreachable, and every state from
which no ending can be reached is found (an endless loop, a trap, a dead end). When the budget
runs out it says so plainly, and then it proves nothing about what it did not reach.

Two states are "the same" when nothing that decides the future can tell them apart. That is
`GameState.key()` with one refinement, without which any story with a loop would never
finish: visit counts. Counting visits to every scene makes each lap of a loop a new state,
forever. But conditions only look at a few scenes' counts, and nearly always compare them
with a number (`visits(kitchen) > 1`), so counts past the largest such number behave alike
and are capped there; scenes no condition observes are not counted at all. A count used any
other way (`visits(a) + visits(b)`) is kept exactly. Turn and history never matter. The
search stores these compact keys and rebuilds a representative state from one when it
expands it; equal parts of keys are shared and the graph is kept in flat arrays, so 200,000
states of the shipped story take about 50 MB.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import cast

from game.engine import Engine, GameState, StoryRuntimeError
from game.story.lint import conditions
from game.story.model import Pos, Story, Value
from game.tools.analysis import risky_paragraphs, visit_caps
from game.tools.coverage import Coverage
from game.tools.findings import Finding
from game.tools.trail import Move, why_hidden

Key = tuple[str, tuple[Value, ...], tuple[int, ...], frozenset[str], frozenset[str]]


@dataclass(slots=True)
class ExhaustiveReport:
    max_states: int
    states: int = 0
    complete: bool = False
    coverage: Coverage = field(default_factory=Coverage)
    """Counts are distinct states: in a scene, taking a choice, holding a fact, at an ending."""
    stuck: list[Finding] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    trapped: list[Finding] = field(default_factory=list)
    """Only when complete: the first state (per scene) from which no ending is reachable."""
    trapped_states: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.stuck or self.errors or self.trapped)


class StateSpace:
    """Turns states into compact keys and back; see the module docstring for why it is sound."""

    def __init__(self, story: Story) -> None:
        caps = visit_caps(conditions(story))
        self.names = tuple(story.variables)
        self.observed = tuple(sorted(caps))
        self.caps = tuple(caps[s] for s in self.observed)

    def key(self, state: GameState) -> Key:
        variables = state.variables
        visits = state.visits
        counts = tuple(visits.get(s, 0) if cap is None else min(visits.get(s, 0), cap)
                       for s, cap in zip(self.observed, self.caps, strict=True))
        return (state.scene, tuple(variables[n] for n in self.names), counts, state.taken,
                frozenset(state.facts))

    def state(self, key: Key, facts: tuple[str, ...]) -> GameState:
        scene, values, counts, taken, _ = key
        variables: Mapping[str, Value] = dict(zip(self.names, values, strict=True))
        visits = {s: n for s, n in zip(self.observed, counts, strict=True) if n}
        return GameState(scene, variables, visits, taken, facts)


def search(story: Story, max_states: int = 200_000) -> ExhaustiveReport:
    engine = Engine(story)
    space = StateSpace(story)
    scenes = story.scenes
    risky = risky_paragraphs(story)
    report = ExhaustiveReport(max_states)
    coverage = report.coverage
    start = engine.start()
    # Per state, by index (breadth-first order). Flat arrays, not lists of ints, and shared
    # copies of equal tuples and sets: a state costs a few hundred bytes, not kilobytes.
    shared: dict[object, object] = {}
    keys: list[Key] = [space.key(start)]
    facts_of: list[tuple[str, ...]] = [start.facts]
    parent = array("l", [-1])
    via: list[str] = [""]
    first_edge = array("l", [0])
    last_edge = array("l", [0])
    targets = array("l")  # edges: state i leads to targets[first_edge[i]:last_edge[i]]
    index: dict[Key, int] = {keys[0]: 0}
    ends = array("l")  # endings, stuck and failing states: where runs stop
    dead: set[int] = set()  # stuck or failing states: not traps of their own making
    seen_stuck: set[str] = set()
    seen_errors: set[str] = set()
    budget_hit = False

    def canonical(key: Key) -> Key:
        return cast(Key, tuple(shared.setdefault(part, part) for part in key))

    def moves(i: int) -> tuple[Move, ...]:
        out: list[Move] = []
        while parent[i] >= 0:
            before = keys[parent[i]][0]
            choice = via[i]
            out.append(Move(before, choice, keys[i][0],
                            scenes[before].next is not None and choice == "continue"))
            i = parent[i]
        out.reverse()
        return tuple(out)

    def failed(i: int, scene: str, exc: StoryRuntimeError) -> None:
        dead.add(i)
        ends.append(i)
        where = str(exc.pos)
        if where not in seen_errors:
            seen_errors.add(where)
            pos = exc.pos if isinstance(exc.pos, Pos) else scenes[scene].pos
            report.errors.append(Finding("error", scene, pos, exc.message, moves(i)))

    queue = deque([0])
    if start.scene in risky:
        try:
            engine.paragraphs(scenes[start.scene], start)
        except StoryRuntimeError as exc:
            failed(0, start.scene, exc)
            queue.clear()
    while queue:
        i = queue.popleft()
        key = keys[i]
        state = space.state(key, facts_of[i])
        scene = scenes[key[0]]
        coverage.scenes[scene.id] += 1
        for fact in key[4]:
            coverage.facts[fact] += 1
        if scene.ending is not None:
            coverage.endings[scene.ending.id] += 1
            ends.append(i)
            continue
        try:
            options = engine.choices(state)
        except StoryRuntimeError as exc:
            failed(i, scene.id, exc)
            continue
        if not options:
            dead.add(i)
            ends.append(i)
            if scene.id not in seen_stuck:
                seen_stuck.add(scene.id)
                report.stuck.append(Finding("stuck", scene.id, scene.pos, f"stuck in scene "
                                            f"'{scene.id}': no choice is available and it "
                                            "is not an ending", moves(i),
                                            tuple(why_hidden(story, state))))
            continue
        first_edge[i] = len(targets)
        for choice in options:
            if not choice.is_continue:
                coverage.choices[(scene.id, choice.id)] += 1
            after = engine.take(state, choice)
            k = space.key(after)
            j = index.get(k)
            if j is None:
                if len(keys) >= max_states:
                    budget_hit = True
                    continue
                j = len(keys)
                k = canonical(k)
                index[k] = j
                keys.append(k)
                facts_of.append(cast(tuple[str, ...],
                                     shared.setdefault(after.facts, after.facts)))
                parent.append(i)
                via.append(choice.id)
                first_edge.append(0)
                last_edge.append(0)
                if after.scene in risky:
                    try:
                        engine.paragraphs(scenes[after.scene], after)
                    except StoryRuntimeError as exc:
                        failed(j, after.scene, exc)
                        targets.append(j)
                        continue
                queue.append(j)
            targets.append(j)
        last_edge[i] = len(targets)
    report.states = len(keys)
    report.complete = not budget_hit
    if report.complete:
        edges = _Edges(first_edge, last_edge, targets)
        _find_traps(report, keys, edges, ends, dead, moves, story)
    return report


@dataclass(frozen=True, slots=True)
class _Edges:
    first: array[int]
    last: array[int]
    targets: array[int]

    def out(self, i: int) -> array[int]:
        return self.targets[self.first[i]:self.last[i]]


def _find_traps(report: ExhaustiveReport, keys: list[Key], edges: _Edges, ends: array[int],
                dead: set[int], moves: Callable[[int], tuple[Move, ...]], story: Story) -> None:
    """States from which no ending, stuck scene or error can ever be reached: endless loops.

    Each trap is reported once, at the first state (breadth first, so by the shortest route)
    that enters it; the states inside it, reachable from there, are counted, not repeated.
    """
    n = len(keys)
    # predecessors, as one flat array grouped by target (counting sort)
    starts = array("l", bytes(8 * (n + 1)))
    for j in edges.targets:
        starts[j + 1] += 1
    for i in range(n):
        starts[i + 1] += starts[i]
    fill = array("l", starts)
    sources = array("l", bytes(8 * len(edges.targets)))
    for i in range(n):
        for j in edges.out(i):
            sources[fill[j]] = i
            fill[j] += 1
    escapes = bytearray(n)
    queue = deque(ends)
    for i in ends:
        escapes[i] = 1
    while queue:
        j = queue.popleft()
        for i in sources[starts[j]:starts[j + 1]]:
            if not escapes[i]:
                escapes[i] = 1
                queue.append(i)
    covered = bytearray(n)
    for i in range(n):  # index order is breadth-first order: shortest routes first
        if escapes[i] or i in dead:
            continue
        report.trapped_states += 1
        if covered[i]:
            continue
        inside = deque([i])
        covered[i] = 1
        while inside:
            for j in edges.out(inside.popleft()):
                if not covered[j]:
                    covered[j] = 1
                    inside.append(j)
        scene = keys[i][0]
        report.trapped.append(Finding(
            "loop", scene, story.scenes[scene].pos,
            f"no ending can be reached after entering scene '{scene}' this way: the story "
            "loops forever from here", moves(i)))
