"""Exhaustive search: every distinct game state, breadth first, within a budget.

Random runs show what is likely; this shows what is *possible*. When the search finishes
inside its budget, everything it did not reach is proven unreachable, and every state from
which no ending can be reached is found (an endless loop, a trap, a dead end). When the budget
runs out it says so plainly (NOT PROVEN), names what kept growing (game/tools/growth.py), and
still reports the loops it explored in full; it then proves nothing about what it did not
reach.

What it proves: every scene, choice, fact and ending it reached is reachable and nothing else
is; no reachable state is stuck, fails or loops forever. Which paragraphs a scene shows and
what `{name}` prints are not claimed (they cannot change any of it, unless a paragraph's
condition can fail: those are read).

Two states are "the same" when nothing that can still happen tells them apart in those
terms. The key of a state is its scene and the slots live there (game/tools/liveness.py:
variables, visit counts, facts asked with `has()`, once marks), each number clamped to the
cut points its future reads can tell apart. That makes states in the same class behave
alike step for step: the same choices are shown, and each leads to states in the same class
again, so the classes' graph has exactly the reachable scenes, choices, stuck states, errors
and loops of the real one (`naive=True` keeps every part exactly: the slow twin the tests
compare with). Facts no condition asks about are no part of a key; fact coverage counts
the moves that unlock each one instead, which reach exactly the facts real play can. The
search stores keys and rebuilds a representative state from one when it expands it (dead
variables at their defaults); the graph is kept in flat arrays.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import cast

from game.engine import Engine, GameState, StoryRuntimeError
from game.story.model import Choice, Effect, Pos, Story, Value
from game.tools.analysis import check_shown, reads
from game.tools.coverage import Coverage
from game.tools.findings import Finding
from game.tools.growth import growing, growth
from game.tools.liveness import Bound, SlotKind, analyse
from game.tools.trail import Move, failed, why_hidden

Key = tuple[str, tuple[Value, ...], tuple[str, ...]]
"""(scene, the values of the slots live there, in the scene's layout order, the call stack:
kept exactly, as it decides where each `return` leads)."""
Layout = tuple[tuple[SlotKind, str, Bound, Bound], ...]
"""Per scene: each live slot's kind and name, and its cut points (None: exact)."""


@dataclass(slots=True)
class ExhaustiveReport:
    max_states: int
    states: int = 0
    complete: bool = False
    coverage: Coverage = field(default_factory=Coverage)
    """Counts are distinct states: in a scene, taking a choice, at an ending; for a fact,
    the distinct moves (a state and one of its choices) that unlock it."""
    stuck: list[Finding] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    trapped: list[Finding] = field(default_factory=list)
    """Loops explored in full with no way out: each one's first state (breadth first)."""
    trapped_states: int = 0
    growing: list[str] = field(default_factory=list)
    """Only when the budget ran out: what was still making new states at the end."""
    too_wide: list[str] = field(default_factory=list)
    """Choices whose `random()` outcomes were more than MAX_OUTCOMES (only the first ones
    were explored, so the search is not complete): 'file:line:col (N outcomes or more)'."""

    @property
    def failed(self) -> bool:
        return bool(self.stuck or self.errors or self.trapped)


MAX_OUTCOMES = 1024
"""The most outcomes of its `random()` calls one move is explored with (every combination
of every call's lo..hi): past it the rest are not tried and the search is not complete."""


def rolls(*effects: tuple[Effect, ...]) -> bool:
    """Whether some compute of these effects calls random()."""
    from game.story import expr

    return any(e.expression is not None and any(
        isinstance(n, expr.Apply) and n.func == expr.RANDOM for n in expr.walk(e.expression.node))
        for group in effects for e in group)


class Outcomes:
    """Every outcome of one move's `random()` calls, one `roll` per outcome, depth first.

    The first try rolls each call's lo; each call met at or after the fixed prefix then
    branches to its other values, so every combination is tried once, also when a later
    call's bounds depend on an earlier call's outcome (`random(1, random(1, 6))`)."""

    def __init__(self, limit: int = MAX_OUTCOMES) -> None:
        self.pending: list[tuple[int, ...]] = [()]
        self.limit = limit
        self.tried = 0
        self.widest = 0
        """More outcomes than `limit` were left untried (0: none were)."""

    def __iter__(self) -> Iterator[Callable[[int, int, int], int]]:
        while self.pending:
            if self.tried >= self.limit:
                self.widest = max(self.widest, self.tried + len(self.pending))
                return
            prefix = self.pending.pop()
            met: list[tuple[int, int]] = []

            def roll(lo: int, hi: int, offset: int, prefix: tuple[int, ...] = prefix,
                     met: list[tuple[int, int]] = met) -> int:
                i = len(met)
                met.append((lo, hi))
                return prefix[i] if i < len(prefix) else lo

            self.tried += 1
            yield roll
            used = list(prefix)
            for i in range(len(prefix), len(met)):
                lo, hi = met[i]
                if hi - lo >= self.limit:  # too wide to list: the rest goes untried
                    self.widest = max(self.widest, hi - lo + 1)
                    hi = lo + self.limit
                self.pending.extend((*used, value) for value in range(hi, lo, -1))
                used.append(lo)


