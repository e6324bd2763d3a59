"""The language server's protocol-free logic: index, completion, hover, rename, problems.

All on the example story (docs/example), with no client and no pygls.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.commands import lsp as lsp_command
from game.lsp.complete import complete, yaml_path
from game.lsp.hover import hover_text
from game.lsp.index import index_text
from game.lsp.lookup import StoryIndex, index_story
from game.lsp.problems import place_of, problems
from game.lsp.rename import RenameRefused, rename_edits, renameable
from game.lsp.workspace import StoryWorkspace, story_root
from game.story import schema
from game.story.diagnostics import Diagnostic, Related, first_defined
from game.story.files import load_story
from game.story.model import Pos

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example"
SCENES = sorted(re.findall(r"^  ([a-z_]+):$", (EXAMPLE / "scenes.yaml").read_text(
    encoding="utf-8"), re.MULTILINE))
"""The example's scene ids, sorted (as completion lists them)."""


@pytest.fixture
def index() -> StoryIndex:
    return index_story((p, p.read_text(encoding="utf-8")) for p in sorted(EXAMPLE.glob("*.yaml")))


def lines_of(name: str) -> list[str]:
    return (EXAMPLE / name).read_text(encoding="utf-8").split("\n")


def find(name: str, needle: str) -> tuple[int, int]:
    for number, line in enumerate(lines_of(name)):
        if needle in line:
            return number, line.index(needle)
    raise AssertionError(needle)


def labels(index: StoryIndex, text: str) -> list[str]:
    lines = text.split("\n")
    return [item.label for item in complete(index, lines, len(lines) - 1, len(lines[-1])).items]


# -- the index ------------------------------------------------------------------------------

def test_the_index_finds_every_use_of_a_scene_with_its_place(index: StoryIndex) -> None:
    found = index.occurrences("scene", "kitchen")
    assert [(o.span.path.name, o.role, o.definition) for o in found] == [
        ("scenes.yaml", "scenes", True), ("scenes.yaml", "goto", False),
        ("scenes.yaml", "if", False),  # `visits(kitchen) > 1`
        ("scenes.yaml", "goto", False)]  # the kitchen's own "Take a mug"
    line, col = find("scenes.yaml", "visits(kitchen)")
    condition = found[2].span
    assert (condition.line, condition.start, condition.end) == (line, col + 7, col + 14)


def test_the_index_finds_variables_in_text_blocks_conditions_effects_and_playthroughs(
        index: StoryIndex) -> None:
    roles = [(o.span.path.name, o.role) for o in index.occurrences("variable", "courage")]
    assert roles == [("story.yaml", "variables"), ("playthroughs.yaml", "variables"),
                     ("playthroughs.yaml", "variables"), ("scenes.yaml", "text"),
                     ("scenes.yaml", "add"), ("scenes.yaml", "if"),
                     ("scenes.yaml", "compute"), ("scenes.yaml", "compute")]  # `courage: ...`
    text = next(o for o in index.occurrences("variable", "courage") if o.role == "text").span
    line, col = find("scenes.yaml", "{courage}")
    assert (text.line, text.start) == (line, col + 1)


def test_names_are_kept_across_an_edit_until_a_definition_changes(
        index: StoryIndex) -> None:
    """Completion asks for every name at each keystroke; re-indexing a file whose edit
    defines nothing new keeps the merged table, and one that does is seen at once."""
    path = EXAMPLE / "scenes.yaml"
    text = path.read_text(encoding="utf-8")
    scenes, facts = index.names("scene"), index.names("fact")
    assert index.update(path, text.replace("goto: kitchen", "goto: kitchn", 1))
    assert index.names("scene") is scenes and index.names("fact") is facts
    renamed = text.replace("  kitchen:\n", "  galley:\n", 1)
    assert index.update(path, renamed)
    assert "galley" in index.names("scene") and "kitchen" not in index.names("scene")
    assert index.names("fact") is facts
    retitled = renamed.replace("title: The Kitchen", "title: The Galley", 1)
    assert "title: The Galley" in retitled and index.update(path, retitled)
    assert index.names("scene")["galley"]["title"] == "The Galley"


