"""The benchmark story generator writes valid, reproducible stories (untimed smoke test)."""

from __future__ import annotations

import sys
from pathlib import Path

from game.story.files import load_story

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
import gen_story


def test_a_small_generated_story_passes_check(tmp_path: Path) -> None:
    gen = gen_story.generate(tmp_path / "s", scenes=50, files=100, seed=1)
    result = load_story(tmp_path / "s")
    assert result.story is not None
    assert [str(d) for d in result.diagnostics] == []
    assert len(result.story.scenes) == 50
    assert len(result.files) == gen.files
    assert result.story.endings
    assert any(c.condition is not None for s in result.story.scenes.values() for c in s.choices)
    assert result.story.playthroughs


def test_the_generator_is_reproducible(tmp_path: Path) -> None:
    gen_story.generate(tmp_path / "a", scenes=60, files=3, seed=7)
    gen_story.generate(tmp_path / "b", scenes=60, files=3, seed=7)
    gen_story.generate(tmp_path / "c", scenes=60, files=3, seed=8)
    read = {name: {p.name: p.read_bytes() for p in (tmp_path / name).iterdir()}
            for name in "abc"}
    assert read["a"] == read["b"]
    assert read["a"] != read["c"]


def test_yaml_traps_are_quoted() -> None:
    for trap in ("on", "No", "yes", "off", "null", "~", "12", "3.0", "Say: hi", "*x*", "a #b"):
        assert gen_story.q(trap) != trap
    assert gen_story.q("Ask John about the camera") == "Ask John about the camera"
    assert gen_story.q('mood == "no"') == 'mood == "no"'


def test_the_fast_random_loop_plays_a_generated_story_exactly_like_the_engine(
        tmp_path: Path) -> None:
    """The benchmark's story has what the fixtures have little of at scale: `visits`/`seen`
    conditions on many scenes, on_enter effects, once choices, scenes no run reaches (rows
    the fast loop never builds), and runs cut off as possible loops."""
    from game.tools.playtest import random_runs

    gen_story.generate(tmp_path / "s", scenes=300, files=4, seed=5)
    story = load_story(tmp_path / "s").story
    assert story is not None
    for strategy in ("uniform", "least-taken"):
        fast = random_runs(story, 150, seed=2, strategy=strategy, max_steps=80)
        slow = random_runs(story, 150, seed=2, strategy=strategy, max_steps=80, reference=True)
        assert (fast.coverage, fast.steps, fast.longest, fast.problems) == (
            slow.coverage, slow.steps, slow.longest, slow.problems)
        assert fast.problems, "expected some runs cut off at 80 steps"
        assert len(fast.coverage.scenes) < len(story.scenes), "expected unreached scenes"


def test_the_loop_story_passes_check_and_walks_round(tmp_path: Path) -> None:
    choices = gen_story.generate_loop(tmp_path / "loop", scenes=120)
    result = load_story(tmp_path / "loop")
    assert result.story is not None
    assert [str(d) for d in result.diagnostics] == []
    story = result.story
    assert len(story.scenes) == 121  # the ring and its one ending
    assert sum(len(s.choices) for s in story.scenes.values()) == choices
    scene = story.scenes[story.start]
    for _ in range(120):
        scene = story.scenes[scene.choices[0].goto]
    assert scene.id == story.start
