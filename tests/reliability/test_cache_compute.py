"""Computed effects and bounded numbers (format v2) in the compiled cache: an honest entry
loads warm and equal to a cold load (bounds, compute expressions with their functions of
numbers, random()), and a crafted entry breaking a rule the loader keeps is dropped for a
cold load."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_cache_crafted import Head, Scenes, craft, same_as_cold

from game.engine import Engine
from game.story import cache
from game.story.files import load_story

DICE = Path(__file__).parents[1] / "tools" / "fixtures" / "dice"


@pytest.fixture
def dice_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    target = tmp_path / "story"
    shutil.copytree(DICE, target)
    return target


def _variable(head: Head, name: str) -> list[Any]:
    return next(v for v in head[4][6] if v[0] == name)


def _compute(scene_id: str, change: Callable[[list[Any]], None]) -> Callable[[Scenes], None]:
    """Change the first on_enter effect (a compute) of a scene."""
    def apply(blobs: Scenes) -> None:
        scene = next(b for b in blobs if b[0] == scene_id)
        change(scene[4][0])
    return apply


def _records(change: Callable[[list[Any]], None]) -> Callable[[list[Any]], None]:
    """Change a compute's expression node records."""
    return lambda effect: change(effect[4][1])


HEAD_DAMAGE: dict[str, Callable[[Head], None]] = {
    "min above max": lambda h: _variable(h, "trust").__setitem__(4, 9),
    "the default outside the bounds": lambda h: _variable(h, "trust").__setitem__(1, 7),
    "bounds on true/false": lambda h: _variable(h, "lucky").__setitem__(5, 1),
    "a decimal bound of a whole number": lambda h: _variable(h, "trust").__setitem__(5, 4.5),
    "a bound that is text": lambda h: _variable(h, "trust").__setitem__(5, "5"),
}
SCENE_DAMAGE: dict[str, Callable[[Scenes], None]] = {
    "a compute into a missing variable": _compute("table", lambda e: e.__setitem__(1, "gone")),
    "a compute of another kind": _compute("table", lambda e: e.__setitem__(1, "lucky")),
    "a compute without its expression": _compute("table", lambda e: e.__setitem__(4, None)),
    "a function of the wrong arity": _compute("table", _records(
        lambda r: r.__setitem__(len(r) - 1, [5, "random", 3, 0]))),
    "a function that does not exist": _compute("table", _records(
        lambda r: r.__setitem__(len(r) - 1, [5, "explode", 2, 0]))),
    "a set kind with an expression": _compute("table", lambda e: e.__setitem__(0, "set")),
}


def test_an_honest_entry_with_computes_loads_warm_and_equal(dice_root: Path) -> None:
    cold = load_story(dice_root)
    load_story(dice_root, cache=True)
    warm = load_story(dice_root, cache=True)
    assert isinstance(warm.story.scenes if warm.story else None, cache.CachedScenes)
    assert warm == cold
    assert warm.story is not None and cold.story is not None
    assert (warm.story.variables["trust"].lo, warm.story.variables["trust"].hi) == (0, 5)
    effect = warm.story.scenes["table"].on_enter[0]
    assert effect.kind == "compute" and effect.expression is not None
    assert effect.expression.source == "random(1, 6)"
    assert Engine(warm.story).start(5) == Engine(cold.story).start(5)  # the same roll
    same_as_cold(dice_root)


@pytest.mark.parametrize("damage", sorted(HEAD_DAMAGE))
def test_crafted_bounds_in_the_head_are_dropped(dice_root: Path, damage: str) -> None:
    craft(dice_root, change_head=HEAD_DAMAGE[damage])
    assert same_as_cold(dice_root).story is not None


@pytest.mark.parametrize("damage", sorted(SCENE_DAMAGE))
def test_a_crafted_compute_is_dropped_when_decoded(dice_root: Path, damage: str) -> None:
    craft(dice_root, change_scenes=SCENE_DAMAGE[damage])
    same_as_cold(dice_root)
