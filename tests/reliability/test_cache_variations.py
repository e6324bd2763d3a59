"""Crafted cache entries of a story with text variations (format v2): a variation the
cold load would not make is refused when its scene is decoded, and play goes on cold."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_cache_crafted import Scenes, craft, same_as_cold

from game.story import cache

STORY = """\
story: {id: v, title: V, start: hub}
variables: {cups: 3, brave: false}
scenes:
  hub:
    text:
      - "{a|b} and {&c|{cups}|{~d|e}}"
      - "{?brave|bold|shy}"
    choices:
      - {text: "{!Sit|Sit again}", goto: hub, effects: [{set: {brave: true}}]}
      - {text: Leave, goto: end}
  end: {text: t, ending: {id: e, title: E}}
"""


@pytest.fixture
def varied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    target = tmp_path / "story"
    target.mkdir()
    (target / "story.yaml").write_text(STORY, encoding="utf-8")
    return target


def _hub(change: Callable[[list[Any]], None]) -> Callable[[Scenes], None]:
    return lambda blobs: change(next(b for b in blobs if b[0] == "hub"))


def _first(s: list[Any]) -> list[Any]:
    return s[3][0][0][1]  # type: ignore[no-any-return]  # the first paragraph's {a|b}


def _if(s: list[Any]) -> list[Any]:
    return s[3][1][0][1]  # type: ignore[no-any-return]


DAMAGE: dict[str, Callable[[Scenes], None]] = {
    "an unknown kind": _hub(lambda s: _first(s).__setitem__(0, "bogus")),
    "a negative salt": _hub(lambda s: _first(s).__setitem__(1, -1)),
    "a source that is no text": _hub(lambda s: _first(s).__setitem__(2, 5)),
    "a condition on a sequence": _hub(lambda s: _first(s).__setitem__(3, _if(s)[3])),
    "an if without its condition": _hub(lambda s: _if(s).__setitem__(3, None)),
    "no items": _hub(lambda s: _first(s).__setitem__(4, [])),
    "three texts after a condition": _hub(lambda s: _if(s)[4].append(["x"])),
    "an item naming an unknown variable": _hub(
        lambda s: s[3][0][0][3][4].__setitem__(1, ["", "ghost", ""])),
    "a variation where literal text goes": _hub(lambda s: s[3][0][0].__setitem__(0, _if(s))),
    "a variation too short": _hub(lambda s: _first(s).pop()),
    "a condition that does not check": _hub(
        lambda s: _if(s)[3].__setitem__(1, [[0, 3, 0]])),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_crafted_variation_is_refused_and_play_goes_on_cold(varied: Path,
                                                               damage: str) -> None:
    craft(varied, change_scenes=DAMAGE[damage])
    same_as_cold(varied)


def test_an_honest_entry_with_variations_loads_warm(varied: Path) -> None:
    craft(varied)
    warm = same_as_cold(varied)
    assert isinstance(warm.story.scenes if warm.story else None, cache.CachedScenes)
