"""The front door of the story layer: `load_story`, the one way a story is loaded.

A warm start (the story from the compiled cache) needs only this, the model and the cache;
PyYAML and the loader's readers are imported only when files must really be read, which
keeps `offscreen play`'s start-up close to a bare Textual app's.

Loading builds hundreds of thousands of objects that live as long as the story. Whether the
garbage collector is paused meanwhile, and the result frozen out of its sight, is the
caller's policy, not this library's (see `game.collector`): every command that loads a story
does both, as the benchmarks do.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from game.story.diagnostics import StoryError

# Re-exported: the front door is where callers find what a load gives.
from game.story.folder import MAX_FILE_BYTES as MAX_FILE_BYTES
from game.story.folder import STORY_SUFFIXES as STORY_SUFFIXES
from game.story.folder import LoadResult as LoadResult
from game.story.folder import display_path as display_path
from game.story.folder import story_files as story_files
from game.story.model import Story

if TYPE_CHECKING:
    from game.story.filecache import FileCache


def load_story(root: Path | str, *, cache: bool = False,
               sources: Mapping[Path, str] | None = None,
               files: FileCache | None = None) -> LoadResult:
    """Load and check the story folder (or single file) at root.

    With `cache=True` a result saved by an earlier load of the very same files is reused
    (see `game.story.cache`), and a fresh one saved for next time; it is off by default so
    tests and tools stay hermetic. `sources` maps absolute file paths to text that stands in
    for what is on disk (an editor's unsaved buffers, for `offscreen lsp`); such a load
    never uses the compiled cache. `files`, kept by a process that loads the same story
    again and again (`offscreen lsp`, `play --dev`), makes each load re-read only the files
    that changed since the last one (`game.story.filecache`); the result is the same.
    """
    root = Path(root)

    def read(folder: Path) -> LoadResult:
        return _read(folder, sources, files)

    if sources or not cache:
        return read(root)
    from game.story import cache as story_cache

    found = story_cache.get(root, read)
    if found.result is not None:
        return found.result
    result = read(root)
    story_cache.put(found, result)
    return result


def _read(root: Path, sources: Mapping[Path, str] | None = None,
          files: FileCache | None = None) -> LoadResult:
    if files is not None:
        from game.story.filecache import IncrementalLoader

        return IncrementalLoader(root, files, sources).load()
    from game.story.loader import load_folder  # PyYAML and the readers: only when reading

    return load_folder(root, sources)


def load_or_raise(root: Path | str) -> Story:
    """The story, or StoryError with every diagnostic: for tests and tools that need one."""
    result = load_story(root)
    if result.story is None:
        raise StoryError(result.diagnostics)
    return result.story
