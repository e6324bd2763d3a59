"""The language server on format v2 stories: list variables and their items, locked
choices, text variations (`{?COND|..}`), with no client and no pygls.

Each test uses the feature as main's loader has it (the story below is checked clean
first), so the server keeps up with the format rather than with a guess of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.lsp.complete import Item, complete
from game.lsp.lookup import StoryIndex, index_story
from game.lsp.rename import rename_edits
from game.story import schema
from game.story.files import load_story

STORY = """\
story: {id: v2, title: V2, start: hall}
variables:
  courage: 0
  pockets: {items: [badge, script, coffee], default: [badge]}
  tools: {items: [key, torch]}
facts:
  clue: {title: A clue, text: Something.}
scenes:
  hall:
    text: "You carry {pockets}. {?courage > 1|Brave.|Timid.} {&a|b}"
    choices:
      - text: Take the script
        goto: office
        if: '"script" in pockets'
        effects:
          - add: {pockets: script}
          - remove: {pockets: [badge]}
          - unlock: clue
          - compute: {courage: "min(courage + 1, 5)"}
      - text: Count
        goto: office
        enabled: count(pockets) >= 2 or "key" in tools
        reason: "{?courage > 0|Almost.|Not enough.}"
      - text: Stay
        goto: hall
      - text: Ask the radio
        call: radio
        then: office
  radio:
    text: "{~Static.|A voice.}"
    return: true
  office:
    text: Office.
    ending: {id: done, title: Done}
