"""Readers for what is on screen, so tests assert on the words a player would see."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from textual.app import App
from textual.widgets import OptionList

from game.engine.state import GameState
from game.storage.profile import ProfileStore
from game.storage.saves import SaveStore
from game.story.files import load_or_raise

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example"


def screen_text(app: App[object]) -> str:
    """The terminal as plain text, exactly as composited (overlays and toasts included)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return console.export_text()


def options(app: App[object], selector: str) -> list[str]:
    menu = app.screen.query_one(selector, OptionList)
    return [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]


def highlighted(app: App[object], selector: str) -> str | None:
    """The id of the highlighted option of a menu on the current screen."""
    menu = app.screen.query_one(selector, OptionList)
    if menu.highlighted is None:
        return None
    return menu.get_option_at_index(menu.highlighted).id


def screen_name(app: App[object]) -> str:
    return type(app.screen).__name__


def store(app: App[object]) -> SaveStore:
    """The save folder of the app's session, read as another game would read it."""
    session = app.session  # type: ignore[attr-defined]
    session.flush()  # the app writes off its UI thread: wait for what it has queued
    return SaveStore(session.saves_dir, session.story)


def saved(app: App[object], slot: str = "autosave") -> GameState:
    """The game in a slot (the autosave by default), as a load would bring it back."""
    return store(app).load(slot).state


def scene(app: App[object]) -> str:
    """The id of the scene the app's game is at."""
    state = app.session.state  # type: ignore[attr-defined]
    assert state is not None
    return str(state.scene)


def set_speed(saves: Path, speed: int, story: Path = EXAMPLE) -> None:
    """The typewriter's speed in the profile the next app will read."""
    store = ProfileStore(saves, load_or_raise(story))
    store.save_settings(replace(store.load().settings, text_speed=speed))


def cut_the_kitchen(story: Path) -> None:
    """Edit a copy of docs/example as an author renaming a scene would: the kitchen becomes
    the galley in the scenes (its gotos and visits too) and in the playthroughs' expects, so
    the story still checks clean and a game saved in the kitchen has lost its scene."""
    scenes = story / "scenes.yaml"
    scenes.write_text(scenes.read_text().replace("goto: kitchen", "goto: galley")
                      .replace("  kitchen:\n", "  galley:\n")
                      .replace("visits(kitchen)", "visits(galley)"))
    plays = story / "playthroughs.yaml"
    plays.write_text(plays.read_text().replace("scene: kitchen", "scene: galley"))
