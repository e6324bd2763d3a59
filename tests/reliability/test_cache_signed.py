"""Signed cache entries (game/story/cachesign.py): an entry this user's game wrote loads
without the structural walk; anything else, or a secret others could read, is walked as
before, so a crafted entry is refused whatever signature lies beside it."""

from __future__ import annotations

import os
import shutil
import stat
import sys
import zlib
from pathlib import Path

import pytest

from game.story import cache, cachecheck, cachesign
from game.story.cachedscenes import CachedScenes
from game.story.files import LoadResult, load_story

EXAMPLE = Path(__file__).parents[2] / "docs" / "example"

pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="file owners (POSIX)")


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each time an entry's head is walked (the check a signed head skips)."""
    seen: list[str] = []
    real = cachecheck.head

    def head(data: object) -> cachecheck.Context | None:
        seen.append("head")
        return real(data)

    monkeypatch.setattr(cachecheck, "head", head)
    return seen


def warm(result: LoadResult) -> bool:
    return result.story is not None and isinstance(result.story.scenes, CachedScenes)


def same_story(a: LoadResult, b: LoadResult) -> bool:
    assert a.story is not None and b.story is not None
    return dict(a.story.scenes.items()) == dict(b.story.scenes) and a.diagnostics == b.diagnostics


def secret(root: Path) -> Path:
    return cache.entry_path(root).parent / cachesign.KEY_NAME


def test_an_entry_the_game_wrote_is_signed_and_its_head_not_walked(
        root: Path, walks: list[str]) -> None:
    load_story(root, cache=True)  # cold: writes and signs the entry
    entry = cache.entry_path(root)
    assert cachesign.signature_path(entry).stat().st_size == 32
    assert stat.S_IMODE(secret(root).stat().st_mode) == 0o600
    found = load_story(root, cache=True)
    assert warm(found) and walks == []
    assert same_story(found, load_story(root))
    # the scenes are still checked as they are decoded, signed head or not
    assert found.story is not None and len(list(found.story.scenes.values())) > 1


@pytest.mark.parametrize("damage", ["no signature", "signature of another head",
                                    "short signature", "secret readable by others",
                                    "secret a link", "secret replaced"])
def test_without_a_valid_signature_the_head_is_walked(root: Path, walks: list[str],
                                                      tmp_path: Path, damage: str) -> None:
    load_story(root, cache=True)
    entry = cache.entry_path(root)
    signature = cachesign.signature_path(entry)
    if damage == "no signature":
        signature.unlink()
    elif damage == "signature of another head":
        signature.write_bytes(bytes(32))
    elif damage == "short signature":
        signature.write_bytes(signature.read_bytes()[:31])
    elif damage == "secret readable by others":
        secret(root).chmod(0o644)
    elif damage == "secret a link":
        moved = tmp_path / "elsewhere.key"
        shutil.move(secret(root), moved)
        secret(root).symlink_to(moved)
    else:  # a new secret (the old one deleted): every old signature is worthless
        secret(root).unlink()
        secret(root).write_bytes(os.urandom(32))
        secret(root).chmod(0o600)
    found = load_story(root, cache=True)
    assert warm(found) and walks == ["head"]  # still the cache's, once walked
    assert same_story(found, load_story(root))


def test_a_crafted_head_beside_the_honest_signature_is_walked_and_refused(
        root: Path, walks: list[str]) -> None:
    load_story(root, cache=True)
    entry = cache.entry_path(root)
    data = bytearray(entry.read_bytes())
    start = len(cache.MAGIC) + 32 + 4  # magic, key, checksum: then the payload
    size = int.from_bytes(data[start:start + 8], "big")
    head = bytes(data[start + 8:start + 8 + size])
    # one fact id changed in the head, checksum made valid again: only the signature differs
    changed = head.replace(b"coffee", b"coffea", 1)
    assert changed != head
    data[start + 8:start + 8 + size] = changed
    data[start - 4:start] = zlib.crc32(bytes(data[start:])).to_bytes(4, "big")
    entry.write_bytes(bytes(data))
    found = load_story(root, cache=True)
    cold = load_story(root)
    assert walks == ["head"]  # the signature did not vouch for it
    assert found.story is not None and cold.story is not None
    assert "coffea" in found.story.facts  # well-formed on its own: found out at a scene
    assert found.story.scenes["kitchen"] == cold.story.scenes["kitchen"]
    assert "coffea" not in found.story.facts  # the running story went cold


def test_pruning_takes_the_signatures_with_the_entries(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEEP", 1)
    for name in ("one", "two"):
        shutil.copytree(EXAMPLE, tmp_path / name)
        load_story(tmp_path / name, cache=True)
    folder = cache.entry_path(tmp_path / "two").parent
    assert len(list(folder.glob("*.story"))) == 1
    assert len(list(folder.glob(f"*.story{cachesign.SUFFIX}"))) == 1
    assert cachesign.signature_path(cache.entry_path(tmp_path / "two")).exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_no_secret_is_made_in_a_folder_where_one_cannot_be_kept(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / cachesign.KEY_NAME).mkdir()  # something else in its place: never replaced
    cachesign.sign(folder / "x.story", b"head")
    assert not cachesign.signature_path(folder / "x.story").exists()
    assert not cachesign.trusted(folder / "x.story", b"head")


def test_a_damaged_scene_in_a_signed_entry_is_found_when_it_is_decoded(
        root: Path, walks: list[str]) -> None:
    """The signature covers the head, with each scene's checksum: a scene's bytes are
    checked when it is first decoded (not all ~11 MB at every start)."""
    load_story(root, cache=True)
    entry = cache.entry_path(root)
    data = bytearray(entry.read_bytes())
    data[-3] ^= 0x20  # inside the last scene's blob
    entry.write_bytes(bytes(data))
    found = load_story(root, cache=True)
    cold = load_story(root)
    assert warm(found) and walks == []
    assert found.story is not None and cold.story is not None
    last = list(cold.story.scenes)[-1]
    assert found.story.scenes[last] == cold.story.scenes[last]  # the story went cold
    assert not entry.exists()  # and the next start rebuilds the entry


def test_without_a_signature_a_damaged_scene_refuses_the_whole_entry_at_once(
        root: Path) -> None:
    """An entry no signature vouches for is checksummed whole before anything is read."""
    load_story(root, cache=True)
    entry = cache.entry_path(root)
    cachesign.signature_path(entry).unlink()
    data = bytearray(entry.read_bytes())
    data[-3] ^= 0x20
    entry.write_bytes(bytes(data))
    assert not warm(load_story(root, cache=True))
