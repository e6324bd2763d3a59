"""SaveStore: slots, the previous generation, damaged and foreign files, names, the list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from storage_helpers import edit, play

from game.storage.names import BACKUP_SUFFIX
from game.storage.savefile import FORMAT, VERSION
from game.storage.saves import (
    AUTOSAVE,
    QUICKSAVE,
    SaveError,
    SaveStore,
    SlotInfo,
    check_slot,
)
from game.story.files import load_or_raise
from game.story.model import Story


class Clock:
    """A settable clock, so 'newest first' and dates are deterministic."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        self.now += 60
        return self.now


@pytest.fixture
def store(tmp_path: Path, story: Story) -> SaveStore:
    return SaveStore(tmp_path / "saves", story, clock=Clock())


def backup(store: SaveStore, slot: str) -> Path:
    """The slot's previous generation: its file name plus the backup suffix, beside it."""
    path = store.path(slot)
    return path.with_name(path.name + BACKUP_SUFFIX)


def test_save_and_load_every_field_and_the_undo_history(store: SaveStore, story: Story) -> None:
    state = play(story, "take_a_deep_breath", "hello", "continue")
    path = store.save("mid", state, playtime=754.5)
    assert path == store.folder / "mid.json"
    loaded = store.load("mid")
    assert loaded.message is None
    assert loaded.playtime == 754.5
    assert [(s, s.turn, s.via) for s in loaded.state.history()] == \
        [(s, s.turn, s.via) for s in state.history()]
    data = json.loads(path.read_text())
    assert data["format"] == FORMAT and data["version"] == VERSION
    assert data["story"] == {"id": "first-day", "hash": story.content_hash}
    assert data["label"] == "Your Desk"
    assert data["saved_at"] == store.clock.now  # type: ignore[attr-defined]


def test_special_slots_carry_the_story_id_so_stories_can_share_a_folder(
        store: SaveStore, story: Story) -> None:
    assert store.save(AUTOSAVE, play(story)).name == "autosave.first-day.json"
    assert store.save(QUICKSAVE, play(story)).name == "quicksave.first-day.json"
    (store.folder / "autosave.another-story.json").write_text("{}")
    (store.folder / "profile.first-day.json").write_text("{}")
    assert sorted(info.name for info in store.slots()) == [AUTOSAVE, QUICKSAVE]


def test_a_second_save_keeps_the_first_as_the_previous_generation(
        store: SaveStore, story: Story) -> None:
    first, second = play(story, "take_a_deep_breath"), play(story, "walk_into_the_kitchen")
    store.save("mid", first)
    assert not backup(store, "mid").exists()
    store.save("mid", second)
    assert store.load("mid").state == second
    store.path("mid").write_text('{"format": "offscreen-save", "version": 1, "sto')
    loaded = store.load("mid")
    assert loaded.state == first
    assert loaded.message is not None
    assert loaded.message.startswith(f"{store.path('mid')} is damaged: it is cut short "
                                     "(truncated); loaded the previous save of 'mid' instead "
                                     "(mid.json.bak, from ")


def test_a_missing_current_file_falls_back_to_the_backup(store: SaveStore, story: Story) -> None:
    store.save("mid", play(story))
    store.save("mid", play(story, "walk_into_the_kitchen"))
    store.path("mid").unlink()
    assert store.exists("mid")
    loaded = store.load("mid")
    assert loaded.state == play(story)
    assert loaded.message is not None and "mid.json is missing" in loaded.message
    assert [i.name for i in store.slots()] == ["mid"]


DAMAGED = [
    (b"", "it is empty"),
    (b"   \n", "it holds only blank space"),
    (b'{"format": "offscreen-save", "version": 1, "story": {"id": "first-d',
     "it is cut short (truncated)"),
    (b"\xff\xfe\x00garbage", "it is not a text file"),
    (b"this is not json", "it is not valid JSON (line 1, column 1: Expecting value)"),
    (b'{"format": "offscreen-save", "version": "one"}', "its format version 'one' is not valid"),
    (b'{"format": "offscreen-save", "version": 1}', "it does not say which story it belongs to"),
    (b'{"format": "offscreen-save", "version": 1, "story": {"id": "first-day"}}',
     "its story hash is missing"),
    (b'{"format": "offscreen-save", "version": 1, "story": {"id": "first-day", "hash": "x"}, '
     b'"saved_at": "yesterday"}', "its time or playtime is not a number"),
    (b'{"format": "offscreen-save", "version": 1, "story": {"id": "first-day", "hash": "x"}, '
     b'"saved_at": 1, "history": [{"scene": "lobby"}]}',
     "history entry 1: missing 'variables', 'visits', 'taken', 'facts'"),
    (b"[" * 100_000, "it is"),
]
FOREIGN = [
    (b'{"name": "package", "version": "1.0"}', "it is not an Off Screen save"),
    (b"[1, 2, 3]", "it is not an Off Screen save"),
    (b'{"format": "offscreen-save", "version": 1, "story": {"id": "another-story", "hash": "x"}}',
     "it is a save of another story ('another-story')"),
    (b'{"format": "offscreen-save", "version": 99}',
     "it was written by a newer version of Off Screen (save format 99; this version reads "
     "format 1)"),
]


