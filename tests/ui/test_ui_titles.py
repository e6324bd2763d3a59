"""Titles that show variables (format v2) in the TUI: the play screen's heading, the ending
screen, and the journal, which keeps an ending's title as it read when first reached."""

from __future__ import annotations

from pathlib import Path

from conftest import MakeApp
from ui_helpers import screen_name, screen_text

STORY = """\
story: {id: titles, title: Titles, start: hub}
variables: {cups: 0}
scenes:
  hub:
    title: "Day {cups}: {&morning|evening}"
    text: t
    choices:
      - {text: Drink, goto: hub, effects: [{add: {cups: 1}}]}
      - {text: Leave, goto: end}
  end:
    text: t
    ending: {id: done, title: "Left after {cups} {?cups == 1|cup|cups}"}
"""


async def test_titles_are_rendered_and_the_journal_keeps_the_first(make_app: MakeApp,
                                                                   tmp_path: Path) -> None:
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "story.yaml").write_text(STORY, encoding="utf-8")
    app = make_app(folder)
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
