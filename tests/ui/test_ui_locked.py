"""The play screen's locked choices (scene format v2's `enabled`): shown dimmed with their
reason, keeping their numbers; picking one (its number, or Enter on it) says why in a toast
and does nothing else."""

from __future__ import annotations

from pathlib import Path

from conftest import MakeApp
from textual.widgets import OptionList
from ui_helpers import options, scene, screen_text

LOCKED = Path(__file__).parents[1] / "tools" / "fixtures" / "locked"


async def test_a_locked_choice_is_dimmed_keeps_its_number_and_enter_says_why(
        make_app: MakeApp) -> None:
    app = make_app(LOCKED)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert options(app, "#choices") == [
            "1. Take a key",
            "2. Open the door  (locked: You hold 0 of 2 keys.)",
            "3. Go to the study  (locked)",
            "4. Light the lamp  (locked: You need the map to find the lamp.)",
        ]
        menu = app.screen.query_one("#choices", OptionList)
        door = menu.get_option_at_index(1).prompt
        key = menu.get_option_at_index(0).prompt
        assert any(span.style.dim for span in door.spans if not isinstance(span.style, str))
        assert not any(not isinstance(span.style, str) and span.style.dim
                       for span in key.spans)
        before = app.session.state  # type: ignore[attr-defined]

        await pilot.press("down", "enter")  # Enter on the locked door
        await pilot.pause()
        assert app.toasts[-1] == "That choice is locked: You hold 0 of 2 keys."
        assert app.session.state is before  # type: ignore[attr-defined]
        assert menu.highlighted == 1  # the list did not move either
        await pilot.press("3")  # its number says the same, without a reason
        await pilot.pause()
        assert app.toasts[-1] == "That choice is locked for now."
        assert app.session.state is before  # type: ignore[attr-defined]
        assert "That choice is locked for now." in screen_text(app)

        await pilot.press("1", "1")
        await pilot.pause()
        assert options(app, "#choices")[1] == "2. Open the door"  # two keys: open now
        await pilot.press("2")
        await pilot.pause()
        assert scene(app) == "door"
