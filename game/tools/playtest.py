"""Random playthroughs: many seeded runs through the real engine, counted for coverage.

Modelled on ChoiceScript's randomtest. Run i uses its own `random.Random(seed + i)`, never the
global generator, so a report is the same on every machine and a test never disturbs another.
Authors run thousands of these on every edit, so the hot loop is not `Engine.choices` +
`Engine.take` (which build two immutable states per step, for undo and saves that random
runs never use) but the same rules applied to one mutable state per run: the story's own
compiled conditions, effects in the same order, visits counted the same way. Three things
keep it honest. The reference loop, `random_runs(..., reference=True)`, drives the real
`Engine` at every step, and the tests demand identical coverage from both, run for run, on
every fixture and the shipped story. Every problem a fast run finds is replayed through the
real `Engine`, which must fail the same way, and the report is built from that replay. And
nothing is rendered: paragraph conditions are not needed to move, but one that divides can
still fail in play, so those few are evaluated on entry.

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


def _divides(node: expr.Node) -> bool:
    if isinstance(node, expr.Binary):
        return node.op == "/" or _divides(node.left) or _divides(node.right)
    if isinstance(node, expr.Unary):
        return _divides(node.operand)
    return False


def risky_paragraphs(story: Story) -> dict[str, tuple[Condition, ...]]:
    """Scenes whose paragraph conditions can fail at run time (only division can)."""
    out: dict[str, tuple[Condition, ...]] = {}
    for scene in story.scenes.values():
        risky = tuple(p.condition for p in scene.paragraphs
                      if p.condition is not None and _divides(p.condition.node))
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
    for _ in loop(story, report):
        pass
    return report


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


def _ops(effects: tuple[Effect, ...]) -> tuple[_Op, ...]:
    return tuple((_KINDS[e.kind], e.target, e.value) for e in effects)


@dataclass(frozen=True, slots=True)
class _Move:
    """A choice, precompiled: `number` indexes the taken-counts, `goto` the scene tables."""

    choice: Choice
    number: int
    condition: Evaluator | None
    once: str | None
    effects: tuple[_Op, ...]
    goto: int


class _Compiled:
    """The story as flat tables indexed by scene number, built once per `random_runs`."""

    def __init__(self, story: Story) -> None:
        ids = list(story.scenes)
        number = {scene_id: i for i, scene_id in enumerate(ids)}
        risky = risky_paragraphs(story)
        self.ids = ids
        self.start = number[story.start]
        self.ends = [story.scenes[s].ending is not None for s in ids]
        self.on_enter = [_ops(story.scenes[s].on_enter) for s in ids]
        self.risky = [tuple(c.evaluate for c in risky.get(s, ())) for s in ids]
        self.moves: list[tuple[_Move, ...]] = []
        self.static: list[tuple[_Move, ...] | None] = []
        self.choices: list[Choice] = []
        self.choice_scene: list[str] = []
        for scene_id in ids:
            moves = []
            for choice in story.scenes[scene_id].choices:
                moves.append(_Move(choice, len(self.choices),
                                   choice.condition.evaluate if choice.condition else None,
                                   f"{scene_id}/{choice.id}" if choice.once else None,
                                   _ops(choice.effects), number[choice.goto]))
                self.choices.append(choice)
                self.choice_scene.append(scene_id)
            self.moves.append(tuple(moves))
            filtered = any(m.condition is not None or m.once is not None for m in moves)
            self.static.append(None if filtered else tuple(moves))


def _fast_runs(story: Story, report: RandomReport) -> Iterator[None]:
    c = _Compiled(story)
    ids, ends, on_enter, risky, all_moves, static = (c.ids, c.ends, c.on_enter, c.risky,
                                                      c.moves, c.static)
    defaults = story.defaults()
    entered = [0] * len(ids)
    counts = [0] * len(c.choices)  # times each choice was taken, across all runs
    least = report.strategy == "least-taken"
    max_steps = report.max_steps
    coverage = report.coverage
    for run in range(report.runs):
        run_seed = report.seed + run
        rng = random.Random(run_seed)  # noqa: S311 - reproducible play, not secrets
        randrange = rng.randrange
        random_ = rng.random
        variables = dict(defaults)
        visits: dict[str, int] = {}
        once_taken: set[str] = set()
        facts: list[str] = []
        fact_set: set[str] = set()
        path: list[Choice] = []
        here = c.start
        steps = 0
        failure: ProblemKind | None = None
        ops = on_enter[here]
        try:
            while True:
                # enter the scene `here`: count the visit, run on_enter, check paragraphs
                scene_id = ids[here]
                visits[scene_id] = visits.get(scene_id, 0) + 1
                entered[here] += 1
                for kind, target, value in ops:
                    if kind == _UNLOCK:
                        if target not in fact_set:
                            fact_set.add(target)
                            facts.append(target)
                    elif kind == _SET:
                        variables[target] = value
                    else:
                        variables[target] = variables[target] + value  # type: ignore[operator]
                for evaluate in risky[here]:
                    evaluate(variables, visits, fact_set)
                if ends[here]:
                    break
                options = static[here]
                if options is None:
                    options = tuple(m for m in all_moves[here]
                                    if (m.once is None or m.once not in once_taken)
                                    and (m.condition is None
                                         or m.condition(variables, visits, fact_set)))
                if not options:
                    failure = "stuck"
                    break
                if steps >= max_steps:
                    failure = "loop"
                    break
                if len(options) == 1:
                    move = options[0]
                elif least:
                    move = options[weighted_pick([counts[m.number] for m in options],
                                                 random_())]
                else:
                    move = options[randrange(len(options))]
                counts[move.number] += 1
                path.append(move.choice)
                for kind, target, value in move.effects:
                    if kind == _UNLOCK:
                        if target not in fact_set:
                            fact_set.add(target)
                            facts.append(target)
                    elif kind == _SET:
                        variables[target] = value
                    else:
                        variables[target] = variables[target] + value  # type: ignore[operator]
                if move.once is not None:
                    once_taken.add(move.once)
                here = move.goto
                ops = on_enter[here]
                steps += 1
        except ExprEvalError:
            failure = "error"
        report.steps += steps
        if steps > report.longest:
            report.longest = steps
        for fact in facts:
            coverage.facts[fact] += 1
        if failure is None:
            report.endings_reached += 1
            ending = story.scenes[ids[here]].ending
            if ending is not None:
                coverage.endings[ending.id] += 1
        else:
            report.problems.append(_replayed(story, failure, run, run_seed, max_steps, path))
        yield None
    for i, n in enumerate(entered):
        if n:
            coverage.scenes[ids[i]] += n
    for choice_number, n in enumerate(counts):
        choice = c.choices[choice_number]
        if n and not choice.is_continue:
            coverage.choices[(c.choice_scene[choice_number], choice.id)] += n


class EngineDisagrees(AssertionError):
    """The fast loop and the Engine told different stories: a bug in this module."""


def _replayed(story: Story, kind: ProblemKind, run: int, seed: int, max_steps: int,
              path: list[Choice]) -> Problem:
    """Replay a failed fast run through the real Engine and report what the Engine saw."""
    engine = Engine(story)
    risky = risky_paragraphs(story)
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
    engine = Engine(story)
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
                options = engine.choices(state)
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
                    choice = options[rng.randrange(len(options))]
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
