"""The game process behind one browser tab: `python -m game.web.child --story DIR --saves DIR`.

`offscreen serve` starts one per websocket, under Textual's web driver (textual-serve sets
TEXTUAL_DRIVER). It cannot be `offscreen play`: there stdin and stdout are pipes, not a
terminal, so `play` would fall back to plain mode. This builds the Textual game directly.
`--saves` is the visitor's own folder, the only one the process is told of. Not a command
for people, so it is not in `offscreen --help`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from game import collector
from game.story.files import load_story


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m game.web.child")
    parser.add_argument("--story", required=True, metavar="DIR")
    parser.add_argument("--saves", required=True, metavar="DIR")
    args = parser.parse_args(argv)
    with collector.paused(freeze=True):  # what start-up builds lives until exit (see play)
        result = load_story(Path(args.story), cache=True)
        if result.story is None:
            for diagnostic in result.diagnostics:
                print(diagnostic, file=sys.stderr)
            print(f"offscreen: the story in {args.story} has errors", file=sys.stderr)
            return 1
        from game.web.app import WebApp

        app = WebApp(result.story, Path(args.story), Path(args.saves))
    code = app.run()
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
