"""The title screen: the story's name and the main menu.

Continue comes first, and is highlighted, whenever there is an autosave to continue, because
returning players are the common case; a first-time player sees New game highlighted instead.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from game.ui.screens.base import GameScreen
from game.ui.widgets.menu import Menu
from game.ui.widgets.progress import describe

MENU_ACTIONS = {
    "continue": "continue_game",
    "new": "new_game",
    "load": "app.load",
    "journal": "app.journal",
    "extras": "app.extras",
    "settings": "app.settings",
    "quit": "app.quit",
}


class TitleScreen(GameScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_game", "New game", show=False),
        Binding("c", "continue_game", "Continue", show=False),
        Binding("l", "app.load", "Load", show=False),
        Binding("o", "app.settings", "Settings", show=False),
        Binding("x", "app.extras", "Extras", show=False),
        Binding("escape", "app.quit", "Quit", show=False),
    ]

    def compose(self) -> ComposeResult:
        """Built filled in, so the first frame is laid out once (a player waits for it)."""
        story = self.session.story
        with Container(id="title-center"), Vertical(id="title-box"):
            yield Static(story.title, id="title-name")
            yield Static(story.subtitle or "", id="title-subtitle",
                         classes="" if story.subtitle else "-empty")
            yield Menu(*self._menu_items(), id="menu")
            yield Static(describe(self.session.progress()), id="title-progress")
        if self.game.dev:
            from game.ui.widgets.dev_panel import DevPanel

            yield DevPanel(id="dev-panel")
        yield Footer()

    _fresh = True
    """Until the first showing: compose has just filled everything in."""

    def on_mount(self) -> None:
        self.query_one("#menu", OptionList).highlighted = 0

    def on_screen_resume(self) -> None:
        """Sent on the first showing too (see `_fresh`)."""
        if self._fresh:
            self._fresh = False
        elif self.is_current:
            self.refresh_menu()
        self.query_one("#menu", OptionList).focus()

    def story_reloaded(self) -> None:
        self.refresh_menu()

    def _menu_items(self) -> list[Option]:
        resume = [Option("Continue", id="continue")] if self.session.has_autosave() else []
        return [
            *resume,
            Option("New game", id="new"),
            Option("Load", id="load"),
            Option("Journal", id="journal"),
            Option("Extras", id="extras"),
            Option("Settings", id="settings"),
            Option("Quit", id="quit"),
        ]

    def refresh_menu(self) -> None:
        """After a game, a load or a reload: Continue may have come, progress moved on."""
        story = self.session.story
        self.query_one("#title-name", Static).update(story.title)
        subtitle = self.query_one("#title-subtitle", Static)
        subtitle.update(story.subtitle or "")
        subtitle.set_class(not story.subtitle, "-empty")  # a class: CSS may hide it too
        menu = self.query_one("#menu", OptionList)
        menu.clear_options()
        menu.add_options(self._menu_items())
        menu.highlighted = 0
        menu.focus()
        self.query_one("#title-progress", Static).update(describe(self.session.progress()))

    def action_new_game(self) -> None:
        self.game.ask_new_game()

    def action_continue_game(self) -> None:
        if self.session.has_autosave():
            self.game.continue_game()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        action = MENU_ACTIONS.get(event.option.id or "")
        if action is not None:
            await self.run_action(action)
