"""Random playthroughs: many seeded runs through the real engine, counted for coverage.

Modelled on ChoiceScript's randomtest. Run i uses its own `random.Random(seed + i)`, never the
global generator, so a report is the same on every machine and a test never disturbs another.
Authors run thousands of these on every edit, so the hot loop is not `Engine.choices` +
`Engine.take` (which build two immutable states per step, for undo and saves that random
runs never use) but the same rules applied to one mutable state per run: the story's own
compiled conditions, effects in the same order, visits counted the same way. Three things
keep it honest. The reference loop, `random_runs(..., reference=True)`, drives the real
`Engine` at every step (picking among its visible choices in the same order as the fast loop,
see `_shown_first`), and the tests demand identical coverage from both, run for run, on
every fixture, the shipped story and a generated one. Every problem a fast run finds is
replayed through the real `Engine`, which must fail the same way, and the report is built
from that replay. And nothing is rendered: paragraph conditions are not needed to move, but
one that divides can still fail in play, so those few are evaluated on entry.

Two strategies: `uniform` picks any visible choice with equal odds, like a curious player;
`least-taken` prefers the choices taken least often so far across all runs, which drives runs
into rare branches much sooner. It picks each visible choice with odds 1/(1+n)^2, n being how
often that choice has been taken so far. Strictly taking the least-taken choice was tried and
rejected: runs then march in lockstep (a round robin over every scene at once), and a branch
that needs two particular choices made in the same run can be missed forever; on the shipped
story it never reached one scene in 2000 runs, where the weighted odds reach everything in
about 30. With least-taken a run depends on the runs before it, so a problem is reported with
its exact route, replayable as a scripted playthrough, as well as its seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from game import collector
from game.engine import Engine, GameState, StoryRuntimeError
from game.story import expr
from game.story.expr import Evaluator, ExprEvalError
from game.story.model import Choice, Condition, Effect, Pos, Story, Value
from game.tools.coverage import Coverage
from game.tools.trail import Move, loop_of, route, why_hidden

Strategy = Literal["uniform", "least-taken"]
STRATEGIES: tuple[Strategy, ...] = ("uniform", "least-taken")
ProblemKind = Literal["stuck", "error", "loop"]


@dataclass(frozen=True, slots=True)
class Problem:
    """A run that did not reach an ending, with everything needed to reproduce it."""

    kind: ProblemKind
    run: int
    seed: int
    scene: str
    pos: Pos
    message: str
    moves: tuple[Move, ...]
    details: tuple[str, ...] = ()


@dataclass(slots=True)
class RandomReport:
    runs: int
    seed: int
    strategy: Strategy
    max_steps: int
    coverage: Coverage = field(default_factory=Coverage)
    problems: list[Problem] = field(default_factory=list)
    endings_reached: int = 0
    steps: int = 0
    longest: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def risky_paragraphs(story: Story) -> dict[str, tuple[Condition, ...]]:
    """Scenes whose paragraph conditions can fail at run time (only division can)."""
    out: dict[str, tuple[Condition, ...]] = {}
    scenes_asked: set[str] = set()  # `_scan` notes these too; not wanted here
    for scene in story.scenes.values():
        risky = tuple(p.condition for p in scene.paragraphs
                      if p.condition is not None
                      and _scan(p.condition, scenes_asked, paragraph=True))
        if risky:
            out[scene.id] = risky
    return out


def random_runs(story: Story, runs: int, seed: int = 0, strategy: Strategy = "least-taken",
                max_steps: int = 1000, reference: bool = False) -> RandomReport:
    """Play `runs` random games; every problem is kept, coverage is summed over all runs.

    `reference=True` drives the `Engine` itself at every step: slower, and the yardstick the
    fast loop is tested against.
    """
    report = RandomReport(runs, seed, strategy, max_steps)
    loop = _engine_runs if reference else _fast_runs
    with collector.paused():  # see below
        for _ in loop(story, report):
            pass
    return report


# Why the collector is paused during the runs: they allocate no cycles (only states, sets and
# lists that refcounting frees), but they do allocate lists at every step and the fast loop
# builds ~100,000 small tuples on the way, so the collector kept starting and walking those
# tables again and again, for nothing: an eighth of the time of 3,000 runs of the benchmark
# story. Whatever cycles might appear anyway are only deferred: collected once it restarts.


def weighted_pick(counts: Sequence[int], point: float) -> int:
    """The least-taken rule: index i with odds 1/(1+counts[i])^2; `point` is uniform in [0,1)."""
    weights = [1.0 / (1 + n) ** 2 for n in counts]
    point *= sum(weights)
    for i, weight in enumerate(weights):
        point -= weight
        if point < 0:
            return i
    return len(weights) - 1


# -- the fast loop ----------------------------------------------------------------------------

_SET, _ADD, _UNLOCK = 0, 1, 2
_KINDS = {"set": _SET, "add": _ADD, "unlock": _UNLOCK}
_Op = tuple[int, str, Value]
_Entry = tuple[int, "Evaluator | None", "str | None"]
"""A choice that may be hidden: (its move number, condition or None, `once` key or None)."""
_Arrival = tuple["str | None", "tuple[_Op, ...] | None", "tuple[Evaluator, ...] | None", bool]
"""What entering a scene does beyond choosing: (its id if some condition counts its visits,
on_enter effects, risky paragraph conditions, whether it is an ending)."""
_Row = tuple["tuple[int, ...] | None", "tuple[tuple[int, ...], tuple[_Entry, ...]]",
             "_Arrival | None"]
"""A scene: (its move numbers if none can be hidden, else None; the moves always shown and
the entries to test, shared empty ones when none can be hidden; what arriving does, or None
when it only offers choices: about half of all steps, so they skip the rest)."""


_NOTHING_TO_TEST: tuple[tuple[int, ...], tuple[_Entry, ...]] = ((), ())
"""The second part of every row whose choices are all always shown: one shared object."""


def _ops(effects: tuple[Effect, ...]) -> tuple[_Op, ...] | None:
    if not effects:  # most choices have none; no generator for them
        return None
    return tuple([(_KINDS[e.kind], e.target, e.value) for e in effects])


class _Compiled:
    """The story as one row per scene number, each built the first time a run enters it.

    Random runs on a big story are bound by memory more than by Python: the same loop runs at
    twice the dict walk's relative speed on a 1,000-scene story as on a 10,000-scene one. So
    a choice is a number (a "move") into flat, parallel lists (where it goes, its effects and
    `once` key if it has either, how often it was taken) rather than an object of its own:
    fewer, smaller and adjacent things for each step to touch. Rows are built lazily because
    runs seldom reach every scene (3,000 runs of the 10,000-scene benchmark story enter 58% of
    them).

    Two counts the loop would otherwise keep per step are derived afterwards: entries into a
    scene are the times a move leading there was taken (plus one per run for the start), and
    visits are only counted for the scenes some condition asks about (`visits`, `seen`),
    which is why every condition is scanned up front.
    """

    def __init__(self, story: Story) -> None:
        self.story = story
        self.ids = ids = list(story.scenes)
        self.number = number = {scene_id: i for i, scene_id in enumerate(ids)}
        self.start = number[story.start]
        self.asked: set[str] = set()
        self.risky: dict[str, tuple[Condition, ...]] = {}
        asked, risky = self.asked, self.risky
        for scene in story.scenes.values():
            for paragraph in scene.paragraphs:
                condition = paragraph.condition
                if condition is not None and _scan(condition, asked, paragraph=True):
                    risky[scene.id] = (*risky.get(scene.id, ()), condition)
            for choice in scene.choices:
                if choice.condition is not None:
                    _scan(choice.condition, asked)
        self.rows: list[_Row | None] = [None] * len(ids)
        # by move number:
        self.gotos: list[int] = []
        self.extras: list[tuple[tuple[_Op, ...] | None, str | None] | None] = []
        """(effects or None, `once` key or None), or None for the usual choice with neither."""
        self.counts: list[int] = []
        """Times each move was taken, across all runs."""
        self.choices: list[tuple[str, Choice]] = []
        """(scene id, choice): for the report, never touched by the loop."""

    def row(self, here: int) -> _Row:
        scene_id = self.ids[here]
        scene = self.story.scenes[scene_id]
        moves: list[int] = []
        fixed: list[int] = []
        entries: list[_Entry] = []
        for choice in scene.choices:
            move = len(self.gotos)
            once = f"{scene_id}/{choice.id}" if choice.once else None
            self.gotos.append(self.number[choice.goto])
            ops = _ops(choice.effects)
            self.extras.append(None if ops is None and once is None else (ops, once))
            self.counts.append(0)
            self.choices.append((scene_id, choice))
            moves.append(move)
            condition = choice.condition
            if condition is None and once is None:
                fixed.append(move)
            else:
                entries.append((move, None if condition is None else condition.evaluate, once))
        hazards = self.risky.get(scene_id)
        arrival = (scene_id if scene_id in self.asked else None, _ops(scene.on_enter),
                   None if hazards is None else tuple(c.evaluate for c in hazards),
                   scene.ending is not None)
        # Unpacking a row touches all three parts, so the parts a step will not use are the
        # shared None and () rather than objects of their own somewhere else in memory.
        extra = None if arrival == (None, None, None, False) else arrival
        row: _Row = ((None, (tuple(fixed), tuple(entries)), extra) if entries
                     else (tuple(moves), _NOTHING_TO_TEST, extra))
        self.rows[here] = row
        return row


def _scan(condition: Condition, asked: set[str], paragraph: bool = False) -> bool:
    """Adds the scenes whose visits a condition counts (`visits(s)`, `seen(s)`) to `asked`,
    and says whether it divides (`risky_paragraphs`, in the same single walk). Most
    conditions name neither function nor `/`, which their text shows without a walk."""
    source = condition.source
    if "visits" not in source and "seen" not in source and (not paragraph or "/" not in source):
        return False
    divides = False
    stack = [condition.node]
    while stack:
        n = stack.pop()
        kind = type(n)
        if kind is expr.Binary:
            divides = divides or n.op == "/"  # type: ignore[union-attr]
            stack.append(n.left)  # type: ignore[union-attr]
            stack.append(n.right)  # type: ignore[union-attr]
        elif kind is expr.Unary:
            stack.append(n.operand)  # type: ignore[union-attr]
        elif kind is expr.Call and n.func != "has":  # type: ignore[union-attr]
            asked.add(n.arg)  # type: ignore[union-attr]
    return divides


def _fast_runs(story: Story, report: RandomReport) -> Iterator[None]:
    c = _Compiled(story)
    rows, build = c.rows, c.row
    gotos, extras, counts = c.gotos, c.extras, c.counts
    options: Sequence[int] | None
    defaults = story.defaults()
    least = report.strategy == "least-taken"
    max_steps = report.max_steps
    coverage = report.coverage
    for run in range(report.runs):
        run_seed = report.seed + run
        rng = random.Random(run_seed)  # noqa: S311 - reproducible play, not secrets
        random_ = rng.random
        variables = dict(defaults)
        visits: dict[str, int] = {}
        once_taken: set[str] = set()
        facts: set[str] = set()
        path: list[int] = []  # the moves taken, to replay a failed run
        append = path.append
        here = c.start
        steps = 0
        failure: ProblemKind | None = None
        try:
            for steps in range(max_steps + 1):  # steps: choices taken so far
                # enter the scene `here`: count the visit, run on_enter, check paragraphs
                row = rows[here]
                if row is None:
                    row = build(here)
                options, entries, arrival = row
                if arrival is not None:
                    asked, ops, risky, ending = arrival
                    if asked is not None:
                        visits[asked] = visits.get(asked, 0) + 1
                    if ops is not None:
                        for kind, target, value in ops:
                            if kind == _UNLOCK:
                                facts.add(target)
                            elif kind == _SET:
                                variables[target] = value
                            else:
                                variables[target] = variables[target] + value  # type: ignore[operator]
                    if risky is not None:
                        for evaluate in risky:
                            evaluate(variables, visits, facts)
                    if ending:
                        break
                if options is None:  # see _shown_first
                    options, gated = entries
                    shown: list[int] | None = None
                    for move, condition, once in gated:
                        if (once is None or once not in once_taken) and (
                                condition is None or condition(variables, visits, facts)):
                            if shown is None:
                                shown = list(options)
                            shown.append(move)
                    if shown is not None:
                        options = shown
                    elif not options:
                        failure = "stuck"
                        break
                if steps == max_steps:
                    failure = "loop"
                    break
                n = len(options)
                if n == 1:
                    move = options[0]
                elif least:
                    move = options[weighted_pick([counts[m] for m in options], random_())]
                else:
                    move = options[int(random_() * n)]
                counts[move] += 1
                append(move)
                here = gotos[move]
                extra = extras[move]
                if extra is not None:
                    ops, once = extra
                    if ops is not None:
                        for kind, target, value in ops:
                            if kind == _UNLOCK:
                                facts.add(target)
                            elif kind == _SET:
                                variables[target] = value
                            else:
                                variables[target] = variables[target] + value  # type: ignore[operator]
                    if once is not None:
                        once_taken.add(once)
        except ExprEvalError:
            failure = "error"
        report.steps += steps
        if steps > report.longest:
            report.longest = steps
        for fact in facts:
            coverage.facts[fact] += 1
        if failure is None:
            report.endings_reached += 1
            ending_ = story.scenes[c.ids[here]].ending
            if ending_ is not None:
                coverage.endings[ending_.id] += 1
        else:
            report.problems.append(_replayed(story, failure, run, run_seed, max_steps,
                                             [c.choices[m][1] for m in path], c.risky))
        yield None
    entered = [0] * len(c.ids)
    entered[c.start] = report.runs
    for (scene_id, choice), goto, n in zip(c.choices, c.gotos, c.counts, strict=True):
        if n:
            entered[goto] += n
            if not choice.is_continue:
                coverage.choices[(scene_id, choice.id)] += n
    for i, n in enumerate(entered):
        if n:
            coverage.scenes[c.ids[i]] += n


def _shown_first(choices: Sequence[Choice]) -> list[Choice]:
    """The visible choices in the order both loops pick from: those that are always shown
    first, then those that a condition or `once` could have hidden, each in story order.

    The fast loop copies a scene's always-shown choices in one go and only tests the others
    (a third of the work of testing every choice, at 60% of its steps); the odds of each
    choice are the same in any order, and the Engine loop uses this order too so that the
    two stay identical run for run.
    """
    return ([c for c in choices if c.condition is None and not c.once]
            + [c for c in choices if c.condition is not None or c.once])


class EngineDisagrees(AssertionError):
    """The fast loop and the Engine told different stories: a bug in this module."""


def _replayed(story: Story, kind: ProblemKind, run: int, seed: int, max_steps: int,
              path: list[Choice], risky: dict[str, tuple[Condition, ...]]) -> Problem:
    """Replay a failed fast run through the real Engine and report what the Engine saw."""
    engine = Engine(story, history=None)  # routes in reports replay the whole run
    state = engine.start()
    try:
        for choice in path:
            if not any(choice is c for c in engine.choices(state)):
                raise EngineDisagrees(f"run {run}: '{choice.id}' is not available in "
                                      f"'{state.scene}' to the Engine")
            state = engine.take(state, choice)
        if kind == "error":
            if state.scene in risky:
                engine.paragraphs(story.scenes[state.scene], state)
            engine.choices(state)
            raise EngineDisagrees(f"run {run}: the Engine found no run-time error")
    except StoryRuntimeError as exc:
        return Problem("error", run, seed, state.scene, _pos(exc.pos), exc.message,
                       route(story, state))
    if kind == "stuck":
        return _stuck(story, run, seed, state)
    return _loop(story, run, seed, max_steps, state)


# -- the reference loop -------------------------------------------------------------------------

def _engine_runs(story: Story, report: RandomReport) -> Iterator[GameState]:
    """The same runs through `Engine.choices` + `Engine.take`; yields each final state."""
    engine = Engine(story, history=None)  # routes in reports replay the whole run
    scenes = story.scenes
    risky = risky_paragraphs(story)
    coverage = report.coverage
    counts: dict[int, int] = {}  # id(choice) -> times taken, across all runs
    by_id = {id(c): (s.id, c.id) for s in scenes.values() for c in s.choices if not c.is_continue}
    least = report.strategy == "least-taken"
    for run in range(report.runs):
        run_seed = report.seed + run
        rng = random.Random(run_seed)  # noqa: S311 - reproducible play, not secrets
        state = engine.start()
        coverage.scenes[state.scene] += 1
        steps = 0
        problem: Problem | None = None
        try:
            if state.scene in risky:
                engine.paragraphs(scenes[state.scene], state)
            while not engine.is_over(state):
                options = _shown_first(engine.choices(state))
                if not options:
                    problem = _stuck(story, run, run_seed, state)
                    break
                if steps >= report.max_steps:
                    problem = _loop(story, run, run_seed, report.max_steps, state)
                    break
                if len(options) == 1:
                    choice = options[0]
                elif least:
                    choice = options[weighted_pick([counts.get(id(c), 0) for c in options],
                                                   rng.random())]
                else:
                    choice = options[int(rng.random() * len(options))]
                counts[id(choice)] = counts.get(id(choice), 0) + 1
                state = engine.take(state, choice)
                steps += 1
                coverage.scenes[state.scene] += 1
                if state.scene in risky:
                    engine.paragraphs(scenes[state.scene], state)
        except StoryRuntimeError as exc:
            problem = Problem("error", run, run_seed, state.scene, _pos(exc.pos),
                              exc.message, route(story, state))
        report.steps += steps
        report.longest = max(report.longest, steps)
        for fact in state.facts:
            coverage.facts[fact] += 1
        ending = scenes[state.scene].ending
        if problem is not None:
            report.problems.append(problem)
        elif ending is not None:
            coverage.endings[ending.id] += 1
            report.endings_reached += 1
        yield state
    for key, n in counts.items():
        pair = by_id.get(key)
        if pair is not None:
            coverage.choices[pair] += n


def _stuck(story: Story, run: int, seed: int, state: GameState) -> Problem:
    scene = story.scenes[state.scene]
    return Problem("stuck", run, seed, scene.id, scene.pos,
                   f"stuck in scene '{scene.id}': no choice is available and it is not an "
                   "ending", route(story, state), tuple(why_hidden(story, state)))


def _loop(story: Story, run: int, seed: int, max_steps: int, state: GameState) -> Problem:
    """Placed at the scene where the run entered the scenes it then never left."""
    moves = route(story, state)
    entry, circled = loop_of(moves)
    first = moves[entry].scene if entry < len(moves) else state.scene
    names = ", ".join(sorted(circled))
    return Problem("loop", run, seed, first, story.scenes[first].pos,
                   f"no ending after {max_steps} steps: possible endless loop among "
                   f"{'scene' if len(circled) == 1 else 'scenes'} {names}", moves)


def _pos(pos: object) -> Pos:
    return pos if isinstance(pos, Pos) else Pos(str(pos), 0, 0)
