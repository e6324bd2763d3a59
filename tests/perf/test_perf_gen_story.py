"""The benchmark story generator writes valid, reproducible stories (untimed smoke test)."""

from __future__ import annotations

import sys
from pathlib import Path

from game.story.loader import load_story

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
