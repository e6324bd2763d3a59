"""Slot names and the file names they map to.

A slot name comes from a player (`save NAME`, `--load NAME`) and becomes a file name, so it is
the one place where user text could point the game at a file outside the save folder or at a
name some operating system refuses. Names are therefore letters (in any script: `Café`,
`Ñoño`), digits, spaces, `-` and `_`, checked with a specific reason so the player knows
what to type instead.

Names are unique up to case and Unicode normalisation (`slot_key`: NFKC, then case-folded):
macOS and Windows file systems treat `Mid`, `mid` and `MID` (and a precomposed `é` and
`e` + accent) as one file, so Linux must too, or a save folder copied between machines would
change meaning. A name is written as typed (NFC), and a later save or load under any
spelling with the same key finds that file (`resolve`).

Every file the store writes for itself has a dot in its stem (`autosave.off-screen.json`,
`autosave-2.off-screen.json`, `profile.off-screen.json`), which a slot name can never have:
a player's slot can therefore never collide with an autosave, the quicksave or the profile,
and the autosave of another story sharing the folder is left alone.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from game.storage.errors import SaveError

AUTOSAVE = "autosave"
QUICKSAVE = "quicksave"
SPECIAL = (AUTOSAVE, QUICKSAVE)
"""Slots the game writes by itself; their files carry the story id."""
_EXTRA_AUTOSAVE = re.compile(r"autosave-([2-9]|[1-9][0-9])\Z")
"""`autosave-2`...`autosave-99`: the autosaves of further games running at the same time."""

MAX_LENGTH = 40
SUFFIX = ".json"
BACKUP_SUFFIX = ".bak"
_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{i}" for i in range(10)] + [f"LPT{i}" for i in range(10)]
)


def _allowed(name: str) -> bool:
    """Letters and digits of any script (with their combining accents), spaces, '-', '_'."""
    if unicodedata.category(name[0]).startswith("M"):
        return False  # an accent with nothing to sit on
    return all(c.isalnum() or c in " -_" or unicodedata.category(c).startswith("M")
               for c in name)


def slot_key(name: str) -> str:
    """What makes two names the same slot: compatibility-normalised and case-folded."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def check_slot(name: str) -> str:
    """The name, trimmed and NFC-normalised, if it can be a save slot; else SaveError why not."""
    name = unicodedata.normalize("NFC", name.strip())
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
    if not _allowed(name):
        raise SaveError(f"'{shown}' cannot be a save name: use only letters, digits, spaces, "
                        "'-' and '_'")
    key = slot_key(name).upper()
    if key.split(" ")[0] in _WINDOWS_RESERVED or key in _WINDOWS_RESERVED:
        raise SaveError(f"'{shown}' cannot be a save name: Windows reserves it for a device; "
                        "pick another")
    return name


def special(slot: str) -> str | None:
    """The canonical name of a slot the game writes itself (any spelling), else None."""
    key = slot_key(slot)
    return key if key in SPECIAL or _EXTRA_AUTOSAVE.match(key) else None


def is_autosave(slot: str) -> bool:
    key = special(slot)
    return key is not None and key != QUICKSAVE


def slot_file(slot: str, story_id: str) -> str:
    """The file name of an already checked slot, as it would be created."""
    canonical = special(slot)
    if canonical is not None:
        return f"{canonical}.{story_id}{SUFFIX}"
    return slot + SUFFIX


def resolve(folder: Path, slot: str, story_id: str) -> str:
    """The file name of a checked slot in `folder`: an existing file of the same key (however
    it is spelled there), else the name it would be created with."""
    created = slot_file(slot, story_id)
    if special(slot) is not None or os.path.lexists(folder / created):
        return created
    key = slot_key(slot)
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return created
    for name in names:
        stem = name.removesuffix(BACKUP_SUFFIX)
        if (stem.endswith(SUFFIX) and not stem.startswith(".")
                and slot_key(stem[: -len(SUFFIX)]) == key):
            return stem
    return created


def slot_exists(folder: Path, slot: str, story_id: str) -> bool:
    """Whether `slot` has a file (or its backup) in `folder`; `SaveStore.exists` is this, and
    the title screen asks it for the autosave before anything else of storage is imported.
    A folder that cannot be searched has no saves we can see (writing then says why)."""
    path = folder / resolve(folder, check_slot(slot), story_id)
    try:
        return os.path.lexists(path) or os.path.lexists(path.with_name(path.name
                                                                       + BACKUP_SUFFIX))
    except OSError:
        return False


def profile_file(story_id: str) -> str:
    return f"profile.{story_id}{SUFFIX}"


def slot_of_file(filename: str, story_id: str) -> tuple[str, bool] | None:
    """Which slot a file in the save folder is, for this story, and whether it can be loaded.

    Another story's autosaves, quicksave and profile are that story's business and yield None.
    Any other `.json` file is reported, so foreign or misnamed files are shown and named
    rather than silently ignored: as its slot when `load` can reach it by that name, otherwise
    as its file name with False.
    """
    filename = unicodedata.normalize("NFC", filename)  # macOS lists names decomposed
    if filename.startswith(".") or not filename.endswith(SUFFIX):
        return None
    stem = filename[: -len(SUFFIX)]
    head, dot, rest = stem.partition(".")
    canonical = special(head)
    if dot and (canonical is not None or head == "profile"):
        return (canonical, True) if canonical is not None and rest == story_id else None
    try:
        loadable = check_slot(stem) == stem and special(stem) is None
    except SaveError:
        loadable = False
    return (stem, True) if loadable else (filename, False)
