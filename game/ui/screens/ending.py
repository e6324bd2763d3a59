"""The ending screen: the ending's name, and what this run uncovered.

Listing the facts found in this playthrough (and how many the journal still lacks) is the
invitation to play again, so New game is the first item on the menu.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from game.engine import StoryRuntimeError
from game.ui.screens.base import GameScreen
from game.ui.screens.play import heading
from game.ui.widgets.menu import Menu
from game.ui.widgets.progress import ProgressLine

MENU_ACTIONS = {"new": "new_game", "journal": "app.journal", "title": "app.title"}


class EndingScreen(GameScreen):
    CSS_PATH = "ending.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_game", "New game"),
        Binding("b", "app.undo", "Back"),
        Binding("backspace", "app.undo", "Back", show=False),
        Binding("h", "app.history", "History", show=False),
        Binding("t", "app.title", "Title"),
        Binding("escape", "app.title", "Title", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="bar"):
            yield Static(id="where")
            yield ProgressLine(id="progress")
        with Container(id="middle"), Vertical(id="column"):
            with VerticalScroll(id="ending-page"):
                yield Static(id="ending-name")
                yield Static(id="ending-facts")
            yield Menu(Option("New game", id="new"), Option("Journal", id="journal"),
                       Option("Title screen", id="title"), id="ending-menu")
        yield Footer()

    def on_mount(self) -> None:
        self.app.clear_notifications()  # the ending is the moment; it lists the facts itself
        self.render_ending()

    def story_reloaded(self) -> None:
        if not self.session.is_over():
            if self.is_current:
                self.dismiss()  # the edit moved the player off the ending
            return
        self.render_ending()

    def render_ending(self) -> None:
        session = self.session
        try:
            view = session.view()
        except StoryRuntimeError as exc:
            self.game.show_story_error(exc)
            return
        state = session.state
        assert state is not None
        self.query_one("#where", Static).update(Text(heading(view)))
        self.query_one(ProgressLine).show(session.progress())
        name = Text()
        name.append("THE END\n", style="bold")
        if view.ending is not None:
            name.append(view.ending.title, style="bold italic")
        self.query_one("#ending-name", Static).update(name)
        story = session.story
        found = [story.facts[f] for f in state.facts if f in story.facts]
        progress = session.progress()
        facts = Text()
        facts.append(f"Facts found in this playthrough: {len(found)} of {len(story.facts)}\n",
                     style="bold")
        for fact in found:
            facts.append(f"  • {fact.title}\n")
        facts.append(f"\nYour journal: {progress.facts_found} of {progress.facts_total} facts, "
                     f"{progress.endings_found} of {progress.endings_total} endings "
                     f"({progress.percent}% complete).")
        self.query_one("#ending-facts", Static).update(facts)
        menu = self.query_one("#ending-menu", Menu)
        menu.highlighted = 0
        menu.focus()

    def action_new_game(self) -> None:
        self.game.new_game()


    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        action = MENU_ACTIONS.get(event.option.id or "")
        if action is not None:
            await self.run_action(action)
