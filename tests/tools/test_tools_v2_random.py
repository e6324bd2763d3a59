"""Randomness (format v2) as properties, on generated v2 stories (benchmarks/gen_story.py
with `compute` and `bounds`: random(), min, max, clamp and bounded numbers in a tenth of
the scenes): the fast runner plays them exactly like the Engine, `back` then the same
choice gives the same outcome, and the seed changes nothing but what a `compute` stores."""

from __future__ import annotations

import dataclasses
import random
import sys
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from tools_helpers import ROOT

from game.engine import Engine, GameState
from game.story.files import load_or_raise
from game.story.model import Choice, Story
from game.tools.playtest import random_runs

sys.path.insert(0, str(ROOT / "benchmarks"))
import gen_story

FEATURES = frozenset({"compute", "bounds"})
STORIES = st.sampled_from([1, 2, 3])
"""Which generated stories (by generator seed): a few, as each takes a while to make."""


@cache
def generated(seed: int) -> Story:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="v2random-")) / "story"
    gen_story.generate(folder, scenes=200, files=2, seed=seed, v2=FEATURES)
    return load_or_raise(folder)


def _computes(story: Story) -> int:
    return sum(1 for scene in story.scenes.values()
               for effect in (*scene.on_enter, *(e for c in scene.choices for e in c.effects))
               if effect.expression is not None)


def test_the_generated_stories_compute_and_roll() -> None:
    story = generated(1)
    assert _computes(story) >= 3
    assert any(v.bounded for v in story.variables.values())
    assert any("random(" in (e.expression.source if e.expression else "")
               for scene in story.scenes.values()
               for e in (*scene.on_enter, *(x for c in scene.choices for x in c.effects)))


@settings(max_examples=6, deadline=None)
@given(STORIES, st.integers(0, 1000), st.sampled_from(["uniform", "least-taken"]))
def test_the_fast_runner_plays_generated_v2_stories_like_the_engine(
        story_seed: int, seed: int, strategy: str) -> None:
    story = generated(story_seed)
    fast = random_runs(story, 40, seed=seed, strategy=strategy, max_steps=80)  # type: ignore[arg-type]
    slow = random_runs(story, 40, seed=seed, strategy=strategy, max_steps=80,  # type: ignore[arg-type]
                       reference=True)
    assert (fast.coverage, fast.steps, fast.longest, fast.endings_reached, fast.problems) == (
        slow.coverage, slow.steps, slow.longest, slow.endings_reached, slow.problems)


def _walk(story: Story, game_seed: int, pick_seed: int, steps: int) -> list[tuple[GameState,
                                                                                  Choice]]:
    """A random walk: (state, the choice taken from it) at each step."""
    engine = Engine(story)
    rng = random.Random(pick_seed)
    state = engine.start(game_seed)
    out = []
    for _ in range(steps):
        options = engine.choices(state)
        if not options:
            break
        choice = rng.choice(options)
        out.append((state, choice))
        state = engine.take(state, choice)
    return out


@settings(max_examples=25, deadline=None)
@given(STORIES, st.integers(0, 2**32 - 1), st.integers(0, 10**6))
def test_back_then_the_same_choice_gives_the_same_outcome(story_seed: int, game_seed: int,
                                                          pick_seed: int) -> None:
    story = generated(story_seed)
    engine = Engine(story)
    for state, choice in _walk(story, game_seed, pick_seed, 60):
        after = engine.take(state, choice)
        before = engine.back(after)
        assert before is state
        again = engine.take(before, choice)
        assert again == after
        assert dict(again.variables) == dict(after.variables)


@settings(max_examples=25, deadline=None)
@given(STORIES, st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1),
       st.integers(0, 10**6))
def test_the_seed_only_changes_what_a_compute_stores(story_seed: int, seed_a: int,
                                                     seed_b: int, pick_seed: int) -> None:
    """The same move from the same state under two seeds: everything but the seed and the
    variables that move's computes set is the same."""
    story = generated(story_seed)
    engine = Engine(story)
    for state, choice in _walk(story, seed_a, pick_seed, 60):
        computed = {e.target for e in (*choice.effects, *story.scenes[choice.goto].on_enter)
                    if e.kind == "compute"}
        a = engine.take(state, choice)
        b = engine.take(dataclasses.replace(state, seed=seed_b), choice)
        assert (a.scene, a.visits, a.taken, a.facts, a.turn, a.via) == (
            b.scene, b.visits, b.taken, b.facts, b.turn, b.via)
        assert {k: v for k, v in a.variables.items() if k not in computed} == {
            k: v for k, v in b.variables.items() if k not in computed}
        assert b.seed == seed_b


def test_two_seeds_do_roll_differently_somewhere() -> None:
    """(So the property above is not met by rolling nothing.) Every move with a random()
    of the generated story, from a state in its scene, under twenty seeds."""
    story = generated(1)
    engine = Engine(story)
    differ = moves = 0
    for scene in story.scenes.values():
        for choice in scene.choices:
            effects = (*choice.effects, *story.scenes[choice.goto].on_enter)
            if not any(e.expression is not None and "random(" in e.expression.source
                       for e in effects):
                continue
            moves += 1
            start = GameState(scene.id, story.defaults(), {scene.id: 1}, frozenset(), ())
            outcomes = {tuple(sorted(engine.take(dataclasses.replace(start, seed=seed),
                                                 choice).variables.items()))
                        for seed in range(20)}
            differ += len(outcomes) > 1
    assert moves and differ == moves
