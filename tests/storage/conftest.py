"""Shared helpers for the storage tests: a private copy of the example story to edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from storage_helpers import EXAMPLE

from game.story.loader import load_or_raise
from game.story.model import Story


@pytest.fixture
def story_dir(tmp_path: Path) -> Path:
    """A copy of docs/example that a test may edit like an author would."""
    target = tmp_path / "story"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture
def story() -> Story:
    return load_or_raise(EXAMPLE)
