"""`expr.never_true` only ever says what is certain: checked against brute force."""

from __future__ import annotations

import itertools
import random

from game.story import expr

OPS = ("<", "<=", ">", ">=", "==", "!=")


def _random_condition(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.random()
        if kind < 0.7:
            parts.append(f"{rng.choice('xy')} {rng.choice(OPS)} {rng.randint(-2, 2)}")
        elif kind < 0.85:
            parts.append(rng.choice(["flag", "not flag", "not (x > 1)", "seen(a)",
                                     "not seen(a)", "visits(a) <= 1"]))
        else:
            parts.append(f"({rng.choice('xy')} > 0 or flag)")
    return " and ".join(parts)


def test_what_never_true_proves_no_state_satisfies() -> None:
    rng = random.Random(13)
    grid = [v / 2 for v in range(-8, 9)]
    proven = 0
    for _ in range(1500):
        source = _random_condition(rng)
        tree = expr.parse(source)
        scene = rng.choice([None, "a"])
        if expr.never_true(tree, scene) is None:
            continue
        proven += 1
        evaluate = expr.compile_expr(tree)
        visits = [1, 2] if scene == "a" else [0, 1, 2]
        for x, y, flag, seen in itertools.product(grid, grid, (False, True), visits):
            variables = {"x": x, "y": y, "flag": flag}
            assert not evaluate(variables, {"a": seen}, frozenset()), (source, scene, x, y)
    assert proven > 100  # the test does test something


def test_the_quick_text_guard_never_hides_a_contradiction() -> None:
    rng = random.Random(7)
    for _ in range(1500):
        source = _random_condition(rng)
        if expr.never_true(expr.parse(source)) is not None:
            assert expr.may_contradict(source), source