def unlocked(*effects: tuple[Effect, ...]) -> tuple[str, ...]:
    """The facts some effects unlock, in order."""
    return tuple(e.target for group in effects for e in group if e.kind == "unlock")


class StateSpace:
    """Turns states into compact keys and back; see the module docstring for why it is sound.

    `naive` keeps everything (every variable, visit count and fact, exactly): the slow twin
    the tests hold the abstraction to, usable only where the true state space is finite.
    """

    def __init__(self, story: Story, naive: bool = False, text: bool = False) -> None:
        self.naive = naive
        self.defaults = story.defaults()
        self.liveness = analyse(story, text)
        self.layout: dict[str, Layout] = {
            scene: tuple((slot[0], slot[1], how.lo, how.hi) for slot, how in live)
            for scene, live in self.liveness.live.items()}

    def key(self, state: GameState) -> Key:
        if self.naive:
            return (state.scene, cast(tuple[Value, ...], state.key()[1:-1]), state.stack)
        values: list[Value] = []
        add = values.append
        facts: frozenset[str] | None = None
        for kind, name, lo, hi in self.layout[state.scene]:
            if kind == "var":
                value = state.variables[name]
            elif kind == "visits":
                value = state.visits.get(name, 0)
            elif kind == "fact":
                if facts is None:
                    facts = frozenset(state.facts)
                add(name in facts)
                continue
            else:
                add(name in state.taken)
                continue
            if lo is not None and value < lo:  # type: ignore[operator]
                value = _like(value, lo)
            elif hi is not None and value > hi:  # type: ignore[operator]
                value = _like(value, hi)
            add(value)
        return (state.scene, tuple(values), state.stack)

    def state(self, key: Key) -> GameState:
        """A state with that key: dead variables at their defaults, dead counts at 0."""
        scene, values, stack = key
        if self.naive:
            pairs, visits, taken, facts, seed = cast(
                tuple[tuple[tuple[str, Value], ...], tuple[tuple[str, int], ...],
                      frozenset[str], frozenset[str], int], values)
            return GameState(scene, dict(pairs), dict(visits), taken, tuple(sorted(facts)),
                             seed=seed, stack=stack)
        variables = dict(self.defaults)
        counts: dict[str, int] = {}
        held: list[str] = []
        once: list[str] = []
        for (kind, name, _, _), value in zip(self.layout[scene], values, strict=True):
            if kind == "var":
                variables[name] = value
            elif kind == "visits":
                if value:
                    counts[name] = cast(int, value)
            elif value:
                (held if kind == "fact" else once).append(name)
        return GameState(scene, variables, counts, frozenset(once), tuple(held), stack=stack)

    def slot_values(self, key: Key) -> Iterator[tuple[str, int | float]]:
        """(slot as an author writes it, value) for each slot in a key, for reports."""
        scene, values, _ = key
        if self.naive:
            return
        for (kind, name, _, _), value in zip(self.layout[scene], values, strict=True):
            if kind in ("var", "visits") and type(value) in (int, float):
                yield (name if kind == "var" else f"visits({name})"), cast(int | float, value)


def _like(value: Value, bound: int | float) -> Value:
    """A cut point standing for a value, as a float where the value was one."""
    return float(bound) if isinstance(value, float) else bound


def search(story: Story, max_states: int = 200_000, naive: bool = False,
           text: bool = False) -> ExhaustiveReport:
    """Every distinct state of `story`, breadth first, up to `max_states` of them."""
    return Search(story, max_states, naive, text).run()


