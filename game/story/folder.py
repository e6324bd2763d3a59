"""A story folder's files, how they are named in messages, and what loading it gives.

Shared by the loader, the compiled cache and the front door (`files.py`), none of which
needs the others for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from game.story.diagnostics import Diagnostic
from game.story.model import Story

STORY_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 64 * 1024 * 1024
"""80 Days is ~8 MB of YAML over many files; one file past this is a mistake or an attack.
Here, not in yamlsrc, because the cache refuses such a file before hashing it (warm starts
never import PyYAML)."""


@dataclass(frozen=True, slots=True)
class LoadResult:
    """A story, or None when any error was found; diagnostics always hold everything found."""

    story: Story | None
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...]

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")


def story_files(root: Path) -> list[Path]:
    """Every *.yaml/*.yml below root, recursively, in path order; hidden folders skipped."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath, f) for f in filenames
                     if f.endswith(STORY_SUFFIXES) and not f.startswith("."))
    return sorted(found)


def is_story_path(root: Path, path: Path) -> bool:
    """Whether `story_files(root)` would list path if it existed (root and path absolute)."""
    if not path.is_relative_to(root) or path == root:
        return False
    rel = path.relative_to(root)
    return rel.name.endswith(STORY_SUFFIXES) and not any(
        part.startswith(".") for part in rel.parts)


def display_path(path: Path) -> str:
    """Relative to the working directory when inside it, as compilers print paths.

    Outside it the absolute path is shorter and clearer than a climb of `../../..`
    (and an editor or terminal can open it from anywhere).
    """
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:  # not inside the working directory (or another drive on Windows)
        return str(absolute)
