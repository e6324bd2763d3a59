"""`offscreen graph`: the story map on stdout, as Graphviz DOT or Mermaid."""

from __future__ import annotations

import sys
from pathlib import Path

from game.commands.loading import load
from game.story.diagnostics import summary
from game.tools.graph import FORMATS, render


def run(folder: Path, fmt: str = "dot") -> int:
    if fmt not in FORMATS:
        print(f"offscreen graph: --format must be one of {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    result = load(folder, cache=True)
    if result.story is None:
        for diagnostic in result.errors:
            print(diagnostic, file=sys.stderr)
        print(summary(result.diagnostics, len(result.files)), file=sys.stderr)
        print("offscreen graph: the story has errors; fix them first (see `offscreen check`)",
              file=sys.stderr)
        return 1
    sys.stdout.write(render(result.story, fmt))
    sys.stdout.flush()
    return 0