class Search:
    """One exhaustive search: the states found so far, the frontier, the edges, the budget.

    States are numbered in the order they are found, which is breadth-first order, so the
    route to a state read back through `parent` and `via` is a shortest one. `run` expands
    the frontier one state at a time (`expand`), each choice of it leading to a known state
    or a new one (`step`). A new state past the budget is never added; the state whose
    choice led to it is `cut`. Once the frontier is empty it counts the states and looks
    for traps (`traps`: after a cut search, loops explored in full). Run it once.

    Per state, by number, in flat arrays rather than lists of ints: a state costs its key
    and a few dozen bytes. After a complete search, `growth` checks the one thing the key
    hides (how large a capped or dropped number really gets); after one cut by the budget,
    `growing` names what kept making new states.
    """

    def __init__(self, story: Story, max_states: int, naive: bool = False,
                 text: bool = False) -> None:
        self.story = story
        self.scenes = story.scenes
        self.engine = Engine(story, history=1)
        self.space = StateSpace(story, naive, text)
        self.unlocks = {(scene.id, choice.id): unlocked(choice.effects, story.scenes[
            choice.goto].on_enter) for scene in story.scenes.values() for choice in scene.choices}
        """The facts each move unlocks: what fact coverage counts (facts are no part of a
        key where no condition asks about them)."""
        self.found = reads(story)
        self.rolling = {scene.id for scene in story.scenes.values() if rolls(scene.on_enter)}
        """The scenes whose on_enter rolls: a move entering one rolls, whatever its goto says
        (a return's Continue enters the return point on top of the stack)."""
        self.random = {(scene.id, choice.id) for scene in story.scenes.values()
                       for choice in scene.choices if rolls(choice.effects)
                       or (not choice.returns and choice.goto in self.rolling)}
        """The moves with a random(): each of their outcomes is a move of its own (a return's
        Continue also when its return point rolls, `rolled`)."""
        self.max_states = max_states
        self.report = ExhaustiveReport(max_states)
        self.keys: list[Key] = []
        self.index: dict[Key, int] = {}
        self.parent = array("l")
        """The state each was first reached from (-1 for the start)..."""
        self.via: list[str] = []
        """...and by which choice id."""
        self.first_edge = array("l")
        self.last_edge = array("l")
        self.targets = array("l")
        """Edges: state i leads to targets[first_edge[i]:last_edge[i]]..."""
        self.moves_of = array("l")
        """...by the choices at those indexes of its scene's `choices`."""
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
        self.report.coverage.facts.update(start.facts)
        self.add(start, self.space.key(start), -1, "")
        while self.frontier:
            self.expand(self.frontier.popleft())
        report = self.report
        report.states = len(self.keys)
        report.complete = not self.cut
        self.traps()
        if report.complete:
            report.errors.extend(growth(self))
        else:
            report.growing = growing(self)
        return report

    def add(self, state: GameState, key: Key, parent: int, via: str) -> int:
        """Number a state not seen before and queue it for `expand`.

        A state whose paragraphs fail on entry is found and numbered, but not expanded.
        """
        j = len(self.keys)
        self.index[key] = j
        self.keys.append(key)
        self.parent.append(parent)
        self.via.append(via)
        self.first_edge.append(0)
        self.last_edge.append(0)
        if state.scene in self.found.risky or state.scene in self.found.shows:
            try:
                check_shown(self.engine, self.found, state)
            except StoryRuntimeError as exc:
                self.failed(j, state.scene, exc)
                return j
        self.frontier.append(j)
        return j

    def expand(self, i: int) -> None:
        """Count state i in the coverage and follow each of its choices."""
        key = self.keys[i]
        state = self.space.state(key)
        scene = self.scenes[key[0]]
        coverage = self.report.coverage
        coverage.scenes[scene.id] += 1
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
        order = {choice.id: n for n, choice in enumerate(scene.choices)}
        for choice in options:
            if not choice.is_continue:
                coverage.choices[(scene.id, choice.id)] += 1
            outcomes = Outcomes() if self.rolled(state, choice) else None
            for roll in outcomes or (None,):
                try:
                    j = self.step(i, state, choice, roll)
                except StoryRuntimeError as exc:  # an add left the range, a compute failed
                    self.failed(i, scene.id, exc, failed(state, choice))
                    continue
                coverage.facts.update(self.unlocks[(scene.id, choice.id)] if not choice.returns
                                      else unlocked(self.scenes[state.stack[-1]].on_enter))
                if j is not None:
                    self.targets.append(j)
                    self.moves_of.append(order[choice.id])
            if outcomes is not None and outcomes.widest:
                self.cut.add(i)
                where = f"{choice.pos} ({outcomes.widest} outcomes or more)"
                if where not in self.report.too_wide:
                    self.report.too_wide.append(where)
        self.last_edge[i] = len(self.targets)

    def rolled(self, state: GameState, choice: Choice) -> bool:
        """Whether taking `choice` in `state` calls random(): in its effects or on entering
        the scene it leads to, which for a return is the return point it pops."""
        if (state.scene, choice.id) in self.random:
            return True
        return choice.returns and bool(state.stack) and state.stack[-1] in self.rolling

    def step(self, i: int, state: GameState, choice: Choice,
             roll: Callable[[int, int, int], int] | None = None) -> int | None:
        """The number of the state a choice of state i leads to (with `roll`: in that
        outcome of its random() calls), found now or before; None when it is new and the
        budget is spent (state i is then `cut`)."""
        after = self.engine.take(state, choice, roll)
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
                            scenes[before].continues and choice == "continue"))
            i = parent[i]
        out.reverse()
        return tuple(out)

    def failed(self, i: int, scene: str, exc: StoryRuntimeError,
               move: Move | None = None) -> None:
        """State i raised a run-time error, or `move` from it did: an end, reported once
        per failing place, the failing move last on its route."""
        self.dead.add(i)
        self.ends.append(i)
        where = str(exc.pos)
        if where not in self.seen_errors:
            self.seen_errors.add(where)
            pos = exc.pos if isinstance(exc.pos, Pos) else self.scenes[scene].pos
            moves = self.moves(i) if move is None else (*self.moves(i), move)
            self.report.errors.append(Finding("error", scene, pos, exc.message, moves))

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
