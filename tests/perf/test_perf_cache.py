"""The compiled-story cache: used when valid, rebuilt on any change, never trusted when damaged,
and indistinguishable from a cold load in everything a player or an author can observe."""

from __future__ import annotations

import io
import marshal
import random
import textwrap
import zlib
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from game.commands import check
from game.engine import Engine
from game.story import cache, cachecodec, yamlsrc
from game.story.cache import CachedScenes, entry_path
from game.story.files import LoadResult, load_story
from game.story.model import Story

EXAMPLE = Path(__file__).parents[2] / "docs" / "example"

STORY = """\
story: {id: t, title: T, start: a}
variables: {n: 0, flag: false, word: "on", ratio: 0.5}
facts:
  f1: {title: F1, text: One., chapter: Start}
  unused: {title: Never, text: Nobody unlocks this.}
"""
SCENES = """\
scenes:
  a:
    title: Start
    chapter: Start
    text:
      - "Hello {word}, n is {n}."
      - if: visits(a) > 1 and not flag
        text: Back again.
    on_enter: [{add: {n: 1}}, {unlock: f1}]
    choices:
      - text: Loop
        goto: a
        once: true
        effects: [{set: {flag: true}}, {add: {ratio: 1.5}}]
      - text: "No"
        goto: b
        if: n >= 1 or has(f1)
      - text: Onward
        goto: b
  b:
    text: Middle.
    next: c
  c:
    text: The end.
    ending: {id: done, title: Done}
  lost:
    text: Nothing leads here.
    ending: {id: lost, title: Lost}
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture(autouse=True, params=["serial", "parallel"])
def key_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test twice: small stories are hashed before the entry is read, big ones on a
    second thread while it is read (forced here for these small ones)."""
    if request.param == "parallel":
        monkeypatch.setattr(cache, "PARALLEL_FROM", 0)
    return str(request.param)


@pytest.fixture
def story_dir(tmp_path: Path) -> Path:
    return write(tmp_path / "story", {"story.yaml": STORY, "scenes.yaml": SCENES})


def is_warm(result: LoadResult) -> bool:
    """A cached load decodes scenes lazily; a cold load builds a plain mapping."""
    return result.story is not None and isinstance(result.story.scenes, CachedScenes)


def test_second_load_comes_from_the_cache_outside_the_story_folder(
        story_dir: Path, _private_story_cache: Path) -> None:
    before = sorted(p.name for p in story_dir.iterdir())
    first = load_story(story_dir, cache=True)
    second = load_story(story_dir, cache=True)
    assert not is_warm(first)
    assert is_warm(second)
    assert sorted(p.name for p in story_dir.iterdir()) == before
    assert entry_path(story_dir).parent == _private_story_cache
    assert entry_path(story_dir).is_file()


def test_cache_is_off_by_default(story_dir: Path, _private_story_cache: Path) -> None:
    load_story(story_dir)
    assert not any(_private_story_cache.iterdir())


def test_an_edit_invalidates_the_cache(story_dir: Path) -> None:
    load_story(story_dir, cache=True)
    (story_dir / "scenes.yaml").write_text(
        textwrap.dedent(SCENES).replace("title: Start", "title: Edited"), encoding="utf-8")
    result = load_story(story_dir, cache=True)
    assert not is_warm(result)
    assert result.story is not None and result.story.scenes["a"].title == "Edited"
    assert is_warm(load_story(story_dir, cache=True))


def test_a_same_size_edit_invalidates_the_cache(story_dir: Path) -> None:
    """Content, not size or timestamps: one letter changed in place still misses."""
    load_story(story_dir, cache=True)
    path = story_dir / "scenes.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Middle.", "Muddle."), encoding="utf-8")
    result = load_story(story_dir, cache=True)
    assert not is_warm(result)
    assert result.story is not None
    assert result.story.scenes["b"].paragraphs[0].text.parts == ("Muddle.",)


def test_an_added_file_invalidates_the_cache(story_dir: Path) -> None:
    load_story(story_dir, cache=True)
    write(story_dir, {"more.yaml": "scenes:\n  extra:\n    text: New.\n    next: c\n"})
    result = load_story(story_dir, cache=True)
    assert not is_warm(result)
    assert result.story is not None and "extra" in result.story.scenes
    assert any(f.endswith("more.yaml") for f in result.files)


