"""A story bug met in play (say, a division by zero in a condition), explained, not a crash.

The message names the author's file, line and column; the player can undo the choice that
led here, go to the title screen, or quit, and their saves are untouched.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from game.ui.screens.base import GameScreen
from game.ui.widgets.menu import Menu


class StoryErrorScreen(GameScreen):
    CSS_PATH = "error.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "undo", "Back"),
        Binding("escape", "app.title", "Title"),
    ]

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical(id="error-box"):
            yield Static(Text("The story hit a bug and cannot go on from here.", style="bold"))
            yield Static(self.problem, id="error-detail")
            yield Static("This is a mistake in the story files, not in your game: your saves "
                         "are safe. Tell the story's author the line above.")
            yield Menu(Option("Undo the last choice", id="back"),
                       Option("Title screen", id="title"), Option("Quit", id="quit"),
                       id="error-menu")
        yield Footer()

    def on_mount(self) -> None:
        menu = self.query_one("#error-menu", Menu)
        menu.highlighted = 0
        menu.focus()

    def action_undo(self) -> None:
        state = self.session.state
        if state is None or state.previous is None:
            self.notify("There is no earlier choice to undo.", severity="warning")
            return
        self.game.action_undo()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        action = {"back": "undo", "title": "app.title", "quit": "app.quit"}[event.option.id or ""]
        await self.run_action(action)
