"""Files generated from the code (the story-file JSON Schema, the table of diagnostic codes):
how their modules' `python -m ...` entry points print or write them.

Each such file has one source in the code and a test that the checked-in copy is equal to
it; this is how the copy is refreshed: `python -m MODULE PATH` writes it, without PATH the
text goes to stdout.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path


def main(text: Callable[[], str], argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0].startswith("-"):  # `--help`, not a file to write over
        print("usage: python -m MODULE [PATH]: print the generated file, or write it to PATH",
              file=sys.stderr)
        return 0 if args[0] in ("-h", "--help") else 2
    if not args:
        sys.stdout.write(text())
        return 0
    Path(args[0]).write_text(text(), encoding="utf-8")
    print(f"wrote {args[0]}")
    return 0
