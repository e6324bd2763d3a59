"""The history: this playthrough so far, scene by scene, with the choice taken after each.

It is rebuilt by the session from the chain of states (each remembers the one before and the
choice that left it), re-rendered by the engine, so it costs nothing to keep and always
matches what the player read. It opens scrolled to the end, where the player is.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from game import markup
from game.session import HistoryEntry
from game.ui.screens.base import Overlay
from game.ui.widgets.scene_text import render_paragraphs


def entry_text(entry: HistoryEntry) -> Text:
    """One scene of the history: its heading, its text, and the choice taken after it."""
    block = Text()
    view = entry.view
    if view is None:
        block.append(f"(scene '{entry.scene}' cannot be shown)", style="dim italic")
        return block
    title = f"{view.chapter} · {view.title}" if view.chapter else view.title
    block.append(f"{title}\n", style="bold")
    block.append_text(render_paragraphs(view.paragraphs))
    if entry.picked is not None:
        block.append("\n\n")
        block.append("› ", style="bold")
        block.append_text(Text.from_markup(markup.to_rich(entry.picked), style="italic"))
    return block


class HistoryScreen(Overlay):
    CSS_PATH = "history.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "app.undo", "Back (undo last choice)"),
        Binding("h", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(Text("History of this playthrough", style="bold"), id="history-head")
        yield VerticalScroll(id="history-body")
        yield Footer()

    def on_mount(self) -> None:
        self.render_history()

    def story_reloaded(self) -> None:
        self.render_history()

    def render_history(self) -> None:
        body = self.query_one("#history-body", VerticalScroll)
        body.remove_children()
        history = self.session.history()
        if not history:
            return
        body.mount_all([Static(entry_text(entry), classes="entry") for entry in history])
        body.focus()
        self.call_after_refresh(body.scroll_end, animate=False)

