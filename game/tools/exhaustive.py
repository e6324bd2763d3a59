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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import cast

from game.engine import Engine, GameState, StoryRuntimeError
from game.story.lint import conditions
from game.story.model import Choice, Pos, Story, Value
from game.tools.analysis import reads, visit_caps
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
    """Every distinct state of `story`, breadth first, up to `max_states` of them."""
    return Search(story, max_states).run()


class Search:
    """One exhaustive search: the states found so far, the frontier, the edges, the budget.

    States are numbered in the order they are found, which is breadth-first order, so the
    route to a state read back through `parent` and `via` is a shortest one. `run` expands
    the frontier one state at a time (`expand`), each choice of it leading to a known state
    or a new one (`step`). A new state past the budget is never added; the state whose
    choice led to it is `cut`. Once the frontier is empty it counts the states and, if
    nothing was cut (the search is complete), looks for traps (`traps`). Run it once.

    Per state, by number, in flat arrays rather than lists of ints, and with equal tuples and
    sets shared: a state costs a few hundred bytes, not kilobytes.
    """

    def __init__(self, story: Story, max_states: int) -> None:
        self.story = story
        self.scenes = story.scenes
        self.engine = Engine(story)
        self.space = StateSpace(story)
        self.risky = reads(story).risky
        self.max_states = max_states
        self.report = ExhaustiveReport(max_states)
        self.shared: dict[object, object] = {}
        """One copy of each equal part of a key, and of each facts tuple."""
        self.keys: list[Key] = []
        self.facts_of: list[tuple[str, ...]] = []
        """Facts in the order they were unlocked (the key holds them as a set)."""
        self.index: dict[Key, int] = {}
        self.parent = array("l")
        """The state each was first reached from (-1 for the start)..."""
        self.via: list[str] = []
        """...and by which choice id."""
        self.first_edge = array("l")
        self.last_edge = array("l")
        self.targets = array("l")
        """Edges: state i leads to targets[first_edge[i]:last_edge[i]]."""
        self.frontier: deque[int] = deque()
        """Found and not yet expanded. Empty when `run` returns (every state found within
        the budget is expanded); the budget shows in `cut` instead."""
        self.ends = array("l")
        """Endings, stuck and failing states: where play stops."""
        self.dead: set[int] = set()
        """Stuck or failing states: not traps of their own making."""
        self.cut: set[int] = set()
        """States with a choice whose new state the budget did not allow."""
        self.seen_stuck: set[str] = set()
        self.seen_errors: set[str] = set()

    def run(self) -> ExhaustiveReport:
        start = self.engine.start()
        self.add(start, self.space.key(start), -1, "")
        while self.frontier:
            self.expand(self.frontier.popleft())
        report = self.report
        report.states = len(self.keys)
        report.complete = not self.cut
        if report.complete:
            self.traps()
        return report

    def add(self, state: GameState, key: Key, parent: int, via: str) -> int:
        """Number a state not seen before and queue it for `expand`.

        A state whose paragraphs fail on entry is found and numbered, but not expanded.
        """
        j = len(self.keys)
        k = cast(Key, tuple(self.shared.setdefault(part, part) for part in key))
        self.index[k] = j
        self.keys.append(k)
        self.facts_of.append(cast(tuple[str, ...], self.shared.setdefault(state.facts,
                                                                          state.facts)))
        self.parent.append(parent)
        self.via.append(via)
        self.first_edge.append(0)
        self.last_edge.append(0)
        if state.scene in self.risky:
            try:
                self.engine.paragraphs(self.scenes[state.scene], state)
            except StoryRuntimeError as exc:
                self.failed(j, state.scene, exc)
                return j
        self.frontier.append(j)
        return j

    def expand(self, i: int) -> None:
        """Count state i in the coverage and follow each of its choices."""
        key = self.keys[i]
        state = self.space.state(key, self.facts_of[i])
        scene = self.scenes[key[0]]
        coverage = self.report.coverage
        coverage.scenes[scene.id] += 1
        for fact in key[4]:
            coverage.facts[fact] += 1
        if scene.ending is not None:
            coverage.endings[scene.ending.id] += 1
            self.ends.append(i)
            return
        try:
            options = self.engine.choices(state)
        except StoryRuntimeError as exc:
            self.failed(i, scene.id, exc)
            return
        if not options:
            self.stuck(i, state)
            return
        self.first_edge[i] = len(self.targets)
        for choice in options:
            if not choice.is_continue:
                coverage.choices[(scene.id, choice.id)] += 1
            j = self.step(i, state, choice)
            if j is not None:
                self.targets.append(j)
        self.last_edge[i] = len(self.targets)

    def step(self, i: int, state: GameState, choice: Choice) -> int | None:
        """The number of the state a choice of state i leads to, found now or before; None
        when it is new and the budget is spent (state i is then `cut`)."""
        after = self.engine.take(state, choice)
        key = self.space.key(after)
        j = self.index.get(key)
        if j is not None:
            return j
        if len(self.keys) >= self.max_states:
            self.cut.add(i)
            return None
        return self.add(after, key, i, choice.id)

    def moves(self, i: int) -> tuple[Move, ...]:
        """The shortest route to state i."""
        keys, parent, via, scenes = self.keys, self.parent, self.via, self.scenes
        out: list[Move] = []
        while parent[i] >= 0:
            before = keys[parent[i]][0]
            choice = via[i]
            out.append(Move(before, choice, keys[i][0],
                            scenes[before].next is not None and choice == "continue"))
            i = parent[i]
        out.reverse()
        return tuple(out)

    def failed(self, i: int, scene: str, exc: StoryRuntimeError) -> None:
        """State i raised a run-time error: an end, reported once per failing place."""
        self.dead.add(i)
        self.ends.append(i)
        where = str(exc.pos)
        if where not in self.seen_errors:
            self.seen_errors.add(where)
            pos = exc.pos if isinstance(exc.pos, Pos) else self.scenes[scene].pos
            self.report.errors.append(Finding("error", scene, pos, exc.message, self.moves(i)))

    def stuck(self, i: int, state: GameState) -> None:
        """State i shows no choice and is no ending: an end, reported once per scene."""
        self.dead.add(i)
        self.ends.append(i)
        scene = self.scenes[state.scene]
        if scene.id not in self.seen_stuck:
            self.seen_stuck.add(scene.id)
            self.report.stuck.append(Finding(
                "stuck", scene.id, scene.pos, f"stuck in scene '{scene.id}': no choice is "
                "available and it is not an ending", self.moves(i),
                tuple(why_hidden(self.story, state))))

    def out(self, i: int) -> array[int]:
        """The states state i leads to."""
        return self.targets[self.first_edge[i]:self.last_edge[i]]

    def traps(self) -> None:
        """States from which no ending, stuck scene or error can ever be reached: endless loops.

        Each trap is reported once, at the first state (breadth first, so by the shortest
        route) that enters it; the states inside it, reachable from there, are counted, not
        repeated. A state the search did not explore in full (still in the frontier, or cut
        by the budget) is taken to escape, since what it leads to is unknown: so after an
        incomplete search, what this finds are loops explored in full.
        """
        n = len(self.keys)
        # predecessors, as one flat array grouped by target (counting sort)
        starts = array("l", bytes(8 * (n + 1)))
        for j in self.targets:
            starts[j + 1] += 1
        for i in range(n):
            starts[i + 1] += starts[i]
        fill = array("l", starts)
        sources = array("l", bytes(8 * len(self.targets)))
        for i in range(n):
            for j in self.out(i):
                sources[fill[j]] = i
                fill[j] += 1
        escapes = bytearray(n)
        queue = deque([*self.ends, *self.frontier, *self.cut])
        for i in queue:
            escapes[i] = 1
        while queue:
            j = queue.popleft()
            for i in sources[starts[j]:starts[j + 1]]:
                if not escapes[i]:
                    escapes[i] = 1
                    queue.append(i)
        report = self.report
        covered = bytearray(n)
        for i in range(n):  # index order is breadth-first order: shortest routes first
            if escapes[i] or i in self.dead:
                continue
            report.trapped_states += 1
            if covered[i]:
                continue
            inside = deque([i])
            covered[i] = 1
            while inside:
                for j in self.out(inside.popleft()):
                    if not covered[j]:
                        covered[j] = 1
                        inside.append(j)
            scene = self.keys[i][0]
            report.trapped.append(Finding(
                "loop", scene, self.scenes[scene].pos,
                f"no ending can be reached after entering scene '{scene}' this way: the story "
                "loops forever from here", self.moves(i)))
