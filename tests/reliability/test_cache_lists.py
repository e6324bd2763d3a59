"""List variables (format v2) in the compiled cache: an honest entry of a story with lists
loads warm and equal to a cold load (items, defaults, effects, `in` and count()), and a
crafted entry whose lists break a rule the loader keeps is dropped for a cold load."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_cache_crafted import Head, Scenes, craft, same_as_cold

from game.story import cache
from game.story.files import load_story

LISTS = Path(__file__).parents[1] / "tools" / "fixtures" / "lists"


@pytest.fixture
def lists_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    target = tmp_path / "story"
    shutil.copytree(LISTS, target)
    return target


def _variable(head: Head, name: str) -> list[Any]:
    return next(v for v in head[4][6] if v[0] == name)


def _effect(scene_id: str, change: Callable[[list[Any]], None]) -> Callable[[Scenes], None]:
    """Change the first on_enter effect of a scene."""
    def apply(blobs: Scenes) -> None:
        scene = next(b for b in blobs if b[0] == scene_id)
        change(scene[4][0])
    return apply


HEAD_DAMAGE: dict[str, Callable[[Head], None]] = {
    "a default outside the items": lambda h: _variable(h, "pockets").__setitem__(1, ["pen2"]),
    "a default out of declared order": lambda h: _variable(h, "pockets").__setitem__(
        1, ["pen", "badge"]),
    "a default name twice": lambda h: _variable(h, "pockets").__setitem__(1, ["badge"] * 2),
    "items named twice": lambda h: _variable(h, "pockets").__setitem__(3, ["a", "a"]),
    "no items": lambda h: _variable(h, "pockets").__setitem__(3, []),
    "items that are not names": lambda h: _variable(h, "pockets").__setitem__(3, [1, 2]),
    "a list default without items": lambda h: _variable(h, "pockets").__setitem__(3, None),
    "items on a text variable": lambda h: _variable(h, "who").__setitem__(3, ["script"]),
    "a variable without its items slot": lambda h: _variable(h, "who").pop(),
}
SCENE_DAMAGE: dict[str, Callable[[Scenes], None]] = {
    "an add of a name outside the items": _effect(
        "desk", lambda e: e.__setitem__(2, ["nowhere"])),
    "a remove of a text variable": _effect(
        "kitchen", lambda e: (e.__setitem__(0, "remove"), e.__setitem__(1, "who"))),
    "an add of a number to a list": _effect("desk", lambda e: e.__setitem__(2, 1)),
    "an unlock of a list": _effect("desk", lambda e: e.__setitem__(0, "unlock")),
}


def test_an_honest_entry_with_lists_loads_warm_and_equal(lists_root: Path) -> None:
    cold = load_story(lists_root)
    load_story(lists_root, cache=True)
    warm = load_story(lists_root, cache=True)
    assert isinstance(warm.story.scenes if warm.story else None, cache.CachedScenes)
    assert warm == cold
    assert warm.story is not None
    assert warm.story.variables["pockets"].items == ("badge", "script", "coffee", "pen")
    same_as_cold(lists_root)


@pytest.mark.parametrize("damage", sorted(HEAD_DAMAGE))
def test_a_crafted_list_in_the_head_is_dropped(lists_root: Path, damage: str) -> None:
    craft(lists_root, change_head=HEAD_DAMAGE[damage])
    assert same_as_cold(lists_root).story is not None


@pytest.mark.parametrize("damage", sorted(SCENE_DAMAGE))
def test_a_crafted_list_effect_is_dropped_when_decoded(lists_root: Path, damage: str) -> None:
    craft(lists_root, change_scenes=SCENE_DAMAGE[damage])
    same_as_cold(lists_root)