def test_the_index_finds_names_in_text_variations(index: StoryIndex) -> None:
    path = EXAMPLE / "extra.yaml"
    assert index.update(path, 'scenes:\n  x:\n    text: "{&a|{courage}} {?has(coffee) and '
                              'courage > 1|yes|no}"\n    next: lobby\n')
    found = [(o.span.line, o.span.start) for o in index.occurrences("variable", "courage")
             if o.span.path == path]
    assert found == [(2, 16), (2, 44)]
    assert [(o.span.line, o.span.start) for o in index.occurrences("fact", "coffee")
            if o.span.path == path] == [(2, 32)]


def test_facts_endings_and_their_details(index: StoryIndex) -> None:
    assert [o.role for o in index.references("fact", "sam_secret")] == ["facts", "unlock"]
    assert index.details("ending", "friends") == {"id": "friends",
                                                  "title": "A Friend on Day One",
                                                  "scene": "lunch"}
    assert [o.span.path.name for o in index.references("ending", "quiet")] == [
        "playthroughs.yaml", "playthroughs.yaml"]


def test_a_file_whose_yaml_is_broken_keeps_its_last_index(index: StoryIndex) -> None:
    path = EXAMPLE / "scenes.yaml"
    assert not index.update(path, "scenes:\n  lobby: [\n")
    assert index.definitions("scene", "lobby")
    assert index.update(path, "# only a comment\n")
    assert not index.definitions("scene", "lobby")
    assert index_text(path, "# nothing yet\n") is not None


def test_the_outline_lists_the_scenes_of_a_file(index: StoryIndex) -> None:
    outline = index.files[EXAMPLE / "scenes.yaml"].outline
    assert [(o.kind, o.name) for o in outline][:2] == [("scene", "lobby"), ("scene", "kitchen")]
    assert outline[1].detail == "The Kitchen"
    assert outline[1].first == (find("scenes.yaml", "  kitchen:")[0], 2)


# -- completion -----------------------------------------------------------------------------

CHOICE = "scenes:\n  lobby:\n    text: hi\n    choices:\n      - text: Go\n"


def test_yaml_path_reads_the_place_from_indentation() -> None:
    lines = (CHOICE + "        effects:\n          - set: {").split("\n")
    assert yaml_path(lines, len(lines) - 1, len(lines[-1])) == [
        "scenes", "lobby", "choices", "-", "effects", "-"]


