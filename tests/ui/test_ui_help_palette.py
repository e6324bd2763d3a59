"""Help lists every key of every screen; the command palette offers the game's commands."""

from __future__ import annotations

from conftest import MakeApp
from textual.binding import Binding
from ui_helpers import screen_name, screen_text

from game.ui.app import OffScreenApp
from game.ui.screens.ending import EndingScreen
from game.ui.screens.help import key_name, sections
from game.ui.screens.play import PlayScreen
from game.ui.screens.saves import SavesScreen
from game.ui.screens.title import TitleScreen


def test_help_covers_every_binding_of_every_screen() -> None:
    listed = {keys for _, rows in sections() for keys, _ in rows}
    shown = " / ".join(sorted(listed))
    for cls in (OffScreenApp, TitleScreen, PlayScreen, EndingScreen, SavesScreen):
        for binding in Binding.make_bindings(cls.BINDINGS):
            if binding.action.startswith("pick(") and binding.action != "pick(1)":
                continue
            assert key_name(binding) in shown, (cls.__name__, binding.key)


def test_keys_are_spelled_for_reading() -> None:
    assert key_name(Binding("ctrl+q", "quit")) == "Ctrl+Q"
    assert key_name(Binding("escape", "x")) == "Esc"
    assert key_name(Binding("f5", "x")) == "F5"
    assert key_name(Binding("b", "x")) == "b"
    assert key_name(Binding("1", "x", key_display="1-9")) == "1-9"


async def test_question_mark_and_f1_open_help_from_anywhere(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 70)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert screen_name(app) == "HelpScreen"
        text = screen_text(app)
        for phrase in ("Take choice 1 to 9", "Back: undo your last choice", "Quicksave",
                       "Ctrl+P", "Command palette", "F5", "F9"):
            assert phrase in text
        await pilot.press("escape", "enter", "f1")
        await pilot.pause()
        assert screen_name(app) == "HelpScreen"
        await pilot.press("f1")  # the same key closes it
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"


async def palette_titles(app: OffScreenApp) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


async def test_palette_offers_the_game_commands(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        at_title = await palette_titles(app)
        assert "Save" not in at_title and "Back" not in at_title  # no game yet
        assert {"Load", "Journal", "Help", "Theme", "Settings", "Quit"} <= set(at_title)
        await pilot.press("enter")
        await pilot.pause()
        playing = await palette_titles(app)
        assert {"Save", "Load", "Journal", "History", "Back", "Theme", "Help"} <= set(playing)
        assert "Keys" not in playing  # the Help screen replaces Textual's key panel


async def test_palette_runs_commands(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter", "2")
        for query, expected in [("history", "HistoryScreen"), ("save", "SavesScreen"),
                                ("help", "HelpScreen")]:
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*query)
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
            assert screen_name(app) == expected, query
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.press(*"back")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.state is not None and app.session.state.scene == "lobby"
