"""Shared fixtures for the reliability tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.story import cache

EXAMPLE = Path(__file__).parents[2] / "docs" / "example"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of docs/example, with a private cache folder."""
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    target = tmp_path / "story"
    shutil.copytree(EXAMPLE, target)
    return target
