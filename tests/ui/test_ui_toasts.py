"""Toasts (a save, a load, a problem) sit in a band above the footer that the screen makes
room for: never over the heading bar, the scene's text or a dialog; one at a time."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MakeApp, RecordingApp
from textual.pilot import Pilot
from ui_helpers import screen_text

SIZES = [(100, 30), (60, 20), (40, 12)]
MESSAGE = "Saved as 'a rather long name'."


def rows(app: RecordingApp) -> list[str]:
    return screen_text(app).splitlines()


def row_of(lines: list[str], words: str) -> int:
    return next(i for i, line in enumerate(lines) if words in line)


async def until(pilot: Pilot[object], ready: object, tries: int = 400) -> None:
    """Pause until `ready()` holds (a condition, never a fixed wait); the test asserts it."""
    for _ in range(tries):
        if ready():  # type: ignore[operator]
            return
        await pilot.pause(0.05)


@pytest.mark.parametrize("size", SIZES)
async def test_a_toast_covers_neither_the_heading_nor_the_text_nor_the_choices(
        make_app: MakeApp, size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.press("enter", "2")  # the kitchen: a fact found, two choices
        await pilot.pause()
        before = rows(app)
        top = row_of(before, "The coffee machine") + 1  # the heading and the first line
        app.notify(MESSAGE, title="Save")
        await until(pilot, lambda: MESSAGE in screen_text(app))
        after = rows(app)
        assert MESSAGE in "\n".join(after)
        assert after[:top] == before[:top]  # the heading bar and the text's first line
        toast = row_of(after, MESSAGE)
        assert toast > row_of(after, "2. Go to your desk")  # under the choices, both shown
        assert toast < len(after) - 1  # above the footer, which stays
        assert "1-9 Choose" in after[-1]


@pytest.mark.parametrize("size", SIZES)
async def test_a_toast_never_covers_a_dialog_and_one_raised_meanwhile_waits(
        make_app: MakeApp, size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.press("enter", "2")
        await pilot.pause()
        app.notify(MESSAGE, title="Save")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        app.notify("Raised meanwhile.", title="Later")
        await pilot.pause()
        lines = rows(app)
        first, last = row_of(lines, "▀▀▀"), row_of(lines, "▄▄▄")
        dialog = "\n".join(lines[first:last + 1])
        assert "Quit (y)" in dialog and "Keep playing (n)" in dialog
        assert "Saved as" not in dialog and "Raised meanwhile" not in "\n".join(lines)
        await pilot.press("n")
        await until(pilot, lambda: "Raised meanwhile." in screen_text(app))
        assert "Raised meanwhile." in screen_text(app)  # shown, not lost


async def test_one_toast_at_a_time_and_the_one_under_it_comes_back(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await pilot.press("enter", "2")
        await pilot.pause()
        app.notify("The older message.", title="Older", timeout=30)
        app.notify("The newer message.", title="Newer", timeout=4)

        def only(message: str) -> bool:  # (the frame a toast is mounted in may show both)
            text = screen_text(app)
            return message in text and sum(m in text for m in ("The older message.",
                                                               "The newer message.")) == 1

        await until(pilot, lambda: only("The newer message."))
        assert only("The newer message.")
        await until(pilot, lambda: only("The older message."))  # the newer one timed out
        assert only("The older message.")


async def test_a_toast_is_one_line_with_its_title_first(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        app.notify(MESSAGE, title="Save")
        await until(pilot, lambda: MESSAGE in screen_text(app))
        toast = [line for line in rows(app) if "▌" in line]
        assert [line.strip() for line in toast] == [f"▌ Save · {MESSAGE}"]


async def test_a_toast_shows_a_save_name_as_written_not_as_markup(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        for name in ("[b]bold[/b]", "odd [ and ] \\[x] [@click=app.quit]q[/]"):
            app.clear_notifications()
            # a long life: on a loaded machine the check must not race the toast's expiry
            app.notify(f"Saved as '{name}'.", title="Save", timeout=120)
            await until(pilot, lambda name=name: name in screen_text(app))
            assert f"Saved as '{name}'." in screen_text(app)


async def test_several_facts_found_together_are_one_line_and_no_toast(
        make_app: MakeApp, story_copy: Path) -> None:
    scenes = story_copy / "scenes.yaml"
    scenes.write_text(scenes.read_text().replace("- unlock: coffee",
                                                 "- unlock: [coffee, sam_secret]"))
    app = make_app(story_copy)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("enter", "2")
        await pilot.pause()
        found = [line for line in rows(app) if "for your journal" in line]
        assert [line.strip() for line in found] == [
            "★ 2 new facts for your journal: The coffee is terrible; Sam is nervous too"]
        assert app.toasts == []
