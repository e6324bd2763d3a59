"""Settings are remembered in the profile; quitting; NO_COLOR."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLE, MakeApp, load
from ui_helpers import saved, screen_name, screen_text

from game.storage.profile import ProfileStore


def stored(saves: Path) -> object:
    return ProfileStore(saves, load(EXAMPLE)).load().settings


async def test_theme_text_speed_and_quit_confirmation_are_saved(
        make_app: MakeApp, saves: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert screen_name(app) == "SettingsScreen"
        await pilot.press("enter")  # open the theme list
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.theme != "textual-dark"
        chosen = app.theme
        await pilot.press("tab", "enter")  # open the text speeds
        await pilot.pause()
        await pilot.press("up", "up", "enter")  # Normal -> Instant
        await pilot.pause()
        await pilot.press("tab", "space")  # ask before quitting: off
        await pilot.pause()
        settings = stored(saves)
        assert settings.theme == chosen  # type: ignore[attr-defined]
        assert settings.text_speed == 0  # type: ignore[attr-defined]
        assert settings.confirm_quit is False  # type: ignore[attr-defined]
        await pilot.press("escape", "ctrl+q")  # no question asked
        await pilot.pause()
    assert app.return_code == 0
    again = make_app()
    async with again.run_test() as pilot:
        await pilot.pause()
        assert again.theme == chosen


async def test_a_theme_picked_in_the_palette_is_remembered(
        make_app: MakeApp, saves: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        app.theme = "nord"
        await pilot.pause(1.3)  # written a moment after the change
        assert stored(saves).theme == "nord"  # type: ignore[attr-defined]
        app.theme = "gruvbox"
        await pilot.press("ctrl+q")  # quitting saves a pending theme at once
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert stored(saves).theme == "gruvbox"  # type: ignore[attr-defined]


async def test_ctrl_q_asks_then_quits_with_the_game_autosaved(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter", "2", "ctrl+q")
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen"
        assert "Quit First Day? Your game is saved." in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
    assert app.return_code == 0
    assert saved(app, "autosave").scene == "kitchen"


async def test_quitting_a_new_game_before_any_choice_keeps_the_previous_autosave(
        make_app: MakeApp) -> None:
    first = make_app()
    async with first.run_test() as pilot:
        await pilot.press("enter", "2", "ctrl+q", "y")  # the kitchen, autosaved
        await pilot.pause()
    second = make_app()
    async with second.run_test() as pilot:
        await pilot.press("down", "enter", "y", "ctrl+q")  # New game (asks: yes), then quit
        await pilot.pause()
        assert screen_name(second) == "ConfirmScreen"
        text = screen_text(second)
        assert "Quit First Day?" in text and "Your game is saved." not in text
        await pilot.press("y")
        await pilot.pause()
    assert saved(second).scene == "kitchen"


async def test_no_color_turns_every_colour_to_grey(
        make_app: MakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert app.no_color
        svg = app.export_screenshot()
    colours = set(re.findall(r"fill: #([0-9a-f]{6})", svg))
    assert colours
    colours.discard("c5c8c6")  # the screenshot's own default text colour, not the game's
    for colour in colours:
        red, green, blue = (colour[i:i + 2] for i in (0, 2, 4))
        assert red == green == blue, colour


async def test_profile_warning_is_shown(make_app: MakeApp, saves: Path) -> None:
    (saves / "profile.first-day.json").write_text("{ not json")
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert any("damaged" in toast for toast in app.toasts)
