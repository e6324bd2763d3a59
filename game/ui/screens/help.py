"""Help: every key of every screen, read from the screens' own BINDINGS.

Generating the list from the bindings (rather than writing it out) means a key added to a
screen shows up here without anyone remembering to document it, and a key removed vanishes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from game.ui.screens.base import NARROW_BELOW, Overlay

EXTRA: dict[str, list[tuple[str, str]]] = {
    "Everywhere": [("Ctrl+P", "Command palette: save, load, journal, history, back, theme…")],
    "Title screen": [("↑ ↓ / Enter / click", "Move through the menu and pick an item")],
    "Playing": [
        ("↑ ↓ / Enter / click", "Move through the choices and take one"),
        ("any key / click", "While the text is being typed out: show all of it at once"),
    ],
    "Save and load": [("↑ ↓ / Enter / click", "Pick a slot: save in it, or load it")],
    "Questions": [("Tab / Enter", "Move between the buttons and press one")],
}


LONGER: dict[str, str] = {
    "quit": "Quit (your game is already autosaved)",
    "help": "Help: this list",
    "journal": "Journal: the facts and endings found so far",
    "pick(1)": "Take choice 1 to 9",
    "app.undo": "Back: undo your last choice",
    "app.history": "History: read back through this playthrough",
    "app.save": "Save the game in a slot",
    "app.load": "Load a saved game",
    "app.quicksave": "Quicksave to the quick slot",
    "app.quickload": "Quickload from the quick slot",
    "app.settings": "Settings: theme, text speed, quit confirmation",
    "app.title": "Back to the title screen (your game is autosaved)",
    "scroll_text(-1)": "Scroll a long scene up",
    "scroll_text(1)": "Scroll a long scene down",
    "switch_mode": "Switch between saving and loading",
}
"""Footer labels are a word or two; the help screen has room to say what a key does."""

NAMES = {"escape": "Esc", "backspace": "Backspace", "delete": "Delete", "tab": "Tab",
         "enter": "Enter", "question_mark": "?"}


def key_name(binding: Binding) -> str:
    """Keys spelled out for reading ("Ctrl+Q", "Esc", "F5") rather than footer shorthand."""
    if binding.key_display:
        return binding.key_display
    *modifiers, key = binding.key.split("+")
    name = NAMES.get(key, key.upper() if len(key) > 1 or modifiers else key)
    return "+".join([*(m.capitalize() for m in modifiers), name])


def key_rows(bindings: Iterable[BindingType],
             display: Callable[[Binding], str] = key_name) -> list[tuple[str, str]]:
    """(keys, description) rows; keys bound to the same action share a row."""
    rows: dict[str, tuple[list[str], str]] = {}
    for binding in Binding.make_bindings(bindings):
        action = binding.action
        if action.startswith("pick(") and action != "pick(1)":
            continue  # "1-9" on the pick(1) binding covers every number key
        description = (LONGER.get(action) or binding.description
                       or action.replace("_", " ").capitalize())
        keys, _ = rows.setdefault(action, ([], description))
        shown = display(binding)
        if shown not in keys:
            keys.append(shown)
    return [(" / ".join(keys), description) for keys, description in rows.values()]


def sections(display: Callable[[Binding], str] = key_name,
             app: type[App[object]] | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every screen's keys; `app`'s own keys join the app-wide ones (the web game adds some)."""
    from game.ui.app import OffScreenApp
    from game.ui.screens.confirm import ConfirmScreen
    from game.ui.screens.ending import EndingScreen
    from game.ui.screens.history import HistoryScreen
    from game.ui.screens.play import PlayScreen
    from game.ui.screens.saves import SavesScreen
    from game.ui.screens.title import TitleScreen

    out = []
    for name, bindings in [
        ("Everywhere", [*OffScreenApp.BINDINGS, *(app.BINDINGS if app else ())]),
        ("Title screen", TitleScreen.BINDINGS),
        ("Playing", PlayScreen.BINDINGS),
        ("Ending", EndingScreen.BINDINGS),
        ("Journal, settings, help", Overlay.BINDINGS),
        ("History", [*Overlay.BINDINGS, *HistoryScreen.BINDINGS]),
        ("Save and load", SavesScreen.BINDINGS),
        ("Questions", ConfirmScreen.BINDINGS),
    ]:
        out.append((name, key_rows(bindings, display) + EXTRA.get(name, [])))
    return out


def section(name: str, rows: list[tuple[str, str]], narrow: bool) -> Table | Group:
    """A screen's keys: a two-column table, or on a narrow terminal each key over its
    description (a 20-column key column would leave the words one per line)."""
    if narrow:
        lines: list[RenderableType] = [Text(name, style="bold")]
        for keys, description in rows:
            lines.append(Text(keys, style="bold"))
            lines.append(Padding(Text(description), (0, 0, 0, 2)))
        return Group(*lines)
    table = Table(title=name, title_justify="left", title_style="bold",
                  show_header=False, box=None, padding=(0, 2, 0, 0), expand=True)
    table.add_column("Key", style="bold", no_wrap=True, min_width=20)
    table.add_column("What it does", ratio=1)
    for keys, description in rows:
        table.add_row(keys, description)
    return table


class HelpScreen(Overlay):
    CSS_PATH = "help.tcss"

    def compose(self) -> ComposeResult:
        yield Static(Text("Help: every key", style="bold"), id="help-head")
        self._narrow = self.app.size.width < NARROW_BELOW
        with VerticalScroll(id="help-body"):
            for name, rows in sections(app=type(self.app)):
                yield Static(section(name, rows, self._narrow), classes="help-section keys")
            yield Static("Your game is autosaved after every choice, so quitting never loses "
                         "progress; Continue on the title screen picks up where you left off. "
                         "Facts you find stay in the journal across playthroughs.",
                         classes="help-section")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        """(GameScreen's on_resize runs too.) Crossing the narrow width redraws the keys."""
        narrow = event.size.width < NARROW_BELOW
        if narrow == self._narrow:
            return
        self._narrow = narrow
        keys = self.query(".keys").results(Static)
        for static, (name, rows) in zip(keys, sections(app=type(self.app)), strict=True):
            static.update(section(name, rows, narrow))

    def on_mount(self) -> None:
        self.query_one("#help-body", VerticalScroll).focus()
