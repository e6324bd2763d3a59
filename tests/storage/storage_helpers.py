"""Helpers shared by the storage tests (imported by name: tests/ has no packages)."""

from __future__ import annotations

from pathlib import Path

from game.engine import Engine, GameState
from game.story.model import Story

EXAMPLE = Path(__file__).parents[2] / "docs" / "example"


def edit(folder: Path, filename: str, old: str, new: str) -> None:
    """Replace one exact piece of a story file (failing loudly if it is not there)."""
    path = folder / filename
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} not found exactly once in {filename}"
    path.write_text(text.replace(old, new))


def play(story: Story, *choices: str) -> GameState:
    """Start and take the given choices by id."""
    engine = Engine(story)
    state = engine.start()
    for choice in choices:
        state = engine.choose(state, choice)
    return state
