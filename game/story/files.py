"""A story folder: its files, how they are named in messages, and loading it.

This is the light front door of the story layer. A warm start (the story from the compiled
cache) needs only this, the model and the cache; PyYAML and the loader's readers are imported
only when files must really be read, which keeps `offscreen play`'s start-up close to a bare
Textual app's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from game import collector
from game.story.diagnostics import Diagnostic, StoryError
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


def display_path(path: Path) -> str:
    """Relative to the working directory when inside it, as compilers print paths."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def load_story(root: Path | str, *, cache: bool = False) -> LoadResult:
    """Load and check the story folder (or single file) at root.

    With `cache=True` a result saved by an earlier load of the very same files is reused
    (see `game.story.cache`); it is off by default so tests and tools stay hermetic.
    """
    root = Path(root)
    # The story is immutable and lives as long as the game: everything built while loading
    # is frozen out of the cyclic collector's sight before it restarts (game.collector).
    # Without this every full collection re-walks the whole story, which made random
    # playthroughs of a 10k-scene story five times slower; and a collector simply switched
    # back on would start at once on the millions of objects just built (~0.25 s at 10k).
    with collector.paused(freeze=True):
        if cache:
            from game.story import cache as story_cache

            result = story_cache.load(root)
        else:
            from game.story.loader import _Loader  # PyYAML and the readers: only when reading

            result = _Loader(root).load()
    return result


def load_or_raise(root: Path | str) -> Story:
    result = load_story(root)
    if result.story is None:
        raise StoryError(result.diagnostics)
    return result.story
