"""List variables (format v2) in saves: written as JSON arrays, read back as the tuples the
game holds, an old save (no lists) still loads, and a save made before the author dropped an
item loads without it, with a line saying so."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from game.engine import Engine
from game.engine.migrate import migrate
from game.storage import codec
from game.storage.saves import SaveStore
from game.story.files import load_or_raise

STORY = """\
story: {id: bag, title: Bag, start: a}
variables:
  bag: {items: [badge, script, coffee], default: [badge]}
  n: 0
scenes:
  a:
    text: "Held: {bag}."
    choices:
      - {text: Take the coffee, goto: a, effects: [{add: {bag: coffee}}, {add: {n: 1}}]}
      - {text: Take the script, goto: a, effects: [{add: {bag: script}}]}
      - {text: Drop the badge, goto: a, if: '"badge" in bag', effects: [{remove: {bag: badge}}]}
      - {text: Leave, goto: b}
  b: {text: t, ending: {id: e, title: E}}
"""


def folder(tmp_path: Path, text: str = STORY) -> Path:
    where = tmp_path / "story"
    where.mkdir(exist_ok=True)
    (where / "story.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return where


def test_a_list_is_saved_as_an_array_and_loads_as_the_same_tuple(tmp_path: Path) -> None:
    story = load_or_raise(folder(tmp_path))
    engine = Engine(story)
    state = engine.start()
    for choice in ("take_the_coffee", "drop_the_badge", "take_the_script"):
        state = engine.choose(state, choice)
    entries = codec.encode_chain(state)
    text = json.dumps(entries)
    assert [e.get("variables+", e.get("variables", {})).get("bag") for e in json.loads(text)
            ] == [["badge"], ["badge", "coffee"], ["coffee"], ["script", "coffee"]]
    back = codec.decode_chain(json.loads(text))
    assert [s.variables for s in back.history()] == [s.variables for s in state.history()]
    assert back.variables["bag"] == ("script", "coffee")
    assert type(back.variables["bag"]) is tuple
    store = SaveStore(tmp_path / "saves", story)
    store.save("one", state)
    loaded = store.load("one")
    assert loaded.state.variables == state.variables and loaded.message is None
    assert Engine(story).view(loaded.state).paragraphs == ("Held: script, coffee.",)


@pytest.mark.parametrize("value", [[1], ["a", "a"], [""], [["a"]], {"a": 1}])
def test_a_bad_saved_list_is_refused_by_name(value: object) -> None:
    entry = {"scene": "a", "variables": {"bag": value}, "visits": {}, "taken": [], "facts": []}
    with pytest.raises(codec.DecodeError, match="bad value for 'bag'"):
        codec.decode_chain([entry])


def test_a_save_from_before_the_list_existed_loads_with_its_default(tmp_path: Path) -> None:
    old = load_or_raise(folder(tmp_path, """\
        story: {id: bag, title: Bag, start: a}
        variables: {n: 0}
        scenes:
          a: {text: t, choices: [{text: Leave, goto: b}]}
          b: {text: t, ending: {id: e, title: E}}
        """))
    SaveStore(tmp_path / "saves", old).save("old", Engine(old).start())
    new = load_or_raise(folder(tmp_path))
    loaded = SaveStore(tmp_path / "saves", new).load("old")
    assert loaded.state.variables == {"bag": ("badge",), "n": 0}
    assert loaded.message == "The story has changed: 1 new variable ('bag')."


def test_a_saved_name_the_story_dropped_is_dropped_with_a_report(tmp_path: Path) -> None:
    where = folder(tmp_path)
    old = load_or_raise(where)
    engine = Engine(old)
    state = engine.choose(engine.choose(engine.start(), "take_the_coffee"), "take_the_script")
    assert state.variables["bag"] == ("badge", "script", "coffee")
    SaveStore(tmp_path / "saves", old).save("mid", state)
    text = (where / "story.yaml").read_text(encoding="utf-8")
    text = text.replace("items: [badge, script, coffee]", "items: [coffee, badge, pen]")
    text = text.replace("{add: {bag: script}}", "{add: {bag: pen}}")
    (where / "story.yaml").write_text(text, encoding="utf-8")
    new = load_or_raise(where)
    loaded = SaveStore(tmp_path / "saves", new).load("mid")
    assert loaded.message == ("The story has changed: list 'bag' lost the name 'script' (no "
                              "longer among its items).")
    # what is left, in the order the story declares now; every earlier state fitted too
    assert loaded.state.variables["bag"] == ("coffee", "badge")
    assert [s.variables["bag"] for s in loaded.state.history()] == [
        ("coffee", "badge"), ("coffee", "badge"), ("badge",)]
    assert Engine(new).view(loaded.state).paragraphs == ("Held: coffee, badge.",)


def test_a_variable_that_became_a_list_is_reset(tmp_path: Path) -> None:
    where = folder(tmp_path)
    old = load_or_raise(where)
    state = Engine(old).choose(Engine(old).start(), "take_the_coffee")
    new = load_or_raise(folder(tmp_path, STORY.replace(
        "  n: 0\n", "  n: {items: [x]}\n").replace("{add: {n: 1}}", "{add: {n: x}}")))
    moved = migrate(state, new)
    assert moved.state is not None and moved.state.variables["n"] == ()
    assert moved.changes == ("variable 'n' reset to the default (type changed)",)