@pytest.mark.parametrize(("content", "reason"), DAMAGED)
def test_every_kind_of_damaged_file_is_named_and_never_crashes(
        store: SaveStore, story: Story, content: bytes, reason: str) -> None:
    store.save("good", play(story))
    store.folder.joinpath("mid.json").write_bytes(content)
    with pytest.raises(SaveError) as caught:
        store.load("mid")
    message = str(caught.value)
    assert message.startswith(f"cannot load 'mid': {store.folder / 'mid.json'} is damaged: ")
    assert reason in message
    assert message.endswith("there is no earlier copy to fall back on")
    assert "\n" not in message
    listed = {info.name: info for info in store.slots()}
    assert listed["mid"].status == "damaged"
    assert listed["mid"].message == message
    assert listed["good"].status == "ok"  # a bad file never hides the others


@pytest.mark.parametrize(("content", "reason"), FOREIGN)
def test_foreign_files_are_named_and_refused_not_overwritten(
        store: SaveStore, story: Story, content: bytes, reason: str) -> None:
    store.save("good", play(story))
    path = store.folder / "mid.json"
    path.write_bytes(content)
    with pytest.raises(SaveError) as caught:
        store.load("mid")
    assert str(caught.value) == f"cannot load 'mid': {path} cannot be used: {reason}"
    with pytest.raises(SaveError) as refused:
        store.save("mid", play(story))
    assert str(refused.value) == (f"{path} was not overwritten: {reason}. Save under another "
                                  "name instead.")
    assert path.read_bytes() == content
    listed = {info.name: info for info in store.slots()}
    assert listed["mid"].status == "damaged" and reason in (listed["mid"].message or "")
    assert listed["good"].status == "ok"


def test_saving_over_a_damaged_file_moves_it_aside_and_says_so(
        store: SaveStore, story: Story) -> None:
    store.save("mid", play(story))
    store.save("mid", play(story, "walk_into_the_kitchen"))
    store.path("mid").write_bytes(b"garbage")
    kept_backup = backup(store, "mid").read_bytes()
    store.save("mid", play(story, "take_a_deep_breath"))
    assert store.notice == ("mid.json was damaged (it is not valid JSON (line 1, column 1: "
                            "Expecting value)); it was kept as mid.json.damaged and a new save "
                            "written in its place.")
    assert (store.folder / "mid.json.damaged").read_bytes() == b"garbage"
    assert backup(store, "mid").read_bytes() == kept_backup  # the good one, not the junk
    assert store.load("mid").state == play(story, "take_a_deep_breath")
    store.save("mid", play(story))
    assert store.notice is None


def test_a_damaged_file_and_a_damaged_backup(store: SaveStore, story: Story) -> None:
    store.save("mid", play(story))
    store.save("mid", play(story))
    store.path("mid").write_bytes(b"{")
    backup(store, "mid").write_bytes(b"")
    with pytest.raises(SaveError) as caught:
        store.load("mid")
    assert str(caught.value) == (f"cannot load 'mid': {store.path('mid')} is damaged: it is cut "
                                 "short (truncated); its backup mid.json.bak is no good "
                                 "either: it is empty")


def test_a_folder_where_a_save_should_be(store: SaveStore, story: Story) -> None:
    (store.folder / "mid.json").mkdir(parents=True)
    with pytest.raises(SaveError, match="it is a folder, not a file"):
        store.load("mid")


def test_a_file_changed_behind_our_back_is_checked_again(store: SaveStore, story: Story) -> None:
    store.save("mid", play(story))
    store.path("mid").write_bytes(b'{"format": "offscreen-save", "version": 7}')
    with pytest.raises(SaveError, match="newer version"):
        store.save("mid", play(story))


def test_missing_slot(store: SaveStore) -> None:
    with pytest.raises(SaveError) as caught:
        store.load("nothing")
    assert str(caught.value) == f"there is no save named 'nothing' in {store.folder}"
    assert not store.exists("nothing")
    assert store.slots() == []


