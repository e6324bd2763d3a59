"""Words for save lists, shared by plain mode, `offscreen saves` and the Textual UI.

The same save should be described the same way wherever a player meets it, so each save is
turned into one `SlotRow` of words here, and every list (plain mode's `saves`, the table of
`offscreen saves`, the save and load screen) shows those words.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.printable import printable

if TYPE_CHECKING:  # the session imports this module for the title screen, before any save
    from game.storage.saves import SlotInfo, Status

STATUS_WORDS: dict[Status, str] = {
    "ok": "ok",
    "changed": "story changed",
    "cannot-resume": "cannot resume",
    "damaged": "damaged",
}

MISSING = "-"
"""Shown for what a damaged save cannot tell (its date, playtime, place)."""


@dataclass(frozen=True, slots=True)
class SlotRow:
    """One save as a list shows it: every field already in words."""

    name: str
    place: str
    """The label: the title of the scene the save was made in."""
    saved: str
    played: str
    status: Status
    status_word: str
    note: str | None
    """Why the status is not "ok" (or what loading will do differently); None when ok."""

    @property
    def loadable(self) -> bool:
        return self.status != "damaged"


def when(saved_at: float | None) -> str:
    """Local date and time to the minute, as a player reads a clock."""
    if saved_at is None:
        return MISSING
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(saved_at))


def playtime(seconds: float | None) -> str:
    if seconds is None:
        return MISSING
    minutes = int(seconds // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def row(info: SlotInfo) -> SlotRow:
    """The words every list shows, with file names, labels and notes made printable
    (`game.printable`): a save's label is anyone's text, and a terminal obeys escapes."""
    return SlotRow(printable(info.name), printable(info.label or MISSING), when(info.saved_at),
                   playtime(info.playtime), info.status, STATUS_WORDS[info.status],
                   None if info.message is None else printable(info.message))


def rows(infos: list[SlotInfo]) -> list[SlotRow]:
    return [row(info) for info in infos]


def summary(slot: SlotRow) -> str:
    """One line: name, label, date, playtime and (unless ok) the status."""
    if not slot.loadable:
        return f"{slot.name}: {slot.status_word}"
    line = f"{slot.name}: {slot.place}, {slot.saved}, played {slot.played}"
    if slot.status != "ok":
        line += f" ({slot.status_word})"
    return line
