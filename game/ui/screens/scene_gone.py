"""What to do with a save whose scene was cut from the story: resume nearby, or start over."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.ui.screens.base import SizeClasses
from game.ui.widgets.footer import Footer
from game.ui.widgets.menu import Menu


class SceneGoneScreen(SizeClasses, ModalScreen[str | None]):
    """Dismisses with "resume", "new", or None (cancel)."""

    CSS_PATH = "modal.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, problem: str, fallback_title: str | None) -> None:
        super().__init__()
        self.problem = problem
        self.fallback_title = fallback_title

    def compose(self) -> ComposeResult:
        options = []
        if self.fallback_title is not None:
            options.append(Option(f"Resume at “{self.fallback_title}”", id="resume"))
        options += [Option("Start a new game", id="new"), Option("Cancel", id="cancel")]
        with Vertical(classes="dialog"):
            yield Static("This save cannot be resumed where it was made.", classes="question")
            yield Static(self.problem, classes="detail")
            yield Menu(*options, id="gone-menu")
        yield Footer()

    def on_mount(self) -> None:
        menu = self.query_one("#gone-menu", Menu)
        menu.highlighted = 0
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = event.option.id
        self.dismiss(None if choice == "cancel" else choice)

    def action_cancel(self) -> None:
        self.dismiss(None)
