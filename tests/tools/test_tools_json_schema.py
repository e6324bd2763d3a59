"""docs/scene.schema.json: up to date, valid, and in agreement with the loader at every level.

For every table of `game.story.schema`, starting from a story where that table holds only its
required keys: adding each known key (with a sensible value) is accepted by both the loader
and the schema; an unknown key is rejected by both; dropping each required key is rejected by
both; and the scene's "exactly one way on" and the effect's "do something" rules agree too.
"""

from __future__ import annotations

import copy
import json
import typing
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from tools_helpers import EXAMPLE, FIXTURES, ROOT, SHIPPED, STARTER

from game.story import schema
from game.story.files import load_story
from game.tools import json_schema

SCHEMA_FILE = ROOT / "docs" / "scene.schema.json"
VALIDATOR = jsonschema.Draft202012Validator(json_schema.generate())

BASE: dict[str, Any] = {
    "story": {"id": "parity", "title": "Parity", "start": "a"},
    "variables": {"n": 0, "flag": False, "name": "Sam",
                  "bag": {"items": ["key", "map"], "default": ["key"]},
                  "trust": {"default": 1, "min": 0, "max": 5}},
    "facts": {"f": {"title": "A fact", "text": "It is true."}},
    "scenes": {
        "a": {"text": ["Hello {name}.", {"if": "n > 0", "text": "Again."}],
              "choices": [{"text": "Go", "goto": "b"},
                          {"text": "Stay", "goto": "a", "if": "not flag and 'key' in bag"}]},
        "b": {"text": "The end.", "on_enter": [{"unlock": "f"}],
              "ending": {"id": "end", "title": "The End"}},
    },
    "playthroughs": {"p": {"steps": ["Go", {"choose": "Stay"}],
                           "expect": {"ending": "end"}}},
}

# Where each table lives in BASE, as a path of keys and list indexes.
WHERE: dict[str, tuple[str | int, ...]] = {
    "top": (),
    "story": ("story",),
    "variable": ("variables", "bag"),
    "fact": ("facts", "f"),
    "scene": ("scenes", "a"),
    "choice": ("scenes", "a", "choices", 0),
    "paragraph": ("scenes", "a", "text", 1),
    "ending": ("scenes", "b", "ending"),
    "effect": ("scenes", "b", "on_enter", 0),
    "playthrough": ("playthroughs", "p"),
    "step": ("playthroughs", "p", "steps", 1),
    "expect": ("playthroughs", "p", "expect"),
}

# A value each key may take in that place. A key added to game/story/schema.py without a
# sample here fails test_every_key_has_a_sample, so new keys cannot skip these checks.
SAMPLES: dict[tuple[str, str], Any] = {
    ("top", "story"): BASE["story"], ("top", "variables"): BASE["variables"],
    ("top", "facts"): BASE["facts"], ("top", "scenes"): BASE["scenes"],
    ("top", "playthroughs"): BASE["playthroughs"],
    ("story", "id"): "parity", ("story", "title"): "Parity",
    ("story", "subtitle"): "A subtitle", ("story", "start"): "a",
    ("variable", "items"): ["key", "map"], ("variable", "default"): "key",
    ("fact", "title"): "A fact", ("fact", "text"): "It is true.",
    ("fact", "source"): "A source", ("fact", "hint"): "A hint", ("fact", "chapter"): "One",
    ("scene", "title"): "Scene A", ("scene", "chapter"): "One", ("scene", "text"): "Hi.",
    ("scene", "on_enter"): [{"set": {"flag": True}}],
    ("scene", "choices"): [{"text": "Go", "goto": "b"}], ("scene", "next"): "b",
    ("scene", "ending"): {"id": "other", "title": "Other"},
    ("choice", "text"): "Go", ("choice", "goto"): "b", ("choice", "if"): "n >= 0",
    ("choice", "effects"): [{"add": {"n": 1}}], ("choice", "once"): True,
    ("choice", "id"): "go", ("choice", "enabled"): "n >= 0",
    ("choice", "reason"): "Not yet: {n} of 1.",
    ("choice", "call"): "b", ("choice", "then"): "b",
    ("scene", "return"): True,
    ("paragraph", "text"): "Again.", ("paragraph", "if"): "n > 0",
    ("ending", "id"): "end", ("ending", "title"): "The End",
    ("ending", "hint"): "Stay up late.",
    ("effect", "set"): {"name": "Kim"}, ("effect", "add"): {"n": -1},
    ("effect", "unlock"): ["f"], ("effect", "remove"): {"bag": "key"},
    ("effect", "compute"): {"trust": "min(n, 3)"},
    ("variable", "min"): 0, ("variable", "max"): 5,
    ("playthrough", "steps"): ["Go"], ("playthrough", "expect"): {"scene": "b"},
    ("playthrough", "description"): "What it is for.", ("playthrough", "seed"): 4294967295,
    ("step", "choose"): "Stay", ("step", "expect"): {"facts": "f"},
    ("expect", "scene"): "b", ("expect", "ending"): "end", ("expect", "facts"): ["f"],
    ("expect", "variables"): {"n": 0, "flag": False, "bag": ["key"]},
}


