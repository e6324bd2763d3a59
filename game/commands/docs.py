"""`offscreen docs [TOPIC] [--path]`: the guides, from whatever copy of the game is running.

The docs have one home in the repository, docs/; the wheel carries that folder as game/docs
(see setup.py), and game.paths.docs_dir() finds whichever is there. The topics are the
Markdown files found in it, so a new guide is listed the moment it exists.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

EXAMPLE = "example"
SCHEMA = "scene.schema.json"


def topics(folder: Path) -> dict[str, Path]:
    """Each guide by its topic name: the file name without `.md`, e.g. "writing-scenes"."""
    return {path.stem: path for path in sorted(folder.glob("*.md"))}


def title(path: Path) -> str:
    """A guide's first heading, which says what it is."""
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("# "):
                    return line[2:].strip()
    except (OSError, UnicodeDecodeError):
        pass
    return ""


def run(folder: Path, topic: str | None, path: bool = False) -> int:
    guides = topics(folder)
    if not guides:
        print(f"offscreen docs: no guides in {folder}; this copy of Off Screen was installed "
              "without its docs", file=sys.stderr)
        return 1
    if topic is None:
        if path:
            print(folder)
        else:
            listing(folder, guides)
        return 0
    chosen = guides.get(topic.removesuffix(".md"))
    if chosen is None:
        close = ([name for name in guides if name.startswith(topic)]
                 or difflib.get_close_matches(topic, guides, n=1))
        hint = f"did you mean '{close[0]}'? " if close else ""
        print(f"offscreen docs: no guide called '{topic}'; {hint}"
              f"the guides are: {', '.join(guides)}", file=sys.stderr)
        return 2
    if path:
        print(chosen)
        return 0
    text = chosen.read_text(encoding="utf-8")
    if sys.stdout.isatty():
        import pydoc

        pydoc.pager(text)  # $PAGER or less, as `help()` does; plain output where there is none
    else:
        sys.stdout.write(text)
    return 0


def listing(folder: Path, guides: dict[str, Path]) -> None:
    width = max(len(name) for name in guides)
    print(f"The guides to Off Screen, in {folder}:")
    print()
    for name, path in guides.items():
        print(f"  {name.ljust(width)}  {title(path)}".rstrip())
    print()
    print("Read one with `offscreen docs TOPIC`, e.g. `offscreen docs writing-scenes`.")
    if (folder / EXAMPLE).is_dir():
        print(f"The example story they describe: {folder / EXAMPLE} "
              f"(play it: offscreen play --story {folder / EXAMPLE})")
    if (folder / SCHEMA).is_file():
        print(f"The JSON Schema for editors: {folder / SCHEMA}")
