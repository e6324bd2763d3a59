"""Fixtures every test gets: nothing a test does may touch the user's real folders."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_story_cache(tmp_path_factory: pytest.TempPathFactory,
                         monkeypatch: pytest.MonkeyPatch) -> Path:
    """`offscreen check` and `play` cache compiled stories; keep that cache per test."""
    folder = tmp_path_factory.mktemp("story-cache")
    monkeypatch.setenv("OFFSCREEN_CACHE", str(folder))
    return folder
