"""The loader: every kind of author mistake is reported at its line, all in one run."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from game.story.files import load_story
from game.story.model import Story

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = Path(__file__).parents[2] / "docs" / "example"


def write(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


HEADER = """\
story: {id: t, title: T, start: a}
variables: {n: 0, flag: false, word: "hi", ratio: 0.5}
facts:
  f1: {title: F1, text: One.}
"""


def messages(tmp_path: Path, scenes: str, header: str = HEADER) -> list[str]:
    folder = write(tmp_path, {"story.yaml": header, "scenes.yaml": scenes})
    return [f"{d.pos.line}:{d.pos.col}: {d.severity}: {d.message}"
            for d in load_story(folder).diagnostics if d.pos.file.endswith("scenes.yaml")]


def test_example_story_loads_cleanly() -> None:
    result = load_story(EXAMPLE)
    assert result.diagnostics == ()
    story = result.story
    assert isinstance(story, Story)
    assert story.title == "First Day" and story.subtitle == "A very small story"
    assert set(story.scenes) == {"lobby", "kitchen", "coffee", "window", "desk", "lunch",
                                 "alone"}
    assert set(story.endings) == {"friends", "quiet"}
    assert story.chapters() == ("Morning",)
    window = story.scenes["window"]
    assert window.next == "desk"
    assert [c.is_continue for c in window.choices] == [True]
    assert [e.kind for e in window.on_enter] == ["set", "unlock"]
    hall = story.scenes["lobby"]
    assert [c.id for c in hall.choices] == ["take_a_deep_breath", "walk_into_the_kitchen", "hello"]
    assert hall.choices[0].once and hall.choices[0].pos.line == 8
    assert hall.choices[2].condition is not None
    assert hall.choices[2].condition.source == "courage >= 1 and not met_sam"
    assert hall.paragraphs[0].text.names == ("courage",)


def test_every_planted_mistake_is_reported_at_its_place_in_one_run() -> None:
    result = load_story(FIXTURES / "broken")
    got = {(Path(d.pos.file).name, d.pos.line, d.pos.col, d.severity): d.message
           for d in result.diagnostics}
    expected = [
        ("b_scenes.yaml", 7, 9, "error", "unknown key 'gotto' in a choice of scene 'hall'; "
                                         "did you mean 'goto'?"),
        ("b_scenes.yaml", 9, 15, "error", "no scene 'yrad'; did you mean 'yard'?"),
        ("b_scenes.yaml", 12, 13, "error", "unknown variable 'braveness'"),
        ("b_scenes.yaml", 15, 13, "error", "unknown function 'visited'; did you mean 'visits'?"),
        ("b_scenes.yaml", 18, 24, "error", "bad condition: unbalanced parentheses"),
        ("b_scenes.yaml", 21, 15, "error", "once of a choice of scene 'hall' must be true or "
                                           "false"),
        ("b_scenes.yaml", 24, 28, "error", "unlock: no fact 'no_such_fact'"),
        ("b_scenes.yaml", 27, 5, "error", "duplicate key 'title' in scene 'yard' (first at "
                                          "line 26)"),
        ("b_scenes.yaml", 31, 11, "error", "no scene 'nowhere_scene'"),
        ("b_scenes.yaml", 32, 3, "error", "scene 'dead_end' is a dead end"),
        ("b_scenes.yaml", 32, 3, "warning", "scene 'dead_end' can never be reached"),
        ("b_scenes.yaml", 38, 13, "warning", "ending 'lost' can never be reached"),
        ("a_story.yaml", 11, 3, "warning", "fact 'lonely_fact' is never unlocked"),
        ("c_more.yaml", 2, 3, "error", "scene 'hall' is defined twice (first at "
                                       "tests/story/fixtures/broken/b_scenes.yaml:2:3)"),
        ("d_syntax.yaml", 5, 1, "error", "YAML syntax: did not find expected ',' or ']'"),
    ]
    for file, line, col, severity, fragment in expected:
        message = got.get((file, line, col, severity))
        assert message is not None, f"nothing reported at {file}:{line}:{col} ({fragment})"
        assert fragment.split(" (first at")[0] in message
    assert result.story is None
    assert len(result.errors) == 12
    # The typo'd `gotto:` is reported once, as a typo, not also as a missing `goto`.
    assert not any("missing 'goto'" in d.message for d in result.diagnostics)


CASES = [
    # (scenes.yaml text, the text the diagnostic must point at, the start of its message)
    # wrong types
    ("scenes:\n  a: {title: [x], text: t, ending: {id: e, title: E}}\n",
     "[x]", "error: title of scene 'a' must be text, not a list"),
    ("scenes:\n  a: {text: t, choices: {text: x, goto: a}}\n",
     "{text: x", "error: choices of scene 'a' must be a list (lines starting with '- ')"),
    ("scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: a, effects: [{set: {n: \"many\"}}]}\n",
     '"many"', "error: set n: 'many' is text but 'n' is a whole number"),
    ("scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: a, effects: [{add: {flag: 1}}]}\n",
     "1}}", "error: add works on numbers; 'flag' is true/false"),
    ("scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: a, effects: [{set: {nope: 1}}]}\n",
     "nope", "error: set: 'nope' is not a declared variable"),
    ("scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: a, effects: {add: {n: 1}}}\n",
     "{add", "error: effects of a choice of scene 'a' must be a list"),
    # a scene has exactly one way on
    ("scenes:\n  a: {text: t, next: a, ending: {id: e, title: E}}\n",
     "{id", "error: scene 'a' has both 'next' and 'ending'"),
    ("scenes:\n  a: {text: t, choices: []}\n", "[]", "error: scene 'a' has an empty choices list"),
    # interpolation
    ("scenes:\n  a: {text: 'Hello {nmae}', ending: {id: e, title: E}}\n",
     "{nmae}", "error: {nmae} in text of scene 'a' is not a declared variable"),
    ("scenes:\n  a: {text: 'a } b', ending: {id: e, title: E}}\n",
     "} b", "error: stray '}' in text of scene 'a'"),
    # conditions must be true/false
    ("scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: a, if: n}\n      - {text: y, goto: a}\n",
     "n}", "error: this condition is a number, not true/false; did you mean 'n > 0'?"),
    ("scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: a, if: n = 1}\n      - {text: y, goto: a}\n",
     "= 1", "error: bad condition: "),
    # ids
    ("scenes:\n  a:\n    text: t\n    choices:\n      - {text: x, goto: a, id: same}\n      - {text: y, goto: a, id: same}\n",
     "same}\n      - {text: y", "error: choice id 'same' is used twice in scene 'a' (first at line 5)"),
    ("scenes:\n  2a: {text: t, ending: {id: e, title: E}}\n", "2a", "error: scene id '2a' is not valid"),
    # hostile tags are reported, never constructed
    ("scenes:\n  a: {text: !!python/object/apply:os.system [echo hi], ending: {id: e, title: E}}\n",
     "!!python", "error: unsupported YAML tag '!!python/object/apply:os.system'"),
    ("scenes:\n  a: {<<: {text: t}, ending: {id: e, title: E}}\n",
     "<<", "error: merge keys (<<) are not supported"),
]


def position_of(text: str, needle: str) -> str:
    offset = text.index(needle)
    if needle.startswith("same}"):
        offset = text.index(needle.split("}")[0], text.index("id: same", offset + 1) - 1)
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


@pytest.mark.parametrize(("scenes", "needle", "message"), CASES)
def test_single_mistakes(tmp_path: Path, scenes: str, needle: str, message: str) -> None:
    got = messages(tmp_path, scenes)
    expected = f"{position_of(scenes, needle)}: {message}"
    assert any(m.startswith(expected) for m in got), (expected, got)


def test_block_scalar_positions_point_into_the_text(tmp_path: Path) -> None:
    scenes = "scenes:\n  a:\n    text: |\n      First line.\n      Second {wrong} line.\n    ending: {id: e, title: E}\n"
    assert "5:14: error: {wrong} in text of scene 'a' is not a declared variable" in "".join(
        messages(tmp_path, scenes))


def test_missing_story_section(tmp_path: Path) -> None:
    folder = write(tmp_path, {"s.yaml": "scenes:\n  a: {text: t, ending: {id: e, title: E}}\n"})
    result = load_story(folder)
    assert [str(d).split(": ", 1)[1] for d in result.errors] == [
        "error: no 'story:' section in any file; add one with id, title and start"]


def test_story_missing_start_and_bad_start(tmp_path: Path) -> None:
    folder = write(tmp_path, {"s.yaml": "story: {id: t, title: T}\n"
                                        "scenes:\n  a: {text: t, ending: {id: e, title: E}}\n"})
    assert any("'story' is missing 'start'" in d.message for d in load_story(folder).errors)
    (folder / "s.yaml").write_text("story: {id: t, title: T, start: lobyy}\n"
                                   "scenes:\n  lobby: {text: t, ending: {id: e, title: E}}\n")
    assert any("start scene 'lobyy' does not exist; did you mean 'lobby'?" in d.message
               for d in load_story(folder).errors)


def test_story_defined_twice_cites_both(tmp_path: Path) -> None:
    folder = write(tmp_path, {"a.yaml": HEADER, "b.yaml": "story: {id: u, title: U, start: a}\n",
                              "c.yaml": "scenes:\n  a: {text: t, ending: {id: e, title: E}}\n"})
    errors = [str(d) for d in load_story(folder).errors]
    assert any("b.yaml:1:8: error: 'story' is defined twice (first at" in e and "a.yaml:1:8" in e
               for e in errors), errors


def test_variables_defined_twice_across_files(tmp_path: Path) -> None:
    folder = write(tmp_path, {"a.yaml": HEADER, "b.yaml": "variables:\n  n: 5\n",
                              "c.yaml": "scenes:\n  a: {text: '{n}', ending: {id: e, title: E}}\n"})
    errors = [str(d) for d in load_story(folder).errors]
    assert any("b.yaml:2:3: error: variable 'n' is defined twice (first at" in e for e in errors)


def test_ending_defined_twice(tmp_path: Path) -> None:
    got = messages(tmp_path, "scenes:\n  a: {text: t, next: b}\n"
                             "  b: {text: t, ending: {id: e, title: E}}\n"
                             "  c: {text: t, ending: {id: e, title: E}}\n")
    assert any("ending 'e' is defined twice" in m for m in got)


def test_no_files_and_missing_folder(tmp_path: Path) -> None:
    assert "no story files here" in load_story(tmp_path).diagnostics[0].message
    assert "no such story folder" in load_story(tmp_path / "nope").diagnostics[0].message


def test_yaml_error_in_one_file_does_not_hide_others(tmp_path: Path) -> None:
    folder = write(tmp_path, {"a.yaml": HEADER, "b.yaml": "scenes: [\n",
                              "c.yaml": "scenes:\n  a: {text: t, gotto: b, ending: {id: e, title: E}}\n"})
    files = {Path(d.pos.file).name for d in load_story(folder).errors}
    assert files == {"b.yaml", "c.yaml"}


def test_yaml_scalars_and_traps(tmp_path: Path) -> None:
    folder = write(tmp_path, {"a.yaml": """\
        story: {id: t, title: 2010, start: a}
        variables: {on_air: no, score: 0x10, note: "yes"}
        scenes:
          a:
            title: 2010-07-10
            text: "{on_air} {score} {note}"
            ending: {id: e, title: E}
        """})
    story = load_story(folder).story
    assert story is not None
    assert story.title == "2010"
    assert story.scenes["a"].title == "2010-07-10"
    assert story.variables["on_air"].default is False
    assert story.variables["score"].default == 16
    assert story.variables["note"].default == "yes"


def test_content_hash_changes_with_content(tmp_path: Path) -> None:
    folder = write(tmp_path, {"a.yaml": HEADER + "scenes:\n  a: {text: t, ending: {id: e, title: E}}\n"})
    first = load_story(folder).story
    (folder / "a.yaml").write_text((folder / "a.yaml").read_text().replace("text: t", "text: u"))
    second = load_story(folder).story
    assert first is not None and second is not None
    assert first.content_hash != second.content_hash


def test_story_is_immutable() -> None:
    story = load_story(EXAMPLE).story
    assert story is not None
    with pytest.raises(AttributeError):
        story.title = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        story.scenes["x"] = story.scenes["lobby"]  # type: ignore[index]


def test_pure_python_fallback_gives_the_same_results(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from game.story import yamlsrc

    fast = load_story(FIXTURES / "broken")
    fast_example = load_story(EXAMPLE)
    monkeypatch.setattr(yamlsrc, "LOADER", yaml.SafeLoader)
    slow = load_story(FIXTURES / "broken")
    slow_example = load_story(EXAMPLE)
    # Same places and findings; only libyaml's and PyYAML's own syntax-error wording differ.
    assert [(d.pos, d.severity) for d in slow.diagnostics] == [
        (d.pos, d.severity) for d in fast.diagnostics]
    assert [d.message for d in slow.diagnostics if "YAML syntax" not in d.message] == [
        d.message for d in fast.diagnostics if "YAML syntax" not in d.message]
    assert slow_example.story is not None and fast_example.story is not None
    assert slow_example.story.scenes.keys() == fast_example.story.scenes.keys()
    assert slow_example.story.content_hash == fast_example.story.content_hash


def test_a_continue_in_disguise_and_twin_choices_are_warned(tmp_path: Path) -> None:
    got = messages(tmp_path, "scenes:\n  a:\n    text: t\n    choices:\n"
                             "      - {text: Yes, goto: b}\n      - {text: Sure, goto: b}\n"
                             "  b:\n    text: t\n    choices:\n"
                             "      - {text: Go, goto: c, effects: [{add: {n: 1}}]}\n"
                             "      - {text: Go, goto: c}\n"
                             "  c: {text: '{n}', ending: {id: e, title: E}}\n")
    assert any(m.startswith("2:3: warning: every choice of scene 'a' leads to 'b' with the "
                            "same effects") for m in got), got
    assert any(m.startswith("11:9: warning: two choices of scene 'b' read 'Go' (the other at "
                            "line 10)") for m in got), got
    assert not any("every choice of scene 'b'" in m for m in got)


def test_one_typo_does_not_cascade_into_reachability_warnings(tmp_path: Path) -> None:
    got = messages(tmp_path, "scenes:\n  a:\n    text: t\n    choices:\n"
                             "      - {text: Go, gotto: b}\n      - {text: '{nope}', goto: c}\n"
                             "      - {text: Stay, goto: bb}\n"
                             "  b: {text: '{n}', ending: {id: e, title: E}}\n"
                             "  c: {text: t, ending: {id: f, title: F}}\n")
    assert [m.split(": ", 2)[1] for m in got] == ["error", "error", "error"], got
    assert not any("never be reached" in m for m in got)


@pytest.mark.parametrize(("scenes", "message"), [
    ("scenes:\n  a:\n    text:\n      - Note: the lens is cracked.\n    ending: {id: e, title: E}\n",
     "4:9: error: a paragraph of scene 'a' was read as a mapping because of a ': ' in it; "
     "put the paragraph in quotes"),
    ("scenes:\n  a: {text: '{n + 1}', ending: {id: e, title: E}}\n",
     "2:14: error: {n + 1} in text of scene 'a': only a variable name can go between { and }"),
    ("scenes:\n  a: {text: t, ending: dawn}\n",
     "2:24: error: ending of scene 'a' needs an id and a title, like: ending: {id: dawn, "
     "title: ...}"),
    ("scenes:\n  a: {text: t, on_enter: [{add: {n: 1.5}}], ending: {id: e, title: E}}\n",
     "2:37: error: add n: 1.5 is a decimal number but 'n' is a whole number"),
    ("scenes:\n  a: {text: t, on_enter: [{set: {word: no}}], ending: {id: e, title: E}}\n",
     "2:40: error: set word: 'no' (which YAML reads as false; quote it for text) is true/false "
     "but 'word' is text"),
    ("scenes:\n  a: {text: '{wrd}', ending: {id: e, title: E}}\n",
     "2:14: error: {wrd} in text of scene 'a' is not a declared variable; did you mean 'word'?"),
])
def test_messages_say_what_went_wrong_in_the_authors_terms(tmp_path: Path, scenes: str,
                                                          message: str) -> None:
    got = messages(tmp_path, scenes)
    assert any(m.startswith(message) for m in got), got


def test_playthrough_expectations_are_named_as_such(tmp_path: Path) -> None:
    folder = write(tmp_path, {"story.yaml": HEADER + "scenes:\n  a: {text: '{n}', ending: "
                              "{id: e, title: E}}\nplaythroughs:\n  p:\n    steps: []\n"
                              "    expect: {variables: {n: \"1\", nn: 2}}\n"})
    got = [d.message for d in load_story(folder).errors]
    assert "expect n: '1' is text but 'n' is a whole number" in got[0]
    assert got[1].startswith("expect: 'nn' is not a declared variable")
