"""Random playthroughs: many seeded runs, counted for coverage, every failure replayed.

Modelled on ChoiceScript's randomtest. Run i uses its own `random.Random(seed + i)`, never the
global generator, so a report is the same on every machine and a test never disturbs another;
the game it plays has the seed `dice.run_seed(seed + i)`, so its `random()` draws are fixed too.
The runs themselves are played by `game.tools.runner`, which applies the Engine's rules to one
mutable state per run (its docstring states what it must agree with the Engine on). Three
things keep it honest. The reference loop here, `random_runs(..., reference=True)`, drives the
real `Engine` at every step (picking among its visible choices in the same order,
`runner.shown_first`), and the tests demand identical reports from both, run for run, on
every fixture, the shipped story and a generated one. Every run the runner reports failed is
replayed through the real `Engine`, which must fail the same way, and the report is built from
that replay. And nothing is rendered: paragraph conditions are not needed to move, but one
that divides can still fail in play, so those few are evaluated on entry.

Two strategies: `uniform` picks any visible choice with equal odds, like a curious player;
`least-taken` prefers the choices taken least often so far across all runs, which drives runs
into rare branches much sooner. It picks each visible choice with odds 1/(1+n)^2, n being how
often that choice has been taken so far (`runner.weighted_pick`). Strictly taking the
least-taken choice was tried and rejected: runs then march in lockstep (a round robin over
every scene at once), and a branch that needs two particular choices made in the same run can
be missed forever; on the shipped story it never reached one scene in 2000 runs, where the
weighted odds reach everything in about 30. With least-taken a run depends on the runs before
it, so a problem is reported with its exact route, replayable as a scripted playthrough, as
well as its seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from game import collector
from game.engine import Engine, GameState, StoryRuntimeError
from game.engine.dice import run_seed
from game.story.model import Choice, Pos, Story
from game.tools import runner
from game.tools.analysis import Reads, check_shown, reads
from game.tools.coverage import Coverage
from game.tools.findings import Finding, FindingKind
from game.tools.runner import Strategy, shown_first, weighted_pick
from game.tools.trail import failed, loop_of, route, why_hidden


@dataclass(slots=True)
class RandomReport:
    runs: int
    seed: int
    strategy: Strategy
    max_steps: int
    coverage: Coverage = field(default_factory=Coverage)
    problems: list[Finding] = field(default_factory=list)
    """Every run that did not reach an ending, in run order (each has `run` and `seed`)."""
    endings_reached: int = 0
    steps: int = 0
    longest: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    def count(self, steps: int, facts: Iterable[str], ending: str | None,
              problem: Finding | None) -> None:
        """Adds one run: its length, its facts, and the ending it reached or its problem."""
        self.steps += steps
        self.longest = max(self.longest, steps)
        for fact in facts:
            self.coverage.facts[fact] += 1
        if problem is not None:
            self.problems.append(problem)
        elif ending is not None:
            self.coverage.endings[ending] += 1
            self.endings_reached += 1


def random_runs(story: Story, runs: int, seed: int = 0, strategy: Strategy = "least-taken",
                max_steps: int = 1000, reference: bool = False) -> RandomReport:
    """Play `runs` random games; every problem is kept, coverage is summed over all runs.

    `reference=True` drives the `Engine` itself at every step: slower, and the yardstick the
    fast runner is tested against.
    """
    report = RandomReport(runs, seed, strategy, max_steps)
    with collector.paused():  # see below
        if reference:
            _engine_runs(story, report)
        else:
            _fast_runs(story, report)
    return report


# Why the collector is paused during the runs: they allocate no cycles (only states, sets and
# lists that refcounting frees), but they do allocate lists at every step and the fast loop
# builds ~100,000 small tuples on the way, so the collector kept starting and walking those
# tables again and again, for nothing: an eighth of the time of 3,000 runs of the benchmark
# story. Whatever cycles might appear anyway are only deferred: collected once it restarts.


def _fast_runs(story: Story, report: RandomReport) -> None:
    compiled = runner.Compiled(story)
    for end in runner.play(compiled, report.runs, report.seed, report.strategy,
                           report.max_steps):
        if end.failure is None:
            ending = story.scenes[end.scene].ending
            report.count(end.steps, end.facts, None if ending is None else ending.id, None)
        else:
            report.count(end.steps, end.facts, None,
                         _replayed(story, end.failure, end.run, end.seed, report.max_steps,
                                   end.path, compiled.found))
    compiled.add_coverage(report.coverage, report.runs)


class EngineDisagrees(AssertionError):
    """The fast runner and the Engine told different stories: a bug in the runner."""


def _replayed(story: Story, kind: FindingKind, run: int, seed: int, max_steps: int,
              path: tuple[Choice, ...], found: Reads) -> Finding:
    """Replay a failed fast run through the real Engine and report what the Engine saw."""
    engine = Engine(story, history=None)  # routes in reports replay the whole run
    state = engine.start(run_seed(seed))
    taking: Choice | None = None
    try:
        for choice in path:
            if not any(choice is c for c in engine.choices(state)):
                raise EngineDisagrees(f"run {run}: '{choice.id}' is not available in "
                                      f"'{state.scene}' to the Engine")
            taking = choice
            state = engine.take(state, choice)
            taking = None
        if kind == "error":
            check_shown(engine, found, state)
            engine.choices(state)
            raise EngineDisagrees(f"run {run}: the Engine found no run-time error")
    except StoryRuntimeError as exc:
        return _error(story, run, seed, state, exc, taking)
    if kind == "stuck":
        return _stuck(story, run, seed, state)
    return _loop(story, run, seed, max_steps, state)


# -- the reference loop -------------------------------------------------------------------------

def _engine_runs(story: Story, report: RandomReport) -> None:
    """The same runs through `Engine.choices` + `Engine.take`."""
    engine = Engine(story, history=None)  # routes in reports replay the whole run
    scenes = story.scenes
    found = reads(story)
    coverage = report.coverage
    counts: dict[int, int] = {}  # id(choice) -> times taken, across all runs
    by_id = {id(c): (s.id, c.id) for s in scenes.values() for c in s.choices if not c.is_continue}
    least = report.strategy == "least-taken"
    for run in range(report.runs):
        seed = report.seed + run
        rng = random.Random(seed)  # noqa: S311 - reproducible play, not secrets
        state = engine.start(run_seed(seed))
        coverage.scenes[state.scene] += 1
        steps = 0
        problem: Finding | None = None
        taking: Choice | None = None
        try:
            check_shown(engine, found, state)
            while not engine.is_over(state):
                options = shown_first(engine.choices(state))
                if not options:
                    problem = _stuck(story, run, seed, state)
                    break
                if steps >= report.max_steps:
                    problem = _loop(story, run, seed, report.max_steps, state)
                    break
                if len(options) == 1:
                    choice = options[0]
                elif least:
                    choice = options[weighted_pick([counts.get(id(c), 0) for c in options],
                                                   rng.random())]
                else:
                    choice = options[int(rng.random() * len(options))]
                counts[id(choice)] = counts.get(id(choice), 0) + 1
                taking = choice
                state = engine.take(state, choice)
                taking = None
                steps += 1
                coverage.scenes[state.scene] += 1
                check_shown(engine, found, state)
        except StoryRuntimeError as exc:
            problem = _error(story, run, seed, state, exc, taking)
        ending = scenes[state.scene].ending
        report.count(steps, state.facts, None if ending is None else ending.id, problem)
    for key, n in counts.items():
        pair = by_id.get(key)
        if pair is not None:
            coverage.choices[pair] += n


# -- what a failed run is reported as ----------------------------------------------------------

def _error(story: Story, run: int, seed: int, state: GameState, exc: StoryRuntimeError,
           taking: Choice | None = None) -> Finding:
    """A run-time error in `state`, or (`taking`) in the move of that choice from it."""
    pos = exc.pos if isinstance(exc.pos, Pos) else Pos(str(exc.pos), 0, 0)
    moves = route(story, state)
    if taking is not None:
        moves = (*moves, failed(state, taking))
    return Finding("error", state.scene, pos, exc.message, moves, run=run, seed=seed)


def _stuck(story: Story, run: int, seed: int, state: GameState) -> Finding:
    scene = story.scenes[state.scene]
    return Finding("stuck", scene.id, scene.pos,
                   f"stuck in scene '{scene.id}': no choice is available and it is not an "
                   "ending", route(story, state), tuple(why_hidden(story, state)),
                   run=run, seed=seed)


def _loop(story: Story, run: int, seed: int, max_steps: int, state: GameState) -> Finding:
    """Placed at the scene where the run entered the scenes it then never left."""
    moves = route(story, state)
    entry, circled = loop_of(moves)
    first = moves[entry].scene if entry < len(moves) else state.scene
    names = ", ".join(sorted(circled))
    return Finding("loop", first, story.scenes[first].pos,
                   f"no ending after {max_steps} steps: possible endless loop among "
                   f"{'scene' if len(circled) == 1 else 'scenes'} {names}", moves,
                   run=run, seed=seed)
