"""`offscreen play`: load the story (or print why not), then hand over to a front end."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from game import collector, terminal
from game.commands import loading
from game.story.files import LoadResult, load_story

if TYPE_CHECKING:
    from game.story.model import Story

def run(folder: Path, saves: Path, load: str | None = None, plain: bool = False,
        dev: bool = False, seed: int | None = None) -> int:
    # Everything start-up builds (the story, the modules, the app) lives until exit, so the
    # collector is paused meanwhile and then frozen out of it (see game.collector): the
    # title screen shows ~5 ms sooner, and later collections in play skip all of it.
    with collector.paused(freeze=True):
        result = load_story(folder, cache=True)
        front = (None if result.story is None
                 else _front_end(result.story, folder, saves, load, plain, dev, seed))
    if front is not None:
        return front()  # the game itself runs with the collector on
    _print_errors(result)
    if not dev:
        print(f"offscreen: the story in {folder} has errors; fix them and try again "
              f"(`offscreen check {folder}` lists them)", file=sys.stderr)
        return 1
    waited = _wait_until_clean(folder)
    if waited is None or waited.story is None:
        return 1
    with collector.paused(freeze=True):
        front = _front_end(waited.story, folder, saves, load, plain, dev, seed)
    return front()


def _front_end(story: Story, folder: Path, saves: Path, load: str | None, plain: bool,
               dev: bool, seed: int | None = None) -> Callable[[], int]:
    """The front end, built and ready: calling it plays until the player quits."""
    reason = None if plain else terminal.plain_reason()
    if reason:  # one line, so a player who expected the full screen knows why
        print(f"offscreen: playing in plain mode because {reason} (--plain chooses it "
              "without this note)", file=sys.stderr)
    if plain or reason:
        from game.plain import play
        from game.session import Session

        session = Session(story, saves, seed=seed)
        return lambda: play(session, sys.stdin, sys.stdout, load=load)
    from game.ui.app import OffScreenApp

    app = OffScreenApp(story, folder, saves, load=load, dev=dev, seed=seed)

    def run_app() -> int:
        code = app.run()
        return code if isinstance(code, int) else 0

    return run_app


def _print_errors(result: LoadResult) -> None:
    for diagnostic in result.diagnostics:
        print(diagnostic, file=sys.stderr)


def _wait_until_clean(folder: Path) -> LoadResult | None:
    """`--dev` on a broken story: keep the errors on screen and start once they are fixed.

    The author launched the game to write beside it, so stopping would only make them run
    the command again after every save; instead each change to the files is checked again.
    None when they give up with Ctrl+C.
    """
    from game.story.watch import POLL_SECONDS, StoryWatcher

    # Made before the message: an edit saved on reading it counts.
    watcher = StoryWatcher(folder, loading.load)
    print(f"offscreen: waiting for the story in {folder} to be fixed; it starts as soon as "
          "it checks clean (Ctrl+C to stop)", file=sys.stderr)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            result = watcher.poll()
            if result is None:
                continue
            if result.story is not None:
                return result
            print("\n--- still not clean:", file=sys.stderr)
            _print_errors(result)
    except KeyboardInterrupt:
        return None
