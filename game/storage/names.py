"""Slot names and the file names they map to.

A slot name comes from a player (`save NAME`, `--load NAME`) and becomes a file name, so it is
the one place where user text could point the game at a file outside the save folder or at a
name some operating system refuses. Names are therefore a short, boring alphabet, checked
with a specific reason so the player knows what to type instead.

Every file the store writes for itself has a dot in its stem (`autosave.off-screen.json`,
`profile.off-screen.json`), which a slot name can never have: a player's slot can therefore
never collide with the autosave, the quicksave or the profile, and the autosave of another
story sharing the folder is left alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from game.storage.errors import SaveError

AUTOSAVE = "autosave"
QUICKSAVE = "quicksave"
SPECIAL = (AUTOSAVE, QUICKSAVE)
"""Slots the game writes by itself; their files carry the story id."""

MAX_LENGTH = 40
SUFFIX = ".json"
BACKUP_SUFFIX = ".bak"
_ALLOWED = re.compile(r"[A-Za-z0-9 _-]+\Z")
_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{i}" for i in range(10)] + [f"LPT{i}" for i in range(10)]
)


def check_slot(name: str) -> str:
    """The name, trimmed, if it can be a save slot; otherwise SaveError saying why not."""
    name = name.strip()
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    if not name:
        raise SaveError("a save needs a name, for example: before-the-wedding")
    if "/" in name or "\\" in name or ":" in name:
        raise SaveError(f"'{shown}' cannot be a save name: it contains '/', '\\' or ':', "
                        "and saves cannot point into other folders")
    if name.startswith("."):
        raise SaveError(f"'{shown}' cannot be a save name: it starts with '.' "
                        "(that would be a hidden file, or point outside the save folder)")
    if len(name) > MAX_LENGTH:
        raise SaveError(f"'{shown}' cannot be a save name: it is {len(name)} characters long; "
                        f"use at most {MAX_LENGTH}")
    if not _ALLOWED.match(name):
        raise SaveError(f"'{shown}' cannot be a save name: use only letters, digits, spaces, "
                        "'-' and '_'")
    if name.split(" ")[0].upper() in _WINDOWS_RESERVED or name.upper() in _WINDOWS_RESERVED:
        raise SaveError(f"'{shown}' cannot be a save name: Windows reserves it for a device; "
                        "pick another")
    return name


def slot_file(slot: str, story_id: str) -> str:
    """The file name of an already checked slot."""
    if slot in SPECIAL:
        return f"{slot}.{story_id}{SUFFIX}"
    return slot + SUFFIX


def slot_exists(folder: Path, slot: str, story_id: str) -> bool:
    """Whether `slot` has a file (or its backup) in `folder`; `SaveStore.exists` is this, and
    the title screen asks it for the autosave before anything else of storage is imported."""
    path = folder / slot_file(check_slot(slot), story_id)
    return path.exists() or path.with_name(path.name + BACKUP_SUFFIX).exists()


def profile_file(story_id: str) -> str:
    return f"profile.{story_id}{SUFFIX}"


def slot_of_file(filename: str, story_id: str) -> tuple[str, bool] | None:
    """Which slot a file in the save folder is, for this story, and whether it can be loaded.

    Another story's autosave, quicksave and profile are that story's business and yield None.
    Any other `.json` file is reported, so foreign or misnamed files are shown and named
    rather than silently ignored: as its slot when `load` can reach it by that name, otherwise
    as its file name with False.
    """
    if filename.startswith(".") or not filename.endswith(SUFFIX):
        return None
    stem = filename[: -len(SUFFIX)]
    head, dot, rest = stem.partition(".")
    if dot and (head in SPECIAL or head == "profile"):
        return (head, True) if head in SPECIAL and rest == story_id else None
    try:
        loadable = check_slot(stem) == stem and stem not in SPECIAL
    except SaveError:
        loadable = False
    return (stem, True) if loadable else (filename, False)
