"""`offscreen play`: load the story (or print why not), then hand over to a front end."""

from __future__ import annotations

import sys
from pathlib import Path

from game.story.loader import load_story


def run(folder: Path, saves: Path, load: str | None = None, plain: bool = False,
        dev: bool = False) -> int:
    result = load_story(folder, cache=True)
    if result.story is None:
        for diagnostic in result.diagnostics:
            print(diagnostic, file=sys.stderr)
        print(f"offscreen: the story in {folder} has errors; fix them and try again "
              f"(`offscreen check {folder}` lists them)", file=sys.stderr)
        return 1
    story = result.story
    if plain or not (sys.stdin.isatty() and sys.stdout.isatty()):
        from game.plain import play
        from game.storage.saves import SaveStore

        return play(story, SaveStore(saves, story), sys.stdin, sys.stdout, load=load)
    from game.ui.app import run_app

    return run_app(story, folder, saves, load=load, dev=dev)
