"""How every command loads its story: the garbage collector's policy lives here.

A loaded story is hundreds of thousands of objects with no cycles that live until the
command exits. So the collector is paused while they are built and they are then frozen
out of its sight (`game.collector`): a running collector re-walked the whole story again
and again while loading (and afterwards, every full collection walked it: random runs of the
10,000-scene story were five times slower). `load_story` itself leaves the collector alone:
a library call does not change process-wide state; this is the entry points' choice.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from game import collector
from game.story.files import LoadResult, load_story

if TYPE_CHECKING:
    from game.story.filecache import FileCache


def load(folder: Path, *, cache: bool = False, files: FileCache | None = None) -> LoadResult:
    """`load_story(folder)` with the collector paused, and the result frozen (what a
    `FileCache` keeps for the next load included)."""
    with collector.paused(freeze=True):
        return load_story(folder, cache=cache, files=files)


def refuse_broken(result: LoadResult, folder: Path, consequence: str) -> int:
    """A command that needs a story which has errors: print them, say what cannot be done
    (`consequence`, e.g. "so its saves cannot be checked against it"), exit status 1."""
    for diagnostic in result.diagnostics:
        print(diagnostic, file=sys.stderr)
    print(f"offscreen: the story in {folder} has errors, {consequence} "
          f"(`offscreen check {folder}` lists them)", file=sys.stderr)
    return 1
