"""Incremental checking (`game.story.filecache`) reports exactly what a cold load does.

A `FileCache` lets each load re-read only the files that changed; whatever the edits, the
result (story, every diagnostic, the file list) must equal a load from scratch. The property
test drives random edit sequences over a four-file generated story: values and keys
changed, lines dropped and doubled, files deleted, restored and added (some defining names
another file defines too), edits on disk and in unsaved buffers.
"""

from __future__ import annotations

import functools
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.story import filecache
from game.story.filecache import FileCache
from game.story.files import LoadResult, load_story

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
import gen_story

REPO = Path(__file__).parents[2]


@functools.cache
def generated() -> dict[str, str]:
    """A four-file story (variables in the first file, scenes leading across files)."""
    with tempfile.TemporaryDirectory() as folder:
        gen_story.generate(Path(folder), scenes=48, files=4, seed=7)
        return {p.name: p.read_text(encoding="utf-8") for p in sorted(Path(folder).iterdir())}


def names(kind: str) -> list[str]:
    """Ids the generated story defines under `kind:` (to reuse them in edits)."""
    out = []
    for text in generated().values():
        section = None
        for line in text.splitlines():
            if line and not line.startswith((" ", "#")):
                section = line.rstrip(":")
            elif section == kind and line.startswith("  ") and not line.startswith("   "):
                out.append(line.strip().split(":")[0])
    return out


