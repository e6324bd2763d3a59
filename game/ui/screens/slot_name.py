"""Asks for a new save slot's name, checking it as it is typed.

The rule is the session's (`Session.slot_problem`: the storage layer's `check_slot`, and the
game's own slots), so the message the player sees here is the one plain mode's `save` gives
and the one a bad `--load` name gets on the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from game.storage.saves import check_slot
from game.ui.screens.base import SizeClasses
from game.ui.widgets.footer import Footer


class SlotNameScreen(SizeClasses, ModalScreen[str | None]):
    CSS_PATH = "modal.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, existing: set[str], problem: Callable[[str], str | None]) -> None:
        super().__init__()
        self.existing = existing
        self.slot_problem = problem
        """Why a name cannot be saved under (the session's rule), shown inline."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Name the new save (Enter to save, Escape to cancel):",
                         classes="question")
            yield Input(placeholder="e.g. before the wedding", id="slot-name", max_length=40)
            yield Static("", id="slot-error", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#slot-name", Input).focus()

    def problem(self, value: str) -> str | None:
        if not value.strip():
            return "Type a name for the save."
        return self.slot_problem(value)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        problem = self.problem(event.value) if event.value else None
        name = event.value.strip()
        if problem is None and name in self.existing:
            problem = f"'{name}' exists; saving will ask before overwriting it."
        self.query_one("#slot-error", Static).update(problem or "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.problem(event.value)
        if problem is not None:
            self.query_one("#slot-error", Static).update(problem)
            return
        self.dismiss(check_slot(event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)
