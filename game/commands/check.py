"""`offscreen check`: every problem in one run, as `path:line:col: severity: message`."""

from __future__ import annotations

import sys
from pathlib import Path

from game.commands.loading import load
from game.story.diagnostics import summary
from game.story.files import display_path


def run(folder: Path, stats: bool = False) -> int:
    result = load(folder, cache=True)
    for diagnostic in result.diagnostics:
        print(diagnostic)
    print(summary(result.diagnostics, len(result.files), display_path(folder)))
    if stats and result.story is not None:
        from game.tools.stats import format_stats, story_stats

        print()
        print(format_stats(story_stats(result.story)))
    sys.stdout.flush()
    return 1 if result.errors else 0
