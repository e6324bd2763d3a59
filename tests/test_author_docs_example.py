"""writing-scenes.md's "Complete example" shows the files of docs/example as they are (their
opening comments aside), so the guide never walks through a story that no longer exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
GUIDE = (ROOT / "docs" / "writing-scenes.md").read_text(encoding="utf-8")
SECTION = GUIDE[GUIDE.index("## Complete example"):GUIDE.index("## Every key at a glance")]


@pytest.mark.parametrize("name", ["story.yaml", "scenes.yaml", "playthroughs.yaml"])
def test_the_guide_shows_each_example_file_as_it_is(name: str) -> None:
    shown = re.search(rf"`{re.escape(name)}`:\n\n```yaml\n(.*?)```\n", SECTION, re.S)
    assert shown is not None, f"no block for {name}"
    lines = (ROOT / "docs" / "example" / name).read_text(encoding="utf-8").splitlines(True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    assert shown.group(1) == "".join(lines)