def test_a_removed_file_invalidates_the_cache(story_dir: Path) -> None:
    write(story_dir, {"more.yaml": "scenes:\n  extra:\n    text: New.\n    next: c\n"})
    assert "extra" in load_story(story_dir, cache=True).story.scenes  # type: ignore[union-attr]
    (story_dir / "more.yaml").unlink()
    result = load_story(story_dir, cache=True)
    assert not is_warm(result)
    assert result.story is not None and "extra" not in result.story.scenes


def test_a_renamed_file_invalidates_the_cache(story_dir: Path) -> None:
    load_story(story_dir, cache=True)
    (story_dir / "scenes.yaml").rename(story_dir / "renamed.yaml")
    result = load_story(story_dir, cache=True)
    assert not is_warm(result)
    assert any(f.endswith("renamed.yaml") for f in result.files)


def corrupt_payload(entry: Path) -> None:
    """A flipped byte in the entry's head. (One in a scene's blob is found when that scene
    is decoded, against its own checksum: tests/reliability/test_cache_signed.py.)"""
    data = bytearray(entry.read_bytes())
    data[len(cache.MAGIC) + 32 + 4 + 8 + 20] ^= 0xFF
    entry.write_bytes(bytes(data))


def well_formed(entry: Path, payload: object) -> None:
    """A valid header and checksum around a payload of our choosing."""
    data = entry.read_bytes()
    marshalled = marshal.dumps(payload)
    body = len(marshalled).to_bytes(8, "big") + marshalled
    head = data[:len(cache.MAGIC) + 32]
    entry.write_bytes(head + zlib.crc32(body).to_bytes(4, "big") + body)