"""
CHOICE = "scenes:\n  a:\n    text: x\n    choices:\n      - text: Go\n"


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.yaml"
    path.write_text(STORY, encoding="utf-8")
    result = load_story(tmp_path)
    assert result.story is not None
    assert not [d for d in result.diagnostics if d.severity == "error"]
    return path


@pytest.fixture
def index(story: Path) -> StoryIndex:
    return index_story([(story, story.read_text(encoding="utf-8"))])


def items(index: StoryIndex, text: str, after: str = "") -> list[Item]:
    lines = (text + after).split("\n")
    col = len(lines[-1]) - len(after)
    return list(complete(index, lines, len(lines) - 1, col).items)


def labels(index: StoryIndex, text: str, after: str = "") -> list[str]:
    return [item.label for item in items(index, text, after)]


POCKETS = ["badge", "script", "coffee"]


@pytest.mark.parametrize(("text", "after", "expected"), [
    (CHOICE + "        if: '\"sc", "\" in pockets'", ["script"]),
    (CHOICE + "        if: '\"", "\" in tools'", ["key", "torch"]),
    (CHOICE + "        if: '\"", "", [*POCKETS, "key", "torch"]),  # no list named yet
    (CHOICE + "        if: courage > 1 and \"", "\" in pockets", POCKETS),
    (CHOICE + "        enabled: '\"t", "\" in tools'", ["torch"]),
    (CHOICE + "        effects:\n          - add: {pockets: ", "", POCKETS),
    (CHOICE + "        effects:\n          - remove: {pockets: [badge, ", "", POCKETS),
    (CHOICE + "        effects:\n          - add:\n              pockets: s", "", ["script"]),
    (CHOICE + "        effects:\n          - remove:\n              pockets:\n                - c",
     "", ["coffee"]),
    (CHOICE + "        effects:\n          - set: {courage: ", "", []),  # a number: any
    ("playthroughs:\n  p:\n    expect:\n      variables: {tools: ", "", ["key", "torch"]),
    ("scenes:\n  a:\n    text: |\n      Hello {?\"s", "\" in pockets|yes}", ["script"]),
])
def test_list_items_complete_where_a_list_is_tested_or_changed(
        index: StoryIndex, text: str, after: str, expected: list[str]) -> None:
    found = items(index, text, after)
    assert [item.label for item in found] == expected
    assert all(item.kind == "item" and item.detail.startswith("item of ") for item in found)


def test_list_items_say_which_lists_hold_them(index: StoryIndex) -> None:
    (badge,) = [i for i in items(index, CHOICE + "        if: '\"b") if i.label == "badge"]
    assert badge.detail == "item of pockets"


@pytest.mark.parametrize(("text", "after", "expected"), [
    ("scenes:\n  a:\n    text: \"{?cour", "|yes}\"", ["courage"]),
    ("scenes:\n  a:\n    text: |\n      Hello {?has(", "|yes}", ["clue"]),
    ("scenes:\n  a:\n    text: |\n      {?courage > 1|Hi {poc", "}|no}", ["pockets"]),
    (CHOICE + "        reason: \"{?cou", "|a|b}\"", ["courage"]),
    (CHOICE + "        enabled: cou", "", ["courage", "count"]),
    (CHOICE + "        if: count(", "", ["pockets", "tools"]),  # list variables only
    (CHOICE + "        effects:\n          - compute: {courage: \"min(cou", "", ["courage"]),
    (CHOICE + "        effects:\n          - compute: {courage: cl", "", ["clamp"]),
    (CHOICE + "        effects:\n          - compute:\n              courage: ro", "", ["round"]),
    (CHOICE + "        effects:\n          - compute: {", "", ["courage", "pockets", "tools"]),
])
def test_variables_complete_inside_variations_and_locks(
        index: StoryIndex, text: str, after: str, expected: list[str]) -> None:
    assert [label for label in labels(index, text, after) if label in expected] == expected


def test_the_new_keys_come_with_their_one_line_docs_from_the_schema(index: StoryIndex) -> None:
    offered = {item.label: item for item in items(index, CHOICE + "        ")}
    for key in ("enabled", "call"):
        assert offered[key].documentation == schema.TABLES["choice"][key].doc
    later = CHOICE + "        call: radio\n        enabled: x\n        "
    offered = {item.label: item for item in items(index, later)}
    for key in ("reason", "then"):  # each once the key it goes with is written
        assert offered[key].documentation == schema.TABLES["choice"][key].doc
    offered = {item.label: item for item in items(index, "scenes:\n  a:\n    ")}
    assert offered["return"].documentation == schema.TABLES["scene"]["return"].doc
    offered = {item.label: item for item in items(index, "variables:\n  bag: {")}
    assert set(offered) == {"items", "default", "min", "max"}  # a list or a bounded number
    assert offered["items"].documentation == schema.TABLES["variable"]["items"].doc
    assert offered["min"].documentation == schema.TABLES["variable"]["min"].doc


def test_calls_complete_find_and_rename_their_scenes(index: StoryIndex, story: Path) -> None:
    assert labels(index, CHOICE + "        call: r") == ["radio"]
    assert labels(index, CHOICE + "        call: radio\n        then: o") == ["office"]
    assert labels(index, "scenes:\n  a:\n    choices:\n      - {text: Go, call: ") == [
        "hall", "office", "radio"]
    lines = STORY.split("\n")
    (definition,) = index.definitions("scene", "radio")
    assert lines[definition.span.line].strip() == "radio:"
    assert [o.role for o in index.references("scene", "radio")] == ["call"]
    assert [o.role for o in index.references("scene", "office")] == ["goto", "goto", "then"]
    assert {o.scene for o in index.leading_to("radio")} == {"hall"}
    edits = rename_edits(index, definition, "walkie")
    assert sorted(e.span.line for e in edits[story]) == sorted([
        definition.span.line, next(i for i, t in enumerate(lines) if "call: radio" in t)])


def test_a_list_variable_is_found_renamed_and_hovered_everywhere(
        index: StoryIndex, story: Path) -> None:
    lines = STORY.split("\n")
    uses = [(o.role, lines[o.span.line][o.span.start:o.span.end])
            for o in index.occurrences("variable", "pockets")]
    assert uses == [("variables", "pockets"), ("text", "pockets"), ("if", "pockets"),
                    ("add", "pockets"), ("remove", "pockets"), ("enabled", "pockets")]
    courage = [o.role for o in index.occurrences("variable", "courage")]
    # both {?courage ...} conditions, and compute's key and expression
    assert courage == ["variables", "text", "compute", "compute", "reason"]
    (definition,) = index.definitions("variable", "pockets")
    edits = rename_edits(index, definition, "bag")
    renamed = STORY.split("\n")
    for edit in sorted(edits[story], key=lambda e: (e.span.line, -e.span.start)):
        text = renamed[edit.span.line]
        renamed[edit.span.line] = text[:edit.span.start] + edit.text + text[edit.span.end:]
    story.write_text("\n".join(renamed), encoding="utf-8")
    result = load_story(story.parent)
    assert result.story is not None and "bag" in result.story.variables
    assert not [d for d in result.diagnostics if d.severity == "error"]
    assert index.details("variable", "pockets") == {
        "items": "[badge, script, coffee]", "type": "list", "default": "[badge]"}
