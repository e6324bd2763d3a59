"""Titles that show variables (format v2) in the TUI: the play screen's heading, the ending
screen, and the journal, which keeps an ending's title as it read when first reached."""

from __future__ import annotations

from pathlib import Path

from conftest import MakeApp
from ui_helpers import screen_name, screen_text

STORY = Path(__file__).resolve().parents[1] / "tools" / "fixtures" / "titles"
"""The session tests' story: titles that show a variable and a variation."""


async def test_titles_are_rendered_and_the_journal_keeps_the_first(make_app: MakeApp) -> None:
    app = make_app(STORY)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Day 0: morning" in screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert "Day 1: evening" in screen_text(app)
        await pilot.press("2")  # the ending scene, in play, then on to its screen
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert screen_name(app) == "EndingScreen"
        assert "Left after 1 cup" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("1", "1", "2", "1")
        await pilot.pause()
        assert screen_name(app) == "EndingScreen"
        assert "Left after 2 cups" in screen_text(app)
        await pilot.press("j")
        await pilot.pause()
        text = screen_text(app)
        assert screen_name(app) == "JournalScreen"
        assert "Left after 1 cup" in text and "Left after 2 cups" not in text
