"""The "Locked choices" section of writing-scenes.md, tried: its example checks clean and
plays in plain mode exactly as the section says, and each code its traps name is the code
the checker gives for that mistake."""

from __future__ import annotations

import io
import re
import textwrap
from pathlib import Path

from game.plain import PlainGame
from game.session import Session
from game.story import codes
from game.story.files import load_story

GUIDE = (Path(__file__).parents[1] / "docs" / "writing-scenes.md").read_text(encoding="utf-8")
SECTION = GUIDE[GUIDE.index("### Locked choices"):GUIDE.index("### Effects")]
JOINED = " ".join(SECTION.split())


def example(tmp_path: Path) -> Path:
    choices = re.search(r"```yaml\n(.*?)```", SECTION, re.S)
    assert choices is not None
    (tmp_path / "story.yaml").write_text(
        "story: {id: t, title: T, start: lobby}\nvariables: {courage: 0}\nscenes:\n"
        "  lobby:\n    text: The lobby.\n" + choices.group(1)
        + "  autograph: {text: Signed., ending: {id: signed, title: Signed}}\n",
        encoding="utf-8")
    return tmp_path


def test_the_example_checks_clean_and_plays_as_the_section_says(tmp_path: Path) -> None:
    result = load_story(example(tmp_path))
    assert result.story is not None and result.diagnostics == ()
    out = io.StringIO()
    PlainGame(Session(result.story, tmp_path / "saves"), out, width=100).run(
        io.StringIO("1\n2\n2\n1\n"))
    text = out.getvalue()
    claimed = re.search(r"Plain mode prints `(.*?)` \(without", JOINED)
    assert claimed is not None and claimed.group(1) in text
    assert "That choice is locked: You need more courage (0 of 2)." in text
    assert "1. Ask for an autograph (locked: You need more courage (1 of 2).)" in text
    assert "THE END: Signed" in text


def test_each_trap_names_the_code_the_checker_gives(tmp_path: Path) -> None:
    mistakes = {
        "OS621": "enabled: maybe", "OS620": "enabled: 3", "OS750": "reason: Why.",
        "OS751": "enabled: false", "OS753": "{if: courage > 1, enabled: courage > 1}",
    }
    for code, written in mistakes.items():
        assert code in JOINED and code in codes.TABLE
        extra = written if written.startswith("{") else "{" + written + "}"
        pairs = extra.strip("{}")
        folder = tmp_path / code
        folder.mkdir()
        (folder / "s.yaml").write_text(textwrap.dedent(f"""\
            story: {{id: t, title: T, start: a}}
            variables: {{courage: 0}}
            scenes:
              a:
                text: A.
                choices:
                  - {{text: Go, goto: b, {pairs}}}
                  - {{text: Wait, goto: a, effects: [{{add: {{courage: 1}}}}]}}
              b: {{text: B., ending: {{id: b, title: B}}}}
            """), encoding="utf-8")
        found = {d.code for d in load_story(folder).diagnostics}
        assert code in found, (code, found)
