"""The title screen: the story's name, and a menu that puts Continue first when it can."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, MakeApp
from ui_helpers import highlighted, options, screen_name, screen_text


async def test_title_shows_story_title_subtitle_and_menu(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "First Day" in text
        assert "A very small story" in text
        assert options(app, "#menu") == ["New game", "Load", "Journal", "Extras", "Settings",
                                         "Quit"]
        assert highlighted(app, "#menu") == "new"
        assert "Facts 0/2 · Endings 0/2" in text


async def test_enter_on_new_game_starts_playing(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert "The lobby smells of carpet glue" in screen_text(app)


async def test_continue_is_first_and_highlighted_once_an_autosave_exists(
        make_app: MakeApp) -> None:
    first = make_app()
    async with first.run_test() as pilot:
        await pilot.press("enter", "2")  # new game, walk into the kitchen (autosaved)
        await pilot.pause()
    second = make_app()
    async with second.run_test() as pilot:
        await pilot.pause()
        assert options(second, "#menu")[0] == "Continue"
        assert highlighted(second, "#menu") == "continue"
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(second) == "PlayScreen"
        assert "The coffee machine gurgles" in screen_text(second)


async def test_escape_from_play_returns_to_title_with_continue(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert screen_name(app) == "TitleScreen"
        assert options(app, "#menu")[0] == "New game"  # a new game is saved from its first choice
        await pilot.press("enter", "1", "escape")
        await pilot.pause()
        assert screen_name(app) == "TitleScreen"
        assert options(app, "#menu")[0] == "Continue"


async def test_menu_items_open_their_screens(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        for steps, expected in [(["down", "enter"], "SavesScreen"),
                                (["down", "down", "enter"], "JournalScreen"),
                                (["down", "down", "down", "enter"], "ExtrasScreen"),
                                (["down", "down", "down", "down", "enter"],
                                 "SettingsScreen")]:
            await pilot.press(*steps)
            await pilot.pause()
            assert screen_name(app) == expected
            await pilot.press("escape")
            await pilot.pause()
            assert screen_name(app) == "TitleScreen"


async def test_quit_item_asks_then_exits(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("up", "enter")  # wraps to Quit
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen"
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.parametrize("size", [(100, 30), (60, 20), (40, 12)])
async def test_the_whole_title_fits_with_continue_and_extras(make_app: MakeApp,
                                                             size: tuple[int, int]) -> None:
    """The shipped story (a two-line subtitle at 40 wide) with every item, Continue too."""
    app = make_app(REPO / "scenes")
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter", "1", "escape")  # a game in progress: Continue is offered
        await pilot.pause()
        lines = [line.strip(" ║") for line in screen_text(app).splitlines()]
        items = ["Continue", "New game", "Load", "Journal", "Extras", "Settings", "Quit"]
        assert options(app, "#menu") == items
        for item in items:
            assert item in lines, item
        assert "Off Screen" in lines
        assert any(line.startswith("Facts ") and "Endings 0/6" in line for line in lines)
        assert "⏎ Select" in lines[-1]  # the footer too


async def test_at_40x12_a_toast_on_the_title_leaves_every_item_and_the_progress_line(
        make_app: MakeApp) -> None:
    app = make_app(REPO / "scenes")
    async with app.run_test(size=(40, 12), notifications=True) as pilot:
        await pilot.press("enter", "1", "escape")
        await pilot.pause()
        app.action_quickload()  # from the palette: no quicksave yet, a warning toast
        for _ in range(20):
            if "There is no quicksave yet" in screen_text(app):
                break
            await pilot.pause(0.05)
        lines = [line.strip(" ║") for line in screen_text(app).splitlines()]
        assert any("There is no quicksave yet" in line for line in lines)
        for item in ("Continue", "New game", "Load", "Journal", "Extras", "Settings", "Quit"):
            assert item in lines, item
        assert any(line.startswith("Facts ") for line in lines)


async def test_a_story_without_a_subtitle_shows_none(make_app: MakeApp, story_copy: Path) -> None:
    story = story_copy / "story.yaml"
    story.write_text(story.read_text().replace("  subtitle: A very small story\n", ""))
    app = make_app(story_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#title-subtitle").display
        assert "A very small story" not in screen_text(app)
