"""game.collector: start-up and bulk builds pause the collector and leave it as it was."""

from __future__ import annotations

import gc
import io
from pathlib import Path

import pytest

from game import collector
from game.commands import play

EXAMPLE = Path(__file__).parents[1] / "docs" / "example"
SHIPPED = Path(__file__).parents[1] / "scenes"


def test_paused_restores_the_collector_even_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector.paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_paused_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with collector.paused(freeze=True):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_freeze_moves_what_was_built_out_of_the_collectors_sight() -> None:
    before = gc.get_freeze_count()
    with collector.paused(freeze=True):
        built = [[i] for i in range(1000)]  # containers the collector would track
    assert gc.get_freeze_count() >= before + len(built)
    assert gc.isenabled()


def test_offscreen_play_starts_paused_and_plays_with_the_collector_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The front end is built with the collector paused and then run with it enabled."""
    seen: list[bool] = []
    monkeypatch.setattr("sys.stdin", io.StringIO("quit\n"))
    monkeypatch.setattr("sys.stdout", io.StringIO())
    real = play._front_end

    def spy(*args: object) -> object:
        seen.append(gc.isenabled())  # while building
        front = real(*args)  # type: ignore[arg-type]

        def run() -> int:
            seen.append(gc.isenabled())  # while playing
            return front()

        return run

    monkeypatch.setattr(play, "_front_end", spy)
    assert play.run(EXAMPLE, tmp_path / "saves", plain=True) == 0
    assert seen == [False, True]
    assert gc.isenabled()


@pytest.mark.parametrize("cache", [False, True])
def test_a_command_loading_a_story_never_runs_a_collection(cache: bool, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Not while loading, and not right after: everything built is frozen before the
    collector restarts (a collector merely re-enabled would walk it all at once)."""
    from game.commands.loading import load

    monkeypatch.setenv("OFFSCREEN_CACHE", str(tmp_path))
    runs: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            runs.append(info["generation"])

    if cache:
        load(SHIPPED, cache=True)  # fill the cache: the second load is the warm one
    load(SHIPPED)  # imports done; the example story is too small to show anything
    gc.collect()
    frozen = gc.get_freeze_count()
    gc.callbacks.append(note)
    try:
        result = load(SHIPPED, cache=cache)
    finally:
        gc.callbacks.remove(note)
    assert result.story is not None
    assert runs == []
    assert gc.get_freeze_count() > frozen  # the story is out of the collector's sight
    assert gc.isenabled()


@pytest.mark.parametrize("cache", [False, True])
def test_load_story_leaves_the_collector_alone(cache: bool, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A library call changes no process-wide state: no pause, no freeze (that is the
    commands' policy, game/commands/loading.py)."""
    from game.story.files import load_story

    monkeypatch.setenv("OFFSCREEN_CACHE", str(tmp_path))
    if cache:
        load_story(SHIPPED, cache=True)
    seen: list[bool] = []
    real = gc.disable
    monkeypatch.setattr(gc, "disable", lambda: (seen.append(True), real())[1])
    frozen = gc.get_freeze_count()
    result = load_story(SHIPPED, cache=cache)
    assert result.story is not None
    assert seen == []
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled()


@pytest.mark.parametrize("command", ["check", "graph", "saves", "serve", "test"])
def test_every_command_loads_through_the_policy(command: str) -> None:
    """So none of them plays with the collector running over a story it should not see."""
    import importlib

    module = importlib.import_module(f"game.commands.{command}")
    source = Path(module.__file__ or "").read_text()
    assert "from game.commands.loading import load" in source
    assert "load_story(" not in source
