"""The guide's "Numbers worked out in play" section, tried: its examples check clean and
play as it says (clamping, set refused outside bounds, round, rolls that back and loading
never change)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from game.engine import Engine
from game.story.files import load_story

DOCS = Path(__file__).parents[1] / "docs"
GUIDE = (DOCS / "writing-scenes.md").read_text(encoding="utf-8")
SECTION = GUIDE[GUIDE.index("## Numbers worked out in play"):GUIDE.index("## Lists")]


def _blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", SECTION, re.S)


def test_the_sections_examples_make_a_story_that_checks_clean(tmp_path: Path) -> None:
    bounded, computed, rolled = _blocks()
    story = ("story: {id: guide, title: Guide, start: table}\n" + bounded
             + "  score: 4\n  share: 0.0\n  mood: false\n  roll: 0\n" + rolled
             + "  cafe:\n"
             + '    text: "{trust} {energy} {badge_count} {share} {mood}"\n'
             + "    choices:\n      - text: Again\n        goto: table\n"
             + "        effects:\n"
             + textwrap.indent(computed.split("effects:\n", 1)[1], "      ")
             + "  win:\n    text: You win.\n    next: cafe\n")
    (tmp_path / "story.yaml").write_text(story, encoding="utf-8")
    result = load_story(tmp_path)
    errors = [str(d) for d in result.diagnostics if d.severity == "error"]
    assert result.story is not None and not errors, errors


def test_the_claims_hold(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text(textwrap.dedent("""\
        story: {id: claims, title: Claims, start: a}
        variables:
          trust: {default: 4, min: 0, max: 5}
          half: 0
          roll: 0
        scenes:
          a:
            text: "{trust} {half} {roll}"
            on_enter:
              - add: {trust: 3}
              - compute: {half: "round(5 / 2)", roll: "random(1, 6) + random(1, 6)"}
            choices:
              - {text: Down, goto: b, effects: [{add: {trust: -9}}]}
          b: {text: "{trust}", ending: {id: e, title: E}}
        """), encoding="utf-8")
    result = load_story(tmp_path)
    assert result.story is not None
    engine = Engine(result.story)
    state = engine.start(11)
    assert state.variables["trust"] == 5  # clamped, "not 7"
    assert state.variables["half"] == 3  # halves away from zero
    assert 2 <= state.variables["roll"] <= 12  # type: ignore[operator]
    down = engine.choose(state, "down")
    assert down.variables["trust"] == 0
    again = engine.choose(engine.back(down), "down")  # type: ignore[arg-type]
    assert again == down
    assert engine.start(11) == state  # the same seed, the same game
    assert "set: {trust: 7}" in SECTION and "OS527" in SECTION
