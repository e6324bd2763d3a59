"""A story bug met in play is explained on a screen of its own, never as a traceback."""

from __future__ import annotations

from conftest import BUGGY, MakeApp
from ui_helpers import screen_name, screen_text


async def test_a_runtime_error_is_shown_with_its_place_and_back_recovers(
        make_app: MakeApp) -> None:
    app = make_app(BUGGY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "2")  # the broken door: a condition divides by zero
        await pilot.pause()
        assert screen_name(app) == "StoryErrorScreen"
        text = screen_text(app)
        assert "The story hit a bug and cannot go on from here." in text
        assert "story.yaml:32:16: error: division by zero" in text
        assert "Traceback" not in text
        await pilot.press("enter")  # Undo the last choice
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert app.session.state is not None and app.session.state.scene == "hall"
        await pilot.press("1", "1")  # the fine door, then The End
        await pilot.pause()
        assert screen_name(app) == "EndingScreen"


async def test_error_screen_title_and_quit(make_app: MakeApp) -> None:
    app = make_app(BUGGY)
    async with app.run_test() as pilot:
        await pilot.press("enter", "2")
        await pilot.pause()
        await pilot.press("down", "enter")  # Title screen
        await pilot.pause()
        assert screen_name(app) == "TitleScreen"
        await pilot.press("enter")  # Continue: the autosave is at the bug again
        await pilot.pause()
        assert screen_name(app) == "StoryErrorScreen"
        await pilot.press("down", "down", "enter", "y")  # Quit, confirmed
        await pilot.pause()
    assert app.return_code == 0