def write(root: Path, texts: dict[str, str]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (root / name).write_text(text, encoding="utf-8")


def both(root: Path, cache: FileCache,
         sources: dict[Path, str] | None = None) -> tuple[LoadResult, LoadResult]:
    return load_story(root, files=cache, sources=sources), load_story(root, sources=sources)


VALUES = ["", "on", "12", "1.5", '"text"', "~", "[]", "{}", "x: y", "{courage}", "{{",
          "nowhere", "courage >", "has(nothing)", "true", "!!str 3", "- a", "visits(x) > 1",
          "{items: [a, b], default: [b]}", "'\"a\" in courage'"]
EXTRA = """\
variables:
  {var}: {value}
facts:
  {fact}: {{title: T, text: X}}
scenes:
  {scene}:
    text: "Extra {{courage}}"
    choices:
      - text: On
        goto: {target}
      - text: Back
        goto: {start}
        effects: [{{unlock: {fact}}}, {{add: {{courage: 1}}}}]
"""


@st.composite
def edit(draw: st.DrawFn, files: list[str]) -> tuple[str, str, str | None, bool]:
    """(action, file, its new text (None: deleted, or changed by `change_line`), whether
    the edit is in an unsaved buffer)."""
    texts = generated()
    scenes, variables, facts = names("scenes"), names("variables"), names("facts")
    action = draw(st.sampled_from(["line", "line", "line", "key", "delete", "restore",
                                   "extra"]))
    if action == "extra":
        name = draw(st.sampled_from(["a_extra.yaml", "z_extra.yaml"]))
        text = EXTRA.format(
            var=draw(st.sampled_from([*variables[:3], "fresh_var"])),
            value=draw(st.sampled_from(["0", "true", '"x"', "2.5",
                                        "{items: [courage, x], default: [x]}"])),
            fact=draw(st.sampled_from([*facts[:2], "fresh_fact"])),
            scene=draw(st.sampled_from([*scenes[:2], *scenes[-2:], "fresh_scene"])),
            target=draw(st.sampled_from([*scenes[-3:], "fresh_scene", "nowhere"])),
            start=scenes[0])
        return action, name, text, draw(st.booleans())
    if action == "restore":
        name = draw(st.sampled_from(sorted(texts)))
        return action, name, texts[name], False
    name = draw(st.sampled_from(files or sorted(texts)))
    return action, name, None, draw(st.booleans())


def change_line(draw: st.DrawFn, text: str, key: bool) -> str:
    lines = text.splitlines()
    i = draw(st.integers(0, len(lines) - 1))
    line = lines[i]
    scenes, variables = names("scenes"), names("variables")
    how = "key" if key else draw(st.sampled_from(["value", "drop", "double"]))
    if how == "drop":
        del lines[i]
    elif how == "double":
        lines.insert(i, line)
    elif ": " in line or line.rstrip().endswith(":"):
        head, _, value = line.partition(":")
        indent = head[:len(head) - len(head.lstrip())]
        if how == "value":
            new = draw(st.sampled_from([*VALUES, *scenes[:3], *variables[:3]]))
            lines[i] = f"{head}: {new}"
        else:  # rename what the line defines: a scene, variable or fact id, or a key
            new = draw(st.sampled_from([*scenes[:3], *variables[:3], "renamed", "texts"]))
            lines[i] = f"{indent}{new}:{value}"
    return "\n".join(lines) + "\n"


def check_equal(incremental: LoadResult, cold: LoadResult) -> None:
    assert incremental.diagnostics == cold.diagnostics
    assert incremental.files == cold.files
    assert incremental.story == cold.story


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_incremental_equals_from_scratch_on_random_edits(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        if data.draw(st.booleans()):  # no tree kept: every file read is parsed again
            patch.setattr(filecache, "KEEP_PARSED", 0)
        root = Path(folder) / "story"
        write(root, generated())
        cache = FileCache()
        check_equal(*both(root, cache))
        buffers: dict[Path, str] = {}
        for _ in range(data.draw(st.integers(1, 6))):
            files = sorted(p.name for p in root.glob("*.yaml"))
            action, name, text, in_buffer = data.draw(edit(files))
            path = (root / name).absolute()
            if action in ("line", "key"):
                current = buffers.get(path) or (path.read_text(encoding="utf-8")
                                                if path.exists() else "")
                text = change_line(data.draw, current or "\n", key=action == "key")
            if text is None:
                path.unlink(missing_ok=True)
                buffers.pop(path, None)
            elif in_buffer:
                buffers[path] = text
            else:
                path.write_text(text, encoding="utf-8")
                buffers.pop(path, None)
            check_equal(*both(root, cache, dict(buffers) or None))


def test_an_unchanged_story_reads_no_file_again(tmp_path: Path) -> None:
    write(tmp_path, generated())
    cache = FileCache()
    first = load_story(tmp_path, files=cache)
    assert len(cache.reread) == 4
    again = load_story(tmp_path, files=cache)
    assert cache.reread == []
    assert again == first == load_story(tmp_path)


def test_an_edit_inside_one_file_reads_only_that_file(tmp_path: Path) -> None:
    """A typo in a goto: the names every file defines are the same, so one file is read."""
    write(tmp_path, generated())
    cache = FileCache()
    load_story(tmp_path, files=cache)
    name = sorted(generated())[2]
    text = generated()[name]
    start = text.index("goto: ") + len("goto: ")
    typo = text[:start] + "q" + text[start:]
    result = load_story(tmp_path, files=cache, sources={(tmp_path / name).absolute(): typo})
    assert [Path(f).name for f in cache.reread] == [name]
    assert [d.message.split(";")[0] for d in result.errors] == [
        f"goto: no scene 'q{text[start:].split()[0]}'"]
    check_equal(result, load_story(tmp_path, sources={(tmp_path / name).absolute(): typo}))


def test_a_renamed_scene_rereads_the_files_that_lead_to_it(tmp_path: Path) -> None:
    """Its old id is gone, so a file that went there cleanly must be read again (and now
    has an error), although its own text did not change."""
    write(tmp_path, {
        "a.yaml": "story: {id: s, title: S, start: one}\n"
                  "scenes:\n  one: {text: One, choices: [{text: Go, goto: two}]}\n",
        "b.yaml": "scenes:\n  two: {text: Two, ending: {id: end, title: End}}\n",
    })
    cache = FileCache()
    assert load_story(tmp_path, files=cache).errors == ()
    (tmp_path / "b.yaml").write_text(
        "scenes:\n  three: {text: Two, ending: {id: end, title: End}}\n", encoding="utf-8")
    result = load_story(tmp_path, files=cache)
    assert sorted(Path(f).name for f in cache.reread) == ["a.yaml", "b.yaml"]
    assert [(Path(d.pos.file).name, d.message) for d in result.errors] == [
        ("a.yaml", "goto: no scene 'two'")]
    check_equal(result, load_story(tmp_path))


def test_a_new_name_elsewhere_keeps_clean_files_cached(tmp_path: Path) -> None:
    """Adding a scene changes the names, but a file that read cleanly could only have
    depended on names that are still there: it is not read again."""
    write(tmp_path, generated())
    cache = FileCache()
    load_story(tmp_path, files=cache)
    (tmp_path / "z_more.yaml").write_text(
        f"scenes:\n  more: {{text: More, next: {names('scenes')[0]}}}\n", encoding="utf-8")
    result = load_story(tmp_path, files=cache)
    assert [Path(f).name for f in cache.reread] == ["z_more.yaml"]
    check_equal(result, load_story(tmp_path))


def test_a_deleted_file_and_another_folder(tmp_path: Path) -> None:
    write(tmp_path / "one", generated())
    cache = FileCache()
    load_story(tmp_path / "one", files=cache)
    first = sorted(generated())[0]
    (tmp_path / "one" / first).unlink()
    result = load_story(tmp_path / "one", files=cache)
    check_equal(result, load_story(tmp_path / "one"))
    assert all(Path(f).name != first for f in cache.units)
    shutil.copytree(REPO / "docs" / "example", tmp_path / "two")
    check_equal(load_story(tmp_path / "two", files=cache), load_story(tmp_path / "two"))
    check_equal(load_story(tmp_path / "gone", files=cache), load_story(tmp_path / "gone"))


@pytest.mark.parametrize("root", [REPO / "docs" / "example", REPO / "scenes",
                                  REPO / "game" / "tools" / "starter_story",
                                  REPO / "tests" / "story" / "fixtures" / "broken"],
                         ids=lambda p: p.name)
@pytest.mark.parametrize("keep", [0, filecache.KEEP_PARSED])
def test_real_stories_load_the_same_through_the_cache(root: Path, keep: int,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filecache, "KEEP_PARSED", keep)
    cache = FileCache()
    check_equal(load_story(root, files=cache), load_story(root))
    check_equal(load_story(root, files=cache), load_story(root))


def test_a_scene_given_up_and_owned_again_is_read_again(tmp_path: Path) -> None:
    """b.yaml's `two` is shadowed by a.yaml's for one load, while a variable it reads
    changes type; when a.yaml lets it go, `two` must be read against the names of now."""
    story = "story: {id: s, title: S, start: one}\n"
    one = "  one: {text: One, choices: [{text: Go, goto: two}, {text: On, goto: three}]}\n"
    b = ("scenes:\n  two: {text: Two, choices: [{text: Go, goto: three, if: v > 1}]}\n"
         "  three: {text: Three, ending: {id: end, title: End}}\n")
    write(tmp_path, {"a.yaml": story + "variables: {v: 0}\nscenes:\n" + one,
                     "b.yaml": b})
    cache = FileCache()
    check_equal(load_story(tmp_path, files=cache), load_story(tmp_path))
    write(tmp_path, {"a.yaml": story + "variables: {v: x}\nscenes:\n" + one
                     + "  two: {text: Two, next: three}\n"})
    check_equal(load_story(tmp_path, files=cache), load_story(tmp_path))
    write(tmp_path, {"a.yaml": story + "variables: {v: x}\nscenes:\n" + one})
    result = load_story(tmp_path, files=cache)
    check_equal(result, load_story(tmp_path))
    assert any(Path(d.pos.file).name == "b.yaml" for d in result.errors)
