"""Fixtures every test can use: nothing a test does may touch the user's real folders.

Besides the private story cache: the example story (`docs/example`), a fresh save folder, a
private copy of the example to edit as an author would, and a disk that fills up on demand.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from game.story.files import load_or_raise
from game.story.model import Story

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "example"


@pytest.fixture(autouse=True)
def _private_story_cache(tmp_path_factory: pytest.TempPathFactory,
                         monkeypatch: pytest.MonkeyPatch) -> Path:
    """`offscreen check` and `play` cache compiled stories; keep that cache per test."""
    folder = tmp_path_factory.mktemp("story-cache")
    monkeypatch.setenv("OFFSCREEN_CACHE", str(folder))
    return folder


@pytest.fixture
def example() -> Story:
    return load_or_raise(EXAMPLE)


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    folder = tmp_path / "saves"
    folder.mkdir()
    return folder


@pytest.fixture
def story_copy(tmp_path: Path) -> Path:
    """A private copy of the example story, for tests that edit it."""
    folder = tmp_path / "story"
    shutil.copytree(EXAMPLE, folder)
    return folder


@pytest.fixture
def hinted_story(story_copy: Path) -> Path:
    """The example with a hint on its quiet ending (`ending: {..., hint: ...}`). The example
    has had that very hint since it moved to format v2 (the saves of tests/storage/fixtures
    name the v1 copy beside them), so this is a plain copy now; the replace below only
    matters to a copy of the v1 story."""
    scenes = story_copy / "scenes.yaml"
    scenes.write_text(scenes.read_text().replace(
        "ending: {id: quiet, title: A Quiet Start}",
        "ending: {id: quiet, title: A Quiet Start, hint: Keep to yourself on day one.}"))
    return story_copy


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it to make every later write to a file (not to stdout or stderr) fail with ENOSPC,
    as a full disk would; the test's end puts the real `os.write` back."""
    real_write = os.write

    def full(fd: int, data: bytes) -> int:
        if fd > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    return lambda: monkeypatch.setattr(os, "write", full)
