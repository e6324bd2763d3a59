"""`offscreen new`: a starter story that checks clean, uses every key, and never overwrites."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from tools_helpers import STARTER

from game.cli import main
from game.story import schema
from game.story.files import load_story
from game.tools import json_schema
from game.tools.starter import SCHEMA_NAME, StarterError, create, starter_files


def _used_keys(documents: list[Any]) -> Iterator[tuple[str, str]]:
    """(table, key) for every key written anywhere in the starter story."""
    def expectation(expect: Any) -> Iterator[tuple[str, str]]:
        yield from (("expect", k) for k in expect)

    def effects(items: Any) -> Iterator[tuple[str, str]]:
        for effect in items:
            yield from (("effect", k) for k in effect)

    for doc in documents:
        yield from (("top", k) for k in doc)
        yield from (("story", k) for k in doc.get("story", {}))
        for variable in (doc.get("variables") or {}).values():
            if isinstance(variable, dict):
                yield from (("variable", k) for k in variable)
        for fact in (doc.get("facts") or {}).values():
            yield from (("fact", k) for k in fact)
        for scene in (doc.get("scenes") or {}).values():
            yield from (("scene", k) for k in scene)
            if isinstance(scene["text"], list):
                for paragraph in scene["text"]:
                    if isinstance(paragraph, dict):
                        yield from (("paragraph", k) for k in paragraph)
            yield from effects(scene.get("on_enter", []))
            for choice in scene.get("choices", []):
                yield from (("choice", k) for k in choice)
                yield from effects(choice.get("effects", []))
            yield from (("ending", k) for k in scene.get("ending", {}))
        for run in (doc.get("playthroughs") or {}).values():
            yield from (("playthrough", k) for k in run)
            yield from expectation(run.get("expect", {}))
            for step in run["steps"]:
                if isinstance(step, dict):
                    yield from (("step", k) for k in step)
                    yield from expectation(step.get("expect", {}))


def test_the_starter_story_uses_every_key_of_the_format() -> None:
    documents = [yaml.safe_load(text) for text in starter_files().values()]
    known = {(table, key) for table, keys in schema.TABLES.items() for key in keys}
    assert known - set(_used_keys(documents)) == set()


def test_the_starter_story_shows_every_kind_of_variable_and_condition() -> None:
    text = "\n".join(starter_files().values())
    story = yaml.safe_load(starter_files()["story.yaml"])
    defaults = [v.get("default", ()) if isinstance(v, dict) else v
                for v in story["variables"].values()]
    assert {int, float, bool, str} <= {type(v) for v in defaults}
    assert any("items" in v for v in story["variables"].values() if isinstance(v, dict))
    assert any("min" in v for v in story["variables"].values() if isinstance(v, dict))
    for feature in ("visits(", "seen(", "has(", " and ", " or ", "not ", " + ", ">=", "<",
                    "==", "{keeper_name}", "{{", "**", "unlock: [", "add:", "set:",
                    "remove:", '" in kit', "count(kit)", "{kit}", "compute:", "random("):
        assert feature in text, feature


def test_new_writes_a_story_that_checks_clean_and_passes_its_tests(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "deep" / "my-story"
    assert main(["new", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"Created a starter story in {folder}:" in out
    assert f"offscreen play --story {folder}" in out
    assert sorted(p.name for p in folder.iterdir()) == [
        "chapter_one.yaml", "chapter_two.yaml", "playthroughs.yaml", SCHEMA_NAME, "story.yaml"]
    result = load_story(folder)
    assert result.diagnostics == ()  # not even a warning
    assert main(["check", str(folder)]) == 0
    assert main(["test", str(folder), "--runs", "100"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("PASSED")


def test_the_schema_beside_the_starter_story_is_current_and_every_file_points_at_it(
        tmp_path: Path) -> None:
    create(tmp_path / "s")
    assert (tmp_path / "s" / SCHEMA_NAME).read_text() == json_schema.dumps()
    for name in starter_files():
        first = (tmp_path / "s" / name).read_text().splitlines()[0]
        assert first == f"# yaml-language-server: $schema={SCHEMA_NAME}"


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["new", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err == f"offscreen new: {tmp_path} is not empty; give a new or empty folder " \
                  "(nothing was written)\n"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_new_accepts_an_empty_folder_and_refuses_a_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert len(create(empty)) == 5
    (tmp_path / "file.yaml").write_text("")
    with pytest.raises(StarterError, match="exists and is not a folder"):
        create(tmp_path / "file.yaml")


def test_new_reports_a_folder_it_cannot_write(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("")
    assert main(["new", str(tmp_path / "file" / "inside")]) == 1
    assert capsys.readouterr().err.startswith("offscreen new: cannot write the starter story")


def test_the_packaged_files_are_the_ones_in_the_source_tree() -> None:
    assert starter_files() == {p.name: p.read_text(encoding="utf-8")
                               for p in sorted(STARTER.glob("*.yaml"))}