@pytest.mark.parametrize(("text", "expected"), [
    (CHOICE + "        goto: ", SCENES),
    (CHOICE + "        goto: ki", ["kitchen"]),
    ("scenes:\n  a:\n    text: x\n    next: d", ["desk"]),
    ("story:\n  start: l", ["lobby", "lunch"]),
    (CHOICE + "        if: has(", ["coffee", "sam_secret"]),
    ("scenes:\n  a:\n    text:\n      - if: seen(w", ["window"]),
    (CHOICE + "        if: cour", ["courage"]),
    (CHOICE + "        effects:\n          - unlock: [co", ["coffee"]),
    ("scenes:\n  a:\n    on_enter:\n      - unlock:\n          - s", ["sam_secret"]),
    (CHOICE + "        effects:\n          - set: {me", ["met_sam"]),
    ("scenes:\n  a:\n    text: |\n      Hello {na", ["name"]),
    # text variations (format v2): a variable in an item, the condition of {?..}
    ("scenes:\n  a:\n    text: |\n      {&Hi|Hello {na", ["name"]),
    ("scenes:\n  a:\n    text: |\n      {?cour", ["courage"]),
    ("scenes:\n  a:\n    text: |\n      {?has(co", ["coffee"]),
    ('scenes:\n  a:\n    title: "Day {cour', ["courage"]),
    ('scenes:\n  a:\n    text: "{?seen(w', ["window"]),
    ("playthroughs:\n  p:\n    expect:\n      ending: ", ["friends", "quiet"]),
    ("playthroughs:\n  p:\n    steps:\n      - choose: x\n        expect:\n          scene: lu",
     ["lunch"]),
])
def test_completion_offers_the_names_that_fit_the_place(
        index: StoryIndex, text: str, expected: list[str]) -> None:
    assert labels(index, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("scenes:\n  a:\n    choices:\n      - {text: \"Café 🍵\", goto: ", SCENES),
    ("scenes:\n  a:\n    choices:\n      - {text: 'It''s {', goto: ki", ["kitchen"]),
    ("scenes:\n  a:\n    choices:\n      - {text: Go, if: \"has(s", ["sam_secret"]),
    ("scenes:\n  a:\n    choices:\n      - {text: \"Hi {na", ["name"]),
    (CHOICE + "        effects: [{unlock: ", ["coffee", "sam_secret"]),
    (CHOICE + "        effects: [{set: {courage: 1, m", ["met_sam"]),
    (CHOICE + "        effects: [{set: {courage: ", []),  # a value: any literal
    (CHOICE + "        effects: [{add: {courage: 1}}, {", sorted(schema.TABLES["effect"])),
    ("scenes:\n  a:\n    on_enter: [{unlock: [coffee, s", ["sam_secret"]),
    ("scenes:\n  a:\n    ending: {", ["id", "title", "hint"]),
    ("story: {id: x, start: lu", ["lunch"]),
    (CHOICE + "        effects: [{add: {courage: 1}}]  # {co", []),  # a comment
    ("scenes:\n  a:\n    text: |\n      Note: {na", ["name"]),  # text, not a key
    ("scenes:\n  a:\n    text: >-\n      One.\n      goto: ", []),
])
def test_completion_inside_flow_collections_and_text_blocks(
        index: StoryIndex, text: str, expected: list[str]) -> None:
    """`{...}` and `[...]` on one line are read as YAML reads them; a `|` block is text."""
    assert labels(index, text) == expected


def test_keys_in_a_flow_mapping_are_those_of_the_same_block_mapping(index: StoryIndex) -> None:
    flow = labels(index, "scenes:\n  a:\n    choices:\n      - {text: Go, ")
    assert flow == labels(index, CHOICE + "        ") and "goto" in flow and "text" not in flow


def test_completion_offers_the_keys_not_yet_written_with_their_docs(index: StoryIndex) -> None:
    assert labels(index, CHOICE + "        ") == ["call", "goto", "effects", "enabled", "id",
                                                  "if", "once"]
    assert labels(index, CHOICE + "      - ") == ["call", "goto", "text", "effects", "enabled",
                                                  "id", "if", "once"]
    # one of goto/call, then only with call, reason only with enabled
    written = CHOICE + "        call: lunch\n        enabled: x\n        "
    assert labels(index, written) == ["effects", "id", "if", "once", "reason", "then"]
    lines = (CHOICE + "        ").split("\n")
    (call,) = [i for i in complete(index, lines, 5, 8).items if i.label == "call"]
    assert call.detail == "one of goto/call: id"
    assert labels(index, "story:\n  id: x\n  ") == ["start", "title", "subtitle"]
    lines = ["scenes:", "  a:", "    ne"]
    (item,) = complete(index, lines, 2, 6).items
    assert (item.label, item.insert, item.detail) == (
        "next", "next: ", "one of choices/next/ending/return: id")
    assert item.documentation == "A single Continue to this scene, instead of choices."


def test_completion_cuts_a_long_list_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    text = "scenes:\n" + "".join(f"  s{i}:\n    text: x\n    next: s0\n" for i in range(600))
    index = index_story([(path, text)])
    lines = (CHOICE + "        goto: ").split("\n")
    found = complete(index, lines, len(lines) - 1, len(lines[-1]))
    assert found.incomplete and len(found.items) == 500
    lines = (CHOICE + "        goto: s59").split("\n")
    found = complete(index, lines, len(lines) - 1, len(lines[-1]))
    assert not found.incomplete and [i.label for i in found.items] == [
        "s59", *(f"s59{i}" for i in range(10))]


