"""The storage tests' names for the shared fixtures of tests/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.story.model import Story


@pytest.fixture
def story_dir(story_copy: Path) -> Path:
    """A copy of docs/example that a test may edit like an author would."""
    return story_copy


@pytest.fixture
def story(example: Story) -> Story:
    return example
