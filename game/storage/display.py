"""Words for save lists, shared by plain mode, `offscreen saves` and the Textual UI.

The same save should be described the same way wherever a player meets it, so dates,
playtimes and statuses are spelled here once.
"""

from __future__ import annotations

import time

from game.storage.saves import SlotInfo, Status

STATUS_WORDS: dict[Status, str] = {
    "ok": "ok",
    "changed": "story changed",
    "cannot-resume": "cannot resume",
    "damaged": "damaged",
}


def when(saved_at: float | None) -> str:
    """Local date and time to the minute, as a player reads a clock."""
    if saved_at is None:
        return "-"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(saved_at))


def playtime(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes = int(seconds // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def summary(info: SlotInfo) -> str:
    """One line: name, label, date, playtime and (unless ok) the status."""
    if info.status == "damaged":
        return f"{info.name}: damaged"
    line = f"{info.name}: {info.label}, {when(info.saved_at)}, played {playtime(info.playtime)}"
    if info.status != "ok":
        line += f" ({STATUS_WORDS[info.status]})"
    return line
