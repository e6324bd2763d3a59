"""The complete example (docs/example) and the starter of `offscreen new` show scene format
v2: each uses every addition (text variations of each kind, a title with a variable or a
variation, bounded numbers, a list, compute with random(), a locked choice with a reason,
a call and its return), checks clean, and `offscreen test --exhaustive` passes on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from tools_helpers import EXAMPLE, STARTER

from game.cli import main
from game.story import schema
from game.story.files import load_story
from game.story.model import Story
from game.story.scene import Template, Variation


def _templates(story: Story) -> Iterator[Template]:
    for scene in story.scenes.values():
        yield from (p.text for p in scene.paragraphs)
        for choice in scene.choices:
            yield choice.text
            if choice.reason is not None:
                yield choice.reason


def _kinds(story: Story) -> set[str]:
    found: set[str] = set()
    for template in _templates(story):
        for part in template.parts:
            if isinstance(part, Variation):
                found.update(v.kind for v in part.variations())
    return found


def features(story: Story) -> set[str]:
    """The format v2 additions a story uses."""
    scenes = list(story.scenes.values())
    choices = [c for s in scenes for c in s.choices]
    effects = [e for s in scenes for e in (*s.on_enter, *(e for c in s.choices
                                                           for e in c.effects))]
    used = {f"variation:{kind}" for kind in _kinds(story)}
    checks = {
        "title": any("{" in s.title for s in scenes),
        "bounds": any(v.bounded for v in story.variables.values()),
        "list": any(v.items is not None for v in story.variables.values()),
        "compute": any(e.kind == "compute" for e in effects),
        "random": any(e.kind == "compute" and "random(" in str(e.value) for e in effects),
        "enabled": any(c.enabled is not None for c in choices),
        "reason": any(c.reason is not None for c in choices),
        "call": any(c.call for c in choices),
        "return": any(s.returns for s in scenes),
    }
    return used | {name for name, yes in checks.items() if yes}


EVERY = {"title", "bounds", "list", "compute", "random", "enabled", "reason", "call",
         "return"}


@pytest.mark.parametrize(("folder", "variations"), [
    (EXAMPLE, {"shuffle", "if"}),  # and a sequence in the coffee's title
    (STARTER, {"sequence", "cycle", "shuffle", "if"}),
], ids=["example", "starter"])
def test_the_story_shows_every_addition_of_format_v2(folder: Path, variations: set[str]) -> None:
    result = load_story(folder)
    assert result.story is not None and result.diagnostics == ()
    assert features(result.story) == EVERY | {f"variation:{k}" for k in variations}


def test_the_example_uses_every_key_of_the_format() -> None:
    from test_tools_starter import _used_keys

    documents = [yaml.safe_load(p.read_text(encoding="utf-8"))
                 for p in sorted(EXAMPLE.glob("*.yaml"))]
    known = {(table, key) for table, keys in schema.TABLES.items() for key in keys}
    assert known - set(_used_keys(documents)) == set()


@pytest.mark.parametrize("folder", [EXAMPLE, STARTER], ids=["example", "starter"])
def test_offscreen_test_exhaustive_passes_on_it(folder: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(folder), "--exhaustive", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    assert "== exhaustive search: complete" in out
    assert "proven unreachable: nothing" in out
    assert out.rstrip().endswith("PASSED")
