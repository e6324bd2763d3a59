"""Files that are not what they seem, in the save folder: pipes, devices, links, giants,
numbers past any range, broken Unicode, names that differ only in case, and other games."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import time
import tracemalloc
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from storage_helpers import play

from game import numbers
from game.engine import GameState
from game.storage import atomic, jsontext, locks
from game.storage.profile import LOCK_TIMEOUT, ProfileStore
from game.storage.saves import AUTOSAVE, SaveError, SaveStore, SlotConflict
from game.story.model import Story

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "saves"
    path.mkdir()
    return path


@pytest.fixture
def store(folder: Path, story: Story) -> SaveStore:
    return SaveStore(folder, story)


def statuses(store: SaveStore) -> dict[str, str]:
    return {info.name: info.status for info in store.slots()}


# -- not regular files --------------------------------------------------------------------

@posix_only
@pytest.mark.parametrize("name", ["a.json", "autosave.first-day.json", "a.json.bak"])
def test_a_fifo_is_refused_by_name_without_blocking(store: SaveStore, story: Story,
                                                   folder: Path, name: str) -> None:
    store.save("good", play(story))
    os.mkfifo(folder / name)
    slot = "autosave" if name.startswith("autosave") else "a"
    start = time.monotonic()
    with pytest.raises(SaveError, match="named pipe"):
        store.load(slot)
    listed = statuses(store)
    assert time.monotonic() - start < 5
    assert listed == {"good": "ok", slot: "damaged"}


@posix_only
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_link_to_a_device_is_refused_and_costs_no_memory(store: SaveStore, folder: Path,
                                                          device: str) -> None:
    (folder / "a.json").symlink_to(device)
    tracemalloc.start()
    with pytest.raises(SaveError, match="symbolic link"):
        store.load("a")
    store.slots()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2**20


@posix_only
def test_a_device_reached_by_any_path_is_not_a_regular_file(tmp_path: Path) -> None:
    from game import safeio

    with pytest.raises(safeio.NotRegularFile, match="a device"):
        safeio.read_limited(Path("/dev/zero"), 100)


def test_a_link_to_a_good_save_elsewhere_is_not_followed(store: SaveStore, story: Story,
                                                         folder: Path, tmp_path: Path) -> None:
    outside = SaveStore(tmp_path / "elsewhere", story)
    real = outside.save("mid", play(story, "walk_into_the_kitchen"))
    (folder / "mid.json").symlink_to(real)
    with pytest.raises(SaveError, match="symbolic link"):
        store.load("mid")


def test_saving_over_a_link_is_refused_and_no_backup_becomes_a_link(
        store: SaveStore, story: Story, folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("not a save")
    (folder / "mid.json").symlink_to(target)
    with pytest.raises(SaveError, match="not a regular file"):
        store.save("mid", play(story))
    assert target.read_text() == "not a save"
    assert not (folder / "mid.json.bak").exists()
    assert (folder / "mid.json").is_symlink()


def test_a_backup_is_never_made_from_a_link(tmp_path: Path) -> None:
    target = tmp_path / "outside"
    target.write_bytes(b"outside")
    (tmp_path / "f").symlink_to(target)
    atomic.write_atomic(tmp_path / "f", b"new", tmp_path / "f.bak")
    assert not (tmp_path / "f.bak").exists()
    assert target.read_bytes() == b"outside"


def test_a_sparse_giant_is_refused_at_once(store: SaveStore, folder: Path) -> None:
    with (folder / "big.json").open("wb") as handle:
        handle.truncate(2 * 2**30)
    tracemalloc.start()
    start = time.monotonic()
    with pytest.raises(SaveError, match="larger than"):
        store.load("big")
    assert time.monotonic() - start < 2
    assert tracemalloc.get_traced_memory()[1] < 2**20
    tracemalloc.stop()


# -- what is inside -------------------------------------------------------------------------

def doctor(store: SaveStore, story: Story, slot: str, change: str, to: str) -> None:
    path = store.save(slot, play(story, "walk_into_the_kitchen"))
    text = path.read_text()
    assert change in text
    path.write_text(text.replace(change, to, 1))
    path.with_name(path.name + ".bak").unlink(missing_ok=True)


def test_a_five_thousand_digit_number_is_damage_named_in_the_list(store: SaveStore,
                                                                   story: Story) -> None:
    store.save("good", play(story))
    doctor(store, story, "huge", '"turn":1', '"turn":' + "9" * 5000)
    with pytest.raises(SaveError, match="outside the range"):
        store.load("huge")
    assert statuses(store) == {"good": "ok", "huge": "damaged"}


@pytest.mark.parametrize("number", ["1e400", "NaN", "-Infinity", "1000000000000001",
                                    "2.5e15"])
def test_numbers_outside_the_range_are_damage(store: SaveStore, story: Story,
                                              number: str) -> None:
    doctor(store, story, "x", '"courage":0', f'"courage":{number}')
    with pytest.raises(SaveError, match="damaged"):
        store.load("x")


def test_a_lone_surrogate_is_damage(store: SaveStore, story: Story) -> None:
    doctor(store, story, "x", '"label": "', '"label": "\\udfff')
    with pytest.raises(SaveError, match="not valid Unicode"):
        store.load("x")
    assert statuses(store) == {"x": "damaged"}


def test_a_surrogate_pair_is_fine(store: SaveStore, story: Story) -> None:
    doctor(store, story, "x", '"label": "', '"label": "\\ud83d\\ude00')
    assert store.load("x").state.scene == "kitchen"


def test_a_game_holding_a_lone_surrogate_is_never_written(store: SaveStore, story: Story,
                                                         folder: Path) -> None:
    state = play(story)
    bad = dataclasses.replace(state, variables={**state.variables, "name": "x\udfffy"})
    with pytest.raises(SaveError, match="not valid Unicode"):
        store.save("mid", bad)
    huge = dataclasses.replace(state, variables={**state.variables, "courage": 10**5000})
    with pytest.raises(SaveError, match="outside the range"):
        store.save("mid", huge)
    assert list(folder.iterdir()) == []


def test_a_bug_of_ours_on_one_file_does_not_hide_the_others(
        store: SaveStore, story: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    store.save("good", play(story))
    store.save("bad", play(story, "walk_into_the_kitchen"))
    import game.storage.saves as saves

    real = saves.migrate

    def explode(state: GameState, s: Story) -> object:
        if state.scene == "kitchen":
            raise KeyError("a bug")
        return real(state, s)

    monkeypatch.setattr(saves, "migrate", explode)
    assert statuses(store) == {"good": "ok", "bad": "damaged"}


# -- names ----------------------------------------------------------------------------------

def test_names_differing_in_case_are_one_slot(store: SaveStore, story: Story,
                                              folder: Path) -> None:
    store.save("Mid", play(story))
    store.save("MID", play(story, "walk_into_the_kitchen"))
    assert store.load("mid").state.scene == "kitchen"
    assert sorted(p.name for p in folder.iterdir()) == ["Mid.json", "Mid.json.bak"]
    assert [i.name for i in store.slots()] == ["Mid"]


def test_accented_names_are_one_slot_however_they_are_composed(store: SaveStore, story: Story,
                                                               folder: Path) -> None:
    store.save("Café", play(story))
    decomposed = unicodedata.normalize("NFD", "CAFÉ")
    assert decomposed != "CAFÉ"
    store.save(decomposed, play(story, "walk_into_the_kitchen"))
    assert store.load("café").state.scene == "kitchen"
    assert {p.name for p in folder.iterdir()} == {"Café.json", "Café.json.bak"}
    store.save("Ñoño", play(story))
    assert store.exists("ÑOÑO")


def test_a_file_spelled_otherwise_on_disk_is_found(store: SaveStore, story: Story,
                                                   folder: Path) -> None:
    store.save("mid", play(story))
    (folder / "mid.json").rename(folder / "MiD.json")
    assert store.load("MID").state == play(story)


def test_any_spelling_of_autosave_is_the_autosave(store: SaveStore, story: Story) -> None:
    store.save("AutoSave", play(story))
    assert store.path("autosave").exists()
    assert [i.name for i in store.slots()] == [AUTOSAVE]


# -- several games ---------------------------------------------------------------------------

def test_a_second_game_gets_its_own_autosave_and_both_are_listed(folder: Path,
                                                                 story: Story) -> None:
    first, second = SaveStore(folder, story), SaveStore(folder, story)
    assert first.claim_autosave() == "autosave"
    assert second.claim_autosave() == "autosave-2"
    first.save(AUTOSAVE, play(story))
    second.save(AUTOSAVE, play(story, "walk_into_the_kitchen"))
    assert first.load("autosave").state.scene == "lobby"
    assert first.load("autosave-2").state.scene == "kitchen"
    assert sorted(statuses(first)) == ["autosave", "autosave-2"]
    first.close()
    third = SaveStore(folder, story)
    assert third.claim_autosave() == "autosave"  # free again once the first game ended
    second.close()
    third.close()


def test_a_slot_another_game_wrote_since_asks_first(folder: Path, story: Story) -> None:
    mine, theirs = SaveStore(folder, story), SaveStore(folder, story)
    mine.save("mid", play(story))
    theirs.load("mid")
    theirs.save("mid", play(story, "walk_into_the_kitchen"))
    with pytest.raises(SlotConflict, match="saved by another game"):
        mine.save("mid", play(story))
    assert mine.load("mid").state.scene == "kitchen"  # nothing was written
    mine.save("mid", play(story))  # loaded since: no longer a surprise
    with pytest.raises(SlotConflict):  # the other way round, too
        theirs.save("mid", play(story, "walk_into_the_kitchen"))
    theirs.save("mid", play(story, "walk_into_the_kitchen"), overwrite=True)
    with pytest.raises(SlotConflict):
        mine.save("mid", play(story))
    mine.save("mid", play(story))  # asked once: saving again is the player's yes
    assert mine.load("mid").state.scene == "lobby"


def test_crash_leftovers_are_swept_at_start_when_no_game_runs(folder: Path,
                                                              story: Story) -> None:
    leftover = folder / ".mid.json.1a2b3c4d.tmp"
    leftover.write_bytes(b"half a save")
    store = SaveStore(folder, story)
    store.claim_autosave()
    assert not leftover.exists()
    leftover.write_bytes(b"another game's write in flight")
    other = SaveStore(folder, story)
    other.claim_autosave()  # a game is running: young temp files may be its writes
    assert leftover.exists()
    store.close()
    other.close()


def test_no_temp_files_after_many_saves_from_two_stores(folder: Path, story: Story) -> None:
    a, b = SaveStore(folder, story), SaveStore(folder, story)
    for n in range(20):
        (a if n % 2 else b).save("quicksave", play(story), overwrite=True)
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


def test_the_profile_keeps_a_backup_and_falls_back_to_it(folder: Path, story: Story) -> None:
    profiles = ProfileStore(folder, story)
    profiles.load()
    profiles.record(play(story, "walk_into_the_kitchen"), story)  # unlocks coffee
    profiles.record(play(story, "take_a_deep_breath", "hello"), story)
    assert profiles.backup.exists()
    assert "coffee" in json.loads(profiles.backup.read_text())["facts"]
    profiles.path.write_text("{broken")
    again = ProfileStore(folder, story)
    assert "coffee" in again.load().facts
    assert again.warning is not None and "previous generation" in again.warning


def test_profile_writes_wait_for_the_lock(folder: Path, story: Story,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("game.storage.profile.LOCK_TIMEOUT", 0.05)
    profiles = ProfileStore(folder, story)
    profiles.load()
    held = locks.try_lock(profiles.lock)
    assert held is not None
    profile = profiles.record(play(story, "walk_into_the_kitchen"), story)
    assert "coffee" in profile.facts  # kept in memory...
    assert not profiles.path.exists()  # ...not written while another game holds the lock
    assert profiles.warning is not None and "busy" in profiles.warning
    held.release()
    profiles.record(play(story), story)  # nothing new, but the pending write goes out
    assert "coffee" in json.loads(profiles.path.read_text())["facts"]
    assert LOCK_TIMEOUT >= 1  # the real timeout outlasts any real write


@posix_only
def test_a_fifo_profile_does_not_block(folder: Path, story: Story) -> None:
    os.mkfifo(folder / "profile.first-day.json")
    profiles = ProfileStore(folder, story)
    profiles.load()
    assert profiles.warning is not None and "named pipe" in profiles.warning


def test_a_backup_that_already_is_the_file_leaves_no_temp_behind(tmp_path: Path) -> None:
    """Two games keeping the same generation: rename(2) between two links of one file does
    nothing, which used to leave the link's temp file behind on every such save."""
    target = tmp_path / "f.json"
    target.write_bytes(b"old")
    os.link(target, tmp_path / "f.json.bak")
    atomic.write_atomic(target, b"new", tmp_path / "f.json.bak")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json", "f.json.bak"]
    assert (tmp_path / "f.json.bak").read_bytes() == b"old"


