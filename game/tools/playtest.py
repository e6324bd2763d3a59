"""Random playthroughs: many seeded runs through the real engine, counted for coverage.

Modelled on ChoiceScript's randomtest. Run i uses its own `random.Random(seed + i)`, never the
global generator, so a report is the same on every machine and a test never disturbs another.
The loop is the engine's own `choices` + `take` and nothing else (no views, no rendered text),
because authors run thousands of these on every edit. Paragraph conditions are not needed to
move, but one that divides can still fail in play, so those few are evaluated on entry.

Two strategies: `uniform` picks any visible choice with equal odds, like a curious player;
`least-taken` picks the choice taken least often so far across all runs (ties broken at
random), which drives runs into rare branches much sooner. With least-taken a run depends on
the runs before it, so a problem is reported with its exact route, replayable as a scripted
playthrough, as well as its seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from game.engine import Engine, GameState, StoryRuntimeError
from game.story import expr
from game.story.model import Condition, Pos, Story
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
                max_steps: int = 1000) -> RandomReport:
    """Play `runs` random games; every problem is kept, coverage is summed over all runs."""
    report = RandomReport(runs, seed, strategy, max_steps)
    for _ in _runs(story, report):
        pass
    return report


def _runs(story: Story, report: RandomReport) -> Iterator[GameState]:
    """The hot loop, as a generator so tests can look at each run's final state."""
    engine = Engine(story)
    choices_of = engine.choices
    take = engine.take
    scenes = story.scenes
    risky = risky_paragraphs(story)
    coverage = report.coverage
    entered = coverage.scenes
    taken: dict[int, int] = {}  # id(choice) -> times taken, across all runs
    by_id = {id(c): (s.id, c.id) for s in scenes.values() for c in s.choices if not c.is_continue}
    least = report.strategy == "least-taken"
    max_steps = report.max_steps
    endings = frozenset(s.id for s in scenes.values() if s.ending is not None)
    for run in range(report.runs):
        run_seed = report.seed + run
        rng = random.Random(run_seed)  # noqa: S311 - reproducible play, not secrets
        randrange = rng.randrange
        state = engine.start()
        entered[state.scene] += 1
        steps = 0
        problem: Problem | None = None
        try:
            if state.scene in risky:
                engine.paragraphs(scenes[state.scene], state)
            while state.scene not in endings:
                options = choices_of(state)
                if not options:
                    scene = scenes[state.scene]
                    problem = Problem("stuck", run, run_seed, scene.id, scene.pos,
                                      f"stuck in scene '{scene.id}': no choice is available "
                                      "and it is not an ending", route(story, state),
                                      tuple(why_hidden(story, state)))
                    break
                if steps >= max_steps:
                    problem = _loop(story, run, run_seed, max_steps, state)
                    break
                if len(options) == 1:
                    choice = options[0]
                elif least:
                    counts = [taken.get(id(c), 0) for c in options]
                    fewest = min(counts)
                    ties = [c for c, n in zip(options, counts, strict=True) if n == fewest]
                    choice = ties[randrange(len(ties))] if len(ties) > 1 else ties[0]
                else:
                    choice = options[randrange(len(options))]
                key = id(choice)
                taken[key] = taken.get(key, 0) + 1
                state = take(state, choice)
                steps += 1
                entered[state.scene] += 1
                if risky and state.scene in risky:
                    engine.paragraphs(scenes[state.scene], state)
        except StoryRuntimeError as exc:
            problem = Problem("error", run, run_seed, state.scene, _pos(exc.pos),
                              exc.message, route(story, state))
        report.steps += steps
        if steps > report.longest:
            report.longest = steps
        for fact in state.facts:
            coverage.facts[fact] += 1
        ending = scenes[state.scene].ending
        if problem is not None:
            report.problems.append(problem)
        elif ending is not None:
            coverage.endings[ending.id] += 1
            report.endings_reached += 1
        yield state
    for key, n in taken.items():
        pair = by_id.get(key)
        if pair is not None:
            coverage.choices[pair] += n


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
