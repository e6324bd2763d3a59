"""`offscreen saves`: every save in the folder, and whether it still loads into this story.

Authors run this after editing scenes to see which players' saves their edit affected;
players run it to find a game. Damaged and foreign files are listed with the reason, never
skipped, so nothing in the folder is a mystery. Listing is not a verdict on the saves, so a
damaged save does not make the command fail; only an unreadable story or folder does.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from game.commands.loading import load, refuse_broken
from game.storage import display
from game.storage.display import SlotRow
from game.storage.saves import SaveError, SaveStore

HEADINGS = ("NAME", "STATUS", "SAVED", "PLAYED", "PLACE")


def run(story_dir: Path, saves_dir: Path) -> int:
    result = load(story_dir)
    if result.story is None:
        return refuse_broken(result, story_dir, "so its saves cannot be checked against it")
    story = result.story
    try:
        slots = display.rows(SaveStore(saves_dir, story).slots())
    except SaveError as exc:
        print(f"offscreen: {exc}", file=sys.stderr)
        return 1
    if not slots:
        print(f"No saves of {story.title!r} in {saves_dir} yet.")
        return 0
    print(f"Saves of {story.title!r} in {saves_dir}:")
    print()
    for line in table(slots):
        print(line.rstrip())
    print()
    print(totals(slots))
    return 0


def table(slots: list[SlotRow]) -> list[str]:
    """Aligned columns, with each save's note (if any) indented on the line below it."""
    rows = [(slot.name, slot.status_word, slot.saved, slot.played, slot.place)
            for slot in slots]
    widths = [max(len(row[i]) for row in [HEADINGS, *rows]) for i in range(len(HEADINGS))]
    indent = " " * (2 + widths[0] + 2)

    def line(cells: tuple[str, ...]) -> str:
        return "  " + "  ".join(cell.ljust(width) for cell, width in zip(cells, widths,
                                                                            strict=True))

    out = [line(HEADINGS)]
    for slot, row in zip(slots, rows, strict=True):
        out.append(line(row))
        if slot.note:
            out.append(indent + slot.note)
    return out


def totals(slots: list[SlotRow]) -> str:
    counts = Counter(slot.status for slot in slots)
    parts = [f"{counts[status]} {word}" for status, word in display.STATUS_WORDS.items()
             if counts[status]]
    noun = "save" if len(slots) == 1 else "saves"
    return f"{len(slots)} {noun}: {', '.join(parts)}."