# -- hover ----------------------------------------------------------------------------------

def test_hover_on_a_scene_gives_title_first_line_and_who_leads_there(index: StoryIndex) -> None:
    occurrence = index.definitions("scene", "desk")[0]
    text = hover_text(index, occurrence)
    assert text is not None
    assert text.startswith("**Your Desk** (scene `desk`, `scenes.yaml:")
    assert "> Your desk has a plant on it." in text
    assert "Led to from: `kitchen`, `window`" in text


def test_hover_on_a_variable_and_on_an_unknown_name(index: StoryIndex) -> None:
    text = hover_text(index, index.definitions("variable", "courage")[0])
    assert text is not None and "number (whole) variable" in text and "default: `0`" in text
    index.update(EXAMPLE / "extra.yaml", "variables:\n  trust: {default: 1, min: 0, max: 5}\n")
    text = hover_text(index, index.definitions("variable", "trust")[0])
    assert text is not None and "min: `0`, max: `5`" in text
    index.update(EXAMPLE / "extra.yaml", "scenes:\n  x:\n    text: a\n    next: nowhere\n")
    typo = index.references("scene", "nowhere")[0]
    assert hover_text(index, typo) == "**nowhere**: no scene 'nowhere' is defined in this story"


# -- rename ---------------------------------------------------------------------------------

def test_rename_of_a_variable_reaches_conditions_text_effects_and_playthroughs(
        index: StoryIndex) -> None:
    line, col = find("story.yaml", "courage:")
    occurrence = renameable(index, EXAMPLE / "story.yaml", line, col + 2)
    edits = rename_edits(index, occurrence, "nerve")
    assert {path.name: len(found) for path, found in edits.items()} == {
        "story.yaml": 1, "scenes.yaml": 5, "playthroughs.yaml": 2}
    assert {edit.text for found in edits.values() for edit in found} == {"nerve"}


@pytest.mark.parametrize(("new", "reason"), [
    ("9lives", "not a valid id"),
    ("and", "a word of the condition language"),
    ("kitchen", "a scene 'kitchen' already exists (scenes.yaml:"),
])
def test_rename_is_refused_with_a_reason(index: StoryIndex, new: str, reason: str) -> None:
    occurrence = index.definitions("scene", "desk")[0]
    with pytest.raises(RenameRefused, match=reason.replace("(", r"\(")):
        rename_edits(index, occurrence, new)


def test_rename_needs_a_defined_name_under_the_cursor(index: StoryIndex) -> None:
    with pytest.raises(RenameRefused, match="put the cursor"):
        renameable(index, EXAMPLE / "scenes.yaml", 0, 0)
    index.update(EXAMPLE / "extra.yaml", "scenes:\n  x:\n    text: a\n    next: nowhere\n")
    with pytest.raises(RenameRefused, match="no scene 'nowhere' is defined"):
        renameable(index, EXAMPLE / "extra.yaml", 3, 12)


# -- problems -------------------------------------------------------------------------------

def test_a_point_becomes_the_range_of_the_name_there(tmp_path: Path) -> None:
    lines = ["    goto: kitchn", "    text: Hi {  nme }!", "    text: [a, b]"]
    assert place_of(tmp_path, 1, 11, lines).start == 10
    hole = place_of(tmp_path, 2, 14, lines)  # at the `{`: the name inside it
    assert (place_of(tmp_path, 1, 11, lines).end, hole.start, hole.end) == (16, 16, 19)
    assert (place_of(tmp_path, 3, 11, lines).start, place_of(tmp_path, 3, 11, lines).end) == (
        10, 12)  # `[a,`: the token, not the whole line
    assert place_of(tmp_path, 9, 1, None).end == 1  # nothing there: one character


