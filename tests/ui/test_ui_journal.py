"""The journal: every fact by chapter, locked ones as ??? with a hint; endings; completion."""

from __future__ import annotations

from conftest import MakeApp
from ui_helpers import screen_name, screen_text

from game.ui.screens.journal import chapters


async def test_locked_facts_show_hints_and_unlocked_show_title_text_source(
        make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter", "2")  # the kitchen unlocks 'coffee'
        await pilot.press("j")
        await pilot.pause()
        assert screen_name(app) == "JournalScreen"
        text = screen_text(app)
        assert "25% complete · 1 of 2 facts · 0 of 2 endings" in text
        assert "Morning  (1/2)" in text
        assert "The coffee is terrible" in text
        assert "Everyone at the office agrees the coffee is terrible" in text
        assert "Source: Overheard at the coffee machine" in text
        assert "???" in text
        assert "Hint: Be kind to the person by the window." in text
        assert "Sam is nervous too" not in text
        assert "Endings" in text and "not reached yet" in text


async def test_journal_keeps_facts_and_endings_across_playthroughs(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter", "1", "2", "1", "1", "1")  # breath, hello, continue, lunch, end
        await pilot.pause()
        assert screen_name(app) == "EndingScreen"
        await pilot.press("n")  # a new game: this run has found nothing yet
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        text = screen_text(app)
        assert "50% complete · 1 of 2 facts · 1 of 2 endings" in text
        assert "A Friend on Day One" in text
        assert "Sam is nervous too" in text
        assert "(this playthrough)" not in text


async def test_journal_from_title_key_menu_and_palette_and_j_toggles(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("j")
        await pilot.pause()
        assert screen_name(app) == "JournalScreen"
        await pilot.press("j")  # the same key closes it
        await pilot.pause()
        assert screen_name(app) == "TitleScreen"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"journal")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "JournalScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert screen_name(app) == "TitleScreen"


def test_facts_group_by_chapter_in_story_order_with_the_rest_last(example: object) -> None:
    groups = chapters(example)  # type: ignore[arg-type]
    assert [(name, [f.id for f in facts]) for name, facts in groups] == [
        ("Morning", ["coffee", "sam_secret"])]
