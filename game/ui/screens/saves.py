"""Save and load: one table of slots, with the label, date, playtime and health of each.

Damaged and out-of-date saves are listed with what is wrong rather than hidden, so a player
who misses a save learns why. Overwriting and deleting ask first; a new slot's name is
checked as it is typed.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from game.storage.display import SlotRow
from game.storage.errors import SaveError
from game.ui.screens.base import Overlay

Mode = Literal["save", "load"]
NEW_SLOT = "\0new"
"""The row key of "New save…": not a valid slot name, so it can never clash with one."""

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
        table = self.query_one("#slots", DataTable)
        table.add_column("Slot", key="slot")
        table.add_column("Scene", key="scene")
        table.add_column("Saved", key="saved")
        table.add_column("Played", key="played")
        table.add_column("Status", key="status")
        self.refresh_slots()

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
        table.clear()
        try:
            slots = self.session.slots()
        except SaveError as exc:
            slots = []
            self.notify(str(exc), title="Saves", severity="error", timeout=10)
        self.listed = {slot.name: slot for slot in slots}
        if self.mode == "save":
            table.add_row(Text("＋ New save…", style="bold"), "", "", "", "", key=NEW_SLOT)
        for slot in slots:
            table.add_row(Text(slot.name), Text(slot.place), slot.saved, slot.played,
                          Text(slot.status_word, style=STATUS_STYLES[slot.status]),
                          key=slot.name)
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
        elif slot is None:
            detail.update("")
        elif slot.note:
            detail.update(Text(slot.note))
        elif slot.name == self.session.autosave_slot:
            detail.update("Written after every choice.")
        else:
            detail.update("")

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
        self.game.load_game(name)

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

        self.app.push_screen(SlotNameScreen(set(self.listed)), named)

    def overwrite(self, name: str) -> None:
        from game.ui.screens.confirm import ConfirmScreen

        if name == self.session.autosave_slot:
            self.notify("The autosave is written after every choice; pick or make another slot.",
                        title="Save", severity="warning")
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.save(name)

        self.app.push_screen(ConfirmScreen(f"Overwrite the save '{name}'?", yes="Overwrite",
                                           no="Cancel"), answer)

    def save(self, name: str) -> None:
        try:
            saved = self.session.save(name)
        except SaveError as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=10)
            return
        self.notify(f"Saved as '{name}'.", title="Save")
        if saved.notice:
            self.notify(saved.notice, title="Save", severity="warning", timeout=10)
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
