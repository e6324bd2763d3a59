"""Save and load: one table of slots, with the label, date, playtime and health of each.

Damaged and out-of-date saves are listed with what is wrong rather than hidden, so a player
who misses a save learns why. Overwriting and deleting ask first; a new slot's name is
checked as it is typed.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from game.storage.display import SlotRow
from game.storage.errors import SaveError
from game.ui.screens.base import Overlay

Mode = Literal["save", "load"]
NEW_SLOT = "\0new"
"""The row key of "New save…": not a valid slot name, so it can never clash with one."""

COLUMNS = ("Slot", "Scene", "Saved", "Played", "Status")
DROPPED_BELOW = (("Scene", 80), ("Played", 60))
"""On screens narrower than these the column goes, to the line under the table (for the
highlighted save), so the date and the status always fit whole."""

STATUS_STYLES = {"ok": "", "changed": "yellow", "cannot-resume": "yellow",
                 "damaged": "bold red"}


class SavesScreen(Overlay):
    CSS_PATH = "saves.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_slot", "New save"),
        Binding("d", "delete", "Delete"),
        Binding("delete", "delete", "Delete", show=False),
        Binding("tab", "switch_mode", "Save/Load"),
    ]

    def __init__(self, mode: Mode) -> None:
        super().__init__()
        self.mode: Mode = mode
        self.listed: dict[str, SlotRow] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="saves-head")
        yield DataTable(id="slots", cursor_type="row", zebra_stripes=True)
        yield Static(id="slot-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_slots()

    def on_resize(self, event: events.Resize) -> None:
        """(GameScreen's on_resize runs too: Textual calls each class's handler.)"""
        if self.is_mounted and self._columns != self.columns():
            self.refresh_slots(select=self.highlighted())

    _columns: tuple[str, ...] = ()
    """The table's columns as last drawn (none before the first drawing)."""

    def columns(self) -> tuple[str, ...]:
        """The columns that fit this screen's width (`DROPPED_BELOW`)."""
        width = self.app.size.width
        dropped = {label for label, below in DROPPED_BELOW if width < below}
        return tuple(label for label in COLUMNS if label not in dropped)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new_slot":
            return self.mode == "save"
        if action == "switch_mode":
            return self.session.state is not None
        return True

    def refresh_slots(self, select: str | None = None) -> None:
        head = self.query_one("#saves-head", Static)
        if self.mode == "save":
            head.update(Text.assemble(("Save game", "bold"),
                                      "  Enter: save in the highlighted slot · n: new slot"))
        else:
            head.update(Text.assemble(("Load game", "bold"),
                                      "  Enter: load the highlighted slot"))
        table = self.query_one("#slots", DataTable)
        self._columns = columns = self.columns()
        try:
            slots = self.session.slots()
        except SaveError as exc:
            slots = []
            self.notify(str(exc), title="Saves", severity="error", timeout=10)
        table.clear(columns=True)
        slot_width = None if "Scene" in columns else self.slot_width(slots, columns)
        for label in columns:
            table.add_column(label, key=label.lower(),
                             width=slot_width if label == "Slot" else None)
        self.listed = {slot.name: slot for slot in slots}
        if self.mode == "save":
            table.add_row(Text("＋ New save…", style="bold"), *[""] * (len(columns) - 1),
                          key=NEW_SLOT)
        for slot in slots:
            cells = {"Slot": Text(slot.name), "Scene": Text(slot.place), "Saved": slot.saved,
                     "Played": slot.played,
                     "Status": Text(slot.status_word, style=STATUS_STYLES[slot.status])}
            table.add_row(*(cells[label] for label in columns), key=slot.name)
        if table.row_count:
            row = 0
            if select is not None:
                keys = ([NEW_SLOT] if self.mode == "save" else []) + [i.name for i in slots]
                row = keys.index(select) if select in keys else 0
            table.move_cursor(row=row)
        self.refresh_bindings()
        self.show_detail()
        table.focus()
        if not slots and self.mode == "load":
            self.query_one("#slot-detail", Static).update(
                "No saved games yet. Your game is autosaved after every choice; "
                "press s while playing to save in a slot of your own.")

    def slot_width(self, slots: list[SlotRow], columns: tuple[str, ...]) -> int:
        """On a narrow screen the Slot column takes what the other columns leave (its full
        name is under the table), so those always fit whole."""
        widest = {"Saved": [len("2000-01-01 00:00")],
                  "Played": [len(s.played) for s in slots],
                  "Status": [len(s.status_word) for s in slots]}
        others = [label for label in columns if label != "Slot"]
        rest = sum(max([len(label), *widest[label]]) for label in others)
        rest += 2 * len(columns) + 4  # cell padding, the table's margins and scrollbar
        return max(8, self.app.size.width - rest)

    def highlighted(self) -> str | None:
        table = self.query_one("#slots", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return key

    def show_detail(self) -> None:
        name = self.highlighted()
        detail = self.query_one("#slot-detail", Static)
        slot = self.listed.get(name or "")
        if name == NEW_SLOT:
            detail.update("Save in a new slot: you will be asked for a name.")
            return
        if slot is None:
            detail.update("")
            return
        lines = []
        if "Scene" not in self._columns:
            played = "" if "Played" in self._columns else f", played {slot.played}"
            lines.append(f"{slot.name}: {slot.place}{played}")
        if slot.note:
            lines.append(slot.note)
        elif slot.name == self.session.autosave_slot:
            lines.append("Written after every choice.")
        elif self.session.is_automatic(slot.name):
            lines.append("An earlier game, kept when the autosave moved on to another one.")
        detail.update(Text("\n".join(lines)))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        name = event.row_key.value
        if name is None:
            return
        if self.mode == "load":
            self.load(name)
        elif name == NEW_SLOT:
            self.action_new_slot()
        else:
            self.overwrite(name)

    # -- load --------------------------------------------------------------------------

    def load(self, name: str) -> None:
        slot = self.listed.get(name)
        if slot is not None and not slot.loadable:
            self.notify(slot.note or f"The save '{name}' is damaged.", title="Cannot load",
                        severity="error", timeout=10)
            return
        self.game.ask_load(name)

    # -- save --------------------------------------------------------------------------

    def action_new_slot(self) -> None:
        from game.ui.screens.slot_name import SlotNameScreen

        def named(name: str | None) -> None:
            if name is None:
                return
            if name in self.listed:
                self.overwrite(name)
            else:
                self.save(name)

        self.app.push_screen(SlotNameScreen(set(self.listed), self.session.slot_problem), named)

    def overwrite(self, name: str) -> None:
        from game.ui.screens.confirm import ConfirmScreen

        problem = self.session.slot_problem(name)
        if problem is not None:
            self.notify(problem, title="Save", severity="warning")
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.save(name)

        self.app.push_screen(ConfirmScreen(f"Overwrite the save '{name}'?", yes="Overwrite",
                                           no="Cancel"), answer)

    def save(self, name: str) -> None:
        if self.game.save_to(name, "Save", f"Saved as '{name}'."):
            self.refresh_slots(select=name)

    # -- delete ------------------------------------------------------------------------

    def action_delete(self) -> None:
        from game.ui.screens.confirm import ConfirmScreen

        name = self.highlighted()
        if name is None or name == NEW_SLOT:
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.session.delete(name)
            except SaveError as exc:
                self.notify(str(exc), title="Not deleted", severity="error", timeout=10)
                return
            self.notify(f"Deleted '{name}'.", title="Delete")
            self.refresh_slots()

        self.app.push_screen(ConfirmScreen(f"Delete the save '{name}'? This cannot be undone.",
                                           yes="Delete", no="Keep it"), answer)

    def action_switch_mode(self) -> None:
        self.mode = "load" if self.mode == "save" else "save"
        self.refresh_slots()
