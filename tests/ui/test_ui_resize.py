"""Any terminal size: too small shows a clear notice and recovers; nothing ever crashes."""

from __future__ import annotations

import pytest
from conftest import MakeApp
from ui_helpers import screen_name, screen_text

from game.ui.app import MIN_HEIGHT, MIN_WIDTH

SIZES = [(20, 6), (12, 4), (39, 24), (80, 11), (MIN_WIDTH, MIN_HEIGHT), (60, 15), (80, 24),
         (120, 40), (200, 60), (21, 7)]

ROUTES = {
    "TitleScreen": [],
    "PlayScreen": ["enter"],
    "JournalScreen": ["enter", "2", "j"],
    "SavesScreen": ["enter", "s"],
    "SlotNameScreen": ["enter", "s", "n"],
    "HistoryScreen": ["enter", "2", "2", "h"],
    "HelpScreen": ["f1"],
    "SettingsScreen": ["o"],
    "EndingScreen": ["enter", "1", "2", "1", "1", "1"],
    "ConfirmScreen": ["ctrl+q"],
}


async def test_too_small_shows_a_notice_and_recovers(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.resize_terminal(20, 6)
        await pilot.pause()
        assert screen_name(app) == "TooSmallScreen"
        text = screen_text(app)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines == ["Terminal too small", "Please enlarge it",
                         f"to at least {MIN_WIDTH}x{MIN_HEIGHT}", "(now 20x6)"]
        await pilot.press("2", "j", "s", "f1")  # game keys do nothing meanwhile
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        assert "now 30x8" in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert app.session.state is not None and app.session.state.scene == "lobby"
        assert "The lobby smells" in screen_text(app)


async def test_starting_in_a_tiny_terminal(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(20, 6)) as pilot:
        await pilot.pause()
        assert screen_name(app) == "TooSmallScreen"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert screen_name(app) == "TitleScreen"
        assert "First Day" in screen_text(app)


@pytest.mark.parametrize("screen", list(ROUTES))
async def test_every_screen_survives_every_size(make_app: MakeApp, screen: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*ROUTES[screen])
        await pilot.pause()
        assert screen_name(app) == screen
        for width, height in SIZES:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            screen_text(app)  # composes the whole screen at this size
            small = width < MIN_WIDTH or height < MIN_HEIGHT
            assert screen_name(app) == ("TooSmallScreen" if small else screen), (width, height)


async def test_small_terminals_get_the_tighter_layout_classes(make_app: MakeApp) -> None:
    """`-narrow` (< 60 columns) and `-short` (< 20 rows) select the .tcss rules for small
    terminals; at the usual sizes neither is set, on every screen, old or newly shown."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.has_class("-narrow") and not app.screen.has_class("-short")
        await pilot.resize_terminal(50, 16)
        await pilot.pause()
        assert app.screen.has_class("-narrow") and app.screen.has_class("-short")
        title_box = app.screen.query_one("#title-box")
        assert title_box.styles.padding.top == 0  # Screen.-short #title-box
        await pilot.press("enter")  # a screen pushed while small is small from the start
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert app.screen.has_class("-narrow") and app.screen.has_class("-short")
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not app.screen.has_class("-narrow") and not app.screen.has_class("-short")
