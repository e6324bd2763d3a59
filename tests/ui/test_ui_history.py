"""History: the playthrough so far, scene by scene with the choices taken; Back undoes."""

from __future__ import annotations

from pathlib import Path

from conftest import MakeApp
from ui_helpers import options, saved, screen_name, screen_text

from game.session import Session
from game.story.model import Story
from game.ui.screens.history import entry_text


async def test_history_lists_scenes_and_choices_oldest_first(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("enter", "1", "2", "1")  # breath, hello, continue
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert screen_name(app) == "HistoryScreen"
        text = screen_text(app)
        order = ["Courage so far: 0.", "› Take a deep breath", "Courage so far: 1.",
                 "› Say hello to the person by the window", "I'm Sam", "› Continue",
                 "Your desk has a plant on it."]
        positions = [text.index(piece) for piece in order]
        assert positions == sorted(positions)


async def test_back_in_history_undoes_the_last_choice(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter", "2", "h", "b")
        await pilot.pause()
        assert screen_name(app) == "PlayScreen"
        assert app.session.state is not None and app.session.state.scene == "lobby"
        assert "Walk into the kitchen" in " ".join(options(app, "#choices"))
        assert saved(app, "autosave").scene == "lobby"


async def test_back_on_play_screen_and_at_the_start(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("enter", "1", "b")
        await pilot.pause()
        assert "Courage so far: 0." in screen_text(app)
        await pilot.press("backspace")
        await pilot.pause()
        assert "This is the very beginning: there is no choice to undo." in app.toasts
        assert app.session.state is not None and app.session.state.scene == "lobby"


def test_entries_render_each_scene_with_the_choice_that_left_it(
        example: Story, saves: Path) -> None:
    session = Session(example, saves)
    session.new_game()
    session.choose("walk_into_the_kitchen")
    blocks = [str(entry_text(entry)) for entry in session.history()]
    assert len(blocks) == 2
    assert blocks[0].startswith("Morning · The Lobby")
    assert blocks[0].endswith("› Walk into the kitchen")
    assert blocks[1].startswith("Morning · The Kitchen")
    assert "›" not in blocks[1]