INSTEAD: dict[tuple[str, str], tuple[str, ...]] = {
    ("variable", "min"): ("variables", "trust"), ("variable", "max"): ("variables", "trust")}
"""Keys whose sample goes into another mapping of the table than the one at WHERE: a
number's bounds, where WHERE has a list."""


def _table_at(document: dict[str, Any], table: str) -> dict[str, Any]:
    node: Any = document
    for step in WHERE[table]:
        node = node[step]
    return node  # type: ignore[no-any-return]


def _minimal(table: str) -> dict[str, Any]:
    """BASE with this table cut down to its required keys (and one way on, for a scene).

    The top level keeps every section: a file may hold any of them, but a story needs them
    all here (its scenes name its variables and facts)."""
    document = copy.deepcopy(BASE)
    if table == "top":
        return document
    mapping = _table_at(document, table)
    keep = {k.name for k in schema.TABLES[table].values() if k.required}
    for rule in (schema.EXACTLY_ONE, schema.AT_LEAST_ONE):
        present = [k for k in rule.get(table, ()) if k in mapping]
        keep |= set(present[:1])
    for key in list(mapping):
        if key not in keep:
            del mapping[key]
    return document


def _loader_errors(document: Any, tmp_path: Path, *more: str) -> list[str]:
    """Errors loading a folder of this document, plus any more files given as text."""
    folder = tmp_path / f"story{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    (folder / "a_story.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    for number, text in enumerate(more):
        (folder / f"b_more{number}.yaml").write_text(text)
    return [d.message for d in load_story(folder).errors]


def _schema_errors(document: Any) -> list[str]:
    """Every message, including those under an anyOf (a paragraph is text OR a mapping)."""
    out: list[str] = []

    def walk(errors: Any) -> None:
        for error in errors:
            out.append(error.message)
            walk(error.context or ())

    walk(VALIDATOR.iter_errors(document))
    return out


def _agree(document: Any, tmp_path: Path, accept: bool) -> None:
    loader, schema_ = _loader_errors(document, tmp_path), _schema_errors(document)
    if accept:
        assert (loader, schema_) == ([], [])
    else:
        assert loader and schema_, f"loader: {loader}, schema: {schema_}"


def test_the_schema_file_is_up_to_date() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == json_schema.dumps(), (
        "regenerate it: python -m game.tools.json_schema docs/scene.schema.json")