def test_problems_carry_related_places_and_suggestions(tmp_path: Path) -> None:
    file = str(tmp_path / "a.yaml")
    found = problems([
        Diagnostic(Pos(file, 3, 3), "error", f"scene 'x' is defined twice (first at {file}:1:3)",
                   "OS303", first_defined(Pos(file, 1, 3))),
        Diagnostic(Pos(file, 4, 3), "error", "duplicate key 'text' in scene (first at line 2)",
                   "OS203", (Related(Pos(file, 2, 5), "first here"),)),
        Diagnostic(Pos(file, 5, 9), "error", "this condition is a number; did you mean "
                   "'courage > 0'?", "OS406"),
        Diagnostic(Pos(file, 6, 9), "error", "goto: no scene 'kitchn'; did you mean 'kitchen'?",
                   "OS306"),
    ], lambda path: None)[tmp_path / "a.yaml"]
    assert [(p.line, p.start, note) for p, note in found[0].related] == [
        (0, 2, "first defined here")]
    assert [(p.line, p.start, note) for p, note in found[1].related] == [(1, 4, "first here")]
    assert found[2].related == found[3].related == ()
    assert [p.suggestion for p in found] == [None, None, None, "kitchen"]
    assert [p.code for p in found] == ["OS303", "OS203", "OS406", "OS306"]


# -- the workspace and the loader's overlay -------------------------------------------------

def test_open_buffers_take_the_place_of_their_files(story_copy: Path) -> None:
    workspace = StoryWorkspace(story_copy)
    workspace.index_all()
    scenes = (story_copy / "scenes.yaml").absolute()
    clean = workspace.check()
    assert not any(p.severity == "error" for found in clean.problems.values() for p in found)
    workspace.edit(scenes, scenes.read_text(encoding="utf-8").replace(
        "goto: kitchen", "goto: kitchn", 1))
    broken = workspace.check()
    assert [p.message for p in broken.problems[scenes] if p.severity == "error"] == [
        "goto: no scene 'kitchn'; did you mean 'kitchen'?"]
    assert workspace.to_publish(broken)[scenes]
    assert "kitchn" not in scenes.read_text(encoding="utf-8")  # nothing written to disk
    workspace.close(scenes)
    assert workspace.to_publish(workspace.check()).get(scenes, []) == []


def test_a_buffer_is_indexed_again_when_asked_not_at_each_change(story_copy: Path) -> None:
    workspace = StoryWorkspace(story_copy)
    workspace.index_all()
    scenes = (story_copy / "scenes.yaml").absolute()
    text = scenes.read_text(encoding="utf-8")
    for name in ("sn", "sna", "snack"):  # typing a new scene's id: no indexing meanwhile
        workspace.edit(scenes, text + f"  {name}:\n    text: x\n    next: desk\n")
        assert workspace.indexed.details("scene", name) is None
    workspace.check()
    assert workspace.index.details("scene", "snack") is not None  # the buffer as it is now
    assert workspace.index.details("scene", "sna") is None and not workspace.unindexed


def test_a_check_after_an_edit_reads_only_the_edited_file(story_copy: Path) -> None:
    workspace = StoryWorkspace(story_copy)
    workspace.index_all()
    workspace.check()
    scenes = (story_copy / "scenes.yaml").absolute()
    workspace.edit(scenes, scenes.read_text(encoding="utf-8").replace(
        "goto: kitchen", "goto: kitchn", 1))
    broken = workspace.check()
    assert [Path(f).name for f in workspace.files.reread] == ["scenes.yaml"]
    assert [p.message for p in broken.problems[scenes] if p.severity == "error"] == [
        "goto: no scene 'kitchn'; did you mean 'kitchen'?"]


