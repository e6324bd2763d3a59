"""The runner's fast twins of `effects.computed` and `effects.added` (game/tools/fasteffects.py)
give what the Engine's functions give, with `dice.roller`'s dice, or fail where they fail:
on generated compute expressions (every node kind the twin compiles, and some it leaves to
`computed`), variables of both kinds, bounded or not, seeds and turns."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tools_helpers import from_text

from game.engine import effects as rules
from game.engine.dice import roller
from game.engine.errors import StoryRuntimeError
from game.story.expr import ExprEvalError
from game.story.model import Effect, Story
from game.tools import fasteffects as fast

STORY = """\
    story: {id: fx, title: Effects, start: a}
    variables: {n: 0, x: 0.5, b: {default: 1, min: -3, max: 8}, d: {default: 0.5, max: 2.5},
                flag: false}
    facts:
      badge: {title: Badge, text: A badge.}
    scenes:
      a: {text: A., next: z}
      z: {text: Z., ending: {id: z, title: Z}}
    """

NUMBERS = ["n", "x", "b", "d"]
LEAVES = st.one_of(st.sampled_from(NUMBERS), st.integers(-4, 9).map(str),
                   st.sampled_from(["0.5", "2.5", "1000000000000000", "visits(a)",
                                    "visits(z)"]))


def _grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pair = st.tuples(inner, inner)
    return st.one_of(
        pair.map(lambda p: f"({p[0]} + {p[1]})"), pair.map(lambda p: f"({p[0]} - {p[1]})"),
        pair.map(lambda p: f"({p[0]} * {p[1]})"), pair.map(lambda p: f"({p[0]} / {p[1]})"),
        pair.map(lambda p: f"min({p[0]}, {p[1]})"), pair.map(lambda p: f"max({p[0]}, {p[1]})"),
        pair.map(lambda p: f"random({p[0]}, {p[1]})"),
        st.tuples(inner, inner, inner).map(lambda p: f"clamp({p[0]}, {p[1]}, {p[2]})"),
        inner.map(lambda e: f"abs({e})"), inner.map(lambda e: f"round({e})"),
        inner.map(lambda e: f"-{e}"),
        pair.map(lambda p: f"({p[0]} > {p[1]} and {p[1]} >= 0) * 2"))  # (not compiled)


INNER = st.recursive(LEAVES, _grow, max_leaves=6)
EXPRESSIONS = st.one_of(
    INNER, INNER.map(lambda e: f"round({e}) + random(-2, 3)"),
    INNER.map(lambda e: f"clamp(round({e}) * random(1, 2), random(-3, 0), n + 4)"),
    st.tuples(INNER, INNER).map(lambda p: f"min(round({p[0]}), random(0, n + 5)) - {p[1]}"))
"""Most draws roll (the twin's own compiler), some do not (the story's evaluator)."""


def _story(tmp_path: Path, target: str, expression: str) -> tuple[Story, Effect] | None:
    text = STORY.replace("a: {text: A., next: z}", "a: {text: A., next: z, on_enter: "
                         f"[{{compute: {{{target}: '{expression}'}}}}]}}")
    (tmp_path / "story.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    from game.story.files import load_story

    story = load_story(tmp_path).story
    if story is None:  # (a decimal result for a whole number, and the like: refused)
        return None
    return story, story.scenes["a"].on_enter[0]


def _outcome(fn: Any, *args: Any) -> tuple[str, Any]:
    try:
        value = fn(*args)
    except (StoryRuntimeError, ExprEvalError):
        return "fails", None
    return "value", (type(value), value)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(NUMBERS), EXPRESSIONS,
       st.fixed_dictionaries({"n": st.integers(-10, 10), "x": st.floats(-5, 5),
                              "b": st.integers(-3, 8), "d": st.sampled_from([0.5, 2.5, -1.0])}),
       st.integers(0, 2**32 - 1), st.integers(0, 2000), st.sampled_from([0, 1, 7]))
def test_a_compute_twin_stores_what_effects_computed_stores(
        tmp_path_factory: Any, target: str, expression: str, values: dict[str, Any],
        seed: int, turn: int, visits: int) -> None:
    made = _story(tmp_path_factory.mktemp("fx"), target, expression)
    if made is None:
        return
    story, effect = made
    bounds = rules.bounds(story)
    variables = {**story.defaults(), **values}
    seen = {"a": visits}
    plain, rolled = fast.computed(effect, "a", 0, bounds)
    assert effect.expression is not None
    rolls = rules.rolls(effect.expression)
    want = _outcome(rules.computed, effect, variables, seen, set(), bounds,
                    roller(seed, turn, "a", 0, target) if rolls else None)
    if plain is not None:
        assert not rolls
        assert _outcome(plain, variables, seen, set()) == want, expression
    elif rolled is not None:
        assert rolls
        assert _outcome(rolled, variables, seen, set(), seed, turn) == want, expression
    else:  # left to effects.computed: only for shapes the twin does not compile
        assert rolls and (" and " in expression)


_HUGE = " * ".join(["x * 1000000000000000"] * 22)


@pytest.mark.parametrize(("target", "expression"), [
    ("n", f"round({_HUGE}) + random(0, 1)"), ("n", f"round({_HUGE} - {_HUGE}) + random(0, 1)"),
    ("n", f"round({_HUGE}) + n"), ("x", f"{_HUGE} - {_HUGE} + random(0, 1)"),
    ("x", f"{_HUGE}")])
def test_an_overflow_to_infinity_fails_in_the_twin_as_in_effects_computed(
        tmp_path: Path, target: str, expression: str) -> None:
    """A float product past 1e308 is infinity without Python raising; both refuse it with
    the author's error (never Python's OverflowError or ValueError from round)."""
    made = _story(tmp_path, target, expression)
    assert made is not None
    story, effect = made
    bounds = rules.bounds(story)
    variables = story.defaults()
    assert effect.expression is not None
    dice = roller(1, 0, "a", 0, target) if rules.rolls(effect.expression) else None
    assert _outcome(rules.computed, effect, variables, {}, set(), bounds, dice) == ("fails", None)
    plain, rolled = fast.computed(effect, "a", 0, bounds)
    twin = (plain, (variables, {}, set())) if plain is not None else (
        rolled, (variables, {}, set(), 1, 0))
    assert twin[0] is not None
    assert _outcome(twin[0], *twin[1]) == ("fails", None)


def test_the_twin_compiles_the_shapes_of_the_benchmark_story(tmp_path: Path) -> None:
    for expression in ["min(n + random(1, 3), 50)", "clamp(b + random(-1, 2), 0, 20)",
                       "random(1, 6)", "n + random(0, 3)", "max(n - 2, 0)"]:
        made = _story(tmp_path, "n", expression)
        assert made is not None
        plain, rolled = fast.computed(made[1], "a", 0, rules.bounds(made[0]))
        assert (plain, rolled) != (None, None)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["b", "d"]), st.sampled_from([1, -2, 5, 0.5, 999999999999999]),
       st.one_of(st.integers(-3, 8), st.floats(-3, 8), st.just(10**15)))
def test_a_bounded_add_twin_stores_what_effects_added_stores(
        tmp_path_factory: Any, target: str, amount: float, current: float) -> None:
    story = from_text(tmp_path_factory.mktemp("add"), STORY)
    bounds = rules.bounds(story)
    effect = Effect("add", target, amount, story.scenes["a"].pos)
    want = _outcome(rules.added, effect, current, bounds)
    assert _outcome(fast.added(effect, bounds), {target: current}, {}, set()) == want


@settings(max_examples=150, deadline=None)
@given(st.integers(-6, 9), st.integers(0, 12),
       st.sampled_from(["", "n + ", "b - ", "n * ", "round(x) * "]),
       st.integers(0, 2**32 - 1), st.integers(0, 2000))
def test_a_random_of_literal_bounds_rolls_what_dice_roller_rolls(
        tmp_path_factory: Any, lo: int, width: int, prefix: str, seed: int, turn: int) -> None:
    """`random(LO, HI)` with whole-number literals (the twin's shortcut, `_random_between`,
    and `_rolled_onto` for a variable and a roll) rolls the number `dice.roller` rolls, alone
    and inside arithmetic; also for lo > hi (not the shortcut: it fails in both)."""
    hi = lo + width - 3  # (width 0..2: hi below lo)
    made = _story(tmp_path_factory.mktemp("lit"), "n", f"{prefix}random({lo}, {hi})")
    if made is None:
        return
    story, effect = made
    bounds = rules.bounds(story)
    variables = story.defaults()
    want = _outcome(rules.computed, effect, variables, {}, set(), bounds,
                    roller(seed, turn, "a", 0, "n"))
    plain, rolled = fast.computed(effect, "a", 0, bounds)
    assert plain is None and rolled is not None
    assert _outcome(rolled, variables, {}, set(), seed, turn) == want


def test_a_names_table_gives_what_lists_gives_for_every_value() -> None:
    """A list's `add`/`remove` as the runner's and the Engine's table (`NamesTable`) equals
    `lists.added`/`lists.removed` on every subset of the items, met once or again, and
    still past `TABLE_MAX` entries (then it computes without keeping)."""
    from itertools import combinations

    from game.story import lists

    items = ("badge", "script", "coffee", "headset", "memo")
    values = [c for k in range(len(items) + 1) for c in combinations(items, k)]
    for names in [(), ("coffee",), ("badge", "memo"), items]:
        add, remove = lists.names_added(items, names), lists.names_removed(names)
        for _ in range(2):
            for current in values:
                assert add[current] == lists.added(items, current, names)
                assert remove[current] == lists.removed(current, names)
    full = lists.names_added(items, ("memo",))
    full.update({(str(i),): () for i in range(lists.TABLE_MAX)})
    assert full[("badge",)] == ("badge", "memo") and len(full) == lists.TABLE_MAX