def test_the_schema_is_valid_draft_2020_12() -> None:
    generated = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert generated["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(generated)


def test_every_key_has_a_sample_and_every_table_a_place() -> None:
    known = {(table, key) for table, keys in schema.TABLES.items() for key in keys}
    assert set(SAMPLES) == known
    assert set(WHERE) == set(schema.TABLES)


def test_every_key_has_a_description_for_the_editor() -> None:
    generated = json_schema.generate()
    for name, table in [("top", generated), *generated["$defs"].items()]:
        for key, spec in table["properties"].items():
            assert spec["description"] == schema.TABLES[name][key].doc


def test_the_base_story_and_each_minimal_table_are_accepted_by_both(tmp_path: Path) -> None:
    _agree(BASE, tmp_path, accept=True)
    for table in schema.TABLES:
        _agree(_minimal(table), tmp_path, accept=True)


def _returning(document: dict[str, Any]) -> dict[str, Any]:
    """A scene 'c' that scene 'a' calls, for a key only such a scene may have (`return`):
    the start scene itself cannot return, there is no call to go back to."""
    document["scenes"]["a"]["choices"].append({"text": "Ask", "call": "c"})
    document["scenes"]["c"] = {"text": "Hi."}
    return document["scenes"]["c"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(("table", "key"), sorted(SAMPLES))
def test_each_known_key_is_accepted_by_both(table: str, key: str, tmp_path: Path) -> None:
    document = _minimal(table)
    mapping = _table_at(document, table) if key != "return" else _returning(document)
    for rival in schema.EXACTLY_ONE.get(table, ()):
        if key in schema.EXACTLY_ONE[table]:
            mapping.pop(rival, None)
    if (table, key) in INSTEAD:
        mapping = document
        for step in INSTEAD[(table, key)]:
            mapping = mapping[step]
    mapping[key] = copy.deepcopy(SAMPLES[(table, key)])
    needed = schema.REQUIRES.get(table, {}).get(key)
    if needed is not None:  # `then` goes with a `call` (which takes goto's place)
        for rival in schema.EXACTLY_ONE.get(table, ()):
            mapping.pop(rival, None)
        mapping[needed] = copy.deepcopy(SAMPLES[(table, needed)])
    _agree(document, tmp_path, accept=True)


def test_then_without_call_is_rejected_by_both(tmp_path: Path) -> None:
    document = _minimal("choice")
    _table_at(document, "choice")["then"] = "b"
    _agree(document, tmp_path, accept=False)


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, "7", True])
def test_a_playthrough_seed_outside_the_seeds_is_rejected_by_both(seed: object,
                                                                  tmp_path: Path) -> None:
    document = _minimal("playthrough")
    _table_at(document, "playthrough")["seed"] = seed
    _agree(document, tmp_path, accept=False)


def test_a_choice_needs_exactly_one_of_goto_and_call_for_both(tmp_path: Path) -> None:
    document = _minimal("choice")
    _table_at(document, "choice")["call"] = "b"
    _agree(document, tmp_path, accept=False)
    del _table_at(document, "choice")["call"]
    del _table_at(document, "choice")["goto"]
    _agree(document, tmp_path, accept=False)


@pytest.mark.parametrize("table", sorted(schema.TABLES))
def test_an_unknown_key_is_rejected_by_both(table: str, tmp_path: Path) -> None:
    document = _minimal(table)
    _table_at(document, table)["colour"] = "blue"
    assert any("unknown key 'colour'" in m for m in _loader_errors(document, tmp_path))
    assert any("'colour' was unexpected" in m for m in _schema_errors(document))


@pytest.mark.parametrize(("table", "key"), sorted(
    (t, k.name) for t, keys in schema.TABLES.items() for k in keys.values() if k.required))
def test_dropping_a_required_key_is_rejected_by_both(table: str, key: str,
                                                     tmp_path: Path) -> None:
    document = _minimal(table)
    del _table_at(document, table)[key]
    assert any(f"missing '{key}'" in m for m in _loader_errors(document, tmp_path))
    assert any(f"'{key}' is a required property" in m for m in _schema_errors(document))


def test_a_scene_needs_exactly_one_way_on_for_both(tmp_path: Path) -> None:
    none = _minimal("scene")
    del none["scenes"]["a"]["choices"]
    _agree(none, tmp_path, accept=False)
    both = _minimal("scene")
    both["scenes"]["a"]["next"] = "b"
    _agree(both, tmp_path, accept=False)


