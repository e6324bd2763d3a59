"""Atomic saves under failure: every step of a write fails or "crashes" in turn.

The writer's steps (open temp, write, fsync, close, link the old file to the backup, rename
the link, rename the temp over the save, fsync the folder) all go through `os`, so each test
replaces those functions with wrappers that count calls and break the N-th one:
- as a *failure*, the step raises OSError: the save must report a clear SaveError, leave the
  previous save intact and leave no temp file behind;
- as a *crash*, the step raises a BaseException and every later `os` call is dead too (the
  cleanup's unlink does nothing), which is what a killed process leaves on disk: the slot must
  still load, as the old game or the new one, and temp files must stay out of the save list.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from storage_helpers import play

from game.engine import GameState
from game.storage import atomic
from game.storage.saves import SaveError, SaveStore
from game.story.model import Story

STEPS = ("open", "write", "fsync", "close", "link", "replace", "rename", "unlink")


class Crash(BaseException):
    """The process died here."""


@contextmanager
def broken_os(monkeypatch: pytest.MonkeyPatch, at: int | None,
              make: Callable[[str], BaseException]) -> Iterator[list[str]]:
    """Count os calls of the writer's steps; call number `at` raises make(step)."""
    calls: list[str] = []
    real = {name: getattr(os, name) for name in STEPS}
    dead = False

    def wrap(name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            nonlocal dead
            if dead and isinstance(make(name), Crash):
                return None  # after a crash nothing runs, cleanup included
            calls.append(name)
            if at is not None and len(calls) - 1 == at:
                dead = True
                raise make(name)
            return real[name](*args, **kwargs)
        return call

    for name in STEPS:
        monkeypatch.setattr(os, name, wrap(name))
    try:
        yield calls
    finally:
        for name in STEPS:
            monkeypatch.setattr(os, name, real[name])


def states(story: Story) -> tuple[GameState, GameState, GameState]:
    first = play(story, "take_a_deep_breath")
    second = play(story, "take_a_deep_breath", "hello")
    third = play(story, "take_a_deep_breath", "hello", "continue")
    return first, second, third


def count_steps(tmp_path: Path, story: Story, monkeypatch: pytest.MonkeyPatch) -> int:
    store = SaveStore(tmp_path / "probe", story)
    a, b, c = states(story)
    store.save("mid", a)
    store.save("mid", b)
    with broken_os(monkeypatch, None, lambda name: Crash()) as calls:
        store.save("mid", c)
    assert {"open", "write", "fsync", "link", "replace"} <= set(calls)
    return len(calls)


def visible(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if not p.name.startswith(".")}


def test_a_failure_at_any_step_keeps_the_previous_save(
        tmp_path: Path, story: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, c = states(story)
    steps = count_steps(tmp_path, story, monkeypatch)
    for at in range(steps):
        folder = tmp_path / f"fail{at}"
        store = SaveStore(folder, story)
        store.save("mid", a)
        store.save("mid", b)
        error: SaveError | None = None
        with broken_os(monkeypatch, at, lambda name: OSError(errno.EIO, "I/O error")) as calls:
            try:
                store.save("mid", c)
            except SaveError as exc:
                error = exc
        step = calls[at]
        loaded = SaveStore(folder, story).load("mid").state
        if error is not None:
            assert "input/output error" in str(error) and "mid.json" in str(error)
            assert "previous save there is unchanged" in str(error)
            assert loaded == b, f"failure at step {at} ({step}) lost the previous save"
        else:  # only the best-effort steps after the rename may fail without an error
            assert loaded == c, f"failure at step {at} ({step}) reported success wrongly"
        assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")], \
            f"failure at step {at} ({step}) left a temp file"
        assert visible(folder) == {"mid.json", "mid.json.bak"}


def test_a_crash_at_any_step_leaves_a_loadable_old_or_new_save(
        tmp_path: Path, story: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, c = states(story)
    steps = count_steps(tmp_path, story, monkeypatch)
    outcomes = set()
    for at in range(steps):
        folder = tmp_path / f"crash{at}"
        store = SaveStore(folder, story)
        store.save("mid", a)
        store.save("mid", b)
        with broken_os(monkeypatch, at, lambda name: Crash()), pytest.raises(Crash):
            store.save("mid", c)
        fresh = SaveStore(folder, story)  # the next run of the game
        loaded = fresh.load("mid")
        assert loaded.message is None
        assert loaded.state in (b, c)
        backup = SaveStore(folder, story)
        backup_state = _load_file(backup, folder / "mid.json.bak")
        if loaded.state == c:
            assert backup_state == b  # the previous generation is there to recover
            outcomes.add("new")
        else:
            assert backup_state in (a, b)
            outcomes.add("old")
        assert [info.name for info in fresh.slots()] == ["mid"]  # temp files never listed
        fresh.save("mid", c)  # and the next save works despite the leftovers
        assert fresh.load("mid").state == c
    assert outcomes == {"old", "new"}


def _load_file(store: SaveStore, path: Path) -> GameState:
    """Load a backup file directly, by loading it through a scratch slot."""
    scratch = store.folder / "scratch.json"
    scratch.write_bytes(path.read_bytes())
    try:
        return store.load("scratch").state
    finally:
        scratch.unlink()


# Tests run as root, and chmod does not stop root from writing, so a read-only folder and a
# full disk are simulated by making the system calls fail the way the kernel would.

def test_a_full_disk_gives_a_clear_message_and_keeps_the_old_save(
        tmp_path: Path, story: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, _ = states(story)
    store = SaveStore(tmp_path, story)
    store.save("mid", a)

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(SaveError) as caught:
        store.save("mid", b)
    monkeypatch.undo()
    message = str(caught.value)
    assert message == (f"could not save to {tmp_path / 'mid.json'}: the disk is full; your "
                       "previous save there is unchanged")
    assert store.load("mid").state == a
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mid.json"]


@pytest.mark.parametrize(("code", "words"), [
    (errno.EROFS, "the save folder is on a read-only file system"),
    (errno.EACCES, "permission denied (the save folder is read-only for you)"),
])
def test_a_read_only_folder_gives_a_clear_message_and_keeps_the_old_save(
        tmp_path: Path, story: Story, monkeypatch: pytest.MonkeyPatch, code: int,
        words: str) -> None:
    a, b, _ = states(story)
    store = SaveStore(tmp_path, story)
    store.save("mid", a)
    real_open = os.open

    def read_only(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(SaveError) as caught:
        store.save("mid", b)
    monkeypatch.undo()
    assert words in str(caught.value)
    assert str(tmp_path / "mid.json") in str(caught.value)
    assert store.load("mid").state == a


def test_a_save_folder_that_cannot_be_created(tmp_path: Path, story: Story) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(SaveError) as caught:
        SaveStore(blocker / "saves", story).save("mid", play(story))
    assert "could not save to" in str(caught.value)


def test_without_hard_links_the_backup_is_copied(
        tmp_path: Path, story: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, c = states(story)
    store = SaveStore(tmp_path, story)
    store.save("mid", a)

    def no_links(src: Any, dst: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    store.save("mid", b)
    store.save("mid", c)
    assert store.load("mid").state == c
    assert _load_file(store, tmp_path / "mid.json.bak") == b
    aside = atomic.move_aside(tmp_path / "mid.json", "damaged")  # the rename fallback
    assert aside.name == "mid.json.damaged"
    assert not (tmp_path / "mid.json").exists()


def test_move_aside_never_replaces_an_earlier_file(tmp_path: Path) -> None:
    for n in range(3):
        (tmp_path / "p.json").write_text(str(n))
        atomic.move_aside(tmp_path / "p.json", "damaged")
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {
        "p.json.damaged": "0", "p.json.damaged-2": "1", "p.json.damaged-3": "2"}


def test_old_temp_files_are_swept_and_fresh_ones_kept(tmp_path: Path, story: Story) -> None:
    old = tmp_path / ".mid.json.dead.tmp"
    new = tmp_path / ".mid.json.busy.tmp"
    other = tmp_path / ".other.json.dead.tmp"
    for path in (old, new, other):
        path.write_text("{")
    past = old.stat().st_mtime - 2 * atomic.STALE_AFTER
    os.utime(old, (past, past))
    os.utime(other, (past, past))
    SaveStore(tmp_path, story).save("mid", play(story))
    assert not old.exists()
    assert new.exists()  # maybe another game's write in flight
    assert other.exists()  # another slot's business


def test_describe_falls_back_to_the_system_text() -> None:
    assert atomic.describe(OSError(errno.ENOENT, "No such file or directory")) == \
        "No such file or directory"
    assert atomic.describe(OSError(errno.ENOSPC, "x")) == "the disk is full"
