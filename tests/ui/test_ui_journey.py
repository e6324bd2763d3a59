"""One player's whole evening, start to ending, driven through the keyboard and the mouse."""

from __future__ import annotations

from conftest import MakeApp
from ui_helpers import options, screen_name, screen_text


def where(app: object) -> str:
    state = app.session.state  # type: ignore[attr-defined]
    assert state is not None
    return str(state.scene)


async def test_title_to_ending(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        # title -> new game
        assert screen_name(app) == "TitleScreen"
        await pilot.press("enter")
        await pilot.pause()
        assert where(app) == "lobby"
        # choose by number
        await pilot.press("1")
        await pilot.pause()
        assert "Courage so far: 1." in screen_text(app)
        # choose by arrow and Enter: the kitchen, which unlocks a fact (a line under the text)
        await pilot.press("down", "up", "enter")
        await pilot.pause()
        assert where(app) == "kitchen"
        assert "New fact for your journal: The coffee is terrible" in screen_text(app)
        # choose by click: back to the lobby
        assert await pilot.click("#choices", offset=(6, 1))
        await pilot.pause()
        assert where(app) == "lobby"
        # journal
        await pilot.press("j")
        await pilot.pause()
        assert "The coffee is terrible" in screen_text(app)
        await pilot.press("escape")
        # save in a new slot
        await pilot.press("s", "n")
        await pilot.pause()
        await pilot.press(*"evening", "enter")
        await pilot.pause()
        assert "Saved as 'evening'." in app.toasts
        await pilot.press("escape", "2")  # on by the window
        await pilot.pause()
        assert where(app) == "window"
        # load it back
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("down", "enter")  # autosave is newest; 'evening' is next
        await pilot.pause()
        assert "Load 'evening'? The game in progress" in screen_text(app)  # asks first
        await pilot.press("y")
        await pilot.pause()
        assert "Loaded 'evening'." in app.toasts
        assert where(app) == "lobby"
        # back undoes the choice before the save
        await pilot.press("b")
        await pilot.pause()
        assert where(app) == "kitchen"
        # history shows the way here
        await pilot.press("h")
        await pilot.pause()
        assert "› Walk into the kitchen" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        # on to an ending
        await pilot.press("1", "2", "1", "1")  # lobby, hello, continue, lunch with Sam
        await pilot.pause()
        assert "You and Sam split a sandwich" in screen_text(app)
        await pilot.press("enter")  # The End
        await pilot.pause()
        assert screen_name(app) == "EndingScreen"
        text = screen_text(app)
        assert "A Friend on Day One" in text
        assert "• The coffee is terrible" in text and "• Sam is nervous too" in text
        assert options(app, "#ending-menu") == ["New game", "Journal", "Title screen"]
