"""The history: this playthrough so far, scene by scene, with the choice taken after each.

It is rebuilt from the chain of states (each remembers the one before and the choice that
left it), re-rendered by the engine, so it costs nothing to keep and always matches what the
player read. It opens scrolled to the end, where the player is.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from game import markup
from game.engine import Engine, GameState, StoryRuntimeError
from game.ui.screens.base import Overlay
from game.ui.widgets.scene_text import render_paragraphs


def entries(engine: Engine, state: GameState) -> list[Text]:
    """One block of text per scene visited, oldest first."""
    chain = list(state.history())[::-1]
    out: list[Text] = []
    for index, past in enumerate(chain):
        block = Text()
        try:
            view = engine.view(past)
        except (StoryRuntimeError, KeyError):
            block.append(f"(scene '{past.scene}' cannot be shown)", style="dim italic")
            out.append(block)
            continue
        title = f"{view.chapter} · {view.title}" if view.chapter else view.title
        block.append(f"{title}\n", style="bold")
        block.append_text(render_paragraphs(view.paragraphs))
        later = chain[index + 1] if index + 1 < len(chain) else None
        if later is not None and later.via is not None:
            picked = next((c.text for c in view.choices if c.id == later.via), later.via)
            block.append("\n\n")
            block.append("› ", style="bold")
            block.append_text(Text.from_markup(markup.to_rich(picked), style="italic"))
        out.append(block)
    return out


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
        state = self.session.state
        if state is None:
            return
        body.mount_all([Static(block, classes="entry")
                        for block in entries(self.session.engine, state)])
        body.focus()
        self.call_after_refresh(body.scroll_end, animate=False)