NOBODY = 65534


def run_as_nobody(args: list[str], env: dict[str, str], stdin: str = "") -> tuple[int, str]:
    """`offscreen ARGS` in a forked child that has become uid/gid 65534 (the interpreter
    itself lives under /root here, so the child cannot exec it: it runs the CLI in-process,
    with every module it needs imported by the parent first)."""
    import encodings.utf_8_sig  # noqa: F401 - story files are decoded with it
    import io
    import sys

    import game.commands.play
    import game.commands.saves
    import game.plain
    import game.story.loader  # noqa: F401 - imported for the child
    from game.cli import main

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        out = io.StringIO()
        try:
            os.close(read)
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os.environ.update(env)
            sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, out
            code = main(args)
        except BaseException as exc:  # reported to the parent
            out.write(f"child failed: {exc!r}")
        finally:
            os.write(write, json.dumps([code, out.getvalue()]).encode())
            os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    code, output = json.loads(b"".join(chunks))
    return code, output


@pytest.mark.skipif(not hasattr(os, "setuid") or not hasattr(os, "fork") or os.geteuid() != 0,
                    reason="needs root to become another user (the tests run as root here)")
def test_a_save_folder_without_search_permission_gives_a_clear_message(tmp_path: Path) -> None:
    """As a normal user, a save folder that cannot be searched: a message naming the folder,
    never a traceback or an internal error."""
    from storage_helpers import EXAMPLE

    saves = tmp_path / "saves"
    saves.mkdir()
    saves.chmod(0o000)
    home = tmp_path / "home"
    home.mkdir()
    os.chown(home, NOBODY, NOBODY)
    tmp_path.chmod(0o755)
    env = {"HOME": str(home), "OFFSCREEN_CACHE": str(home / "cache"),
           "XDG_DATA_HOME": str(home), "XDG_CACHE_HOME": str(home)}
    code, output = run_as_nobody(["saves", "--story", str(EXAMPLE), "--saves", str(saves)], env)
    assert "Traceback" not in output and "child failed" not in output
    assert f"cannot list the saves in {saves}: permission denied" in output
    assert code == 1
    code, output = run_as_nobody(["play", "--plain", "--story", str(EXAMPLE), "--saves",
                                  str(saves)], env, stdin="2\nsave mid\nquit\n")
    assert "Traceback" not in output and "child failed" not in output, output
    assert "internal error" not in output.lower() and "crash" not in output.lower(), output
    assert "permission denied" in output, output
    assert code == 0


