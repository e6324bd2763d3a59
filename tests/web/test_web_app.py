"""The web game's keys: a twin for every app-wide key a browser may keep, shown where it counts."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Footer
from ui_helpers import screen_name, screen_text

from game.story.files import load_story
from game.ui.screens.help import sections
from game.web.app import WebApp

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example"


class RecordingWebApp(WebApp):
    """The web game, remembering its toasts."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.toasts: list[str] = []

    def notify(self, message: str, **kwargs: object) -> None:  # type: ignore[override]
        self.toasts.append(message)
        super().notify(message, **kwargs)  # type: ignore[arg-type]


def web_app(saves: Path) -> RecordingWebApp:
    story = load_story(EXAMPLE).story
    assert story is not None
    app = RecordingWebApp(story, EXAMPLE, saves)
    app.animation_level = "none"
    return app


async def test_footer_shows_the_twins_not_the_keys_browsers_keep(tmp_path: Path) -> None:
    app = web_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # New game: the play screen and its footer
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert app.screen.query(Footer)
        footer = screen_text(app).splitlines()[-1]
        assert "q Quit" in footer and "? Help" in footer
        assert "^q" not in footer and "F1" not in footer


async def test_the_twins_work(tmp_path: Path) -> None:
    app = web_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("S")  # Shift+S: quicksave
        await pilot.pause()
        assert any(p.name.startswith("quick") for p in tmp_path.iterdir())
        assert "Quicksaved (Shift+L to return here)." in app.toasts
        await pilot.press("2")  # to the kitchen, then Shift+L back to the lobby
        await pilot.pause()
        assert "The Kitchen" in screen_text(app)
        await pilot.press("L")
        await pilot.pause()
        assert "The Lobby" in screen_text(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert screen_name(app) == "HelpScreen"
        await pilot.press("escape", "q")
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen"


async def test_the_terminal_keys_still_work_where_they_reach_the_game(tmp_path: Path) -> None:
    app = web_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert screen_name(app) == "HelpScreen"
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen"


def test_help_lists_both_keys_in_the_web_game() -> None:
    everywhere = dict(sections(app=WebApp)[0][1])
    assert "Ctrl+Q / q" in everywhere and "F1 / ?" in everywhere
    assert "Shift+S" in everywhere and "Shift+L" in everywhere
    terminal = dict(sections()[0][1])  # the terminal game's help is as it was
    assert "Ctrl+Q" in terminal and "Shift+S" not in terminal