def test_an_effect_must_do_something_for_both(tmp_path: Path) -> None:
    document = _minimal("effect")
    _table_at(document, "effect").clear()
    _agree(document, tmp_path, accept=False)


@pytest.mark.parametrize("change", [
    lambda d: d["scenes"].update({"1st": {"text": "x", "next": "a"}}),  # bad scene id
    lambda d: d["variables"].update({"n": None}),  # a variable needs a value
    lambda d: d["story"].update({"id": "Parity Story"}),  # story id is a slug
    lambda d: d["scenes"]["a"].update({"choices": []}),  # an empty choices list
    lambda d: d["scenes"]["a"]["choices"][0].update({"once": "yes please"}),
    lambda d: d["scenes"]["a"]["choices"][0].update({"goto": "no such id!"}),
    lambda d: d.update({"facts": ["f"]}),  # a section must be a mapping
], ids=["scene-id", "null-variable", "story-id", "empty-choices", "once-text", "goto-id",
        "facts-list"])
def test_some_bad_values_are_rejected_by_both(change: Any, tmp_path: Path) -> None:
    document = copy.deepcopy(BASE)
    change(document)
    _agree(document, tmp_path, accept=False)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "facts:\n", "scenes:\nfacts:\n"])
def test_an_empty_file_and_empty_sections_are_fine_for_both(text: str, tmp_path: Path) -> None:
    assert _loader_errors(BASE, tmp_path, text) == []
    assert _schema_errors(yaml.safe_load(text)) == []


@pytest.mark.parametrize("path", sorted([
    *EXAMPLE.glob("*.yaml"), *STARTER.glob("*.yaml"), *SHIPPED.glob("**/*.yaml"),
    *FIXTURES.glob("*/*.yaml"),
]), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_story_file_in_the_repo_validates(path: Path) -> None:
    assert _schema_errors(yaml.safe_load(path.read_text(encoding="utf-8"))) == []


WRONG: dict[str, Any] = {"text": "some words", "number": 7, "bool": True,
                         "list": ["x", "The X"], "mapping": {"x": 1}, "empty": None}
"""A value of each shape in `schema.SHAPES`."""


def test_every_kind_has_its_shapes() -> None:
    kinds = {key.kind for keys in schema.TABLES.values() for key in keys.values()}
    assert kinds <= set(schema.SHAPES)
    assert set(WRONG) == set(typing.get_args(schema.Shape))


@pytest.mark.parametrize(("table", "key", "shape"), sorted(
    (table, key.name, shape) for table, keys in schema.TABLES.items() for key in keys.values()
    for shape in WRONG if shape not in schema.SHAPES[key.kind]))
def test_a_value_of_the_wrong_shape_is_rejected_by_both(table: str, key: str, shape: str,
                                                        tmp_path: Path) -> None:
    """Walks every key of every table: each shape its kind does not take (a list where an
    ending's mapping belongs, true where an id belongs) is refused by the loader and by the
    schema alike, so `check` can never pass what an editor underlines, or the reverse."""
    document = _minimal(table)
    mapping = _table_at(document, table)
    for rival in schema.EXACTLY_ONE.get(table, ()):
        if key in schema.EXACTLY_ONE[table]:
            mapping.pop(rival, None)
    mapping[key] = copy.deepcopy(WRONG[shape])
    _agree(document, tmp_path, accept=False)


def test_the_generators_entry_point_takes_help_as_no_file_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """`python -m game.tools.json_schema --help` once wrote the schema to a file named
    '--help'; an option is never a path."""
    from game import generated

    monkeypatch.chdir(tmp_path)
    assert generated.main(lambda: "text\n", ["--help"]) == 0
    assert generated.main(lambda: "text\n", ["-x"]) == 2
    assert list(tmp_path.iterdir()) == []
    assert "usage: python -m MODULE [PATH]" in capsys.readouterr().err
    assert generated.main(lambda: "text\n", ["out.json"]) == 0
    assert (tmp_path / "out.json").read_text() == "text\n"
