"""The fast random runner: the rules of play, applied to one mutable state per run.

Authors run thousands of random playthroughs on every edit (`offscreen test`), so these do not
go through `Engine.choices` + `Engine.take`, which build two immutable states per step for
undo and saves that random runs never use. This module plays the same rules on plain dicts
and sets instead, and `playtest` builds its report from what it yields.

The contract: for the same story, seed and strategy, a run here and a run driven through the
real `Engine` (`playtest.random_runs(..., reference=True)`) agree step for step on

1. the choices takeable at each step: their conditions (`if`, then `enabled`: the story's
   own compiled evaluators, given the same variables, visit counts and facts; a locked
   choice is never picked) and `once`, listed in `shown_first` order (always-open choices
   first, then the ones that could be hidden or locked, each in story order);
2. the pick among them: no draw from the run's `random.Random(seed + run)` when one choice
   is shown, else one `random()`, mapped by `int(random() * n)` (uniform) or
   `weighted_pick` over how often each was taken so far in all runs (least-taken);
3. what taking a choice changes, in the Engine's order: a call's push of its return point
   (refused past `calls.MAX_DEPTH`), the choice's effects, its `once` mark, then entering
   the next scene, which counts a visit and runs its `on_enter` effects; a `return: true`
   scene's Continue pops the return point and enters it (refused with no call open). Here
   that is one list of operations per move (`Compiled.changes`), applied in one place;
   the start of a run is a move too (into the start scene), so entering a scene is never
   written twice;
4. where play fails: a condition that raises while choices are listed, or one of the few
   paragraph conditions that can (they divide), evaluated on entry although nothing is
   rendered; in the rarer scenes whose other shown text can fail (a dividing `{?COND|..}`
   in a title, paragraph, choice text or reason: `analysis.Reads.shows`) the whole scene
   is shown through the Engine on entry, as play shows it; or a move the Engine's `take`
   refuses: a call or return as above, or an effect that fails (an `add` leaving the
   range numbers stay in, a `compute`), after which the run has one step fewer and the
   scene was not entered;
5. when a run ends: at an ending, stuck (no choice takeable), at `max_steps` choices taken
   (a possible endless loop), or at such a failure.

What it leaves out, because no rule reads it: visits of scenes no condition or compute
asks about, the undo chain, rendered text, and the order in which facts were unlocked. The
turn number is the choices taken so far (a `random()`'s dice read it), and a `compute` or
an `add` to a bounded number is applied by the fast twins of the Engine's own functions
(game/tools/fasteffects.py, held equal to game/engine/effects.py and game/engine/dice.py by
tests/tools/test_tools_fasteffects.py), with the game seed the Engine loop's run starts from.
`tests/tools/test_tools_runner.py` and the equality tests of `test_tools_playtest.py` hold it
to this, run for run, on every fixture, the shipped story and a generated one; every failed
run is also replayed through the `Engine` by `playtest`, which must fail the same way.

Adding an effect kind: the Engine applies it in `game/engine/engine.py` (`_apply`); here it
needs an operation code in `EFFECT_CODES` and a branch in `play`'s one loop over a move's
operations. `Compiled` refuses a kind it has no code for (`UnknownEffect`, raised when a run
first reaches a scene or choice that has one, rather than playing on without it), and
`test_every_effect_kind_has_an_operation` (tests/tools/test_tools_runner.py) fails as soon as
the model allows a kind this module does not know.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, Literal

from game import numbers
from game.engine import dice
from game.engine import effects as rules
from game.engine.errors import StoryRuntimeError
from game.story import lists
from game.story.calls import MAX_DEPTH
from game.story.expr import Evaluator, ExprEvalError
from game.story.model import Choice, Effect, Story, Value
from game.tools import fasteffects as fast
from game.tools.analysis import reads
from game.tools.coverage import Coverage
from game.tools.findings import FindingKind

Strategy = Literal["uniform", "least-taken"]
STRATEGIES: tuple[Strategy, ...] = ("uniform", "least-taken")


def weighted_pick(counts: Sequence[int], point: float) -> int:
    """The least-taken rule: index i with odds 1/(1+counts[i])^2; `point` is uniform in [0,1)."""
    weights = [1.0 / (1 + n) ** 2 for n in counts]
    point *= sum(weights)
    for i, weight in enumerate(weights):
        point -= weight
        if point < 0:
            return i
    return len(weights) - 1


def open_test(choice: Choice) -> Evaluator | None:
    """Whether a choice can be taken, as one closure over the story's own compiled ones: its
    `if` (shown) and then its `enabled` (not locked), in the Engine's order, so a condition
    that fails at run time fails at the same step. None when nothing can close it."""
    shown = None if choice.condition is None else choice.condition.evaluate
    if choice.enabled is None:
        return shown
    enabled = choice.enabled.evaluate
    if shown is None:
        return enabled

    def both(variables: Mapping[str, Value], visits: Mapping[str, int],
             facts: AbstractSet[str], shown: Evaluator = shown,
             enabled: Evaluator = enabled) -> Value:
        # (defaults, not free variables: see game/story/expr/compiler.py; the loop only
        # asks whether the result is true, so no bool() calls)
        return shown(variables, visits, facts) and enabled(variables, visits, facts)

    return both


def shown_first(choices: Sequence[Choice]) -> list[Choice]:
    """The takeable choices in the order both loops pick from: those that are always open
    first, then those that a condition, `enabled` or `once` could have closed, each in story
    order (a locked choice is never picked: `Engine.choices` leaves it out, and here
    `open_test` does).

    The fast loop copies a scene's always-shown choices in one go and only tests the others
    (a third of the work of testing every choice, at 60% of its steps); the odds of each
    choice are the same in any order, and the Engine loop uses this order too so that the
    two stay identical run for run.
    """
    return ([c for c in choices if c.condition is None and c.enabled is None and not c.once]
            + [c for c in choices if c.condition is not None or c.enabled is not None
               or c.once])


@dataclass(slots=True)
class RunEnd:
    """How one run ended: what `playtest` needs to count it and, if it failed, replay it,
    and the run's state at the end (what the contract tests compare with the Engine's).
    Not frozen: one is made per run, and a frozen one sets each field through
    `object.__setattr__` (on the 1,000-scene story, whose runs are ~9 steps long, that was
    a visible part of a run)."""

    run: int
    seed: int
    steps: int
    """Choices taken."""
    scene: str
    """The scene it ended in."""
    failure: FindingKind | None
    """None when it reached an ending."""
    path: tuple[Choice, ...]
    """The choices taken, oldest first; only kept for a failed run (else empty)."""
    facts: set[str]
    variables: dict[str, Value]
    visits: dict[str, int]
    """Only of the scenes some condition asks about."""
    taken: set[str]
    """The `once` keys (`scene/choice`) of the once-only choices taken."""
    stack: tuple[str, ...] = ()
    """The call stack: the return points of the calls still open, oldest first."""


class UnknownEffect(Exception):
    """An effect kind the runner has no operation for: the Engine knows a rule it does not."""


class _Refused(Exception):
    """A move the Engine refuses with a run-time error: a call past `MAX_DEPTH`, a return
    with no call open, or an effect that fails (an unbounded `add` leaving the range numbers
    stay in, game/numbers.py, as `effects.added` says; a failing `compute`). `untaken`: 1
    when the move was counted as taken and entered but was not (the Engine's `take` raised:
    the run has one step fewer, and the scene was never entered); 0 for the return, which
    fails before it is counted."""

    def __init__(self, untaken: int) -> None:
        super().__init__()
        self.untaken = untaken


# -- the compiled story -------------------------------------------------------------------------

_SET, _ADD, _UNLOCK, _ONCE, _VISIT, _REMOVE, _NAMES, _CALL, _COMPUTE, _APPLY, _ROLL = range(11)
EFFECT_CODES = {"set": _SET, "add": _ADD, "unlock": _UNLOCK, "remove": _REMOVE,
                "compute": _COMPUTE}
"""Effect kind -> operation code. `_ONCE` and `_VISIT` are the two changes a move makes
beyond effects: marking a once-only choice taken, counting a visit to the scene entered;
`_CALL` is a call's push of its return point (first, as the Engine checks the depth first).
An `add` to a list variable and a `remove` are `_NAMES`, whose value is a table from the
list before to the list after (`lists.NamesTable`, filled through `game.story.lists`
as the Engine changes lists), so the loop's number `add` never looks at a type and a list
change is one look-up. An `add` to a bounded number and a `compute` are
`_APPLY` (no dice) or `_ROLL` (a compute that rolls), whose value is the effect's own
closure from game/tools/fasteffects.py (the twins of game/engine/effects.py's rules);
`_COMPUTE`, calling `effects.computed` itself, is left for a rolling expression that
module does not compile. The loop tests the codes in the order of how often a step meets
them on the benchmark stories (visits, adds, sets, then the rarer ones)."""
_Op = tuple[int, str, Any]
"""(operation code, what it changes: a variable, fact, once key or scene id, the value;
for `_APPLY` and `_ROLL` the closure giving the value to store; for `_COMPUTE` what
`effects.computed` needs: the effect, where it runs and its index there, which its dice
read)."""
_Entry = tuple[int, "Evaluator | None", "str | None"]
"""A choice that may be hidden: (its move number, condition or None, `once` key or None)."""
_Arrival = tuple["tuple[Evaluator, ...] | None", bool, "int | None", bool]
"""What entering a scene checks beyond its choices: (risky paragraph conditions, whether it
is an ending, the move of its Continue if it is a `return: true` scene, whether its other
shown text can fail: `Compiled.show`)."""
_Row = tuple["tuple[int, ...] | None", "tuple[tuple[int, ...], tuple[_Entry, ...]]",
             "_Arrival | None"]
"""A scene: (its move numbers if none can be hidden, else None; the moves always shown and
the entries to test, shared empty ones when none can be hidden; what arriving checks, or
None for nearly every scene: neither an ending nor a paragraph that can fail)."""

_NOTHING_TO_TEST: tuple[tuple[int, ...], tuple[_Entry, ...]] = ((), ())
"""The second part of every row whose choices are all always shown: one shared object."""

START = 0
"""The move number of "start a run": no choice, it only enters the start scene."""


def _ops(effects: tuple[Effect, ...], story: Story, where: str,
         bounds: rules.Bounds) -> list[_Op]:
    """The operations of a list of effects run at `where` (`scene/choice`, or a scene's id
    for its on_enter: what the Engine's dice read too)."""
    ops: list[_Op] = []
    for index, effect in enumerate(effects):
        code = EFFECT_CODES.get(effect.kind)
        if code is None:
            raise UnknownEffect(f"{effect.pos}: the random runner cannot apply a "
                                f"'{effect.kind}' effect")
        if code == _REMOVE or (code == _ADD and type(effect.value) is tuple):
            assert type(effect.value) is tuple, "a list's add/remove holds its names"
            items = story.variables[effect.target].items or ()
            ops.append((_NAMES, effect.target,
                        lists.names_table(effect.kind, items, effect.value)))
        elif code == _COMPUTE:
            plain, rolled = fast.computed(effect, where, index, bounds)
            if plain is not None:
                ops.append((_APPLY, effect.target, plain))
            elif rolled is not None:
                ops.append((_ROLL, effect.target, rolled))
            else:
                ops.append((code, effect.target, (effect, where, index)))
        elif code == _ADD and effect.target in bounds:
            ops.append((_APPLY, effect.target, fast.added(effect, bounds)))
        else:
            ops.append((code, effect.target, effect.value))
    return ops


class Compiled:
    """The story as one row per scene number and flat lists per move, built as runs go.

    Random runs on a big story are bound by memory more than by Python: the same loop runs at
    twice the dict walk's relative speed on a 1,000-scene story as on a 10,000-scene one. So
    a choice is a number (a "move") into flat, parallel lists (where it goes, what taking it
    changes if anything, how often it was taken) rather than an object of its own: fewer,
    smaller and adjacent things for each step to touch. Rows are built the first time a run
    enters their scene, because runs seldom reach every scene (3,000 runs of the 10,000-scene
    benchmark story enter 58% of them).

    A move's changes are everything taking it does to the state, in the Engine's order:
    the choice's effects, its once mark, the visit to the scene it enters and that scene's
    on_enter effects. Entering a scene is the same for every move into it, so its part is
    built once per scene (`entering`) and shared as it is by moves with nothing of their own.

    Two counts the loop would otherwise keep per step are derived afterwards
    (`add_coverage`): entries into a scene are the times a move leading there was taken
    (plus one per run for the start), and visits are only counted for the scenes some
    condition asks about (`visits`, `seen`), which is why every condition is scanned up
    front.
    """

    def __init__(self, story: Story) -> None:
        self.story = story
        self.ids = ids = list(story.scenes)
        self.number = number = {scene_id: i for i, scene_id in enumerate(ids)}
        self.found = found = reads(story)
        self.asked = found.asked
        self.risky = found.risky
        self.engine: Any = None
        """Made for the first `shows` scene a run enters (see `show`)."""
        self.bounds = rules.bounds(story)
        """The bounded numbers, whose `add` is clamped (game/engine/effects.py)."""
        self.rows: list[_Row | None] = [None] * len(ids)
        self.entered: dict[int, tuple[_Op, ...] | None] = {}
        """By scene number: what entering it changes (visit, on_enter), or None."""
        # by move number; move START enters the start scene:
        start = number[story.start]
        self.gotos: list[int] = [start]
        self.changes: list[tuple[_Op, ...] | None] = [self.entering(start)]
        """What taking each move changes, or None for the usual move that changes nothing."""
        self.counts: list[int] = [0]
        """Times each move was taken, across all runs (START: never, see add_coverage)."""
        self.choices: list[tuple[str, Choice] | None] = [None]
        """(scene id, choice): for the report, never touched by the loop; None for START
        and for the moves that only enter a scene (a return's, see `returning`)."""
        self.points: dict[int, int] = {}
        """By scene number: the move that enters it as a return point (format v2's calls)."""
        self.refused: dict[int, int] = {}
        """By scene number: moves into it the Engine refused (`_Refused`), counted as taken
        but never entered."""

    def entering(self, here: int) -> tuple[_Op, ...] | None:
        """What entering scene number `here` changes: its visit, if asked about, then
        its on_enter effects."""
        if here in self.entered:
            return self.entered[here]
        scene = self.story.scenes[self.ids[here]]
        ops: list[_Op] = [(_VISIT, scene.id, 1)] if scene.id in self.asked else []
        ops += _ops(scene.on_enter, self.story, scene.id, self.bounds)
        self.entered[here] = out = tuple(ops) if ops else None
        return out

    def returning(self, here: int) -> int:
        """The move a `return` takes into scene number `here` when it is the return point
        on top of the stack: no choice of its own, it enters `here` (a call pushes it)."""
        move = self.points.get(here)
        if move is None:
            move = self.points[here] = len(self.gotos)
            self.gotos.append(here)
            self.changes.append(self.entering(here))
            self.counts.append(0)
            self.choices.append(None)
        return move

    def row(self, here: int) -> _Row:
        scene_id = self.ids[here]
        scene = self.story.scenes[scene_id]
        moves: list[int] = []
        fixed: list[int] = []
        entries: list[_Entry] = []
        for choice in scene.choices:
            own = _ops(choice.effects, self.story, f"{scene_id}/{choice.id}", self.bounds)
            if choice.call:  # (its return point's move first: it may be a new move)
                point = self.number[choice.then if choice.then is not None else scene_id]
                own.insert(0, (_CALL, choice.goto, self.returning(point)))
            move = len(self.gotos)
            goto = self.number[choice.goto]
            once = f"{scene_id}/{choice.id}" if choice.once else None
            if once is not None:
                own.append((_ONCE, once, True))
            entering = self.entering(goto)
            self.gotos.append(goto)
            self.changes.append((*own, *(entering or ())) if own else entering)
            self.counts.append(0)
            self.choices.append((scene_id, choice))
            moves.append(move)
            takeable = open_test(choice)
            if takeable is None and once is None:
                fixed.append(move)
            else:
                entries.append((move, takeable, once))
        hazards = self.risky.get(scene_id)
        checks = None if hazards is None else tuple(c.evaluate for c in hazards)
        # Unpacking a row touches all three parts, so the parts a step will not use are the
        # shared None and () rather than objects of their own somewhere else in memory.
        back = moves[0] if scene.returns else None
        shows = scene_id in self.found.shows
        arrival = None if (checks is None and scene.ending is None and back is None
                           and not shows) else (checks, scene.ending is not None, back, shows)
        row: _Row = ((None, (tuple(fixed), tuple(entries)), arrival) if entries
                     else (tuple(moves), _NOTHING_TO_TEST, arrival))
        self.rows[here] = row
        return row

    def show(self, scene: str, variables: Mapping[str, Value], visits: Mapping[str, int],
             taken: AbstractSet[str], facts: AbstractSet[str], seed: int) -> None:
        """Show a `shows` scene through the Engine (raises where play would): its variation
        conditions are evaluated only as the items picked around them say, a rule kept in
        one place (game/engine/text.py), so it is not copied here. Rare, so not fast."""
        from game.engine import Engine, GameState  # (only stories with such text need it)

        if self.engine is None:
            self.engine = Engine(self.story, history=1)
        self.engine.view(GameState(scene, dict(variables), dict(visits), frozenset(taken),
                                   tuple(facts), seed=seed))

    def choice(self, move: int) -> Choice:
        """The choice a move takes (not START, which takes none)."""
        taken = self.choices[move]
        if taken is None:
            raise ValueError("the start of a run is not a choice")
        return taken[1]

    def add_coverage(self, coverage: Coverage, runs: int) -> None:
        """Scenes entered and choices taken over all runs so far, from the move counts."""
        entered = [0] * len(self.ids)
        entered[self.gotos[START]] = runs
        for taken, goto, n in zip(self.choices, self.gotos, self.counts, strict=True):
            if n:
                if taken is None:  # a return's move into its return point
                    entered[goto] += n
                    continue
                scene_id, choice = taken
                if not choice.returns:  # (a return enters where its stack said, counted so)
                    entered[goto] += n
                if not choice.is_continue:
                    coverage.choices[(scene_id, choice.id)] += n
        for i, n in self.refused.items():
            entered[i] -= n
        for i, n in enumerate(entered):
            if n:
                coverage.scenes[self.ids[i]] += n


# -- the loop ---------------------------------------------------------------------------------

def play(compiled: Compiled, runs: int, seed: int, strategy: Strategy,
         max_steps: int) -> Iterator[RunEnd]:
    """Play `runs` runs (run i seeded `seed + i`) and yield how each ended, in order.

    Move counts accumulate in `compiled` across the runs (least-taken reads them); call
    `compiled.add_coverage` once the runs are done.
    """
    c = compiled
    rows, build = c.rows, c.row
    gotos, changes, counts, refused = c.gotos, c.changes, c.counts, c.refused
    options: Sequence[int] | None
    defaults = c.story.defaults()
    least = strategy == "least-taken"
    visit, set_, add, unlock, mark, call = _VISIT, _SET, _ADD, _UNLOCK, _ONCE, _CALL  # locals
    apply, roll, names = _APPLY, _ROLL, _NAMES
    limits = c.bounds
    low, high = -numbers.LIMIT, numbers.LIMIT  # an add's sum: numbers.in_range, inline
    rng = random.Random()  # noqa: S311 - reproducible play, not secrets
    reseed, random_ = rng.seed, rng.random
    for run in range(runs):
        run_seed = seed + run
        reseed(run_seed)  # the same numbers as random.Random(run_seed), without a new one
        game_seed: int | None = None  # its dice's: `dice.run_seed(run_seed)`, when needed
        variables: dict[str, Any] = dict(defaults)  # Any: the ops are typed by their code
        visits: dict[str, int] = {}
        once_taken: set[str] = set()
        facts: set[str] = set()
        stack: list[int] = []  # the return points of open calls, as their `returning` moves
        path: list[int] = []  # the moves taken, to replay a failed run
        append = path.append
        move = START
        here = gotos[move]
        steps = 0
        failure: FindingKind | None = None
        try:
            for steps in range(max_steps + 1):  # steps: choices taken so far
                # take the move (at step 0: start the run), which enters the scene `here`
                ops = changes[move]
                if ops is not None:
                    try:
                        for code, target, value in ops:
                            if code == visit:
                                visits[target] = visits.get(target, 0) + 1
                            elif code == add:
                                total = variables[target] + value
                                if not low <= total <= high:  # (False for inf and nan too)
                                    raise _Refused(1)
                                variables[target] = total
                            elif code == set_:
                                variables[target] = value
                            elif code == unlock:
                                facts.add(target)
                            elif code == mark:
                                once_taken.add(target)
                            elif code == names:  # a list's add or remove: its table
                                variables[target] = value[variables[target]]
                            elif code == apply:
                                variables[target] = value(variables, visits, facts)
                            elif code == roll:  # the turn is the choices taken: `steps`
                                if game_seed is None:
                                    game_seed = dice.run_seed(run_seed)
                                variables[target] = value(variables, visits, facts, game_seed,
                                                          steps)
                            elif code == call:
                                if len(stack) >= MAX_DEPTH:
                                    raise _Refused(1)
                                stack.append(value)
                            else:  # _COMPUTE, through the Engine's own function
                                effect, where, index = value
                                if game_seed is None:
                                    game_seed = dice.run_seed(run_seed)
                                variables[target] = rules.computed(
                                    effect, variables, visits, facts, limits,
                                    rules.game_roll(game_seed, steps, where, index, effect))
                    except (StoryRuntimeError, ExprEvalError):  # (a bounded add, a compute)
                        raise _Refused(1) from None
                row = rows[here]
                if row is None:
                    row = build(here)
                options, entries, arrival = row
                if arrival is not None:
                    risky, ending, back, shows = arrival
                    if risky is not None:
                        for evaluate in risky:
                            evaluate(variables, visits, facts)
                    if shows:
                        c.show(c.ids[here], variables, visits, once_taken, facts,
                               dice.run_seed(run_seed))
                    if ending:
                        break
                    if back is not None:  # `return: true`: its Continue pops the stack
                        if steps == max_steps:
                            failure = "loop"
                            break
                        append(back)
                        if not stack:
                            raise _Refused(0)
                        move = stack.pop()
                        counts[move] += 1
                        here = gotos[move]
                        continue
                if options is None:  # see shown_first
                    options, gated = entries
                    shown: list[int] | None = None
                    for entry, condition, once in gated:
                        if (once is None or once not in once_taken) and (
                                condition is None or condition(variables, visits, facts)):
                            if shown is None:
                                shown = list(options)
                            shown.append(entry)
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
        except (ExprEvalError, StoryRuntimeError):  # a condition, a shown text on entry
            failure = "error"
        except _Refused as exc:
            failure = "error"
            if exc.untaken and move != START:  # (at the start, the Engine's `start` raises)
                steps -= 1
                refused[here] = refused.get(here, 0) + 1
        taken = () if failure is None else tuple(c.choice(m) for m in path)
        yield RunEnd(run, run_seed, steps, c.ids[here], failure, taken, facts, variables,
                     visits, once_taken, tuple(c.ids[gotos[m]] for m in stack) if stack else ())
