"""A signed entry's scene blobs stay in the file (game/story/cachedscenes.py `FileBlobs`):
only the head is read at start, each scene's blob when it is first decoded, from the very
file whose head was verified. A file changed since, or too many open, never crashes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from game.story import cache
from game.story.cachedscenes import CachedScenes, FileBlobs
from game.story.files import LoadResult, load_story

pytestmark = pytest.mark.skipif(not hasattr(os, "pread") or not hasattr(os, "getuid"),
                                reason="signed entries (POSIX)")


def blobs(result: LoadResult) -> FileBlobs:
    """The story's blobs, which a signed entry leaves in its file."""
    assert result.story is not None and isinstance(result.story.scenes, CachedScenes)
    source = result.story.scenes._blobs
    assert isinstance(source, FileBlobs)
    return source


def open_entries() -> int:
    """How many cache entries this process has open."""
    folder = Path("/proc/self/fd")
    return sum(1 for fd in folder.iterdir()
               if os.path.realpath(fd).endswith(".story")) if folder.exists() else 0


def test_a_signed_entry_is_read_to_the_end_of_its_head_only(root: Path) -> None:
    load_story(root, cache=True)
    found = load_story(root, cache=True)
    assert blobs(found).reading
    cold = load_story(root)
    assert found.story is not None and cold.story is not None
    for scene_id in cold.story.scenes:  # one read a scene, each equal to the cold one
        assert found.story.scenes[scene_id] == cold.story.scenes[scene_id]
    assert cache.entry_path(root).exists()  # every scene read well: never went cold


def test_the_whole_story_is_read_in_one_go_and_the_file_closed(root: Path) -> None:
    load_story(root, cache=True)
    found = load_story(root, cache=True)
    cold = load_story(root)
    assert found.story is not None and cold.story is not None
    assert dict(found.story.scenes.items()) == dict(cold.story.scenes)
    assert not blobs(found).reading
    assert cache.entry_path(root).exists()


def test_a_story_keeps_its_own_entry_when_a_newer_one_replaces_it(root: Path) -> None:
    """After an edit the next start writes a new entry in its place; a game still running
    on the old one reads its scenes from the old file, not the new one."""
    load_story(root, cache=True)
    old_cold = load_story(root)
    running = load_story(root, cache=True)
    scenes = root / "scenes.yaml"
    text = scenes.read_text(encoding="utf-8")
    scenes.write_text(text.replace("smells of carpet glue", "smells of fresh paint"),
                      encoding="utf-8")
    load_story(root, cache=True)  # cold: the folder's entry is written again
    edited = load_story(root, cache=True)
    assert isinstance(blobs(edited), FileBlobs)
    assert running.story is not None and old_cold.story is not None
    assert edited.story is not None and edited.story.scenes["lobby"] != old_cold.story.scenes["lobby"]
    for scene_id in old_cold.story.scenes:
        assert running.story.scenes[scene_id] == old_cold.story.scenes[scene_id]


def test_an_entry_cut_short_in_place_turns_the_story_cold_when_a_scene_is_read(
        root: Path) -> None:
    load_story(root, cache=True)
    entry = cache.entry_path(root)
    found = load_story(root, cache=True)
    with entry.open("r+b") as handle:  # the same file, its blobs gone
        handle.truncate(entry.stat().st_size - 40)
    cold = load_story(root)
    assert found.story is not None and cold.story is not None
    for scene_id in cold.story.scenes:
        assert found.story.scenes[scene_id] == cold.story.scenes[scene_id]
    assert not blobs(found).reading  # the file is closed, and dropped
    assert not entry.exists()


def test_at_most_a_few_entries_stay_open_and_every_story_still_reads(
        root: Path, tmp_path: Path) -> None:
    before = open_entries()
    roots = []
    for i in range(FileBlobs.LIMIT + 3):
        other = tmp_path / f"story{i}"
        shutil.copytree(root, other)
        load_story(other, cache=True)
        roots.append(other)
    results = [load_story(other, cache=True) for other in roots]
    assert sum(blobs(r).reading for r in results) == FileBlobs.LIMIT
    if Path("/proc/self/fd").exists():
        assert open_entries() - before <= FileBlobs.LIMIT
    for other, result in zip(roots, results, strict=True):
        cold = load_story(other)
        assert result.story is not None and cold.story is not None
        for scene_id in cold.story.scenes:
            assert result.story.scenes[scene_id] == cold.story.scenes[scene_id]


def test_a_load_that_closes_an_older_entry_frees_nothing_the_collector_froze(
        root: Path, tmp_path: Path) -> None:
    """`load_story` changes no process-wide collector state (tests/test_collector.py), not
    even the frozen count by freeing something a command froze, when it makes an older
    entry read its blobs and close."""
    import gc

    from game.commands.loading import load

    kept = []
    for i in range(FileBlobs.LIMIT + 2):
        other = tmp_path / f"story{i}"
        shutil.copytree(root, other)
        load_story(other, cache=True)
        kept.append(load(other, cache=True))  # frozen, with their blobs, as play does
    load_story(root, cache=True)  # writes its entry
    frozen = gc.get_freeze_count()
    again = load_story(root, cache=True)  # warm: the oldest open entry is read and closed
    assert blobs(again).reading
    assert gc.get_freeze_count() == frozen
    assert sum(blobs(r).reading for r in kept) == FileBlobs.LIMIT - 1  # and this one


def test_a_story_collected_closes_its_entry_and_leaves_the_list(root: Path) -> None:
    import gc

    load_story(root, cache=True)
    found = load_story(root, cache=True)
    held = len(FileBlobs._alive)
    opened = open_entries()
    del found
    gc.collect()  # the story and its scenes' fallback refer to each other
    assert len(FileBlobs._alive) == held - 1
    if Path("/proc/self/fd").exists():
        assert open_entries() == opened - 1