def test_two_sessions_at_once_keep_two_autosaves(folder: Path, story: Story) -> None:
    """The front ends' Session claims its autosave on first use and lets go when it quits."""
    from game.session import Session

    first, second = Session(story, folder), Session(story, folder)
    first.new_game()
    first.choose("walk_into_the_kitchen")
    second.new_game()
    second.choose("take_a_deep_breath")
    store = SaveStore(folder, story)
    assert store.load("autosave").state.scene == "kitchen"
    assert store.load("autosave-2").state.scene == "lobby"
    first.quit()
    second.quit()
    third = Session(story, folder)
    third.new_game()
    third.choose("walk_into_the_kitchen")
    third.choose("go_to_your_desk")
    assert store.load("autosave").state.scene == "desk"  # free again: the next game has it
    third.quit()


@given(st.one_of(
    st.integers(min_value=numbers.LIMIT + 1, max_value=10**40),
    st.integers(max_value=-numbers.LIMIT - 1, min_value=-10**40),
    st.floats(min_value=numbers.LIMIT, exclude_min=True, allow_infinity=True),
    st.floats(max_value=-numbers.LIMIT, exclude_max=True, allow_infinity=True),
    st.just(math.nan)))
def test_every_number_a_save_cannot_hold_is_looked_at_when_written(value: float) -> None:
    """checked_bytes parses the text it writes again only when a number might be out of
    range (`_NUMBER_WORTH_CHECKING`): every such number json.dumps can write must match."""
    text = json.dumps({"courage": value})
    assert not numbers.in_range(value)
    with pytest.raises(jsontext.Unsavable, match=r"outside the range|not a number"):
        jsontext.checked_bytes(text)


def test_a_story_hash_with_an_exponent_in_it_is_not_parsed_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A story hash is hex, so `e92` in it is no number: the save is not parsed again."""
    def never(text: str) -> object:
        raise AssertionError("parsed again")

    monkeypatch.setattr(jsontext, "loads", never)
    text = '{"story": {"hash": "9513209968c1490c8ec1dfcefd7c5403fdd02c22b159166f32e92c02"}}'
    assert jsontext.checked_bytes(text) == text.encode()


@given(st.text(alphabet=st.sampled_from("0123456789eE+-.,:{}[]\"aNfIinty ")))
def test_the_written_save_guard_misses_no_number_a_regex_would_catch(text: str) -> None:
    """`might_be_out_of_range` is byte searches; it must say yes wherever the plain regex
    of what json.dumps writes for such a number finds one."""
    import re

    if re.search(r"[0-9]{16}|[eE]\+[0-9]{2}|NaN|Infinity", text):
        assert jsontext.might_be_out_of_range(text.encode())
