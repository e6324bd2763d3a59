"""Fixtures for the Textual front end: the example story, a fresh save folder, an app factory.

The example story, the save folder and the story copy to edit are the fixtures of
tests/conftest.py. Every app made here has animations off (so the typewriter shows text at once and screens
are stable) unless a test turns them back on, and records its toasts in `app.toasts`.
Every test in this folder carries the `ui` marker, so `pytest -m "not ui"` runs the rest of
the suite (the rules, the stores, the tools) in seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from game.story.files import load_story
from game.story.model import Story
from game.ui.app import OffScreenApp

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXAMPLE = REPO / "docs" / "example"
BUGGY = HERE / "fixtures" / "buggy"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark this folder's tests `ui` (the hook sees every collected test, so filter)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.ui)


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
def make_app(saves: Path) -> MakeApp:
    def make(story_dir: Path = EXAMPLE, *, load_slot: str | None = None, dev: bool = False,
             animations: bool = False, story: Story | None = None) -> RecordingApp:
        app = RecordingApp(story or load(story_dir), story_dir, saves, load=load_slot, dev=dev)
        if not animations:
            app.animation_level = "none"
        return app

    return make
