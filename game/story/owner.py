"""Which story folder a single file belongs to, for `offscreen check FILE`.

A story is a folder, but an author with one file open in an editor naturally checks that
file. Read alone, one file of a multi-file story is full of false errors (every scene,
variable and fact of the other files "missing"). So the checker looks for the folder the
file belongs to, checks all of it, and shows that file's problems. The folder is found from
the `story:` section, which a story has exactly once: in this file (then the story is the
file's folder, unless that folder holds other story headers too, as a folder of one-file
stories does) or in a file of the nearest folder above that holds one.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from game import safeio
from game.story.folder import MAX_FILE_BYTES, STORY_SUFFIXES

MAX_CLIMB = 8
"""How many folders up to look for the story's header: stories nest a few levels deep."""
_HEADER = re.compile(rb"^(?:\xef\xbb\xbf)?story[ \t]*:", re.MULTILINE)
"""A top-level `story:` key, as it starts a line (a header in flow style is rare enough
to be checked alone, as before)."""


def story_root_of(file: Path) -> Path | None:
    """The folder of the story `file` is one file of, or None when it is a story of its
    own (or no folder above it holds a story header: then it is checked alone)."""
    file = Path(os.path.abspath(file))
    folder = file.parent
    if _has_header(file):
        if any(_has_header(p) for p in _own_files(folder) if p != file):
            return None  # a folder of one-file stories
        return folder if _any_other_story_file(folder, file) else None
    for _ in range(MAX_CLIMB):
        if any(_has_header(p) for p in _own_files(folder)):
            return folder
        if folder.parent == folder:
            break
        folder = folder.parent
    return None


def _own_files(folder: Path) -> list[Path]:
    """The story files directly in folder (not below it), as `story_files` would name them."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [folder / name for name in names
            if name.endswith(STORY_SUFFIXES) and not name.startswith(".")]


def _any_other_story_file(folder: Path, file: Path) -> bool:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        if any(name.endswith(STORY_SUFFIXES) and not name.startswith(".")
               and Path(dirpath, name) != file for name in filenames):
            return True
    return False


def _has_header(path: Path) -> bool:
    """Whether the file has a top-level `story:` key; unreadable files have none."""
    try:
        return _HEADER.search(safeio.read_limited(path, MAX_FILE_BYTES)) is not None
    except OSError:
        return False
