"""`offscreen new DIR`: write the starter story, then tell the author what to do next."""

from __future__ import annotations

import sys
from pathlib import Path

from game import paths
from game.tools.starter import StarterError, create


def run(folder: Path) -> int:
    try:
        written = create(folder)
    except StarterError as exc:
        print(f"offscreen new: {exc}", file=sys.stderr)
        return 1
    where = str(folder)
    print(f"Created a starter story in {where}:")
    for path in written:
        print(f"  {path}")
    print()
    print("Next:")
    print(f"  play it:    offscreen play --story {where}")
    print(f"  check it:   offscreen check {where}")
    print(f"  test it:    offscreen test {where}")
    print(f"  map it:     offscreen graph {where}")
    print("Every file is commented; the guides say more: `offscreen docs writing-scenes` and "
          "`offscreen docs author-tools`.")
    print(guides_line(paths.docs_dir()))
    return 0


def guides_line(folder: Path) -> str:
    """Where the guides are in this copy of the game, or, honestly, that it has none.

    A checkout has docs/ and the wheel carries them as game/docs; a copy repackaged
    without them (some distributions split docs out) still gets told where to look."""
    if (folder / "writing-scenes.md").is_file():
        return f"The guides are in {folder} (`offscreen docs` lists them)."
    return (f"This copy of Off Screen was installed without its guides (no {folder}); they "
            "are the docs/ folder of its source: the sdist, or the repository it came from.")