def test_a_file_changed_on_disk_counts_unless_its_buffer_is_open(story_copy: Path) -> None:
    workspace = StoryWorkspace(story_copy)
    workspace.index_all()
    scenes = (story_copy / "scenes.yaml").absolute()
    hidden = (story_copy / ".drafts" / "x.yaml").absolute()
    assert not workspace.disk_changed(hidden)  # not part of the story: nothing to check
    workspace.edit(scenes, scenes.read_text(encoding="utf-8"))
    scenes.write_text("scenes: {}\n", encoding="utf-8")
    assert not workspace.disk_changed(scenes)  # the open buffer stands in for the file
    assert workspace.index.definitions("scene", "lobby")
    workspace.close(scenes)
    scenes.unlink()
    assert workspace.disk_changed(scenes)
    assert not workspace.index.definitions("scene", "lobby")
    assert scenes not in workspace.index.files


def test_an_unsaved_new_file_is_part_of_the_story(story_copy: Path) -> None:
    new = (story_copy / "more" / "epilogue.yaml").absolute()
    hidden = (story_copy / ".drafts" / "x.yaml").absolute()
    result = load_story(story_copy, cache=True, sources={
        new: "scenes:\n  epilogue:\n    text: The end.\n    next: nowhere\n",
        hidden: "scenes: [",
    })
    assert [str(d).split(": ", 1)[1] for d in result.errors] == [
        "error: next of scene 'epilogue': no scene 'nowhere'"]
    assert result.errors[0].pos.file.endswith("epilogue.yaml")


def test_offscreen_lsp_without_pygls_says_how_to_install_it(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(lsp_command.importlib.util, "find_spec", lambda name: None)
    assert lsp_command.run() == 2
    assert "pip install 'offscreen[lsp]'" in capsys.readouterr().err


def test_the_story_folder_is_the_nearest_one_with_the_story_section(tmp_path: Path) -> None:
    (tmp_path / "ci.yaml").write_text("jobs: {}\n", encoding="utf-8")
    story = tmp_path / "scenes"
    (story / "chapter").mkdir(parents=True)
    (story / "story.yaml").write_text("story:\n  id: x\n", encoding="utf-8")
    (story / "chapter" / "a.yaml").write_text("scenes: {}\n", encoding="utf-8")
    assert story_root(story / "chapter" / "a.yaml", tmp_path) == story
    assert story_root(story / "story.yaml", tmp_path) == story
    assert story_root(tmp_path / "ci.yaml", tmp_path) == tmp_path  # no story: its own folder
    assert story_root(story / "new" / "b.yaml", tmp_path) == story  # not saved yet
    assert story_root(story / "chapter" / "a.yaml", story / "chapter") == story / "chapter"


def test_only_the_server_module_knows_the_protocol_library() -> None:
    """The logic stays testable (and importable) without pygls: only server.py wires it."""
    import ast

    package = Path(__file__).resolve().parents[2] / "game" / "lsp"
    for module in sorted(package.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
        names |= {node.module or "" for node in ast.walk(tree)
                  if isinstance(node, ast.ImportFrom)}
        protocol = {n for n in names if n.split(".")[0] in ("pygls", "lsprotocol")}
        assert bool(protocol) == (module.name == "server.py"), (module.name, protocol)


def test_buffers_are_indexed_after_a_check_for_completion(story_copy: Path) -> None:
    """`index_later` (the server runs it in a worker thread after publishing) makes the
    index of the buffers as they were; a buffer changed again meanwhile waits for the next."""
    workspace = StoryWorkspace(story_copy)
    workspace.index_all()
    scenes = (story_copy / "scenes.yaml").absolute()
    text = scenes.read_text(encoding="utf-8")
    workspace.edit(scenes, text + "  snack:\n    text: x\n    next: desk\n")
    made = workspace.index_later()
    assert workspace.names.details("scene", "snack") is None  # not taken in yet
    workspace.indexed_now(made)
    assert workspace.names.details("scene", "snack") is not None and not workspace.unindexed
    workspace.edit(scenes, text + "  pie:\n    text: x\n    next: desk\n")
    made = workspace.index_later()
    workspace.edit(scenes, text + "  tart:\n    text: x\n    next: desk\n")
    workspace.indexed_now(made)  # made for the text before: not taken in
    assert workspace.names.details("scene", "pie") is None and workspace.unindexed
    assert workspace.index.details("scene", "tart") is not None
