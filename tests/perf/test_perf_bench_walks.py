"""The random-playthrough rows of benchmarks/run.py compare like with like (untimed)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from game import collector
from game.story.files import load_story
from game.tools.playtest import random_runs

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
import run as bench

EXAMPLE = Path(__file__).parents[2] / "docs" / "example"


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records each use of `collector.paused`: whether the collector was off inside it."""
    seen: list[bool] = []
    real = collector.paused

    @contextmanager
    def recording(*, freeze: bool = False) -> Iterator[None]:
        with real(freeze=freeze):
            seen.append(gc.isenabled())
            yield

    monkeypatch.setattr(collector, "paused", recording)
    return seen


def test_the_like_for_like_dict_walk_pauses_the_collector_as_random_runs_does(
        pauses: list[bool]) -> None:
    result = load_story(EXAMPLE)
    assert result.story is not None
    pauses.clear()  # loading pauses it too
    plain = bench._dict_walk(result.story, 20)
    assert pauses == []  # the dict walk as first measured leaves the collector running
    paused = bench._dict_walk(result.story, 20, paused=True)
    assert pauses == [False]
    random_runs(result.story, 3)
    assert pauses == [False, False]  # the runner pauses it the same way, once around the runs
    assert paused["steps"] == plain["steps"] > 0  # the same walk either way


def test_the_runner_is_shown_against_both_dict_walks_and_the_target_stays_on_the_first() -> None:
    s = bench.Sampler(Path("."), {}, lambda _: None)
    for label, rate in (("walk-dict", 4e6), ("walk-dict-paused", 5e6), ("walk-runner", 1e6),
                        ("walk-engine", 3e5)):
        s.samples[label] = [{"rate": rate}]
    rows = bench.walk_rows(s)
    assert [(r[1].split(":")[0], r[3], r[4]) for r in rows] == [
        ("dict walk", "0.250x", ">= 0.25x yes"),
        ("dict walk, collector paused", "0.200x", "(comparison)"),
        ("dict walk", "0.075x", "(comparison)"),
    ]
    assert "like for like" in rows[1][0]


def test_benchmarks_compile_the_sources_the_workers_import() -> None:
    """run.py's workers never write bytecode, so a stale `.pyc` would put compiling inside
    a timed region: `compile_sources` leaves every module of game/ with fresh bytecode."""
    import importlib.util

    bench.compile_sources()
    for source in (Path(bench.REPO) / "game").rglob("*.py"):
        cached = Path(importlib.util.cache_from_source(str(source)))
        assert cached.exists(), source
        assert cached.stat().st_mtime >= source.stat().st_mtime, source
