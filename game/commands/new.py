"""`offscreen new DIR`: write the starter story, then tell the author what to do next."""

from __future__ import annotations

import sys
from pathlib import Path

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
    return 0
