"""Fixtures for the Textual front end: the example story, a fresh save folder, an app factory.

Every app made here has animations off (so the typewriter shows text at once and screens
are stable) unless a test turns them back on, and records its toasts in `app.toasts`.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from game.story.loader import load_story
from game.story.model import Story
from game.ui.app import OffScreenApp

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "example"
BUGGY = Path(__file__).resolve().parent / "fixtures" / "buggy"


def load(folder: Path) -> Story:
    result = load_story(folder)
    assert result.story is not None, [str(d) for d in result.diagnostics]
    return result.story


class RecordingApp(OffScreenApp):
    """The real app, remembering every toast so tests can assert on what the player saw."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.toasts: list[str] = []

    def notify(self, message: str, **kwargs: object) -> None:  # type: ignore[override]
        self.toasts.append(message)
        super().notify(message, **kwargs)  # type: ignore[arg-type]


MakeApp = Callable[..., RecordingApp]


@pytest.fixture
def example() -> Story:
    return load(EXAMPLE)


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    folder = tmp_path / "saves"
    folder.mkdir()
    return folder


@pytest.fixture
def make_app(saves: Path) -> MakeApp:
    def make(story_dir: Path = EXAMPLE, *, load_slot: str | None = None, dev: bool = False,
             animations: bool = False, story: Story | None = None) -> RecordingApp:
        app = RecordingApp(story or load(story_dir), story_dir, saves, load=load_slot, dev=dev)
        if not animations:
            app.animation_level = "none"
        return app

    return make


@pytest.fixture
def story_copy(tmp_path: Path) -> Path:
    """A private copy of the example story, for tests that edit it."""
    folder = tmp_path / "story"
    shutil.copytree(EXAMPLE, folder)
    return folder