@pytest.mark.parametrize("damage", [
    pytest.param(lambda e: e.write_bytes(b""), id="empty"),
    pytest.param(lambda e: e.write_bytes(e.read_bytes()[:100]), id="truncated"),
    pytest.param(corrupt_payload, id="flipped-byte"),
    pytest.param(lambda e: e.write_bytes(b"\x80\x04\x95" + bytes(200)), id="pickle-like"),
    pytest.param(lambda e: e.write_bytes(b"GIF89a" + bytes(200)), id="not-ours"),
    pytest.param(lambda e: well_formed(e, (cachecodec.FORMAT + 1, (), (), (), None)),
                 id="other-format-version"),
    pytest.param(lambda e: well_formed(e, ("surprise",)), id="wrong-shape"),
    pytest.param(lambda e: well_formed(e, (cachecodec.FORMAT, ("x",), ("x",), (((9, 1, 1), "error",
                                                                         "m"),), None)),
                 id="bad-reference"),
])
def test_a_damaged_or_foreign_cache_is_ignored_and_rebuilt(story_dir: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cold = load_story(story_dir)
    load_story(story_dir, cache=True)
    entry = entry_path(story_dir)
    damage(entry)
    rebuilt = load_story(story_dir, cache=True)
    assert not is_warm(rebuilt)
    assert rebuilt == cold
    again = load_story(story_dir, cache=True)
    assert is_warm(again)
    assert again == cold


def test_an_entry_for_other_content_is_not_used(story_dir: Path, tmp_path: Path) -> None:
    """Two folders never share an entry, and copying one folder's entry over another's
    (same format, valid checksum) still misses: the key is the content."""
    other = write(tmp_path / "other", {"story.yaml": STORY.replace("id: t", "id: other"),
                                       "scenes.yaml": SCENES})
    load_story(story_dir, cache=True)
    load_story(other, cache=True)
    assert entry_path(story_dir) != entry_path(other)
    entry_path(other).write_bytes(entry_path(story_dir).read_bytes())
    result = load_story(other, cache=True)
    assert not is_warm(result)
    assert result.story is not None and result.story.id == "other"


def test_an_unwritable_cache_folder_just_means_cold_loads(
        story_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("OFFSCREEN_CACHE", str(blocker))
    first = load_story(story_dir, cache=True)
    second = load_story(story_dir, cache=True)
    assert first.story is not None and first == second
    assert not is_warm(second)


def test_old_entries_are_pruned(tmp_path: Path, _private_story_cache: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEEP", 3)
    for i in range(5):
        load_story(write(tmp_path / f"s{i}", {"story.yaml": STORY, "scenes.yaml": SCENES}),
                   cache=True)
    assert len(list(_private_story_cache.glob("*.story"))) == 3


def test_a_folder_that_does_not_exist_is_reported_not_cached(tmp_path: Path,
                                                             _private_story_cache: Path) -> None:
    result = load_story(tmp_path / "missing", cache=True)
    assert result.story is None
    assert [d.message for d in result.diagnostics] == ["no such story folder"]
    assert not any(_private_story_cache.iterdir())


# -- equal in behaviour -------------------------------------------------------------------------

def test_warm_and_cold_loads_are_equal(story_dir: Path) -> None:
    cold = load_story(story_dir)
    load_story(story_dir, cache=True)
    warm = load_story(story_dir, cache=True)
    assert is_warm(warm)
    assert warm.diagnostics == cold.diagnostics
    assert any(d.severity == "warning" for d in warm.diagnostics)  # the cache kept them
    assert warm.files == cold.files
    assert warm.story == cold.story
    assert warm == cold


def test_the_example_story_round_trips(tmp_path: Path) -> None:
    cold = load_story(EXAMPLE)
    load_story(EXAMPLE, cache=True)
    warm = load_story(EXAMPLE, cache=True)
    assert is_warm(warm)
    assert warm == cold
    assert warm.story is not None and cold.story is not None
    assert warm.story.playthroughs == cold.story.playthroughs
    assert warm.story.content_hash == cold.story.content_hash


def test_a_story_with_errors_caches_its_diagnostics(tmp_path: Path) -> None:
    folder = write(tmp_path / "bad", {"story.yaml": STORY,
                                      "scenes.yaml": SCENES.replace("goto: b\n", "goto: nowhere\n",
                                                                    1)})
    cold = load_story(folder)
    assert cold.story is None and cold.errors
    load_story(folder, cache=True)
    warm = load_story(folder, cache=True)
    assert warm == cold


def test_check_prints_the_same_thing_warm_or_cold(story_dir: Path) -> None:
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        with redirect_stdout(out):
            code = check.run(story_dir)
        outputs.append((code, out.getvalue()))
    assert is_warm(load_story(story_dir, cache=True))
    assert outputs[0] == outputs[1]
    assert "warning" in outputs[0][1]


def walk(story: Story, seed: int, steps: int = 40) -> list[tuple[object, ...]]:
    """A seeded random playthrough, recording everything a player would see."""
    engine = Engine(story)
    rng = random.Random(seed)
    state = engine.start()
    seen: list[tuple[object, ...]] = []
    for _ in range(steps):
        view = engine.view(state)
        seen.append((view, state.variables, state.visits, state.facts, state.taken))
        choices = engine.choices(state)
        if engine.is_over(state) or not choices:
            break
        state = engine.take(state, rng.choice(choices))
    return seen


def test_playthroughs_are_the_same_warm_or_cold(story_dir: Path) -> None:
    cold = load_story(story_dir).story
    load_story(story_dir, cache=True)
    warm = load_story(story_dir, cache=True).story
    assert cold is not None and warm is not None
    for seed in range(20):
        assert walk(warm, seed) == walk(cold, seed)


def test_conditions_are_rebuilt_as_working_closures(story_dir: Path) -> None:
    load_story(story_dir, cache=True)
    warm = load_story(story_dir, cache=True).story
    assert warm is not None
    condition = warm.scenes["a"].choices[1].condition
    assert condition is not None
    assert condition.source == "n >= 1 or has(f1)"
    assert condition.evaluate({"n": 0}, {}, frozenset()) is False
    assert condition.evaluate({"n": 0}, {}, frozenset({"f1"})) is True


def test_cached_scenes_behave_as_a_mapping(story_dir: Path) -> None:
    cold = load_story(story_dir).story
    load_story(story_dir, cache=True)
    warm = load_story(story_dir, cache=True).story
    assert cold is not None and warm is not None
    scenes = warm.scenes
    assert list(scenes) == list(cold.scenes)
    assert len(scenes) == len(cold.scenes)
    assert "b" in scenes and "zzz" not in scenes
    assert scenes.get("zzz") is None
    with pytest.raises(KeyError):
        scenes["zzz"]
    assert scenes["c"] is scenes["c"]  # decoded once
    assert list(scenes.items()) == list(cold.scenes.items())
    assert list(scenes.values()) == list(cold.scenes.values())


def test_diagnostic_paths_follow_the_working_directory(story_dir: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Diagnostics quote paths relative to where the command runs; a cached result made
    elsewhere must not leak the old relative paths."""
    monkeypatch.chdir(tmp_path)
    load_story(story_dir, cache=True)
    monkeypatch.chdir(story_dir)
    here = load_story(story_dir, cache=True)
    assert here == load_story(story_dir)
    assert here.diagnostics
    assert {d.pos.file for d in here.diagnostics} <= {"story.yaml", "scenes.yaml"}


def test_the_pure_python_loader_has_its_own_entries(story_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml and the pure-Python reader word some syntax errors differently, so a result
    cached with one is not served to the other."""
    load_story(story_dir, cache=True)
    monkeypatch.setattr(yamlsrc, "LOADER", yamlsrc.PyLoader)
    assert not is_warm(load_story(story_dir, cache=True))
    assert is_warm(load_story(story_dir, cache=True))


def test_a_warm_start_never_imports_yaml_or_the_loader(tmp_path: Path) -> None:
    """Start-up time: the cached story must come back without PyYAML or the readers."""
    import os
    import subprocess
    import sys

    story = Path(__file__).parents[2] / "docs" / "example"
    env = {**os.environ, "OFFSCREEN_CACHE": str(tmp_path / "cache")}
    code = ("import sys; from game.story.files import load_story; "
            f"r = load_story({str(story)!r}, cache=True); "
            "print(r.story is not None, 'yaml' in sys.modules, "
            "'game.story.loader' in sys.modules)")
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True)
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True)
    assert cold.stdout.split() == ["True", "True", "True"]  # the first load reads the YAML
    assert warm.stdout.split() == ["True", "False", "False"]


def test_the_code_fingerprint_covers_every_module_that_reads_stories() -> None:
    """The key's fingerprint (os.walk, for speed) is the source of every module under
    game/story, subpackages included, in the order Path.rglob sorts them."""
    import hashlib

    digest = hashlib.sha256()
    folder = Path(cache.__file__).resolve().parent
    paths = sorted(folder.rglob("*.py"))
    assert any(len(p.relative_to(folder).parts) > 1 for p in paths)  # expr/ is in
    for path in paths:
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0"
                      + path.read_bytes() + b"\0")
    assert cache._code_fingerprint() == digest.digest()


def test_the_loader_name_in_the_key_is_found_without_importing_yaml() -> None:
    import subprocess
    import sys

    code = ("import sys; from game.story import cache; before = cache.loader_name(); "
            "assert 'yaml' not in sys.modules; from game.story import yamlsrc; "
            "print(before == yamlsrc.LOADER.__name__ == cache.loader_name())")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "True"


def test_an_entry_read_before_its_key_was_known_is_dropped_when_it_differs(
        story_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parallel path reads the entry before the story's key is ready (and decodes it
    only once it is): an edit made since the entry was written must still win."""
    monkeypatch.setattr(cache, "PARALLEL_FROM", 0)
    load_story(story_dir, cache=True)
    read: list[bytes | None] = []
    decoded: list[bytes] = []
    real_open, real_decode = cache._open_entry, cache.decode_head

    def spy(entry: Path, key: bytes | None = None) -> Any:
        found = real_open(entry, key)
        read.append(None if found is None else found.stored)
        return found

    def decode_spy(*args: Any) -> LoadResult:
        decoded.append(b"")
        return real_decode(*args)

    monkeypatch.setattr(cache, "_open_entry", spy)
    monkeypatch.setattr(cache, "decode_head", decode_spy)
    (story_dir / "scenes.yaml").write_text(textwrap.dedent(SCENES).replace("Middle.", "Centre."),
                                           encoding="utf-8")
    result = load_story(story_dir, cache=True)
    assert read and read[0] is not None  # the old entry was read...
    assert not decoded  # ...not decoded, since its key differs...
    assert not is_warm(result)  # ...and not used
    assert result.story is not None
    assert "Centre." in str(result.story.scenes["b"].paragraphs[0].text.parts)
