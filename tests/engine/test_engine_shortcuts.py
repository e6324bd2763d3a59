"""The Engine's shortcuts held equal to the plain way (game/engine/engine.py): a compute
that calls no `random()` is evaluated with no dice, and every game starts from one shared
defaults dict. On a generated v2 story (benchmarks/gen_story.py, every v2 feature), random
walks give the same states either way, and the shared defaults never change."""

from __future__ import annotations

import random
import sys
import tempfile
from functools import cache
from pathlib import Path

import pytest

from game.engine import Engine, GameState
from game.engine import effects as engine_effects
from game.engine import engine as engine_module
from game.story.files import load_or_raise
from game.story.model import Story

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import gen_story  # noqa: E402
import gen_story_v2  # noqa: E402


@cache
def generated() -> Story:
    folder = Path(tempfile.mkdtemp(prefix="engine-shortcuts-")) / "story"
    gen_story.generate(folder, scenes=300, files=3, seed=5,
                       v2=gen_story_v2.parse_features("all"))
    return load_or_raise(folder)


def _walks(engine: Engine, runs: int = 60, steps: int = 120) -> list[list[GameState]]:
    out = []
    for run in range(runs):
        pick = random.Random(run).choice
        state, route = engine.start(seed=run), []
        for _ in range(steps):
            route.append(state)
            options = engine.choices(state)
            if engine.is_over(state) or not options:
                break
            state = engine.take(state, pick(options))
        out.append(route)
    return out


def test_a_compute_without_random_gives_what_it_gives_with_dice(
        monkeypatch: pytest.MonkeyPatch) -> None:
    story = generated()
    assert any(e.expression is not None and not engine_effects.rolls(e.expression)
               for s in story.scenes.values()
               for e in (*s.on_enter, *(x for c in s.choices for x in c.effects)))
    fast = _walks(Engine(story))
    monkeypatch.setattr(engine_module, "rolls", lambda expression: True)  # dice for all
    slow = _walks(Engine(story))
    assert [[s.key() for s in route] for route in fast] == \
        [[s.key() for s in route] for route in slow]
    assert [[s.turn for s in route] for route in fast] == \
        [[s.turn for s in route] for route in slow]


def test_every_game_starts_from_the_same_unchanged_defaults() -> None:
    story = generated()
    engine = Engine(story)
    first = engine.start()
    _walks(engine, runs=20)
    again = engine.start(seed=3)
    assert first.variables == story.defaults() == again.variables
    assert dict(engine.start().variables) == story.defaults()
