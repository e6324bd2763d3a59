"""The story map: what it shows, escaping for DOT and Mermaid, and real renders when possible."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tools_helpers import EXAMPLE, FIXTURES, SHIPPED, STARTER, fixture, load

from game.tools.graph import dot_string, mermaid_text, render, story_map

ALL_STORIES = [EXAMPLE, STARTER, *sorted(p for p in FIXTURES.iterdir() if p.is_dir())]


def test_the_map_groups_scenes_by_chapter_and_finds_unreachable_ones() -> None:
    m = story_map(fixture("unreachable"))
    assert [(name, [s.id for s in scenes]) for name, scenes in m.chapters] == [
        ("Downstairs", ["hallway", "vault"]), ("Upstairs", ["attic"])]
    assert [s.id for s in m.loose] == ["outside"]
    assert m.unreachable == {"attic"}
    labels = {(e.source, e.target): e.label for e in m.edges}
    assert labels[("hallway", "vault")] == "if: coins >= 5"
    assert labels[("hallway", "hallway")] == "once"
    assert [e.is_next for e in m.edges if e.source == "attic"] == [True]


def test_choices_between_the_same_scenes_with_the_same_label_are_one_arrow(
        tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(
        "story: {id: s, title: S, start: a}\nscenes:\n  a:\n    text: A.\n    choices:\n"
        "      - {text: One way, goto: b}\n      - {text: Another way, goto: b}\n"
        "      - {text: A secret way, goto: b, if: 'true'}\n"
        "  b: {text: B., ending: {id: b, title: B}}\n")
    edges = story_map(load(tmp_path)).edges
    assert [(e.label, e.texts) for e in edges] == [
        ("", ("One way", "Another way")), ("if: true", ("A secret way",))]


def test_dot_marks_start_endings_chapters_conditions_and_unreachable() -> None:
    out = render(fixture("unreachable"), "dot")
    assert out.startswith("// Story map of 'The House'")
    assert '"(start)" -> "hallway" [penwidth=2];' in out
    assert 'subgraph "cluster_1" {\n    label="Downstairs";' in out
    assert '"hallway" -> "vault" [label="if: coins >= 5", tooltip="Open the vault"];' in out
    assert '"attic" [label="Attic\\n(attic)\\nUNREACHABLE", style="rounded,dashed,filled"' in out
    assert '"outside" [label="Outside\\n(outside)\\nending \'out\'", peripheries=2' in out
    assert '"vault" -> "outside" [style=dashed];' in out
    assert out.rstrip().endswith("}")


def test_an_ending_shows_its_id_and_its_title_unless_the_scene_title_says_it() -> None:
    out = render(load(EXAMPLE), "dot")
    assert '"lunch" [label="Lunch\\n(lunch)\\nending \'friends\': A Friend on Day One"' in out
    assert '"outside" [label="Outside\\n(outside)\\nending \'out\'"' in render(
        fixture("unreachable"), "dot")


def test_dot_strings_escape_quotes_backslashes_newlines_and_entities() -> None:
    assert dot_string('say "hi"') == '"say \\"hi\\""'
    assert dot_string("a\\nb") == '"a\\\\nb"'
    assert dot_string("two\nlines") == '"two\\nlines"'
    assert dot_string("&amp; <b>") == '"&amp;amp; <b>"'


def test_mermaid_text_is_inert_and_on_one_line() -> None:
    assert mermaid_text('say "hi" <b> & #1 | `x` \\n\nnext') == (
        "say #quot;hi#quot; #lt;b#gt; #amp; #35;1 #124; #96;x#96; #92;#8203;n next")


_MERMAID_LINE = re.compile(
    r"""^(?:
        ---|title:\ ".*"|%%.*|flowchart\ TD
      | \ \ start\(\("start"\)\)
      | \ \ start\ ==>\ s\d+
      | \ \ subgraph\ c\d+\ \["[^"]*"\]
      | \ \ end
      | \ {2,4}s\d+\["[^"]*"\]
      | \ {2,4}s\d+\(\["[^"]*"\]\)
      | \ \ s\d+\ (?:-->|-\.->|--x|==>)(?:\|"[^"]*"\|)?\ s\d+
      | \ \ classDef\ \w+\ [\w:#,\ -]+
      | \ \ class\ [\w,]+\ \w+
    )$""", re.VERBOSE)


@pytest.mark.parametrize("folder", [*ALL_STORIES, SHIPPED], ids=lambda p: p.name)
def test_every_mermaid_line_is_one_of_the_safe_shapes(folder: Path) -> None:
    """Generated ids, quoted labels with no quote inside: nothing an author writes can
    break out of a label or collide with a Mermaid keyword."""
    result = render(load(folder), "mermaid")
    bad = [line for line in result.splitlines() if not _MERMAID_LINE.match(line)]
    assert bad == []


def test_mermaid_marks_start_endings_chapters_conditions_and_unreachable() -> None:
    out = render(fixture("unreachable"), "mermaid")
    assert out.startswith('---\ntitle: "The House"\n---\n')
    assert "  start ==> s0" in out
    assert '  subgraph c1 ["Downstairs"]' in out
    assert '  s0 -->|"if: coins #gt;= 5"| s1' in out
    assert '    s2["Attic<br/>(attic)<br/>UNREACHABLE"]' in out
    assert '  s3(["Outside<br/>(outside)<br/>ending \'out\'"])' in out
    assert "  class s3 ending" in out and "  class s2 unreachable" in out


def test_reserved_words_and_hostile_text_stay_inside_labels() -> None:
    out = render(fixture("tricky"), "mermaid")
    assert '(end)' in out and "s0[" in out  # the scene called 'end' is node s0
    assert 'title: "The \\"Tricky\\" \u2039Story\u203a & #1 `map`"' in out
    dot = render(fixture("tricky"), "dot")
    assert '"end" [label="A \\"quoted\\" title with \\\\n and \\\\\\\\ and <b>bold</b>' in dot


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
@pytest.mark.parametrize("folder", [*ALL_STORIES, SHIPPED], ids=lambda p: p.name)
def test_graphviz_renders_the_map_without_complaint(folder: Path, tmp_path: Path) -> None:
    done = subprocess.run(["dot", "-Tsvg"], input=render(load(folder), "dot"),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and done.stderr == ""
    assert "<svg" in done.stdout


@pytest.mark.skipif(shutil.which("mmdc") is None, reason="mermaid-cli (mmdc) is not installed")
@pytest.mark.parametrize("folder", [EXAMPLE, FIXTURES / "tricky"], ids=lambda p: p.name)
def test_mermaid_cli_renders_the_map(folder: Path, tmp_path: Path) -> None:
    source = tmp_path / "map.mmd"
    source.write_text(render(load(folder), "mermaid"))
    config = tmp_path / "puppeteer.json"  # headless Chrome refuses to run as root otherwise
    config.write_text('{"args": ["--no-sandbox"]}')
    done = subprocess.run(["mmdc", "-p", str(config), "-i", str(source),
                           "-o", str(tmp_path / "map.svg")],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "<svg" in (tmp_path / "map.svg").read_text()


def test_calls_are_drawn_as_calls_and_returns_as_returns() -> None:
    """A call is bold and says `call` (and its `then:`); a return is a dashed arrow saying
    `return` to each scene it may go back to: the caller, or the call's then."""
    m = story_map(fixture("calls"))
    flows = {(e.source, e.target, e.label, e.flow) for e in m.edges if e.flow != "goto"}
    assert flows == {
        ("hub", "shop", "call, if: coins < 2", "call"),
        ("hub", "oracle", "call, then: end_scene", "call"),
        ("hub", "dig", "call, once", "call"),
        ("shop", "oracle", "call", "call"),
        ("dig", "dig", "call", "call"),
        ("paid", "hub", "return", "return"),
        ("oracle", "end_scene", "return", "return"),
        ("oracle", "shop", "return", "return"),
        ("surface", "dig", "return", "return"),
        ("surface", "hub", "return", "return"),
    }
    assert not [e for e in m.edges if e.source == e.target == "paid"]  # no loop in place
    dot = render(fixture("calls"), "dot")
    assert ('"hub" -> "shop" [label="call, if: coins < 2", style=bold, penwidth=2, '
            'tooltip="Shop"];') in dot
    assert '"paid" -> "hub" [label="return", style=dashed, color="#1565c0"' in dot
    mermaid = render(fixture("calls"), "mermaid")
    assert '  s0 ==>|"call, then: end_scene"| s3' in mermaid
    assert '  s2 -.->|"return"| s0' in mermaid


def test_a_choice_that_rolls_is_labelled_random() -> None:
    dot = render(load(FIXTURES / "dice"), "dot")
    assert '"bet" -> "out" [label="if: roll == 6, random"' in dot
    assert '"table" -> "bet" [label=' not in dot  # its compute rolls nothing


def test_a_locked_call_has_one_style_in_dot(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text(
        "story: {id: t, title: T, start: a}\nvariables: {n: 0}\nscenes:\n"
        "  a: {text: t, choices: [{text: x, call: r, enabled: n > 0}, {text: y, goto: b, "
        "effects: [{add: {n: 1}}]}]}\n"
        "  b: {text: t, choices: [{text: z, goto: a}]}\n  r: {text: t, return: true}\n",
        encoding="utf-8")
    line = next(line for line in render(load(tmp_path), "dot").splitlines()
                if '"a" -> "r"' in line)
    assert line.count("style=") == 1 and 'style="bold,dotted"' in line
