"""`offscreen play`: load the story (or print why not), then hand over to a front end."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from game.story.files import LoadResult, load_story

POLL_SECONDS = 0.5


def run(folder: Path, saves: Path, load: str | None = None, plain: bool = False,
        dev: bool = False) -> int:
    result = load_story(folder, cache=True)
    if result.story is None:
        _print_errors(result)
        if not dev:
            print(f"offscreen: the story in {folder} has errors; fix them and try again "
                  f"(`offscreen check {folder}` lists them)", file=sys.stderr)
            return 1
        waited = _wait_until_clean(folder)
        if waited is None:
            return 1
        result = waited
    story = result.story
    assert story is not None
    if plain or not (sys.stdin.isatty() and sys.stdout.isatty()):
        from game.plain import play
        from game.storage.saves import SaveStore

        return play(story, SaveStore(saves, story), sys.stdin, sys.stdout, load=load)
    from game.ui.app import run_app

    return run_app(story, folder, saves, load=load, dev=dev)


def _print_errors(result: LoadResult) -> None:
    for diagnostic in result.diagnostics:
        print(diagnostic, file=sys.stderr)


def _wait_until_clean(folder: Path) -> LoadResult | None:
    """`--dev` on a broken story: keep the errors on screen and start once they are fixed.

    The author launched the game to write beside it, so stopping would only make them run
    the command again after every save; instead each change to the files is checked again.
    None when they give up with Ctrl+C.
    """
    from game.ui.devreload import signature

    print(f"offscreen: waiting for the story in {folder} to be fixed; it starts as soon as "
          "it checks clean (Ctrl+C to stop)", file=sys.stderr)
    last = signature(folder)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            now = signature(folder)
            if now == last:
                continue
            last = now
            result = load_story(folder)
            if result.story is not None:
                return result
            print("\n--- still not clean:", file=sys.stderr)
            _print_errors(result)
    except KeyboardInterrupt:
        return None
