"""The ending screen: names the ending, lists this run's facts, offers New game/Journal/Title."""

from __future__ import annotations

from conftest import MakeApp
from ui_helpers import options, screen_name, screen_text

LUNCH = ("enter", "1", "2", "1", "1", "1")  # breath, hello, continue, lunch, The End


async def test_an_ending_scene_is_read_then_the_end_leads_on(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press(*LUNCH[:-1])
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert "You and Sam split a sandwich" in screen_text(app)
        assert options(app, "#choices") == ["1. The End ▸"]
        await pilot.press("2")  # only 1 leads on
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        await pilot.click("#choices", offset=(6, 1))
        await pilot.pause()
        assert screen_name(app) == "EndingScreen"


async def test_ending_names_the_ending_and_lists_facts_found(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press(*LUNCH)
        await pilot.pause()
        assert screen_name(app) == "EndingScreen"
        text = screen_text(app)
        assert "THE END" in text and "A Friend on Day One" in text
        assert "Facts found in this playthrough: 1 of 2" in text
        assert "• Sam is nervous too" in text
        assert "(50% complete)" in text
        assert options(app, "#ending-menu") == ["New game", "Journal", "Title screen"]
        assert app.session.profile.endings == frozenset({"friends"})


async def test_ending_menu_new_game_journal_title(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press(*LUNCH)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen_name(app) == "JournalScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert screen_name(app) == "EndingScreen"
        await pilot.press("down", "enter")  # the highlight stayed on Journal
        await pilot.pause()
        assert screen_name(app) == "TitleScreen"
        await pilot.press("enter")  # Continue: the last scene again, then the ending
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert options(app, "#choices") == ["1. The End ▸"]
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "EndingScreen"
        await pilot.press("enter")  # New game (a fresh ending screen highlights it)
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert app.session.state is not None and app.session.state.scene == "lobby"
        assert "Courage so far: 0." in screen_text(app)


async def test_back_from_the_ending_returns_to_the_last_choice(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press(*LUNCH)
        await pilot.press("b")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert options(app, "#choices") == ["1. Have lunch with Sam ✓",  # taken: marked
                                               "2. Work through lunch"]
        await pilot.press("2", "1")  # work through lunch; The End
        await pilot.pause()
        assert "A Quiet Start" in screen_text(app)


async def test_at_40x12_the_ending_screen_names_the_ending_above_its_menu(
        make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press(*LUNCH)
        await pilot.pause()
        assert screen_name(app) == "EndingScreen"
        text = screen_text(app)
        assert "A Friend on Day One" in text and "Title screen" in text
