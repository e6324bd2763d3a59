"""`offscreen new DIR`: a starter story folder that passes `check` and shows every feature.

The story itself is package data (game/tools/starter_story/*.yaml), so it is real YAML that
the test suite loads, checks and plays like any story. Beside it goes a copy of the JSON
Schema, generated now from the running engine's own tables, which the files' first-line
modeline points editors at. Nothing is ever overwritten: a folder that exists and holds
anything is refused before a single file is written.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from game.tools import json_schema

SCHEMA_NAME = "scene.schema.json"


class StarterError(Exception):
    """Why the starter story could not be written; the message is for the author."""


def starter_files() -> dict[str, str]:
    """File name -> text of the starter story, in path order."""
    package = resources.files("game.tools.starter_story")
    files = {entry.name: entry.read_text(encoding="utf-8") for entry in package.iterdir()
             if entry.name.endswith(".yaml")}
    return dict(sorted(files.items()))


def create(folder: Path) -> list[Path]:
    """Write the starter story into `folder` (created if missing); returns the files written."""
    if folder.exists():
        if not folder.is_dir():
            raise StarterError(f"{folder} exists and is not a folder")
        if any(folder.iterdir()):
            raise StarterError(f"{folder} is not empty; give a new or empty folder "
                               "(nothing was written)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in [*starter_files().items(), (SCHEMA_NAME, json_schema.dumps())]:
            path = folder / name
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            written.append(path)
    except OSError as exc:
        raise StarterError(f"cannot write the starter story in {folder}: "
                           f"{exc.strerror or exc}") from None
    return written
