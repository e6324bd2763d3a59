"""`--dev`: edits to the story files show up in the running game; errors show in a panel."""

from __future__ import annotations

from pathlib import Path

from conftest import MakeApp
from textual.widgets import Static
from ui_helpers import cut_the_kitchen, screen_name, screen_text

from game.ui.widgets.dev_panel import DevPanel


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "scenes.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


async def test_an_edit_reloads_and_keeps_the_players_place(
        make_app: MakeApp, story_copy: Path) -> None:
    app = make_app(story_copy, dev=True)
    async with app.run_test() as pilot:
        await pilot.press("enter", "1", "1")  # courage 1, then the kitchen
        await pilot.pause()
        assert app.session.state is not None and app.session.state.scene == "kitchen"
        edit(story_copy, "gurgles like a swamp", "gurgles like an old kettle")
        await pilot.pause(0.8)  # the half-second poll notices by itself
        assert "gurgles like an old kettle" in screen_text(app)
        assert any("Story reloaded" in t or "reloaded" in t.lower() for t in app.toasts)
        state = app.session.state
        assert state is not None and state.scene == "kitchen"
        assert state.variables["courage"] == 1
        assert state.previous is not None  # history survives: Back still works
        await pilot.press("b")
        await pilot.pause()
        assert app.session.state is not None and app.session.state.scene == "lobby"


async def test_errors_show_in_a_panel_and_the_last_good_story_plays_on(
        make_app: MakeApp, story_copy: Path) -> None:
    app = make_app(story_copy, dev=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "2")
        await pilot.pause()
        edit(story_copy, "goto: desk\n", "goto: nowhere\n")
        app.poll_story()
        await pilot.pause()
        panel = app.screen.query_one(DevPanel)
        assert panel.display
        text = screen_text(app)
        assert "The story on disk has 1 error; playing the last good version." in text
        shown = str(panel.content)  # the panel wraps a long path; check its own text
        assert "scenes.yaml:32:15: error: goto: no scene 'nowhere'" in shown
        await pilot.press("2")  # the old story still works: on to the desk
        await pilot.pause()
        assert app.session.state is not None and app.session.state.scene == "desk"
        await pilot.press("escape")
        await pilot.pause()
        assert screen_name(app) == "TitleScreen"
        assert app.screen.query_one(DevPanel).display  # on the title screen too
        edit(story_copy, "goto: nowhere\n", "goto: desk\n")
        app.poll_story()
        await pilot.pause()
        assert not app.screen.query_one(DevPanel).display
        assert str(app.screen.query_one(DevPanel, Static).content) == ""


async def test_a_cut_scene_moves_the_player_to_the_nearest_place(
        make_app: MakeApp, story_copy: Path) -> None:
    app = make_app(story_copy, dev=True)
    async with app.run_test() as pilot:
        await pilot.press("enter", "2")
        await pilot.pause()
        cut_the_kitchen(story_copy)
        app.poll_story()
        await pilot.pause()
        assert app.session.state is not None and app.session.state.scene == "lobby"
        assert any("The Lobby" in t for t in app.toasts)
        assert "The lobby smells" in screen_text(app)


async def test_without_dev_nothing_is_watched(make_app: MakeApp, story_copy: Path) -> None:
    app = make_app(story_copy)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        edit(story_copy, "carpet glue", "fresh paint")
        await pilot.pause(0.8)
        assert "carpet glue" in screen_text(app)
