"""Fixtures for the Session tests: the example story, a fresh save folder, a story to edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.story.files import load_or_raise
from game.story.model import Story

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example"


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
    """A private copy of the example story, for tests that edit it as an author would."""
    folder = tmp_path / "story"
    shutil.copytree(EXAMPLE, folder)
    return folder
