"""What every screen of the game shares: typed access to the app and its session.

Screens reach the game through `self.game` (the app, typed) and `self.session` rather than
importing each other; the app decides what goes on the screen stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.binding import Binding, BindingType
from textual.screen import Screen

from game.ui.session import Session

if TYPE_CHECKING:
    from game.ui.app import OffScreenApp


class GameScreen(Screen[None]):
    @property
    def game(self) -> OffScreenApp:
        return cast("OffScreenApp", self.app)

    @property
    def session(self) -> Session:
        return self.game.session

    def story_reloaded(self) -> None:
        """Under --dev the story changed on disk: screens that show story text redraw."""


class Overlay(GameScreen):
    """A full screen reachable from anywhere (journal, saves, history, settings, help).

    Escape closes it and returns to whatever was underneath, which is how a player expects
    a game's menus to behave.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def action_close(self) -> None:
        self.app.pop_screen()
