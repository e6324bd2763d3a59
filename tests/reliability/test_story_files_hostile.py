"""Story files and the cache entry that are not what they seem, and the hashing thread."""

from __future__ import annotations

import os
import threading
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from game.cli import main
from game.story import cache
from game.story.files import load_story

EXAMPLE = Path(__file__).parents[2] / "docs" / "example"
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev")


@posix_only
@pytest.mark.parametrize(("make", "words"), [
    (lambda p: os.mkfifo(p), "a named pipe (FIFO), not a regular file"),
    (lambda p: p.symlink_to("/dev/urandom"), "a device, not a regular file"),
])
def test_a_story_file_that_is_a_pipe_or_a_device_is_reported(
        root: Path, make: Callable[[Path], None], words: str) -> None:
    make(root / "more.yaml")
    for cached in (False, True):
        result = load_story(root, cache=cached)
        assert result.story is None
        assert any(words in d.message and d.pos.file.endswith("more.yaml")
                   for d in result.errors), [str(d) for d in result.diagnostics]


@posix_only
@pytest.mark.parametrize("make", [lambda p: os.mkfifo(p),
                                  lambda p: p.symlink_to("/dev/zero")])
def test_a_cache_entry_that_is_a_pipe_or_a_device_means_a_cold_load(
        root: Path, make: Callable[[Path], None]) -> None:
    entry = cache.entry_path(root)
    entry.parent.mkdir(parents=True)
    make(entry)
    result = load_story(root, cache=True)
    assert result.story is not None
    assert [str(d) for d in result.diagnostics] == [str(d) for d in load_story(root).diagnostics]


def test_a_file_over_the_limit_is_refused_before_it_is_hashed(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 1 MiB file sends hashing to the second thread; a 2 GB sparse one beside it must be
    refused there without being read (it used to be hashed whole before the size check)."""
    (root / "filler.yaml").write_text(("# " + "x" * 97 + "\n") * (2**20 // 100 + 1))
    with (root / "huge.yaml").open("wb") as handle:
        handle.truncate(2 * 2**30)
    tracemalloc.start()
    result = load_story(root, cache=True)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 64 * 2**20
    assert any("story files are limited to 64 MiB" in d.message for d in result.errors)


def test_an_error_on_the_hashing_thread_is_raised_where_the_game_handles_errors(
        root: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cache, "PARALLEL_FROM", 0)
    load_story(root, cache=True)
    main_thread = threading.current_thread()

    real = cache._FileDigests.work
    raised: list[str] = []

    def broken_work(self: cache._FileDigests) -> None:
        if threading.current_thread() is main_thread:  # it shares the files with the other
            real(self)
            return
        raised.append("hashing")
        raise MemoryError("hashing")

    monkeypatch.setattr(cache._FileDigests, "work", broken_work)
    with pytest.raises(MemoryError, match="hashing"):
        load_story(root, cache=True)
    assert raised == ["hashing"]  # really on the second thread
    assert main(["check", str(root)]) != 0
    err = capsys.readouterr().err
    assert "internal error: MemoryError" in err
    assert "Traceback" not in err
