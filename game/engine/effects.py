"""What `add` and `compute` store, written once for the Engine and the fast random runner.

`Engine._apply` (game/engine/engine.py) applies every effect; the random runner
(game/tools/runner.py) applies `set`, `unlock` and unbounded `add` inline and calls these for
the rest, so the two can never disagree about a computed value, a clamp or a roll.

- A bounded number (`{default: 0, min: 0, max: 5}`) keeps every `add` and `compute` result
  inside its bounds: the result is clamped, silently, as the author asked.
- A `compute` evaluates its expression against the variables as they are at that point (the
  effects before it in the list have run), with dice from the game's seed: `random()` is a
  pure function of (seed, turn, where the effect runs, its index, the variable), so `back`
  and then the same choice give the same outcome (game/engine/dice.py). The result takes the
  variable's kind: a whole-number variable stays whole (the checker has already refused a
  decimal result there, so this only tidies a save's 2.0), a decimal one becomes a float.
- A number leaving the range numbers stay in (game/numbers.py) is a run-time error at the
  effect, as for `add`.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet

from game import numbers
from game.engine.dice import Roll, roller
from game.engine.errors import StoryRuntimeError
from game.story.expr import RANDOM, Apply, ExprEvalError, Rolls, walk, whole
from game.story.model import Condition, Effect, Story, Value

Number = int | float
Bounds = Mapping[str, tuple[Number | None, Number | None]]
"""The bounded variables of a story, each with (min, max); a None side is open."""


def bounds(story: Story) -> dict[str, tuple[Number | None, Number | None]]:
    """The bounds of the story's bounded variables (most stories have none)."""
    return {name: (var.lo, var.hi) for name, var in story.variables.items() if var.bounded}


def clamped(value: Number, lo: Number | None, hi: Number | None) -> Number:
    """`value` kept inside [lo, hi]; a bound keeps the value's kind (3 stays whole when
    the bound is written 5.0; a decimal clamped to a whole bound stays a decimal)."""
    if lo is not None and value < lo:
        return type(value)(lo)
    if hi is not None and value > hi:
        return type(value)(hi)
    return value


def added(effect: Effect, current: Value, bounds: Bounds) -> Value:
    """The value `add` stores: the sum, clamped into the variable's bounds if it has any."""
    total = current + effect.value  # type: ignore[operator]
    if not numbers.in_range(total):
        raise StoryRuntimeError(effect.pos, f"add {effect.target}: the result "
                                f"({numbers.approx(total)}) would leave the range numbers "
                                f"stay in ({numbers.WORDS})")
    limits = bounds.get(effect.target)
    return total if limits is None else clamped(total, *limits)  # type: ignore[arg-type]


def rolls(expression: Condition) -> bool:
    """Whether an expression calls `random()` (only a compute's may: the checker refuses it
    anywhere else). A compute without one needs no dice: the fast runner passes `computed`
    no roll for it, and so skips building the dice and the `Rolls` view each time."""
    return any(isinstance(n, Apply) and n.func == RANDOM for n in walk(expression.node))


def computed(effect: Effect, variables: Mapping[str, Value], visits: Mapping[str, int],
             facts: AbstractSet[str], bounds: Bounds, roll: Roll | None) -> Value:
    """The value a `compute` stores (see the module docstring); `roll` is its dice
    (`dice.roller(...)` in play; the exhaustive search rolls each outcome in turn), or None
    for an expression that does not roll (`rolls`), evaluated against the variables as
    they are (a `random()` there would be the evaluator's error, never a silent number)."""
    expression = effect.expression
    assert expression is not None, "a compute effect holds its expression"
    try:
        value = expression.evaluate(variables if roll is None else Rolls(variables, roll),
                                    visits, facts)
    except ExprEvalError as exc:
        raise StoryRuntimeError(expression.pos.shifted(exc.offset), exc.message) from None
    return stored(effect, value, variables[effect.target], bounds.get(effect.target))


def stored(effect: Effect, value: Value, current: Value,
           limits: tuple[Number | None, Number | None] | None) -> Value:
    """What a compute's result becomes in its variable: refused outside the range numbers
    stay in, of the variable's kind (`current`'s: a whole number rounded half away from
    zero), clamped into its bounds (`limits`, if it has any). The one place of that rule:
    `computed` and the runner's compiled twin (`tools/fasteffects.py`) both end here."""
    if not numbers.in_range(value):  # first: infinity has no whole number, 10^400 no float
        raise StoryRuntimeError(effect.pos, f"compute {effect.target}: the result "
                                f"({numbers.approx(value)}) would leave the range numbers "
                                f"stay in ({numbers.WORDS})")
    if type(current) is float and type(value) is int:
        value = float(value)
    elif type(current) is int and type(value) is float:
        value = whole(value)
    if limits is not None and type(value) in (int, float):
        value = clamped(value, *limits)  # type: ignore[arg-type, unused-ignore]
    return value


def game_roll(seed: int, turn: int, where: str, index: int, effect: Effect) -> Roll:
    """The dice of a compute in play (one name for the Engine and the runner to share)."""
    return roller(seed, turn, where, index, effect.target)
