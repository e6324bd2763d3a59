"""The extras a story with several endings invites: the endings gallery, chapter select and
the credits, each a full screen (Escape closes), reached from one small menu on the title
screen and from the command palette.

Everything shown comes from the session (the gallery and the chapters) or the story itself
(the credits are built from the facts' sources), so nothing here can disagree with the game.
"""

from __future__ import annotations

import time
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from game.session import GalleryEntry
from game.ui.screens.base import Overlay
from game.ui.widgets.menu import Menu

EXTRAS = {"gallery": ("Endings gallery", "app.gallery"),
          "chapters": ("Chapter select", "app.chapters"),
          "credits": ("Credits", "app.credits")}


class ExtrasScreen(Overlay):
    CSS_PATH: ClassVar[str] = "extras.tcss"
    MENU = True

    def compose(self) -> ComposeResult:
        yield Static(Text("Extras", style="bold"), classes="extras-head")
        with Vertical(classes="menu-room"):
            yield Menu(*(Option(label, id=key) for key, (label, _) in EXTRAS.items()),
                       id="extras-menu")
        yield Footer()

    def on_mount(self) -> None:
        menu = self.query_one("#extras-menu", Menu)
        menu.highlighted = 0
        menu.focus()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id in EXTRAS:
            await self.run_action(EXTRAS[event.option.id][1])


def gallery_entry(entry: GalleryEntry) -> Text:
    text = Text()
    if entry.found_at is not None:
        text.append("✓ ", style="bold green")
        text.append(entry.title, style="bold")
        when = (time.strftime("%Y-%m-%d %H:%M", time.localtime(entry.found_at))
                if entry.found_at > 0 else "before this game kept dates")
        text.append(f"\nFirst reached {when}", style="dim italic")
    else:
        text.append("? ", style="dim")
        text.append("???", style="bold dim")
        text.append(f"\nHint: {entry.hint}" if entry.hint else "\nNot found yet.",
                    style="dim italic")
    return text


class GalleryScreen(Overlay):
    """Found endings with when; locked ones as ??? with the author's hint."""

    CSS_PATH: ClassVar[str] = "extras.tcss"

    def compose(self) -> ComposeResult:
        entries = self.session.gallery()
        found = sum(1 for e in entries if e.found_at is not None)
        yield Static(Text.assemble(("Endings gallery", "bold"),
                                   f"  {found} of {len(entries)} found"),
                     classes="extras-head")
        with VerticalScroll(classes="extras-body"):
            for entry in entries:
                yield Static(gallery_entry(entry), classes="entry")
        yield Footer()


class ChaptersScreen(Overlay):
    """Start again from the first arrival in any chapter reached before."""

    CSS_PATH: ClassVar[str] = "extras.tcss"

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("Chapter select", "bold"),
                                   "  Enter: start again from the beginning of a chapter"),
                     classes="extras-head")
        options = []
        for chapter in self.session.chapters():
            label = f"{chapter.number}. {chapter.name}"
            options.append(Option(label if chapter.slot else f"{label}  (not reached yet)",
                                  id=chapter.slot or f"\0locked-{chapter.number}",
                                  disabled=chapter.slot is None))
        if not options:
            options.append(Option("This story has no chapters.", disabled=True))
        with Vertical(classes="menu-room"):
            yield Menu(*options, id="chapters-menu")
        yield Footer()

    def on_mount(self) -> None:
        menu = self.query_one("#chapters-menu", Menu)
        menu.focus()
        menu.highlighted = next((i for i in range(menu.option_count)
                                 if not menu.get_option_at_index(i).disabled), None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None and not event.option.id.startswith("\0"):
            self.game.ask_load(event.option.id)