def test_delete_removes_both_generations(store: SaveStore, story: Story) -> None:
    store.save("mid", play(story))
    store.save("mid", play(story))
    assert store.exists("mid")
    store.delete("mid")
    assert not store.exists("mid")
    assert list(store.folder.iterdir()) == []
    with pytest.raises(SaveError, match="there is no save named 'mid'"):
        store.delete("mid")


def test_slots_are_listed_newest_first_with_labels_and_playtime(
        store: SaveStore, story: Story) -> None:
    store.save("a", play(story), playtime=5)
    store.save(AUTOSAVE, play(story, "walk_into_the_kitchen"), playtime=65)
    store.save("b", play(story, "take_a_deep_breath", "hello"), playtime=7)
    (store.folder / "notes.txt").write_text("not a save, not listed")
    (store.folder / "My Game!.json").write_bytes(store.path("a").read_bytes())
    slots = store.slots()
    # the copied file has the same time as 'a'; ties go by name
    assert [s.name for s in slots] == ["b", AUTOSAVE, "My Game!.json", "a"]
    assert slots[0] == SlotInfo("b", "By the Window", store.clock.now,  # type: ignore[attr-defined]
                                7.0, "ok", None)
    assert slots[1].label == "The Kitchen" and slots[1].playtime == 65.0
    stray = slots[2]
    assert stray.name == "My Game!.json" and stray.status == "damaged"
    assert stray.message is not None and "file name is not a usable save name" in stray.message


def test_listing_a_folder_that_cannot_be_read(tmp_path: Path, story: Story) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    with pytest.raises(SaveError, match="cannot list the saves in"):
        SaveStore(not_a_folder, story).slots()


@pytest.mark.parametrize("name", [
    "../escape", "..", ".", "a/b", "a\\b", "/etc/passwd", "C:evil", ".hidden", "..\\..\\x",
    "", "   ", "x" * 41, "semi;colon", "new\nline", "tab\there", "star*", "quote'", "\u0301x", "a\u200bb",
    "CON", "con", "nul", "COM1", "lpt9", "aux", "PRN", "con suffix",
])
def test_slot_names_that_try_to_escape_or_break_are_refused_clearly(
        store: SaveStore, story: Story, name: str) -> None:
    with pytest.raises(SaveError) as caught:
        check_slot(name)
    message = str(caught.value)
    assert "\n" not in message
    assert "save name" in message or "needs a name" in message
    with pytest.raises(SaveError):
        store.save(name, play(story))
    with pytest.raises(SaveError):
        store.load(name)
    assert not store.folder.exists() or list(store.folder.iterdir()) == []


@pytest.mark.parametrize(("name", "reason"), [
    ("../x", "it contains '/', '\\' or ':'"),
    (".x", "it starts with '.'"),
    ("x" * 50, "it is 50 characters long; use at most 40"),
    ("a*b", "use only letters, digits, spaces, '-' and '_'"),
    ("LPT1", "Windows reserves it"),
])
def test_slot_name_messages_say_why(name: str, reason: str) -> None:
    with pytest.raises(SaveError) as caught:
        check_slot(name)
    assert reason in str(caught.value)


@pytest.mark.parametrize("name", ["mid", "Before the Wedding", "season-2_ep 1", "x" * 40,
                                  "CONSOLE", "autosave", "quicksave", "profile", "Café",
                                  "Ñoño", "ünïcode", "Ελληνικά"])
def test_good_slot_names(store: SaveStore, story: Story, name: str) -> None:
    assert check_slot(f"  {name} ") == name
    store.save(name, play(story))
    assert store.load(name).state == play(story)
    assert store.path(name).parent == store.folder


def test_a_slot_named_profile_is_not_the_profile(store: SaveStore, story: Story) -> None:
    store.save("profile", play(story))
    assert store.path("profile").name == "profile.json"
    assert [i.name for i in store.slots()] == ["profile"]


def test_the_autosave_of_an_edited_story_reports_the_edit(
        story_dir: Path, tmp_path: Path) -> None:
    story = load_or_raise(story_dir)
    store = SaveStore(tmp_path / "s", story)
    store.save(AUTOSAVE, play(story, "walk_into_the_kitchen"))
    edit(story_dir, "scenes.yaml", "It has not improved", "It has still not improved")
    edited = SaveStore(tmp_path / "s", load_or_raise(story_dir))
    loaded = edited.load(AUTOSAVE)
    assert loaded.state == play(story, "walk_into_the_kitchen")
    assert loaded.message == ("The story was edited since this game was saved; nothing in "
                              "this game needed to change.")
    assert edited.slots()[0].status == "changed"
